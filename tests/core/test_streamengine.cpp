// The StreamEngine facade: aggregates against the reference, invariance to
// threads and batches, pacing, pause/resume/step/stop, failures and exports.
#include "exporter.h"
#include "testutil.h"

#include <QFileInfo>
#include <QProcess>
#include <QThread>

#include <gtest/gtest.h>

#include <memory>
#include <set>

using namespace es;
using namespace es::test;

namespace {

/// Clean rows, no blank lines: Price,District,Type,LivingArea.
QByteArray simpleCsv(int rows)
{
    std::string s = "Price,District,Type,LivingArea\n";
    for (int i = 0; i < rows; ++i)
        s += std::to_string(60000 + (i * 7919) % 900000) + ",D" + std::to_string(i % 5) + ",T" + std::to_string(i % 3) +
             "," + std::to_string(25 + (i * 31) % 200) + "\n";
    return bytes(s);
}

QByteArray trickyCsv(std::uint64_t seed, int rows)
{
    return bytes(trickyHeader() + makeTrickyRecords(seed, rows));
}

RefResult trickyReference(const QByteArray &csv)
{
    return refAggregateCsv(str(csv), ',');
}

/// Counts identical, sums within 1e-9 relative, medians identical.
void expectSameResult(const StreamSnapshot &a, const StreamSnapshot &b)
{
    EXPECT_EQ(a.counters.rowsRead, b.counters.rowsRead);
    EXPECT_EQ(a.counters.accepted, b.counters.accepted);
    EXPECT_EQ(a.counters.filteredOut, b.counters.filteredOut);
    EXPECT_EQ(a.counters.rejected, b.counters.rejected);
    EXPECT_EQ(a.counters.rejectsByReason, b.counters.rejectsByReason);
    for (int k = 0; k < kRejectReasonCount; ++k)
        EXPECT_EQ(a.rejectLines.lines[std::size_t(k)], b.rejectLines.lines[std::size_t(k)]);
    ASSERT_EQ(a.groups.size(), b.groups.size());
    for (std::size_t i = 0; i < a.groups.size(); ++i) {
        const GroupRow &x = a.groups[i];
        const GroupRow &y = b.groups[i];
        ASSERT_EQ(x.district, y.district);
        ASSERT_EQ(x.type, y.type);
        const std::string what = x.district.toStdString() + " / " + x.type.toStdString();
        EXPECT_EQ(x.stats.count, y.stats.count) << what;
        EXPECT_TRUE(nearRel(x.stats.sumPrice, y.stats.sumPrice)) << what;
        EXPECT_TRUE(nearRel(x.stats.sumArea, y.stats.sumArea)) << what;
        EXPECT_TRUE(nearRel(x.stats.sumPricePerSqm, y.stats.sumPricePerSqm)) << what;
        EXPECT_EQ(x.stats.minPrice, y.stats.minPrice) << what;
        EXPECT_EQ(x.stats.maxPrice, y.stats.maxPrice) << what;
        EXPECT_EQ(x.medianPrice, y.medianPrice) << what;
        EXPECT_EQ(x.medianPricePerSqm, y.medianPricePerSqm) << what;
    }
    EXPECT_EQ(a.totals.medianPrice, b.totals.medianPrice);
    EXPECT_EQ(a.totals.medianPricePerSqm, b.totals.medianPricePerSqm);
}

/// Data from the project's generator, made once for the whole suite.
class GeneratedData : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        app();
        s_dir = std::make_unique<TempDir>();
        s_path = s_dir->filePath(QStringLiteral("generated.csv"));
        QProcess gen;
        gen.start(QStringLiteral(ES_GEN_BINARY),
                  {QStringLiteral("20000"), s_path, QStringLiteral("--dirty"), QStringLiteral("0.05"),
                   QStringLiteral("--seed"), QStringLiteral("11")});
        if (!gen.waitForFinished(120000) || gen.exitCode() != 0) {
            s_error = "es_gen_listings failed: " + gen.readAllStandardError().toStdString();
            return;
        }
        s_ref = std::make_unique<RefResult>(refAggregateCsv(str(readAll(s_path)), ','));
    }
    static void TearDownTestSuite()
    {
        s_ref.reset();
        s_dir.reset();
    }
    void SetUp() override
    {
        ASSERT_TRUE(s_error.empty()) << s_error;
        ASSERT_TRUE(s_ref);
    }
    static StreamConfig fileConfig()
    {
        StreamConfig c;
        c.path = s_path;
        return c;
    }

    static inline std::unique_ptr<TempDir> s_dir;
    static inline QString s_path;
    static inline std::unique_ptr<RefResult> s_ref;
    static inline std::string s_error;
};

} // namespace

