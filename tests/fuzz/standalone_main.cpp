// A main() for builds without libFuzzer (g++, the `asan` preset): feeds every seed file, then a
// bounded number of deterministic pseudo-random mutations of them, to LLVMFuzzerTestOneInput.
// This is the CTest smoke test `fuzz.smoke`; the real fuzzing runs with clang (tests/fuzz/).
//
//   es_fuzz_smoke [--mutations N] [--seed S] [--max-len L] PATH...
//
// PATH is a seed file or a directory of seed files (not recursive). Inputs longer than --max-len
// (default 4096, as the long libFuzzer run) are cut. When an input breaks an invariant the target
// traps; a signal handler first writes that input to ./fuzz-smoke-crash.bin so it can be replayed
// with the libFuzzer binary (`fuzz_parser fuzz-smoke-crash.bin`).
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {

// The input being run, for the crash handler (written with async-signal-safe calls only).
const std::uint8_t *g_current = nullptr;
std::size_t g_currentSize = 0;

extern "C" void onCrash(int sig)
{
    const int fd = ::open("fuzz-smoke-crash.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        std::size_t done = 0;
        while (g_current && done < g_currentSize) {
            const ssize_t n = ::write(fd, g_current + done, g_currentSize - done);
            if (n <= 0)
                break;
            done += std::size_t(n);
        }
        ::close(fd);
    }
    static const char msg[] = "es_fuzz_smoke: crashing input written to ./fuzz-smoke-crash.bin\n";
    [[maybe_unused]] const ssize_t w = ::write(2, msg, sizeof msg - 1);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// splitmix64: small, fixed, the same everywhere.
struct Rng {
    std::uint64_t state;
    std::uint64_t next()
    {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return n ? std::size_t(next() % n) : 0; }
};

using Bytes = std::vector<std::uint8_t>;

// Tokens that matter to a CSV reader and a number parser.
const char *const kTokens[] = {
    "\"", "\"\"", ",", ";", "\t", "|", "\n", "\r", "\r\n", "\n\n", " ", "e", "E", "-", "+", ".", "0",
    "9", "1e308", "1e400", "1e-400", "NaN", "inf", "-Infinity", "1,250,000", "1.234,5", "250 000",
    "\xc2\xa0", "\xe2\x80\xaf", "\xe2\x82\xac", " m\xc2\xb2", "\xef\xbb\xbf", "\x00", "\xff",
    "Unknown", "\"a,b\"", "\"x\"\"y\"",
};

void mutate(Bytes &b, Rng &rng, const std::vector<Bytes> &seeds, std::size_t maxLen)
{
    const int steps = 1 + int(rng.below(8));
    for (int s = 0; s < steps; ++s) {
        switch (rng.below(9)) {
        case 0: // flip a bit
            if (!b.empty())
                b[rng.below(b.size())] ^= std::uint8_t(1u << rng.below(8));
            break;
        case 1: // random byte
            if (!b.empty())
                b[rng.below(b.size())] = std::uint8_t(rng.next());
            break;
        case 2: { // insert a token
            const char *t = kTokens[rng.below(std::size(kTokens))];
            const std::size_t len = std::max<std::size_t>(1, std::strlen(t)); // "\x00" is one NUL
            b.insert(b.begin() + std::ptrdiff_t(rng.below(b.size() + 1)), t, t + len);
            break;
        }
        case 3: // erase a range
            if (!b.empty()) {
                const std::size_t at = rng.below(b.size());
                const std::size_t n = 1 + rng.below(std::min<std::size_t>(16, b.size() - at));
                b.erase(b.begin() + std::ptrdiff_t(at), b.begin() + std::ptrdiff_t(at + n));
            }
            break;
        case 4: // duplicate a range
            if (!b.empty()) {
                const std::size_t at = rng.below(b.size());
                const std::size_t n = 1 + rng.below(std::min<std::size_t>(64, b.size() - at));
                const Bytes piece(b.begin() + std::ptrdiff_t(at), b.begin() + std::ptrdiff_t(at + n));
                b.insert(b.begin() + std::ptrdiff_t(rng.below(b.size() + 1)), piece.begin(), piece.end());
            }
            break;
        case 5: // splice in part of another seed
            if (!seeds.empty()) {
                const Bytes &o = seeds[rng.below(seeds.size())];
                if (!o.empty()) {
                    const std::size_t at = rng.below(o.size());
                    const std::size_t n = 1 + rng.below(o.size() - at);
                    b.insert(b.begin() + std::ptrdiff_t(rng.below(b.size() + 1)), o.begin() + std::ptrdiff_t(at),
                             o.begin() + std::ptrdiff_t(at + n));
                }
            }
            break;
        case 6: // truncate
            if (!b.empty())
                b.resize(rng.below(b.size() + 1));
            break;
        case 7: // new configuration bytes
            for (std::size_t i = 0; i < 4 && i < b.size(); ++i)
                if (rng.below(2))
                    b[i] = std::uint8_t(rng.next());
            break;
        default: // swap two bytes
            if (b.size() > 1)
                std::swap(b[rng.below(b.size())], b[rng.below(b.size())]);
            break;
        }
    }
    if (b.size() > maxLen)
        b.resize(maxLen);
}

void run(const Bytes &b)
{
    g_current = b.data();
    g_currentSize = b.size();
    LLVMFuzzerTestOneInput(b.data(), b.size());
}

int usage()
{
    std::fputs("usage: es_fuzz_smoke [--mutations N] [--seed S] [--max-len L] PATH...\n", stderr);
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    std::uint64_t mutations = 20000, seed = 1;
    std::size_t maxLen = 4096;
    std::vector<std::filesystem::path> paths;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "--mutations" || a == "--seed" || a == "--max-len") && i + 1 < argc) {
            const unsigned long long v = std::strtoull(argv[++i], nullptr, 10);
            if (a == "--mutations")
                mutations = v;
            else if (a == "--seed")
                seed = v;
            else
                maxLen = std::max<std::size_t>(4, std::size_t(v));
        } else if (!a.empty() && a[0] == '-') {
            return usage();
        } else {
            paths.emplace_back(a);
        }
    }
    if (paths.empty())
        return usage();

    std::vector<std::filesystem::path> files;
    for (const auto &p : paths) {
        std::error_code ec;
        if (std::filesystem::is_directory(p, ec)) {
            for (const auto &e : std::filesystem::directory_iterator(p, ec))
                if (e.is_regular_file())
                    files.push_back(e.path());
        } else if (std::filesystem::is_regular_file(p, ec)) {
            files.push_back(p);
        } else {
            std::fprintf(stderr, "es_fuzz_smoke: no such seed file or directory: %s\n", p.c_str());
            return 2;
        }
    }
    std::sort(files.begin(), files.end()); // directory order is not stable
    std::vector<Bytes> seeds;
    for (const auto &f : files) {
        std::ifstream in(f, std::ios::binary);
        Bytes b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (b.size() > maxLen)
            b.resize(maxLen);
        seeds.push_back(std::move(b));
    }
    if (seeds.empty()) {
        std::fputs("es_fuzz_smoke: no seed files found\n", stderr);
        return 2;
    }

    for (int sig : {SIGILL, SIGSEGV, SIGABRT, SIGFPE, SIGBUS, SIGTRAP})
        std::signal(sig, onCrash);

    std::uint64_t executed = 0;
    std::size_t bytes = 0;
    for (const Bytes &b : seeds) {
        run(b);
        ++executed;
        bytes += b.size();
    }
    Rng rng{seed};
    for (std::uint64_t i = 0; i < mutations; ++i) {
        Bytes b = seeds[rng.below(seeds.size())];
        mutate(b, rng, seeds, maxLen);
        run(b);
        ++executed;
        bytes += b.size();
    }
    g_current = nullptr;
    std::printf("es_fuzz_smoke: %zu seed files, %llu inputs (%zu bytes) run, no invariant broken\n", seeds.size(),
                static_cast<unsigned long long>(executed), bytes);
    return 0;
}
