// The aggregate export: header, number formatting, quoting, golden files and
// atomic writes.
#include "exporter.h"
#include "testutil.h"

#include <QFileInfo>

#include <gtest/gtest.h>

#include <charconv>
#include <cstring>
#include <random>
#include <unistd.h>

using namespace es;
using namespace es::test;

namespace {

GroupRow row(const QString &district, const QString &type, std::initializer_list<std::pair<double, double>> listings)
{
    GroupRow g;
    g.district = district;
    g.type = type;
    for (const auto &[p, a] : listings)
        g.stats.add(p, a);
    return g;
}

double parseBack(const QByteArray &text)
{
    double v = 0;
    const auto [ptr, ec] = std::from_chars(text.constData(), text.constData() + text.size(), v);
    EXPECT_EQ(ec, std::errc()) << text.toStdString();
    EXPECT_EQ(ptr, text.constData() + text.size()) << text.toStdString();
    return v;
}

bool sameBits(double a, double b)
{
    std::uint64_t x = 0, y = 0;
    std::memcpy(&x, &a, sizeof x);
    std::memcpy(&y, &b, sizeof y);
    return x == y;
}

} // namespace

// ---------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------

TEST(Exporter, FirstSixColumnsAreThePrototypes)
{
    const QList<QByteArray> cols = exportHeader().split(',');
    ASSERT_GE(cols.size(), 6);
    EXPECT_EQ(cols.mid(0, 6), (QList<QByteArray>{"District", "Property_Type", "Avg_Price", "Avg_Area", "Count",
                                                 "Avg_Price_per_Sqm"}));
}

TEST(Exporter, ExtraColumnsFollow)
{
    const QList<QByteArray> cols = exportHeader().split(',');
    EXPECT_EQ(cols.mid(6), (QList<QByteArray>{"Median_Price", "Median_Price_per_Sqm", "Min_Price", "Max_Price",
                                              "Price_per_Sqm_Ratio_of_Sums"}));
}

TEST(Exporter, EmptyExportIsJustTheHeader)
{
    EXPECT_EQ(exportCsv({}), exportHeader() + '\n');
}

TEST(Exporter, OneRowPerGroupInTheOrderGiven)
{
    std::vector<GroupRow> groups{row(QStringLiteral("B"), QStringLiteral("X"), {{100000, 50}}),
                                 row(QStringLiteral("A"), QStringLiteral("Y"), {{200000, 100}})};
    const QList<QByteArray> lines = exportCsv(groups).split('\n');
    ASSERT_EQ(lines.size(), 4); // header, 2 rows, empty after the final newline
    EXPECT_TRUE(lines[1].startsWith("B,X,"));
    EXPECT_TRUE(lines[2].startsWith("A,Y,"));
    EXPECT_TRUE(lines[3].isEmpty());
}

TEST(Exporter, RowValuesFromStats)
{
    // (100000, 50) -> 2000/m2, (300000, 100) -> 3000/m2
    GroupRow g = row(QStringLiteral("Lisboa"), QStringLiteral("House"), {{100000, 50}, {300000, 100}});
    g.medianPrice = 200000;
    g.medianPricePerSqm = 2500;
    const QList<QByteArray> lines = exportCsv({g}).split('\n');
    const QList<QByteArray> f = lines[1].split(',');
    ASSERT_EQ(f.size(), 11);
    EXPECT_EQ(parseBack(f[2]), 200000.0);          // avg price
    EXPECT_EQ(parseBack(f[3]), 75.0);              // avg area
    EXPECT_EQ(f[4], "2");                          // count
    EXPECT_EQ(parseBack(f[5]), 2500.0);            // avg of price/m2
    EXPECT_EQ(parseBack(f[6]), 200000.0);          // median price
    EXPECT_EQ(parseBack(f[7]), 2500.0);            // median price/m2
    EXPECT_EQ(parseBack(f[8]), 100000.0);          // min
    EXPECT_EQ(parseBack(f[9]), 300000.0);          // max
    EXPECT_EQ(parseBack(f[10]), 400000.0 / 150.0); // ratio of sums
}

TEST(Exporter, UnknownMediansAreEmptyFields)
{
    const GroupRow g = row(QStringLiteral("Lisboa"), QStringLiteral("House"), {{100000, 50}});
    const QList<QByteArray> f = exportCsv({g}).split('\n')[1].split(',');
    ASSERT_EQ(f.size(), 11);
    EXPECT_TRUE(f[6].isEmpty());
    EXPECT_TRUE(f[7].isEmpty());
}

