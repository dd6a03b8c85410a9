// es_bench: Google Benchmark measurements of the core's hot paths (issue 4).
//
// Every input is synthesised in memory by the fixed-seed generator below, so the
// benchmark needs nothing from ../shared and reads no file. Rows follow the seed
// schema (25 columns, Price first, District second, Type fifth, LivingArea at
// column 21 of 25, floats written as "250000.0", ~170 bytes a line, UTF-8
// district and parish names, ~5% of rows with a quoted parish holding commas).
//
// Before timing, each benchmark checks its result against counts the generator
// kept while writing the input (or against a plain loop over the store), and
// skips with an error when they differ: a fast wrong answer is not reported.
//
// Multi-threaded benchmarks use real (wall) time; the pool they use has 2 threads.
// See tests/bench/README.md for how to build and run it.
#include "bytesource.h"
#include "chunkparser.h"
#include "filterengine.h"
#include "listingstore.h"
#include "numberparse.h"
#include "snapshot.h"
#include "streamengine.h"
#include "types.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace es::bench {
namespace {

// ---------------------------------------------------------------------------
// Deterministic random numbers (splitmix64), independent of the standard
// library's distributions so the input is the same everywhere.
// ---------------------------------------------------------------------------
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, 1).
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    /// Uniform integer in [0, n).
    int below(int n) { return int(uniform() * n); }
    bool chance(double p) { return uniform() < p; }
    /// Standard normal (Box-Muller, one value per call).
    double normal()
    {
        const double u1 = 1.0 - uniform(); // (0, 1]
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
    }

private:
    std::uint64_t m_state;
};

// ---------------------------------------------------------------------------
// Market tables: 26 districts (18 mainland + 8 islands, as in the seed data)
// with a rough asking price per m2 and a share of listings; 17 property types
// (the first 13 are the seed data's; the last 4 only pad the filter store to
// the 26 x 17 group grid the dashboard benchmark asks for).
// ---------------------------------------------------------------------------
struct DistrictInfo {
    const char *name;
    double eurPerSqm;
    double weight;
};

// clang-format off
constexpr std::array<DistrictInfo, 26> kDistricts{{
    {"Lisboa", 4200, 23},          {"Porto", 2800, 18},          {"Setúbal", 2700, 9},
    {"Braga", 1800, 8.5},          {"Aveiro", 1800, 7},          {"Faro", 3300, 8},
    {"Leiria", 1700, 4.7},         {"Coimbra", 1700, 4.3},       {"Santarém", 1200, 4.2},
    {"Viseu", 1100, 3.5},          {"Viana do Castelo", 1500, 2.3}, {"Vila Real", 1100, 1.8},
    {"Castelo Branco", 850, 1.7},  {"Évora", 1500, 1.5},         {"Guarda", 750, 1.4},
    {"Beja", 900, 1.4},            {"Bragança", 750, 1.2},       {"Portalegre", 750, 1.0},
    {"Ilha da Madeira", 2900, 2.5}, {"Ilha de São Miguel", 1600, 1.3}, {"Ilha Terceira", 1300, 0.5},
    {"Ilha do Faial", 1300, 0.15}, {"Ilha do Pico", 1200, 0.15}, {"Ilha de São Jorge", 1000, 0.08},
    {"Ilha de Santa Maria", 1100, 0.05}, {"Ilha Graciosa", 900, 0.03},
}};

struct TypeInfo {
    const char *name;
    double weight;
    double areaMedian; ///< m2
    double areaSigma;  ///< log-normal spread
    double priceFactor; ///< relative to the district's residential price per m2
    double areaMissing; ///< probability that LivingArea is empty in the CSV
};

