#include "snapshot.h"

#include <QHash>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <cmath>

namespace es {

void sortGroups(std::vector<GroupRow> &groups)
{
    std::sort(groups.begin(), groups.end(), [](const GroupRow &a, const GroupRow &b) {
        const int c = a.district.compare(b.district);
        return c != 0 ? c < 0 : a.type.compare(b.type) < 0;
    });
}

double medianInPlace(double *begin, double *end)
{
    const std::ptrdiff_t n = end - begin;
    if (n <= 0)
        return std::numeric_limits<double>::quiet_NaN();
    double *mid = begin + n / 2;
    std::nth_element(begin, mid, end);
    const double upper = *mid;
    if (n % 2)
        return upper;
    const double lower = *std::max_element(begin, mid);
    return lower + (upper - lower) / 2;
}

void computeMedians(const StoreSnapshot &store, std::vector<GroupRow> &groups, GroupRow &totals, QThreadPool *pool)
{
    // (district id, type id) -> index into groups, through the names.
    const std::size_t nd = std::size_t(store.districts.size());
    const std::size_t nt = std::size_t(store.types.size());
    QHash<QString, int> districtId, typeId;
    for (int i = 0; i < int(nd); ++i)
        districtId.insert(store.districts[i], i);
    for (int i = 0; i < int(nt); ++i)
        typeId.insert(store.types[i], i);
    const auto none = std::uint32_t(groups.size()); // listings of groups not asked for
    std::vector<std::uint32_t> groupOf(nd * nt, none);
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const int d = districtId.value(groups[g].district, -1);
        const int t = typeId.value(groups[g].type, -1);
        if (d >= 0 && t >= 0)
            groupOf[std::size_t(d) * nt + std::size_t(t)] = std::uint32_t(g);
    }
    std::vector<std::int64_t> offset(groups.size() + 2, 0);
    for (const auto &b : store.blocks)
        for (std::size_t i = 0; i < b->size(); ++i)
            ++offset[groupOf[std::size_t(b->district[i]) * nt + b->type[i]] + 1];
    for (std::size_t g = 0; g + 1 < offset.size(); ++g)
        offset[g + 1] += offset[g];

    // One measure at a time keeps the transient memory at 8 bytes a listing.
    const auto n = std::size_t(offset.back());
    const std::size_t counted = std::size_t(offset[groups.size()]); // listings in requested groups
    std::vector<double> values(n);
    std::vector<std::size_t> jobs(groups.size());
    for (std::size_t g = 0; g < jobs.size(); ++g)
        jobs[g] = g;
    const bool parallel = pool && pool->maxThreadCount() > 1 && n > 100000;
    for (int measure = 0; measure < 2; ++measure) {
        std::vector<std::int64_t> cursor(offset.begin(), offset.end() - 1);
        for (const auto &b : store.blocks) {
            const std::size_t m = b->size();
            for (std::size_t i = 0; i < m; ++i) {
                const auto at = std::size_t(cursor[groupOf[std::size_t(b->district[i]) * nt + b->type[i]]]++);
                values[at] = measure == 0 ? b->price[i] : b->price[i] / b->area[i];
            }
        }
        auto groupMedian = [&](std::size_t g) {
            const double med = medianInPlace(values.data() + offset[g], values.data() + offset[g + 1]);
            (measure == 0 ? groups[g].medianPrice : groups[g].medianPricePerSqm) = med;
        };
        if (parallel)
            QtConcurrent::blockingMap(pool, jobs, groupMedian);
        else
            std::for_each(jobs.begin(), jobs.end(), groupMedian);
        (measure == 0 ? totals.medianPrice : totals.medianPricePerSqm) =
            medianInPlace(values.data(), values.data() + counted);
    }
}

} // namespace es
