// computeFilter and FilterRunner against a plain reference computation
// written here with straightforward loops and std::sort.
#include "filterengine.h"
#include "listingstore.h"
#include "testutil.h"

#include <QCoreApplication>
#include <QSemaphore>
#include <QThreadPool>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <utility>
#include <vector>

using namespace es;

namespace {

struct Listing {
    std::uint16_t district;
    std::uint16_t type;
    double price;
    double area;
};

struct TestStore {
    std::vector<Listing> listings; ///< in append order
    StoreSnapshotPtr snapshot;
};

/// Names deliberately not in id order, so sorting by name is visible.
QStringList makeNames(const QString &prefix, int count)
{
    QStringList names;
    for (int i = 0; i < count; ++i)
        names << QStringLiteral("%1 %2").arg(prefix).arg((i * 7 + 3) % count, 2, 10, QLatin1Char('0'));
    return names;
}

TestStore buildStore(const std::vector<Listing> &listings, const QStringList &districts,
                     const QStringList &types)
{
    ListingStore store;
    for (const Listing &l : listings)
        store.append(l.district, l.type, l.price, l.area);
    return TestStore{listings, store.snapshot(districts, types)};
}

/// Random listings with a fixed seed; prices rounded to 1,000 so ties occur.
TestStore randomStore(std::size_t n, int nDistricts, int nTypes, unsigned seed)
{
    std::mt19937_64 rng(seed);
    std::lognormal_distribution<double> price(std::log(250000.0), 0.8);
    std::lognormal_distribution<double> area(std::log(100.0), 0.6);
    // Skewed group sizes: some groups large, some tiny.
    std::vector<double> districtWeights, typeWeights;
    for (int i = 0; i < nDistricts; ++i)
        districtWeights.push_back(1.0 / (1 + i));
    for (int i = 0; i < nTypes; ++i)
        typeWeights.push_back(1.0 / (1 + i * i));
    std::discrete_distribution<int> district(districtWeights.begin(), districtWeights.end());
    std::discrete_distribution<int> type(typeWeights.begin(), typeWeights.end());
    std::vector<Listing> listings;
    listings.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        Listing l;
        l.district = std::uint16_t(district(rng));
        l.type = std::uint16_t(type(rng));
        l.price = std::max(1000.0, std::round(price(rng) / 1000.0) * 1000.0);
        l.area = std::max(10.0, std::round(area(rng)));
        listings.push_back(l);
    }
    return buildStore(listings, makeNames(QStringLiteral("District"), nDistricts),
                      makeNames(QStringLiteral("Type"), nTypes));
}

// ---- the reference ----------------------------------------------------------

