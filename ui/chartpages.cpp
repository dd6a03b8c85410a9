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

void ChartPages::apply(const es::FilterResultPtr &result)
{
    m_result = result;
    for (qsizetype i = 0; i < m_charts.size(); ++i)
        m_stale[i] = true;
    if (m_market->isVisible())
        applyPage(m_market);
    if (m_distribution->isVisible())
        applyPage(m_distribution);
}

void ChartPages::applyPending()
{
    applyPage(m_market);
    applyPage(m_distribution);
}

void ChartPages::applyPage(QWidget *page)
{
    if (!m_result)
        return;
    for (qsizetype i = 0; i < m_charts.size(); ++i) {
        if (m_stale[i] && m_pageOf[i] == page) {
            m_charts[i]->apply(*m_result);
            m_stale[i] = false;
        }
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
