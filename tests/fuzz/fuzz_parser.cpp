// libFuzzer target for the hot CSV reader + validation (es_parser: parseChunk,
// lastRecordEnd, nthRecordEnd, parseNumber). Built with clang's
// -fsanitize=fuzzer,address,undefined (tests/fuzz/CMakeLists.txt, `fuzz`
// preset) and, with any compiler, driven by standalone_main.cpp as the CTest
// smoke test `fuzz.smoke`.
//
// Input layout: 4 configuration bytes, then the CSV bytes.
//   byte 0: bits 0-1 delimiter (, ; TAB |), bit 2 decimalComma, bit 3 quotesLiteral,
//           bits 4-7 fieldCount - 1 (1..16)
//   byte 1: bits 0-2 district column, bits 3-5 type column (7 = no column)
//   byte 2: bits 0-2 price column,    bits 3-5 area column   (7 = no column)
//   byte 3: bits 0-1 processing filter (defaults / 0,0 / -inf,-inf / 1e300,1e300),
//           bits 2-5 k - 1 for the paced split (nthRecordEnd), bits 6-7 the byte split point
// Printable bytes make natural seeds: "0HZ@" = ',' delimiter, 4 fields, district 0,
// type 1, price 2, area 3, default filter, k = 1, split at 2/5 of the CSV.
//
// Invariants (a broken one prints what broke and traps):
//  * counters add up: rowsRead == accepted + filteredOut + rejected, rejected == sum by reason,
//    the columnar vectors and the group counts hold exactly the accepted listings, reject samples
//    are min(count, 5) per reason;
//  * every accepted listing has a price in (0, kMaxPrice] and an area in (0, kMaxArea] that pass
//    the filter;
//  * parseChunk equals a straightforward byte-at-a-time reference reader (same record/field/quote
//    rules, same parseNumber) in every counter, value, label, group and reject line: this checks the
//    SSE2 bulk path against the plain state machine;
//  * lastRecordEnd and nthRecordEnd agree with each other and with the reference on where records
//    end and whether the buffer ends inside a quoted field (a final '"' may be half of a doubled
//    quote for them); endsInOpenQuote, which sees the buffer as the end of the input, agrees with
//    the reference exactly; nthRecordEnd(k) never goes past the last record end and counts at most
//    k records;
//  * parsing the buffer in pieces cut at lastRecordEnd / nthRecordEnd boundaries (when the cut is
//    outside quotes, as the engine does) gives the same counters, values and lines as parsing it whole;
//  * parseNumber: Ok means finite; a plain C-locale decimal gets the same double as std::from_chars;
//    surrounding blanks never change the result.
#include "chunkparser.h"
#include "numberparse.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using es::ChunkResult;
using es::NumberStatus;
using es::ParseConfig;
using es::RejectReason;

[[noreturn]] void fail(const char *what, long long a = 0, long long b = 0)
{
    std::fprintf(stderr, "fuzz_parser: invariant broken: %s (%lld vs %lld)\n", what, a, b);
    std::fflush(stderr);
    __builtin_trap();
}