double sortedMedian(const std::vector<double> &s)
{
    const std::size_t n = s.size();
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/// Linear interpolation between order statistics (Hyndman & Fan type 7).
double sortedQuantile(const std::vector<double> &s, double p)
{
    const double h = double(s.size() - 1) * p;
    const auto lo = std::size_t(std::floor(h));
    const std::size_t hi = std::min(lo + 1, s.size() - 1);
    return s[lo] + (h - double(lo)) * (s[hi] - s[lo]);
}

struct Reference {
    std::vector<Listing> passing; // store order
    std::map<std::pair<QString, QString>, std::vector<Listing>> groups;
    std::map<QString, std::vector<double>> ppsqmByType; // sorted values
    std::vector<std::int64_t> districtCounts, typeCounts;
    double seenPriceMin = 0, seenPriceMax = 0, seenAreaMin = 0, seenAreaMax = 0;
};

Reference reference(const TestStore &ts, const FilterState &f)
{
    const QStringList &dn = ts.snapshot->districts;
    const QStringList &tn = ts.snapshot->types;
    Reference ref;
    ref.districtCounts.assign(std::size_t(dn.size()), 0);
    ref.typeCounts.assign(std::size_t(tn.size()), 0);
    bool first = true;
    for (const Listing &l : ts.listings) {
        if (first) {
            ref.seenPriceMin = ref.seenPriceMax = l.price;
            ref.seenAreaMin = ref.seenAreaMax = l.area;
            first = false;
        }
        ref.seenPriceMin = std::min(ref.seenPriceMin, l.price);
        ref.seenPriceMax = std::max(ref.seenPriceMax, l.price);
        ref.seenAreaMin = std::min(ref.seenAreaMin, l.area);
        ref.seenAreaMax = std::max(ref.seenAreaMax, l.area);
        const QString &d = dn[l.district];
        const QString &t = tn[l.type];
        const bool inRange = l.price >= f.priceMin && l.price <= f.priceMax
                             && l.area >= f.areaMin && l.area <= f.areaMax;
        const bool districtShown = !f.hiddenDistricts.contains(d);
        const bool typeShown = !f.hiddenTypes.contains(t);
        if (inRange && typeShown)
            ++ref.districtCounts[l.district];
        if (inRange && districtShown)
            ++ref.typeCounts[l.type];
        if (inRange && districtShown && typeShown) {
            ref.passing.push_back(l);
            ref.groups[{d, t}].push_back(l);
            ref.ppsqmByType[t].push_back(l.price / l.area);
        }
    }
    for (auto &entry : ref.ppsqmByType)
        std::sort(entry.second.begin(), entry.second.end());
    return ref;
}

struct RefRow {
    GroupStats stats;
    double medianPrice = 0;
    double medianPpsqm = 0;
};

RefRow referenceRow(const std::vector<Listing> &ls)
{
    RefRow row;
    std::vector<double> prices, ppsqm;
    for (const Listing &l : ls) {
        row.stats.count += 1;
        row.stats.sumPrice += l.price;
        row.stats.sumArea += l.area;
        row.stats.sumPricePerSqm += l.price / l.area;
        row.stats.minPrice = std::min(row.stats.minPrice, l.price);
        row.stats.maxPrice = std::max(row.stats.maxPrice, l.price);
        prices.push_back(l.price);
        ppsqm.push_back(l.price / l.area);
    }
    std::sort(prices.begin(), prices.end());
    std::sort(ppsqm.begin(), ppsqm.end());
    if (!ls.empty()) {
        row.medianPrice = sortedMedian(prices);
        row.medianPpsqm = sortedMedian(ppsqm);
    }
    return row;
}

// ---- comparisons ------------------------------------------------------------

void expectRel(double got, double want, const char *what)
{
    EXPECT_LE(std::fabs(got - want), 1e-9 * std::max(1.0, std::fabs(want)))
        << what << ": got " << got << ", want " << want;
}

void expectStats(const GroupStats &got, const GroupStats &want)
{
    EXPECT_EQ(got.count, want.count);
    expectRel(got.sumPrice, want.sumPrice, "sumPrice");
    expectRel(got.sumArea, want.sumArea, "sumArea");
    expectRel(got.sumPricePerSqm, want.sumPricePerSqm, "sumPricePerSqm");
    if (want.count > 0) {
        EXPECT_EQ(got.minPrice, want.minPrice);
        EXPECT_EQ(got.maxPrice, want.maxPrice);
    }
}

int sturgesBins(std::size_t n)
{
    return std::clamp(int(std::ceil(std::log2(double(n)))) + 1, 10, 50);
}

void expectHistogram(const Histogram &h, std::vector<double> values, const char *what)
{
    SCOPED_TRACE(what);
    if (values.empty()) {
        EXPECT_TRUE(h.counts.empty());
        return;
    }
    const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
    const std::size_t k = h.counts.size();
    ASSERT_EQ(int(k), sturgesBins(values.size()));
    EXPECT_TRUE(h.rule.startsWith(QStringLiteral("Sturges: %1 ").arg(k))) << h.rule.toStdString();
    if (*mn < *mx) {
        EXPECT_EQ(h.lo, *mn);
        EXPECT_EQ(h.hi, *mx);
        EXPECT_EQ(h.logScale, *mn > 0);
        if (h.logScale) {
            EXPECT_TRUE(h.rule.contains(QStringLiteral("log-spaced")));
            for (std::size_t i = 0; i < k; ++i) {
                const double want = h.lo * std::pow(h.hi / h.lo, double(i) / double(k));
                EXPECT_NEAR(h.binLow(i), want, 1e-9 * want);
            }
        }
    } else {
        EXPECT_LT(h.lo, *mn); // a single value sits inside a narrow range
        EXPECT_GT(h.hi, *mx);
    }
    EXPECT_EQ(h.binLow(0), h.lo);
    EXPECT_EQ(h.binHigh(k - 1), h.hi);
    for (std::size_t i = 0; i + 1 < k; ++i)
        EXPECT_EQ(h.binHigh(i), h.binLow(i + 1));
    std::vector<double> low(k), high(k);
    for (std::size_t i = 0; i < k; ++i) {
        low[i] = h.binLow(i);
        high[i] = h.binHigh(i);
    }
    std::vector<std::int64_t> want(k, 0);
    for (double v : values) {
        int found = -1;
        for (std::size_t i = 0; i < k && found < 0; ++i) {
            const bool last = i + 1 == k;
            if (low[i] <= v && (v < high[i] || (last && v <= high[i])))
                found = int(i);
        }
        ASSERT_GE(found, 0) << "value " << v << " in no bin";
        ++want[std::size_t(found)];
    }
    std::int64_t total = 0;
    for (std::size_t i = 0; i < k; ++i) {
        EXPECT_EQ(h.counts[i], want[i]) << "bin " << i;
        total += h.counts[i];
    }
    EXPECT_EQ(total, std::int64_t(values.size()));
}

/// Compares every field of `r` with the reference computation.
void expectMatchesReference(const FilterResult &r, const TestStore &ts, const FilterState &f)
{
    const Reference ref = reference(ts, f);
    EXPECT_EQ(r.storeSize, std::int64_t(ts.listings.size()));
    EXPECT_EQ(r.districts, ts.snapshot->districts);
    EXPECT_EQ(r.types, ts.snapshot->types);
    EXPECT_EQ(r.seenPriceMin, ref.seenPriceMin);
    EXPECT_EQ(r.seenPriceMax, ref.seenPriceMax);
    EXPECT_EQ(r.seenAreaMin, ref.seenAreaMin);
    EXPECT_EQ(r.seenAreaMax, ref.seenAreaMax);
    EXPECT_EQ(r.districtCounts, ref.districtCounts);
    EXPECT_EQ(r.typeCounts, ref.typeCounts);

    // Totals.
    const RefRow total = referenceRow(ref.passing);
    EXPECT_EQ(r.totals.district, QStringLiteral("All"));
    EXPECT_EQ(r.totals.type, QStringLiteral("All"));
    expectStats(r.totals.stats, total.stats);
    if (ref.passing.empty()) {
        EXPECT_TRUE(std::isnan(r.totals.medianPrice));
        EXPECT_TRUE(std::isnan(r.totals.medianPricePerSqm));
    } else {
        EXPECT_EQ(r.totals.medianPrice, total.medianPrice);
        EXPECT_EQ(r.totals.medianPricePerSqm, total.medianPpsqm);
    }

    // Groups, in district then type order (std::map on QString pairs).
    ASSERT_EQ(r.groups.size(), ref.groups.size());
    std::size_t i = 0;
    for (const auto &[key, ls] : ref.groups) {
        const GroupRow &row = r.groups[i++];
        SCOPED_TRACE(QString(key.first + QLatin1Char('/') + key.second).toStdString());
        EXPECT_EQ(row.district, key.first);
        EXPECT_EQ(row.type, key.second);
        const RefRow want = referenceRow(ls);
        expectStats(row.stats, want.stats);
        EXPECT_EQ(row.medianPrice, want.medianPrice);
        EXPECT_EQ(row.medianPricePerSqm, want.medianPpsqm);
    }

    // Histograms of listings.
    std::vector<double> prices, areas;
    for (const Listing &l : ref.passing) {
        prices.push_back(l.price);
        areas.push_back(l.area);
    }
    expectHistogram(r.priceHistogram, prices, "price histogram");
    expectHistogram(r.areaHistogram, areas, "area histogram");

    // Box plot of price per m2 by type.
    ASSERT_EQ(r.pricePerSqmByType.size(), ref.ppsqmByType.size());
    i = 0;
    for (const auto &[label, s] : ref.ppsqmByType) {
        const BoxStats &box = r.pricePerSqmByType[i++];
        SCOPED_TRACE(label.toStdString());
        EXPECT_EQ(box.label, label);
        EXPECT_EQ(box.count, std::int64_t(s.size()));
        const double q1 = sortedQuantile(s, 0.25), q3 = sortedQuantile(s, 0.75);
        EXPECT_DOUBLE_EQ(box.q1, q1);
        EXPECT_EQ(box.median, sortedMedian(s));
        EXPECT_DOUBLE_EQ(box.q3, q3);
        const double lowFence = q1 - 1.5 * (q3 - q1), highFence = q3 + 1.5 * (q3 - q1);
        double lw = s.back(), uw = s.front();
        for (double v : s) {
            if (v >= lowFence)
                lw = std::min(lw, v);
            if (v <= highFence)
                uw = std::max(uw, v);
        }
        EXPECT_EQ(box.lowerWhisker, lw);
        EXPECT_EQ(box.upperWhisker, uw);
        EXPECT_LE(box.lowerWhisker, box.q1);
        EXPECT_GE(box.upperWhisker, box.q3);
    }

    // Scatter: systematic sample, point j is passing listing floor(j * n / m).
    const std::size_t n = ref.passing.size();
    const std::size_t m = std::min(n, FilterResult::kScatterMax);
    ASSERT_EQ(r.scatter.size(), m);
    for (std::size_t j = 0; j < m; ++j) {
        const Listing &l = ref.passing[j * n / m];
        EXPECT_EQ(r.scatter[j].price, l.price) << "point " << j;
        EXPECT_EQ(r.scatter[j].area, l.area) << "point " << j;
        EXPECT_EQ(r.scatter[j].type, l.type) << "point " << j;
    }
    EXPECT_GE(r.computeMillis, 0.0);
}

FilterState rangeFilter(double pMin, double pMax, double aMin, double aMax)
{
    FilterState f;
    f.priceMin = pMin;
    f.priceMax = pMax;
    f.areaMin = aMin;
    f.areaMax = aMax;
    return f;
}

/// Results that must not depend on the thread count.
void expectSameResult(const FilterResult &a, const FilterResult &b)
{
    expectStats(a.totals.stats, b.totals.stats);
    EXPECT_EQ(a.totals.medianPrice, b.totals.medianPrice);
    EXPECT_EQ(a.totals.medianPricePerSqm, b.totals.medianPricePerSqm);
    ASSERT_EQ(a.groups.size(), b.groups.size());
    for (std::size_t i = 0; i < a.groups.size(); ++i) {
        EXPECT_EQ(a.groups[i].district, b.groups[i].district);
        EXPECT_EQ(a.groups[i].type, b.groups[i].type);
        expectStats(a.groups[i].stats, b.groups[i].stats);
        EXPECT_EQ(a.groups[i].medianPrice, b.groups[i].medianPrice);
        EXPECT_EQ(a.groups[i].medianPricePerSqm, b.groups[i].medianPricePerSqm);
    }
    EXPECT_EQ(a.districtCounts, b.districtCounts);
    EXPECT_EQ(a.typeCounts, b.typeCounts);
    EXPECT_EQ(a.priceHistogram.counts, b.priceHistogram.counts);
    EXPECT_EQ(a.areaHistogram.counts, b.areaHistogram.counts);
    ASSERT_EQ(a.pricePerSqmByType.size(), b.pricePerSqmByType.size());
    for (std::size_t i = 0; i < a.pricePerSqmByType.size(); ++i) {
        EXPECT_EQ(a.pricePerSqmByType[i].q1, b.pricePerSqmByType[i].q1);
        EXPECT_EQ(a.pricePerSqmByType[i].q3, b.pricePerSqmByType[i].q3);
        EXPECT_EQ(a.pricePerSqmByType[i].lowerWhisker, b.pricePerSqmByType[i].lowerWhisker);
        EXPECT_EQ(a.pricePerSqmByType[i].upperWhisker, b.pricePerSqmByType[i].upperWhisker);
    }
    ASSERT_EQ(a.scatter.size(), b.scatter.size());
    for (std::size_t i = 0; i < a.scatter.size(); ++i) {
        EXPECT_EQ(a.scatter[i].price, b.scatter[i].price);
        EXPECT_EQ(a.scatter[i].area, b.scatter[i].area);
    }
}

// ---- computeFilter ------------------------------------------------------------

TEST(FilterEngine, EmptyStore)
{
    const TestStore ts = buildStore({}, makeNames(QStringLiteral("District"), 3),
                                    makeNames(QStringLiteral("Type"), 2));
    const FilterResultPtr r = computeFilter(*ts.snapshot, FilterState{});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->storeSize, 0);
    EXPECT_EQ(r->seenPriceMin, 0.0);
    EXPECT_EQ(r->seenPriceMax, 0.0);
    EXPECT_EQ(r->seenAreaMin, 0.0);
    EXPECT_EQ(r->seenAreaMax, 0.0);
    EXPECT_EQ(r->districtCounts, std::vector<std::int64_t>(3, 0));
    EXPECT_EQ(r->typeCounts, std::vector<std::int64_t>(2, 0));
    EXPECT_TRUE(r->groups.empty());
    EXPECT_TRUE(r->scatter.empty());
    expectMatchesReference(*r, ts, FilterState{});
}