// ---------------------------------------------------------------------------
// Aggregates against the reference
// ---------------------------------------------------------------------------

TEST_F(GeneratedData, ReferenceSeesDirtyRows)
{
    // the comparison below is only meaningful if the data exercise the rejects
    EXPECT_EQ(s_ref->rowsRead, 20000);
    EXPECT_GT(s_ref->rejected, 300);
    EXPECT_GT(s_ref->filteredOut, 0);
    EXPECT_GT(s_ref->groups.size(), 20u);
}

TEST_F(GeneratedData, FinalSnapshotMatchesReference)
{
    StreamEngine engine;
    const EngineRun run = runEngine(engine, fileConfig());
    ASSERT_TRUE(run.finished) << run.failReason.toStdString();
    ASSERT_TRUE(run.finalSnapshot);
    EXPECT_TRUE(run.finalSnapshot->final);
    expectSnapshotMatches(*run.finalSnapshot, *s_ref, true);
}

TEST_F(GeneratedData, ThreadCountDoesNotChangeTheResult)
{
    std::vector<SnapshotPtr> finals;
    for (int threads : {1, 2, 4}) {
        SCOPED_TRACE("threads " + std::to_string(threads));
        StreamEngine engine;
        StreamConfig cfg = fileConfig();
        cfg.threads = threads;
        const EngineRun run = runEngine(engine, cfg);
        ASSERT_TRUE(run.finished) << run.failReason.toStdString();
        expectSnapshotMatches(*run.finalSnapshot, *s_ref, true);
        finals.push_back(run.finalSnapshot);
    }
    expectSameResult(*finals[0], *finals[1]);
    expectSameResult(*finals[0], *finals[2]);
}

TEST_F(GeneratedData, BatchSizeDoesNotChangeTheResult)
{
    std::vector<SnapshotPtr> finals;
    for (int batch : {7, 1000}) {
        SCOPED_TRACE("batch " + std::to_string(batch));
        StreamEngine engine;
        StreamConfig cfg = fileConfig();
        cfg.batchSize = batch;
        cfg.rate = 1e9; // paced mode (batches of exactly `batch` rows) without real waiting
        const EngineRun run = runEngine(engine, cfg);
        ASSERT_TRUE(run.finished) << run.failReason.toStdString();
        expectSnapshotMatches(*run.finalSnapshot, *s_ref, true);
        finals.push_back(run.finalSnapshot);
    }
    expectSameResult(*finals[0], *finals[1]);
}

TEST_F(GeneratedData, FinalExportEqualsFinalGroups)
{
    TempDir dir;
    StreamEngine engine;
    StreamConfig cfg = fileConfig();
    cfg.exportPath = dir.filePath(QStringLiteral("agg.csv"));
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished);
    ASSERT_FALSE(run.exports.empty());
    EXPECT_TRUE(run.exports.back().ok) << run.exports.back().message.toStdString();
    EXPECT_EQ(readAll(cfg.exportPath), exportCsv(run.finalSnapshot->groups));
}

TEST(StreamEngine, TrickyInputMatchesReferenceAcrossChunks)
{
    // ~4.5 MB: several of the engine's fast-mode chunks, with quotes, embedded
    // newlines, CR/CRLF/LF, blank lines and dirty rows
    const QByteArray csv = trickyCsv(31, 100000);
    ASSERT_GT(csv.size(), 3 << 20);
    const RefResult ref = trickyReference(csv);
    StreamEngine engine;
    const EngineRun run = runEngine(engine, memoryConfig(csv));
    ASSERT_TRUE(run.finished) << run.failReason.toStdString();
    expectSnapshotMatches(*run.finalSnapshot, ref, true);
}

TEST(StreamEngine, BatchesOfOneRowMatchReference)
{
    const QByteArray csv = trickyCsv(32, 3000);
    const RefResult ref = trickyReference(csv);
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(csv);
    cfg.batchSize = 1;
    cfg.rate = 1e9;
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished) << run.failReason.toStdString();
    expectSnapshotMatches(*run.finalSnapshot, ref, true);
}

