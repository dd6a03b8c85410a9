// The headless command line, run as a separate process (QProcess on the
// estatestream binary): exit codes, one-line errors, summary and export.
#include "exporter.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>

#include <gtest/gtest.h>

#include <cstdio>
#include <map>

using namespace es;
using namespace es::test;

namespace {

struct CliResult {
    int exitCode = -1;
    bool crashed = false;
    bool timedOut = false;
    QString out;
    QString err;
};

CliResult runCli(const QStringList &args, int timeoutMs = 180000)
{
    app();
    CliResult r;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen")); // in case a window is tried
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(ES_APP_BINARY), args);
    if (!p.waitForStarted(30000)) {
        r.crashed = true;
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        r.timedOut = true;
        p.kill();
        p.waitForFinished(5000);
    }
    r.crashed = p.exitStatus() == QProcess::CrashExit;
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

/// Runs `--headless FILE` with a private log directory plus `extra` options.
CliResult runHeadless(const TempDir &dir, const QString &file, const QStringList &extra)
{
    QStringList args{QStringLiteral("--headless"), file, QStringLiteral("--log-dir"),
                     dir.filePath(QStringLiteral("logs"))};
    args += extra;
    return runCli(args);
}

/// "rows read: 12" -> {"rows read", 12}; also the indented reason lines.
std::map<std::string, std::int64_t> summary(const QString &out)
{
    std::map<std::string, std::int64_t> m;
    for (const QString &raw : out.split(u'\n')) {
        const QString line = raw.trimmed();
        const qsizetype colon = line.indexOf(QStringLiteral(": "));
        if (colon <= 0)
            continue;
        const QString rest = line.mid(colon + 2);
        qsizetype end = 0;
        while (end < rest.size() && rest.at(end).isDigit())
            ++end;
        if (end == 0)
            continue;
        m[line.left(colon).toStdString()] = rest.left(end).toLongLong();
    }
    return m;
}

std::int64_t value(const std::map<std::string, std::int64_t> &m, const std::string &key)
{
    const auto it = m.find(key);
    return it == m.end() ? -1 : it->second;
}

void expectSummaryMatches(const QString &out, const RefResult &ref)
{
    const auto s = summary(out);
    EXPECT_EQ(value(s, "rows read"), ref.rowsRead) << out.toStdString();
    EXPECT_EQ(value(s, "accepted"), ref.accepted);
    EXPECT_EQ(value(s, "filtered"), ref.filteredOut);
    EXPECT_EQ(value(s, "rejected"), ref.rejected);
    EXPECT_EQ(value(s, "groups"), std::int64_t(ref.groups.size()));
    for (int k = 0; k < kRejectReasonCount; ++k) {
        const std::string key = rejectReasonKey(RejectReason(k)).toStdString();
        const std::int64_t want = ref.byReason[std::size_t(k)];
        EXPECT_EQ(value(s, key), want ? want : -1) << key; // reasons with no rows are not printed
    }
    EXPECT_TRUE(out.contains(QStringLiteral("elapsed:")));
    EXPECT_TRUE(out.contains(QStringLiteral("rows/s:")));
}

/// The exported file against the reference: one row per group, counts exact, averages close.
void expectExportMatches(const QString &path, const RefResult &ref)
{
    const QByteArray content = readAll(path);
    ASSERT_FALSE(content.isEmpty()) << path.toStdString();
    const std::vector<RefRecord> recs = refSplit(str(content), ',');
    ASSERT_EQ(recs.size(), ref.groups.size() + 1);
    EXPECT_EQ(QByteArray(content.left(content.indexOf('\n'))), exportHeader());
    for (std::size_t i = 1; i < recs.size(); ++i) {
        const auto &f = recs[i].fields;
        ASSERT_EQ(f.size(), 11u);
        const auto it = ref.groups.find({f[0], f[1]});
        ASSERT_NE(it, ref.groups.end()) << f[0] << " / " << f[1];
        EXPECT_EQ(std::stoll(f[4]), it->second.count);
        EXPECT_TRUE(nearRel(std::stod(f[2]), it->second.avgPrice())) << f[2];
        EXPECT_TRUE(nearRel(std::stod(f[3]), it->second.avgArea())) << f[3];
        EXPECT_TRUE(nearRel(std::stod(f[5]), it->second.avgPricePerSqm())) << f[5];
        EXPECT_TRUE(nearUlps(std::stod(f[6]), it->second.medianPrice())) << f[6];
    }
}

bool oneLine(const QString &text) { return !text.trimmed().isEmpty() && !text.trimmed().contains(u'\n'); }

class Cli : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (!QFileInfo::exists(QStringLiteral(ES_APP_BINARY)))
            GTEST_SKIP() << "estatestream binary not built: " << ES_APP_BINARY;
    }
    TempDir m_dir;
};

} // namespace