TEST(FilterEngine, EmptySnapshotWithoutNames)
{
    const StoreSnapshot empty;
    const FilterResultPtr r = computeFilter(empty, FilterState{});
    EXPECT_EQ(r->totals.stats.count, 0u);
    EXPECT_TRUE(r->districtCounts.empty());
    EXPECT_TRUE(r->pricePerSqmByType.empty());
}

TEST(FilterEngine, DefaultFilterMatchesReference)
{
    const TestStore ts = randomStore(5000, 6, 4, 1);
    const FilterState f;
    expectMatchesReference(*computeFilter(*ts.snapshot, f), ts, f);
}

TEST(FilterEngine, SingleListing)
{
    const TestStore ts = buildStore({{1, 0, 300000, 75}}, makeNames(QStringLiteral("District"), 2),
                                    makeNames(QStringLiteral("Type"), 1));
    const FilterResultPtr r = computeFilter(*ts.snapshot, FilterState{});
    expectMatchesReference(*r, ts, FilterState{});
    ASSERT_EQ(r->groups.size(), 1u);
    EXPECT_EQ(r->groups[0].medianPrice, 300000.0);
    EXPECT_EQ(r->groups[0].medianPricePerSqm, 4000.0);
    ASSERT_EQ(r->pricePerSqmByType.size(), 1u);
    const BoxStats &box = r->pricePerSqmByType[0];
    for (double v : {box.lowerWhisker, box.q1, box.median, box.q3, box.upperWhisker})
        EXPECT_EQ(v, 4000.0);
}