TEST(Exporter, NamesWithCommasAndQuotesAreQuoted)
{
    const std::vector<GroupRow> groups{
        row(QStringLiteral("Lisboa, Centro"), QStringLiteral("T2 \"novo\""), {{100000, 50}}),
        row(QStringLiteral("Porto\nNorte"), QStringLiteral("Casa;Grande"), {{100000, 50}})};
    const QByteArray csv = exportCsv(groups);
    EXPECT_TRUE(csv.contains("\"Lisboa, Centro\",\"T2 \"\"novo\"\"\",")) << csv.toStdString();
    // read back with the reference splitter: the names survive
    const std::vector<RefRecord> recs = refSplit(str(csv), ',');
    ASSERT_EQ(recs.size(), 3u);
    EXPECT_EQ(recs[1].fields[0], "Lisboa, Centro");
    EXPECT_EQ(recs[1].fields[1], "T2 \"novo\"");
    EXPECT_EQ(recs[2].fields[0], "Porto\nNorte");
    EXPECT_EQ(recs[2].fields[1], "Casa;Grande");
    EXPECT_EQ(recs[1].fields.size(), 11u);
    EXPECT_EQ(recs[2].fields.size(), 11u);
}

TEST(Exporter, NonAsciiNamesAreUtf8)
{
    const QByteArray csv = exportCsv({row(QStringLiteral("Setúbal"), QStringLiteral("Moradia"), {{100000, 50}})});
    EXPECT_TRUE(csv.contains("Set\xC3\xBA"
                             "bal,Moradia,"));
    EXPECT_FALSE(csv.startsWith("\xEF\xBB\xBF")); // no BOM
}

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

TEST(Exporter, FormatNumberRoundTripsRandomBitPatterns)
{
    std::mt19937_64 rng(20240501);
    int checked = 0;
    for (int i = 0; i < 200000; ++i) {
        const std::uint64_t bits = rng();
        double v = 0;
        std::memcpy(&v, &bits, sizeof v);
        if (!std::isfinite(v))
            continue;
        const QByteArray text = formatNumber(v);
        ASSERT_FALSE(text.isEmpty());
        ASSERT_TRUE(sameBits(parseBack(text), v)) << text.toStdString();
        ++checked;
    }
    EXPECT_GT(checked, 190000);
}

TEST(Exporter, FormatNumberRoundTripsRealisticValues)
{
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> price(1000, 5e6), area(10, 2000);
    for (int i = 0; i < 100000; ++i) {
        const double p = price(rng), a = area(rng);
        for (double v : {p, a, p / a, (p + a) / 3}) {
            const QByteArray text = formatNumber(v);
            ASSERT_TRUE(sameBits(parseBack(text), v)) << text.toStdString();
        }
    }
}

TEST(Exporter, FormatNumberEdgeValues)
{
    for (double v : {0.0, -0.0, 1.0, 0.1, 1e308, 1.7976931348623157e308, 4.9e-324, 2.2250738585072014e-308,
                     -123456.789, 250000.0, 1e21, 123456789012345678.0}) {
        const QByteArray text = formatNumber(v);
        EXPECT_TRUE(sameBits(parseBack(text), v)) << text.toStdString();
    }
}

TEST(Exporter, FormatNumberOfNanIsEmpty)
{
    EXPECT_TRUE(formatNumber(std::numeric_limits<double>::quiet_NaN()).isEmpty());
}

TEST(Exporter, FormatNumberIsShortForSimpleValues)
{
    // a plain value is not padded with digits ("2062.5", not "2062.500000000000")
    EXPECT_EQ(formatNumber(2062.5), "2062.5");
    EXPECT_EQ(formatNumber(75.0), "75");
    EXPECT_EQ(formatNumber(0.1), "0.1");
}

// ---------------------------------------------------------------------------
// Golden files: tests/data/golden/<case>/
// ---------------------------------------------------------------------------

TEST(ExporterGolden, CasesExist)
{
    EXPECT_GE(goldenCases().size(), 2);
}

TEST(ExporterGolden, EngineExportEqualsHandComputedFile)
{
    for (const QString &name : goldenCases()) {
        SCOPED_TRACE(name.toStdString());
        TempDir dir;
        StreamEngine engine;
        StreamConfig cfg;
        cfg.path = goldenFile(name, QStringLiteral("input.csv"));
        cfg.exportPath = dir.filePath(QStringLiteral("out.csv"));
        const EngineRun run = runEngine(engine, cfg);
        ASSERT_TRUE(run.finished) << run.failReason.toStdString();
        const QByteArray expected = readAll(goldenFile(name, QStringLiteral("expected_export.csv")));
        ASSERT_FALSE(expected.isEmpty());
        EXPECT_EQ(readAll(cfg.exportPath).toStdString(), expected.toStdString());
        // the same bytes from exportCsv on the final snapshot
        EXPECT_EQ(exportCsv(run.finalSnapshot->groups).toStdString(), expected.toStdString());
    }
}

