#include "scatterchart.h"

#include "chartdata.h"
#include "chartstyle.h"
#include "numberformat.h"

#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QLegend>
#include <QLegendMarker>
#include <QPen>
#include <QScatterSeries>
#include <QToolTip>

#include "filterengine.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace es::ui {

ScatterChart::ScatterChart(QWidget *parentWidget)
    : ChartAdapter(tr("Price vs living area (sample)"), parentWidget)
    , m_axisX(new QCategoryAxis)
    , m_axisY(new QCategoryAxis)
{
    chart()->addAxis(m_axisX, Qt::AlignBottom);
    chart()->addAxis(m_axisY, Qt::AlignLeft);
    m_axisX->setTitleText(tr("Living area (m², log scale)"));
    m_axisY->setTitleText(tr("Price (€, log scale)"));
    chart()->legend()->setVisible(true);
    chart()->legend()->setAlignment(Qt::AlignRight);
    view()->setToolTip(tr("Each dot is one listing from a uniform sample of at most %1 filtered listings,\n"
                          "coloured by property type (the %2 most common; the rest as \"Other\").")
                           .arg(es::FilterResult::kScatterMax)
                           .arg(kMaxTypes));
}

QScatterSeries *ScatterChart::seriesFor(const QString &name)
{
    auto it = m_series.constFind(name);
    if (it != m_series.constEnd())
        return it.value();
    auto *series = new QScatterSeries;
    series->setName(name);
    series->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    series->setMarkerSize(6.5);
    chart()->addSeries(series);
    series->attachAxis(m_axisX);
    series->attachAxis(m_axisY);
    connect(series, &QScatterSeries::hovered, this,
            [this, name](const QPointF &p, bool state) { showTooltip(name, p, state); });
    m_series.insert(name, series);
    return series;
}

bool ScatterChart::fill(const es::FilterResult &result)
{
    QStringList shown = topByCount(statsByType(result.groups), kMaxTypes);
    std::sort(shown.begin(), shown.end());
    const int typeCount = int(result.types.size());
    std::vector<int> seriesOfType(std::size_t(typeCount), -1); // index into shown, or -1 = Other
    for (int t = 0; t < typeCount; ++t)
        seriesOfType[std::size_t(t)] = int(shown.indexOf(result.types[t]));

    std::vector<QList<QPointF>> points(std::size_t(shown.size()) + 1);
    double xLo = std::numeric_limits<double>::infinity(), xHi = -xLo;
    double yLo = xLo, yHi = -xLo;
    for (const ScatterPoint &p : result.scatter) {
        if (!(p.area > 0) || !(p.price > 0))
            continue;
        const int s = p.type < seriesOfType.size() ? seriesOfType[p.type] : -1;
        points[s < 0 ? std::size_t(shown.size()) : std::size_t(s)] << QPointF(std::log10(p.area), std::log10(p.price));
        xLo = std::min(xLo, p.area);
        xHi = std::max(xHi, p.area);
        yLo = std::min(yLo, p.price);
        yHi = std::max(yHi, p.price);
    }

    // Every known series gets its new list (empty when absent this time).
    for (auto it = m_series.begin(); it != m_series.end(); ++it) {
        const int s = it.key() == otherLabel() ? int(shown.size()) : int(shown.indexOf(it.key()));
        if (s < 0)
            it.value()->clear();
    }
    for (int s = 0; s <= shown.size(); ++s) {
        const bool other = s == shown.size();
        if (other && points[std::size_t(s)].isEmpty() && !m_series.contains(otherLabel()))
            continue;
        QScatterSeries *series = seriesFor(other ? otherLabel() : shown[s]);
        QColor color = other ? otherCategoryColor() : categoryColor(shown[s]);
        color.setAlpha(170);
        series->setColor(color);
        series->setBorderColor(color);
        series->replace(points[std::size_t(s)]);
    }
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        const auto markers = chart()->legend()->markers(it.value());
        for (QLegendMarker *m : markers)
            m->setVisible(it.value()->count() > 0);
    }

    const bool hasData = std::isfinite(xLo) && std::isfinite(yLo);
    if (!hasData) {
        xLo = 10, xHi = 1000, yLo = 1e4, yHi = 1e6;
    }
    // A little room around the points, in log space.
    auto pad = [](double &lo, double &hi) {
        if (hi <= lo * 1.01) {
            lo /= 1.5;
            hi *= 1.5;
        }
        const double f = std::pow(hi / lo, 0.04);
        lo /= f;
        hi *= f;
    };
    pad(xLo, xHi);
    pad(yLo, yHi);
    setLog10Axis(m_axisX, xLo, xHi, formatCompact, 8);
    setLog10Axis(m_axisY, yLo, yHi, formatCompact, 7);
    return hasData;
}

void ScatterChart::showTooltip(const QString &name, const QPointF &point, bool state)
{
    if (!state) {
        QToolTip::hideText();
        return;
    }
    const double area = std::pow(10.0, point.x());
    const double price = std::pow(10.0, point.y());
    QToolTip::showText(QCursor::pos(), tr("%1\n%2 · %3\n%4")
                                           .arg(name, formatMoney(price), formatArea(area),
                                                formatPricePerSqm(price / area)));
}

} // namespace es::ui