TEST(FilterEngine, EvenAndOddCountMedians)
{
    // Group (0,0): 4 listings, group (0,1): 3 listings, group (1,0): 2 listings.
    const std::vector<Listing> ls = {
        {0, 0, 400000, 100}, {0, 0, 100000, 100}, {0, 0, 300000, 100}, {0, 0, 200000, 50},
        {0, 1, 90000, 30},   {0, 1, 70000, 35},   {0, 1, 80000, 32},
        {1, 0, 500000, 100}, {1, 0, 600000, 100},
    };
    const QStringList districts = {QStringLiteral("Braga"), QStringLiteral("Aveiro")};
    const QStringList types = {QStringLiteral("Flat"), QStringLiteral("Land")};
    const TestStore ts = buildStore(ls, districts, types);
    const FilterResultPtr r = computeFilter(*ts.snapshot, FilterState{});
    expectMatchesReference(*r, ts, FilterState{});
    ASSERT_EQ(r->groups.size(), 3u);
    // Aveiro sorts before Braga although its id is larger.
    EXPECT_EQ(r->groups[0].district, QStringLiteral("Aveiro"));
    EXPECT_EQ(r->groups[0].medianPrice, 550000.0);           // even: (500k + 600k) / 2
    EXPECT_EQ(r->groups[1].medianPrice, 250000.0);           // even: (200k + 300k) / 2
    EXPECT_EQ(r->groups[1].medianPricePerSqm, 3500.0);       // 1000, 3000, 4000, 4000
    EXPECT_EQ(r->groups[2].medianPrice, 80000.0);            // odd
    EXPECT_EQ(r->groups[2].medianPricePerSqm, 2500.0);       // 2000, 2500, 3000
    EXPECT_EQ(r->totals.medianPrice, 200000.0);              // 9 listings, odd
}

