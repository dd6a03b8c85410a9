#include "chartdata.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>

namespace es::ui {

namespace {

template <typename KeyOf>
std::vector<NamedStats> mergeBy(const std::vector<GroupRow> &groups, KeyOf keyOf)
{
    QHash<QString, std::size_t> index;
    std::vector<NamedStats> out;
    for (const GroupRow &g : groups) {
        const QString &key = keyOf(g);
        auto it = index.constFind(key);
        if (it == index.constEnd()) {
            it = index.insert(key, out.size());
            out.push_back({key, {}});
        }
        out[it.value()].stats.merge(g.stats);
    }
    std::sort(out.begin(), out.end(), [](const NamedStats &a, const NamedStats &b) { return a.name < b.name; });
    return out;
}

} // namespace

std::vector<NamedStats> statsByDistrict(const std::vector<GroupRow> &groups)
{
    return mergeBy(groups, [](const GroupRow &g) -> const QString & { return g.district; });
}

std::vector<NamedStats> statsByType(const std::vector<GroupRow> &groups)
{
    return mergeBy(groups, [](const GroupRow &g) -> const QString & { return g.type; });
}

QStringList topByCount(const std::vector<NamedStats> &stats, int n)
{
    std::vector<const NamedStats *> sorted;
    sorted.reserve(stats.size());
    for (const NamedStats &s : stats)
        sorted.push_back(&s);
    std::sort(sorted.begin(), sorted.end(), [](const NamedStats *a, const NamedStats *b) {
        if (a->stats.count != b->stats.count)
            return a->stats.count > b->stats.count;
        return a->name < b->name;
    });
    QStringList names;
    for (std::size_t i = 0; i < sorted.size() && int(i) < n; ++i)
        names << sorted[i]->name;
    return names;
}

QString otherLabel()
{
    return QCoreApplication::translate("es::ui::ChartData", "Other");
}

} // namespace es::ui