constexpr int kCsvTypes = 13;
constexpr std::array<TypeInfo, 17> kTypes{{
    {"Apartment", 40, 95, 0.35, 1.00, 0.0},
    {"House", 25, 170, 0.45, 0.90, 0.0},
    {"Land", 18, 400, 0.90, 0.12, 0.6},
    {"Store", 3, 80, 0.70, 0.85, 0.0},
    {"Garage", 2.5, 25, 0.50, 0.60, 0.1},
    {"Farm", 2.5, 250, 0.80, 0.35, 0.3},
    {"Building", 2, 450, 0.70, 0.80, 0.0},
    {"Office", 1.5, 120, 0.70, 0.95, 0.0},
    {"Warehouse", 1.5, 600, 0.80, 0.40, 0.0},
    {"Duplex", 1.5, 160, 0.35, 1.05, 0.0},
    {"Studio", 1.2, 40, 0.30, 1.20, 0.0},
    {"Mansion", 0.3, 600, 0.40, 1.60, 0.0},
    {"Other - Residential", 0.6, 110, 0.60, 0.80, 0.0},
    {"Other - Commercial", 0.5, 150, 0.70, 0.80, 0.0},
    {"Hotel", 0.2, 1500, 0.60, 1.10, 0.0},
    {"Estate", 0.3, 350, 0.70, 0.70, 0.0},
    {"Investment", 0.2, 300, 0.80, 0.90, 0.0},
}};

constexpr std::array<const char *, 20> kCities{{
    "Vila Nova de Gaia", "Póvoa de Varzim", "Loulé", "Marinha Grande", "Guimarães", "Almada",
    "Sintra", "Cascais", "Funchal", "Ponta Delgada", "Matosinhos", "Covilhã", "Tomar", "Odivelas",
    "Portimão", "Albufeira", "Oeiras", "Vila Franca de Xira", "Ílhavo", "Angra do Heroísmo",
}};

constexpr std::array<const char *, 16> kParishes{{
    "Santo Ildefonso", "Santa Cruz", "Cova da Piedade", "São Clemente", "Ferreiras", "Nossa Senhora da Conceição",
    "Lavra", "Foz do Douro", "Nevogilde", "Beiriz", "Argivai", "São Sebastião", "Santa Maria Maior",
    "Fraião", "Lamaçães", "Tôr",
}};

constexpr std::array<const char *, 9> kCertificates{{"A+", "A", "B", "B-", "C", "D", "E", "F", "NC"}};
constexpr std::array<const char *, 6> kFloors{{"Ground Floor", "1st Floor", "2nd Floor", "3rd Floor", "4th Floor", ""}};
constexpr std::array<const char *, 6> kConservation{{"New", "Like new", "Renovated", "Used", "To recovery", ""}};
// clang-format on

template <std::size_t N, typename T> int pickWeighted(Rng &rng, const std::array<T, N> &table, int count)
{
    double total = 0;
    for (int i = 0; i < count; ++i)
        total += table[std::size_t(i)].weight;
    double x = rng.uniform() * total;
    for (int i = 0; i < count; ++i) {
        x -= table[std::size_t(i)].weight;
        if (x < 0)
            return i;
    }
    return count - 1;
}

struct Listing {
    int district = 0;
    int type = 0;
    double price = 0; ///< multiple of 500, exact in binary and in "%.1f"
    double area = 0;  ///< multiple of 0.5
};

Listing makeListing(Rng &rng, int typeCount)
{
    Listing l;
    l.district = pickWeighted(rng, kDistricts, int(kDistricts.size()));
    l.type = pickWeighted(rng, kTypes, typeCount);
    const DistrictInfo &d = kDistricts[std::size_t(l.district)];
    const TypeInfo &t = kTypes[std::size_t(l.type)];
    const double area = std::max(5.0, t.areaMedian * std::exp(t.areaSigma * rng.normal()));
    l.area = std::round(area * 2) / 2;
    // Larger homes cost less per m2 (elasticity -0.15), plus log-normal noise.
    const double perSqm =
        d.eurPerSqm * t.priceFactor * std::pow(area / t.areaMedian, -0.15) * std::exp(0.35 * rng.normal());
    l.price = std::max(1000.0, std::round(l.area * perSqm / 500) * 500);
    return l;
}

/// A listing that passes the default processing filter (Price >= 50,000, LivingArea >= 20).
Listing makeAcceptedListing(Rng &rng, int typeCount)
{
    for (;;) {
        const Listing l = makeListing(rng, typeCount);
        if (l.price >= 50000 && l.area >= 20)
            return l;
    }
}

