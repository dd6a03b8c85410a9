// Shared helpers for the core tests: temporary files, a lazily created
// QCoreApplication for tests that need an event loop, a small synthetic CSV
// generator, and an independent, deliberately plain reference aggregator
// (its own RFC 4180 splitter, std::stod, std::map) to compare the engine with.
//
// The reference never calls into the core: it only borrows the enum labels
// (RejectReason, NumberStatus) so results can be compared field by field.
#pragma once

#include "numberparse.h"
#include "snapshot.h"
#include "streamengine.h"
#include "types.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QString>
#include <QTemporaryDir>
#include <QTimer>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace es::test {

// ---------------------------------------------------------------------------
// Application and files
// ---------------------------------------------------------------------------

/// The one QCoreApplication of the test executable, created on first use and
/// never destroyed (gtest owns main()). Also pins LC_NUMERIC to "C" so that
/// std::stod in the reference reads '.' decimals whatever the system locale.
inline QCoreApplication *app()
{
    static int argc = 1;
    static char name[] = "es_core_tests";
    static char *argv[] = {name, nullptr};
    static QCoreApplication *instance = [] {
        QCoreApplication *existing = QCoreApplication::instance();
        return existing ? existing : new QCoreApplication(argc, argv);
    }();
    std::setlocale(LC_NUMERIC, "C");
    return instance;
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

inline bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(bytes) == bytes.size();
}

/// A temporary directory that removes itself; files are written by name.
class TempDir {
public:
    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }
    /// Writes `bytes` to `name` in the directory and returns the full path ("" on failure).
    QString write(const QString &name, const QByteArray &bytes) const
    {
        const QString p = filePath(name);
        return writeAll(p, bytes) ? p : QString();
    }

private:
    QTemporaryDir m_dir;
};

inline QByteArray bytes(std::string_view s) { return QByteArray(s.data(), qsizetype(s.size())); }
inline std::string str(const QByteArray &b) { return std::string(b.constData(), std::size_t(b.size())); }
inline std::string str(const QString &s) { return s.toStdString(); }

// ---------------------------------------------------------------------------
// Reference CSV splitting (RFC 4180, written plainly)
// ---------------------------------------------------------------------------

struct RefRecord {
    std::vector<std::string> fields;
    std::int64_t line = 0; ///< 1-based physical line where the record starts
};

/// Splits `text` into records. LF, CRLF and a lone CR end a record outside
/// quotes; a '"' opens a quoted field only as the first character of a field;
/// "" inside quotes is one quote; text after a closing quote is kept. Lines
/// with no characters at all are skipped (but still counted for line numbers).
inline std::vector<RefRecord> refSplit(std::string_view text, char delim)
{
    std::vector<RefRecord> out;
    std::size_t i = 0;
    std::int64_t line = 1;
    const std::size_t n = text.size();
    while (i < n) {
        RefRecord rec;
        rec.line = line;
        std::string cur;
        bool inQuotes = false;
        bool fieldStart = true;
        bool any = false;
        while (i < n) {
            const char c = text[i];
            if (inQuotes) {
                if (c == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        cur += '"';
                        i += 2;
                    } else {
                        inQuotes = false;
                        ++i;
                    }
                    continue;
                }
                if (c == '\n')
                    ++line;
                if (c == '\r' && !(i + 1 < n && text[i + 1] == '\n'))
                    ++line;
                cur += c;
                ++i;
                continue;
            }
            if (c == '\n' || c == '\r') {
                i += (c == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
                ++line;
                break;
            }
            any = true;
            if (c == delim) {
                rec.fields.push_back(cur);
                cur.clear();
                fieldStart = true;
                ++i;
                continue;
            }
            if (c == '"' && fieldStart) {
                inQuotes = true;
                fieldStart = false;
                ++i;
                continue;
            }
            cur += c;
            fieldStart = false;
            ++i;
        }
        if (any) {
            rec.fields.push_back(cur);
            out.push_back(std::move(rec));
        }
    }
    return out;
}

inline std::string refTrim(const std::string &s)
{
    std::size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t'))
        ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        --e;
    return s.substr(b, e - b);
}

