#include "chunkparser.h"

#include "numberparse.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "recordparser.h" // last: see there

namespace es {

#if ES_HAVE_WIDE_PARSER
// chunkparser_wide.cpp: the same parser compiled for AVX2 (+ BMI1/2, POPCNT).
void parseChunkAvx2(const char *data, std::size_t size, const ParseConfig &config, ChunkResult &out);
#endif

// ---------------------------------------------------------------------------
// LocalDictionary / GroupTable
// ---------------------------------------------------------------------------
namespace {

// The first and last 8 bytes of a label (zero padded when shorter).
inline void labelWords(std::string_view s, const char *readableEnd, std::uint64_t &head,
                       std::uint64_t &tail) noexcept
{
    head = tail = 0;
    const std::size_t n = s.size();
    if (n >= 8) {
        std::memcpy(&head, s.data(), 8);
        std::memcpy(&tail, s.data() + n - 8, 8);
    } else if (std::endian::native == std::endian::little && readableEnd && readableEnd - s.data() >= 8) {
        std::memcpy(&head, s.data(), 8); // one load, then keep the label's bytes
        head &= n ? ~std::uint64_t(0) >> (64 - 8 * n) : 0;
    } else {
        std::memcpy(&head, s.data(), n);
    }
}

inline std::uint64_t hashWords(std::uint64_t head, std::uint64_t tail, std::size_t n) noexcept
{
    std::uint64_t h = (head * 0x9E3779B97F4A7C15ull) ^ (tail + 0x632BE59BD9B4E019ull + (std::uint64_t(n) << 32));
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h;
}

inline std::uint64_t mixKey(std::uint64_t k) noexcept
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return k;
}

} // namespace

std::uint32_t LocalDictionary::intern(std::string_view s, const char *readableEnd)
{
    if (m_strings.size() * 2 >= m_slots.size())
        grow();
    std::uint64_t head, tail;
    labelWords(s, readableEnd, head, tail);
    const auto length = std::uint32_t(s.size());
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = hashWords(head, tail, s.size()) & mask;; i = (i + 1) & mask) {
        Slot &slot = m_slots[i];
        if (slot.id1 == 0) {
            m_strings.emplace_back(s);
            slot = Slot{head, tail, length, std::uint32_t(m_strings.size())};
            return std::uint32_t(m_strings.size() - 1);
        }
        if (slot.length == length && slot.head == head && slot.tail == tail &&
            (length <= 16 || m_strings[slot.id1 - 1] == s))
            return slot.id1 - 1;
    }
}

void LocalDictionary::grow()
{
    const std::size_t cap = m_slots.empty() ? 64 : m_slots.size() * 2;
    std::vector<Slot> slots(cap);
    for (const Slot &old : m_slots) {
        if (old.id1 == 0)
            continue;
        std::size_t i = hashWords(old.head, old.tail, old.length) & (cap - 1);
        while (slots[i].id1 != 0)
            i = (i + 1) & (cap - 1);
        slots[i] = old;
    }
    m_slots.swap(slots);
}

GroupStats &GroupTable::at(std::uint32_t district, std::uint32_t type)
{
    if ((m_size + 1) * 2 > m_keys.size())
        rehash(m_keys.empty() ? 256 : m_keys.size() * 2);
    const std::uint64_t key = (std::uint64_t(district) << 32) | type;
    const std::size_t mask = m_keys.size() - 1;
    for (std::size_t i = mixKey(key) & mask;; i = (i + 1) & mask) {
        if (m_keys[i] == key)
            return m_stats[i];
        if (m_keys[i] == kEmpty) {
            m_keys[i] = key;
            ++m_size;
            return m_stats[i];
        }
    }
}

void GroupTable::rehash(std::size_t capacity)
{
    std::vector<std::uint64_t> keys(capacity, kEmpty);
    std::vector<GroupStats> stats(capacity);
    for (std::size_t j = 0; j < m_keys.size(); ++j) {
        if (m_keys[j] == kEmpty)
            continue;
        std::size_t i = mixKey(m_keys[j]) & (capacity - 1);
        while (keys[i] != kEmpty)
            i = (i + 1) & (capacity - 1);
        keys[i] = m_keys[j];
        stats[i] = m_stats[j];
    }
    m_keys.swap(keys);
    m_stats.swap(stats);
}