// ---------------------------------------------------------------------------
// CSV text in the seed schema
// ---------------------------------------------------------------------------
constexpr std::string_view kHeader =
    "Price,District,City,Town,Type,EnergyCertificate,GrossArea,TotalArea,Parking,HasParking,Floor,"
    "ConstructionYear,EnergyEfficiencyLevel,PublishDate,Garage,Elevator,ElectricCarsCharging,"
    "TotalRooms,NumberOfBedrooms,NumberOfWC,ConservationStatus,LivingArea,LotSize,BuiltArea,"
    "NumberOfBathrooms\n";
constexpr int kFieldCount = 25;
constexpr int kPriceColumn = 0;
constexpr int kDistrictColumn = 1;
constexpr int kTypeColumn = 4;
constexpr int kAreaColumn = 21;

struct CsvText {
    std::string text;
    std::int64_t rows = 0;
    std::int64_t accepted = 0; ///< expected outcome of the default processing filter
    std::int64_t filteredOut = 0;
    std::int64_t rejected = 0; ///< all of them: LivingArea empty
};

class RowWriter {
public:
    RowWriter(std::string &out, bool quoteText) : m_out(out), m_quoteText(quoteText) {}

    void text(std::string_view s, bool mustQuote = false)
    {
        sep();
        if (m_quoteText || mustQuote) {
            m_out += '"';
            for (char c : s) {
                if (c == '"')
                    m_out += '"';
                m_out += c;
            }
            m_out += '"';
        } else {
            m_out += s;
        }
    }
    void number(double v) // "%.1f" like the seed data ("250000.0")
    {
        sep();
        char buf[40];
        const int n = std::snprintf(buf, sizeof buf, "%.1f", v);
        m_out.append(buf, std::size_t(n));
    }
    void empty() { sep(); }
    void flag(bool b) { text(b ? "True" : "False"); }
    void end() { m_out += '\n'; }

private:
    void sep()
    {
        if (m_fields++ > 0)
            m_out += ',';
    }
    std::string &m_out;
    bool m_quoteText;
    int m_fields = 0;
};

/// Appends one row for `l`; returns false when its LivingArea was left empty (a reject).
bool appendRow(std::string &out, Rng &rng, const Listing &l, bool quoteText)
{
    const TypeInfo &t = kTypes[std::size_t(l.type)];
    RowWriter w(out, quoteText);
    w.number(l.price);
    w.text(kDistricts[std::size_t(l.district)].name);
    w.text(kCities[std::size_t(rng.below(int(kCities.size())))]);
    if (rng.chance(0.05)) { // "União das freguesias de A, B e C": a quoted field holding commas
        std::string parish = "União das freguesias de ";
        parish += kParishes[std::size_t(rng.below(int(kParishes.size())))];
        parish += ", ";
        parish += kParishes[std::size_t(rng.below(int(kParishes.size())))];
        parish += " e ";
        parish += kParishes[std::size_t(rng.below(int(kParishes.size())))];
        w.text(parish, true);
    } else {
        w.text(kParishes[std::size_t(rng.below(int(kParishes.size())))]);
    }
    w.text(t.name);
    const char *cert = kCertificates[std::size_t(rng.below(int(kCertificates.size())))];
    w.text(cert);
    if (rng.chance(0.7))
        w.number(std::round(l.area * 1.25));
    else
        w.empty();
    w.number(std::round(l.area * 1.6));
    const int parking = rng.below(3);
    w.number(parking);
    w.flag(parking > 0);
    w.text(kFloors[std::size_t(rng.below(int(kFloors.size())))]);
    if (rng.chance(0.8))
        w.number(1900 + rng.below(126));
    else
        w.empty();
    w.text(cert);
    // One draw per statement: the order of function arguments is unspecified.
    std::array<int, 7> when{};
    constexpr std::array<int, 7> kSpan{3, 12, 28, 24, 60, 60, 1000};
    constexpr std::array<int, 7> kBase{2023, 1, 1, 0, 0, 0, 0};
    for (std::size_t i = 0; i < when.size(); ++i)
        when[i] = kBase[i] + rng.below(kSpan[i]);
    char date[96];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d %02d:%02d:%02d.%03d", when[0], when[1], when[2], when[3],
                  when[4], when[5], when[6]);
    w.text(date);
    w.flag(rng.chance(0.3));
    w.flag(rng.chance(0.4));
    w.flag(rng.chance(0.05));
    const int rooms = 1 + rng.below(6);
    w.number(rooms + 1);
    w.number(rooms);
    w.number(rng.below(3));
    w.text(kConservation[std::size_t(rng.below(int(kConservation.size())))]);
    const bool hasArea = !rng.chance(t.areaMissing);
    if (hasArea)
        w.number(l.area);
    else
        w.empty();
    if (rng.chance(0.6))
        w.number(std::round(l.area * (1.5 + rng.uniform() * 8)));
    else
        w.empty();
    if (rng.chance(0.5))
        w.number(std::round(l.area * 1.1));
    else
        w.empty();
    w.number(1 + rng.below(4));
    w.end();
    return hasArea;
}