TEST(StreamEngine, ThreadsAndBatchesOnTrickyInput)
{
    const QByteArray csv = trickyCsv(33, 20000);
    const RefResult ref = trickyReference(csv);
    SnapshotPtr first;
    for (int threads : {1, 2, 4}) {
        for (int batch : {7, 1000}) {
            SCOPED_TRACE("threads " + std::to_string(threads) + " batch " + std::to_string(batch));
            StreamEngine engine;
            StreamConfig cfg = memoryConfig(csv);
            cfg.threads = threads;
            cfg.batchSize = batch;
            cfg.rate = 1e9;
            const EngineRun run = runEngine(engine, cfg);
            ASSERT_TRUE(run.finished) << run.failReason.toStdString();
            expectSnapshotMatches(*run.finalSnapshot, ref, true);
            if (!first)
                first = run.finalSnapshot;
            else
                expectSameResult(*first, *run.finalSnapshot);
        }
    }
}

TEST(StreamEngine, ColumnsAreFoundByNameNotPosition)
{
    const QByteArray csv = trickyCsv(34, 2000);
    const RefResult ref = trickyReference(csv);
    // rewrite the file with the columns in another order, every field quoted
    std::vector<RefRecord> recs = refSplit(str(csv), ',');
    const int order[] = {4, 3, 2, 1, 0}; // Note, LivingArea, Type, District, Price
    std::string out;
    for (const RefRecord &r : recs) {
        std::vector<std::string> f = r.fields;
        if (f.size() != 5) { // keep ragged rows ragged
            f.push_back("x");
            if (f.size() == 5)
                f.push_back("y");
        }
        std::vector<std::string> g;
        for (int i : order)
            g.push_back(f[std::size_t(i)]);
        for (std::size_t k = 5; k < f.size(); ++k)
            g.push_back(f[k]);
        for (std::size_t k = 0; k < g.size(); ++k) {
            if (k)
                out += ',';
            out += '"';
            for (char c : g[k]) {
                if (c == '"')
                    out += '"';
                out += c;
            }
            out += '"';
        }
        out += '\n';
    }
    StreamEngine engine;
    const EngineRun run = runEngine(engine, memoryConfig(bytes(out)));
    ASSERT_TRUE(run.finished) << run.failReason.toStdString();
    // line numbers differ (embedded newlines were kept, blank lines dropped): compare the rest
    const StreamSnapshot &s = *run.finalSnapshot;
    expectCountersMatch(s.counters, ref);
    ASSERT_EQ(s.groups.size(), ref.groups.size());
    const auto got = groupsByKey(s.groups);
    for (const auto &[key, g] : ref.groups) {
        const auto it = got.find(key);
        ASSERT_NE(it, got.end()) << key.first << " / " << key.second;
        expectStatsMatch(it->second->stats, g, key.first + " / " + key.second);
    }
}

TEST(StreamEngine, MedianOfEvenCountIsMeanOfMiddleValues)
{
    // prices 100000, 400000, 300000, 200000 (areas 50): median (200000 + 300000) / 2 = 250000,
    // price/m2 2000, 8000, 6000, 4000: median (4000 + 6000) / 2 = 5000
    const QByteArray csv = "District,Type,Price,LivingArea\nA,H,100000,50\nA,H,400000,50\nA,H,300000,50\nA,H,200000,50\n"
                           "A,F,70000,50\n";
    StreamEngine engine;
    const EngineRun run = runEngine(engine, memoryConfig(csv));
    ASSERT_TRUE(run.finished);
    const auto g = groupsByKey(run.finalSnapshot->groups);
    ASSERT_TRUE(g.count({"A", "H"}));
    EXPECT_EQ(g.at({"A", "H"})->medianPrice, 250000.0);
    EXPECT_EQ(g.at({"A", "H"})->medianPricePerSqm, 5000.0);
    EXPECT_EQ(g.at({"A", "F"})->medianPrice, 70000.0);
    // totals over all five: sorted 70000, 100000, 200000, 300000, 400000 -> 200000
    EXPECT_EQ(run.finalSnapshot->totals.medianPrice, 200000.0);
}

TEST(StreamEngine, GroupsAreSortedByDistrictThenType)
{
    const QByteArray csv = trickyCsv(35, 3000);
    StreamEngine engine;
    const EngineRun run = runEngine(engine, memoryConfig(csv));
    ASSERT_TRUE(run.finished);
    const auto &g = run.finalSnapshot->groups;
    ASSERT_GT(g.size(), 5u);
    for (std::size_t i = 1; i < g.size(); ++i) {
        const int c = g[i - 1].district.compare(g[i].district);
        EXPECT_TRUE(c < 0 || (c == 0 && g[i - 1].type.compare(g[i].type) < 0))
            << g[i - 1].district.toStdString() << "/" << g[i - 1].type.toStdString() << " before "
            << g[i].district.toStdString() << "/" << g[i].type.toStdString();
    }
}