// ---------------------------------------------------------------------------
// parseChunk: the baseline copy of the record parser, or the AVX2 one
// ---------------------------------------------------------------------------
namespace {

#if defined(__SSE2__)
/// Bit masks of quotes, delimiters, LFs and CRs in 64 bytes: four SSE2 compares per 16 bytes.
struct BaselineScan {
    __attribute__((always_inline)) static inline void masks(const char *p, char delim, std::uint64_t &q,
                                                            std::uint64_t &d, std::uint64_t &n, std::uint64_t &r)
    {
        const __m128i vq = _mm_set1_epi8('"'), vd = _mm_set1_epi8(delim);
        const __m128i vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
        q = d = n = r = 0;
        for (int k = 0; k < 4; ++k) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16 * k));
            const auto shift = unsigned(16 * k);
            q |= std::uint64_t(std::uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, vq)))) << shift;
            d |= std::uint64_t(std::uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd)))) << shift;
            n |= std::uint64_t(std::uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn)))) << shift;
            r |= std::uint64_t(std::uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, vr)))) << shift;
        }
    }
};
#else
/// The same masks byte by byte, for CPUs without SSE2.
struct BaselineScan {
    static inline void masks(const char *p, char delim, std::uint64_t &q, std::uint64_t &d, std::uint64_t &n,
                             std::uint64_t &r)
    {
        q = d = n = r = 0;
        for (unsigned i = 0; i < 64; ++i) {
            const std::uint64_t bit = std::uint64_t(1) << i;
            q |= p[i] == '"' ? bit : 0;
            d |= p[i] == delim ? bit : 0;
            n |= p[i] == '\n' ? bit : 0;
            r |= p[i] == '\r' ? bit : 0;
        }
    }
};
#endif

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__POPCNT__)
#define ES_POPCNT_DISPATCH 1
#else
#define ES_POPCNT_DISPATCH 0
#endif
#if ES_POPCNT_DISPATCH
// The x86-64 baseline has no popcnt instruction; nearly every CPU has it.
__attribute__((target("popcnt"))) void parseChunkPopcnt(const char *data, std::size_t size, const ParseConfig &config,
                                                        ChunkResult &out)
{
    parseChunkWith<BaselineScan>(data, size, config, out);
}
#endif

bool cpuHasAvx2()
{
#if ES_HAVE_WIDE_PARSER
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
                            __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
    return has;
#else
    return false;
#endif
}

} // namespace

bool scanKernelSupported(ScanKernel k)
{
    switch (k) {
    case ScanKernel::Best: return true;
    case ScanKernel::Sse2:
#if defined(__SSE2__)
        return true;
#else
        return false;
#endif
    case ScanKernel::Avx2: return cpuHasAvx2();
    }
    return false;
}

const char *scanKernelName(ScanKernel k)
{
    if (k != ScanKernel::Sse2 && cpuHasAvx2()) // as parseChunk chooses
        return "avx2";
#if defined(__SSE2__)
    return "sse2";
#else
    return "portable";
#endif
}

void parseChunk(const char *data, std::size_t size, const ParseConfig &config, ChunkResult &out)
{
#if ES_HAVE_WIDE_PARSER
    if (config.scan != ScanKernel::Sse2 && cpuHasAvx2()) {
        parseChunkAvx2(data, size, config, out);
        return;
    }
#endif
#if ES_POPCNT_DISPATCH
    if (__builtin_cpu_supports("popcnt")) {
        parseChunkPopcnt(data, size, config, out);
        return;
    }
#endif
    parseChunkWith<BaselineScan>(data, size, config, out);
}

