#include "histogramchart.h"

#include "chartstyle.h"
#include "numberformat.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QLineSeries>
#include <QPen>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace es::ui {

HistogramChart::HistogramChart(Variable variable, QWidget *parentWidget)
    : ChartAdapter(variable == Variable::Price ? tr("Distribution of listing prices")
                                               : tr("Distribution of living areas"),
                   parentWidget)
    , m_variable(variable)
    , m_upper(new QLineSeries(this))
    , m_area(new QAreaSeries(m_upper))
    , m_axisX(new QCategoryAxis)
    , m_axisY(new QCategoryAxis)
{
    addSeriesWithAxes(m_area, m_axisX, m_axisY);
    m_axisX->setTitleText(variable == Variable::Price ? tr("Price (€, log scale)") : tr("Living area (m², log scale)"));
    m_axisY->setTitleText(tr("Listings"));
    connect(m_area, &QAreaSeries::hovered, this, &HistogramChart::showTooltip);
}

double HistogramChart::toAxis(double v) const
{
    return m_histogram.logScale ? std::log10(std::max(v, 1e-300)) : v;
}

QString HistogramChart::valueText(double v) const
{
    return m_variable == Variable::Price ? formatMoney(v) : formatArea(v);
}

bool HistogramChart::fill(const es::FilterResult &result)
{
    m_histogram = m_variable == Variable::Price ? result.priceHistogram : result.areaHistogram;
    const Histogram &h = m_histogram;
    view()->setToolTip(h.rule.isEmpty() ? title() : title() + u'\n' + h.rule);
    m_axisX->setTitleText(m_variable == Variable::Price
                              ? (h.logScale ? tr("Price (€, log scale)") : tr("Price (€)"))
                              : (h.logScale ? tr("Living area (m², log scale)") : tr("Living area (m²)")));

    QList<QPointF> points;
    std::int64_t maxCount = 0;
    std::int64_t total = 0;
    points.reserve(qsizetype(h.counts.size() * 4));
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
        const double x0 = toAxis(h.binLow(i));
        const double x1 = toAxis(h.binHigh(i));
        const auto c = double(h.counts[i]);
        // Each bin is its own box down to the baseline; the outline in the
        // background colour separates neighbouring bins.
        points << QPointF(x0, 0) << QPointF(x0, c) << QPointF(x1, c) << QPointF(x1, 0);
        maxCount = std::max(maxCount, h.counts[i]);
        total += h.counts[i];
    }
    m_upper->replace(points);

    const QColor color = accentColor(m_variable == Variable::Price ? 0 : 2);
    m_area->setColor(color);
    QPen pen(view()->palette().color(QPalette::Base));
    pen.setWidthF(1.0);
    m_area->setPen(pen);

    const bool hasData = total > 0 && h.hi > h.lo;
    const double lo = hasData ? h.lo : 1;
    const double hi = hasData ? h.hi : 10;
    const LabelFormatter fmt = formatCompact;
    if (h.logScale)
        setLog10Axis(m_axisX, lo, hi, fmt, 8);
    else
        setLinearAxis(m_axisX, lo, hi, fmt, 8);
    setLinearAxis(m_axisY, 0, double(std::max<std::int64_t>(maxCount, 1)), formatCompact, 5);
    return hasData;
}

void HistogramChart::showTooltip(const QPointF &point, bool state)
{
    if (!state || m_histogram.counts.empty()) {
        QToolTip::hideText();
        return;
    }
    for (std::size_t i = 0; i < m_histogram.counts.size(); ++i) {
        if (point.x() >= toAxis(m_histogram.binLow(i)) && point.x() <= toAxis(m_histogram.binHigh(i))) {
            QToolTip::showText(QCursor::pos(), tr("%1 – %2\n%3 listings")
                                                   .arg(valueText(m_histogram.binLow(i)),
                                                        valueText(m_histogram.binHigh(i)),
                                                        formatCount(m_histogram.counts[i])));
            return;
        }
    }
}

} // namespace es::ui
