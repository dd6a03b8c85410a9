// Filtered view of the listing store for the dashboard.
//
// computeFilter() works in three parallel phases over a StoreSnapshot:
//  1. Count: every listing is tested once against the filter (per-id bool
//     tables, no string work per listing). Per thread: group statistics in a
//     flat array indexed by district * nTypes + type, in-range counts for the
//     facets, slider bounds, and the key ranges the later phases need.
//  2. Gather: the passing listings' prices and prices per m2 are written as
//     order-preserving 64-bit keys into two arrays laid out by (type,
//     district), so each group's values and each type's values are
//     contiguous; every thread writes its own slice (offsets from phase 1).
//     The display histograms, the totals' radix histograms and the scatter
//     sample are filled on the way.
//  3. Select: exact order statistics (group medians, type quartiles, the
//     totals' medians) by a radix-histogram selection that only reads the
//     gathered keys: histogram of the keys, the buckets holding the wanted
//     ranks are copied out, and std::nth_element runs on that small copy.
//     Tasks are handed out largest first to the threads.
//
// Quantiles: a median is exact (even count: mean of the two middle values);
// box-plot quartiles use linear interpolation between order statistics
// (Hyndman & Fan type 7, R's default: h = (n - 1) p); whiskers are the most
// extreme data values within 1.5 IQR of the quartiles (Tukey).
#include "filterengine.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLocale>
#include <QMetaObject>
#include <QSemaphore>
#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <mutex>
#include <numeric>

namespace es {

// ---------------------------------------------------------------------------
// Histogram
// ---------------------------------------------------------------------------

double Histogram::binLow(std::size_t i) const
{
    const std::size_t k = counts.size();
    if (k == 0 || i == 0)
        return lo;
    if (i >= k)
        return hi;
    if (logScale) {
        const double l0 = std::log10(lo);
        const double l1 = std::log10(hi);
        return std::pow(10.0, l0 + (l1 - l0) * double(i) / double(k));
    }
    return lo + (hi - lo) * double(i) / double(k);
}

double Histogram::binHigh(std::size_t i) const
{
    return binLow(i + 1);
}

namespace {

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

constexpr std::uint64_t kSignBit = 0x8000000000000000ULL;

/// Order-preserving map from double to uint64: a < b implies key(a) < key(b).
/// Gives a strict total order (NaNs at the ends), so selection on keys is safe
/// whatever the data.
inline std::uint64_t sortKey(double v) noexcept
{
    const auto u = std::bit_cast<std::uint64_t>(v);
    return u ^ (std::uint64_t(std::int64_t(u) >> 63) | kSignBit);
}

inline double fromKey(std::uint64_t k) noexcept
{
    return std::bit_cast<double>((k & kSignBit) ? (k ^ kSignBit) : ~k);
}

/// Runs fn(0) ... fn(parts - 1): part 0 on the calling thread, the others on
/// `pool` when it has a free thread, otherwise inline. Never waits on a pool
/// that could be full.
template <typename Fn>
void runParts(QThreadPool *pool, int parts, const Fn &fn)
{
    if (parts <= 1 || !pool) {
        for (int p = 0; p < parts; ++p)
            fn(p);
        return;
    }
    QSemaphore done;
    int started = 0;
    std::vector<int> inlineParts;
    for (int p = 1; p < parts; ++p) {
        const bool ok = pool->tryStart([&fn, &done, p] {
            fn(p);
            done.release();
        });
        if (ok)
            ++started;
        else
            inlineParts.push_back(p);
    }
    fn(0);
    for (int p : inlineParts)
        fn(p);
    done.acquire(started);
}

/// Bucketing of keys in [kMin, kMax] into at most 2^bits equal key ranges.
struct RadixPlan {
    std::uint64_t kMin = 0;
    unsigned shift = 0;
    std::size_t buckets = 1;