// ---------------------------------------------------------------------------
// Splitting a buffer into chunks of whole records
// ---------------------------------------------------------------------------
namespace {

// Last record end (one past the line end) in [from, to) with no quotes inside,
// or 0. A '\r' at the very end of the buffer may be half of a CRLF: not an end.
std::size_t lastLineEndIn(const char *data, std::size_t from, std::size_t to, std::size_t size)
{
    for (std::size_t i = to; i > from; --i) {
        const char c = data[i - 1];
        if (c == '\n')
            return i;
        if (c == '\r' && i < size)
            return data[i] == '\n' ? i + 1 : i;
    }
    return 0;
}

} // namespace

bool endsInOpenQuote(const char *data, std::size_t size, char delimiter)
{
    bool inQuotes = false;
    bool fieldStart = true;
    for (std::size_t p = 0; p < size; ++p) {
        const char c = data[p];
        if (inQuotes) {
            if (c == '"') {
                if (p + 1 < size && data[p + 1] == '"')
                    ++p;
                else
                    inQuotes = false;
            }
            continue;
        }
        if (c == '"' && fieldStart) {
            inQuotes = true;
            fieldStart = false;
            continue;
        }
        fieldStart = c == delimiter || c == '\n' || c == '\r';
    }
    return inQuotes;
}

namespace {

/// lastRecordEnd one quote at a time (memchr): the rare case the block walk leaves to it.
SplitResult lastRecordEndByQuotes(const char *data, std::size_t size, char delimiter)
{
    SplitResult r;
    std::size_t pos = 0;
    bool inQuotes = false;
    while (pos < size) {
        if (!inQuotes) {
            const auto *q = static_cast<const char *>(std::memchr(data + pos, '"', size - pos));
            const std::size_t qpos = q ? std::size_t(q - data) : size;
            if (const std::size_t e = lastLineEndIn(data, pos, qpos, size))
                r.end = std::max(r.end, e);
            if (!q)
                break;
            const char prev = qpos == 0 ? '\n' : data[qpos - 1];
            if (prev == delimiter || prev == '\n' || prev == '\r')
                inQuotes = true;
            pos = qpos + 1;
        } else {
            const auto *q = static_cast<const char *>(std::memchr(data + pos, '"', size - pos));
            if (!q)
                break;
            const std::size_t qpos = std::size_t(q - data);
            if (qpos + 1 == size)
                break; // cannot tell a closing quote from half of a doubled one
            if (data[qpos + 1] == '"') {
                pos = qpos + 2;
                continue;
            }
            inQuotes = false;
            pos = qpos + 1;
        }
    }
    r.endsInQuote = inQuotes;
    return r;
}

} // namespace

