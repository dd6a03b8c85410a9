// The record parser: turns whole CSV records into validated listings. Shared
// by the translation units that compile it for different instruction sets
// (chunkparser.cpp: SSE2, chunkparser_wide.cpp: AVX2). Everything here
// has internal linkage, so each unit keeps its own copy: include it after every
// other header (and, in chunkparser_wide.cpp, inside the target region).
#pragma once

#include "chunkparser.h"
#include "numberparse.h"

#include <algorithm>
#include <climits>
#include <cstring>

namespace es {

namespace {

constexpr int kSlots = 4; // district, type, price, area

struct Capture {
    const char *begin = nullptr;
    const char *end = nullptr;
    bool quoted = false;
    bool escapes = false;
};

inline bool isBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view trimView(std::string_view s)
{
    while (!s.empty() && isBlank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isBlank(s.back()))
        s.remove_suffix(1);
    return s;
}

// The text of a field: quotes removed and doubled quotes undone. A quoted field
// may be followed by stray text before the delimiter ("a"b): it is kept.
std::string_view fieldText(const Capture &c, std::string &scratch)
{
    if (!c.begin)
        return {};
    std::string_view raw(c.begin, std::size_t(c.end - c.begin));
    if (!c.quoted)
        return raw;
    raw.remove_prefix(1); // opening quote
    if (!c.escapes) {
        const std::size_t close = raw.find('"');
        if (close == std::string_view::npos)
            return raw; // unterminated: keep everything
        if (close + 1 == raw.size())
            return raw.substr(0, close);
        scratch.assign(raw.substr(0, close));
        scratch.append(raw.substr(close + 1));
        return scratch;
    }
    scratch.clear();
    bool inQuotes = true;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char ch = raw[i];
        if (inQuotes && ch == '"') {
            if (i + 1 < raw.size() && raw[i + 1] == '"') {
                scratch.push_back('"');
                ++i;
            } else {
                inQuotes = false;
            }
            continue;
        }
        scratch.push_back(ch);
    }
    return scratch;
}

struct ScratchColumns {
    std::vector<std::uint32_t> district;
    std::vector<std::uint32_t> type;
    std::vector<double> price;
    std::vector<double> area;
    void clear()
    {
        district.clear();
        type.clear();
        price.clear();
        area.clear();
    }
};

ScratchColumns &threadScratch()
{
    thread_local ScratchColumns scratch;
    scratch.clear();
    return scratch;
}

template<typename Scan> class Parser {
public:
    Parser(const char *data, std::size_t size, const ParseConfig &cfg, ChunkResult &out)
        : m_data(data), m_size(size), m_cfg(cfg), m_out(out), m_cols(threadScratch())
    {
        const int cols[kSlots] = {cfg.districtColumn, cfg.typeColumn, cfg.priceColumn, cfg.areaColumn};
        int maxCol = -1;
        for (int c : cols)
            maxCol = std::max(maxCol, c);
        m_slotOf.assign(std::size_t(maxCol + 1), -1);
        for (int s = 0; s < kSlots; ++s)
            if (cols[s] >= 0)
                m_slotOf[std::size_t(cols[s])] = std::int8_t(s);
        // nextRole[f]: the first wanted column at or after f
        m_nextRole.assign(m_slotOf.size(), int(m_slotOf.size()));
        for (int f = int(m_slotOf.size()) - 1; f >= 0; --f)
            m_nextRole[std::size_t(f)] =
                m_slotOf[std::size_t(f)] >= 0 ? f : (f + 1 < int(m_slotOf.size()) ? m_nextRole[std::size_t(f + 1)] : f + 1);
        m_unknown = m_out.districts.intern("Unknown"); // ids 0 are reserved for "Unknown"
        m_out.types.intern("Unknown");
    }

    /// Accepted listings are gathered in per-thread scratch columns (their pages
    /// are reused from chunk to chunk), then copied out at their exact size.
    void emitColumns()
    {
        m_out.district.assign(m_cols.district.begin(), m_cols.district.end());
        m_out.type.assign(m_cols.type.begin(), m_cols.type.end());
        m_out.price.assign(m_cols.price.begin(), m_cols.price.end());
        m_out.area.assign(m_cols.area.begin(), m_cols.area.end());
    }

    /// The whole chunk. Always inlined into a caller compiled for the Scan's instruction set.
    __attribute__((always_inline)) inline void run()
    {
        std::size_t pos = 0;
        const char delim = m_cfg.delimiter;
        const bool literal = m_cfg.quotesLiteral;
        const std::int8_t *slotOf = m_slotOf.data();
        const int *nextRole = m_nextRole.data();
        const int slotCount = int(m_slotOf.size());
        while (pos + 64 <= m_size) {
            std::uint64_t q, d, n, r;
            Scan::masks(m_data + pos, delim, q, d, n, r);
            if (literal)
                q = 0;
            // Structural characters are handled in bulk up to each quote. A
            // quoted field without doubled quotes or line breaks inside is passed
            // over in bulk too, also across a block end; anything else goes to
            // the byte loop from its opening quote.
            const std::uint64_t nr = n | r;
            std::uint64_t pending = d | nr; // structural bits not yet handled
            if (m_inQuotes) { // a quoted field goes on from the previous block
                const std::uint64_t close = q & (0 - q);
                if (!close || (close << 1 & q) || close >> 63 || (nr & (close - 1)) || m_resume > pos) {
                    pos = scalar(pos, pos + 64);
                    continue;
                }
                m_inQuotes = false;
                pending &= ~(close - 1);
                q ^= close;
            }
            for (;;) {
                const std::uint64_t before = q ? (q & (0 - q)) - 1 : ~std::uint64_t(0);
                std::uint64_t bits = pending & before;
                const std::uint64_t lineEnds = nr & bits;
                int field = m_field;
                std::size_t fieldStart = m_fieldStart;
                while (bits) {
                    if (field >= slotCount || slotOf[field] < 0) {
                        // Not a wanted column: pass its delimiters in bulk up to the
                        // next wanted column or the line end.
                        const int need = field >= slotCount ? INT_MAX : nextRole[field] - field;
                        const std::uint64_t le = bits & lineEnds;
                        const std::uint64_t delims = le ? bits & ((le & (0 - le)) - 1) : bits;
                        const int c = __builtin_popcountll(delims);
                        if (c <= need) {
                            if (c) {
                                fieldStart = pos + 64 - std::size_t(__builtin_clzll(delims));
                                field += c;
                                bits &= ~delims;
                                m_quoted = m_escapes = false;
                            }
                            if (!le)
                                break;
                        } else {
                            std::uint64_t last = 0;
                            for (int i = 0; i < need; ++i) {
                                last = bits & (0 - bits);
                                bits ^= last;
                            }
                            fieldStart = pos + std::size_t(__builtin_ctzll(last)) + 1;
                            field += need;
                            m_quoted = m_escapes = false;
                            continue;
                        }
                    }
                    const std::uint64_t lowest = bits & (0 - bits);
                    const std::size_t p = pos + std::size_t(__builtin_ctzll(bits));
                    bits ^= lowest;
                    if (!(lowest & lineEnds)) [[likely]] {
                        if (field < slotCount) {
                            const int slot = slotOf[field];
                            if (slot >= 0) {
                                Capture &c = m_cap[slot];
                                c.begin = m_data + fieldStart;
                                c.end = m_data + p;
                                c.quoted = m_quoted;
                                c.escapes = m_escapes;
                            }
                        }
                        if (m_quoted) [[unlikely]] {
                            m_quoted = false;
                            m_escapes = false;
                        }
                        ++field;
                        fieldStart = p + 1;
                    } else {
                        m_field = field;
                        m_fieldStart = fieldStart;
                        structural(p);
                        field = m_field;
                        fieldStart = m_fieldStart;
                    }
                }
                m_field = field;
                m_fieldStart = fieldStart;
                pending &= ~before;
                if (!q) {
                    pos += 64;
                    break;
                }
                const std::uint64_t open = q & (0 - q);
                const std::size_t openAt = pos + std::size_t(__builtin_ctzll(q));
                q ^= open;
                if (m_fieldStart != openAt)
                    continue; // a quote inside an unquoted field is an ordinary character
                const std::uint64_t close = q & (0 - q);
                const std::uint64_t after = ~((open << 1) - 1); // bits above the opening quote
                if (!close && !(nr & after)) { // the field goes on in the next block
                    m_inQuotes = m_quoted = true;
                    pos += 64;
                    break;
                }
                const std::uint64_t inside = (close - 1) & after;
                if (!close || (close << 1 & q) || close >> 63 || (nr & inside)) {
                    pos = scalar(openAt, pos + 64);
                    break;
                }
                m_quoted = true;
                pending &= ~inside;
                q ^= close;
            }
        }
        pos = scalar(pos, m_size);
        // last record without a line end
        if (m_fieldStart < m_size || m_field > 0 || m_inQuotes)
            endRecord(m_size, false);
    }

    std::int64_t lines() const { return m_line; }

private:
    // One structural byte outside quotes (fast path).
    inline void structural(std::size_t p)
    {
        const char c = m_data[p];
        if (c == m_cfg.delimiter) {
            endField(p);
        } else if (c == '\n') {
            endRecord(p, true);
        } else { // '\r'
            if (p + 1 < m_size && m_data[p + 1] == '\n')
                return; // CRLF: the '\n' ends the record
            endRecord(p, true);
        }
    }

    // Byte-by-byte state machine over [from, to). Returns where it stopped
    // (may be past `to` when a doubled quote straddles the boundary).
    std::size_t scalar(std::size_t from, std::size_t to)
    {
        std::size_t p = std::max(from, m_resume);
        const bool literal = m_cfg.quotesLiteral;
        for (; p < to; ++p) {
            const char c = m_data[p];
            if (m_inQuotes) {
                if (c == '"') {
                    if (p + 1 < m_size && m_data[p + 1] == '"') {
                        m_escapes = true;
                        ++p;
                    } else {
                        m_inQuotes = false;
                    }
                } else if (c == '\n' || (c == '\r' && !(p + 1 < m_size && m_data[p + 1] == '\n'))) {
                    ++m_line; // a line break inside a quoted field
                }
                continue;
            }
            if (c == m_cfg.delimiter || c == '\n' || c == '\r') {
                structural(p);
            } else if (c == '"' && p == m_fieldStart && !literal) {
                m_inQuotes = true;
                m_quoted = true;
            }
        }
        m_resume = p;
        return std::max(p, to);
    }

    inline void endField(std::size_t p)
    {
        if (std::size_t(m_field) < m_slotOf.size()) {
            const int slot = m_slotOf[std::size_t(m_field)];
            if (slot >= 0) {
                Capture &c = m_cap[slot];
                c.begin = m_data + m_fieldStart;
                c.end = m_data + p;
                c.quoted = m_quoted;
                c.escapes = m_escapes;
            }
        }
        ++m_field;
        m_fieldStart = p + 1;
        m_quoted = false;
        m_escapes = false;
    }

    void endRecord(std::size_t p, bool lineEnd)
    {
        std::size_t end = p;
        if (lineEnd && m_data[p] == '\n' && end > m_fieldStart && m_data[end - 1] == '\r')
            --end; // CRLF
        const bool blank = m_field == 0 && end == m_fieldStart;
        if (!blank) {
            endField(end);
            processRecord();
        }
        for (auto &c : m_cap)
            c = Capture{};
        m_field = 0;
        m_fieldStart = p + 1;
        m_quoted = false;
        m_escapes = false;
        m_inQuotes = false;
        ++m_line;
        m_recordLine = m_line;
    }

    void reject(RejectReason r)
    {
        ++m_out.counters.rejected;
        ++m_out.counters.rejectsByReason[std::size_t(r)];
        m_out.rejectLines.add(r, m_recordLine);
    }

    void processRecord()
    {
        ++m_out.counters.rowsRead;
        if (m_field != m_cfg.fieldCount) {
            reject(RejectReason::FieldCount);
            return;
        }
        double price = 0, area = 0;
        // Reasons are in the order of the enum: missing, not a number, not finite, <= 0, too large.
        if (const auto bad = value(m_cap[2], kMaxPrice, price)) {
            reject(RejectReason(int(RejectReason::PriceMissing) + bad - 1));
            return;
        }
        if (const auto bad = value(m_cap[3], kMaxArea, area)) {
            reject(RejectReason(int(RejectReason::AreaMissing) + bad - 1));
            return;
        }
        if (!(price >= m_cfg.minPrice && area >= m_cfg.minArea)) {
            ++m_out.counters.filteredOut;
            return;
        }
        const std::uint32_t d = label(m_cap[0], m_out.districts);
        const std::uint32_t t = label(m_cap[1], m_out.types);
        ++m_out.counters.accepted;
        m_out.groups.at(d, t).add(price, area);
        m_cols.district.push_back(d);
        m_cols.type.push_back(t);
        m_cols.price.push_back(price);
        m_cols.area.push_back(area);
    }

    static_assert(int(RejectReason::PriceTooLarge) - int(RejectReason::PriceMissing) == 4 &&
                      int(RejectReason::AreaTooLarge) - int(RejectReason::AreaMissing) == 4,
                  "value() maps its result onto the reasons in enum order");

    /// Parses a price or area. Returns 0 when valid, else 1 + the offset of the
    /// reason from the Missing reason of that measure.
    int value(const Capture &c, double limit, double &out)
    {
        if (!number(c, out)) {
            switch (parseNumber(fieldText(c, m_scratch), m_cfg.decimalComma, out)) {
            case NumberStatus::Ok: break;
            case NumberStatus::Missing: return 1;
            case NumberStatus::NotNumber: return 2;
            case NumberStatus::NotFinite: return 3;
            }
        }
        if (!(out > 0))
            return 4;
        if (out > limit)
            return 5;
        return 0;
    }

    /// The common case inline: an unquoted plain decimal.
    inline bool number(const Capture &c, double &out) const
    {
        return c.begin && !c.quoted &&
               parseDecimalFast(std::string_view(c.begin, std::size_t(c.end - c.begin)),
                                m_cfg.decimalComma ? ',' : '.', out);
    }

    std::uint32_t label(const Capture &c, LocalDictionary &dict)
    {
        const std::string_view text = trimView(fieldText(c, m_scratch));
        if (text.empty())
            return m_unknown;
        const bool inChunk = text.data() >= m_data && text.data() < m_data + m_size;
        return dict.intern(text, inChunk ? m_data + m_size : nullptr);
    }

    const char *m_data;
    std::size_t m_size;
    const ParseConfig &m_cfg;
    ChunkResult &m_out;
    ScratchColumns &m_cols;
    std::vector<std::int8_t> m_slotOf;
    std::vector<int> m_nextRole;
    Capture m_cap[kSlots];
    std::string m_scratch;
    std::uint32_t m_unknown = 0;
    int m_field = 0;
    std::size_t m_fieldStart = 0;
    std::size_t m_resume = 0;
    bool m_quoted = false;
    bool m_escapes = false;
    bool m_inQuotes = false;
    std::int64_t m_line = 0;
    std::int64_t m_recordLine = 0;
};

/// parseChunk with the given scan. Always inlined into a function compiled for
/// the scan's instruction set.
template<typename Scan>
__attribute__((always_inline)) inline void parseChunkWith(const char *data, std::size_t size, const ParseConfig &config,
                                                          ChunkResult &out)
{
    Parser<Scan> parser(data, size, config, out);
    parser.run();
    parser.emitColumns();
    out.bytes = std::int64_t(size);
    out.lines = parser.lines();
}

} // namespace
} // namespace es