// ---------------------------------------------------------------------------
// Success
// ---------------------------------------------------------------------------

TEST_F(Cli, SampleSummaryAndExportMatchReference)
{
    if (!QFileInfo::exists(QStringLiteral(ES_SAMPLE_CSV)))
        GTEST_SKIP() << "no bundled sample yet: " << ES_SAMPLE_CSV;
    const RefResult ref = refAggregateCsv(str(readAll(QStringLiteral(ES_SAMPLE_CSV))), ',');
    const QString out = m_dir.filePath(QStringLiteral("agg.csv"));
    const CliResult r = runHeadless(m_dir, QStringLiteral(ES_SAMPLE_CSV), {QStringLiteral("--export"), out});
    ASSERT_FALSE(r.crashed);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    expectSummaryMatches(r.out, ref);
    expectExportMatches(out, ref);
}

TEST_F(Cli, GoldenCasesGiveTheHandComputedExport)
{
    for (const QString &name : goldenCases()) {
        SCOPED_TRACE(name.toStdString());
        const QString out = m_dir.filePath(name + QStringLiteral(".csv"));
        const CliResult r =
            runHeadless(m_dir, goldenFile(name, QStringLiteral("input.csv")), {QStringLiteral("--export"), out});
        ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
        EXPECT_EQ(readAll(out).toStdString(), readAll(goldenFile(name, QStringLiteral("expected_export.csv"))).toStdString());
        const GoldenCounts want = readGoldenCounts(goldenFile(name, QStringLiteral("expected_counts.txt")));
        const auto s = summary(r.out);
        EXPECT_EQ(value(s, "rows read"), want.values.at("rows_read"));
        EXPECT_EQ(value(s, "accepted"), want.values.at("accepted"));
        EXPECT_EQ(value(s, "filtered"), want.values.at("filtered"));
        EXPECT_EQ(value(s, "rejected"), want.values.at("rejected"));
        EXPECT_EQ(value(s, "groups"), want.values.at("groups"));
        for (const auto &[key, n] : want.rejectCounts)
            EXPECT_EQ(value(s, key), n) << key;
    }
}

