// Parsing decimal numbers from CSV fields: C locale with exponents on the fast
// path, plus the forms real listings files use (decimal commas, thousands
// separators, currency symbols and units around the number).
#pragma once

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

} // namespace es