TEST(StreamEngine, HeaderOnlyFileFinishesEmpty)
{
    StreamEngine engine;
    const EngineRun run = runEngine(engine, memoryConfig("District,Type,Price,LivingArea\n"));
    ASSERT_TRUE(run.finished) << run.failReason.toStdString();
    EXPECT_EQ(run.finalSnapshot->counters.rowsRead, 0);
    EXPECT_TRUE(run.finalSnapshot->groups.empty());
}

TEST(StreamEngine, RejectLineNumbersAreAbsolute)
{
    // header line 1; line 2 ok; lines 3-4 one record with an embedded newline; 5 blank; 6 bad price
    const QByteArray csv = "District,Type,Price,LivingArea\n"
                           "A,H,100000,50\n"
                           "\"B\nC\",H,100000,50\n"
                           "\n"
                           "A,H,oops,50\n"
                           "A,H,100000\n";
    StreamEngine engine;
    const EngineRun run = runEngine(engine, memoryConfig(csv));
    ASSERT_TRUE(run.finished);
    const RejectSamples &r = run.finalSnapshot->rejectLines;
    EXPECT_EQ(r.lines[std::size_t(RejectReason::PriceNotNumber)], std::vector<std::int64_t>{6});
    EXPECT_EQ(r.lines[std::size_t(RejectReason::FieldCount)], std::vector<std::int64_t>{7});
}

TEST(StreamEngine, ProgressReachesTheSourceSize)
{
    const QByteArray csv = trickyCsv(36, 5000);
    StreamEngine engine;
    const EngineRun run = runEngine(engine, memoryConfig(csv));
    ASSERT_TRUE(run.finished);
    EXPECT_EQ(run.finalSnapshot->counters.bytesRead, csv.size());
    EXPECT_EQ(run.finalSnapshot->counters.bytesTotal, csv.size());
}

TEST(StreamEngine, SnapshotsAreOrderedAndOnlyTheLastIsFinal)
{
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(simpleCsv(3000));
    cfg.rate = 20000;
    cfg.batchSize = 100;
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished);
    ASSERT_FALSE(run.snapshots.empty());
    for (std::size_t i = 1; i < run.snapshots.size(); ++i) {
        EXPECT_GT(run.snapshots[i]->sequence, run.snapshots[i - 1]->sequence);
        EXPECT_GE(run.snapshots[i]->counters.rowsRead, run.snapshots[i - 1]->counters.rowsRead);
        EXPECT_FALSE(run.snapshots[i - 1]->final);
    }
    EXPECT_TRUE(run.snapshots.back()->final);
    EXPECT_EQ(run.snapshots.back(), run.finalSnapshot);
    EXPECT_EQ(engine.latest(), run.finalSnapshot);
    EXPECT_EQ(engine.state(), StreamEngine::State::Finished);
}

TEST(StreamEngine, IntermediateSnapshotsHaveNoMediansYet)
{
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(simpleCsv(2000));
    cfg.rate = 10000;
    cfg.batchSize = 100;
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished);
    ASSERT_GE(run.snapshots.size(), 2u);
    const SnapshotPtr &mid = run.snapshots.front();
    ASSERT_FALSE(mid->final);
    ASSERT_FALSE(mid->groups.empty());
    EXPECT_TRUE(std::isnan(mid->groups.front().medianPrice));
    EXPECT_FALSE(std::isnan(run.finalSnapshot->groups.front().medianPrice));
}

TEST(StreamEngine, FastStreamCoalescesSnapshots)
{
    // at most one snapshot per 1/maxSnapshotsPerSecond while streaming, plus the final one
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(trickyCsv(37, 60000));
    cfg.maxSnapshotsPerSecond = 20;
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished);
    const double elapsed = run.finalSnapshot->elapsedSeconds;
    EXPECT_LE(double(run.snapshots.size()), elapsed * 20 + 2) << "elapsed " << elapsed;
}

// ---------------------------------------------------------------------------
// Pacing
// ---------------------------------------------------------------------------

TEST(StreamEnginePacing, RowsNeverRunAheadOfTheRate)
{
    // 1000 rows at 2000 rows/s in batches of 100: batch k may start only after k * 0.05 s,
    // so every snapshot satisfies rowsRead <= rate * elapsed + batch (a lower bound on time,
    // never an upper one: a slow machine cannot make it fail).
    const double rate = 2000;
    const int batch = 100;
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(simpleCsv(1000));
    cfg.rate = rate;
    cfg.batchSize = batch;
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished);
    for (const SnapshotPtr &s : run.snapshots)
        EXPECT_LE(double(s->counters.rowsRead), rate * s->elapsedSeconds + batch)
            << "rows " << s->counters.rowsRead << " at " << s->elapsedSeconds << " s";
    EXPECT_EQ(run.finalSnapshot->counters.rowsRead, 1000);
}

