#include "districtbarchart.h"

#include "chartdata.h"
#include "chartstyle.h"
#include "numberformat.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QHorizontalBarSeries>
#include <QToolTip>

#include "filterengine.h"

#include <algorithm>

namespace es::ui {

namespace {

QString chartTitle(DistrictBarChart::Metric metric)
{
    return metric == DistrictBarChart::Metric::Count
               ? DistrictBarChart::tr("Listings by district")
               : DistrictBarChart::tr("Average price per m² by district");
}

} // namespace

DistrictBarChart::DistrictBarChart(Metric metric, QWidget *parentWidget)
    : ChartAdapter(chartTitle(metric), parentWidget)
    , m_metric(metric)
    , m_categoryAxis(new QBarCategoryAxis)
    , m_valueAxis(new QCategoryAxis)
{
    const bool horizontal = metric == Metric::AvgPricePerSqm;
    if (horizontal)
        m_series = new QHorizontalBarSeries;
    else
        m_series = new QBarSeries;
    addSeriesWithAxes(m_series, m_categoryAxis, m_valueAxis, horizontal ? Qt::AlignLeft : Qt::AlignBottom,
                      horizontal ? Qt::AlignBottom : Qt::AlignLeft);
    m_series->setBarWidth(0.75);
    if (!horizontal)
        m_categoryAxis->setLabelsAngle(-90);
    m_categoryAxis->setTruncateLabels(false);
    m_valueAxis->setTitleText(metric == Metric::Count ? tr("Listings") : tr("Average price per m² (€)"));
    connect(m_series, &QAbstractBarSeries::hovered, this, &DistrictBarChart::showTooltip);
    view()->setToolTip(metric == Metric::Count
                           ? tr("Number of listings per district that match the filters.")
                           : tr("Mean of each listing's price / living area, per district, sorted."));
}

QString DistrictBarChart::valueText(double v) const
{
    return m_metric == Metric::Count ? formatCount(std::int64_t(v)) : formatPricePerSqm(v);
}

bool DistrictBarChart::fill(const es::FilterResult &result)
{
    std::vector<NamedStats> byDistrict = statsByDistrict(result.groups);
    auto value = [this](const GroupStats &s) {
        return m_metric == Metric::Count ? double(s.count) : s.avgPricePerSqm();
    };
    const bool horizontal = m_metric == Metric::AvgPricePerSqm;
    // Horizontal bars grow upwards from the first category: sort ascending so
    // the largest value is on top; vertical bars read left to right, largest first.
    std::stable_sort(byDistrict.begin(), byDistrict.end(), [&](const NamedStats &a, const NamedStats &b) {
        return horizontal ? value(a.stats) < value(b.stats) : value(a.stats) > value(b.stats);
    });

    QStringList districts;
    QList<qreal> values;
    m_counts.clear();
    double maxValue = 0;
    for (const NamedStats &d : byDistrict) {
        districts << d.name;
        values << value(d.stats);
        m_counts.push_back(d.stats.count);
        maxValue = std::max(maxValue, value(d.stats));
    }
    const QColor color = accentColor(m_metric == Metric::Count ? 4 : 0);
    const QList<QBarSet *> sets = m_series->barSets();
    if (sets.size() == 1 && sets.first()->count() == values.size()) {
        // The usual refresh: new values (maybe another order) in the same bars.
        QBarSet *set = sets.first();
        for (qsizetype i = 0; i < values.size(); ++i)
            if (set->at(i) != values[i])
                set->replace(i, values[i]);
        set->setColor(color); // again after a theme change
        set->setBorderColor(color);
    } else {
        m_series->clear();
        auto *set = new QBarSet(chartTitle(m_metric));
        set->setColor(color);
        set->setBorderColor(color);
        set->append(values);
        m_series->append(set);
    }
    if (districts != m_districts) {
        m_categoryAxis->setCategories(districts); // relabels the existing label items
        m_districts = districts;
    }
    setLinearAxis(m_valueAxis, 0, maxValue > 0 ? maxValue : 1, formatCompact, horizontal ? 6 : 6);
    return !byDistrict.empty();
}

void DistrictBarChart::showTooltip(bool status, int index, QBarSet *set)
{
    if (!status || index < 0 || index >= m_districts.size()) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(QCursor::pos(), tr("%1\n%2\n%3 listings")
                                           .arg(m_districts[index], valueText(set->at(index)),
                                                formatCount(std::int64_t(m_counts[std::size_t(index)]))));
}

} // namespace es::ui