TEST_F(Cli, GeneratedDirtyDataMatchesReference)
{
    const QString csv = m_dir.filePath(QStringLiteral("gen.csv"));
    QProcess gen;
    gen.start(QStringLiteral(ES_GEN_BINARY), {QStringLiteral("20000"), csv, QStringLiteral("--dirty"),
                                              QStringLiteral("0.05"), QStringLiteral("--seed"), QStringLiteral("5")});
    ASSERT_TRUE(gen.waitForFinished(120000));
    ASSERT_EQ(gen.exitCode(), 0);
    const RefResult ref = refAggregateCsv(str(readAll(csv)), ',');
    const QString out = m_dir.filePath(QStringLiteral("agg.csv"));
    const CliResult r = runHeadless(m_dir, csv, {QStringLiteral("--export"), out, QStringLiteral("--threads"), QStringLiteral("2")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    expectSummaryMatches(r.out, ref);
    expectExportMatches(out, ref);
}

TEST_F(Cli, FilterThresholdOptions)
{
    const std::string text = trickyHeader() + makeTrickyRecords(51, 3000);
    const QString csv = m_dir.write(QStringLiteral("t.csv"), bytes(text));
    const RefResult ref = refAggregateCsv(text, ',', 100000, 50);
    const CliResult r = runHeadless(m_dir, csv,
                                    {QStringLiteral("--min-price"), QStringLiteral("100000"), QStringLiteral("--min-area"),
                                     QStringLiteral("50"), QStringLiteral("--export"), m_dir.filePath(QStringLiteral("o.csv"))});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    expectSummaryMatches(r.out, ref);
}

TEST_F(Cli, PacedRunGivesTheSameResult)
{
    const std::string text = trickyHeader() + makeTrickyRecords(52, 2000);
    const QString csv = m_dir.write(QStringLiteral("t.csv"), bytes(text));
    const RefResult ref = refAggregateCsv(text, ',');
    const CliResult r = runHeadless(m_dir, csv,
                                    {QStringLiteral("--rate"), QStringLiteral("20000"), QStringLiteral("--batch"),
                                     QStringLiteral("37"), QStringLiteral("--export"), m_dir.filePath(QStringLiteral("o.csv"))});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    expectSummaryMatches(r.out, ref);
}

TEST_F(Cli, FollowEndsOnSigtermWithTheWholeFileExported)
{
#if !defined(Q_OS_UNIX)
    GTEST_SKIP() << "signals are Unix only";
#endif
    std::string text = trickyHeader() + makeTrickyRecords(53, 3000);
    if (text.back() != '\n')
        text += '\n'; // a last line without its line end would be "unfinished" for a followed file
    const QString csv = m_dir.write(QStringLiteral("f.csv"), bytes(text));
    const QString plain = m_dir.filePath(QStringLiteral("plain.csv"));
    const CliResult once = runHeadless(m_dir, csv, {QStringLiteral("--export"), plain});
    ASSERT_EQ(once.exitCode, 0) << once.err.toStdString();
    const std::int64_t rows = summary(once.out).at("rows read");
    const QByteArray want = readAll(plain);
    ASSERT_FALSE(want.isEmpty());

    // Following: the periodic export catches up with the file, then SIGTERM ends the input.
    const QString followed = m_dir.filePath(QStringLiteral("followed.csv"));
    QProcess p;
    p.start(QStringLiteral(ES_APP_BINARY),
            {QStringLiteral("--headless"), csv, QStringLiteral("--follow"), QStringLiteral("--export"), followed,
             QStringLiteral("--export-every"), QStringLiteral("0.05"), QStringLiteral("--log-dir"),
             m_dir.filePath(QStringLiteral("logs"))});
    ASSERT_TRUE(p.waitForStarted(30000));
    QElapsedTimer waited;
    waited.start();
    while (readAll(followed) != want && waited.elapsed() < 60000 && p.state() == QProcess::Running)
        p.waitForFinished(50);
    ASSERT_EQ(p.state(), QProcess::Running) << "a followed file does not end by itself";
    ASSERT_EQ(readAll(followed), want) << "the periodic export never caught up with the file";
    ::remove(QFile::encodeName(followed).constData()); // the final export must write it again
    p.terminate(); // SIGTERM
    ASSERT_TRUE(p.waitForFinished(30000));
    EXPECT_EQ(p.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
    EXPECT_EQ(readAll(followed), want);
    const std::map<std::string, std::int64_t> s = summary(QString::fromUtf8(p.readAllStandardOutput()));
    EXPECT_EQ(s.count("rows read") ? s.at("rows read") : -1, rows);
}

TEST_F(Cli, LabelsDifferingOnlyInCaseAreKeptApartWithAWarning)
{
    const QString csv = m_dir.write(QStringLiteral("case.csv"), QByteArray("District,Type,Price,LivingArea\n"
                                                                             "Lisboa,House,200000,80\n"
                                                                             "LISBOA,House,210000,80\n"
                                                                             "Porto,House,230000,90\n"));
    const CliResult r = runHeadless(m_dir, csv, {});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_EQ(summary(r.out).at("groups"), 3);
    EXPECT_TRUE(r.err.contains(QStringLiteral("warning: districts that differ only in letter case are kept as "
                                              "separate groups: \"Lisboa\" / \"LISBOA\"")))
        << r.err.toStdString();
    EXPECT_FALSE(r.err.contains(QStringLiteral("property types"))) << r.err.toStdString();
}

TEST_F(Cli, MapOptionReadsUnusualColumnNames)
{
    const std::string text = "Zona;Categoria;Valor;Metros\nNorte;Casa;150000;75,5\nNorte;Casa;250000;80\n"
                             "Sul;Apartamento;abc;80\nSul;Apartamento;90000;45\n";
    const QString csv = m_dir.write(QStringLiteral("pt.csv"), bytes(text));
    const QString out = m_dir.filePath(QStringLiteral("agg.csv"));
    const CliResult r = runHeadless(m_dir, csv,
                                    {QStringLiteral("--map"), QStringLiteral("district=Zona"), QStringLiteral("--map"),
                                     QStringLiteral("type=Categoria"), QStringLiteral("--map"), QStringLiteral("price=Valor"),
                                     QStringLiteral("--map"), QStringLiteral("area=Metros"), QStringLiteral("--export"), out});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    const auto s = summary(r.out);
    EXPECT_EQ(value(s, "rows read"), 4);
    EXPECT_EQ(value(s, "accepted"), 3);
    EXPECT_EQ(value(s, "rejected"), 1);
    EXPECT_EQ(value(s, "groups"), 2);
    // Norte/Casa: 150000 and 250000 over 75.5 + 80 m2
    const std::vector<RefRecord> recs = refSplit(str(readAll(out)), ',');
    ASSERT_EQ(recs.size(), 3u);
    EXPECT_EQ(recs[1].fields[0], "Norte");
    EXPECT_EQ(recs[1].fields[4], "2");
    EXPECT_EQ(std::stod(recs[1].fields[3]), (75.5 + 80) / 2);
}

TEST_F(Cli, HelpExitsZero)
{
    const CliResult r = runCli({QStringLiteral("--help")});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.out.contains(QStringLiteral("--headless"))) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("--export")));
    EXPECT_TRUE(r.out.contains(QStringLiteral("--map")));
}