TEST(StreamEnginePacing, PacedStreamShowsProgressInWholeBatches)
{
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(simpleCsv(1000));
    cfg.rate = 2000;
    cfg.batchSize = 100;
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished);
    std::set<std::int64_t> distinct;
    for (const SnapshotPtr &s : run.snapshots) {
        if (s->final)
            continue;
        EXPECT_EQ(s->counters.rowsRead % 100, 0) << s->counters.rowsRead;
        distinct.insert(s->counters.rowsRead);
    }
    EXPECT_GE(distinct.size(), 3u); // the stream was seen filling in, not only at the end
}

TEST(StreamEnginePacing, RateChangeWhileRunningTakesEffect)
{
    // 20000 rows at 500 rows/s would take 40 s; switching to "as fast as possible" ends it now
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(simpleCsv(20000));
    cfg.rate = 500;
    cfg.batchSize = 50;
    EngineRun run;
    QObject ctx;
    bool done = false;
    QObject::connect(&engine, &StreamEngine::finished, &ctx, [&](const SnapshotPtr &s) {
        run.finalSnapshot = s;
        done = true;
    });
    bool switched = false;
    QObject::connect(&engine, &StreamEngine::snapshotReady, &ctx, [&](const SnapshotPtr &) {
        if (!switched) {
            switched = true;
            engine.setRate(0);
        }
    });
    app();
    engine.start(cfg);
    EXPECT_TRUE(spinUntil([&] { return done; }, 30000));
    ASSERT_TRUE(run.finalSnapshot);
    EXPECT_EQ(run.finalSnapshot->counters.rowsRead, 20000);
}

// ---------------------------------------------------------------------------
// Pause, resume, step, stop
// ---------------------------------------------------------------------------

namespace {

std::int64_t rowsOf(const StreamEngine &e) { return e.latest() ? e.latest()->counters.rowsRead : 0; }

} // namespace

TEST(StreamEngineControl, StartPausedReadsNothing)
{
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(simpleCsv(1000));
    cfg.startPaused = true;
    app();
    engine.start(cfg);
    EXPECT_EQ(engine.state(), StreamEngine::State::Paused);
    spinFor(300);
    EXPECT_EQ(rowsOf(engine), 0);
    engine.stop();
}

TEST(StreamEngineControl, StepReadsExactlyOneBatch)
{
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(simpleCsv(1000));
    cfg.startPaused = true;
    cfg.batchSize = 100;
    app();
    engine.start(cfg);
    engine.step();
    EXPECT_TRUE(spinUntil([&] { return rowsOf(engine) > 0; }, 10000));
    spinFor(300); // nothing more may arrive while paused
    EXPECT_EQ(rowsOf(engine), 100);
    EXPECT_EQ(engine.state(), StreamEngine::State::Paused);
    engine.step();
    EXPECT_TRUE(spinUntil([&] { return rowsOf(engine) >= 200; }, 10000));
    spinFor(300);
    EXPECT_EQ(rowsOf(engine), 200);
    engine.stop();
}

TEST(StreamEngineControl, EveryStepReadsOneBatchBeyondTheFirstBuffer)
{
    // ~1 MB of rows: later steps need more bytes than the first read brought in
    const QByteArray csv = trickyCsv(40, 25000);
    ASSERT_GT(csv.size(), 800 * 1024);
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(csv);
    cfg.startPaused = true;
    cfg.batchSize = 3000;
    app();
    engine.start(cfg);
    for (int k = 1; k <= 5; ++k) {
        engine.step();
        EXPECT_TRUE(spinUntil([&] { return rowsOf(engine) >= k * 3000; }, 5000))
            << "step " << k << " produced no batch (rows read " << rowsOf(engine) << ")";
        EXPECT_EQ(rowsOf(engine), k * 3000) << "after step " << k;
    }
    engine.stop();
}