/// Plain C-locale number: trimmed, std::stod, the whole text must be used.
inline NumberStatus refParseNumber(const std::string &raw, double &out)
{
    const std::string s = refTrim(raw);
    if (s.empty())
        return NumberStatus::Missing;
    try {
        std::size_t used = 0;
        const double v = std::stod(s, &used);
        if (used != s.size())
            return NumberStatus::NotNumber;
        if (!std::isfinite(v))
            return NumberStatus::NotFinite;
        out = v;
        return NumberStatus::Ok;
    } catch (const std::out_of_range &) {
        return NumberStatus::NotFinite;
    } catch (const std::invalid_argument &) {
        return NumberStatus::NotNumber;
    }
}

// ---------------------------------------------------------------------------
// Reference aggregation
// ---------------------------------------------------------------------------

inline double refMedian(std::vector<double> v)
{
    if (v.empty())
        return std::numeric_limits<double>::quiet_NaN();
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    if (n % 2 == 1)
        return v[n / 2];
    // mean of the two middle values; halving first avoids overflow near 1e308
    return v[n / 2 - 1] / 2 + v[n / 2] / 2;
}

struct RefGroup {
    std::int64_t count = 0;
    double sumPrice = 0;
    double sumArea = 0;
    double sumPricePerSqm = 0;
    double minPrice = std::numeric_limits<double>::infinity();
    double maxPrice = -std::numeric_limits<double>::infinity();
    std::vector<double> prices;
    std::vector<double> pricesPerSqm;

    void add(double price, double area)
    {
        ++count;
        sumPrice += price;
        sumArea += area;
        sumPricePerSqm += price / area;
        minPrice = std::min(minPrice, price);
        maxPrice = std::max(maxPrice, price);
        prices.push_back(price);
        pricesPerSqm.push_back(price / area);
    }
    double avgPrice() const { return sumPrice / double(count); }
    double avgArea() const { return sumArea / double(count); }
    double avgPricePerSqm() const { return sumPricePerSqm / double(count); }
    double ratio() const { return sumPrice / sumArea; }
    double medianPrice() const { return refMedian(prices); }
    double medianPricePerSqm() const { return refMedian(pricesPerSqm); }
};

using RefKey = std::pair<std::string, std::string>; // district, type

struct RefResult {
    std::int64_t rowsRead = 0;
    std::int64_t accepted = 0;
    std::int64_t filteredOut = 0;
    std::int64_t rejected = 0;
    std::array<std::int64_t, kRejectReasonCount> byReason{};
    std::array<std::vector<std::int64_t>, kRejectReasonCount> firstLines; ///< first 5, as record lines
    std::map<RefKey, RefGroup> groups;
    RefGroup totals;
};

struct RefColumns {
    int district = -1;
    int type = -1;
    int price = -1;
    int area = -1;
    int fieldCount = 0;
};

/// Plausibility bounds of the validation rules: a price above a trillion or an
/// area above a billion is rejected (so that sums of 1e308 never overflow).
inline constexpr double kRefMaxPrice = 1e12;
inline constexpr double kRefMaxArea = 1e9;

inline void refReject(RefResult &r, RejectReason reason, std::int64_t line)
{
    ++r.rejected;
    ++r.byReason[std::size_t(reason)];
    auto &v = r.firstLines[std::size_t(reason)];
    if (v.size() < 5)
        v.push_back(line);
}