/// Records (no header) until adding one more would pass `maxBytes` (or `maxRows` rows).
CsvText makeCsv(std::size_t maxBytes, std::int64_t maxRows, bool quoteText, bool header, std::uint64_t seed)
{
    CsvText csv;
    Rng rng(seed);
    std::string row;
    csv.text.reserve(std::min<std::size_t>(maxBytes, std::size_t(maxRows) * 200 + kHeader.size()));
    if (header)
        csv.text += kHeader;
    while (csv.rows < maxRows) {
        row.clear();
        const Listing l = makeListing(rng, kCsvTypes);
        const bool hasArea = appendRow(row, rng, l, quoteText);
        if (csv.text.size() + row.size() > maxBytes)
            break;
        csv.text += row;
        ++csv.rows;
        if (!hasArea)
            ++csv.rejected;
        else if (l.price >= 50000 && l.area >= 20)
            ++csv.accepted;
        else
            ++csv.filteredOut;
    }
    return csv;
}

constexpr std::size_t kChunkBytes = 4u << 20;
constexpr std::int64_t kNoRowLimit = std::int64_t(1) << 40;

const CsvText &chunkText(bool quoteText)
{
    static const CsvText mixed = makeCsv(kChunkBytes, kNoRowLimit, false, false, 0x5EED0001);
    static const CsvText quoted = makeCsv(kChunkBytes, kNoRowLimit, true, false, 0x5EED0001);
    return quoteText ? quoted : mixed;
}

ParseConfig schemaConfig()
{
    ParseConfig c;
    c.delimiter = ',';
    c.fieldCount = kFieldCount;
    c.priceColumn = kPriceColumn;
    c.districtColumn = kDistrictColumn;
    c.typeColumn = kTypeColumn;
    c.areaColumn = kAreaColumn;
    c.minPrice = 50000;
    c.minArea = 20;
    return c;
}

bool countersMatch(const StreamCounters &c, const CsvText &csv, std::string *why)
{
    if (c.rowsRead == csv.rows && c.accepted == csv.accepted && c.filteredOut == csv.filteredOut &&
        c.rejected == csv.rejected &&
        c.rejectsByReason[std::size_t(RejectReason::AreaMissing)] == csv.rejected)
        return true;
    *why = "parser counters differ from the generator's: rows " + std::to_string(c.rowsRead) + "/" +
           std::to_string(csv.rows) + ", accepted " + std::to_string(c.accepted) + "/" +
           std::to_string(csv.accepted) + ", filtered " + std::to_string(c.filteredOut) + "/" +
           std::to_string(csv.filteredOut) + ", rejected " + std::to_string(c.rejected) + "/" +
           std::to_string(csv.rejected);
    return false;
}

