// parseChunk, lastRecordEnd and nthRecordEnd: the hot parser against a plain
// reference on hand-written and programmatically built inputs.
#include "chunkparser.h"
#include "testutil.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

using namespace es;
using namespace es::test;

namespace {

// Columns of the hand-written rows below: District,Type,Price,LivingArea
ParseConfig config4(char delim = ',', bool decimalComma = false)
{
    ParseConfig c;
    c.delimiter = delim;
    c.decimalComma = decimalComma;
    c.fieldCount = 4;
    c.districtColumn = 0;
    c.typeColumn = 1;
    c.priceColumn = 2;
    c.areaColumn = 3;
    return c;
}

// Columns of makeTrickyRecords: Price,District,Type,LivingArea,Note
ParseConfig trickyConfig(char delim = ',')
{
    ParseConfig c;
    c.delimiter = delim;
    c.fieldCount = 5;
    c.priceColumn = 0;
    c.districtColumn = 1;
    c.typeColumn = 2;
    c.areaColumn = 3;
    return c;
}

struct Parsed {
    StreamCounters counters;
    RejectSamples rejectLines; // 0-based, relative to the parsed text
    std::int64_t lines = 0;
    std::map<RefKey, GroupStats> groups;
};

void addGroups(const ChunkResult &r, std::map<RefKey, GroupStats> &into)
{
    r.groups.forEach([&](std::uint32_t d, std::uint32_t t, const GroupStats &s) {
        into[{r.districts.strings()[d], r.types.strings()[t]}].merge(s);
    });
}

Parsed parse(const std::string &text, const ParseConfig &cfg)
{
    ChunkResult r;
    parseChunk(text.data(), text.size(), cfg, r);
    Parsed p;
    p.counters = r.counters;
    p.rejectLines = r.rejectLines;
    p.lines = r.lines;
    addGroups(r, p.groups);
    return p;
}

/// Parses `text` in pieces cut by `cut(data, size)` (which returns the length
/// of the next piece or 0 when the window holds no complete record) and merges
/// the pieces like the engine does: counters summed, line numbers rebased.
template<typename Cut> Parsed parseInPieces(const std::string &text, const ParseConfig &cfg, std::size_t window, Cut cut)
{
    Parsed all;
    std::size_t pos = 0;
    std::int64_t lineBase = 0;
    while (pos < text.size()) {
        std::size_t w = std::min(window, text.size() - pos);
        std::size_t len = 0;
        for (;;) {
            len = cut(text.data() + pos, w);
            if (len > 0)
                break;
            if (pos + w == text.size()) { // the rest has no complete record end: last record
                len = w;
                break;
            }
            w = std::min(w * 2 + 1, text.size() - pos);
        }
        ChunkResult r;
        parseChunk(text.data() + pos, len, cfg, r);
        StreamCounters c = r.counters;
        all.counters.merge(c);
        for (int k = 0; k < kRejectReasonCount; ++k)
            for (std::int64_t rel : r.rejectLines.lines[std::size_t(k)])
                all.rejectLines.add(RejectReason(k), lineBase + rel);
        lineBase += r.lines;
        addGroups(r, all.groups);
        pos += len;
    }
    all.lines = lineBase;
    return all;
}

void expectParsedMatchesRef(const Parsed &p, const RefResult &ref)
{
    expectCountersMatch(p.counters, ref);
    for (int k = 0; k < kRejectReasonCount; ++k) {
        std::vector<std::int64_t> want;
        for (std::int64_t l : ref.firstLines[std::size_t(k)])
            want.push_back(l - 1); // reference lines are 1-based
        EXPECT_EQ(p.rejectLines.lines[std::size_t(k)], want) << rejectReasonKey(RejectReason(k)).toStdString();
    }
    ASSERT_EQ(p.groups.size(), ref.groups.size());
    for (const auto &[key, g] : ref.groups) {
        const auto it = p.groups.find(key);
        ASSERT_NE(it, p.groups.end()) << "missing group " << key.first << " / " << key.second;
        expectStatsMatch(it->second, g, key.first + " / " + key.second);
    }
}

void expectSameParse(const Parsed &a, const Parsed &b)
{
    EXPECT_EQ(a.counters.rowsRead, b.counters.rowsRead);
    EXPECT_EQ(a.counters.accepted, b.counters.accepted);
    EXPECT_EQ(a.counters.filteredOut, b.counters.filteredOut);
    EXPECT_EQ(a.counters.rejected, b.counters.rejected);
    EXPECT_EQ(a.counters.rejectsByReason, b.counters.rejectsByReason);
    for (int k = 0; k < kRejectReasonCount; ++k)
        EXPECT_EQ(a.rejectLines.lines[std::size_t(k)], b.rejectLines.lines[std::size_t(k)]);
    EXPECT_EQ(a.lines, b.lines);
    ASSERT_EQ(a.groups.size(), b.groups.size());
    for (const auto &[key, s] : a.groups) {
        const auto it = b.groups.find(key);
        ASSERT_NE(it, b.groups.end()) << key.first << " / " << key.second;
        EXPECT_EQ(s.count, it->second.count);
        EXPECT_TRUE(nearRel(s.sumPrice, it->second.sumPrice, 1e-12));
        EXPECT_TRUE(nearRel(s.sumArea, it->second.sumArea, 1e-12));
        EXPECT_TRUE(nearRel(s.sumPricePerSqm, it->second.sumPricePerSqm, 1e-12));
        EXPECT_EQ(s.minPrice, it->second.minPrice);
        EXPECT_EQ(s.maxPrice, it->second.maxPrice);
    }
}

const GroupStats *group(const Parsed &p, const std::string &d, const std::string &t)
{
    const auto it = p.groups.find({d, t});
    return it == p.groups.end() ? nullptr : &it->second;
}

std::int64_t reasonCount(const Parsed &p, RejectReason r) { return p.counters.rejectsByReason[std::size_t(r)]; }
std::vector<std::int64_t> reasonLines(const Parsed &p, RejectReason r) { return p.rejectLines.lines[std::size_t(r)]; }

} // namespace