TEST(StreamEngineControl, PauseHoldsAndResumeFinishes)
{
    const QByteArray csv = simpleCsv(20000);
    const RefResult ref = refAggregateCsv(str(csv), ',');
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(csv);
    cfg.rate = 2000;
    cfg.batchSize = 100;
    SnapshotPtr fin;
    QObject ctx;
    QObject::connect(&engine, &StreamEngine::finished, &ctx, [&](const SnapshotPtr &s) { fin = s; });
    app();
    engine.start(cfg);
    ASSERT_TRUE(spinUntil([&] { return rowsOf(engine) >= 200; }, 10000));
    engine.pause();
    EXPECT_EQ(engine.state(), StreamEngine::State::Paused);
    spinFor(500); // the batch in flight lands
    const std::int64_t held = rowsOf(engine);
    spinFor(500);
    EXPECT_EQ(rowsOf(engine), held);
    EXPECT_LT(held, 20000);
    engine.resume();
    EXPECT_EQ(engine.state(), StreamEngine::State::Running);
    engine.setRate(0);
    ASSERT_TRUE(spinUntil([&] { return bool(fin); }, 30000));
    expectSnapshotMatches(*fin, ref, true);
}

TEST(StreamEngineControl, StopEmitsCancelledAndNothingAfterIt)
{
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(simpleCsv(50000));
    cfg.rate = 5000;
    cfg.batchSize = 100;
    int cancelledCount = 0, afterCancel = 0;
    QObject ctx;
    QObject::connect(&engine, &StreamEngine::cancelled, &ctx, [&] { ++cancelledCount; });
    QObject::connect(&engine, &StreamEngine::snapshotReady, &ctx, [&](const SnapshotPtr &) { afterCancel += cancelledCount > 0; });
    QObject::connect(&engine, &StreamEngine::finished, &ctx, [&](const SnapshotPtr &) { afterCancel += cancelledCount > 0; });
    QObject::connect(&engine, &StreamEngine::failed, &ctx, [&](const QString &) { afterCancel += cancelledCount > 0; });
    app();
    engine.start(cfg);
    ASSERT_TRUE(spinUntil([&] { return rowsOf(engine) > 0; }, 10000));
    // block the engine's thread so that snapshots of the run pile up in its event queue
    QThread::msleep(250);
    engine.stop();
    EXPECT_EQ(cancelledCount, 1);
    EXPECT_EQ(engine.state(), StreamEngine::State::Cancelled);
    spinFor(500);
    EXPECT_EQ(afterCancel, 0);
    engine.stop(); // a second stop is harmless and silent
    EXPECT_EQ(cancelledCount, 1);
}

TEST(StreamEngineControl, RestartAfterStopGivesAFreshCompleteRun)
{
    const QByteArray csv = trickyCsv(41, 5000);
    const RefResult ref = trickyReference(csv);
    StreamEngine engine;
    StreamConfig slow = memoryConfig(csv);
    slow.rate = 2000;
    slow.batchSize = 100;
    app();
    engine.start(slow);
    ASSERT_TRUE(spinUntil([&] { return rowsOf(engine) > 0; }, 10000));
    engine.stop();
    const EngineRun run = runEngine(engine, memoryConfig(csv));
    ASSERT_TRUE(run.finished);
    expectSnapshotMatches(*run.finalSnapshot, ref, true); // nothing of the first run leaks in
    for (const SnapshotPtr &s : run.snapshots)
        EXPECT_EQ(s->runId, run.finalSnapshot->runId);
}

TEST(StreamEngineControl, StartWhileRunningReplacesTheRun)
{
    const QByteArray csv = simpleCsv(3000);
    const RefResult ref = refAggregateCsv(str(csv), ',');
    StreamEngine engine;
    StreamConfig slow = memoryConfig(simpleCsv(50000));
    slow.rate = 1000;
    app();
    engine.start(slow);
    spinFor(100);
    const EngineRun run = runEngine(engine, memoryConfig(csv)); // start() again without stop()
    ASSERT_TRUE(run.finished);
    expectSnapshotMatches(*run.finalSnapshot, ref, true);
}