TEST_F(Cli, VersionExitsZero)
{
    const CliResult r = runCli({QStringLiteral("--version")});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.out.contains(QStringLiteral("estatestream"))) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains(u'.')) << r.out.toStdString(); // a dotted version number
}

// ---------------------------------------------------------------------------
// Exit 1: bad input
// ---------------------------------------------------------------------------

TEST_F(Cli, MissingFileExitsOneWithOneLine)
{
    const CliResult r = runHeadless(m_dir, m_dir.filePath(QStringLiteral("nope.csv")),
                                    {QStringLiteral("--export"), m_dir.filePath(QStringLiteral("o.csv"))});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(oneLine(r.err)) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("nope.csv"))) << r.err.toStdString();
    EXPECT_FALSE(QFileInfo::exists(m_dir.filePath(QStringLiteral("o.csv"))));
}

TEST_F(Cli, DirectoryAsInputExitsOne)
{
    const CliResult r = runHeadless(m_dir, m_dir.path(), {});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(oneLine(r.err)) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("directory"))) << r.err.toStdString();
}

TEST_F(Cli, EmptyFileExitsOne)
{
    const CliResult r = runHeadless(m_dir, m_dir.write(QStringLiteral("e.csv"), QByteArray()), {});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(oneLine(r.err)) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("empty"))) << r.err.toStdString();
}

TEST_F(Cli, MissingColumnsExitOneNamingTheColumns)
{
    const CliResult r = runHeadless(
        m_dir, m_dir.write(QStringLiteral("c.csv"), "Zona,Categoria,Valor,Metros\nA,B,100000,50\n"), {});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(oneLine(r.err)) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("Zona"))) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("Metros"))) << r.err.toStdString();
}

TEST_F(Cli, MapToUnknownColumnExitsOne)
{
    const CliResult r = runHeadless(m_dir, m_dir.write(QStringLiteral("c.csv"), "District,Type,Price,LivingArea\nA,B,1,2\n"),
                                    {QStringLiteral("--map"), QStringLiteral("price=Cost")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("Cost"))) << r.err.toStdString();
}