// ---------------------------------------------------------------------------
// Parser benchmarks
// ---------------------------------------------------------------------------
void parseBenchmark(benchmark::State &state, const CsvText &csv)
{
    ParseConfig config = schemaConfig();
    config.scan = ScanKernel(state.range(0));
    if (!scanKernelSupported(config.scan)) {
        state.SkipWithError("this CPU cannot run that copy of the parser");
        return;
    }
    state.SetLabel(scanKernelName(config.scan));
    {
        ChunkResult check;
        parseChunk(csv.text.data(), csv.text.size(), config, check);
        std::string why;
        if (!countersMatch(check.counters, csv, &why) || std::int64_t(check.price.size()) != csv.accepted) {
            state.SkipWithError(why.empty() ? "accepted columns differ from the count" : why.c_str());
            return;
        }
    }
    for (auto _ : state) {
        ChunkResult r;
        parseChunk(csv.text.data(), csv.text.size(), config, r);
        benchmark::DoNotOptimize(r.counters.accepted);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(state.iterations() * std::int64_t(csv.text.size()));
    state.SetItemsProcessed(state.iterations() * csv.rows);
    state.counters["rows"] = double(csv.rows);
    state.counters["bytes_per_row"] = double(csv.text.size()) / double(csv.rows);
}

void BM_ParseChunk(benchmark::State &state)
{
    parseBenchmark(state, chunkText(false));
}
// Arg: which copy of the parser (ScanKernel: 1 SSE2, 2 AVX2).
BENCHMARK(BM_ParseChunk)->ArgName("kernel")->Arg(int(ScanKernel::Sse2))->Arg(int(ScanKernel::Avx2));

void BM_ParseChunkQuoted(benchmark::State &state)
{
    parseBenchmark(state, chunkText(true));
}
BENCHMARK(BM_ParseChunkQuoted)->ArgName("kernel")->Arg(int(ScanKernel::Sse2))->Arg(int(ScanKernel::Avx2));

// Arg 0: the ordinary text (~5% quoted parishes); 1: every text field quoted.
void BM_SplitLastRecordEnd(benchmark::State &state)
{
    const CsvText &csv = chunkText(state.range(0) != 0);
    const char *data = csv.text.data();
    const std::size_t size = csv.text.size();
    if (lastRecordEnd(data, size, ',', false).end != size) { // the text ends with a whole record
        state.SkipWithError("lastRecordEnd did not find the end of the last record");
        return;
    }
    for (auto _ : state) {
        const SplitResult r = lastRecordEnd(data, size, ',', false);
        benchmark::DoNotOptimize(r.end);
    }
    state.SetBytesProcessed(state.iterations() * std::int64_t(size));
    state.SetItemsProcessed(state.iterations() * csv.rows);
}
BENCHMARK(BM_SplitLastRecordEnd)->ArgName("quoted")->Arg(0)->Arg(1);

// Cuts the whole text into batches of 1000 records, as the paced stream does.
void BM_SplitNthRecordEnd(benchmark::State &state)
{
    const CsvText &csv = chunkText(state.range(0) != 0);
    const char *data = csv.text.data();
    const std::size_t size = csv.text.size();
    constexpr std::size_t kBatch = 1000;
    auto cutAll = [&](std::size_t *cuts) {
        std::size_t pos = 0, total = 0;
        *cuts = 0;
        while (pos < size) {
            std::size_t records = 0;
            const SplitResult r = nthRecordEnd(data + pos, size - pos, ',', false, kBatch, &records);
            if (r.end == 0)
                break;
            pos += r.end;
            total += records;
            ++*cuts;
        }
        return total;
    };
    std::size_t batches = 0;
    if (std::int64_t(cutAll(&batches)) != csv.rows) {
        state.SkipWithError("nthRecordEnd batches do not add up to the generated rows");
        return;
    }
    for (auto _ : state) {
        std::size_t b = 0;
        benchmark::DoNotOptimize(cutAll(&b));
    }
    state.SetBytesProcessed(state.iterations() * std::int64_t(size));
    state.SetItemsProcessed(state.iterations() * csv.rows);
    state.counters["batches"] = double(batches);
}
BENCHMARK(BM_SplitNthRecordEnd)->ArgName("quoted")->Arg(0)->Arg(1);

// ---------------------------------------------------------------------------
// Number parsing
// ---------------------------------------------------------------------------
struct NumberField {
    std::string text;
    bool decimalComma = false;
    double expected = 0; ///< from strtod on the plain C-locale spelling
};

/// Kinds: 0 C-locale decimals ("250000.0", "85.5"), 1 thousands separators
/// ("1,250,000"), 2 decimal commas ("123,5", decimalComma on), 3 all three mixed.
std::vector<NumberField> makeNumberFields(int kind)
{
    Rng rng(0x5EED0002 + std::uint64_t(kind));
    std::vector<NumberField> fields;
    constexpr int kCount = 8192;
    fields.reserve(kCount);
    char buf[64];
    for (int i = 0; i < kCount; ++i) {
        const Listing l = makeListing(rng, kCsvTypes);
        const int k = kind == 3 ? rng.below(3) : kind;
        const double v = (i % 2 == 0) ? l.price : l.area;
        NumberField f;
        std::snprintf(buf, sizeof buf, "%.1f", v);
        f.expected = std::strtod(buf, nullptr);
        if (k == 0) {
            f.text = buf;
        } else if (k == 1) {
            const auto whole = static_cast<long long>(std::llround(std::max(v, 1000.0) * 10));
            std::snprintf(buf, sizeof buf, "%lld", whole);
            f.expected = std::strtod(buf, nullptr);
            const std::string digits = buf;
            for (std::size_t d = 0; d < digits.size(); ++d) {
                if (d > 0 && (digits.size() - d) % 3 == 0)
                    f.text += ',';
                f.text += digits[d];
            }
        } else {
            f.text = buf;
            for (char &c : f.text)
                if (c == '.')
                    c = ',';
            f.decimalComma = true;
        }
        fields.push_back(std::move(f));
    }
    return fields;
}

void BM_ParseNumber(benchmark::State &state)
{
    const int kind = int(state.range(0));
    static const std::array<const char *, 4> labels{{"dot", "thousands", "decimal_comma", "mixed"}};
    const std::vector<NumberField> fields = makeNumberFields(kind);
    for (const NumberField &f : fields) {
        double v = 0;
        if (parseNumber(f.text, f.decimalComma, v) != NumberStatus::Ok || v != f.expected) {
            state.SkipWithError(("parseNumber(\"" + f.text + "\") differs from strtod").c_str());
            return;
        }
    }
    for (auto _ : state) {
        double sum = 0;
        for (const NumberField &f : fields) {
            double v = 0;
            parseNumber(f.text, f.decimalComma, v);
            sum += v;
        }
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(state.iterations() * std::int64_t(fields.size()));
    state.SetLabel(labels[std::size_t(kind)]);
}
BENCHMARK(BM_ParseNumber)->ArgName("kind")->DenseRange(0, 3);

// ---------------------------------------------------------------------------
// Listing stores (26 districts x 17 types), one size alive at a time
// ---------------------------------------------------------------------------
QThreadPool *g_pool = nullptr; // 2 threads, owned by main()

struct BenchStore {
    std::int64_t size = -1;
    StoreSnapshotPtr store;
    std::vector<GroupRow> groups; ///< every non-empty group, sorted, medians NaN
    GroupRow totals;
};

BenchStore &storeCache()
{
    static BenchStore cache;
    return cache;
}

const BenchStore &benchStore(std::int64_t n)
{
    BenchStore &c = storeCache();
    if (c.size == n)
        return c;
    c = BenchStore{}; // release the previous size before building the next
    Rng rng(0x5EED0003);
    ListingStore store;
    const std::size_t nt = kTypes.size();
    std::vector<GroupStats> stats(kDistricts.size() * nt);
    for (std::int64_t i = 0; i < n; ++i) {
        const Listing l = makeAcceptedListing(rng, int(nt));
        store.append(std::uint16_t(l.district), std::uint16_t(l.type), l.price, l.area);
        stats[std::size_t(l.district) * nt + std::size_t(l.type)].add(l.price, l.area);
    }
    QStringList districts, types;
    for (const DistrictInfo &d : kDistricts)
        districts << QString::fromUtf8(d.name);
    for (const TypeInfo &t : kTypes)
        types << QString::fromUtf8(t.name);
    c.store = store.snapshot(districts, types);
    c.totals.district = QStringLiteral("All");
    c.totals.type = QStringLiteral("All");
    for (std::size_t g = 0; g < stats.size(); ++g) {
        if (stats[g].count == 0)
            continue;
        GroupRow row;
        row.district = districts[qsizetype(g / nt)];
        row.type = types[qsizetype(g % nt)];
        row.stats = stats[g];
        c.totals.stats.merge(stats[g]);
        c.groups.push_back(std::move(row));
    }
    sortGroups(c.groups);
    c.size = n;
    return c;
}

void BM_Medians(benchmark::State &state)
{
    const BenchStore &bs = benchStore(state.range(0));
    QThreadPool *pool = state.range(1) > 0 ? g_pool : nullptr;
    std::vector<GroupRow> groups = bs.groups;
    GroupRow totals = bs.totals;
    MedianDiagnostics diag;
    for (auto _ : state) {
        computeMedians(*bs.store, groups, totals, pool, &diag);
        benchmark::DoNotOptimize(totals.medianPrice);
    }
    // Sanity: every median lies within its group's price range.
    for (const GroupRow &g : groups) {
        if (!(g.medianPrice >= g.stats.minPrice && g.medianPrice <= g.stats.maxPrice) ||
            !std::isfinite(g.medianPricePerSqm)) {
            state.SkipWithError("a group median lies outside its price range");
            return;
        }
    }
    state.SetItemsProcessed(state.iterations() * bs.store->size);
    state.counters["groups"] = double(groups.size());
    state.counters["stride"] = double(diag.stride);
    state.counters["misses"] = double(diag.bracketMisses);
    state.counters["collected"] = double(diag.collected);
}
BENCHMARK(BM_Medians)
    ->ArgNames({"listings", "pool"})
    ->Args({1000000, 0})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Medians)
    ->ArgNames({"listings", "pool"})
    ->Args({10000000, 0})
    ->Args({10000000, 2})
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// ---------------------------------------------------------------------------
// Dashboard filter recompute
// ---------------------------------------------------------------------------
/// 0: the default filter (everything); 1: price 100k-500k and every second district hidden.
FilterState benchFilter(int kind, const StoreSnapshot &store)
{
    FilterState f;
    if (kind == 1) {
        f.priceMin = 100000;
        f.priceMax = 500000;
        for (qsizetype d = 0; d < store.districts.size(); d += 2)
            f.hiddenDistricts.insert(store.districts[d]);
    }
    return f;
}

std::int64_t passingCount(const StoreSnapshot &store, const FilterState &f)
{
    std::vector<char> districtShown, typeShown;
    for (const QString &d : store.districts)
        districtShown.push_back(!f.hiddenDistricts.contains(d));
    for (const QString &t : store.types)
        typeShown.push_back(!f.hiddenTypes.contains(t));
    std::int64_t n = 0;
    for (const auto &b : store.blocks)
        for (std::size_t i = 0; i < b->size(); ++i)
            n += b->price[i] >= f.priceMin && b->price[i] <= f.priceMax && b->area[i] >= f.areaMin &&
                 b->area[i] <= f.areaMax && districtShown[b->district[i]] && typeShown[b->type[i]];
    return n;
}

void BM_FilterRecompute(benchmark::State &state)
{
    const BenchStore &bs = benchStore(state.range(0));
    const int threads = int(state.range(1));
    const FilterState filter = benchFilter(int(state.range(2)), *bs.store);
    const std::int64_t expected = passingCount(*bs.store, filter);
    {
        const FilterResultPtr check = computeFilter(*bs.store, filter, g_pool, threads);
        if (std::int64_t(check->totals.stats.count) != expected) {
            state.SkipWithError("filtered count differs from a plain loop over the store");
            return;
        }
        state.counters["groups"] = double(check->groups.size());
    }
    for (auto _ : state) {
        FilterResultPtr r = computeFilter(*bs.store, filter, g_pool, threads);
        benchmark::DoNotOptimize(r.get());
    }
    state.SetItemsProcessed(state.iterations() * bs.store->size);
    state.counters["passing"] = double(expected);
}
/// Size-major order (ArgsProduct varies the first argument fastest), so each
/// store is built once.
void filterArgs(benchmark::internal::Benchmark *b, std::initializer_list<std::int64_t> sizes)
{
    b->ArgNames({"listings", "threads", "narrow"});
    for (std::int64_t n : sizes)
        for (std::int64_t threads : {1, 2})
            for (std::int64_t narrow : {0, 1})
                b->Args({n, threads, narrow});
}
BENCHMARK(BM_FilterRecompute)
    ->Apply([](benchmark::internal::Benchmark *b) {
        filterArgs(b, {108076, 1000000});
    })
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_FilterRecompute)
    ->Apply([](benchmark::internal::Benchmark *b) { filterArgs(b, {10000000}); })
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// ---------------------------------------------------------------------------
// Engine end to end: in-memory CSV -> final snapshot (medians included)
// ---------------------------------------------------------------------------
constexpr std::int64_t kEngineRows = 200000;

