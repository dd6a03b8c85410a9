// Parsing decimal numbers from CSV fields: C locale with exponents on the fast
// path, plus the forms real listings files use (decimal commas, thousands
// separators, currency symbols and units around the number).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace es {

enum class NumberStatus : std::uint8_t { Ok, Missing, NotNumber, NotFinite };

/// Parses `text` (surrounding spaces allowed). With `decimalComma`, ',' is the
/// decimal separator and '.', ' ' are grouping; without it '.' is decimal and
/// ',' is grouping only where it separates groups of exactly three digits
/// ("1,250,000"); "1,5" is then not a number. A currency sign or unit before or
/// after the number ("€ 250 000", "85 m²", "$1,200") is ignored.
NumberStatus parseNumber(std::string_view text, bool decimalComma, double &out) noexcept;

/// Exact fast path for the common "250000.0" / "85.5" / "-12" (no spaces, no
/// grouping): the digits form an integer m <= 2^53 and the fraction has k <= 22
/// digits, so m and 10^k are exact doubles and m / 10^k is the correctly rounded
/// result (Clinger's fast path). Returns false when it does not apply.
inline bool parseDecimalFast(std::string_view s, char decimal, double &out) noexcept
{
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = s.data();
    const char *const e = p + s.size();
    const bool negative = p != e && *p == '-';
    p += negative;
    std::uint64_t m = 0;
    const char *const intStart = p;
    while (p != e && static_cast<unsigned>(*p - '0') < 10u)
        m = m * 10 + static_cast<unsigned>(*p++ - '0');
    std::ptrdiff_t digits = p - intStart;
    std::ptrdiff_t fraction = 0;
    if (p != e && *p == decimal) {
        const char *const fracStart = ++p;
        while (p != e && static_cast<unsigned>(*p - '0') < 10u)
            m = m * 10 + static_cast<unsigned>(*p++ - '0');
        fraction = p - fracStart;
        digits += fraction;
    }
    if (p != e || digits == 0 || digits > 19 || fraction > 22 || m > (std::uint64_t(1) << 53))
        return false;
    double v = double(m);
    if (fraction)
        v /= kPow10[fraction];
    out = negative ? -v : v;
    return true;
}

} // namespace es
