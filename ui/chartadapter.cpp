#include "chartadapter.h"

#include "chartstyle.h"

#include <QAbstractAxis>
#include <QAbstractSeries>
#include <QChart>
#include <QChartView>
#include <QFont>
#include <QGraphicsSimpleTextItem>
#include <QLegend>
#include <QPainter>

#include "filterengine.h"

namespace es::ui {

ChartAdapter::ChartAdapter(const QString &title, QWidget *parentWidget)
    : QObject(parentWidget)
    , m_title(title)
    , m_chart(new QChart)
    , m_view(new QChartView(m_chart, parentWidget))
{
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setTitle(title);
    m_chart->setMargins(QMargins(6, 4, 6, 4));
    m_chart->legend()->setVisible(false);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumSize(320, 220);
    m_view->setToolTip(title);
    m_view->setObjectName(title);
    m_placeholder = new QGraphicsSimpleTextItem(m_chart);
    m_placeholder->setVisible(false);
    connect(m_chart, &QChart::plotAreaChanged, this, [this] { placePlaceholder(); });
    updateTheme();
    setPlaceholder(tr("No data yet: open a listings file"));
}

ChartAdapter::~ChartAdapter() = default;

void ChartAdapter::apply(const es::FilterResult &result)
{
    // A theme change resets series colours: switch first, then colour the data.
    if (isDarkPalette(m_view->palette()) != m_dark)
        updateTheme();
    const bool hasData = fill(result);
    setPlaceholder(hasData ? QString() : tr("No listings match the filters"));
    styleChart(m_chart, m_view->palette()); // colours of axes created by fill()
}

void ChartAdapter::updateTheme()
{
    m_dark = isDarkPalette(m_view->palette());
    applyChartTheme(m_chart, m_view->palette()); // may reset fonts: set ours after it
    QFont titleFont = m_view->font();
    titleFont.setBold(true);
    m_chart->setTitleFont(titleFont);
    m_placeholder->setBrush(m_view->palette().brush(QPalette::PlaceholderText));
}

void ChartAdapter::addSeriesWithAxes(QAbstractSeries *series, QAbstractAxis *x, QAbstractAxis *y,
                                     Qt::Alignment xAlign, Qt::Alignment yAlign)
{
    m_chart->addSeries(series);
    m_chart->addAxis(x, xAlign);
    m_chart->addAxis(y, yAlign);
    series->attachAxis(x);
    series->attachAxis(y);
}

void ChartAdapter::setPlaceholder(const QString &text)
{
    m_placeholder->setText(text);
    m_placeholder->setVisible(!text.isEmpty());
    placePlaceholder();
}

void ChartAdapter::placePlaceholder()
{
    if (!m_placeholder->isVisible())
        return;
    const QRectF area = m_chart->plotArea();
    const QRectF box = m_placeholder->boundingRect();
    m_placeholder->setPos(area.center() - box.center());
}

} // namespace es::ui