#define CHECK(cond)                                                                                              \
    do {                                                                                                         \
        if (!(cond))                                                                                             \
            fail(#cond);                                                                                         \
    } while (0)
#define CHECK_EQ(a, b)                                                                                           \
    do {                                                                                                         \
        const auto va_ = (a);                                                                                    \
        const auto vb_ = (b);                                                                                    \
        if (!(va_ == vb_))                                                                                       \
            fail(#a " == " #b, static_cast<long long>(va_), static_cast<long long>(vb_));                       \
    } while (0)

bool sameDouble(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// An exactly sized heap copy, so that AddressSanitizer sees any read past the piece.
struct Piece {
    std::unique_ptr<char[]> bytes;
    std::size_t size = 0;
    explicit Piece(std::string_view s) : bytes(new char[s.size() ? s.size() : 1]), size(s.size())
    {
        if (!s.empty())
            std::memcpy(bytes.get(), s.data(), s.size());
    }
    const char *data() const { return bytes.get(); }
};

// ---------------------------------------------------------------------------------------------------
// Reference reader: one byte at a time, written from the documented rules, not from chunkparser.cpp.
//  - records end at LF, CRLF or a lone CR outside quoted fields; a CR that is the last byte of the
//    buffer ends the final record like any lone CR;
//  - a '"' opens a quoted field only as the first byte of a field (never with quotesLiteral);
//    inside, "" is a quote and a single '"' closes; text after the closing quote is kept;
//  - a line with no byte at all (after dropping the CR of a CRLF) is blank and not a record;
//  - the bytes after the last line end form a final record (an unterminated quoted field keeps
//    everything after its opening quote);
//  - line numbers count LF, CRLF and lone CR, also inside quoted fields; a record's line is the
//    0-based line where it starts.
// ---------------------------------------------------------------------------------------------------
struct RefListing {
    std::string district, type;
    double price = 0, area = 0;
};

struct Reference {
    std::int64_t rows = 0, accepted = 0, filtered = 0, rejected = 0;
    std::int64_t byReason[es::kRejectReasonCount] = {};
    std::vector<std::int64_t> rejectLines[es::kRejectReasonCount];
    std::vector<RefListing> listings;
    std::int64_t lines = 0;
    // Split points as the split functions see them (complete records only).
    std::vector<std::size_t> recordEnds; ///< one past each line end outside quotes (blank lines too)
    std::vector<bool> endIsRecord;        ///< the line that ends there held a record (not blank)
    bool endsInQuote = false;             ///< the buffer ends inside a quoted field
    bool endsWithClosingQuote = false;    ///< its last byte is the quote that closes a quoted field
};

std::string_view trimBlanks(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

void refRecord(const ParseConfig &cfg, const std::vector<std::string> &fields, std::int64_t line, Reference &ref)
{
    ++ref.rows;
    auto reject = [&](RejectReason r) {
        ++ref.rejected;
        ++ref.byReason[int(r)];
        if (ref.rejectLines[int(r)].size() < std::size_t(es::RejectSamples::kMaxPerReason))
            ref.rejectLines[int(r)].push_back(line);
    };
    if (int(fields.size()) != cfg.fieldCount)
        return reject(RejectReason::FieldCount);
    auto field = [&](int col) -> std::string_view {
        return col >= 0 && std::size_t(col) < fields.size() ? std::string_view(fields[std::size_t(col)])
                                                            : std::string_view();
    };
    // When two roles name the same column the later role owns it (district < type < price < area):
    // the parser keeps one capture per column.
    auto owned = [&](int col, int slot) {
        const int cols[4] = {cfg.districtColumn, cfg.typeColumn, cfg.priceColumn, cfg.areaColumn};
        for (int s = slot + 1; s < 4; ++s)
            if (cols[s] == col)
                return false;
        return col >= 0;
    };
    auto text = [&](int col, int slot) { return owned(col, slot) ? field(col) : std::string_view(); };
    double price = 0, area = 0;
    switch (es::parseNumber(text(cfg.priceColumn, 2), cfg.decimalComma, price)) {
    case NumberStatus::Ok: break;
    case NumberStatus::Missing: return reject(RejectReason::PriceMissing);
    case NumberStatus::NotNumber: return reject(RejectReason::PriceNotNumber);
    case NumberStatus::NotFinite: return reject(RejectReason::PriceNotFinite);
    }
    if (!(price > 0))
        return reject(RejectReason::PriceNotPositive);
    if (price > es::kMaxPrice)
        return reject(RejectReason::PriceTooLarge);
    switch (es::parseNumber(text(cfg.areaColumn, 3), cfg.decimalComma, area)) {
    case NumberStatus::Ok: break;
    case NumberStatus::Missing: return reject(RejectReason::AreaMissing);
    case NumberStatus::NotNumber: return reject(RejectReason::AreaNotNumber);
    case NumberStatus::NotFinite: return reject(RejectReason::AreaNotFinite);
    }
    if (!(area > 0))
        return reject(RejectReason::AreaNotPositive);
    if (area > es::kMaxArea)
        return reject(RejectReason::AreaTooLarge);
    if (!(price >= cfg.minPrice && area >= cfg.minArea)) {
        ++ref.filtered;
        return;
    }
    ++ref.accepted;
    RefListing l;
    const std::string_view d = trimBlanks(text(cfg.districtColumn, 0));
    const std::string_view t = trimBlanks(text(cfg.typeColumn, 1));
    l.district = d.empty() ? std::string("Unknown") : std::string(d);
    l.type = t.empty() ? std::string("Unknown") : std::string(t);
    l.price = price;
    l.area = area;
    ref.listings.push_back(std::move(l));
}

Reference referenceParse(std::string_view in, const ParseConfig &cfg)
{
    Reference ref;
    std::vector<std::string> fields;
    std::string cur;
    bool inQuotes = false;
    bool fieldHasBytes = false;  // the current field has seen a byte (so a '"' is not at its start)
    bool recordHasBytes = false; // the current line has seen a byte
    std::int64_t line = 0;
    std::int64_t recordLine = 0;
    const std::size_t n = in.size();
    auto endRecord = [&](std::size_t next) {
        const bool blank = !recordHasBytes;
        if (!blank) {
            fields.push_back(cur);
            refRecord(cfg, fields, recordLine, ref);
        }
        ref.recordEnds.push_back(next);
        ref.endIsRecord.push_back(!blank);
        fields.clear();
        cur.clear();
        fieldHasBytes = recordHasBytes = false;
        ++line;
        recordLine = line;
    };
    for (std::size_t i = 0; i < n; ++i) {
        const char c = in[i];
        if (inQuotes) {
            if (c == '"') {
                if (i + 1 < n && in[i + 1] == '"') {
                    cur.push_back('"');
                    ++i;
                } else {
                    inQuotes = false;
                    ref.endsWithClosingQuote = i + 1 == n;
                }
            } else {
                if (c == '\n' || (c == '\r' && !(i + 1 < n && in[i + 1] == '\n')))
                    ++line;
                cur.push_back(c);
            }
            continue;
        }
        if (c == cfg.delimiter) {
            fields.push_back(cur);
            cur.clear();
            fieldHasBytes = false;
            recordHasBytes = true;
            continue;
        }
        if (c == '\r' && i + 1 < n && in[i + 1] == '\n')
            continue; // the LF of the CRLF ends the record
        if (c == '\n' || c == '\r') {
            endRecord(i + 1);
            continue;
        }
        if (c == '"' && !fieldHasBytes && !cfg.quotesLiteral) {
            inQuotes = true;
            fieldHasBytes = recordHasBytes = true;
            continue;
        }
        cur.push_back(c);
        fieldHasBytes = recordHasBytes = true;
    }
    ref.endsInQuote = inQuotes;
    if (recordHasBytes) {
        fields.push_back(cur);
        refRecord(cfg, fields, recordLine, ref);
        ++line;
    }
    ref.lines = line;
    return ref;
}

// ---------------------------------------------------------------------------------------------------
// Checks on one parse result.
// ---------------------------------------------------------------------------------------------------
void checkResult(const ChunkResult &r, const ParseConfig &cfg, bool labels = true)
{
    const es::StreamCounters &c = r.counters;
    CHECK_EQ(c.rowsRead, c.accepted + c.filteredOut + c.rejected);
    std::int64_t sum = 0;
    for (int k = 0; k < es::kRejectReasonCount; ++k) {
        const std::int64_t n = c.rejectsByReason[std::size_t(k)];
        CHECK(n >= 0);
        sum += n;
        const auto &lines = r.rejectLines.lines[std::size_t(k)];
        CHECK_EQ(std::int64_t(lines.size()), std::min<std::int64_t>(n, es::RejectSamples::kMaxPerReason));
        for (std::size_t i = 0; i < lines.size(); ++i) {
            CHECK(lines[i] >= 0 && lines[i] < std::max<std::int64_t>(r.lines, 1));
            if (i > 0)
                CHECK(lines[i] > lines[i - 1]);
        }
    }
    CHECK_EQ(sum, c.rejected);
    const auto accepted = std::size_t(c.accepted);
    CHECK_EQ(r.price.size(), accepted);
    CHECK_EQ(r.area.size(), accepted);
    CHECK_EQ(r.district.size(), accepted);
    CHECK_EQ(r.type.size(), accepted);
    for (std::size_t i = 0; i < accepted; ++i) {
        CHECK(r.price[i] > 0 && r.price[i] <= es::kMaxPrice && r.price[i] >= cfg.minPrice);
        CHECK(r.area[i] > 0 && r.area[i] <= es::kMaxArea && r.area[i] >= cfg.minArea);
        CHECK(r.district[i] < r.districts.size());
        CHECK(r.type[i] < r.types.size());
    }
    std::uint64_t groupCount = 0;
    r.groups.forEach([&](std::uint32_t d, std::uint32_t t, const es::GroupStats &s) {
        CHECK(d < r.districts.size() && t < r.types.size());
        CHECK(s.count > 0 && s.minPrice <= s.maxPrice);
        groupCount += s.count;
    });
    CHECK_EQ(groupCount, std::uint64_t(accepted));
    // Labels are unique in each dictionary.
    for (const auto *dict : {&r.districts, &r.types}) {
        if (!labels)
            break;
        std::set<std::string> seen(dict->strings().begin(), dict->strings().end());
        CHECK_EQ(seen.size(), dict->size());
    }
}

void checkAgainstReference(const ChunkResult &r, const Reference &ref)
{
    const es::StreamCounters &c = r.counters;
    CHECK_EQ(c.rowsRead, ref.rows);
    CHECK_EQ(c.accepted, ref.accepted);
    CHECK_EQ(c.filteredOut, ref.filtered);
    CHECK_EQ(c.rejected, ref.rejected);
    for (int k = 0; k < es::kRejectReasonCount; ++k) {
        CHECK_EQ(c.rejectsByReason[std::size_t(k)], ref.byReason[k]);
        const auto &lines = r.rejectLines.lines[std::size_t(k)];
        CHECK_EQ(lines.size(), ref.rejectLines[k].size());
        for (std::size_t i = 0; i < lines.size(); ++i)
            CHECK_EQ(lines[i], ref.rejectLines[k][i]);
    }
    CHECK_EQ(r.lines, ref.lines);
    std::set<std::pair<std::string, std::string>> groups;
    for (std::size_t i = 0; i < ref.listings.size(); ++i) {
        const RefListing &l = ref.listings[i];
        CHECK(sameDouble(r.price[i], l.price));
        CHECK(sameDouble(r.area[i], l.area));
        CHECK(r.districts.strings()[r.district[i]] == l.district);
        CHECK(r.types.strings()[r.type[i]] == l.type);
        groups.emplace(l.district, l.type);
    }
    CHECK_EQ(r.groups.size(), groups.size());
}

// Parses `whole` in the given pieces and checks the merged outcome equals `r` (parsed whole).
void checkPieces(std::string_view whole, const std::vector<std::size_t> &cuts, const ParseConfig &cfg,
                 const ChunkResult &r)
{
    es::StreamCounters sum;
    std::int64_t lines = 0;
    std::vector<std::int64_t> rejectLines[es::kRejectReasonCount];
    std::vector<double> prices, areas;
    std::vector<std::string> districts;
    std::size_t from = 0;
    std::vector<std::size_t> bounds = cuts;
    bounds.push_back(whole.size());
    for (std::size_t to : bounds) {
        CHECK(to >= from && to <= whole.size());
        const Piece piece(whole.substr(from, to - from));
        ChunkResult part;
        es::parseChunk(piece.data(), piece.size, cfg, part);
        checkResult(part, cfg, false);
        sum.merge(part.counters);
        for (int k = 0; k < es::kRejectReasonCount; ++k)
            for (std::int64_t l : part.rejectLines.lines[std::size_t(k)])
                rejectLines[k].push_back(lines + l);
        lines += part.lines;
        prices.insert(prices.end(), part.price.begin(), part.price.end());
        areas.insert(areas.end(), part.area.begin(), part.area.end());
        for (std::uint32_t d : part.district)
            districts.push_back(part.districts.strings()[d]);
        from = to;
    }
    CHECK_EQ(sum.rowsRead, r.counters.rowsRead);
    CHECK_EQ(sum.accepted, r.counters.accepted);
    CHECK_EQ(sum.filteredOut, r.counters.filteredOut);
    CHECK_EQ(sum.rejected, r.counters.rejected);
    for (int k = 0; k < es::kRejectReasonCount; ++k) {
        CHECK_EQ(sum.rejectsByReason[std::size_t(k)], r.counters.rejectsByReason[std::size_t(k)]);
        const auto &whole5 = r.rejectLines.lines[std::size_t(k)];
        for (std::size_t i = 0; i < whole5.size(); ++i)
            CHECK_EQ(rejectLines[k][i], whole5[i]);
    }
    CHECK_EQ(lines, r.lines);
    CHECK_EQ(prices.size(), r.price.size());
    for (std::size_t i = 0; i < prices.size(); ++i) {
        CHECK(sameDouble(prices[i], r.price[i]));
        CHECK(sameDouble(areas[i], r.area[i]));
        CHECK(districts[i] == r.districts.strings()[r.district[i]]);
    }
}

// ---------------------------------------------------------------------------------------------------
// Splitting functions.
// ---------------------------------------------------------------------------------------------------
void checkSplits(std::string_view csv, const ParseConfig &cfg, const Reference &ref, std::size_t k,
                 std::size_t splitAt, const ChunkResult &whole)
{
    const char delim = cfg.delimiter;
    const bool literal = cfg.quotesLiteral;
    const Piece buf(csv);
    const es::SplitResult last = es::lastRecordEnd(buf.data(), buf.size, delim, literal);
    std::size_t all = 0;
    const es::SplitResult full =
        es::nthRecordEnd(buf.data(), buf.size, delim, literal, std::numeric_limits<std::size_t>::max(), &all);
    CHECK(last.end <= csv.size());
    if (last.end > 0)
        CHECK(csv[last.end - 1] == '\n' || csv[last.end - 1] == '\r');
    // Both scans agree on the last complete record and on the quote state.
    CHECK_EQ(full.end, last.end);
    CHECK_EQ(full.endsInQuote, last.endsInQuote);
    // A quote as the very last byte inside a quoted field may be half of a doubled quote when more
    // bytes follow, so the scans report "inside quotes" there; otherwise they match the reference.
    if (literal)
        CHECK(!last.endsInQuote);
    else if (ref.endsWithClosingQuote)
        CHECK(last.endsInQuote);
    else
        CHECK_EQ(last.endsInQuote, ref.endsInQuote);
    // At the end of the input there is no such doubt: endsInOpenQuote (what the engine asks before
    // falling back to literal quotes) says exactly whether a quoted field is left open.
    if (!literal)
        CHECK_EQ(es::endsInOpenQuote(buf.data(), buf.size, delim), ref.endsInQuote);

    // The reference's line ends, less a CR that is the very last byte (it may be half of a CRLF).
    std::size_t refLast = 0, refRecords = 0;
    for (std::size_t i = 0; i < ref.recordEnds.size(); ++i) {
        const std::size_t e = ref.recordEnds[i];
        if (e == csv.size() && csv[e - 1] == '\r')
            continue;
        refLast = e;
        refRecords += ref.endIsRecord[i] ? 1 : 0;
    }
    CHECK_EQ(last.end, refLast);
    CHECK_EQ(all, refRecords);

    // nthRecordEnd(k): at most k records, never past the last record end; and parsing the pieces it
    // cuts one after the other (as the paced engine does) equals parsing the whole.
    std::size_t got = 0;
    const es::SplitResult nth = es::nthRecordEnd(buf.data(), buf.size, delim, literal, k, &got);
    CHECK(got <= k);
    CHECK(nth.end <= last.end);
    if (got < k)
        CHECK(got == all && nth.end == last.end);
    else if (k < all)
        CHECK(nth.end < last.end);
    {
        std::vector<std::size_t> cuts;
        std::size_t pos = 0;
        while (pos < buf.size) {
            std::size_t recs = 0;
            const es::SplitResult s = es::nthRecordEnd(buf.data() + pos, buf.size - pos, delim, literal, k, &recs);
            if (s.end == 0 || recs < k)
                break;
            CHECK(recs == k);
            pos += s.end;
            cuts.push_back(pos);
            if (cuts.size() == 24)
                break; // enough pieces; the rest is parsed as one
        }
        checkPieces(csv, cuts, cfg, whole);
    }

    // lastRecordEnd on a prefix (fast mode): the engine cuts there and parses the two sides apart.
    const Piece prefix(csv.substr(0, splitAt));
    const es::SplitResult cut = es::lastRecordEnd(prefix.data(), prefix.size, delim, literal);
    CHECK(cut.end <= splitAt);
    if (cut.end > 0) {
        // A record end found in a prefix is a record end of the whole buffer (the cut is outside
        // quotes by construction, whatever the state at the end of the prefix).
        CHECK(std::find(ref.recordEnds.begin(), ref.recordEnds.end(), cut.end) != ref.recordEnds.end());
        checkPieces(csv, {cut.end}, cfg, whole);
    }
}

// ---------------------------------------------------------------------------------------------------
// Numbers.
// ---------------------------------------------------------------------------------------------------
bool plainDecimal(std::string_view s)
{
    // -?digits[.digits] with at least one digit: what from_chars reads the same way.
    std::size_t i = 0;
    if (i < s.size() && s[i] == '-')
        ++i;
    bool digit = false, dot = false;
    for (; i < s.size(); ++i) {
        if (s[i] >= '0' && s[i] <= '9')
            digit = true;
        else if (s[i] == '.' && !dot)
            dot = true;
        else
            return false;
    }
    return digit;
}

void checkNumber(std::string_view s)
{
    for (bool comma : {false, true}) {
        double v = 0;
        const NumberStatus st = es::parseNumber(s, comma, v);
        if (st == NumberStatus::Ok)
            CHECK(std::isfinite(v));
        if (s.empty() || trimBlanks(s).empty())
            CHECK(st == NumberStatus::Missing);
        // Blanks around the text never matter.
        std::string padded = " \t";
        padded.append(s);
        padded.append("\t ");
        double w = 0;
        const NumberStatus st2 = es::parseNumber(padded, comma, w);
        CHECK(st2 == st);
        if (st == NumberStatus::Ok)
            CHECK(sameDouble(v, w));
    }
    if (plainDecimal(s)) {
        double v = 0;
        const NumberStatus st = es::parseNumber(s, false, v);
        double expect = 0;
        const auto res = std::from_chars(s.data(), s.data() + s.size(), expect);
        if (res.ec == std::errc() && res.ptr == s.data() + s.size() && std::isfinite(expect)) {
            CHECK(st == NumberStatus::Ok);
            CHECK(sameDouble(v, expect));
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 4)
        return 0;
    static constexpr char kDelims[4] = {',', ';', '\t', '|'};
    ParseConfig cfg;
    cfg.delimiter = kDelims[data[0] & 3];
    cfg.decimalComma = (data[0] & 4) != 0;
    cfg.quotesLiteral = (data[0] & 8) != 0;
    cfg.fieldCount = (data[0] >> 4) + 1;
    auto column = [](int bits) { return bits == 7 ? -1 : bits; };
    cfg.districtColumn = column(data[1] & 7);
    cfg.typeColumn = column((data[1] >> 3) & 7);
    cfg.priceColumn = column(data[2] & 7);
    cfg.areaColumn = column((data[2] >> 3) & 7);
    switch (data[3] & 3) {
    case 0: break; // defaults 50000 / 20
    case 1: cfg.minPrice = cfg.minArea = 0; break;
    case 2: cfg.minPrice = cfg.minArea = -std::numeric_limits<double>::infinity(); break;
    default: cfg.minPrice = cfg.minArea = 1e300; break;
    }
    const std::size_t k = std::size_t((data[3] >> 2) & 15) + 1;
    const std::string_view csv(reinterpret_cast<const char *>(data) + 4, size - 4);
    const std::size_t splitAt = csv.size() * std::size_t((data[3] >> 6) + 1) / 5;

    // Whole buffer, from an exactly sized copy.
    const Piece buf(csv);
    ChunkResult whole;
    es::parseChunk(buf.data(), buf.size, cfg, whole);
    checkResult(whole, cfg);
    const Reference ref = referenceParse(csv, cfg);
    checkAgainstReference(whole, ref);
    if (es::scanKernelSupported(es::ScanKernel::Avx2)) { // Best ran AVX2: the SSE2 copy must agree too
        ParseConfig sse2 = cfg;
        sse2.scan = es::ScanKernel::Sse2;
        ChunkResult narrow;
        es::parseChunk(buf.data(), buf.size, sse2, narrow);
        checkAgainstReference(narrow, ref);
    }

    checkSplits(csv, cfg, ref, k, splitAt, whole);

    // Every line and every field-looking slice through the number parser.
    std::size_t start = 0;
    int slices = 0;
    for (std::size_t i = 0; i <= csv.size() && slices < 64; ++i) {
        if (i == csv.size() || csv[i] == '\n' || csv[i] == cfg.delimiter) {
            checkNumber(csv.substr(start, i - start));
            ++slices;
            start = i + 1;
        }
    }
    return 0;
}