// ---------------------------------------------------------------------------
// Quoting
// ---------------------------------------------------------------------------

TEST(ChunkParser, QuotedFieldKeepsDelimiter)
{
    const Parsed p = parse("\"Lisboa, Centro\",Apartment,100000,50\n", config4());
    EXPECT_EQ(p.counters.accepted, 1);
    ASSERT_NE(group(p, "Lisboa, Centro", "Apartment"), nullptr);
}

TEST(ChunkParser, DoubledQuotesBecomeOneQuote)
{
    const Parsed p = parse("\"The \"\"Big\"\" One\",House,100000,50\n", config4());
    EXPECT_EQ(p.counters.accepted, 1);
    EXPECT_NE(group(p, "The \"Big\" One", "House"), nullptr);
}

TEST(ChunkParser, FieldEndingInDoubledQuote)
{
    // "a""" is the text a"
    const Parsed p = parse("\"a\"\"\",House,100000,50\n", config4());
    EXPECT_NE(group(p, "a\"", "House"), nullptr);
}

TEST(ChunkParser, QuotedNumbers)
{
    const Parsed p = parse("Porto,House,\"120000\",\"60\"\n", config4());
    const GroupStats *g = group(p, "Porto", "House");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->sumPrice, 120000.0);
    EXPECT_EQ(g->sumArea, 60.0);
}

TEST(ChunkParser, EmbeddedNewlineKeepsLaterLineNumbers)
{
    // record 1 spans lines 0-2 (two embedded newlines), record 2 is line 3, record 3 line 4
    const std::string text = "\"Porto\nNorte\nCentro\",House,100000,50\n"
                             "Faro,House,abc,50\n"
                             "Faro,House,100000,\n";
    const Parsed p = parse(text, config4());
    EXPECT_EQ(p.counters.rowsRead, 3);
    EXPECT_NE(group(p, "Porto\nNorte\nCentro", "House"), nullptr);
    EXPECT_EQ(reasonLines(p, RejectReason::PriceNotNumber), std::vector<std::int64_t>{3});
    EXPECT_EQ(reasonLines(p, RejectReason::AreaMissing), std::vector<std::int64_t>{4});
    EXPECT_EQ(p.lines, 5);
}

TEST(ChunkParser, EmbeddedCrlfCountsAsOneLine)
{
    const std::string text = "\"Porto\r\nNorte\",House,100000,50\r\n"
                             "Faro,House,abc,50\r\n";
    const Parsed p = parse(text, config4());
    EXPECT_NE(group(p, "Porto\r\nNorte", "House"), nullptr);
    EXPECT_EQ(reasonLines(p, RejectReason::PriceNotNumber), std::vector<std::int64_t>{2});
}

TEST(ChunkParser, QuoteInsideUnquotedFieldIsLiteral)
{
    // a quote that does not start a field does not open quoting: the comma after it still splits
    const Parsed p = parse("Li\"sboa,Hou\"se,100000,50\n", config4());
    EXPECT_EQ(p.counters.accepted, 1);
    EXPECT_EQ(p.counters.rejected, 0);
    EXPECT_NE(group(p, "Li\"sboa", "Hou\"se"), nullptr);
}

TEST(ChunkParser, QuoteAfterLeadingSpaceIsLiteral)
{
    const Parsed p = parse("Porto, \"a,b\",100000,50\n", config4());
    // ' "a' and 'b"' are separate fields: 5 fields for 4 columns
    EXPECT_EQ(reasonCount(p, RejectReason::FieldCount), 1);
}

// ---------------------------------------------------------------------------
// Line endings and blank lines
// ---------------------------------------------------------------------------

TEST(ChunkParser, CrlfLineEnds)
{
    const Parsed p = parse("Lisboa,House,100000,50\r\nPorto,House,200000,80\r\n", config4());
    EXPECT_EQ(p.counters.accepted, 2);
    EXPECT_EQ(p.counters.rejected, 0); // "50\r" would not be a number
    EXPECT_NE(group(p, "Porto", "House"), nullptr);
    EXPECT_EQ(p.lines, 2);
}

TEST(ChunkParser, CrlfIsNotPartOfTheLastField)
{
    // the label is the last column here: "House\r" would be a different group
    ParseConfig c = config4();
    c.priceColumn = 0;
    c.areaColumn = 1;
    c.districtColumn = 2;
    c.typeColumn = 3;
    const Parsed p = parse("100000,50,Lisboa,House\r\n200000,50,Lisboa,House\n", c);
    ASSERT_EQ(p.groups.size(), 1u);
    EXPECT_NE(group(p, "Lisboa", "House"), nullptr);
}

TEST(ChunkParser, CrlfAfterEmptyLastField)
{
    ParseConfig c = config4();
    c.fieldCount = 5;
    const Parsed p = parse("Lisboa,House,100000,50,\r\n", c);
    EXPECT_EQ(p.counters.accepted, 1);
}