    RadixPlan() = default;
    RadixPlan(std::uint64_t lo, std::uint64_t hi, unsigned bits)
        : kMin(lo)
    {
        const std::uint64_t range = hi > lo ? hi - lo : 0;
        const auto width = unsigned(std::bit_width(range));
        shift = width > bits ? width - bits : 0;
        buckets = std::size_t(range >> shift) + 1;
    }
    std::size_t bucket(std::uint64_t k) const noexcept { return std::size_t((k - kMin) >> shift); }
};

/// Per-thread scratch for the selection phase (grows, never per listing).
struct SelectScratch {
    std::vector<std::uint32_t> hist;
    std::vector<std::uint8_t> need;
    std::vector<std::uint64_t> buf;
};

constexpr std::size_t kSmallSelect = 48;
constexpr unsigned kMaxRadixBits = 12;

/// Writes to out[i] the key of rank ranks[i] (0-based, ascending order of
/// ranks, each < n) among data[0, n). Reads `data` only. When `hist` is given
/// it must be the histogram of `data` under `plan`.
void selectKeys(const std::uint64_t *data, std::size_t n, const RadixPlan &plan,
                const std::uint32_t *hist, const std::size_t *ranks, std::size_t nr,
                std::uint64_t *out, SelectScratch &s)
{
    if (n == 0 || nr == 0)
        return;
    if (n <= kSmallSelect) {
        s.buf.assign(data, data + n);
        std::size_t from = 0;
        for (std::size_t i = 0; i < nr; ++i) {
            const std::size_t r = ranks[i];
            if (r >= from) {
                std::nth_element(s.buf.begin() + std::ptrdiff_t(from),
                                 s.buf.begin() + std::ptrdiff_t(r), s.buf.end());
                from = r + 1;
            }
            out[i] = s.buf[r];
        }
        return;
    }
    const std::size_t nb = plan.buckets;
    if (!hist) {
        s.hist.assign(nb, 0);
        std::uint32_t *h = s.hist.data();
        for (std::size_t i = 0; i < n; ++i)
            ++h[plan.bucket(data[i])];
        hist = h;
    }
    // Bucket of each rank, and where that bucket's values land in the copy.
    constexpr std::size_t kMaxRanks = 8;
    std::size_t rankBucket[kMaxRanks];
    std::size_t rankBefore[kMaxRanks]; // values in buckets below rankBucket
    Q_ASSERT(nr <= kMaxRanks);
    {
        std::size_t b = 0;
        std::size_t cum = 0;
        for (std::size_t i = 0; i < nr; ++i) {
            while (cum + hist[b] <= ranks[i]) {
                cum += hist[b];
                ++b;
            }
            rankBucket[i] = b;
            rankBefore[i] = cum;
        }
    }
    if (s.need.size() < nb)
        s.need.resize(nb, 0);
    std::size_t copied = 0;
    std::size_t offsetInCopy[kMaxRanks];
    for (std::size_t i = 0; i < nr; ++i) {
        const std::size_t b = rankBucket[i];
        if (i > 0 && rankBucket[i - 1] == b) {
            offsetInCopy[i] = offsetInCopy[i - 1];
            continue;
        }
        s.need[b] = 1;
        offsetInCopy[i] = copied;
        copied += hist[b];
    }
    if (s.buf.size() < copied + 1)
        s.buf.resize(copied + 1);
    std::uint64_t *buf = s.buf.data();
    const std::uint8_t *need = s.need.data();
    std::size_t m = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t k = data[i];
        buf[m] = k; // branch-free: the slot is kept only if the bucket is wanted
        m += need[plan.bucket(k)];
    }
    Q_ASSERT(m == copied);
    std::size_t from = 0;
    for (std::size_t i = 0; i < nr; ++i) {
        const std::size_t r = offsetInCopy[i] + (ranks[i] - rankBefore[i]);
        if (r >= from) {
            std::nth_element(buf + from, buf + r, buf + m);
            from = r + 1;
        }
        out[i] = buf[r];
    }
    for (std::size_t i = 0; i < nr; ++i)
        s.need[rankBucket[i]] = 0;
}

/// Exact median (mean of the two middle values for an even count).
double medianOfKeys(const std::uint64_t *data, std::size_t n, const RadixPlan &plan,
                    const std::uint32_t *hist, SelectScratch &s)
{
    if (n == 0)
        return std::numeric_limits<double>::quiet_NaN();
    const std::size_t ranks[2] = {(n - 1) / 2, n / 2};
    std::uint64_t keys[2] = {0, 0};
    selectKeys(data, n, plan, hist, ranks, 2, keys, s);
    const double a = fromKey(keys[0]);
    if (ranks[0] == ranks[1])
        return a;
    return (a + fromKey(keys[1])) / 2;
}

/// The bins of one display histogram and a fast way to find a value's bin:
/// a lookup table on the key gives the lowest possible bin, then at most a
/// few comparisons with the exact edges (the same edges binLow() returns).
struct BinLookup {
    RadixPlan plan;
    std::vector<std::uint8_t> lut;
    std::vector<double> edges; ///< edges[i] = binLow(i), edges[k] = NaN (stops the walk)