/// Validates, filters and aggregates records (no header among them).
inline RefResult refAggregateRecords(const std::vector<RefRecord> &records, const RefColumns &cols, double minPrice,
                                     double minArea)
{
    RefResult r;
    for (const RefRecord &rec : records) {
        ++r.rowsRead;
        if (int(rec.fields.size()) != cols.fieldCount) {
            refReject(r, RejectReason::FieldCount, rec.line);
            continue;
        }
        double price = 0, area = 0;
        const NumberStatus ps = refParseNumber(rec.fields[std::size_t(cols.price)], price);
        if (ps == NumberStatus::Missing) {
            refReject(r, RejectReason::PriceMissing, rec.line);
            continue;
        }
        if (ps == NumberStatus::NotNumber) {
            refReject(r, RejectReason::PriceNotNumber, rec.line);
            continue;
        }
        if (ps == NumberStatus::NotFinite) {
            refReject(r, RejectReason::PriceNotFinite, rec.line);
            continue;
        }
        if (price <= 0) {
            refReject(r, RejectReason::PriceNotPositive, rec.line);
            continue;
        }
        if (price > kRefMaxPrice) {
            refReject(r, RejectReason::PriceTooLarge, rec.line);
            continue;
        }
        const NumberStatus as = refParseNumber(rec.fields[std::size_t(cols.area)], area);
        if (as == NumberStatus::Missing) {
            refReject(r, RejectReason::AreaMissing, rec.line);
            continue;
        }
        if (as == NumberStatus::NotNumber) {
            refReject(r, RejectReason::AreaNotNumber, rec.line);
            continue;
        }
        if (as == NumberStatus::NotFinite) {
            refReject(r, RejectReason::AreaNotFinite, rec.line);
            continue;
        }
        if (area <= 0) {
            refReject(r, RejectReason::AreaNotPositive, rec.line);
            continue;
        }
        if (area > kRefMaxArea) {
            refReject(r, RejectReason::AreaTooLarge, rec.line);
            continue;
        }
        if (price < minPrice || area < minArea) {
            ++r.filteredOut;
            continue;
        }
        std::string district = refTrim(rec.fields[std::size_t(cols.district)]);
        std::string type = refTrim(rec.fields[std::size_t(cols.type)]);
        if (district.empty())
            district = "Unknown";
        if (type.empty())
            type = "Unknown";
        ++r.accepted;
        r.groups[{district, type}].add(price, area);
        r.totals.add(price, area);
    }
    return r;
}

/// Whole CSV text (UTF-8, header first). Columns are found by exact header name.
inline RefResult refAggregateCsv(std::string_view text, char delim, double minPrice = 50000, double minArea = 20,
                                 const std::string &district = "District", const std::string &type = "Type",
                                 const std::string &price = "Price", const std::string &area = "LivingArea")
{
    std::vector<RefRecord> records = refSplit(text, delim);
    RefColumns cols;
    if (records.empty())
        return {};
    const std::vector<std::string> header = records.front().fields;
    cols.fieldCount = int(header.size());
    for (int i = 0; i < int(header.size()); ++i) {
        const std::string h = refTrim(header[std::size_t(i)]);
        if (h == district && cols.district < 0)
            cols.district = i;
        if (h == type && cols.type < 0)
            cols.type = i;
        if (h == price && cols.price < 0)
            cols.price = i;
        if (h == area && cols.area < 0)
            cols.area = i;
    }
    if (cols.district < 0 || cols.type < 0 || cols.price < 0 || cols.area < 0)
        throw std::runtime_error("reference: header lacks a role column");
    records.erase(records.begin());
    return refAggregateRecords(records, cols, minPrice, minArea);
}

// ---------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------

/// Equal, both NaN, or within `rel` relative difference (infinities must match).
inline bool nearRel(double a, double b, double rel = 1e-9)
{
    if (a == b)
        return true;
    if (std::isnan(a) && std::isnan(b))
        return true;
    if (!std::isfinite(a) || !std::isfinite(b))
        return false;
    return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}

/// Within 4 units in the last place (medians: the mean of two middle values
/// may be rounded in either of two correct ways).
inline bool nearUlps(double a, double b)
{
    if (a == b || (std::isnan(a) && std::isnan(b)))
        return true;
    if (!std::isfinite(a) || !std::isfinite(b))
        return false;
    double x = a;
    for (int k = 0; k < 4; ++k)
        x = std::nextafter(x, b);
    return (a < b) ? x >= b : x <= b;
}

inline std::map<RefKey, const GroupRow *> groupsByKey(const std::vector<GroupRow> &rows)
{
    std::map<RefKey, const GroupRow *> m;
    for (const GroupRow &g : rows)
        m[{g.district.toStdString(), g.type.toStdString()}] = &g;
    return m;
}

inline void expectCountersMatch(const StreamCounters &c, const RefResult &ref)
{
    EXPECT_EQ(c.rowsRead, ref.rowsRead);
    EXPECT_EQ(c.accepted, ref.accepted);
    EXPECT_EQ(c.filteredOut, ref.filteredOut);
    EXPECT_EQ(c.rejected, ref.rejected);
    for (int k = 0; k < kRejectReasonCount; ++k)
        EXPECT_EQ(c.rejectsByReason[std::size_t(k)], ref.byReason[std::size_t(k)])
            << "reason " << rejectReasonKey(RejectReason(k)).toStdString();
}