TEST(ChunkParser, LoneCrLineEnds)
{
    const Parsed p = parse("Lisboa,House,100000,50\rPorto,House,200000,80\rFaro,House,x,1\r", config4());
    EXPECT_EQ(p.counters.rowsRead, 3);
    EXPECT_EQ(p.counters.accepted, 2);
    EXPECT_EQ(reasonLines(p, RejectReason::PriceNotNumber), std::vector<std::int64_t>{2});
}

TEST(ChunkParser, MixedLineEnds)
{
    const Parsed p = parse("Lisboa,House,100000,50\nPorto,House,200000,80\r\nFaro,House,300000,90\rBraga,House,x,1\n",
                           config4());
    EXPECT_EQ(p.counters.accepted, 3);
    EXPECT_EQ(reasonLines(p, RejectReason::PriceNotNumber), std::vector<std::int64_t>{3});
    EXPECT_EQ(p.lines, 4);
}

TEST(ChunkParser, NoTrailingNewline)
{
    const Parsed p = parse("Lisboa,House,100000,50\nPorto,House,200000,80", config4());
    EXPECT_EQ(p.counters.accepted, 2);
    const GroupStats *g = group(p, "Porto", "House");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->sumArea, 80.0);
}

TEST(ChunkParser, NoTrailingNewlineAfterQuotedField)
{
    const Parsed p = parse("Lisboa,House,100000,\"50\"", config4());
    EXPECT_EQ(p.counters.accepted, 1);
}

TEST(ChunkParser, BlankLinesAreSkippedButCounted)
{
    const std::string text = "\nLisboa,House,100000,50\n\n\r\n\rPorto,House,x,80\n\n";
    const Parsed p = parse(text, config4());
    EXPECT_EQ(p.counters.rowsRead, 2);
    EXPECT_EQ(p.counters.rejected, 1);
    // lines: 0 blank, 1 Lisboa, 2 blank, 3 blank (CRLF), 4 blank (CR), 5 Porto, 6 blank
    EXPECT_EQ(reasonLines(p, RejectReason::PriceNotNumber), std::vector<std::int64_t>{5});
}

TEST(ChunkParser, EmptyInput)
{
    const Parsed p = parse("", config4());
    EXPECT_EQ(p.counters.rowsRead, 0);
    EXPECT_TRUE(p.groups.empty());
}

// ---------------------------------------------------------------------------
// Field counts, column order
// ---------------------------------------------------------------------------

TEST(ChunkParser, TooFewFieldsIsFieldCount)
{
    const Parsed p = parse("Lisboa,House,100000,50\nLisboa,House,100000\n", config4());
    EXPECT_EQ(reasonCount(p, RejectReason::FieldCount), 1);
    EXPECT_EQ(reasonLines(p, RejectReason::FieldCount), std::vector<std::int64_t>{1});
    EXPECT_EQ(p.counters.accepted, 1);
}

TEST(ChunkParser, TooManyFieldsIsFieldCount)
{
    const Parsed p = parse("Lisboa,House,100000,50,extra\nLisboa,House,100000,50\n", config4());
    EXPECT_EQ(reasonCount(p, RejectReason::FieldCount), 1);
    EXPECT_EQ(reasonLines(p, RejectReason::FieldCount), std::vector<std::int64_t>{0});
}

TEST(ChunkParser, WhitespaceOnlyLineIsARaggedRow)
{
    const Parsed p = parse("   \nLisboa,House,100000,50\n", config4());
    EXPECT_EQ(reasonCount(p, RejectReason::FieldCount), 1);
    EXPECT_EQ(p.counters.accepted, 1);
}

TEST(ChunkParser, ColumnsInAnotherOrder)
{
    // the same listings with columns Area,Price,Type,District
    const std::string canonical = "Lisboa,House,100000,50\nPorto,Apartment,250000,80\nPorto,Apartment,300000,100\n";
    const std::string permuted = "50,100000,House,Lisboa\n80,250000,Apartment,Porto\n100,300000,Apartment,Porto\n";
    ParseConfig c = config4();
    c.areaColumn = 0;
    c.priceColumn = 1;
    c.typeColumn = 2;
    c.districtColumn = 3;
    expectSameParse(parse(canonical, config4()), parse(permuted, c));
}

TEST(ChunkParser, UnmappedColumnsAreIgnored)
{
    ParseConfig c = config4();
    c.fieldCount = 6;
    c.districtColumn = 1;
    c.typeColumn = 3;
    c.priceColumn = 4;
    c.areaColumn = 5;
    const Parsed p = parse("junk \"x\",Lisboa,\"a,b\nc\",House,100000,50\n", c);
    EXPECT_EQ(p.counters.accepted, 1);
    EXPECT_NE(group(p, "Lisboa", "House"), nullptr);
}

// ---------------------------------------------------------------------------
// Validation reasons, each with its line
// ---------------------------------------------------------------------------