    void build(const Histogram &h, std::uint64_t kMin, std::uint64_t kMax)
    {
        const std::size_t k = h.counts.size();
        edges.resize(k + 1);
        for (std::size_t i = 0; i < k; ++i)
            edges[i] = h.binLow(i);
        edges[k] = std::numeric_limits<double>::quiet_NaN();
        plan = RadixPlan(kMin, kMax, kMaxRadixBits);
        lut.resize(plan.buckets);
        const std::uint64_t range = kMax - kMin;
        for (std::size_t c = 0; c < plan.buckets; ++c) {
            const std::uint64_t off = std::uint64_t(c) << plan.shift;
            const double v = fromKey(kMin + std::min(off, range));
            // Largest i < k with edges[i] <= v (0 if none).
            std::size_t b = 0;
            std::size_t lo = 1, hi = k; // search in [1, k)
            while (lo < hi) {
                const std::size_t mid = (lo + hi) / 2;
                if (v >= edges[mid]) {
                    b = mid;
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            lut[c] = std::uint8_t(b);
        }
    }
    /// Raw view for the hot loop.
    struct View {
        RadixPlan plan;
        const std::uint8_t *lut;
        const double *edges;
        std::size_t bin(double v, std::uint64_t key) const noexcept
        {
            std::size_t b = lut[plan.bucket(key)];
            while (v >= edges[b + 1])
                ++b;
            return b;
        }
    };
    View view() const { return View{plan, lut.data(), edges.data()}; }
};

QString formatBound(double v)
{
    const QLocale locale(QLocale::English, QLocale::UnitedStates);
    if (std::fabs(v) >= 100 || v == std::floor(v))
        return locale.toString(v, 'f', 0);
    return locale.toString(v, 'g', 4);
}

/// Chooses the bins for `n` values between vmin and vmax (Sturges' rule).
Histogram makeHistogram(std::int64_t n, double vmin, double vmax)
{
    Histogram h;
    if (n <= 0) {
        h.logScale = false;
        h.rule = QStringLiteral("no listings");
        return h;
    }
    const auto un = std::uint64_t(n);
    const int sturges = int(un <= 1 ? 0 : std::bit_width(un - 1)) + 1; // ceil(log2 n) + 1
    const int k = std::clamp(sturges, 10, 50);
    h.counts.assign(std::size_t(k), 0);
    const bool finite = std::isfinite(vmin) && std::isfinite(vmax);
    if (vmin == vmax || !finite) {
        const double half = (finite && vmin != 0) ? std::fabs(vmin) * 0.05 : 0.5;
        h.logScale = false;
        h.lo = finite ? vmin - half : -half;
        h.hi = finite ? vmax + half : half;
        h.rule = QStringLiteral("Sturges: %1 linear bins around %2 (a single value)")
                     .arg(k)
                     .arg(formatBound(vmin));
        return h;
    }
    h.lo = vmin;
    h.hi = vmax;
    h.logScale = vmin > 0;
    h.rule = QStringLiteral("Sturges: %1 %2 bins over %3\u2013%4")
                 .arg(k)
                 .arg(h.logScale ? QStringLiteral("log-spaced") : QStringLiteral("linear"))
                 .arg(formatBound(vmin), formatBound(vmax));
    return h;
}

// ---------------------------------------------------------------------------
// The passes
// ---------------------------------------------------------------------------

/// Per-group accumulator of phase 1 (min/max kept as keys).
struct Acc {
    std::uint64_t count = 0;
    double sumPrice = 0;
    double sumArea = 0;
    double sumPricePerSqm = 0;
    std::uint64_t pkMin = ~std::uint64_t(0), pkMax = 0; // price keys
    std::uint64_t qkMin = ~std::uint64_t(0), qkMax = 0; // price-per-m2 keys
    std::uint64_t akMin = ~std::uint64_t(0), akMax = 0; // area keys

    void merge(const Acc &o) noexcept
    {
        count += o.count;
        sumPrice += o.sumPrice;
        sumArea += o.sumArea;
        sumPricePerSqm += o.sumPricePerSqm;
        pkMin = std::min(pkMin, o.pkMin);
        pkMax = std::max(pkMax, o.pkMax);
        qkMin = std::min(qkMin, o.qkMin);
        qkMax = std::max(qkMax, o.qkMax);
        akMin = std::min(akMin, o.akMin);
        akMax = std::max(akMax, o.akMax);
    }
};

/// Trash slots absorb the listings that fail the filter (branch-free loop);
/// several of them so consecutive failures do not form one dependency chain.
constexpr std::size_t kTrashSlots = 4;

struct Part1 {
    std::vector<Acc> acc;              ///< nGroups + kTrashSlots
    std::vector<std::int64_t> inRange; ///< nGroups + 1: in price/area range, any category
    double seenPriceMin = std::numeric_limits<double>::infinity();
    double seenPriceMax = -std::numeric_limits<double>::infinity();
    double seenAreaMin = std::numeric_limits<double>::infinity();
    double seenAreaMax = -std::numeric_limits<double>::infinity();
};

struct Part2 {
    std::vector<std::uint32_t> totalPriceHist;
    std::vector<std::uint32_t> totalPpsqmHist;
    std::vector<std::int64_t> priceBins;
    std::vector<std::int64_t> areaBins;
    std::vector<std::size_t> cursor; ///< by group: next write position
};

struct Context {
    const StoreSnapshot *store = nullptr;
    std::vector<std::int64_t> blockStart; ///< first row of each block, plus the total
    std::size_t nD = 0, nT = 0, nG = 0;
    std::vector<std::uint8_t> groupVisible; ///< nG + 1 (last: unknown ids)
    double priceLo = 0, priceHi = 0, areaLo = 0, areaHi = 0;

    /// Calls fn(block, from, to) for the rows [begin, end) of the store.
    template <typename Fn>
    void forRows(std::int64_t begin, std::int64_t end, const Fn &fn) const
    {
        if (begin >= end)
            return;
        auto it = std::upper_bound(blockStart.begin(), blockStart.end(), begin);
        std::size_t b = std::size_t(it - blockStart.begin()) - 1;
        while (begin < end && b < store->blocks.size()) {
            const std::int64_t bs = blockStart[b];
            const std::int64_t be = blockStart[b + 1];
            const std::int64_t to = std::min(end, be);
            if (to > begin)
                fn(*store->blocks[b], std::size_t(begin - bs), std::size_t(to - bs));
            begin = to;
            ++b;
        }
    }
};

/// The filter test shared by both passes (they must agree exactly). Taken by
/// value into the loops, so stores to the outputs cannot force reloads.
struct Predicate {
    const std::uint8_t *visible; ///< by group, nG + 1 entries
    std::size_t nD, nT, nG;
    double priceLo, priceHi, areaLo, areaHi;

    explicit Predicate(const Context &c)
        : visible(c.groupVisible.data()), nD(c.nD), nT(c.nT), nG(c.nG)
        , priceLo(c.priceLo), priceHi(c.priceHi), areaLo(c.areaLo), areaHi(c.areaHi)
    {
    }
    /// Flat group index, or nG for ids outside the name lists.
    std::size_t group(std::size_t d, std::size_t t) const noexcept
    {
        return (d < nD && t < nT) ? d * nT + t : nG;
    }
    bool inRange(double p, double a) const noexcept
    {
        return (p >= priceLo) & (p <= priceHi) & (a >= areaLo) & (a <= areaHi);
    }
    bool passes(bool inRangeFlag, std::size_t g) const noexcept { return inRangeFlag & bool(visible[g]); }
};

void pass1(const Context &c, const ListingBlock &blk, std::size_t from, std::size_t to, Part1 &out)
{
    const std::uint16_t *D = blk.district.data();
    const std::uint16_t *T = blk.type.data();
    const double *P = blk.price.data();
    const double *A = blk.area.data();
    Acc *acc = out.acc.data();
    std::int64_t *inRangeCount = out.inRange.data();
    const Predicate pred(c);
    const std::size_t nG = c.nG;
    double pMin = out.seenPriceMin, pMax = out.seenPriceMax;
    double aMin = out.seenAreaMin, aMax = out.seenAreaMax;
    for (std::size_t i = from; i < to; ++i) {
        const double p = P[i];
        const double a = A[i];
        pMin = p < pMin ? p : pMin;
        pMax = p > pMax ? p : pMax;
        aMin = a < aMin ? a : aMin;
        aMax = a > aMax ? a : aMax;
        const std::size_t g = pred.group(D[i], T[i]);
        const bool inR = pred.inRange(p, a);
        inRangeCount[g] += inR;
        // Branch-free: half the listings may fail a mid-range slider, at random.
        const std::size_t keep = std::size_t(0) - std::size_t(pred.passes(inR, g));
        const std::size_t slot = (g & keep) | ((nG + (i & (kTrashSlots - 1))) & ~keep);
        Acc &s = acc[slot];
        const double q = p / a;
        const std::uint64_t pk = sortKey(p), qk = sortKey(q), ak = sortKey(a);
        ++s.count;
        s.sumPrice += p;
        s.sumArea += a;
        s.sumPricePerSqm += q;
        s.pkMin = std::min(s.pkMin, pk);
        s.pkMax = std::max(s.pkMax, pk);
        s.qkMin = std::min(s.qkMin, qk);
        s.qkMax = std::max(s.qkMax, qk);
        s.akMin = std::min(s.akMin, ak);
        s.akMax = std::max(s.akMax, ak);
    }
    out.seenPriceMin = pMin;
    out.seenPriceMax = pMax;
    out.seenAreaMin = aMin;
    out.seenAreaMax = aMax;
}

struct Gather {
    std::uint64_t *priceKeys = nullptr;
    std::uint64_t *ppsqmKeys = nullptr;
    RadixPlan totalPricePlan, totalPpsqmPlan;
    BinLookup priceBins, areaBins;
    ScatterPoint *scatter = nullptr;
    std::uint64_t scatterCount = 0; ///< points to take
    std::uint64_t passing = 0;      ///< passing listings in all
};

/// Rank (among passing listings) of scatter point j.
inline std::uint64_t scatterRank(std::uint64_t j, std::uint64_t m, std::uint64_t n)
{
    return j < m ? j * n / m : std::numeric_limits<std::uint64_t>::max();
}

void pass2(const Context &c, const Gather &gt, const ListingBlock &blk, std::size_t from,
           std::size_t to, Part2 &out, std::uint64_t &rank, std::uint64_t &nextPoint)
{
    const std::uint16_t *D = blk.district.data();
    const std::uint16_t *T = blk.type.data();
    const double *P = blk.price.data();
    const double *A = blk.area.data();
    // Locals: the stores below could alias the members they come from.
    const Predicate pred(c);
    std::uint64_t *const outPrice = gt.priceKeys;
    std::uint64_t *const outPpsqm = gt.ppsqmKeys;
    const RadixPlan planPrice = gt.totalPricePlan, planPpsqm = gt.totalPpsqmPlan;
    const BinLookup::View binPrice = gt.priceBins.view(), binArea = gt.areaBins.view();
    std::size_t *cursor = out.cursor.data();
    std::uint32_t *hp = out.totalPriceHist.data();
    std::uint32_t *hq = out.totalPpsqmHist.data();
    std::int64_t *bp = out.priceBins.data();
    std::int64_t *ba = out.areaBins.data();
    std::uint64_t target = scatterRank(nextPoint, gt.scatterCount, gt.passing);
    for (std::size_t i = from; i < to; ++i) {
        const double p = P[i];
        const double a = A[i];
        const std::size_t g = pred.group(D[i], T[i]);
        if (!pred.passes(pred.inRange(p, a), g))
            continue;
        const double q = p / a;
        const std::uint64_t pk = sortKey(p), qk = sortKey(q), ak = sortKey(a);
        const std::size_t at = cursor[g]++;
        outPrice[at] = pk;
        outPpsqm[at] = qk;
        ++hp[planPrice.bucket(pk)];
        ++hq[planPpsqm.bucket(qk)];
        ++bp[binPrice.bin(p, pk)];
        ++ba[binArea.bin(a, ak)];
        if (rank == target) [[unlikely]] {
            gt.scatter[nextPoint] = ScatterPoint{a, p, T[i]};
            ++nextPoint;
            target = scatterRank(nextPoint, gt.scatterCount, gt.passing);
        }
        ++rank;
    }
}

/// The gathered keys of one computation: 2 x 8 bytes per passing listing.
/// Freshly mapped memory costs a page fault per 4 KiB on first touch (about
/// 5 ms per 16 MB here, more than the whole gather pass), so the largest
/// buffer is kept for the next call. FilterRunner runs one computation at a
/// time, so it always finds it; concurrent callers simply allocate.
class KeyBuffer {
public:
    explicit KeyBuffer(std::size_t keys)
    {
        {
            const std::lock_guard lock(s_mutex);
            if (s_capacity >= keys) {
                m_data = std::move(s_cached);
                m_capacity = s_capacity;
                s_capacity = 0;
                return;
            }
        }
        // Room to grow while the stream appends listings.
        m_capacity = keys + keys / 8;
        m_data.reset(new std::uint64_t[m_capacity]);
    }
    ~KeyBuffer()
    {
        std::unique_ptr<std::uint64_t[]> drop;
        const std::lock_guard lock(s_mutex);
        if (m_capacity >= s_capacity) {
            drop = std::move(s_cached); // freed after the lock (declared first)
            s_cached = std::move(m_data);
            s_capacity = m_capacity;
        }
    }
    KeyBuffer(const KeyBuffer &) = delete;
    KeyBuffer &operator=(const KeyBuffer &) = delete;
    std::uint64_t *data() const { return m_data.get(); }

private:
    std::unique_ptr<std::uint64_t[]> m_data;
    std::size_t m_capacity = 0;
    static inline std::mutex s_mutex;
    static inline std::unique_ptr<std::uint64_t[]> s_cached;
    static inline std::size_t s_capacity = 0;
};

/// Type-7 quantile from the order statistics lo and lo+1 (frac = h - lo).
inline double interpolate(double xlo, double xhi, double frac)
{
    return frac == 0 ? xlo : xlo + frac * (xhi - xlo);
}

struct BoxTask {
    std::size_t type = 0;
    std::size_t begin = 0, end = 0;
    std::uint64_t kMin = 0, kMax = 0;
};

BoxStats boxStats(const std::uint64_t *keys, const BoxTask &task, SelectScratch &s)
{
    BoxStats box;
    const std::size_t n = task.end - task.begin;
    box.count = std::int64_t(n);
    const std::uint64_t *data = keys + task.begin;
    // Order statistics needed: q1 (lo1, lo1+1), median, q3 (lo3, lo3+1).
    const std::size_t h1 = (n - 1), lo1 = h1 / 4, lo3 = 3 * h1 / 4;
    const double frac1 = double(h1 % 4) / 4.0;
    const double frac3 = double((3 * h1) % 4) / 4.0;
    const std::size_t want[6] = {lo1, std::min(lo1 + 1, n - 1), (n - 1) / 2, n / 2,
                                 lo3, std::min(lo3 + 1, n - 1)};
    std::size_t ranks[6];
    std::copy(std::begin(want), std::end(want), ranks);
    std::sort(ranks, ranks + 6);
    const std::size_t nr = std::size_t(std::unique(ranks, ranks + 6) - ranks);
    std::uint64_t got[6] = {};
    const RadixPlan plan(task.kMin, task.kMax, std::min<unsigned>(
                             kMaxRadixBits, unsigned(std::max(4, int(std::bit_width(n)) - 3))));
    selectKeys(data, n, plan, nullptr, ranks, nr, got, s);
    auto value = [&](std::size_t r) {
        const std::size_t i = std::size_t(std::lower_bound(ranks, ranks + nr, r) - ranks);
        return fromKey(got[i]);
    };
    box.q1 = interpolate(value(want[0]), value(want[1]), frac1);
    box.median = want[2] == want[3] ? value(want[2]) : (value(want[2]) + value(want[3])) / 2;
    box.q3 = interpolate(value(want[4]), value(want[5]), frac3);
    const double iqr = box.q3 - box.q1;
    const double lowFence = box.q1 - 1.5 * iqr;
    const double highFence = box.q3 + 1.5 * iqr;
    // Keys of the fences; -0.0 and +0.0 compare equal as doubles.
    const std::uint64_t kLo = lowFence == 0 ? sortKey(-0.0) : sortKey(lowFence);
    const std::uint64_t kHi = highFence == 0 ? sortKey(0.0) : sortKey(highFence);
    std::uint64_t lw = task.kMin, uw = task.kMax;
    const bool scanLow = task.kMin < kLo;
    const bool scanHigh = task.kMax > kHi;
    if (scanLow || scanHigh) {
        lw = ~std::uint64_t(0);
        uw = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint64_t k = data[i];
            lw = (k >= kLo && k < lw) ? k : lw;
            uw = (k <= kHi && k > uw) ? k : uw;
        }
        if (!scanLow)
            lw = task.kMin;
        if (!scanHigh)
            uw = task.kMax;
    }
    box.lowerWhisker = fromKey(lw);
    box.upperWhisker = fromKey(uw);
    return box;
}

std::shared_ptr<FilterResult> compute(const StoreSnapshot &store, const FilterState &filter,
                                      QThreadPool *pool, int threads)
{
    QElapsedTimer timer;
    timer.start();
    auto result = std::make_shared<FilterResult>();
    FilterResult &r = *result;
    r.storeSize = store.size;
    r.districts = store.districts;
    r.types = store.types;
    r.totals.district = QStringLiteral("All");
    r.totals.type = QStringLiteral("All");

    Context c;
    c.store = &store;
    c.nD = std::size_t(store.districts.size());
    c.nT = std::size_t(store.types.size());
    c.nG = c.nD * c.nT;
    c.priceLo = filter.priceMin;
    c.priceHi = filter.priceMax;
    c.areaLo = filter.areaMin;
    c.areaHi = filter.areaMax;
    std::vector<std::uint8_t> districtVisible(c.nD), typeVisible(c.nT);
    for (std::size_t d = 0; d < c.nD; ++d)
        districtVisible[d] = !filter.hiddenDistricts.contains(store.districts[qsizetype(d)]);
    for (std::size_t t = 0; t < c.nT; ++t)
        typeVisible[t] = !filter.hiddenTypes.contains(store.types[qsizetype(t)]);
    c.groupVisible.assign(c.nG + 1, 0);
    for (std::size_t d = 0; d < c.nD; ++d)
        for (std::size_t t = 0; t < c.nT; ++t)
            c.groupVisible[d * c.nT + t] = districtVisible[d] & typeVisible[t];
    c.blockStart.reserve(store.blocks.size() + 1);
    std::int64_t rows = 0;
    for (const auto &b : store.blocks) {
        c.blockStart.push_back(rows);
        rows += std::int64_t(b ? b->size() : 0);
    }
    c.blockStart.push_back(rows);
    r.districtCounts.assign(c.nD, 0);
    r.typeCounts.assign(c.nT, 0);

    constexpr std::int64_t kMinRowsPerPart = 1 << 15;
    const int parts = int(std::clamp<std::int64_t>(
        std::min<std::int64_t>(threads, rows / kMinRowsPerPart), 1, std::max(1, threads)));
    std::vector<std::int64_t> partBegin(std::size_t(parts) + 1);
    for (int p = 0; p <= parts; ++p)
        partBegin[std::size_t(p)] = rows * p / parts;

    // ---- Phase 1: count ----------------------------------------------------
    std::vector<Part1> p1(static_cast<std::size_t>(parts));
    runParts(pool, parts, [&](int p) {
        Part1 &part = p1[std::size_t(p)];
        part.acc.assign(c.nG + kTrashSlots, Acc{});
        part.inRange.assign(c.nG + 1, 0);
        c.forRows(partBegin[std::size_t(p)], partBegin[std::size_t(p) + 1],
                  [&](const ListingBlock &blk, std::size_t from, std::size_t to) {
                      pass1(c, blk, from, to, part);
                  });
    });

    std::vector<Acc> groups(c.nG);
    std::vector<std::int64_t> inRange(c.nG, 0);
    double seenPMin = std::numeric_limits<double>::infinity(), seenPMax = -seenPMin;
    double seenAMin = seenPMin, seenAMax = -seenPMin;
    for (const Part1 &part : p1) {
        for (std::size_t g = 0; g < c.nG; ++g) {
            groups[g].merge(part.acc[g]);
            inRange[g] += part.inRange[g];
        }
        seenPMin = std::min(seenPMin, part.seenPriceMin);
        seenPMax = std::max(seenPMax, part.seenPriceMax);
        seenAMin = std::min(seenAMin, part.seenAreaMin);
        seenAMax = std::max(seenAMax, part.seenAreaMax);
    }
    if (rows > 0) {
        r.seenPriceMin = seenPMin;
        r.seenPriceMax = seenPMax;
        r.seenAreaMin = seenAMin;
        r.seenAreaMax = seenAMax;
    }
    for (std::size_t d = 0; d < c.nD; ++d) {
        for (std::size_t t = 0; t < c.nT; ++t) {
            const std::int64_t n = inRange[d * c.nT + t];
            if (typeVisible[t])
                r.districtCounts[d] += n;
            if (districtVisible[d])
                r.typeCounts[t] += n;
        }
    }
    Acc total;
    for (const Acc &a : groups)
        total.merge(a);
    const std::uint64_t passing = total.count;
    auto statsOf = [](const Acc &a) {
        GroupStats s;
        s.count = a.count;
        s.sumPrice = a.sumPrice;
        s.sumArea = a.sumArea;
        s.sumPricePerSqm = a.sumPricePerSqm;
        if (a.count > 0) {
            s.minPrice = fromKey(a.pkMin);
            s.maxPrice = fromKey(a.pkMax);
        }
        return s;
    };
    r.totals.stats = statsOf(total);
    r.priceHistogram = makeHistogram(std::int64_t(passing), fromKey(total.pkMin), fromKey(total.pkMax));
    r.areaHistogram = makeHistogram(std::int64_t(passing), fromKey(total.akMin), fromKey(total.akMax));

    if (passing > 0) {
        // ---- Phase 2: gather -------------------------------------------------
        // Layout by (type, district): group (d, t) at order t * nD + d.
        std::vector<std::size_t> groupBegin(c.nG), typeBegin(c.nT + 1);
        std::size_t at = 0;
        for (std::size_t t = 0; t < c.nT; ++t) {
            typeBegin[t] = at;
            for (std::size_t d = 0; d < c.nD; ++d) {
                groupBegin[d * c.nT + t] = at;
                at += groups[d * c.nT + t].count;
            }
        }
        typeBegin[c.nT] = at;
        const KeyBuffer keyBuffer(2 * std::size_t(passing));
        std::uint64_t *const priceKeys = keyBuffer.data();
        std::uint64_t *const ppsqmKeys = priceKeys + passing;
        const auto m = std::min<std::uint64_t>(passing, FilterResult::kScatterMax);
        r.scatter.resize(std::size_t(m));

        Gather gt;
        gt.priceKeys = priceKeys;
        gt.ppsqmKeys = ppsqmKeys;
        gt.totalPricePlan = RadixPlan(total.pkMin, total.pkMax, kMaxRadixBits);
        gt.totalPpsqmPlan = RadixPlan(total.qkMin, total.qkMax, kMaxRadixBits);
        gt.priceBins.build(r.priceHistogram, total.pkMin, total.pkMax);
        gt.areaBins.build(r.areaHistogram, total.akMin, total.akMax);
        gt.scatter = r.scatter.data();
        gt.scatterCount = m;
        gt.passing = passing;

        std::vector<Part2> p2(static_cast<std::size_t>(parts));
        std::vector<std::uint64_t> rankStart(std::size_t(parts), 0);
        {
            std::vector<std::size_t> cursor(groupBegin);
            std::uint64_t rank = 0;
            for (int p = 0; p < parts; ++p) {
                Part2 &part = p2[std::size_t(p)];
                part.cursor = cursor;
                rankStart[std::size_t(p)] = rank;
                const Part1 &prev = p1[std::size_t(p)];
                for (std::size_t g = 0; g < c.nG; ++g) {
                    cursor[g] += prev.acc[g].count;
                    rank += prev.acc[g].count;
                }
            }
        }
        runParts(pool, parts, [&](int p) {
            Part2 &part = p2[std::size_t(p)];
            part.totalPriceHist.assign(gt.totalPricePlan.buckets, 0);
            part.totalPpsqmHist.assign(gt.totalPpsqmPlan.buckets, 0);
            part.priceBins.assign(r.priceHistogram.counts.size(), 0);
            part.areaBins.assign(r.areaHistogram.counts.size(), 0);
            std::uint64_t rank = rankStart[std::size_t(p)];
            // First scatter point at or after this part's first rank: j >= rank * m / n.
            std::uint64_t next = (rank * m + passing - 1) / passing;
            c.forRows(partBegin[std::size_t(p)], partBegin[std::size_t(p) + 1],
                      [&](const ListingBlock &blk, std::size_t from, std::size_t to) {
                          pass2(c, gt, blk, from, to, part, rank, next);
                      });
        });
        std::vector<std::uint32_t> totalPriceHist(gt.totalPricePlan.buckets, 0);
        std::vector<std::uint32_t> totalPpsqmHist(gt.totalPpsqmPlan.buckets, 0);
        for (const Part2 &part : p2) {
            for (std::size_t i = 0; i < totalPriceHist.size(); ++i)
                totalPriceHist[i] += part.totalPriceHist[i];
            for (std::size_t i = 0; i < totalPpsqmHist.size(); ++i)
                totalPpsqmHist[i] += part.totalPpsqmHist[i];
            for (std::size_t i = 0; i < part.priceBins.size(); ++i)
                r.priceHistogram.counts[i] += part.priceBins[i];
            for (std::size_t i = 0; i < part.areaBins.size(); ++i)
                r.areaHistogram.counts[i] += part.areaBins[i];
        }

        // ---- Phase 3: select -------------------------------------------------
        std::vector<std::size_t> liveGroups;
        for (std::size_t g = 0; g < c.nG; ++g)
            if (groups[g].count > 0)
                liveGroups.push_back(g);
        std::vector<BoxTask> boxTasks;
        for (std::size_t t = 0; t < c.nT; ++t) {
            if (typeBegin[t + 1] == typeBegin[t])
                continue;
            BoxTask bt;
            bt.type = t;
            bt.begin = typeBegin[t];
            bt.end = typeBegin[t + 1];
            bt.kMin = ~std::uint64_t(0);
            for (std::size_t d = 0; d < c.nD; ++d) {
                const Acc &a = groups[d * c.nT + t];
                if (a.count == 0)
                    continue;
                bt.kMin = std::min(bt.kMin, a.qkMin);
                bt.kMax = std::max(bt.kMax, a.qkMax);
            }
            boxTasks.push_back(bt);
        }
        std::vector<double> medPrice(c.nG), medPpsqm(c.nG);
        std::vector<BoxStats> boxes(boxTasks.size());
        // Task ids: 0 = totals' price, 1 = totals' price per m2, then boxes, then groups.
        struct Task {
            std::size_t cost;
            std::size_t id;
        };
        std::vector<Task> tasks;
        tasks.push_back({std::size_t(passing), 0});
        tasks.push_back({std::size_t(passing), 1});
        for (std::size_t i = 0; i < boxTasks.size(); ++i)
            tasks.push_back({3 * (boxTasks[i].end - boxTasks[i].begin), 2 + i});
        for (std::size_t i = 0; i < liveGroups.size(); ++i)
            tasks.push_back({4 * groups[liveGroups[i]].count, 2 + boxTasks.size() + i});
        std::sort(tasks.begin(), tasks.end(),
                  [](const Task &a, const Task &b) { return a.cost > b.cost; });
        std::atomic<std::size_t> nextTask{0};
        std::vector<SelectScratch> scratch(static_cast<std::size_t>(parts));
        runParts(pool, parts, [&](int p) {
            SelectScratch &s = scratch[std::size_t(p)];
            for (;;) {
                const std::size_t k = nextTask.fetch_add(1, std::memory_order_relaxed);
                if (k >= tasks.size())
                    break;
                const std::size_t id = tasks[k].id;
                if (id == 0) {
                    r.totals.medianPrice = medianOfKeys(priceKeys, passing, gt.totalPricePlan,
                                                        totalPriceHist.data(), s);
                } else if (id == 1) {
                    r.totals.medianPricePerSqm = medianOfKeys(
                        ppsqmKeys, passing, gt.totalPpsqmPlan, totalPpsqmHist.data(), s);
                } else if (id < 2 + boxTasks.size()) {
                    const std::size_t i = id - 2;
                    boxes[i] = boxStats(ppsqmKeys, boxTasks[i], s);
                    boxes[i].label = store.types[qsizetype(boxTasks[i].type)];
                } else {
                    const std::size_t g = liveGroups[id - 2 - boxTasks.size()];
                    const Acc &a = groups[g];
                    const std::size_t n = a.count;
                    const unsigned bits = std::min<unsigned>(
                        kMaxRadixBits, unsigned(std::max(4, int(std::bit_width(n)) - 3)));
                    medPrice[g] = medianOfKeys(priceKeys + groupBegin[g], n,
                                               RadixPlan(a.pkMin, a.pkMax, bits), nullptr, s);
                    medPpsqm[g] = medianOfKeys(ppsqmKeys + groupBegin[g], n,
                                               RadixPlan(a.qkMin, a.qkMax, bits), nullptr, s);
                }
            }
        });

        r.groups.reserve(liveGroups.size());
        for (std::size_t g : liveGroups) {
            GroupRow row;
            row.district = store.districts[qsizetype(g / c.nT)];
            row.type = store.types[qsizetype(g % c.nT)];
            row.stats = statsOf(groups[g]);
            row.medianPrice = medPrice[g];
            row.medianPricePerSqm = medPpsqm[g];
            r.groups.push_back(std::move(row));
        }
        std::sort(r.groups.begin(), r.groups.end(), [](const GroupRow &a, const GroupRow &b) {
            const int cd = a.district.compare(b.district);
            return cd != 0 ? cd < 0 : a.type.compare(b.type) < 0;
        });
        std::sort(boxes.begin(), boxes.end(), [](const BoxStats &a, const BoxStats &b) {
            return a.label.compare(b.label) < 0;
        });
        r.pricePerSqmByType = std::move(boxes);
    }
    r.computeMillis = double(timer.nsecsElapsed()) / 1e6;
    return result;
}

} // namespace

FilterResultPtr computeFilter(const StoreSnapshot &store, const FilterState &filter,
                              QThreadPool *pool, int threads)
{
    return compute(store, filter, pool, threads);
}

// ---------------------------------------------------------------------------
// FilterRunner
// ---------------------------------------------------------------------------

FilterRunner::FilterRunner(QObject *parent)
    : QObject(parent)
    , m_pool(new QThreadPool(this))
{
    qRegisterMetaType<es::FilterResultPtr>();
    // One thread runs the job itself; the others take its parallel parts.
    m_pool->setMaxThreadCount(QThread::idealThreadCount() + 1);
}

FilterRunner::~FilterRunner()
{
    // The job's completion is queued to this object: once the pool is done,
    // ~QObject drops any such event still posted.
    m_pool->waitForDone();
}

quint64 FilterRunner::request(const es::StoreSnapshotPtr &store, const es::FilterState &filter)
{
    const quint64 generation = ++m_generation;
    m_pending = Pending{store, filter, generation};
    m_hasPending = true;
    if (!m_running)
        launch();
    return generation;
}

void FilterRunner::launch()
{
    if (!m_hasPending)
        return;
    Pending job = std::move(m_pending);
    m_pending = Pending{};
    m_hasPending = false;
    m_running = true;
    QThreadPool *pool = m_pool;
    const int threads = QThread::idealThreadCount();
    m_pool->start([this, job = std::move(job), pool, threads] {
        static const StoreSnapshot empty;
        std::shared_ptr<FilterResult> result =
            compute(job.store ? *job.store : empty, job.filter, pool, threads);
        result->generation = job.generation;
        FilterResultPtr done = std::move(result);
        QMetaObject::invokeMethod(
            this,
            [this, done] {
                m_running = false;
                if (done->generation == m_generation)
                    Q_EMIT resultReady(done);
                launch();
            },
            Qt::QueuedConnection);
    });
}

void FilterRunner::waitForIdle()
{
    while (m_running || m_hasPending) {
        if (!m_running)
            launch();
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
}

} // namespace es
