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

// Exact medians, usually in one pass over the store: a systematic sample (runs
// of consecutive listings at a fixed period) brackets each median between two
// sample values that hold the middle ranks with overwhelming probability; the
// pass then counts the values below the bracket and collects the few inside
// it, and a selection in those finds the median. A target whose bracket missed
// (adversarial or periodic data) falls back to radix selection: orderedKey()
// orders like the doubles, so a histogram of (key - min) >> shift finds the
// bucket holding the middle ranks; only that bucket's values are then
// collected. Memory is independent of the store's size (no gathered copy).
constexpr int kBuckets = 2048;
constexpr int kMeasures = 2; // price, price per m2
constexpr std::int64_t kSampleTarget = 1 << 18; // about this many sampled listings
constexpr std::size_t kSampleRun = 16;          // sampled in runs of consecutive listings
constexpr std::int64_t kMinStride = 16;         // at most one listing in 16 is sampled
constexpr std::int64_t kWholeGroup = 4096;      // smaller targets are collected whole

/// A key that orders like the double for every non-NaN value, negatives included.
inline std::uint64_t orderedKey(double v)
{
    std::uint64_t k;
    std::memcpy(&k, &v, sizeof k);
    return k & (std::uint64_t(1) << 63) ? ~k : k | (std::uint64_t(1) << 63);
}

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

/// Which group each listing belongs to, and how the store is cut into parts.
/// Targets are numbered (g * 2 + m), m = 0 price, 1 price per m2; g == groups
/// is the totals.
struct Layout {
    Layout(const StoreSnapshot &s, const std::vector<GroupRow> &groups, QThreadPool *threadPool)
        : store(s), nt(std::size_t(s.types.size())), ng(groups.size()), none(std::uint32_t(ng)),
          targets((ng + 1) * kMeasures), pool(threadPool),
          parts((threadPool && s.size > 200000) ? std::max(1, threadPool->maxThreadCount()) : 1)
    {
        const std::size_t nd = std::size_t(store.districts.size());
        QHash<QString, int> districtId, typeId;
        for (int i = 0; i < int(nd); ++i)
            districtId.insert(store.districts[i], i);
        for (int i = 0; i < int(nt); ++i)
            typeId.insert(store.types[i], i);
        groupOf.assign(nd * nt, none); // listings of groups not asked for stay `none`
        for (std::size_t g = 0; g < ng; ++g) {
            const int d = districtId.value(groups[g].district, -1);
            const int t = typeId.value(groups[g].type, -1);
            if (d >= 0 && t >= 0)
                groupOf[std::size_t(d) * nt + std::size_t(t)] = std::uint32_t(g);
        }
        firstBlock.resize(std::size_t(parts) + 1); // contiguous block ranges per part
        for (int p = 0; p <= parts; ++p)
            firstBlock[std::size_t(p)] = store.blocks.size() * std::size_t(p) / std::size_t(parts);
    }

    /// Calls fn(group, price, price per m2) for every listing of a wanted group
    /// in the blocks of `part`; with a `period`, only for the first kSampleRun
    /// listings of every `period` (a systematic sample that reads whole cache lines).
    template<typename Fn> void visit(int part, Fn &&fn, std::size_t period = 0) const
    {
        for (std::size_t bi = firstBlock[std::size_t(part)]; bi < firstBlock[std::size_t(part) + 1]; ++bi) {
            const ListingBlock &b = *store.blocks[bi];
            const std::size_t m = b.size();
            const std::size_t step = period ? period : m;
            for (std::size_t from = 0; from < m; from += step) {
                const std::size_t to = period ? std::min(m, from + kSampleRun) : m;
                for (std::size_t i = from; i < to; ++i) {
                    const std::uint32_t g = groupOf[std::size_t(b.district[i]) * nt + b.type[i]];
                    if (g == none)
                        continue;
                    fn(g, b.price[i], b.price[i] / b.area[i]);
                }
            }
        }
    }
    template<typename Fn> void forEachPart(Fn &&fn) const { forParts(pool, parts, fn); }

    const StoreSnapshot &store;
    std::size_t nt, ng;
    std::uint32_t none;
    std::size_t targets;
    QThreadPool *pool;
    int parts;
    std::vector<std::uint32_t> groupOf;
    std::vector<std::size_t> firstBlock;
};

/// The median of `count` values given the `below` values under those in `v`
/// (which must hold ranks (count-1)/2 and count/2): an even count gives the
/// mean of the two middle values.
double medianOf(std::vector<double> &v, std::int64_t count, std::int64_t below)
{
    const std::int64_t r1 = (count - 1) / 2 - below, r2 = count / 2 - below;
    std::nth_element(v.begin(), v.begin() + r2, v.end());
    const double hi = v[std::size_t(r2)];
    const double lo = r1 == r2 ? hi : *std::max_element(v.begin(), v.begin() + r2);
    return lo + (hi - lo) / 2;
}