inline void expectStatsMatch(const GroupStats &s, const RefGroup &g, const std::string &what)
{
    EXPECT_EQ(std::int64_t(s.count), g.count) << what;
    EXPECT_TRUE(nearRel(s.sumPrice, g.sumPrice)) << what << " sumPrice " << s.sumPrice << " vs " << g.sumPrice;
    EXPECT_TRUE(nearRel(s.sumArea, g.sumArea)) << what << " sumArea " << s.sumArea << " vs " << g.sumArea;
    EXPECT_TRUE(nearRel(s.sumPricePerSqm, g.sumPricePerSqm))
        << what << " sumPricePerSqm " << s.sumPricePerSqm << " vs " << g.sumPricePerSqm;
    EXPECT_EQ(s.minPrice, g.minPrice) << what;
    EXPECT_EQ(s.maxPrice, g.maxPrice) << what;
    EXPECT_TRUE(nearRel(s.avgPrice(), g.avgPrice())) << what;
    EXPECT_TRUE(nearRel(s.avgArea(), g.avgArea())) << what;
    EXPECT_TRUE(nearRel(s.avgPricePerSqm(), g.avgPricePerSqm())) << what;
    EXPECT_TRUE(nearRel(s.ratioPricePerSqm(), g.ratio())) << what;
}

/// Everything in a snapshot against the reference: counters, reject line
/// samples, every group and the totals; medians too when `medians`.
inline void expectSnapshotMatches(const StreamSnapshot &snap, const RefResult &ref, bool medians)
{
    expectCountersMatch(snap.counters, ref);
    for (int k = 0; k < kRejectReasonCount; ++k)
        EXPECT_EQ(snap.rejectLines.lines[std::size_t(k)], ref.firstLines[std::size_t(k)])
            << "reject lines for " << rejectReasonKey(RejectReason(k)).toStdString();
    ASSERT_EQ(snap.groups.size(), ref.groups.size());
    const auto got = groupsByKey(snap.groups);
    ASSERT_EQ(got.size(), snap.groups.size()) << "duplicate (district, type) rows";
    for (const auto &[key, g] : ref.groups) {
        const std::string what = key.first + " / " + key.second;
        const auto it = got.find(key);
        ASSERT_NE(it, got.end()) << "missing group " << what;
        expectStatsMatch(it->second->stats, g, what);
        if (medians) {
            EXPECT_TRUE(nearUlps(it->second->medianPrice, g.medianPrice()))
                << what << " median price " << it->second->medianPrice << " vs " << g.medianPrice();
            EXPECT_TRUE(nearUlps(it->second->medianPricePerSqm, g.medianPricePerSqm()))
                << what << " median price/m2 " << it->second->medianPricePerSqm << " vs " << g.medianPricePerSqm();
        }
    }
    if (ref.totals.count > 0) {
        expectStatsMatch(snap.totals.stats, ref.totals, "totals");
        if (medians) {
            EXPECT_TRUE(nearUlps(snap.totals.medianPrice, ref.totals.medianPrice()));
            EXPECT_TRUE(nearUlps(snap.totals.medianPricePerSqm, ref.totals.medianPricePerSqm()));
        }
    }
}

// ---------------------------------------------------------------------------
// Running the engine
// ---------------------------------------------------------------------------

struct EngineRun {
    bool started = false;
    bool finished = false;
    bool failed = false;
    bool cancelled = false;
    bool timedOut = false;
    QString failReason;
    SnapshotPtr finalSnapshot;
    std::vector<SnapshotPtr> snapshots;
    std::vector<Issue> issues;
    struct Export {
        QString path;
        bool ok = false;
        QString message;
    };
    std::vector<Export> exports;
};