TEST(ChunkParser, EveryRejectReasonWithItsLine)
{
    const std::string text = "Lisboa,House,100000,50\n"   // 0 ok
                             "Lisboa,House,100000\n"      // 1 field count
                             "Lisboa,House,,50\n"         // 2 price missing
                             "Lisboa,House,cheap,50\n"    // 3 price not a number
                             "Lisboa,House,NaN,50\n"      // 4 price not finite
                             "Lisboa,House,1e999,50\n"    // 5 price not finite (overflow)
                             "Lisboa,House,0,50\n"        // 6 price not positive
                             "Lisboa,House,-10,50\n"      // 7 price not positive
                             "Lisboa,House,100000, \n"    // 8 area missing
                             "Lisboa,House,100000,big\n"  // 9 area not a number
                             "Lisboa,House,100000,inf\n"  // 10 area not finite
                             "Lisboa,House,100000,0.0\n"  // 11 area not positive
                             "Lisboa,House,100000,-85\n"; // 12 area not positive
    const Parsed p = parse(text, config4());
    EXPECT_EQ(p.counters.rowsRead, 13);
    EXPECT_EQ(p.counters.accepted, 1);
    EXPECT_EQ(p.counters.rejected, 12);
    using V = std::vector<std::int64_t>;
    EXPECT_EQ(reasonLines(p, RejectReason::FieldCount), V{1});
    EXPECT_EQ(reasonLines(p, RejectReason::PriceMissing), V{2});
    EXPECT_EQ(reasonLines(p, RejectReason::PriceNotNumber), V{3});
    EXPECT_EQ(reasonLines(p, RejectReason::PriceNotFinite), (V{4, 5}));
    EXPECT_EQ(reasonLines(p, RejectReason::PriceNotPositive), (V{6, 7}));
    EXPECT_EQ(reasonLines(p, RejectReason::AreaMissing), V{8});
    EXPECT_EQ(reasonLines(p, RejectReason::AreaNotNumber), V{9});
    EXPECT_EQ(reasonLines(p, RejectReason::AreaNotFinite), V{10});
    EXPECT_EQ(reasonLines(p, RejectReason::AreaNotPositive), (V{11, 12}));
}

TEST(ChunkParser, ImplausiblyLargeValuesAreRejected)
{
    // 1e308 is finite, but a few of them would overflow the sums: above 1e12 (price) or
    // 1e9 (area) a value is rejected; the bounds themselves are still valid
    const std::string text = "Lisboa,House,1e308,50\n"         // 0 price too large
                             "Lisboa,House,1000000000001,50\n" // 1 price too large
                             "Lisboa,House,1e12,50\n"          // 2 ok
                             "Lisboa,House,100000,2e9\n"       // 3 area too large
                             "Lisboa,House,100000,1e9\n";      // 4 ok
    const Parsed p = parse(text, config4());
    using V = std::vector<std::int64_t>;
    EXPECT_EQ(reasonLines(p, RejectReason::PriceTooLarge), (V{0, 1}));
    EXPECT_EQ(reasonLines(p, RejectReason::AreaTooLarge), V{3});
    EXPECT_EQ(p.counters.accepted, 2);
    const GroupStats *g = group(p, "Lisboa", "House");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->maxPrice, 1e12);
}

TEST(ChunkParser, PriceIsCheckedBeforeArea)
{
    const Parsed p = parse("Lisboa,House,abc,xyz\n", config4());
    EXPECT_EQ(reasonCount(p, RejectReason::PriceNotNumber), 1);
    EXPECT_EQ(reasonCount(p, RejectReason::AreaNotNumber), 0);
}

TEST(ChunkParser, OnlyTheFirstFiveLinesPerReasonAreKept)
{
    std::string text;
    for (int i = 0; i < 9; ++i)
        text += "Lisboa,House,abc,50\n";
    const Parsed p = parse(text, config4());
    EXPECT_EQ(reasonCount(p, RejectReason::PriceNotNumber), 9);
    EXPECT_EQ(reasonLines(p, RejectReason::PriceNotNumber), (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
}

TEST(ChunkParser, RejectsDoNotStopTheChunk)
{
    const Parsed p = parse("Lisboa,House,abc,50\nLisboa,House\nPorto,House,100000,50\n", config4());
    EXPECT_EQ(p.counters.accepted, 1);
    EXPECT_EQ(p.counters.rejected, 2);
}

// ---------------------------------------------------------------------------
// Processing filter edges
// ---------------------------------------------------------------------------

TEST(ChunkParser, PriceExactlyAtMinimumIsKept)
{
    const Parsed p = parse("Lisboa,House,50000,20\n", config4());
    EXPECT_EQ(p.counters.accepted, 1);
    EXPECT_EQ(p.counters.filteredOut, 0);
}

TEST(ChunkParser, PriceJustBelowMinimumIsFiltered)
{
    const Parsed p = parse("Lisboa,House,49999.99,80\n", config4());
    EXPECT_EQ(p.counters.accepted, 0);
    EXPECT_EQ(p.counters.filteredOut, 1);
    EXPECT_EQ(p.counters.rejected, 0);
    EXPECT_TRUE(p.groups.empty());
}

TEST(ChunkParser, AreaJustBelowMinimumIsFiltered)
{
    const Parsed p = parse("Lisboa,House,100000,19.99\n", config4());
    EXPECT_EQ(p.counters.filteredOut, 1);
    EXPECT_EQ(p.counters.accepted, 0);
}

TEST(ChunkParser, FilterThresholdsAreSettable)
{
    ParseConfig c = config4();
    c.minPrice = 1000;
    c.minArea = 5;
    const Parsed p = parse("Lisboa,House,1000,5\nLisboa,House,999,50\nLisboa,House,5000,4.5\n", c);
    EXPECT_EQ(p.counters.accepted, 1);
    EXPECT_EQ(p.counters.filteredOut, 2);
}

TEST(ChunkParser, InvalidRowIsRejectedNotFiltered)
{
    // a negative price is below the minimum too, but it is invalid first
    const Parsed p = parse("Lisboa,House,-1,50\n", config4());
    EXPECT_EQ(p.counters.rejected, 1);
    EXPECT_EQ(p.counters.filteredOut, 0);
}

// ---------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------

TEST(ChunkParser, EmptyDistrictIsUnknown)
{
    const Parsed p = parse(",House,100000,50\n", config4());
    EXPECT_NE(group(p, "Unknown", "House"), nullptr);
}

TEST(ChunkParser, EmptyTypeIsUnknown)
{
    const Parsed p = parse("Lisboa,,100000,50\n", config4());
    EXPECT_NE(group(p, "Lisboa", "Unknown"), nullptr);
}

TEST(ChunkParser, BlankAndQuotedEmptyLabelsAreUnknown)
{
    const Parsed p = parse("  ,\"\",100000,50\n\" \",\t,200000,50\n", config4());
    const GroupStats *g = group(p, "Unknown", "Unknown");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->count, 2u);
    EXPECT_EQ(p.groups.size(), 1u);
}

TEST(ChunkParser, LabelsAreTrimmed)
{
    const Parsed p = parse("  Lisboa \t,\tHouse  ,100000,50\nLisboa,House,200000,50\n\" Lisboa \",House,300000,50\n",
                           config4());
    ASSERT_EQ(p.groups.size(), 1u);
    const GroupStats *g = group(p, "Lisboa", "House");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->count, 3u);
}