/// Concatenates each part's values of target `i`.
std::vector<double> gather(std::vector<std::vector<std::vector<double>>> &parts, std::size_t i)
{
    std::vector<double> v;
    for (auto &pk : parts) {
        v.insert(v.end(), pk[i].begin(), pk[i].end());
        std::vector<double>().swap(pk[i]);
    }
    return v;
}

struct RadixTarget {
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

/// The exact fallback: radix selection in three streaming passes (ranges,
/// histogram, the middle buckets' values). Returns every target's median.
std::vector<double> radixMedians(const Layout &L)
{
    const std::size_t nTargets = L.targets;
    const std::size_t ng = L.ng;
    std::vector<RadixTarget> targets(nTargets);
    std::vector<std::vector<RadixTarget>> partTargets(std::size_t(L.parts), std::vector<RadixTarget>(nTargets));
    L.forEachPart([&](int p) {
        auto &t = partTargets[std::size_t(p)];
        L.visit(p, [&](std::uint32_t g, double price, double perSqm) {
            for (std::size_t idx : {std::size_t(g) * 2, ng * 2})
                for (const auto &[j, k] : {std::pair{idx, orderedKey(price)}, std::pair{idx + 1, orderedKey(perSqm)}}) {
                    t[j].minKey = std::min(t[j].minKey, k);
                    t[j].maxKey = std::max(t[j].maxKey, k);
                    ++t[j].count;
                }
        });
    });
    for (const auto &pt : partTargets)
        for (std::size_t i = 0; i < nTargets; ++i) {
            targets[i].minKey = std::min(targets[i].minKey, pt[i].minKey);
            targets[i].maxKey = std::max(targets[i].maxKey, pt[i].maxKey);
            targets[i].count += pt[i].count;
        }
    for (RadixTarget &t : targets)
        if (t.count > 0)
            while (((t.maxKey - t.minKey) >> t.shift) >= std::uint64_t(kBuckets))
                ++t.shift;

    // Histograms, then the buckets of the middle ranks.
    std::vector<std::vector<std::uint32_t>> hist(std::size_t(L.parts));
    L.forEachPart([&](int p) {
        auto &h = hist[std::size_t(p)];
        h.assign(nTargets * kBuckets, 0);
        L.visit(p, [&](std::uint32_t g, double price, double perSqm) {
            for (std::size_t idx : {std::size_t(g) * 2, ng * 2}) {
                ++h[idx * kBuckets + std::size_t(targets[idx].bucketOf(orderedKey(price)))];
                ++h[(idx + 1) * kBuckets + std::size_t(targets[idx + 1].bucketOf(orderedKey(perSqm)))];
            }
        });
    });
    for (std::size_t i = 0; i < nTargets; ++i) {
        RadixTarget &t = targets[i];
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

    // Collect the values of those buckets and select in them.
    std::vector<std::vector<std::vector<double>>> picked(std::size_t(L.parts), std::vector<std::vector<double>>(nTargets));
    L.forEachPart([&](int p) {
        auto &pk = picked[std::size_t(p)];
        auto take = [&](std::size_t idx, double v) {
            const RadixTarget &t = targets[idx];
            const int b = t.bucketOf(orderedKey(v));
            if (b >= t.lowBucket && b <= t.highBucket)
                pk[idx].push_back(v);
        };
        L.visit(p, [&](std::uint32_t g, double price, double perSqm) {
            for (std::size_t idx : {std::size_t(g) * 2, ng * 2}) {
                take(idx, price);
                take(idx + 1, perSqm);
            }
        });
    });
    std::vector<double> medians(nTargets, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < nTargets; ++i) {
        std::vector<double> v = gather(picked, i);
        if (targets[i].count > 0)
            medians[i] = medianOf(v, targets[i].count, targets[i].below);
    }
    return medians;
}

struct Bracket {            // on orderedKey()s
    std::uint64_t lo = 0;    // values under lo are only counted
    std::uint64_t span = ~std::uint64_t(0); // values in [lo, lo + span] are collected
};

} // namespace

void computeMedians(const StoreSnapshot &store, std::vector<GroupRow> &groups, GroupRow &totals, QThreadPool *pool,
                    MedianDiagnostics *diagnostics)
{
    const Layout L(store, groups, pool);
    const std::size_t nTargets = L.targets;
    const std::size_t ng = L.ng;

    // Sample runs of kSampleRun listings, one every `period`, and bracket each
    // target's middle ranks between sample ranks s/2 -+ (5 standard deviations
    // + 2). Small stores and small targets get an open bracket: all their
    // values are collected.
    const std::size_t stride = std::size_t(std::max<std::int64_t>(kMinStride, store.size / kSampleTarget));
    std::vector<Bracket> brackets(nTargets);
    const bool sampled = store.size >= kMinStride * kWholeGroup;
    if (sampled) {
        std::vector<std::vector<std::vector<double>>> sample(std::size_t(L.parts),
                                                             std::vector<std::vector<double>>(nTargets));
        L.forEachPart([&](int p) {
            auto &sp = sample[std::size_t(p)];
            L.visit(
                p,
                [&](std::uint32_t g, double price, double perSqm) {
                    for (std::size_t idx : {std::size_t(g) * 2, ng * 2}) {
                        sp[idx].push_back(price);
                        sp[idx + 1].push_back(perSqm);
                    }
                },
                stride * kSampleRun);
        });
        L.forEachPart([&](int p) { // targets dealt out to the parts
            for (std::size_t i = std::size_t(p); i < nTargets; i += std::size_t(L.parts)) {
                std::vector<double> v = gather(sample, i);
                const auto s = std::int64_t(v.size());
                if (s * std::int64_t(stride) < kWholeGroup)
                    continue;
                const auto margin = std::int64_t(5 * std::sqrt(double(s)) / 2) + 2;
                const std::int64_t lo = s / 2 - margin, hi = s / 2 + margin;
                std::uint64_t loKey = 0, hiKey = ~std::uint64_t(0);
                if (lo > 0) {
                    std::nth_element(v.begin(), v.begin() + lo, v.end());
                    loKey = orderedKey(v[std::size_t(lo)]);
                }
                if (hi < s) {
                    std::nth_element(v.begin(), v.begin() + hi, v.end());
                    hiKey = orderedKey(v[std::size_t(hi)]);
                }
                brackets[i] = Bracket{loKey, hiKey - loKey};
            }
        });
    }

    // One pass: count the values under each bracket, collect those inside.
    // Whether a value is under its bracket is a coin toss, so it is counted
    // without a branch; falling inside the bracket is rare.
    std::vector<std::vector<std::int64_t>> below(std::size_t(L.parts), std::vector<std::int64_t>(nTargets));
    std::vector<std::vector<std::int64_t>> count(std::size_t(L.parts), std::vector<std::int64_t>(ng + 1));
    std::vector<std::vector<std::vector<double>>> inside(std::size_t(L.parts),
                                                         std::vector<std::vector<double>>(nTargets));
    L.forEachPart([&](int p) {
        std::int64_t *bl = below[std::size_t(p)].data();
        std::int64_t *cn = count[std::size_t(p)].data();
        auto &in = inside[std::size_t(p)];
        const Bracket *br = brackets.data();
        // The totals' counters stay in registers (every listing touches them).
        const Bracket totalPrice = br[ng * 2], totalPerSqm = br[ng * 2 + 1];
        std::int64_t underTotalPrice = 0, underTotalPerSqm = 0;
        auto take = [](const Bracket &b, double v, std::int64_t &under, std::vector<double> &collected) {
            const std::uint64_t k = orderedKey(v);
            under += k < b.lo;
            if (k - b.lo <= b.span) [[unlikely]]
                collected.push_back(v);
        };
        L.visit(p, [&](std::uint32_t g, double price, double perSqm) {
            ++cn[g];
            take(br[g * 2], price, bl[g * 2], in[g * 2]);
            take(br[g * 2 + 1], perSqm, bl[g * 2 + 1], in[g * 2 + 1]);
            take(totalPrice, price, underTotalPrice, in[ng * 2]);
            take(totalPerSqm, perSqm, underTotalPerSqm, in[ng * 2 + 1]);
        });
        bl[ng * 2] = underTotalPrice;
        bl[ng * 2 + 1] = underTotalPerSqm;
    });

    if (diagnostics) {
        diagnostics->collected = 0;
        for (const auto &part : inside)
            for (const auto &v : part)
                diagnostics->collected += std::int64_t(v.size());
    }
    std::vector<double> medians(nTargets, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t g = 0; g < ng; ++g)
        for (auto &c : count)
            c[ng] += c[g];
    std::vector<char> miss(nTargets, 0);
    L.forEachPart([&](int p) { // the selections, targets dealt out to the parts
        for (std::size_t i = std::size_t(p); i < nTargets; i += std::size_t(L.parts)) {
            std::int64_t n = 0, under = 0;
            for (int q = 0; q < L.parts; ++q) {
                n += count[std::size_t(q)][i / 2];
                under += below[std::size_t(q)][i];
            }
            std::vector<double> v = gather(inside, i);
            if (n == 0)
                continue;
            if (under <= (n - 1) / 2 && under + std::int64_t(v.size()) > n / 2)
                medians[i] = medianOf(v, n, under);
            else
                miss[i] = 1;
        }
    });
    std::vector<std::size_t> missed;
    for (std::size_t i = 0; i < nTargets; ++i)
        if (miss[i])
            missed.push_back(i);
    if (!missed.empty()) {
        const std::vector<double> exact = radixMedians(L);
        for (std::size_t i : missed)
            medians[i] = exact[i];
    }
    if (diagnostics) {
        diagnostics->stride = sampled ? std::int64_t(stride) : 0;
        diagnostics->bracketMisses = std::int64_t(missed.size());
    }
    for (std::size_t i = 0; i < nTargets; ++i) {
        const std::size_t g = i / 2;
        GroupRow &row = g == ng ? totals : groups[g];
        (i % 2 == 0 ? row.medianPrice : row.medianPricePerSqm) = medians[i];
    }
}

} // namespace es
