#include "chartpages.h"

#include "boxplotchart.h"
#include "districtbarchart.h"
#include "districttypechart.h"
#include "histogramchart.h"
#include "scatterchart.h"

#include <QChartView>
#include <QEvent>
#include <QGridLayout>
#include <QWidget>

namespace es::ui {

ChartPages::ChartPages(QWidget *parentWidget)
    : QObject(parentWidget)
    , m_market(new QWidget(parentWidget))
    , m_distribution(new QWidget(parentWidget))
{
    m_market->setObjectName(QStringLiteral("marketPage"));
    m_distribution->setObjectName(QStringLiteral("distributionPage"));

    auto *districtType = new DistrictTypeChart(m_market);
    auto *perSqm = new DistrictBarChart(DistrictBarChart::Metric::AvgPricePerSqm, m_market);
    auto *counts = new DistrictBarChart(DistrictBarChart::Metric::Count, m_market);
    auto *priceHist = new HistogramChart(HistogramChart::Variable::Price, m_distribution);
    auto *areaHist = new HistogramChart(HistogramChart::Variable::Area, m_distribution);
    auto *box = new BoxPlotChart(m_distribution);
    auto *scatter = new ScatterChart(m_distribution);
    m_charts = {districtType, perSqm, priceHist, areaHist, counts, box, scatter};
    for (ChartAdapter *chart : std::as_const(m_charts)) {
        m_pageOf << chart->view()->parentWidget();
        m_stale << false;
    }
    m_market->installEventFilter(this);
    m_distribution->installEventFilter(this);
    // A zero timer fires once the events already posted (the scene updates
    // and the repaint of the chart just applied) have been handled.
    m_slice.setSingleShot(true);
    m_slice.setInterval(0);
    connect(&m_slice, &QTimer::timeout, this, &ChartPages::applyNextVisible);

    auto *market = new QGridLayout(m_market);
    market->setContentsMargins(0, 0, 0, 0);
    market->setSpacing(6);
    // Left: the two charts with districts along x; right: the sorted
    // horizontal bars, full height so every district name fits.
    market->addWidget(districtType->view(), 0, 0);
    market->addWidget(counts->view(), 1, 0);
    market->addWidget(perSqm->view(), 0, 1, 2, 1);
    market->setRowStretch(0, 1);
    market->setRowStretch(1, 1);
    market->setColumnStretch(0, 5);
    market->setColumnStretch(1, 2);

    auto *dist = new QGridLayout(m_distribution);
    dist->setContentsMargins(0, 0, 0, 0);
    dist->setSpacing(6);
    dist->addWidget(priceHist->view(), 0, 0);
    dist->addWidget(areaHist->view(), 0, 1);
    dist->addWidget(box->view(), 1, 0);
    dist->addWidget(scatter->view(), 1, 1);
}

void ChartPages::apply(const es::FilterResultPtr &result, bool oneChartPerTurn)
{
    m_result = result;
    m_oneChartPerTurn = oneChartPerTurn;
    for (qsizetype i = 0; i < m_charts.size(); ++i)
        m_stale[i] = true;
    applyNextVisible();
}

void ChartPages::applyPending()
{
    applyPage(m_market);
    applyPage(m_distribution);
}

bool ChartPages::isUpToDate() const
{
    return nextVisibleStale() < 0;
}

qsizetype ChartPages::nextVisibleStale() const
{
    for (qsizetype i = 0; i < m_charts.size(); ++i)
        if (m_stale[i] && m_pageOf[i]->isVisible())
            return i;
    return -1;
}

void ChartPages::applyNextVisible()
{
    m_slice.stop();
    if (!m_result)
        return;
    bool applied = false;
    for (qsizetype i = nextVisibleStale(); i >= 0; i = nextVisibleStale()) {
        if (applied && m_oneChartPerTurn) {
            m_slice.start();
            return;
        }
        m_charts[i]->apply(*m_result);
        m_stale[i] = false;
        applied = true;
    }
    if (applied)
        Q_EMIT visibleChartsApplied(m_result);
}

void ChartPages::applyPage(QWidget *page)
{
    if (!m_result)
        return;
    bool applied = false;
    for (qsizetype i = 0; i < m_charts.size(); ++i) {
        if (m_stale[i] && m_pageOf[i] == page) {
            m_charts[i]->apply(*m_result);
            m_stale[i] = false;
            applied = true;
        }
    }
    if (applied && page->isVisible() && isUpToDate()) {
        m_slice.stop();
        Q_EMIT visibleChartsApplied(m_result);
    }
}

bool ChartPages::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Show)
        applyPage(qobject_cast<QWidget *>(watched));
    return QObject::eventFilter(watched, event);
}

void ChartPages::updateTheme()
{
    for (ChartAdapter *chart : std::as_const(m_charts))
        chart->updateTheme();
    // The theme resets series colours: every chart draws its data again.
    apply(m_result);
}

} // namespace es::ui