TEST_F(Cli, BinaryFileExitsOne)
{
    QByteArray junk;
    for (int i = 0; i < 20000; ++i)
        junk += char((i * 97 + 3) % 256);
    const CliResult r = runHeadless(m_dir, m_dir.write(QStringLiteral("x.bin"), junk), {});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(oneLine(r.err)) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("binary"))) << r.err.toStdString();
}

// ---------------------------------------------------------------------------
// Exit 2: bad options
// ---------------------------------------------------------------------------

TEST_F(Cli, BadOptionsExitTwo)
{
    const QString csv = m_dir.write(QStringLiteral("ok.csv"), "District,Type,Price,LivingArea\nA,B,100000,50\n");
    const QList<QStringList> cases = {
        {QStringLiteral("--bogus")},
        {QStringLiteral("--min-price"), QStringLiteral("abc")},
        {QStringLiteral("--min-area"), QStringLiteral("1e999")},
        {QStringLiteral("--rate"), QStringLiteral("-5")},
        {QStringLiteral("--batch"), QStringLiteral("0")},
        {QStringLiteral("--threads"), QStringLiteral("many")},
        {QStringLiteral("--export-every"), QStringLiteral("-1")},
        {QStringLiteral("--map"), QStringLiteral("colour=Price")},
        {QStringLiteral("--map"), QStringLiteral("district")},
        {QStringLiteral("--delimiter"), QStringLiteral("xx")},
        {QStringLiteral("--decimal"), QStringLiteral("semicolon")},
        {QStringLiteral("--encoding"), QStringLiteral("ebcdic")},
        {QStringLiteral("stray-positional-argument")},
    };
    for (const QStringList &extra : cases) {
        SCOPED_TRACE(extra.join(u' ').toStdString());
        const CliResult r = runHeadless(m_dir, csv, extra);
        EXPECT_EQ(r.exitCode, 2) << r.err.toStdString();
        EXPECT_TRUE(oneLine(r.err)) << r.err.toStdString();
    }
}

TEST_F(Cli, HeadlessWithoutFileExitsTwo)
{
    const CliResult r = runCli({QStringLiteral("--headless")});
    EXPECT_EQ(r.exitCode, 2) << r.err.toStdString();
}

// ---------------------------------------------------------------------------
// Exit 3: the export could not be written
// ---------------------------------------------------------------------------

TEST_F(Cli, ExportIntoMissingDirectoryExitsThree)
{
    const QString csv = m_dir.write(QStringLiteral("ok.csv"), "District,Type,Price,LivingArea\nA,B,100000,50\n");
    const CliResult r = runHeadless(m_dir, csv, {QStringLiteral("--export"), m_dir.filePath(QStringLiteral("no/dir/agg.csv"))});
    EXPECT_EQ(r.exitCode, 3) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("agg.csv"))) << r.err.toStdString();
}

TEST_F(Cli, ExportAtADirectoryExitsThree)
{
    const QString csv = m_dir.write(QStringLiteral("ok.csv"), "District,Type,Price,LivingArea\nA,B,100000,50\n");
    ASSERT_TRUE(QDir(m_dir.path()).mkdir(QStringLiteral("out.csv")));
    const CliResult r = runHeadless(m_dir, csv, {QStringLiteral("--export"), m_dir.filePath(QStringLiteral("out.csv"))});
    EXPECT_EQ(r.exitCode, 3) << r.err.toStdString();
    EXPECT_FALSE(r.err.trimmed().isEmpty());
    EXPECT_TRUE(QFileInfo(m_dir.filePath(QStringLiteral("out.csv"))).isDir());
}

TEST_F(Cli, FailedExportLeavesThePreviousFile)
{
    const QString csv = m_dir.write(QStringLiteral("ok.csv"), "District,Type,Price,LivingArea\nA,B,100000,50\n");
    // a 250-byte name is legal but its save file's temporary name is not: the commit fails
    const QString target = m_dir.write(QString(250, u'z'), "previous export\n");
    ASSERT_FALSE(target.isEmpty());
    const CliResult r = runHeadless(m_dir, csv, {QStringLiteral("--export"), target});
    EXPECT_EQ(r.exitCode, 3) << r.err.toStdString();
    EXPECT_EQ(readAll(target), "previous export\n");
}
