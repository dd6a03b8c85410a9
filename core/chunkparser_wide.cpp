// The record parser compiled for AVX2 (with BMI1/2 and POPCNT): the same
// code as chunkparser.cpp's (recordparser.h), with 64-byte masks from two
// 32-byte compares per character class. parseChunk() calls it only on CPUs that
// have all of these.
//
// Every header is included before the target region, so inline functions and
// templates from them keep the baseline instruction set; only the parser itself
// (internal linkage) is compiled for AVX2. The object must define no weak
// symbols (check: nm -C chunkparser_wide.cpp.o | grep " W ").
#include "chunkparser.h"
#include "numberparse.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#if ES_HAVE_WIDE_PARSER
#include <immintrin.h>

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,bmi,bmi2,popcnt"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,bmi,bmi2,popcnt")
#endif

#include "recordparser.h"

namespace es {
namespace {

struct Avx2Scan {
    __attribute__((always_inline)) static inline std::uint64_t mask(__m256i lo, __m256i hi, __m256i c)
    {
        return std::uint64_t(std::uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, c)))) |
               (std::uint64_t(std::uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, c)))) << 32);
    }
    __attribute__((always_inline)) static inline void masks(const char *p, char delim, std::uint64_t &q,
                                                            std::uint64_t &d, std::uint64_t &n, std::uint64_t &r)
    {
        const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p));
        const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p + 32));
        q = mask(lo, hi, _mm256_set1_epi8('"'));
        d = mask(lo, hi, _mm256_set1_epi8(delim));
        n = mask(lo, hi, _mm256_set1_epi8('\n'));
        r = mask(lo, hi, _mm256_set1_epi8('\r'));
    }
};

} // namespace

void parseChunkAvx2(const char *data, std::size_t size, const ParseConfig &config, ChunkResult &out)
{
    parseChunkWith<Avx2Scan>(data, size, config, out);
}

} // namespace es

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif // ES_HAVE_WIDE_PARSER
