#include "numberparse.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

namespace es {
namespace {

bool isSpace(unsigned char c) { return c == ' ' || c == '\t'; }
bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s)
{
    while (!s.empty() && isSpace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// Lengths of UTF-8 encoded characters commonly found around amounts: no-break
// space (C2 A0), narrow no-break space (E2 80 AF), thin space (E2 80 89).
std::size_t utf8SpaceAt(std::string_view s, std::size_t i)
{
    const auto *u = reinterpret_cast<const unsigned char *>(s.data());
    if (i + 1 < s.size() && u[i] == 0xC2 && u[i + 1] == 0xA0)
        return 2;
    if (i + 2 < s.size() && u[i] == 0xE2 && u[i + 1] == 0x80 && (u[i + 2] == 0xAF || u[i + 2] == 0x89))
        return 3;
    return 0;
}

// Strips a currency sign or unit before/after the number: everything that is
// not a digit, sign or separator at either end ("€ 250 000", "85 m²", "USD 1,200").
std::string_view stripDecorations(std::string_view s)
{
    std::size_t b = 0;
    while (b < s.size()) {
        const auto c = static_cast<unsigned char>(s[b]);
        if (isDigit(c) || c == '-' || c == '+' || c == '.' || c == ',')
            break;
        ++b;
    }
    std::size_t e = s.size();
    while (e > b) {
        const auto c = static_cast<unsigned char>(s[e - 1]);
        if (isDigit(c) || c == '.')
            break;
        --e;
    }
    // a unit like "m2" leaves its digit: "85 m2" -> keep "85 " only if a space separates
    std::string_view r = s.substr(b, e - b);
    const std::size_t sp = r.find_last_of(' ');
    if (sp != std::string_view::npos && sp + 1 < r.size()) {
        const auto tail = r.substr(sp + 1);
        bool letters = false;
        for (char ch : tail)
            letters |= (static_cast<unsigned char>(ch) >= 0x80 || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'));
        if (letters)
            r = r.substr(0, sp);
    }
    return trim(r);
}

NumberStatus finish(std::string_view s, double &out)
{
    if (s.empty())
        return NumberStatus::NotNumber;
    const char *first = s.data();
    const char *last = s.data() + s.size();
    if (*first == '+')
        ++first;
    double v = 0;
    const auto [ptr, ec] = std::from_chars(first, last, v, std::chars_format::general);
    if (ec == std::errc::result_out_of_range) {
        // Overflow (1e400) is not finite; underflow (1e-400) is a tiny number.
        if (ptr == last) {
            const bool tiny = s.find_first_of("eE") != std::string_view::npos &&
                              s.find('-', s.find_first_of("eE")) != std::string_view::npos;
            if (tiny) {
                out = 0.0;
                return NumberStatus::Ok;
            }
            return NumberStatus::NotFinite;
        }
        return NumberStatus::NotNumber;
    }
    if (ec != std::errc() || ptr != last)
        return NumberStatus::NotNumber;
    if (!std::isfinite(v))
        return NumberStatus::NotFinite;
    out = v;
    return NumberStatus::Ok;
}

// Removes grouping separators and normalises the decimal separator to '.'.
// Returns false when the text is not a well-formed grouped number.
bool normalise(std::string_view s, bool decimalComma, char *buf, std::size_t cap, std::size_t &len)
{
    const char decimal = decimalComma ? ',' : '.';
    const char group = decimalComma ? '.' : ',';
    len = 0;
    int digitsSinceGroup = -1; // -1: no group separator seen yet
    bool seenDecimal = false;
    bool seenExponent = false;
    int intDigits = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (len + 1 >= cap)
            return false;
        if (const std::size_t w = utf8SpaceAt(s, i)) { // grouping by (no-break) space
            if (seenDecimal || seenExponent || intDigits == 0)
                return false;
            if (digitsSinceGroup >= 0 && digitsSinceGroup != 3)
                return false;
            digitsSinceGroup = 0;
            i += w - 1;
            continue;
        }
        if (c == group || c == ' ' || c == '\'') {
            if (seenDecimal || seenExponent || intDigits == 0)
                return false;
            if (digitsSinceGroup >= 0 && digitsSinceGroup != 3)
                return false;
            digitsSinceGroup = 0;
            continue;
        }
        if (c == decimal && !seenExponent) {
            if (seenDecimal || (digitsSinceGroup >= 0 && digitsSinceGroup != 3))
                return false;
            seenDecimal = true;
            buf[len++] = '.';
            continue;
        }
        if (c == 'e' || c == 'E') {
            if (seenExponent || (digitsSinceGroup >= 0 && digitsSinceGroup != 3 && !seenDecimal))
                return false;
            seenExponent = true;
            buf[len++] = c;
            continue;
        }
        if (isDigit(static_cast<unsigned char>(c))) {
            if (!seenDecimal && !seenExponent) {
                ++intDigits;
                if (digitsSinceGroup >= 0)
                    ++digitsSinceGroup;
            }
            buf[len++] = c;
            continue;
        }
        if ((c == '-' || c == '+') && (i == 0 || s[i - 1] == 'e' || s[i - 1] == 'E')) {
            buf[len++] = c;
            continue;
        }
        return false;
    }
    if (!seenDecimal && !seenExponent && digitsSinceGroup >= 0 && digitsSinceGroup != 3)
        return false;
    return len > 0;
}

} // namespace

namespace {

} // namespace

NumberStatus parseNumber(std::string_view text, bool decimalComma, double &out) noexcept
{
    std::string_view s = trim(text);
    if (s.empty())
        return NumberStatus::Missing;
    if (parseDecimalFast(s, decimalComma ? ',' : '.', out))
        return NumberStatus::Ok;
    // Fast path: a plain C-locale number ("250000.0", "1e5").
    if (!decimalComma) {
        const NumberStatus st = finish(s, out);
        if (st != NumberStatus::NotNumber)
            return st;
        // "nan"/"inf" spelled in other ways
    }
    std::string_view core = stripDecorations(s);
    if (core.empty()) {
        // Words like "NaN", "Infinity", "n/a": say not finite for the IEEE words.
        std::string lower;
        for (char c : s)
            lower.push_back(char(c | 0x20));
        if (lower == "nan" || lower == "inf" || lower == "-inf" || lower == "+inf" || lower == "infinity" ||
            lower == "-infinity" || lower == "-nan")
            return NumberStatus::NotFinite;
        return NumberStatus::NotNumber;
    }
    char buf[128];
    std::size_t len = 0;
    if (normalise(core, decimalComma, buf, sizeof buf, len))
        return finish(std::string_view(buf, len), out);
    // A file with decimal commas may still hold a plain "250000.0" here and there.
    if (decimalComma && normalise(core, false, buf, sizeof buf, len))
        return finish(std::string_view(buf, len), out);
    return NumberStatus::NotNumber;
}

} // namespace es
