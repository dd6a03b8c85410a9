#include "snapshot.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <unordered_map>

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

void computeMedians(const StoreSnapshot &store, std::vector<GroupRow> &groups, GroupRow &totals)
{
    // Group rows by (district id, type id) through the names.
    std::unordered_map<std::uint32_t, std::size_t> rowOf;
    QHash<QString, int> districtId, typeId;
    for (int i = 0; i < store.districts.size(); ++i)
        districtId.insert(store.districts[i], i);
    for (int i = 0; i < store.types.size(); ++i)
        typeId.insert(store.types[i], i);
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const int d = districtId.value(groups[g].district, -1);
        const int t = typeId.value(groups[g].type, -1);
        if (d >= 0 && t >= 0)
            rowOf[(std::uint32_t(d) << 16) | std::uint32_t(t)] = g;
    }
    // Offsets of each group in one gathered array (counts from the store itself).
    std::vector<std::int64_t> count(groups.size() + 1, 0);
    std::vector<std::size_t> groupOfRow; // per listing, index into groups (or groups.size())
    auto groupIndex = [&](std::uint16_t d, std::uint16_t t) {
        const auto it = rowOf.find((std::uint32_t(d) << 16) | t);
        return it == rowOf.end() ? groups.size() : it->second;
    };
    for (const auto &b : store.blocks)
        for (std::size_t i = 0; i < b->size(); ++i)
            ++count[groupIndex(b->district[i], b->type[i])];
    std::vector<std::int64_t> offset(groups.size() + 2, 0);
    for (std::size_t g = 0; g <= groups.size(); ++g)
        offset[g + 1] = offset[g] + count[g];

    // One pass per measure keeps the transient memory at 8 bytes a listing.
    std::vector<double> values(std::size_t(store.size));
    for (int measure = 0; measure < 2; ++measure) {
        std::vector<std::int64_t> cursor(offset.begin(), offset.end() - 1);
        for (const auto &b : store.blocks)
            for (std::size_t i = 0; i < b->size(); ++i) {
                const std::size_t g = groupIndex(b->district[i], b->type[i]);
                values[std::size_t(cursor[g]++)] = measure == 0 ? b->price[i] : b->price[i] / b->area[i];
            }
        for (std::size_t g = 0; g < groups.size(); ++g) {
            const double m = medianInPlace(values.data() + offset[g], values.data() + offset[g + 1]);
            (measure == 0 ? groups[g].medianPrice : groups[g].medianPricePerSqm) = m;
        }
        const double all = medianInPlace(values.data(), values.data() + values.size());
        (measure == 0 ? totals.medianPrice : totals.medianPricePerSqm) = all;
    }
}

} // namespace es
