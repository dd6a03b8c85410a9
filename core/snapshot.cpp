#include "snapshot.h"

#include <QHash>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <cstring>
#include <cmath>

namespace es {

void sortGroups(std::vector<GroupRow> &groups)
{
    std::sort(groups.begin(), groups.end(), [](const GroupRow &a, const GroupRow &b) {
        const int c = a.district.compare(b.district);
        return c != 0 ? c < 0 : a.type.compare(b.type) < 0;
    });
}

namespace {

// Exact medians by radix selection: positive doubles order like their bit
// patterns, so a histogram of (bits - min) >> shift finds the bucket holding
// the middle ranks; only the values of that bucket are then collected and
// selected. Three streaming passes over the store, memory independent of its
// size (no gathered copy of the values).
constexpr int kBuckets = 2048;
constexpr int kMeasures = 2; // price, price per m2

inline std::uint64_t keyOf(double v)
{
    std::uint64_t k;
    std::memcpy(&k, &v, sizeof k);
    return k;
}

struct Target {               // one (group or totals) x measure
    std::uint64_t minKey = ~std::uint64_t(0);
    std::uint64_t maxKey = 0;
    int shift = 0;
    std::int64_t count = 0;
    int lowBucket = 0, highBucket = 0; // buckets holding ranks (n-1)/2 and n/2
    std::int64_t below = 0;            // values in buckets < lowBucket
    int bucketOf(std::uint64_t k) const // clamped: never outside the histogram
    {
        if (k <= minKey)
            return 0;
        return int(std::min<std::uint64_t>((k - minKey) >> shift, kBuckets - 1));
    }
};

template<typename F> void forParts(QThreadPool *pool, int parts, F &&f)
{
    if (parts <= 1 || !pool) {
        for (int p = 0; p < parts; ++p)
            f(p);
        return;
    }
    QList<int> ids;
    for (int p = 0; p < parts; ++p)
        ids << p;
    QtConcurrent::blockingMap(pool, ids, [&](int p) { f(p); });
}

} // namespace

void computeMedians(const StoreSnapshot &store, std::vector<GroupRow> &groups, GroupRow &totals, QThreadPool *pool)
{
    const std::size_t nd = std::size_t(store.districts.size());
    const std::size_t nt = std::size_t(store.types.size());
    QHash<QString, int> districtId, typeId;
    for (int i = 0; i < int(nd); ++i)
        districtId.insert(store.districts[i], i);
    for (int i = 0; i < int(nt); ++i)
        typeId.insert(store.types[i], i);
    const std::size_t ng = groups.size();
    const auto none = std::uint32_t(ng); // listings of groups not asked for
    std::vector<std::uint32_t> groupOf(nd * nt, none);
    for (std::size_t g = 0; g < ng; ++g) {
        const int d = districtId.value(groups[g].district, -1);
        const int t = typeId.value(groups[g].type, -1);
        if (d >= 0 && t >= 0)
            groupOf[std::size_t(d) * nt + std::size_t(t)] = std::uint32_t(g);
    }
    const std::size_t nTargets = (ng + 1) * kMeasures; // index (g * 2 + m); g == ng is the totals
    const int parts = (pool && store.size > 200000) ? std::max(1, pool->maxThreadCount()) : 1;
    // Contiguous block ranges per part.
    std::vector<std::size_t> firstBlock(std::size_t(parts) + 1);
    for (int p = 0; p <= parts; ++p)
        firstBlock[std::size_t(p)] = store.blocks.size() * std::size_t(p) / std::size_t(parts);

    auto visit = [&](int part, auto &&fn) {
        for (std::size_t bi = firstBlock[std::size_t(part)]; bi < firstBlock[std::size_t(part) + 1]; ++bi) {
            const ListingBlock &b = *store.blocks[bi];
            const std::size_t m = b.size();
            for (std::size_t i = 0; i < m; ++i) {
                const std::uint32_t g = groupOf[std::size_t(b.district[i]) * nt + b.type[i]];
                if (g == none)
                    continue;
                fn(g, keyOf(b.price[i]), keyOf(b.price[i] / b.area[i]));
            }
        }
    };

    // Ranges and counts: from the groups' statistics when they describe these
    // listings (the engine's and the exporter's case), else from pass 1.
    std::vector<Target> targets(nTargets);
    bool fromStats = ng > 0;
    for (std::size_t g = 0; g < ng && fromStats; ++g) {
        const GroupStats &st = groups[g].stats;
        fromStats = st.count > 0 && st.minPrice > 0 && st.minPricePerSqm > 0 &&
                    st.maxPrice <= std::numeric_limits<double>::max() &&
                    st.maxPricePerSqm <= std::numeric_limits<double>::max();
    }
    if (fromStats) {
        for (std::size_t g = 0; g < ng; ++g) {
            const GroupStats &st = groups[g].stats;
            for (std::size_t idx : {g * 2, ng * 2}) {
                Target &a = targets[idx];
                a.minKey = std::min(a.minKey, keyOf(st.minPrice));
                a.maxKey = std::max(a.maxKey, keyOf(st.maxPrice));
                a.count += std::int64_t(st.count);
                Target &c = targets[idx + 1];
                c.minKey = std::min(c.minKey, keyOf(st.minPricePerSqm));
                c.maxKey = std::max(c.maxKey, keyOf(st.maxPricePerSqm));
                c.count += std::int64_t(st.count);
            }
        }
    } else {
        std::vector<std::vector<Target>> partTargets(static_cast<std::size_t>(parts), std::vector<Target>(nTargets));
        forParts(pool, parts, [&](int p) {
            auto &t = partTargets[std::size_t(p)];
            visit(p, [&](std::uint32_t g, std::uint64_t kp, std::uint64_t ks) {
                for (std::size_t idx : {std::size_t(g) * 2, ng * 2}) {
                    Target &a = t[idx];
                    a.minKey = std::min(a.minKey, kp);
                    a.maxKey = std::max(a.maxKey, kp);
                    ++a.count;
                    Target &c = t[idx + 1];
                    c.minKey = std::min(c.minKey, ks);
                    c.maxKey = std::max(c.maxKey, ks);
                    ++c.count;
                }
            });
        });
        for (const auto &pt : partTargets)
            for (std::size_t i = 0; i < nTargets; ++i) {
                targets[i].minKey = std::min(targets[i].minKey, pt[i].minKey);
                targets[i].maxKey = std::max(targets[i].maxKey, pt[i].maxKey);
                targets[i].count += pt[i].count;
            }
    }
    for (Target &t : targets)
        if (t.count > 0)
            while (((t.maxKey - t.minKey) >> t.shift) >= std::uint64_t(kBuckets))
                ++t.shift;

    // Pass 2: histograms, then the buckets of the middle ranks.
    std::vector<std::vector<std::uint32_t>> hist(static_cast<std::size_t>(parts));
    forParts(pool, parts, [&](int p) {
        auto &h = hist[std::size_t(p)];
        h.assign(nTargets * kBuckets, 0);
        visit(p, [&](std::uint32_t g, std::uint64_t kp, std::uint64_t ks) {
            for (std::size_t idx : {std::size_t(g) * 2, ng * 2}) {
                ++h[idx * kBuckets + std::size_t(targets[idx].bucketOf(kp))];
                ++h[(idx + 1) * kBuckets + std::size_t(targets[idx + 1].bucketOf(ks))];
            }
        });
    });
    for (std::size_t i = 0; i < nTargets; ++i) {
        Target &t = targets[i];
        // The histogram is the truth for the count (ranges from statistics only
        // set the bucket width; values outside them are clamped into the ends).
        t.count = 0;
        for (const auto &h : hist)
            for (int b = 0; b < kBuckets; ++b)
                t.count += h[i * kBuckets + std::size_t(b)];
        if (t.count == 0)
            continue;
        const std::int64_t k1 = (t.count - 1) / 2, k2 = t.count / 2;
        std::int64_t seen = 0;
        t.lowBucket = -1;
        for (int b = 0; b < kBuckets; ++b) {
            std::int64_t c = 0;
            for (const auto &h : hist)
                c += h[i * kBuckets + std::size_t(b)];
            if (t.lowBucket < 0 && seen + c > k1) {
                t.lowBucket = b;
                t.below = seen;
            }
            if (seen + c > k2) {
                t.highBucket = b;
                break;
            }
            seen += c;
        }
    }
    hist.clear();
    hist.shrink_to_fit();

    // Pass 3: collect the values of those buckets and select in them.
    std::vector<std::vector<std::vector<double>>> picked(static_cast<std::size_t>(parts), std::vector<std::vector<double>>(nTargets));
    forParts(pool, parts, [&](int p) {
        auto &pk = picked[std::size_t(p)];
        auto take = [&](std::size_t idx, std::uint64_t k) {
            const Target &t = targets[idx];
            const int b = t.bucketOf(k);
            if (b >= t.lowBucket && b <= t.highBucket) {
                double v;
                std::memcpy(&v, &k, sizeof v);
                pk[idx].push_back(v);
            }
        };
        visit(p, [&](std::uint32_t g, std::uint64_t kp, std::uint64_t ks) {
            for (std::size_t idx : {std::size_t(g) * 2, ng * 2}) {
                take(idx, kp);
                take(idx + 1, ks);
            }
        });
    });
    for (std::size_t i = 0; i < nTargets; ++i) {
        const Target &t = targets[i];
        double med = std::numeric_limits<double>::quiet_NaN();
        if (t.count > 0) {
            std::vector<double> v;
            for (auto &pk : picked)
                v.insert(v.end(), pk[i].begin(), pk[i].end());
            const std::int64_t r1 = (t.count - 1) / 2 - t.below, r2 = t.count / 2 - t.below;
            std::nth_element(v.begin(), v.begin() + r2, v.end());
            const double hi = v[std::size_t(r2)];
            const double lo = r1 == r2 ? hi : *std::max_element(v.begin(), v.begin() + r2);
            med = lo + (hi - lo) / 2;
        }
        const std::size_t g = i / 2;
        GroupRow &row = g == ng ? totals : groups[g];
        (i % 2 == 0 ? row.medianPrice : row.medianPricePerSqm) = med;
    }
}

} // namespace es