TEST(ExporterGolden, EngineCountersEqualHandComputedCounts)
{
    for (const QString &name : goldenCases()) {
        SCOPED_TRACE(name.toStdString());
        const GoldenCounts want = readGoldenCounts(goldenFile(name, QStringLiteral("expected_counts.txt")));
        ASSERT_FALSE(want.values.empty());
        StreamEngine engine;
        StreamConfig cfg;
        cfg.path = goldenFile(name, QStringLiteral("input.csv"));
        const EngineRun run = runEngine(engine, cfg);
        ASSERT_TRUE(run.finished) << run.failReason.toStdString();
        const StreamSnapshot &s = *run.finalSnapshot;
        EXPECT_EQ(s.counters.rowsRead, want.values.at("rows_read"));
        EXPECT_EQ(s.counters.accepted, want.values.at("accepted"));
        EXPECT_EQ(s.counters.filteredOut, want.values.at("filtered"));
        EXPECT_EQ(s.counters.rejected, want.values.at("rejected"));
        EXPECT_EQ(std::int64_t(s.groups.size()), want.values.at("groups"));
        for (int k = 0; k < kRejectReasonCount; ++k) {
            const std::string key = rejectReasonKey(RejectReason(k)).toStdString();
            const auto it = want.rejectCounts.find(key);
            const std::int64_t n = it == want.rejectCounts.end() ? 0 : it->second;
            EXPECT_EQ(s.counters.rejectsByReason[std::size_t(k)], n) << key;
            if (n) {
                EXPECT_EQ(s.rejectLines.lines[std::size_t(k)], want.rejectLines.at(key)) << key;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Atomic writes
// ---------------------------------------------------------------------------

TEST(ExporterWrite, CreatesTheFile)
{
    TempDir dir;
    const QString path = dir.filePath(QStringLiteral("agg.csv"));
    QString error;
    ASSERT_TRUE(writeFileAtomically(path, "hello\n", &error)) << error.toStdString();
    EXPECT_EQ(readAll(path), "hello\n");
    EXPECT_TRUE(error.isEmpty());
}

TEST(ExporterWrite, ReplacesTheWholeOldFile)
{
    TempDir dir;
    const QString path = dir.write(QStringLiteral("agg.csv"), QByteArray(10000, 'x'));
    QString error;
    ASSERT_TRUE(writeFileAtomically(path, "short\n", &error)) << error.toStdString();
    EXPECT_EQ(readAll(path), "short\n");
}

TEST(ExporterWrite, LeavesNoTemporaryFilesBehind)
{
    TempDir dir;
    QString error;
    ASSERT_TRUE(writeFileAtomically(dir.filePath(QStringLiteral("agg.csv")), "a\n", &error));
    ASSERT_TRUE(writeFileAtomically(dir.filePath(QStringLiteral("agg.csv")), "b\n", &error));
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("agg.csv")});
}

TEST(ExporterWrite, MissingDirectoryFailsWithMessage)
{
    TempDir dir;
    const QString path = dir.filePath(QStringLiteral("no/such/dir/agg.csv"));
    QString error;
    EXPECT_FALSE(writeFileAtomically(path, "x\n", &error));
    EXPECT_FALSE(error.isEmpty());
    EXPECT_TRUE(error.contains(QStringLiteral("agg.csv"))) << error.toStdString();
    EXPECT_FALSE(QFileInfo::exists(path));
}

TEST(ExporterWrite, PathThatIsADirectoryFails)
{
    TempDir dir;
    ASSERT_TRUE(QDir(dir.path()).mkdir(QStringLiteral("target.csv")));
    const QString path = dir.filePath(QStringLiteral("target.csv"));
    QString error;
    EXPECT_FALSE(writeFileAtomically(path, "x\n", &error));
    EXPECT_FALSE(error.isEmpty());
    EXPECT_TRUE(QFileInfo(path).isDir());
}

TEST(ExporterWrite, UnwritableDirectoryLeavesOldFileIntact)
{
    if (::geteuid() == 0)
        GTEST_SKIP() << "running as root: directory permissions do not stop root (see FailedCommitLeavesOldFileIntact)";
    TempDir dir;
    const QString sub = dir.filePath(QStringLiteral("ro"));
    ASSERT_TRUE(QDir().mkpath(sub));
    const QString path = sub + QStringLiteral("/agg.csv");
    ASSERT_TRUE(writeAll(path, "old contents\n"));
    ASSERT_TRUE(QFile::setPermissions(sub, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    QString error;
    const bool ok = writeFileAtomically(path, "new contents\n", &error);
    QFile::setPermissions(sub, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    EXPECT_FALSE(ok);
    EXPECT_FALSE(error.isEmpty());
    EXPECT_EQ(readAll(path), "old contents\n");
}

TEST(ExporterWrite, FailedCommitLeavesOldFileIntact)
{
    // A 250-byte file name is legal, but the save file's temporary name beside
    // it is not: the write fails at the last step, even for root.
    TempDir dir;
    const QString path = dir.filePath(QString(250, u'a'));
    ASSERT_TRUE(writeAll(path, "old contents\n"));
    QString error;
    EXPECT_FALSE(writeFileAtomically(path, "new contents\n", &error));
    EXPECT_FALSE(error.isEmpty());
    EXPECT_EQ(readAll(path), "old contents\n");
}

TEST(ExporterWrite, ExportAggregatesWritesExportCsv)
{
    TempDir dir;
    const std::vector<GroupRow> groups{row(QStringLiteral("A"), QStringLiteral("B"), {{100000, 50}})};
    const QString path = dir.filePath(QStringLiteral("agg.csv"));
    QString error;
    ASSERT_TRUE(exportAggregates(path, groups, &error)) << error.toStdString();
    EXPECT_EQ(readAll(path), exportCsv(groups));
}
