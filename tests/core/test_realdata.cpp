// The real Portugal listings (../shared/data, read-only, never copied into the
// project): the engine and the headless command line against the independent
// reference. Skipped cleanly when the data are not on this machine.
#include "exporter.h"
#include "testutil.h"

#include <QFileInfo>
#include <QProcess>

#include <gtest/gtest.h>

#include <iostream>
#include <memory>

using namespace es;
using namespace es::test;

namespace {

QString realFile()
{
    return QStringLiteral(ES_SHARED_DATA_DIR "/portugal-real-estate-2024/portugal_listings_apartment_house_land.csv");
}

class RealData : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        if (!QFileInfo::exists(realFile()))
            return;
        s_ref = std::make_unique<RefResult>(refAggregateCsv(str(readAll(realFile())), ','));
    }
    static void TearDownTestSuite() { s_ref.reset(); }
    void SetUp() override
    {
        if (!QFileInfo::exists(realFile()))
            GTEST_SKIP() << "real data not available: " << realFile().toStdString();
        ASSERT_TRUE(s_ref);
    }
    static inline std::unique_ptr<RefResult> s_ref;
};

} // namespace

TEST_F(RealData, ReferenceReadsEveryRow)
{
    // PROVENANCE.md: 108,076 rows; 238 empty prices; 21,187 empty living areas
    EXPECT_EQ(s_ref->rowsRead, 108076);
    EXPECT_EQ(s_ref->byReason[std::size_t(RejectReason::FieldCount)], 0);
    EXPECT_EQ(s_ref->byReason[std::size_t(RejectReason::PriceMissing)], 238);
}

TEST_F(RealData, EngineMatchesReferenceInEveryGroup)
{
    StreamEngine engine;
    StreamConfig cfg;
    cfg.path = realFile();
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished) << run.failReason.toStdString();
    expectSnapshotMatches(*run.finalSnapshot, *s_ref, true);
    const StreamCounters &c = run.finalSnapshot->counters;
    std::cout << "[ real data ] rows " << c.rowsRead << ", accepted " << c.accepted << ", filtered " << c.filteredOut
              << ", rejected " << c.rejected << ", groups " << run.finalSnapshot->groups.size() << ", "
              << run.finalSnapshot->rowsPerSecond << " rows/s (test build)\n";
}

TEST_F(RealData, OneAndTwoThreadsAgree)
{
    SnapshotPtr results[2];
    for (int threads : {1, 2}) {
        StreamEngine engine;
        StreamConfig cfg;
        cfg.path = realFile();
        cfg.threads = threads;
        const EngineRun run = runEngine(engine, cfg);
        ASSERT_TRUE(run.finished) << run.failReason.toStdString();
        results[threads - 1] = run.finalSnapshot;
    }
    const auto &a = results[0]->groups;
    const auto &b = results[1]->groups;
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].district, b[i].district);
        EXPECT_EQ(a[i].type, b[i].type);
        EXPECT_EQ(a[i].stats.count, b[i].stats.count);
        EXPECT_TRUE(nearRel(a[i].stats.sumPrice, b[i].stats.sumPrice));
        EXPECT_EQ(a[i].medianPrice, b[i].medianPrice);
        EXPECT_EQ(a[i].medianPricePerSqm, b[i].medianPricePerSqm);
    }
}

TEST_F(RealData, HeadlessCommandLineMatchesReference)
{
    if (!QFileInfo::exists(QStringLiteral(ES_APP_BINARY)))
        GTEST_SKIP() << "estatestream binary not built";
    TempDir dir;
    const QString out = dir.filePath(QStringLiteral("agg.csv"));
    QProcess p;
    p.start(QStringLiteral(ES_APP_BINARY), {QStringLiteral("--headless"), realFile(), QStringLiteral("--export"), out,
                                            QStringLiteral("--log-dir"), dir.filePath(QStringLiteral("logs"))});
    ASSERT_TRUE(p.waitForFinished(300000));
    ASSERT_EQ(p.exitStatus(), QProcess::NormalExit);
    ASSERT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
    const QString stdoutText = QString::fromUtf8(p.readAllStandardOutput());
    auto number = [&](const QString &key) -> std::int64_t {
        for (const QString &line : stdoutText.split(u'\n'))
            if (line.startsWith(key + QStringLiteral(": ")))
                return line.mid(key.size() + 2).section(u' ', 0, 0).toLongLong();
        return -1;
    };
    EXPECT_EQ(number(QStringLiteral("rows read")), s_ref->rowsRead);
    EXPECT_EQ(number(QStringLiteral("accepted")), s_ref->accepted);
    EXPECT_EQ(number(QStringLiteral("filtered")), s_ref->filteredOut);
    EXPECT_EQ(number(QStringLiteral("rejected")), s_ref->rejected);
    EXPECT_EQ(number(QStringLiteral("groups")), std::int64_t(s_ref->groups.size()));
    std::cout << "[ real data ] headless summary:\n" << stdoutText.toStdString();

    // every exported group against the reference
    const std::vector<RefRecord> recs = refSplit(str(readAll(out)), ',');
    ASSERT_EQ(recs.size(), s_ref->groups.size() + 1);
    for (std::size_t i = 1; i < recs.size(); ++i) {
        const auto &f = recs[i].fields;
        ASSERT_EQ(f.size(), 11u);
        const auto it = s_ref->groups.find({f[0], f[1]});
        ASSERT_NE(it, s_ref->groups.end()) << f[0] << " / " << f[1];
        const RefGroup &g = it->second;
        EXPECT_EQ(std::stoll(f[4]), g.count);
        EXPECT_TRUE(nearRel(std::stod(f[2]), g.avgPrice())) << f[0] << "/" << f[1];
        EXPECT_TRUE(nearRel(std::stod(f[3]), g.avgArea()));
        EXPECT_TRUE(nearRel(std::stod(f[5]), g.avgPricePerSqm()));
        EXPECT_TRUE(nearUlps(std::stod(f[6]), g.medianPrice()));
        EXPECT_TRUE(nearUlps(std::stod(f[7]), g.medianPricePerSqm()));
        EXPECT_EQ(std::stod(f[8]), g.minPrice);
        EXPECT_EQ(std::stod(f[9]), g.maxPrice);
        EXPECT_TRUE(nearRel(std::stod(f[10]), g.ratio()));
    }
}