TEST(FilterEngine, PriceAndAreaBoundsAreInclusive)
{
    const TestStore ts = randomStore(20000, 8, 5, 2);
    // Bounds equal to prices and areas present in the data.
    const Listing &a = ts.listings[10];
    const Listing &b = ts.listings[20];
    const FilterState f = rangeFilter(std::min(a.price, b.price), std::max(a.price, b.price),
                                      std::min(a.area, b.area), std::max(a.area, b.area));
    const FilterResultPtr r = computeFilter(*ts.snapshot, f);
    expectMatchesReference(*r, ts, f);
    std::uint64_t atEdge = 0, inside = 0;
    for (const Listing &l : ts.listings) {
        const bool in = l.price >= f.priceMin && l.price <= f.priceMax && l.area >= f.areaMin
                        && l.area <= f.areaMax;
        inside += in;
        atEdge += in && (l.price == f.priceMin || l.price == f.priceMax || l.area == f.areaMin
                         || l.area == f.areaMax);
    }
    EXPECT_GT(atEdge, 0u);
    EXPECT_EQ(r->totals.stats.count, inside);
}

TEST(FilterEngine, HiddenDistrictsAndTypes)
{
    const TestStore ts = randomStore(30000, 10, 6, 3);
    FilterState f = rangeFilter(100000, 900000, 40, 300);
    f.hiddenDistricts = {ts.snapshot->districts[0], ts.snapshot->districts[4],
                         QStringLiteral("Not a district")};
    f.hiddenTypes = {ts.snapshot->types[1]};
    const FilterResultPtr r = computeFilter(*ts.snapshot, f);
    expectMatchesReference(*r, ts, f);
    for (const GroupRow &g : r->groups) {
        EXPECT_FALSE(f.hiddenDistricts.contains(g.district));
        EXPECT_FALSE(f.hiddenTypes.contains(g.type));
    }
    // The facets ignore their own dimension: hidden categories still show counts.
    EXPECT_GT(r->districtCounts[0], 0);
    EXPECT_GT(r->typeCounts[1], 0);
}