TEST(StreamEngineControl, StartStopTwoHundredTimes)
{
    const QByteArray csv = trickyCsv(42, 4000);
    const RefResult ref = trickyReference(csv);
    StreamEngine engine;
    int stale = 0;
    QObject ctx;
    QObject::connect(&engine, &StreamEngine::snapshotReady, &ctx, [&](const SnapshotPtr &s) {
        if (s->runId != engine.runId() ||
            (engine.state() != StreamEngine::State::Running && engine.state() != StreamEngine::State::Paused &&
             engine.state() != StreamEngine::State::Finished))
            ++stale;
    });
    app();
    for (int i = 0; i < 200; ++i) {
        StreamConfig cfg = memoryConfig(csv);
        cfg.rate = (i % 3 == 0) ? 0 : 50000;
        cfg.batchSize = 1 + i % 500;
        cfg.startPaused = (i % 7 == 0);
        engine.start(cfg);
        if (i % 4 == 0)
            spinFor(i % 5);
        if (i % 7 == 0)
            engine.step();
        if (i % 20 == 1)
            QThread::msleep(120); // let the run post snapshots (or its end) that stop() must drop
        engine.stop();
        // a run that already ended stays Finished; stop() only cancels a live one
        ASSERT_TRUE(engine.state() == StreamEngine::State::Cancelled ||
                    engine.state() == StreamEngine::State::Finished);
        if (i % 20 == 1)
            spinFor(20); // deliver whatever is still queued: nothing of the stopped run may come out
        if (i % 20 == 1) {
            ASSERT_TRUE(engine.state() == StreamEngine::State::Cancelled ||
                        engine.state() == StreamEngine::State::Finished);
        }
    }
    spinFor(300);
    EXPECT_EQ(stale, 0);
    const EngineRun run = runEngine(engine, memoryConfig(csv));
    ASSERT_TRUE(run.finished);
    expectSnapshotMatches(*run.finalSnapshot, ref, true);
}

TEST(StreamEngineControl, DestroyingARunningEngineIsSafe)
{
    app();
    for (int i = 0; i < 20; ++i) {
        auto engine = std::make_unique<StreamEngine>();
        StreamConfig cfg = memoryConfig(simpleCsv(20000));
        cfg.rate = (i % 2) ? 0 : 3000;
        engine->start(cfg);
        spinFor(i % 3);
        engine.reset();
    }
    spinFor(100); // queued deliveries to destroyed engines must not crash
    SUCCEED();
}

// ---------------------------------------------------------------------------
// Failures
// ---------------------------------------------------------------------------

TEST(StreamEngineFailure, MissingFile)
{
    TempDir dir;
    StreamEngine engine;
    StreamConfig cfg;
    cfg.path = dir.filePath(QStringLiteral("missing.csv"));
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.failed);
    EXPECT_FALSE(run.finished);
    EXPECT_TRUE(run.failReason.contains(QStringLiteral("missing.csv"))) << run.failReason.toStdString();
    EXPECT_TRUE(run.failReason.contains(QStringLiteral("not found"))) << run.failReason.toStdString();
    EXPECT_EQ(engine.state(), StreamEngine::State::Failed);
}

TEST(StreamEngineFailure, Directory)
{
    TempDir dir;
    StreamEngine engine;
    StreamConfig cfg;
    cfg.path = dir.path();
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.failed);
    EXPECT_TRUE(run.failReason.contains(QStringLiteral("directory"))) << run.failReason.toStdString();
}

TEST(StreamEngineFailure, EmptyFile)
{
    TempDir dir;
    StreamEngine engine;
    StreamConfig cfg;
    cfg.path = dir.write(QStringLiteral("empty.csv"), QByteArray());
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.failed);
    EXPECT_TRUE(run.failReason.contains(QStringLiteral("empty"))) << run.failReason.toStdString();
}

TEST(StreamEngineFailure, BinaryFile)
{
    TempDir dir;
    QByteArray junk;
    for (int i = 0; i < 10000; ++i)
        junk += char((i * 131 + 7) % 256);
    StreamEngine engine;
    StreamConfig cfg;
    cfg.path = dir.write(QStringLiteral("junk.bin"), junk);
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.failed);
    EXPECT_TRUE(run.failReason.contains(QStringLiteral("binary"))) << run.failReason.toStdString();
}

TEST(StreamEngineFailure, MissingColumnsNameTheColumnsFound)
{
    StreamEngine engine;
    const EngineRun run = runEngine(engine, memoryConfig("Zona,Categoria,Valor,Metros\nA,B,100000,50\n"));
    ASSERT_TRUE(run.failed);
    for (const char *name : {"Zona", "Categoria", "Valor", "Metros"})
        EXPECT_TRUE(run.failReason.contains(QLatin1String(name))) << run.failReason.toStdString();
    EXPECT_FALSE(run.failReason.contains(u'\n'));
}

TEST(StreamEngineFailure, ExplicitMappingFixesMissingColumns)
{
    StreamEngine engine;
    StreamConfig cfg = memoryConfig("Zona,Categoria,Valor,Metros\nA,B,100000,50\nA,B,200000,50\n");
    cfg.mapping[Role::District] = QStringLiteral("Zona");
    cfg.mapping[Role::Type] = QStringLiteral("Categoria");
    cfg.mapping[Role::Price] = QStringLiteral("Valor");
    cfg.mapping[Role::Area] = QStringLiteral("Metros");
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished) << run.failReason.toStdString();
    ASSERT_EQ(run.finalSnapshot->groups.size(), 1u);
    EXPECT_EQ(run.finalSnapshot->groups[0].stats.count, 2u);
}

