#include "districttypechart.h"

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
#include <QLegend>
#include <QToolTip>

#include "filterengine.h"

#include <algorithm>

namespace es::ui {

DistrictTypeChart::DistrictTypeChart(QWidget *parentWidget)
    : ChartAdapter(tr("Average price by district and property type"), parentWidget)
    , m_series(new QBarSeries)
    , m_axisX(new QBarCategoryAxis)
    , m_axisY(new QCategoryAxis)
{
    addSeriesWithAxes(m_series, m_axisX, m_axisY);
    m_axisX->setLabelsAngle(-90);
    m_axisX->setTruncateLabels(false);
    m_axisY->setTitleText(tr("Average price (€)"));
    chart()->legend()->setVisible(true);
    chart()->legend()->setAlignment(Qt::AlignTop);
    m_series->setBarWidth(0.85);
    connect(m_series, &QBarSeries::hovered, this, &DistrictTypeChart::showTooltip);
    view()->setToolTip(tr("Average listing price per district, one bar per property type.\n"
                          "Only the %1 most common types are shown; the rest are grouped as \"Other\".")
                           .arg(kMaxTypes));
}

bool DistrictTypeChart::fill(const es::FilterResult &result)
{
    const std::vector<NamedStats> byType = statsByType(result.groups);
    QStringList shownTypes = topByCount(byType, kMaxTypes);
    const bool hasOther = int(byType.size()) > shownTypes.size();
    std::sort(shownTypes.begin(), shownTypes.end());
    QStringList series = shownTypes;
    if (hasOther)
        series << otherLabel();

    QStringList districts;
    for (const NamedStats &d : statsByDistrict(result.groups))
        districts << d.name;
    QHash<QString, int> districtIndex;
    for (int i = 0; i < districts.size(); ++i)
        districtIndex.insert(districts[i], i);

    // stats[series][district]
    std::vector<std::vector<GroupStats>> stats(std::size_t(series.size()),
                                               std::vector<GroupStats>(std::size_t(districts.size())));
    for (const GroupRow &g : result.groups) {
        int s = int(shownTypes.indexOf(g.type));
        if (s < 0)
            s = int(series.size()) - 1; // "Other"
        stats[std::size_t(s)][std::size_t(districtIndex.value(g.district))].merge(g.stats);
    }

    // Same series over the same districts (the usual refresh): change the
    // values in place instead of re-creating every bar item.
    QList<QBarSet *> sets = m_series->barSets();
    bool inPlace = sets.size() == series.size() && districts == m_districts;
    for (qsizetype s = 0; inPlace && s < sets.size(); ++s)
        inPlace = sets[s]->label() == series[s] && sets[s]->count() == districts.size();
    if (!inPlace) {
        m_series->clear();
        sets.clear();
        for (const QString &name : std::as_const(series))
            sets << new QBarSet(name);
    }
    m_counts.clear();
    double maxValue = 0;
    for (int s = 0; s < series.size(); ++s) {
        QBarSet *set = sets[s];
        const bool other = hasOther && s == series.size() - 1;
        const QColor color = other ? otherCategoryColor() : categoryColor(series[s]);
        set->setColor(color); // again after a theme change
        set->setBorderColor(color);
        std::vector<std::uint64_t> counts;
        QList<qreal> values;
        for (const GroupStats &st : stats[std::size_t(s)]) {
            values << st.avgPrice();
            counts.push_back(st.count);
            maxValue = std::max(maxValue, st.avgPrice());
        }
        if (inPlace) {
            for (qsizetype i = 0; i < values.size(); ++i)
                if (set->at(i) != values[i])
                    set->replace(i, values[i]);
        } else {
            set->append(values);
        }
        m_counts.insert(set, std::move(counts));
    }
    if (!inPlace)
        m_series->append(sets);
    if (districts != m_districts) {
        m_axisX->setCategories(districts); // relabels the existing label items
        m_districts = districts;
    }
    setLinearAxis(m_axisY, 0, maxValue > 0 ? maxValue : 1, formatCompact);
    return !result.groups.empty();
}

void DistrictTypeChart::showTooltip(bool status, int index, QBarSet *set)
{
    if (!status || index < 0 || index >= m_districts.size()) {
        QToolTip::hideText();
        return;
    }
    const auto counts = m_counts.value(set);
    const std::uint64_t n = std::size_t(index) < counts.size() ? counts[std::size_t(index)] : 0;
    QToolTip::showText(QCursor::pos(), tr("%1 · %2\nAverage price %3\n%4 listings")
                                           .arg(m_districts[index], set->label(), formatMoney(set->at(index)),
                                                formatCount(std::int64_t(n))));
}

} // namespace es::ui
