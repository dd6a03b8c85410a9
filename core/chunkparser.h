// The hot path: turns a chunk of complete CSV records into validated listings,
// partial aggregates and rejects. Pure C++ (no Qt), so it can be fuzzed and
// benchmarked on its own. One ChunkParser per chunk/thread; no shared state.
#pragma once

#include "types.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

/// Whether parseChunk has an AVX2 copy to run on CPUs that have it (x86-64, GCC or clang).
#if defined(__x86_64__) && defined(__GNUC__)
#define ES_HAVE_WIDE_PARSER 1
#else
#define ES_HAVE_WIDE_PARSER 0
#endif

namespace es {

/// How the parser finds quotes, delimiters and line ends, 64 bytes at a time.
/// `Best` is the widest this CPU has (AVX2 on most x86-64 machines, else
/// SSE2); the others exist so that tests and benchmarks can pin one.
enum class ScanKernel : std::uint8_t { Best, Sse2, Avx2 };
/// True when this build and CPU can run `k` (Best always can).
bool scanKernelSupported(ScanKernel k);
/// "avx2", "sse2" or "portable": what `k` runs here.
const char *scanKernelName(ScanKernel k);

/// Everything the parser needs, copied from the detected format and the user's settings.
struct ParseConfig {
    char delimiter = ',';
    bool decimalComma = false;
    int fieldCount = 0; ///< fields per record (from the header)
    int districtColumn = -1;
    int typeColumn = -1;
    int priceColumn = -1;
    int areaColumn = -1;
    double minPrice = 50000; ///< processing filter: keep Price >= minPrice
    double minArea = 20;     ///< and LivingArea >= minArea
    bool quotesLiteral = false; ///< treat '"' as an ordinary character (unbalanced-quote fallback)
    ScanKernel scan = ScanKernel::Best; ///< an unsupported choice runs Best
};

/// A tiny string -> small id dictionary used per chunk (local ids).
class LocalDictionary {
public:
    /// `readableEnd`, when given, says that bytes up to it may be read past the
    /// label (it then loads whole words instead of copying short labels bytewise).
    std::uint32_t intern(std::string_view s, const char *readableEnd = nullptr);
    const std::vector<std::string> &strings() const { return m_strings; }
    std::size_t size() const { return m_strings.size(); }

private:
    // A label is found by its length and first/last 8 bytes; for labels of up
    // to 16 bytes that is the whole label, so no byte comparison is needed.
    struct Slot {
        std::uint64_t head = 0;
        std::uint64_t tail = 0;
        std::uint32_t length = 0;
        std::uint32_t id1 = 0; // index + 1 into m_strings, 0 = empty
    };
    void grow();
    std::vector<std::string> m_strings;
    std::vector<Slot> m_slots;
};

/// Partial aggregates keyed by (local district id, local type id).
class GroupTable {
public:
    GroupStats &at(std::uint32_t district, std::uint32_t type);
    template<typename F> void forEach(F &&f) const
    {
        for (std::size_t i = 0; i < m_keys.size(); ++i)
            if (m_keys[i] != kEmpty)
                f(std::uint32_t(m_keys[i] >> 32), std::uint32_t(m_keys[i]), m_stats[i]);
    }
    std::size_t size() const { return m_size; }

private:
    static constexpr std::uint64_t kEmpty = ~std::uint64_t(0);
    void rehash(std::size_t capacity);
    std::vector<std::uint64_t> m_keys;
    std::vector<GroupStats> m_stats;
    std::size_t m_size = 0;
};

/// The outcome of parsing one chunk. Line numbers in `rejectLines` are
/// relative to the chunk's first line (0-based); the engine rebases them.
struct ChunkResult {
    std::int64_t sequence = 0;   ///< chunk order in the stream
    std::int64_t bytes = 0;      ///< source bytes this chunk covers (for progress)
    std::int64_t lines = 0;      ///< physical lines in the chunk (for line numbering)
    StreamCounters counters;     ///< rowsRead, accepted, filteredOut, rejected, by reason
    RejectSamples rejectLines;   ///< relative line numbers
    LocalDictionary districts;
    LocalDictionary types;
    GroupTable groups;
    // Accepted listings, columnar, in file order (local dictionary ids).
    std::vector<std::uint32_t> district;
    std::vector<std::uint32_t> type;
    std::vector<double> price;
    std::vector<double> area;
};

/// Parses `data[0, size)` which must hold whole records (the last one may lack
/// its newline). Never throws on bad input; never reads outside the range.
void parseChunk(const char *data, std::size_t size, const ParseConfig &config, ChunkResult &out);

/// Where a chunk can end. Records are separated by LF, CRLF or a lone CR
/// outside quoted fields; a '"' opens a quoted field only at the start of a field.
struct SplitResult {
    std::size_t end = 0;      ///< bytes up to and including the last complete record's line end (0 = none)
    bool endsInQuote = false; ///< the scan ended inside an open quoted field
};

/// True when `data[0, size)`, taken as the whole rest of a stream, ends inside
/// a quoted field that is never closed (a final '"' closes its field).
bool endsInOpenQuote(const char *data, std::size_t size, char delimiter);

/// Finds the end of the last complete record in `data[0, size)` (byte mode).
SplitResult lastRecordEnd(const char *data, std::size_t size, char delimiter, bool quotesLiteral);
/// Finds the end of the `maxRecords`-th complete record (paced mode), or of the
/// last complete one when there are fewer; `records` says how many were found
/// (blank lines are skipped, not counted). `end` is 0 when no line is complete.
SplitResult nthRecordEnd(const char *data, std::size_t size, char delimiter, bool quotesLiteral,
                         std::size_t maxRecords, std::size_t *records);

} // namespace es