/// Starts `config` on `engine` and runs an event loop until the run finishes,
/// fails or is cancelled (or `timeoutMs` passes, which sets timedOut).
inline EngineRun runEngine(StreamEngine &engine, const StreamConfig &config, int timeoutMs = 120000)
{
    app();
    EngineRun run;
    QEventLoop loop;
    QObject context; // disconnects everything when it goes away
    QObject::connect(&engine, &StreamEngine::started, &context, [&](const FormatInfo &) { run.started = true; });
    QObject::connect(&engine, &StreamEngine::snapshotReady, &context,
                     [&](const SnapshotPtr &s) { run.snapshots.push_back(s); });
    QObject::connect(&engine, &StreamEngine::issue, &context, [&](const Issue &i) { run.issues.push_back(i); });
    QObject::connect(&engine, &StreamEngine::exported, &context,
                     [&](const QString &p, bool ok, const QString &m) { run.exports.push_back({p, ok, m}); });
    QObject::connect(&engine, &StreamEngine::finished, &context, [&](const SnapshotPtr &s) {
        run.finished = true;
        run.finalSnapshot = s;
        loop.quit();
    });
    QObject::connect(&engine, &StreamEngine::failed, &context, [&](const QString &reason) {
        run.failed = true;
        run.failReason = reason;
        loop.quit();
    });
    bool ours = false; // start() may first cancel a run still going: that cancelled() is not ours
    QObject::connect(&engine, &StreamEngine::cancelled, &context, [&] {
        if (!ours)
            return;
        run.cancelled = true;
        loop.quit();
    });
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &context, [&] {
        run.timedOut = true;
        loop.quit();
    });
    guard.start(timeoutMs);
    engine.start(config);
    ours = true;
    if (!run.finished && !run.failed && !run.cancelled)
        loop.exec();
    return run;
}

/// Spins the event loop for `ms` milliseconds, or until `done()` is true.
template<typename Pred> inline bool spinUntil(Pred done, int ms)
{
    app();
    QEventLoop loop;
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    guard.start(ms);
    poll.start(5);
    if (!done())
        loop.exec();
    return done();
}

inline void spinFor(int ms)
{
    spinUntil([] { return false; }, ms);
}

/// A config reading `data` from memory.
inline StreamConfig memoryConfig(const QByteArray &data)
{
    StreamConfig c;
    c.openSource = [data](QString *) { return makeMemorySource(data, QStringLiteral("memory.csv")); };
    return c;
}

// ---------------------------------------------------------------------------
// A synthetic listings generator with the awkward parts of real CSV
// ---------------------------------------------------------------------------

struct TrickyOptions {
    bool quotes = true;          ///< quoted fields with delimiters and doubled quotes
    bool embeddedNewlines = true;
    bool mixedLineEnds = true;   ///< LF, CRLF and lone CR
    bool blankLines = true;
    bool dirty = true;           ///< bad numbers, ragged rows, empty labels
    char delimiter = ',';
};