TEST(FilterEngine, FilterThatMatchesNothing)
{
    const TestStore ts = randomStore(3000, 4, 3, 4);
    const FilterState f = rangeFilter(1e12, 2e12, 0, 1e9);
    const FilterResultPtr r = computeFilter(*ts.snapshot, f);
    expectMatchesReference(*r, ts, f);
    EXPECT_EQ(r->totals.stats.count, 0u);
    EXPECT_TRUE(r->groups.empty());
    EXPECT_TRUE(r->priceHistogram.counts.empty());
    EXPECT_GT(r->seenPriceMax, 0.0); // slider bounds come from every listing

    FilterState allHidden;
    allHidden.hiddenDistricts = QSet<QString>(ts.snapshot->districts.begin(),
                                              ts.snapshot->districts.end());
    const FilterResultPtr h = computeFilter(*ts.snapshot, allHidden);
    expectMatchesReference(*h, ts, allHidden);
    EXPECT_EQ(h->totals.stats.count, 0u);
    std::int64_t sum = 0;
    for (std::int64_t c : h->districtCounts)
        sum += c;
    EXPECT_EQ(sum, 3000); // every listing would pass without the district filter
}

TEST(FilterEngine, LargeStoreAcrossBlocksAndThreads)
{
    // More than three store blocks, 26 x 17 groups, big and tiny groups.
    const TestStore ts = randomStore(220000, 26, 17, 5);
    QThreadPool pool;
    pool.setMaxThreadCount(3);
    const FilterState all;
    expectMatchesReference(*computeFilter(*ts.snapshot, all, &pool, 2), ts, all);
    FilterState f = rangeFilter(120000, 700000, 35, 250);
    f.hiddenDistricts = {ts.snapshot->districts[2]};
    f.hiddenTypes = {ts.snapshot->types[0]};
    expectMatchesReference(*computeFilter(*ts.snapshot, f, &pool, 4), ts, f);
}