TEST(StreamEngineFailure, SourceThatCannotOpen)
{
    StreamEngine engine;
    StreamConfig cfg;
    cfg.openSource = [](QString *error) -> std::unique_ptr<ByteSource> {
        *error = QStringLiteral("broker unreachable");
        return nullptr;
    };
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.failed);
    EXPECT_TRUE(run.failReason.contains(QStringLiteral("broker unreachable"))) << run.failReason.toStdString();
}

TEST(StreamEngineFailure, UnbalancedQuoteAtEndDoesNotHang)
{
    const QByteArray csv = "District,Type,Price,LivingArea\nA,H,100000,50\nA,H,200000,50\n\"B,H,300000,50\n";
    StreamEngine engine;
    const EngineRun run = runEngine(engine, memoryConfig(csv), 20000);
    ASSERT_FALSE(run.timedOut);
    ASSERT_TRUE(run.finished);
    EXPECT_GE(run.finalSnapshot->counters.accepted, 2);
    EXPECT_FALSE(run.issues.empty());
}

// ---------------------------------------------------------------------------
// Exports while streaming
// ---------------------------------------------------------------------------

TEST(StreamEngineExport, PeriodicExportReplacesTheFile)
{
    TempDir dir;
    const QString path = dir.write(QStringLiteral("agg.csv"), "stale,old,contents\nthat must go\n");
    ASSERT_FALSE(path.isEmpty());
    const QByteArray csv = trickyCsv(43, 6000);
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(csv);
    cfg.rate = 6000;
    cfg.batchSize = 200;
    cfg.exportPath = path;
    cfg.exportEverySeconds = 0.1;
    int checked = 0;
    QObject ctx;
    QObject::connect(&engine, &StreamEngine::exported, &ctx, [&](const QString &p, bool ok, const QString &msg) {
        EXPECT_TRUE(ok) << msg.toStdString();
        EXPECT_EQ(p, path);
        const QByteArray content = readAll(path);
        const QList<QByteArray> lines = content.split('\n');
        EXPECT_EQ(lines.first(), exportHeader());
        EXPECT_EQ(content.count(exportHeader()), 1) << "the export was appended to";
        EXPECT_FALSE(content.contains("stale"));
        const std::vector<RefRecord> recs = refSplit(str(content), ',');
        std::set<RefKey> keys;
        for (std::size_t i = 1; i < recs.size(); ++i) {
            EXPECT_EQ(recs[i].fields.size(), 11u);
            EXPECT_TRUE(keys.insert({recs[i].fields[0], recs[i].fields[1]}).second) << "duplicate group row";
        }
        ++checked;
    });
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished);
    EXPECT_GE(checked, 3); // periodic ones during ~1 s of streaming, then the final one
    const QByteArray final = readAll(path);
    EXPECT_EQ(final, exportCsv(run.finalSnapshot->groups));
    EXPECT_EQ(std::size_t(final.count('\n')), run.finalSnapshot->groups.size() + 1);
}

TEST(StreamEngineExport, FailedExportIsReportedAndTheStreamContinues)
{
    TempDir dir;
    const QByteArray csv = simpleCsv(2000);
    const RefResult ref = refAggregateCsv(str(csv), ',');
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(csv);
    cfg.rate = 5000;
    cfg.batchSize = 100;
    cfg.exportPath = dir.filePath(QStringLiteral("no/such/dir/agg.csv"));
    cfg.exportEverySeconds = 0.1;
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished);
    expectSnapshotMatches(*run.finalSnapshot, ref, true);
    ASSERT_FALSE(run.exports.empty());
    for (const auto &e : run.exports) {
        EXPECT_FALSE(e.ok);
        EXPECT_FALSE(e.message.isEmpty());
    }
    EXPECT_GE(run.exports.size(), 2u); // periodic attempts are retried, then the final one
}

TEST(StreamEngineExport, FinalExportIsReportedOnce)
{
    TempDir dir;
    StreamEngine engine;
    StreamConfig cfg = memoryConfig(simpleCsv(500));
    cfg.exportPath = dir.filePath(QStringLiteral("agg.csv"));
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished);
    ASSERT_EQ(run.exports.size(), 1u);
    EXPECT_TRUE(run.exports[0].ok);
    EXPECT_EQ(readAll(cfg.exportPath), exportCsv(run.finalSnapshot->groups));
}