/// Data records only (no header), columns: Price, District, Type, LivingArea, Note.
/// Deterministic for a given seed. The last record may lack its line end.
inline std::string makeTrickyRecords(std::uint64_t seed, int rows, const TrickyOptions &o = {})
{
    std::mt19937_64 rng(seed);
    auto pick = [&](int n) { return int(rng() % std::uint64_t(n)); };
    const char d = o.delimiter;
    static const char *const districts[] = {"Lisboa", "Porto", "Faro", "Setúbal", "Évora", "Braga"};
    static const char *const types[] = {"Apartment", "House", "Land"};
    auto lineEnd = [&]() -> std::string {
        if (!o.mixedLineEnds)
            return "\n";
        const int k = pick(6);
        return k < 3 ? "\n" : (k < 5 ? "\r\n" : "\r");
    };
    auto quoteIf = [&](const std::string &s) {
        std::string q = "\"";
        for (char c : s) {
            if (c == '"')
                q += '"';
            q += c;
        }
        return q + "\"";
    };
    std::string out;
    for (int r = 0; r < rows; ++r) {
        if (o.blankLines && pick(15) == 0)
            out += lineEnd();
        std::string district = districts[pick(6)];
        std::string type = types[pick(3)];
        const double price = double(20000 + pick(900) * 1000 + pick(100)) + (pick(4) == 0 ? 0.5 : 0.0);
        const double area = double(5 + pick(300)) + (pick(4) == 0 ? 0.25 : 0.0);
        char pbuf[64], abuf[64];
        std::snprintf(pbuf, sizeof pbuf, pick(5) == 0 ? "%.1f" : "%.2f", price);
        std::snprintf(abuf, sizeof abuf, "%.2f", area);
        std::string ps = pbuf, as = abuf;
        std::string note = "n" + std::to_string(r);
        bool quoteDistrict = false, quoteNote = false;
        if (o.quotes) {
            switch (pick(8)) {
            case 0: district += std::string(1, d) + " Centro"; quoteDistrict = true; break;
            case 1: district = "The \"" + district + "\" area"; quoteDistrict = true; break;
            case 2: note = "said \"\"hi\"\", ok"; break; // quotes inside an unquoted field stay literal
            case 3: quoteDistrict = true; break;
            default: break;
            }
            if (pick(6) == 0) {
                note = "a" + std::string(1, d) + "b\"c";
                quoteNote = true;
            }
            if (pick(10) == 0) {
                ps = quoteIf(ps);
            }
        }
        if (o.embeddedNewlines && pick(10) == 0) {
            note = std::string("line1") + (pick(2) ? "\n" : "\r\n") + "line2";
            quoteNote = true;
        }
        if (note.find(d) != std::string::npos && !quoteNote)
            quoteNote = true;
        if (o.dirty) {
            switch (pick(25)) {
            case 0: ps = ""; break;
            case 1: ps = "abc"; break;
            case 2: ps = "-5"; break;
            case 3: ps = "0"; break;
            case 4: ps = "nan"; break;
            case 5: as = ""; break;
            case 6: as = "n/a"; break;
            case 7: as = "-1"; break;
            case 8: as = "inf"; break;
            case 9: district = ""; quoteDistrict = false; break;
            case 10: type = "  "; break;
            case 11: district = "  " + district + " "; break;
            case 12: ps = "1e308"; break; // finite but implausible
            case 13: as = "5e9"; break;
            default: break;
            }
        }
        std::vector<std::string> fields = {ps, quoteDistrict ? quoteIf(district) : district, type, as,
                                           quoteNote ? quoteIf(note) : note};
        if (o.dirty) {
            const int k = pick(30);
            if (k == 0)
                fields.pop_back();               // too few fields
            else if (k == 1)
                fields.push_back("extra");       // too many
        }
        for (std::size_t f = 0; f < fields.size(); ++f) {
            if (f)
                out += d;
            out += fields[f];
        }
        if (r + 1 < rows || pick(2) == 0)
            out += lineEnd();
    }
    return out;
}

inline std::string trickyHeader(char d = ',')
{
    return std::string("Price") + d + "District" + d + "Type" + d + "LivingArea" + d + "Note\n";
}

inline RefColumns trickyColumns() { return RefColumns{1, 2, 0, 3, 5}; }


// ---------------------------------------------------------------------------
// Golden cases: tests/data/golden/<case>/{input.csv, expected_export.csv, expected_counts.txt}
// ---------------------------------------------------------------------------

struct GoldenCounts {
    std::map<std::string, std::int64_t> values;                 ///< rows_read, accepted, filtered, rejected, groups
    std::map<std::string, std::int64_t> rejectCounts;           ///< reason key -> count
    std::map<std::string, std::vector<std::int64_t>> rejectLines; ///< reason key -> first lines
};

/// Reads "key=value" lines; reject reasons are written "reason_key=COUNT@LINE,LINE".
inline GoldenCounts readGoldenCounts(const QString &path)
{
    GoldenCounts g;
    const QList<QByteArray> lines = readAll(path).split('\n');
    for (const QByteArray &raw : lines) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype eq = line.indexOf('=');
        if (eq < 0)
            continue;
        const std::string key = str(line.left(eq));
        const QByteArray value = line.mid(eq + 1);
        const qsizetype at = value.indexOf('@');
        if (at < 0) {
            g.values[key] = value.toLongLong();
            continue;
        }
        g.rejectCounts[key] = value.left(at).toLongLong();
        for (const QByteArray &l : value.mid(at + 1).split(','))
            g.rejectLines[key].push_back(l.toLongLong());
    }
    return g;
}

inline QStringList goldenCases()
{
    const QDir dir(QStringLiteral(ES_TEST_DATA_DIR "/golden"));
    return dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

inline QString goldenFile(const QString &caseName, const QString &file)
{
    return QStringLiteral(ES_TEST_DATA_DIR "/golden/") + caseName + u'/' + file;
}

} // namespace es::test