TEST(FilterEngine, ThreadCountInvariance)
{
    const TestStore ts = randomStore(300000, 26, 17, 6);
    QThreadPool pool;
    pool.setMaxThreadCount(4);
    for (const FilterState &f : {FilterState{}, rangeFilter(90000, 1.5e6, 30, 400)}) {
        const FilterResultPtr one = computeFilter(*ts.snapshot, f, &pool, 1);
        const FilterResultPtr two = computeFilter(*ts.snapshot, f, &pool, 2);
        const FilterResultPtr four = computeFilter(*ts.snapshot, f, &pool, 4);
        expectSameResult(*one, *two);
        expectSameResult(*one, *four);
        // Without a pool the parts run inline, with the same result.
        expectSameResult(*one, *computeFilter(*ts.snapshot, f, nullptr, 3));
    }
}

TEST(FilterEngine, BusyPoolRunsPartsInline)
{
    const TestStore ts = randomStore(100000, 5, 3, 7);
    QThreadPool pool;
    pool.setMaxThreadCount(1);
    QSemaphore release;
    pool.start([&release] { release.acquire(); }); // occupies the only thread
    const FilterResultPtr r = computeFilter(*ts.snapshot, FilterState{}, &pool, 4);
    release.release();
    pool.waitForDone();
    expectMatchesReference(*r, ts, FilterState{});
}

TEST(FilterEngine, HeavyTiesAndWideRanges)
{
    // Three distinct prices over 100k listings (ties straddle every bucket),
    // plus a group whose values span 15 orders of magnitude.
    std::vector<Listing> ls;
    std::mt19937 rng(8);
    const double prices[] = {150000, 250000, 350000};
    for (int i = 0; i < 100000; ++i)
        ls.push_back({0, 0, prices[rng() % 3], 100});
    for (int i = 0; i < 5000; ++i) {
        const double p = std::pow(10.0, 1 + double(rng() % 1500) / 100.0);
        ls.push_back({1, std::uint16_t(i % 2), p, double(1 + rng() % 5000) / 7.0});
    }
    const TestStore ts = buildStore(ls, makeNames(QStringLiteral("D"), 2), makeNames(QStringLiteral("T"), 2));
    expectMatchesReference(*computeFilter(*ts.snapshot, FilterState{}), ts, FilterState{});
}

TEST(FilterEngine, BoxWhiskersStopAtTheFences)
{
    // Type 0: a tight cluster around 3,000 per m2 with outliers on both sides;
    // type 1: no outliers, whiskers at the extremes.
    std::vector<Listing> ls;
    std::mt19937 rng(13);
    for (int i = 0; i < 999; ++i)
        ls.push_back({std::uint16_t(i % 3), 0, 300000.0 + double(rng() % 20001), 100});
    ls.push_back({0, 0, 1000, 100});    // 10 per m2
    ls.push_back({1, 0, 5000, 100});    // 50 per m2
    ls.push_back({2, 0, 9000000, 100}); // 90,000 per m2
    for (int i = 0; i < 101; ++i)
        ls.push_back({std::uint16_t(i % 3), 1, 100000.0 + 1000.0 * i, 50});
    const TestStore ts = buildStore(ls, makeNames(QStringLiteral("D"), 3), makeNames(QStringLiteral("T"), 2));
    const FilterResultPtr r = computeFilter(*ts.snapshot, FilterState{});
    expectMatchesReference(*r, ts, FilterState{});
    ASSERT_EQ(r->pricePerSqmByType.size(), 2u);
    // Sorted by label: type id 1 is "T 00", type id 0 is "T 01".
    const BoxStats &withOutliers = r->pricePerSqmByType[1];
    EXPECT_EQ(withOutliers.label, ts.snapshot->types[0]);
    EXPECT_GT(withOutliers.lowerWhisker, 50.0);
    EXPECT_LT(withOutliers.upperWhisker, 90000.0);
    const BoxStats &plain = r->pricePerSqmByType[0];
    EXPECT_EQ(plain.lowerWhisker, 2000.0); // 100,000 / 50
    EXPECT_EQ(plain.upperWhisker, 4000.0); // 200,000 / 50
    EXPECT_EQ(plain.median, 3000.0);
    EXPECT_EQ(plain.q1, 2500.0);            // type 7: h = 100 * 0.25 = 25 exactly
    EXPECT_EQ(plain.q3, 3500.0);
}