SplitResult lastRecordEnd(const char *data, std::size_t size, char delimiter, bool quotesLiteral)
{
    SplitResult r;
    if (quotesLiteral || !std::memchr(data, '"', size)) {
        r.end = lastLineEndIn(data, 0, size, size);
        return r;
    }
    // Walk the quotes of 64-byte blocks by their bit masks (memchr passes the
    // stretches without quotes), keeping the last stretch outside quotes that
    // holds a line end; the record end is then found in that stretch alone.
    bool inQuotes = false;
    std::size_t segmentStart = 0;  // start of the current stretch outside quotes
    bool segmentHasLineEnd = false;
    std::size_t lastFrom = 0, lastTo = 0; // the last finished stretch with a line end
    bool prevStructural = true;    // the byte before the block ends a field (the buffer start does)
    bool skipFirstQuote = false;   // the block starts with the second half of a doubled quote
    for (std::size_t base = 0; base < size; base += 64) {
        if (!inQuotes) { // pass quote-free stretches with memchr: masks only where quotes are
            const auto *quote = static_cast<const char *>(std::memchr(data + base, '"', size - base));
            const std::size_t next = quote ? std::size_t(quote - data) : size;
            if (next - base >= 64) {
                for (std::size_t i = next; i > base && !segmentHasLineEnd; --i)
                    segmentHasLineEnd = data[i - 1] == '\n' || data[i - 1] == '\r';
                if (next == size)
                    break;
                const char prev = data[next - 1];
                prevStructural = prev == delimiter || prev == '\n' || prev == '\r';
                base = next;
            }
        }
        std::uint64_t q, d, n, cr;
        if (size - base >= 64) {
            BaselineScan::masks(data + base, delimiter, q, d, n, cr);
        } else {
            char tail[64] = {}; // zeros match nothing
            std::memcpy(tail, data + base, size - base);
            BaselineScan::masks(tail, delimiter, q, d, n, cr);
        }
        const std::uint64_t lineEnds = n | cr;
        const std::uint64_t structural = d | lineEnds;
        if (skipFirstQuote) {
            q &= ~std::uint64_t(1);
            skipFirstQuote = false;
        }
        unsigned cur = 0; // bits below cur are done
        for (;;) {
            const std::uint64_t above = cur >= 64 ? 0 : ~std::uint64_t(0) << cur;
            const std::uint64_t next = q & above;
            if (!inQuotes) {
                const unsigned at = next ? unsigned(__builtin_ctzll(next)) : 64;
                const std::uint64_t stretch = above & (at >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << at) - 1);
                segmentHasLineEnd |= (lineEnds & stretch) != 0;
                if (!next)
                    break;
                const bool opens = at == 0 ? prevStructural : ((structural >> (at - 1)) & 1) != 0;
                if (opens) {
                    if (segmentHasLineEnd) {
                        lastFrom = segmentStart;
                        lastTo = base + at;
                    }
                    inQuotes = true;
                    segmentHasLineEnd = false;
                }
                cur = at + 1;
            } else {
                if (!next)
                    break;
                const unsigned at = unsigned(__builtin_ctzll(next));
                const std::size_t pos = base + at;
                if (pos + 1 == size) { // cannot tell a closing quote from half of a doubled one
                    r.endsInQuote = true;
                    r.end = lastTo ? lastLineEndIn(data, lastFrom, lastTo, size) : 0;
                    return r.end || !lastTo ? r : lastRecordEndByQuotes(data, size, delimiter);
                }
                const bool doubled = at < 63 ? ((q >> (at + 1)) & 1) != 0 : data[pos + 1] == '"';
                if (doubled) {
                    skipFirstQuote = at == 63;
                    cur = at + 2;
                    continue;
                }
                inQuotes = false;
                segmentStart = pos + 1;
                cur = at + 1;
            }
        }
        prevStructural = ((structural >> 63) & 1) != 0; // (a tail block is the last one)
    }
    if (!inQuotes && segmentHasLineEnd) {
        lastFrom = segmentStart;
        lastTo = size;
    }
    r.endsInQuote = inQuotes;
    if (lastTo) {
        r.end = lastLineEndIn(data, lastFrom, lastTo, size);
        if (r.end == 0) // its only line end was a CR at the buffer's end: look further back
            return lastRecordEndByQuotes(data, size, delimiter);
    }
    return r;
}

SplitResult nthRecordEnd(const char *data, std::size_t size, char delimiter, bool quotesLiteral,
                         std::size_t maxRecords, std::size_t *records)
{
    SplitResult r;
    std::size_t found = 0;
    bool inQuotes = false;
    bool fieldStart = true;
    bool recordHasData = false;
    for (std::size_t p = 0; p < size && found < maxRecords; ++p) {
        const char c = data[p];
        if (inQuotes) {
            if (c == '"') {
                if (p + 1 >= size)
                    break;
                if (data[p + 1] == '"')
                    ++p;
                else
                    inQuotes = false;
            }
            continue;
        }
        if (c == '\n' || c == '\r') {
            if (c == '\r') {
                if (p + 1 >= size)
                    break; // maybe CRLF
                if (data[p + 1] == '\n')
                    ++p;
            }
            if (recordHasData)
                ++found; // blank lines are not records
            r.end = p + 1;
            fieldStart = true;
            recordHasData = false;
            continue;
        }
        recordHasData = true;
        if (c == delimiter) {
            fieldStart = true;
            continue;
        }
        if (c == '"' && fieldStart && !quotesLiteral)
            inQuotes = true;
        fieldStart = false;
    }
    r.endsInQuote = inQuotes;
    if (records)
        *records = found;
    return r;
}

} // namespace es