TEST(ChunkParser, LabelsAreCaseSensitive)
{
    const Parsed p = parse("Lisboa,House,100000,50\nLISBOA,House,100000,50\n", config4());
    EXPECT_EQ(p.groups.size(), 2u);
}

TEST(ChunkParser, NonAsciiLabels)
{
    const Parsed p = parse("Setúbal,Moradia,100000,50\nÉvora,Moradia,100000,50\n", config4());
    EXPECT_NE(group(p, "Setúbal", "Moradia"), nullptr);
    EXPECT_NE(group(p, "Évora", "Moradia"), nullptr);
}

// ---------------------------------------------------------------------------
// Other delimiters, decimal comma
// ---------------------------------------------------------------------------

TEST(ChunkParser, TabDelimiter)
{
    const Parsed p = parse("Lisboa, Centro\tHouse\t100000\t50\n", config4('\t'));
    EXPECT_EQ(p.counters.accepted, 1);
    EXPECT_NE(group(p, "Lisboa, Centro", "House"), nullptr);
}

TEST(ChunkParser, SemicolonDelimiterWithDecimalComma)
{
    const Parsed p = parse("Lisboa;House;250000,5;80,25\n\"A;B\";House;1.250.000;100\n", config4(';', true));
    const GroupStats *g = group(p, "Lisboa", "House");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->sumPrice, 250000.5);
    EXPECT_EQ(g->sumArea, 80.25);
    const GroupStats *h = group(p, "A;B", "House");
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(h->sumPrice, 1250000.0);
}

TEST(ChunkParser, CommaIsOrdinaryTextWithSemicolonDelimiter)
{
    const Parsed p = parse("Lisboa, Centro;House;100000;50\n", config4(';'));
    EXPECT_NE(group(p, "Lisboa, Centro", "House"), nullptr);
}

// ---------------------------------------------------------------------------
// Aggregates of one chunk
// ---------------------------------------------------------------------------

TEST(ChunkParser, GroupStatsOfAChunk)
{
    // Lisboa/House: (100000, 50) -> 2000/m2, (300000, 100) -> 3000/m2
    const Parsed p = parse("Lisboa,House,100000,50\nLisboa,House,300000,100\nPorto,House,60000,30\n", config4());
    const GroupStats *g = group(p, "Lisboa", "House");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->count, 2u);
    EXPECT_EQ(g->sumPrice, 400000.0);
    EXPECT_EQ(g->sumArea, 150.0);
    EXPECT_EQ(g->sumPricePerSqm, 5000.0);
    EXPECT_EQ(g->minPrice, 100000.0);
    EXPECT_EQ(g->maxPrice, 300000.0);
    EXPECT_EQ(g->avgPricePerSqm(), 2500.0);
}

TEST(ChunkParser, AcceptedListingsAreKeptInFileOrder)
{
    const std::string text = "Lisboa,House,100000,50\nPorto,House,abc,50\nPorto,Flat,200000,60\n";
    ChunkResult r;
    parseChunk(text.data(), text.size(), config4(), r);
    ASSERT_EQ(r.price.size(), 2u);
    EXPECT_EQ(r.price[0], 100000.0);
    EXPECT_EQ(r.area[1], 60.0);
    EXPECT_EQ(r.districts.strings()[r.district[1]], "Porto");
    EXPECT_EQ(r.types.strings()[r.type[1]], "Flat");
}

// ---------------------------------------------------------------------------
// Against the reference on generated input
// ---------------------------------------------------------------------------

TEST(ChunkParser, MatchesReferenceOnTrickyInput)
{
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        const std::string text = makeTrickyRecords(seed, 300);
        const RefResult ref = refAggregateRecords(refSplit(text, ','), trickyColumns(), 50000, 20);
        expectParsedMatchesRef(parse(text, trickyConfig()), ref);
    }
}