TEST(FilterEngine, ScatterIsBoundedSystematicSample)
{
    const TestStore ts = randomStore(50000, 5, 3, 9);
    const FilterState f = rangeFilter(0, 400000, 0, 1e9);
    QThreadPool pool;
    const FilterResultPtr r = computeFilter(*ts.snapshot, f, &pool, 2);
    ASSERT_EQ(r->scatter.size(), FilterResult::kScatterMax);
    for (const ScatterPoint &p : r->scatter)
        EXPECT_LE(p.price, 400000.0);
    expectMatchesReference(*r, ts, f); // checks point j is passing listing j * n / m
}

TEST(FilterEngine, IdsBeyondTheNameListsAreSkipped)
{
    // A store whose names lag behind its ids must not be read out of bounds.
    const std::vector<Listing> ls = {{0, 0, 100000, 50}, {5, 0, 200000, 50}, {0, 9, 300000, 50}};
    ListingStore store;
    for (const Listing &l : ls)
        store.append(l.district, l.type, l.price, l.area);
    const StoreSnapshotPtr snap = store.snapshot({QStringLiteral("Only")}, {QStringLiteral("One")});
    const FilterResultPtr r = computeFilter(*snap, FilterState{});
    EXPECT_EQ(r->totals.stats.count, 1u);
    EXPECT_EQ(r->districtCounts, std::vector<std::int64_t>{1});
    EXPECT_EQ(r->seenPriceMax, 300000.0);
}

// ---- FilterRunner ---------------------------------------------------------------

TEST(FilterRunner, LatestRequestWins)
{
    es::test::app();
    const TestStore ts = randomStore(400000, 26, 17, 10);
    const auto store = ts.snapshot;
    FilterRunner runner;
    std::vector<FilterResultPtr> delivered;
    QObject::connect(&runner, &FilterRunner::resultReady,
                     [&delivered](const FilterResultPtr &r) { delivered.push_back(r); });
    std::vector<FilterState> filters;
    for (int i = 0; i < 6; ++i)
        filters.push_back(rangeFilter(50000 + 20000 * i, 2e6, 20 + i, 1000));
    quint64 last = 0;
    for (const FilterState &f : filters) {
        const quint64 g = runner.request(store, f);
        EXPECT_GT(g, last);
        last = g;
    }
    EXPECT_TRUE(runner.busy());
    runner.waitForIdle();
    EXPECT_FALSE(runner.busy());
    ASSERT_EQ(delivered.size(), 1u);
    EXPECT_EQ(delivered[0]->generation, last);
    expectSameResult(*delivered[0], *computeFilter(*store, filters.back()));
    expectMatchesReference(*delivered[0], ts, filters.back());

    // The runner keeps working after going idle.
    const FilterState next = rangeFilter(0, 300000, 0, 1e9);
    const quint64 g = runner.request(store, next);
    runner.waitForIdle();
    ASSERT_EQ(delivered.size(), 2u);
    EXPECT_EQ(delivered[1]->generation, g);
    expectSameResult(*delivered[1], *computeFilter(*store, next));
}

TEST(FilterRunner, DestroyedWhileBusy)
{
    es::test::app();
    const TestStore ts = randomStore(200000, 10, 5, 12);
    int delivered = 0;
    {
        FilterRunner runner;
        QObject::connect(&runner, &FilterRunner::resultReady, [&delivered] { ++delivered; });
        runner.request(ts.snapshot, FilterState{});
        runner.request(ts.snapshot, rangeFilter(0, 1e6, 0, 1e9));
    }
    QCoreApplication::processEvents(); // nothing arrives for the destroyed runner
    EXPECT_EQ(delivered, 0);
}

TEST(FilterRunner, NullStoreGivesEmptyResult)
{
    es::test::app();
    FilterRunner runner;
    FilterResultPtr got;
    QObject::connect(&runner, &FilterRunner::resultReady, [&got](const FilterResultPtr &r) { got = r; });
    runner.request(nullptr, FilterState{});
    runner.waitForIdle();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->storeSize, 0);
    EXPECT_EQ(got->totals.stats.count, 0u);
}

} // namespace
