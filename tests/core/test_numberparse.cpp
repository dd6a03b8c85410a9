// parseNumber: C-locale decimals with exponents, plus the forms real listings
// files use (decimal commas, thousands separators, currency signs, units).
#include "numberparse.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string_view>

using es::NumberStatus;
using es::parseNumber;

namespace {

struct Parsed {
    NumberStatus status;
    double value;
};

Parsed dot(std::string_view s)
{
    double v = -12345.678; // sentinel: must be overwritten on success
    const NumberStatus st = parseNumber(s, false, v);
    return {st, v};
}

Parsed comma(std::string_view s)
{
    double v = -12345.678;
    const NumberStatus st = parseNumber(s, true, v);
    return {st, v};
}

} // namespace

TEST(NumberParse, PlainInteger)
{
    const Parsed p = dot("250000");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 250000.0);
}

TEST(NumberParse, PlainDecimalAsWrittenByPandas)
{
    const Parsed p = dot("250000.5");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 250000.5);
}

TEST(NumberParse, Exponent)
{
    const Parsed p = dot("2.5e5");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 250000.0);
    const Parsed q = dot("1E-2");
    ASSERT_EQ(q.status, NumberStatus::Ok);
    EXPECT_EQ(q.value, 0.01);
}

TEST(NumberParse, Negative)
{
    const Parsed p = dot("-85.25");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, -85.25);
}

TEST(NumberParse, LeadingPlusSign)
{
    const Parsed p = dot("+120");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 120.0);
}

TEST(NumberParse, SurroundingSpacesAndTabs)
{
    const Parsed p = dot("  \t 42.5 \t");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 42.5);
}

TEST(NumberParse, EmptyIsMissing)
{
    EXPECT_EQ(dot("").status, NumberStatus::Missing);
    EXPECT_EQ(comma("").status, NumberStatus::Missing);
}

TEST(NumberParse, BlankIsMissing)
{
    EXPECT_EQ(dot("   ").status, NumberStatus::Missing);
    EXPECT_EQ(dot("\t").status, NumberStatus::Missing);
}

TEST(NumberParse, WordIsNotNumber)
{
    EXPECT_EQ(dot("abc").status, NumberStatus::NotNumber);
    EXPECT_EQ(dot("sob consulta").status, NumberStatus::NotNumber);
    EXPECT_EQ(dot("n/a").status, NumberStatus::NotNumber);
}

TEST(NumberParse, TrailingGarbageIsNotNumber)
{
    EXPECT_EQ(dot("12x5").status, NumberStatus::NotNumber);
    EXPECT_EQ(dot("1.2.3").status, NumberStatus::NotNumber);
    EXPECT_EQ(dot("--5").status, NumberStatus::NotNumber);
}

TEST(NumberParse, NanIsNotFinite)
{
    EXPECT_EQ(dot("nan").status, NumberStatus::NotFinite);
    EXPECT_EQ(dot("NaN").status, NumberStatus::NotFinite);
}

TEST(NumberParse, InfinityIsNotFinite)
{
    EXPECT_EQ(dot("inf").status, NumberStatus::NotFinite);
    EXPECT_EQ(dot("-inf").status, NumberStatus::NotFinite);
    EXPECT_EQ(dot("Infinity").status, NumberStatus::NotFinite);
}

TEST(NumberParse, OverflowIsNotFinite)
{
    EXPECT_EQ(dot("1e400").status, NumberStatus::NotFinite);
    EXPECT_EQ(dot("-1e400").status, NumberStatus::NotFinite);
}

TEST(NumberParse, LargestFiniteIsOk)
{
    const Parsed p = dot("1e308");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 1e308);
}

TEST(NumberParse, UnderflowIsATinyFiniteNumber)
{
    const Parsed p = dot("1e-400");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_TRUE(std::isfinite(p.value));
    EXPECT_GE(p.value, 0.0);
    EXPECT_LT(p.value, 1e-300);
}

TEST(NumberParse, DecimalCommaMode)
{
    const Parsed p = comma("123,5");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 123.5);
}

TEST(NumberParse, DecimalCommaWithDotThousands)
{
    const Parsed p = comma("1.234.567,89");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 1234567.89);
}

TEST(NumberParse, DecimalCommaModeStillReadsPlainDotDecimal)
{
    const Parsed p = comma("250000.5");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 250000.5);
}

TEST(NumberParse, CommaThousandsInDotMode)
{
    const Parsed p = dot("1,250,000");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 1250000.0);
}

TEST(NumberParse, CommaThousandsWithDecimals)
{
    const Parsed p = dot("1,250,000.75");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 1250000.75);
}

TEST(NumberParse, AmbiguousCommaInDotModeIsNotNumber)
{
    // "1,5" is a decimal comma, not a thousands group of three: refuse to guess.
    EXPECT_EQ(dot("1,5").status, NumberStatus::NotNumber);
}

TEST(NumberParse, BadGroupSizeIsNotNumber)
{
    EXPECT_EQ(dot("12,34,567").status, NumberStatus::NotNumber);
    EXPECT_EQ(dot("1,2345").status, NumberStatus::NotNumber);
}

TEST(NumberParse, EuroSignAndSpaceThousands)
{
    const Parsed p = dot("€ 250 000");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 250000.0);
}

TEST(NumberParse, TrailingEuroSign)
{
    const Parsed p = comma("250.000,50 €");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 250000.5);
}

TEST(NumberParse, SquareMetreUnit)
{
    const Parsed p = dot("85 m²");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 85.0);
}

TEST(NumberParse, DollarWithCommaThousands)
{
    const Parsed p = dot("$1,200");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 1200.0);
}

TEST(NumberParse, NoBreakSpaceThousands)
{
    const Parsed p = dot("250\xC2\xA0"
                         "000");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 250000.0);
}

TEST(NumberParse, ZeroIsANumber)
{
    // zero is a valid number; rejecting it is the validation's job, not the parser's
    const Parsed p = dot("0.0");
    ASSERT_EQ(p.status, NumberStatus::Ok);
    EXPECT_EQ(p.value, 0.0);
}

TEST(NumberParse, DoesNotReadPastTheView)
{
    // the view covers "12" of "12345": the parser must stop at its end
    const char text[] = "12345";
    double v = 0;
    ASSERT_EQ(parseNumber(std::string_view(text, 2), false, v), NumberStatus::Ok);
    EXPECT_EQ(v, 12.0);
}