TEST(ChunkParser, MatchesReferenceOnTrickyInputWithSemicolons)
{
    TrickyOptions o;
    o.delimiter = ';';
    for (std::uint64_t seed = 100; seed < 110; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        const std::string text = makeTrickyRecords(seed, 300, o);
        const RefResult ref = refAggregateRecords(refSplit(text, ';'), trickyColumns(), 50000, 20);
        expectParsedMatchesRef(parse(text, trickyConfig(';')), ref);
    }
}

TEST(ChunkParser, MatchesReferenceOnManySmallInputs)
{
    // short inputs put quotes, doubled quotes and line ends at every offset of the 64-byte blocks
    for (std::uint64_t seed = 1000; seed < 3000; ++seed) {
        const std::string text = makeTrickyRecords(seed, 1 + int(seed % 5));
        const RefResult ref = refAggregateRecords(refSplit(text, ','), trickyColumns(), 50000, 20);
        const Parsed p = parse(text, trickyConfig());
        ASSERT_EQ(p.counters.rowsRead, ref.rowsRead) << "seed " << seed;
        ASSERT_EQ(p.counters.accepted, ref.accepted) << "seed " << seed;
        ASSERT_EQ(p.counters.rejected, ref.rejected) << "seed " << seed;
        ASSERT_EQ(p.groups.size(), ref.groups.size()) << "seed " << seed;
    }
}

/// Both copies of the parser (SSE2 and AVX2) give identical results, down to
/// the order of the accepted listings and the local label ids.
void expectSameChunk(const ChunkResult &a, const ChunkResult &b)
{
    EXPECT_EQ(a.counters.rowsRead, b.counters.rowsRead);
    EXPECT_EQ(a.counters.accepted, b.counters.accepted);
    EXPECT_EQ(a.counters.filteredOut, b.counters.filteredOut);
    EXPECT_EQ(a.counters.rejectsByReason, b.counters.rejectsByReason);
    EXPECT_EQ(a.lines, b.lines);
    for (int k = 0; k < kRejectReasonCount; ++k)
        EXPECT_EQ(a.rejectLines.lines[std::size_t(k)], b.rejectLines.lines[std::size_t(k)]);
    EXPECT_EQ(a.districts.strings(), b.districts.strings());
    EXPECT_EQ(a.types.strings(), b.types.strings());
    EXPECT_EQ(a.district, b.district);
    EXPECT_EQ(a.type, b.type);
    EXPECT_EQ(a.price, b.price);
    EXPECT_EQ(a.area, b.area);
}

TEST(ScanKernels, Sse2AndAvx2Agree)
{
    if (!scanKernelSupported(ScanKernel::Avx2))
        GTEST_SKIP() << "this CPU has no AVX2: only the SSE2 copy runs here";
    auto both = [](const std::string &text, ParseConfig cfg) {
        ChunkResult narrow, wide;
        cfg.scan = ScanKernel::Sse2;
        parseChunk(text.data(), text.size(), cfg, narrow);
        cfg.scan = ScanKernel::Avx2;
        parseChunk(text.data(), text.size(), cfg, wide);
        expectSameChunk(narrow, wide);
    };
    TrickyOptions semicolons;
    semicolons.delimiter = ';';
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        both(makeTrickyRecords(seed, 200), trickyConfig());
        both(makeTrickyRecords(seed + 100, 200, semicolons), trickyConfig(';'));
        ParseConfig literal = trickyConfig();
        literal.quotesLiteral = true;
        both(makeTrickyRecords(seed + 200, 200), literal);
        if (::testing::Test::HasFailure())
            return;
    }
    for (std::uint64_t seed = 1000; seed < 1600; ++seed)
        both(makeTrickyRecords(seed, 1 + int(seed % 5)), trickyConfig());
}

TEST(ScanKernels, NamesSayWhatRuns)
{
    EXPECT_TRUE(scanKernelSupported(ScanKernel::Best));
    const std::string best = scanKernelName(ScanKernel::Best);
    EXPECT_EQ(best, scanKernelSupported(ScanKernel::Avx2) ? "avx2" : scanKernelName(ScanKernel::Sse2));
}

// Inputs built so that a given feature lands on every byte offset around the
// parser's 64-byte blocks: a filler record of growing length comes first.
struct Feature {
    const char *name;
    std::string text;
};

void PrintTo(const Feature &f, std::ostream *os) { *os << f.name; }

class BlockBoundary : public ::testing::TestWithParam<Feature> {};

TEST_P(BlockBoundary, FeatureAtEveryOffsetMatchesReference)
{
    const std::string feature = GetParam().text;
    for (int pad = 0; pad <= 140; ++pad) {
        SCOPED_TRACE("pad " + std::to_string(pad));
        std::string text = "60000," + std::string(std::size_t(pad), 'x') + ",Filler,30,-\n";
        text += feature;
        text += "70000,Tail,House,abc,-\n"; // a reject after the feature: its line number must be right
        text += feature;
        text += "80000,Tail,House,40,-";
        const RefResult ref = refAggregateRecords(refSplit(text, ','), trickyColumns(), 50000, 20);
        ASSERT_GT(ref.accepted, 0);
        expectParsedMatchesRef(parse(text, trickyConfig()), ref);
        if (::testing::Test::HasFailure())
            return;
    }
}