const CsvText &engineCsv()
{
    static const CsvText csv = makeCsv(std::size_t(1) << 40, kEngineRows, false, true, 0x5EED0004);
    return csv;
}

struct EngineOutcome {
    double seconds = 0;
    SnapshotPtr final;
    QString error;
};

EngineOutcome runEngineOnce(const QByteArray &data, int threads)
{
    EngineOutcome out;
    StreamEngine engine;
    StreamConfig cfg;
    cfg.openSource = [data](QString *) { return makeMemorySource(data, QStringLiteral("bench.csv")); };
    cfg.rate = 0;
    cfg.threads = threads;
    QEventLoop loop;
    QObject context;
    QElapsedTimer timer;
    bool done = false;
    QObject::connect(&engine, &StreamEngine::finished, &context, [&](const SnapshotPtr &s) {
        out.seconds = double(timer.nsecsElapsed()) * 1e-9;
        out.final = s;
        done = true;
        loop.quit();
    });
    QObject::connect(&engine, &StreamEngine::failed, &context, [&](const QString &reason) {
        out.error = reason;
        done = true;
        loop.quit();
    });
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &context, [&] {
        out.error = QStringLiteral("timed out");
        done = true;
        loop.quit();
    });
    guard.start(300000);
    timer.start();
    engine.start(cfg);
    if (!done)
        loop.exec();
    return out;
}

void BM_EngineEndToEnd(benchmark::State &state)
{
    const CsvText &csv = engineCsv();
    const QByteArray data(csv.text.data(), qsizetype(csv.text.size()));
    const int threads = int(state.range(0));
    for (auto _ : state) {
        const EngineOutcome r = runEngineOnce(data, threads);
        if (!r.error.isEmpty() || !r.final) {
            state.SkipWithError(("engine run failed: " + r.error.toStdString()).c_str());
            break;
        }
        std::string why;
        if (!countersMatch(r.final->counters, csv, &why)) {
            state.SkipWithError(why.c_str());
            break;
        }
        state.SetIterationTime(r.seconds);
    }
    state.SetBytesProcessed(state.iterations() * std::int64_t(csv.text.size()));
    state.SetItemsProcessed(state.iterations() * csv.rows);
    state.counters["rows"] = double(csv.rows);
}
BENCHMARK(BM_EngineEndToEnd)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime();

} // namespace
} // namespace es::bench

int main(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    QCoreApplication app(argc, argv); // the engine benchmark needs an event loop
    QThreadPool pool;
    pool.setMaxThreadCount(2);
    es::bench::g_pool = &pool;
    benchmark::AddCustomContext("es_pool_threads", "2");
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    es::bench::g_pool = nullptr;
    es::bench::storeCache() = es::bench::BenchStore{};
    return 0;
}