INSTANTIATE_TEST_SUITE_P(
    ChunkParser, BlockBoundary,
    ::testing::Values(Feature{"QuotedDelimiter", "100000,\"Quoted, District\",Apartment,50,-\n"},
                      Feature{"DoubledQuotes", "120000,\"Dq \"\"x\"\" y\",House,60,-\n"},
                      Feature{"FieldThatIsOneQuote", "125000,\"\"\"\",House,60,-\n"},
                      Feature{"Crlf", "130000,Plain,House,65,-\r\n"},
                      Feature{"CrlfAfterEmptyField", "135000,Plain,House,66,\r\n"},
                      Feature{"EmbeddedLfAndCrlf", "140000,\"Multi\nLine\",Apartment,70,\"a\r\nb\"\n"},
                      Feature{"LiteralQuote", "150000,Lis\"boa,House,75,-\n"},
                      Feature{"EmptyQuotedAndLoneCr", "160000,\"\",House,80,-\r"},
                      Feature{"BlankLines", "165000,A,House,80,-\r\r\n\n"},
                      Feature{"EverythingAtOnce", "170000,\"a,\"\"b\"\",\nc\",House,\"85\",\"x\"\"\"\n"},
                      Feature{"EveryFieldQuoted", "175000,\"Q, D\",\"House\",\"90\",\"n, o\"\n"},
                      Feature{"QuotedFieldLongerThanABlock",
                              "180000,\"" + std::string(40, 'w') + ", " + std::string(40, 'v') + "\",House,50,-\n"},
                      Feature{"StrayTextAfterClosingQuote", "185000,\"Ab\"cd,House,50,\"x\"y\n"},
                      Feature{"QuoteAfterQuotedText", "190000,\"A\"b\"c,House,50,-\n"}),
    [](const ::testing::TestParamInfo<Feature> &p) { return std::string(p.param.name); });

TEST(ChunkParser, QuoteStraddlingBlockEnd)
{
    // opening quote at byte 63, its content in the next block
    std::string text = "60000,A,House,30,";
    text += std::string(63 - text.size() - 1, 'n'); // note field fills up to byte 61
    text += "\n";                                    // byte 62
    text += "\"";                                    // byte 63: opening quote of the next record's price
    text += "90000\",\"B,\nC\",House,40,-\n";
    ASSERT_EQ(text[63], '"');
    const RefResult ref = refAggregateRecords(refSplit(text, ','), trickyColumns(), 50000, 20);
    ASSERT_EQ(ref.accepted, 2);
    expectParsedMatchesRef(parse(text, trickyConfig()), ref);
}

TEST(ChunkParser, DoubledQuoteStraddlingBlockEnd)
{
    std::string text = "90000,\"";
    text += std::string(63 - text.size(), 'q'); // bytes 7..62 inside the quoted district
    text += "\"\"";                              // bytes 63 and 64: a doubled quote
    text += ",still quoted\",House,40,-\nNext,House,abc,40,-\n";
    ASSERT_EQ(text[63], '"');
    ASSERT_EQ(text[64], '"');
    const RefResult ref = refAggregateRecords(refSplit(text, ','), trickyColumns(), 50000, 20);
    ASSERT_EQ(ref.accepted, 1);
    ASSERT_EQ(ref.rejected, 1);
    expectParsedMatchesRef(parse(text, trickyConfig()), ref);
}

TEST(ChunkParser, CrlfStraddlingBlockEnd)
{
    std::string text = "90000,A,House,40,";
    text += std::string(63 - text.size(), 'n');
    text += "\r\n"; // bytes 63 and 64
    text += "95000,B,House,41,-\r\n";
    ASSERT_EQ(text[63], '\r');
    ASSERT_EQ(text[64], '\n');
    const Parsed p = parse(text, trickyConfig());
    EXPECT_EQ(p.counters.rowsRead, 2);
    EXPECT_EQ(p.counters.accepted, 2);
    EXPECT_EQ(p.lines, 2);
}

// ---------------------------------------------------------------------------
// Splitting a buffer into records
// ---------------------------------------------------------------------------

TEST(RecordSplit, LastRecordEndFindsLastLineEnd)
{
    const std::string s = "a,b\nc,d\ne,f";
    const SplitResult r = lastRecordEnd(s.data(), s.size(), ',', false);
    EXPECT_EQ(r.end, 8u);
    EXPECT_FALSE(r.endsInQuote);
}

TEST(RecordSplit, LastRecordEndSkipsNewlineInsideQuotes)
{
    const std::string s = "a,b\nc,\"d\ne";
    const SplitResult r = lastRecordEnd(s.data(), s.size(), ',', false);
    EXPECT_EQ(r.end, 4u);
    EXPECT_TRUE(r.endsInQuote);
}

TEST(RecordSplit, LastRecordEndDoesNotSplitCrlfAtBufferEnd)
{
    const std::string s = "a,b\r\nc,d\r";
    const SplitResult r = lastRecordEnd(s.data(), s.size(), ',', false);
    EXPECT_EQ(r.end, 5u); // the trailing CR may be half of a CRLF
}

TEST(RecordSplit, LastRecordEndNoCompleteRecord)
{
    const std::string s = "a,b,c";
    EXPECT_EQ(lastRecordEnd(s.data(), s.size(), ',', false).end, 0u);
}

TEST(RecordSplit, LastRecordEndWithLiteralQuotes)
{
    const std::string s = "a,\"b\nc,d\n";
    EXPECT_EQ(lastRecordEnd(s.data(), s.size(), ',', true).end, s.size());
}

TEST(RecordSplit, NthRecordEndCountsRecordsNotLines)
{
    const std::string s = "a,\"x\ny\"\n\nb,c\r\nd,e\n";
    std::size_t records = 0;
    const SplitResult r = nthRecordEnd(s.data(), s.size(), ',', false, 2, &records);
    EXPECT_EQ(records, 2u);
    EXPECT_EQ(s.substr(0, r.end), "a,\"x\ny\"\n\nb,c\r\n");
}

TEST(RecordSplit, NthRecordEndFewerThanAsked)
{
    const std::string s = "a,b\nc,d\n";
    std::size_t records = 0;
    const SplitResult r = nthRecordEnd(s.data(), s.size(), ',', false, 10, &records);
    EXPECT_EQ(records, 2u);
    EXPECT_EQ(r.end, s.size());
}

TEST(RecordSplit, LastRecordEndAgreesWithTheRecordCounterAtEveryLength)
{
    // Dense quotes (every text field quoted, doubled quotes, quoted line breaks,
    // CRLF) cut at every length: the block walk of lastRecordEnd must find the
    // same last record end and quote state as nthRecordEnd's byte loop.
    std::string text;
    for (int i = 0; i < 40; ++i) {
        text += "\"" + std::to_string(100000 + i) + "\",\"D" + std::to_string(i % 3) + ", x\",\"House\",\"" +
                std::to_string(40 + i) + "\",\"";
        text += i % 4 == 0 ? "a \"\"b\"\"" : i % 4 == 1 ? "two\nlines" : i % 4 == 2 ? "" : "long " + std::string(70, 'z');
        text += i % 5 == 0 ? "\"\r\n" : "\"\n";
        if (i % 7 == 0)
            text += "plain,Lis\"boa,House,50,-\n"; // a literal quote inside an unquoted field
    }
    text += makeTrickyRecords(77, 60);
    for (std::size_t len = 0; len <= text.size(); ++len) {
        const SplitResult last = lastRecordEnd(text.data(), len, ',', false);
        std::size_t records = 0;
        const SplitResult byRecords = nthRecordEnd(text.data(), len, ',', false, SIZE_MAX, &records);
        ASSERT_EQ(last.end, byRecords.end) << "length " << len;
        ASSERT_EQ(last.endsInQuote, byRecords.endsInQuote) << "length " << len;
    }
}

TEST(RecordSplit, DoubledQuoteAtEveryOffsetOfAQuotedField)
{
    // The block walk starts a block at a quote after a quote-free stretch; a
    // doubled quote k bytes into the field then lands on every bit of the block,
    // including the last one (its second half opens the next block).
    for (std::size_t k = 0; k <= 130; ++k) {
        const std::string text = std::string(100, 'p') + ",A,House,50,-\n\"" + std::string(k, 'x') +
                                 "\"\"y, z\",B,House,60,-\n70000,C,House,70,-\n";
        for (std::size_t len = 0; len <= text.size(); ++len) {
            const SplitResult last = lastRecordEnd(text.data(), len, ',', false);
            std::size_t records = 0;
            const SplitResult byRecords = nthRecordEnd(text.data(), len, ',', false, SIZE_MAX, &records);
            ASSERT_EQ(last.end, byRecords.end) << "k " << k << " length " << len;
            ASSERT_EQ(last.endsInQuote, byRecords.endsInQuote) << "k " << k << " length " << len;
        }
    }
}

TEST(RecordSplit, SplittingAtLastRecordEndGivesTheSameResult)
{
    const std::string text = makeTrickyRecords(7, 2000);
    const ParseConfig cfg = trickyConfig();
    const Parsed whole = parse(text, cfg);
    const RefResult ref = refAggregateRecords(refSplit(text, ','), trickyColumns(), 50000, 20);
    expectParsedMatchesRef(whole, ref);
    for (std::size_t window : {1u, 7u, 63u, 64u, 65u, 100u, 1000u, 4096u}) {
        SCOPED_TRACE("window " + std::to_string(window));
        const Parsed pieces = parseInPieces(text, cfg, window, [](const char *d, std::size_t n) {
            return lastRecordEnd(d, n, ',', false).end;
        });
        expectSameParse(whole, pieces);
    }
}

TEST(RecordSplit, SplittingAtNthRecordEndGivesTheSameResult)
{
    const std::string text = makeTrickyRecords(8, 1500);
    const ParseConfig cfg = trickyConfig();
    const Parsed whole = parse(text, cfg);
    for (std::size_t n : {1u, 3u, 50u}) {
        SCOPED_TRACE("records per piece " + std::to_string(n));
        const Parsed pieces = parseInPieces(text, cfg, 1 << 20, [n](const char *d, std::size_t size) {
            std::size_t recs = 0;
            return nthRecordEnd(d, size, ',', false, n, &recs).end;
        });
        expectSameParse(whole, pieces);
    }
}

TEST(RecordSplit, NthRecordEndPiecesHoldTheAskedNumberOfRecords)
{
    const std::string text = makeTrickyRecords(9, 500);
    const ParseConfig cfg = trickyConfig();
    std::size_t pos = 0;
    int pieces = 0;
    while (pos < text.size()) {
        std::size_t recs = 0;
        const SplitResult r = nthRecordEnd(text.data() + pos, text.size() - pos, ',', false, 7, &recs);
        if (r.end == 0)
            break;
        ChunkResult c;
        parseChunk(text.data() + pos, r.end, cfg, c);
        EXPECT_EQ(c.counters.rowsRead, std::int64_t(recs));
        if (pos + r.end < text.size()) {
            EXPECT_EQ(recs, 7u);
        }
        pos += r.end;
        ++pieces;
    }
    EXPECT_GT(pieces, 60);
}
