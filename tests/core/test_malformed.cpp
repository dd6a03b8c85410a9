// Malformed inputs (issue 5): every case of tests/data/malformed/expected.tsv run through the
// headless command line (exit code, summary counters, rejects by reason with their first lines,
// the one-line error, the export), plus engine-level cases that need a source changing under the
// reader: a source that grows (follow), a file appended to while read, a file truncated and a file
// deleted while read.
#include "bytesource.h"
#include "snapshot.h"
#include "streamengine.h"

#include <gtest/gtest.h>

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

QCoreApplication *malformedApp()
{
    if (QCoreApplication::instance() == nullptr) {
        static int argc = 1;
        static char name[] = "es_core_tests";
        static char *argv[] = {name, nullptr};
        static QCoreApplication app(argc, argv);
    }
    return QCoreApplication::instance();
}

QString corpusDir()
{
    return QStringLiteral(ES_TEST_DATA_DIR "/malformed");
}

// ---------------------------------------------------------------------------------------------------
// expected.tsv
// ---------------------------------------------------------------------------------------------------
struct RejectExpectation {
    std::int64_t count = 0;
    std::vector<std::int64_t> lines; ///< first lines, as listed (may be empty: not checked)
};

struct MalformedCase {
    std::string name;
    std::string input;
    std::string args;
    int exitCode = 0;
    std::int64_t rows = -1, accepted = -1, filtered = -1, rejected = -1, groups = -1; // -1: "-"
    std::map<std::string, RejectExpectation> rejects;
    std::string stderrText; ///< "" for "-"
    std::string exportRow;  ///< "" for "-": first five columns of a row the export must hold
};

// gtest prints parameters in failure messages: the name and input, not the bytes.
void PrintTo(const MalformedCase &c, std::ostream *os)
{
    *os << c.name << " (" << c.input << ')';
}

std::vector<std::string> &tsvErrors()
{
    static std::vector<std::string> errors;
    return errors;
}

std::vector<std::string> splitOn(const std::string &s, char sep)
{
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    out.push_back(cur);
    return out;
}

std::int64_t number(const std::string &s, bool *ok)
{
    if (s == "-")
        return -1;
    try {
        std::size_t used = 0;
        const long long v = std::stoll(s, &used);
        *ok = *ok && used == s.size();
        return v;
    } catch (...) {
        *ok = false;
        return -1;
    }
}

std::vector<MalformedCase> loadCases()
{
    std::vector<MalformedCase> cases;
    std::ifstream in(ES_TEST_DATA_DIR "/malformed/expected.tsv");
    if (!in) {
        tsvErrors().push_back("cannot open " ES_TEST_DATA_DIR "/malformed/expected.tsv");
        return cases;
    }
    std::string line;
    bool header = true;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty() || line[0] == '#')
            continue;
        const auto f = splitOn(line, '\t');
        if (header) { // the column line
            header = false;
            if (f.size() != 12 || f[0] != "case")
                tsvErrors().push_back("expected.tsv: unexpected column line " + std::to_string(lineNo));
            continue;
        }
        if (f.size() != 12) {
            tsvErrors().push_back("expected.tsv line " + std::to_string(lineNo) + ": " + std::to_string(f.size()) +
                                  " columns instead of 12");
            continue;
        }
        MalformedCase c;
        bool ok = true;
        c.name = f[0];
        c.input = f[1];
        c.args = f[2] == "-" ? std::string() : f[2];
        c.exitCode = int(number(f[3], &ok));
        c.rows = number(f[4], &ok);
        c.accepted = number(f[5], &ok);
        c.filtered = number(f[6], &ok);
        c.rejected = number(f[7], &ok);
        c.groups = number(f[8], &ok);
        if (f[9] != "-") {
            for (const std::string &item : splitOn(f[9], ',')) {
                const auto eq = item.find('=');
                if (eq == std::string::npos) {
                    ok = false;
                    break;
                }
                const std::string key = item.substr(0, eq);
                const auto at = item.find('@', eq);
                RejectExpectation r;
                r.count = number(item.substr(eq + 1, at == std::string::npos ? std::string::npos : at - eq - 1), &ok);
                if (at != std::string::npos)
                    for (const std::string &l : splitOn(item.substr(at + 1), ';'))
                        r.lines.push_back(number(l, &ok));
                c.rejects[key] = r;
            }
        }
        c.stderrText = f[10] == "-" ? std::string() : f[10];
        c.exportRow = f[11] == "-" ? std::string() : f[11];
        for (char ch : c.name)
            ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
        // The table must add up by itself.
        if (c.exitCode == 0) {
            std::int64_t byReason = 0;
            for (const auto &[k, r] : c.rejects)
                byReason += r.count;
            ok = ok && c.rows >= 0 && c.rows == c.accepted + c.filtered + c.rejected && byReason == c.rejected;
        } else {
            ok = ok && !c.stderrText.empty();
        }
        if (!ok) {
            tsvErrors().push_back("expected.tsv line " + std::to_string(lineNo) + " (" + c.name +
                                  ") is malformed or does not add up");
            continue;
        }
        cases.push_back(std::move(c));
    }
    return cases;
}

const std::vector<MalformedCase> &allCases()
{
    static const std::vector<MalformedCase> cases = loadCases();
    return cases;
}

// ---------------------------------------------------------------------------------------------------
// Inputs made at test time
// ---------------------------------------------------------------------------------------------------
bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// `count` bytes of `fill` between `before` and `after`, written 1 MiB at a time.
bool writeLong(const QString &path, const QByteArray &before, std::int64_t count, char fill, const QByteArray &after)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(before) != before.size())
        return false;
    const QByteArray block(1 << 20, fill);
    for (std::int64_t left = count; left > 0;) {
        const qsizetype n = qsizetype(std::min<std::int64_t>(left, block.size()));
        if (f.write(block.constData(), n) != n)
            return false;
        left -= n;
    }
    return f.write(after) == after.size();
}

QByteArray splitmixBytes(std::int64_t count, std::uint64_t seed)
{
    QByteArray out;
    out.reserve(qsizetype(count + 8));
    std::uint64_t s = seed;
    while (out.size() < count) {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        for (int i = 0; i < 8; ++i)
            out.append(char((z >> (8 * i)) & 0xFF));
    }
    out.truncate(qsizetype(count));
    return out;
}

QByteArray encodeUtf16(const QByteArray &utf8, bool littleEndian, bool bom)
{
    QStringEncoder enc(littleEndian ? QStringConverter::Utf16LE : QStringConverter::Utf16BE);
    QByteArray out = enc.encode(QString::fromUtf8(utf8));
    if (bom)
        out.prepend(littleEndian ? QByteArray("\xFF\xFE", 2) : QByteArray("\xFE\xFF", 2));
    return out;
}

struct PreparedInput {
    QString path;
    QString exportPath;
    bool fifo = false;  ///< `path` is a named pipe: write fifoData into it while the app runs
    QByteArray fifoData;
    QString skipReason; ///< non-empty: the case cannot be run here
    QString error;      ///< non-empty: the test could not build the input
};

PreparedInput prepareInput(const std::string &spec, const QString &tmp)
{
    PreparedInput p;
    p.exportPath = tmp + u"/export.csv"_s;
    const QString s = QString::fromStdString(spec);
    const qsizetype colon = s.indexOf(u':');
    const QString kind = colon < 0 ? s : s.left(colon);
    const QString arg = colon < 0 ? QString() : s.mid(colon + 1);
    auto source = [&](const QString &name) -> QString { return corpusDir() + u'/' + name; };

    if (colon < 0 && s.endsWith(u".csv"_s)) {
        p.path = source(s);
        if (!QFileInfo::exists(p.path))
            p.error = u"corpus file missing: "_s + p.path;
    } else if (kind == u"utf16le-bom" || kind == u"utf16be-bom" || kind == u"utf16le" || kind == u"latin1") {
        const QByteArray utf8 = readFile(source(arg));
        QByteArray bytes;
        if (kind == u"latin1") {
            const QString text = QString::fromUtf8(utf8);
            for (QChar ch : text)
                if (ch.unicode() > 0xFF)
                    p.error = u"not representable in Latin-1: "_s + arg;
            bytes = text.toLatin1();
        } else {
            bytes = encodeUtf16(utf8, kind != u"utf16be-bom", kind.endsWith(u"-bom"_s));
        }
        p.path = tmp + u'/' + kind + u'_' + arg;
        if (utf8.isEmpty() || !writeFile(p.path, bytes))
            p.error = u"cannot make "_s + p.path;
    } else if (kind == u"random") {
        const QStringList parts = arg.split(u':');
        p.path = tmp + u"/garbage.csv"_s;
        if (parts.size() != 2 || !writeFile(p.path, splitmixBytes(parts[0].toLongLong(), parts[1].toULongLong())))
            p.error = u"cannot make "_s + p.path;
    } else if (kind == u"app-binary") {
        p.path = QStringLiteral(ES_APP_BINARY);
    } else if (kind == u"long-row") {
        p.path = tmp + u"/long_row.csv"_s;
        if (!writeLong(p.path, "District,Type,Price,LivingArea\nLisboa,Apartment,250000,85\n", arg.toLongLong(), 'x',
                       "\nPorto,House,300000,120\n"))
            p.error = u"cannot make "_s + p.path;
    } else if (kind == u"long-row-crlf") {
        p.path = tmp + u"/long_row_crlf.csv"_s;
        if (!writeLong(p.path, "District,Type,Price,LivingArea\r\nLisboa,Apartment,250000,85\r\n", arg.toLongLong(),
                       'x', "\r\nPorto,House,bad,120\r\n"))
            p.error = u"cannot make "_s + p.path;
    } else if (kind == u"long-line") {
        p.path = tmp + u"/long_line.csv"_s;
        if (!writeLong(p.path, {}, arg.toLongLong(), 'x', {}))
            p.error = u"cannot make "_s + p.path;
    } else if (kind == u"directory") {
        p.path = tmp + u"/a folder.csv"_s;
        if (!QDir().mkpath(p.path))
            p.error = u"cannot make "_s + p.path;
    } else if (kind == u"missing") {
        p.path = tmp + u"/does-not-exist.csv"_s;
    } else if (kind == u"unreadable") {
        p.path = tmp + u"/unreadable.csv"_s;
        if (!QFile::copy(source(arg), p.path) || !QFile::setPermissions(p.path, QFileDevice::Permissions()))
            p.error = u"cannot make "_s + p.path;
        QFile probe(p.path);
        if (p.error.isEmpty() && probe.open(QIODevice::ReadOnly))
            p.skipReason = u"a mode 000 file is still readable here (running as root)"_s;
    } else if (kind == u"unicode-path") {
        const QString dir = tmp + u"/dir with spaces/Évora ü 日本"_s;
        p.path = dir + u"/listings ç ñ.csv"_s;
        p.exportPath = dir + u"/export ç.csv"_s;
        if (!QDir().mkpath(dir) || !QFile::copy(source(arg), p.path))
            p.error = u"cannot make "_s + p.path;
    } else if (kind == u"fifo") {
        p.path = tmp + u"/stream.fifo"_s;
        p.fifo = true;
        p.fifoData = readFile(source(arg));
        if (p.fifoData.isEmpty() || ::mkfifo(QFile::encodeName(p.path).constData(), 0600) != 0)
            p.error = u"cannot make "_s + p.path;
    } else {
        p.error = u"unknown input kind in expected.tsv: "_s + s;
    }
    return p;
}

// Writes bytes into a named pipe once a reader has opened it, then closes it (end of stream).
class FifoWriter {
public:
    FifoWriter(const QString &path, QByteArray data)
        : m_path(QFile::encodeName(path)), m_data(std::move(data)), m_thread([this] { run(); })
    {
    }
    ~FifoWriter()
    {
        m_stop = true;
        m_thread.join();
    }

private:
    void run()
    {
        int fd = -1;
        while (fd < 0 && !m_stop.load()) { // non-blocking open fails until the reader is there
            fd = ::open(m_path.constData(), O_WRONLY | O_NONBLOCK);
            if (fd < 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        if (fd < 0)
            return;
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        for (qsizetype done = 0; done < m_data.size();) {
            const ssize_t n = ::write(fd, m_data.constData() + done, std::size_t(m_data.size() - done));
            if (n <= 0)
                break; // the reader went away (SIGPIPE is ignored by the test)
            done += n;
        }
        ::close(fd);
    }
    QByteArray m_path;
    QByteArray m_data;
    std::atomic<bool> m_stop{false};
    std::thread m_thread; // last: starts once the members above exist
};

// ---------------------------------------------------------------------------------------------------
// Running the command line
// ---------------------------------------------------------------------------------------------------
struct CliResult {
    bool ran = false;
    int exitCode = -1;
    QString out, err;
};

CliResult runCli(const QStringList &args)
{
    malformedApp();
    CliResult r;
    QProcess proc;
    proc.setProgram(QStringLiteral(ES_APP_BINARY));
    proc.setArguments(args);
    proc.start();
    if (!proc.waitForStarted(30000))
        return r;
    if (!proc.waitForFinished(300000)) {
        proc.kill();
        proc.waitForFinished();
        return r;
    }
    r.ran = proc.exitStatus() == QProcess::NormalExit;
    r.exitCode = proc.exitCode();
    r.out = QString::fromUtf8(proc.readAllStandardOutput());
    r.err = QString::fromUtf8(proc.readAllStandardError());
    return r;
}

QStringList lines(const QString &text)
{
    QStringList l = text.split(u'\n');
    if (!l.isEmpty() && l.last().isEmpty())
        l.removeLast();
    return l;
}

/// The number after "<label>: " at the start of a summary line, or -1.
std::int64_t summaryValue(const QString &out, const QString &label)
{
    for (const QString &l : lines(out))
        if (l.startsWith(label + u": "_s)) {
            const QString rest = l.mid(label.size() + 2);
            const qsizetype end = rest.indexOf(u' ');
            bool ok = false;
            const qlonglong v = rest.left(end < 0 ? rest.size() : end).toLongLong(&ok);
            return ok ? v : -1;
        }
    return -1;
}

/// "  <key>: N (<text>; first lines a, b)" lines of the summary.
std::map<std::string, RejectExpectation> summaryRejects(const QString &out)
{
    static const QRegularExpression re(uR"(^  ([a-z_]+): (\d+) \(.*first lines ([0-9, ]*)\)$)"_s);
    std::map<std::string, RejectExpectation> m;
    for (const QString &l : lines(out)) {
        const auto match = re.match(l);
        if (!match.hasMatch())
            continue;
        RejectExpectation r;
        r.count = match.captured(2).toLongLong();
        for (const QString &n : match.captured(3).split(u", "_s, Qt::SkipEmptyParts))
            r.lines.push_back(n.trimmed().toLongLong());
        m[match.captured(1).toStdString()] = r;
    }
    return m;
}

/// RFC 4180 records of a CSV text (quoted fields may hold delimiters, quotes and line ends).
QList<QStringList> parseCsv(const QByteArray &bytes)
{
    QList<QStringList> records;
    QStringList fields;
    QByteArray cur;
    bool inQuotes = false, any = false;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (inQuotes) {
            if (c == '"' && i + 1 < bytes.size() && bytes[i + 1] == '"') {
                cur += '"';
                ++i;
            } else if (c == '"') {
                inQuotes = false;
            } else {
                cur += c;
            }
        } else if (c == '"') {
            inQuotes = any = true;
        } else if (c == ',') {
            fields << QString::fromUtf8(cur);
            cur.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n')
                ++i;
            if (any || !cur.isEmpty()) {
                fields << QString::fromUtf8(cur);
                records << fields;
            }
            fields.clear();
            cur.clear();
            any = false;
        } else {
            cur += c;
            any = true;
        }
    }
    if (any || !cur.isEmpty()) {
        fields << QString::fromUtf8(cur);
        records << fields;
    }
    return records;
}

/// Whether `exported` holds a row whose first columns are `want` (text exact, numbers by value).
bool exportHasRow(const QByteArray &exported, const QStringList &want)
{
    const QList<QStringList> rows = parseCsv(exported);
    for (qsizetype r = 1; r < rows.size(); ++r) {
        const QStringList &row = rows[r];
        if (row.size() < want.size())
            continue;
        bool same = true;
        for (qsizetype i = 0; i < want.size() && same; ++i) {
            if (i < 2) {
                same = row[i] == want[i];
                continue;
            }
            bool okA = false, okB = false;
            const double a = row[i].toDouble(&okA), b = want[i].toDouble(&okB);
            same = okA && okB && std::fabs(a - b) <= 1e-12 * std::max(std::fabs(a), std::fabs(b));
        }
        if (same)
            return true;
    }
    return false;
}

std::string describe(const CliResult &r)
{
    return "exit " + std::to_string(r.exitCode) + "\n--- stdout ---\n" + r.out.toStdString() + "--- stderr ---\n" +
           r.err.toStdString();
}

class MalformedCorpus : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedCorpus, HeadlessOutcomeMatchesExpected)
{
    const MalformedCase &c = GetParam();
    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    const PreparedInput in = prepareInput(c.input, tmp.path());
    ASSERT_TRUE(in.error.isEmpty()) << in.error.toStdString();
    if (!in.skipReason.isEmpty())
        GTEST_SKIP() << in.skipReason.toStdString();

    std::unique_ptr<FifoWriter> writer;
    if (in.fifo) {
        std::signal(SIGPIPE, SIG_IGN); // a reader that stops early must not kill the test
        writer = std::make_unique<FifoWriter>(in.path, in.fifoData);
    }
    QStringList args{u"--headless"_s, in.path, u"--export"_s, in.exportPath, u"--log-dir"_s, tmp.path() + u"/logs"_s};
    if (!c.args.empty())
        args << QString::fromStdString(c.args).split(u' ', Qt::SkipEmptyParts);
    const CliResult r = runCli(args);
    writer.reset();
    ASSERT_TRUE(r.ran) << "estatestream did not run to a normal exit on " << c.input;
    ASSERT_EQ(r.exitCode, c.exitCode) << describe(r);

    if (c.exitCode != 0) {
        // A one-line error: exactly one stderr line, the error, naming the problem.
        const QStringList errLines = lines(r.err);
        ASSERT_EQ(errLines.size(), 1) << describe(r);
        EXPECT_TRUE(errLines[0].startsWith(u"estatestream: error: "_s)) << describe(r);
        EXPECT_FALSE(errLines[0].contains(u'\r')) << describe(r);
        EXPECT_TRUE(errLines[0].contains(QString::fromStdString(c.stderrText)))
            << "expected \"" << c.stderrText << "\" in the error\n"
            << describe(r);
        EXPECT_EQ(summaryValue(r.out, u"rows read"_s), -1) << "no summary after an input error\n" << describe(r);
        EXPECT_FALSE(QFileInfo::exists(in.exportPath)) << "no export after an input error";
        return;
    }

    EXPECT_EQ(summaryValue(r.out, u"rows read"_s), c.rows) << describe(r);
    EXPECT_EQ(summaryValue(r.out, u"accepted"_s), c.accepted) << describe(r);
    EXPECT_EQ(summaryValue(r.out, u"filtered"_s), c.filtered) << describe(r);
    EXPECT_EQ(summaryValue(r.out, u"rejected"_s), c.rejected) << describe(r);
    EXPECT_EQ(summaryValue(r.out, u"groups"_s), c.groups) << describe(r);

    const auto rejects = summaryRejects(r.out);
    for (const auto &[key, got] : rejects)
        EXPECT_TRUE(c.rejects.count(key)) << "unexpected rejects \"" << key << "\": " << got.count << '\n'
                                          << describe(r);
    for (const auto &[key, want] : c.rejects) {
        const auto it = rejects.find(key);
        if (it == rejects.end()) {
            ADD_FAILURE() << "no \"" << key << "\" rejects in the summary\n" << describe(r);
            continue;
        }
        EXPECT_EQ(it->second.count, want.count) << key << '\n' << describe(r);
        if (!want.lines.empty()) {
            EXPECT_EQ(it->second.lines, want.lines) << key << " lines\n" << describe(r);
        }
    }

    if (c.stderrText.empty()) {
        EXPECT_TRUE(r.err.isEmpty()) << "nothing to warn about\n" << describe(r);
    } else {
        EXPECT_TRUE(r.err.contains(QString::fromStdString(c.stderrText))) << describe(r);
        EXPECT_FALSE(r.err.contains(u"error:"_s)) << describe(r);
    }

    const QByteArray exported = readFile(in.exportPath);
    ASSERT_FALSE(exported.isEmpty()) << "no export at " << in.exportPath.toStdString();
    EXPECT_TRUE(exported.startsWith("District,Property_Type,Avg_Price,Avg_Area,Count,Avg_Price_per_Sqm"));
    if (!c.exportRow.empty()) {
        const QList<QStringList> want = parseCsv(QByteArray::fromStdString(c.exportRow));
        ASSERT_EQ(want.size(), 1) << "export_row of " << c.name << " is not one CSV record";
        EXPECT_TRUE(exportHasRow(exported, want.first()))
            << "expected a row starting " << c.exportRow << " in the export:\n"
            << exported.toStdString();
    }
}

INSTANTIATE_TEST_SUITE_P(Corpus, MalformedCorpus, ::testing::ValuesIn(allCases()),
                         [](const ::testing::TestParamInfo<MalformedCase> &p) { return p.param.name; });

TEST(MalformedCorpusTable, IsReadableAndCoversEveryInputClass)
{
    for (const std::string &e : tsvErrors())
        ADD_FAILURE() << e;
    const auto &cases = allCases();
    EXPECT_GE(cases.size(), 30u);
    // Issue 5's input classes, each present at least once.
    const char *required[] = {"empty.csv", "header_only.csv", "no_header.csv", "random:", "long-", "unbalanced_quote",
                              "quotes_in_unquoted", "ragged_rows", "duplicate_headers", "missing_columns",
                              "utf16le-bom:", "utf16be-bom:", "latin1:", "semicolon_decimal_comma",
                              "thousands_separators", "numbers_extreme", "crlf.csv", "lone_cr", "mixed_line_endings",
                              "unicode-path:", "directory", "unreadable:", "missing"};
    for (const char *r : required) {
        bool found = false;
        for (const auto &c : cases)
            found = found || c.input.find(r) != std::string::npos;
        EXPECT_TRUE(found) << "no case for " << r;
    }
    std::map<std::string, int> names;
    for (const auto &c : cases)
        EXPECT_EQ(++names[c.name], 1) << "duplicate case name " << c.name;
}

// ---------------------------------------------------------------------------------------------------
// Engine level: sources that change while they are read
// ---------------------------------------------------------------------------------------------------
bool waitUntil(const std::function<bool()> &done, int timeoutMs = 60000)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QThread::msleep(1);
    }
    return true;
}

/// Everything an engine says, in order.
struct Recorder {
    std::vector<es::SnapshotPtr> snapshots;
    std::vector<std::string> events; ///< "snapshot", "finished", "failed", "cancelled"
    es::SnapshotPtr finalSnapshot;
    QString failure;
    bool finished = false, failed = false, cancelled = false;

    void attach(es::StreamEngine &engine)
    {
        QObject::connect(&engine, &es::StreamEngine::snapshotReady, &engine, [this](const es::SnapshotPtr &s) {
            snapshots.push_back(s);
            events.emplace_back("snapshot");
        });
        QObject::connect(&engine, &es::StreamEngine::finished, &engine, [this](const es::SnapshotPtr &s) {
            finalSnapshot = s;
            finished = true;
            events.emplace_back("finished");
        });
        QObject::connect(&engine, &es::StreamEngine::failed, &engine, [this](const QString &reason) {
            failure = reason;
            failed = true;
            events.emplace_back("failed");
        });
        QObject::connect(&engine, &es::StreamEngine::cancelled, &engine, [this] {
            cancelled = true;
            events.emplace_back("cancelled");
        });
    }
    bool ended() const { return finished || failed || cancelled; }
    std::int64_t latestRows() const { return snapshots.empty() ? -1 : snapshots.back()->counters.rowsRead; }
};

bool hasGroup(const es::StreamSnapshot &s, const QString &district, const QString &type)
{
    for (const es::GroupRow &g : s.groups)
        if (g.district == district && g.type == type)
            return true;
    return false;
}

bool hasType(const es::StreamSnapshot &s, const QString &type)
{
    for (const es::GroupRow &g : s.groups)
        if (g.type == type)
            return true;
    return false;
}

// A source that follows a stream: the first bytes at once, then "no data yet" until the test opens
// the gate, then the rest, then the end.
class GatedSource final : public es::ByteSource {
public:
    GatedSource(QByteArray first, QByteArray second, std::shared_ptr<std::atomic<bool>> gate,
                std::shared_ptr<std::atomic<int>> waits)
        : m_first(std::move(first)), m_second(std::move(second)), m_gate(std::move(gate)), m_waits(std::move(waits))
    {
    }
    ReadResult read(char *dst, std::int64_t max) override
    {
        const QByteArray *part = &m_first;
        qsizetype offset = qsizetype(m_pos);
        if (offset >= m_first.size()) {
            if (!m_gate->load()) {
                ++*m_waits;
                return {0, ReadStatus::WouldBlock};
            }
            part = &m_second;
            offset -= m_first.size();
            if (offset >= m_second.size())
                return {0, ReadStatus::End};
        }
        const std::int64_t n = std::min<std::int64_t>(max, part->size() - offset);
        std::memcpy(dst, part->constData() + offset, std::size_t(n));
        m_pos += n;
        return {n, ReadStatus::Data};
    }
    std::int64_t size() const override { return -1; }
    std::int64_t position() const override { return m_pos; }
    QString errorString() const override { return {}; }
    QString displayName() const override { return u"growing source"_s; }

private:
    QByteArray m_first, m_second;
    std::shared_ptr<std::atomic<bool>> m_gate;
    std::shared_ptr<std::atomic<int>> m_waits;
    std::int64_t m_pos = 0;
};

TEST(MalformedEngine, GrowingSourceIsReadAsItGrowsAndARecordSplitAcrossReadsCountsOnce)
{
    malformedApp();
    // Before the gate: header, two valid rows, one row whose price is not a number, and half a row.
    // After: the other half ("Porto,House,300000,120") and a filtered row (price 30000).
    const QByteArray first = "District,Type,Price,LivingArea\nLisboa,Apartment,250000,85\n"
                             "Braga,Apartment,150000,70\nCoimbra,House,bad,90\nPorto,Hou";
    const QByteArray second = "se,300000,120\nFaro,House,30000,100\n";
    auto gate = std::make_shared<std::atomic<bool>>(false);
    auto waits = std::make_shared<std::atomic<int>>(0);

    es::StreamEngine engine;
    Recorder rec;
    rec.attach(engine);
    es::StreamConfig cfg;
    cfg.follow = true;
    cfg.openSource = [=](QString *) { return std::make_unique<GatedSource>(first, second, gate, waits); };
    engine.start(cfg);

    // Everything complete before the gate is published while the source has nothing more.
    ASSERT_TRUE(waitUntil([&] { return rec.ended() || (waits->load() > 0 && rec.latestRows() == 3); }))
        << "latest rows " << rec.latestRows();
    ASSERT_FALSE(rec.ended()) << rec.failure.toStdString();
    {
        const es::StreamCounters &c = rec.snapshots.back()->counters;
        EXPECT_EQ(c.rowsRead, 3); // the half row is not a row yet
        EXPECT_EQ(c.accepted, 2);
        EXPECT_EQ(c.rejected, 1);
        EXPECT_EQ(c.rejectsByReason[std::size_t(es::RejectReason::PriceNotNumber)], 1);
    }
    gate->store(true);
    ASSERT_TRUE(waitUntil([&] { return rec.ended(); }));
    ASSERT_TRUE(rec.finished) << rec.failure.toStdString();
    ASSERT_TRUE(rec.finalSnapshot);
    const es::StreamSnapshot &fin = *rec.finalSnapshot;
    EXPECT_EQ(fin.counters.rowsRead, 5);
    EXPECT_EQ(fin.counters.accepted, 3);
    EXPECT_EQ(fin.counters.filteredOut, 1);
    EXPECT_EQ(fin.counters.rejected, 1);
    EXPECT_EQ(fin.counters.rejectsByReason[std::size_t(es::RejectReason::FieldCount)], 0);
    EXPECT_EQ(fin.groups.size(), 3u);
    EXPECT_TRUE(hasGroup(fin, u"Porto"_s, u"House"_s)) << "the split record was joined";
    EXPECT_FALSE(hasType(fin, u"Hou"_s));
    // No snapshot ever counted the half row on its own.
    for (const auto &s : rec.snapshots)
        EXPECT_TRUE(s->counters.rowsRead <= 3 || s->counters.rowsRead == 5) << s->counters.rowsRead;
}

const QByteArray kCheckHeader = "District,Type,Price,LivingArea,Check\n";
// A trailing empty field: every proper prefix of the line that is not the line less its line end
// has fewer than 5 fields, so a torn last line is always a field_count reject.
const QByteArray kCheckRow = "Lisboa,Apartment,250000,85,\n";

bool appendRaw(const QString &path, const QByteArray &bytes)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_APPEND);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, bytes.constData(), std::size_t(bytes.size())) == ssize_t(bytes.size());
    ::close(fd);
    return ok;
}

TEST(MalformedEngine, FileAppendedWhileReadIsReadUpToWhatWasThereAtEndOfFile)
{
    malformedApp();
    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    const QString path = tmp.path() + u"/growing.csv"_s;
    constexpr int kInitialRows = 200000;
    QByteArray initial = kCheckHeader;
    initial.reserve(kCheckHeader.size() + kCheckRow.size() * kInitialRows);
    for (int i = 0; i < kInitialRows; ++i)
        initial += kCheckRow;
    ASSERT_TRUE(writeFile(path, initial));

    es::StreamEngine engine;
    Recorder rec;
    rec.attach(engine);
    es::StreamConfig cfg;
    cfg.path = path;
    std::atomic<bool> stopWriter{false};
    std::atomic<bool> writeFailed{false};
    engine.start(cfg);
    std::thread writer([&] { // whole lines, 50 at a time, while the engine reads
        QByteArray batch;
        for (int i = 0; i < 50; ++i)
            batch += kCheckRow;
        for (int i = 0; i < 2000 && !stopWriter.load(); ++i)
            if (!appendRaw(path, batch))
                writeFailed = true;
    });
    const bool ended = waitUntil([&] { return rec.ended(); });
    stopWriter = true;
    writer.join();
    ASSERT_TRUE(ended);
    ASSERT_FALSE(writeFailed.load());
    ASSERT_TRUE(rec.finished) << rec.failure.toStdString();
    const es::StreamCounters &c = rec.finalSnapshot->counters;

    // Everything in the bytes the engine read is counted, nothing else: rebuild the expected counts
    // from the first bytesRead bytes of the final file.
    const QByteArray all = readFile(path);
    ASSERT_GE(c.bytesRead, initial.size());
    ASSERT_LE(c.bytesRead, all.size());
    const QByteArray body = all.left(qsizetype(c.bytesRead)).mid(kCheckHeader.size());
    const std::int64_t complete = body.count('\n');
    const QByteArray tail = body.mid(body.lastIndexOf('\n') + 1);
    std::int64_t rows = complete, accepted = complete, rejected = 0;
    if (!tail.isEmpty()) {
        ++rows;
        if (tail + '\n' == kCheckRow)
            ++accepted;
        else
            ++rejected;
    }
    EXPECT_GE(c.rowsRead, kInitialRows);
    EXPECT_EQ(c.rowsRead, rows);
    EXPECT_EQ(c.accepted, accepted);
    EXPECT_EQ(c.rejected, rejected);
    EXPECT_EQ(c.rejectsByReason[std::size_t(es::RejectReason::FieldCount)], rejected);
}

TEST(MalformedEngine, FollowedFileCountsAppendedRecordsOnlyOnceComplete)
{
    malformedApp();
    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    const QString path = tmp.path() + u"/followed.csv"_s;
    QByteArray initial = "District,Type,Price,LivingArea\n";
    for (int i = 0; i < 1000; ++i)
        initial += "Lisboa,Apartment,250000,85\n";
    ASSERT_TRUE(writeFile(path, initial));

    es::StreamEngine engine;
    Recorder rec;
    rec.attach(engine);
    es::StreamConfig cfg;
    cfg.path = path;
    cfg.follow = true;
    engine.start(cfg);
    ASSERT_TRUE(waitUntil([&] { return rec.ended() || rec.latestRows() == 1000; })) << rec.latestRows();
    ASSERT_FALSE(rec.ended()) << "a followed file does not end at its current end " << rec.failure.toStdString();

    ASSERT_TRUE(appendRaw(path, "Porto,House,300000,120\nFaro,Hou"));
    ASSERT_TRUE(waitUntil([&] { return rec.ended() || rec.latestRows() >= 1001; })) << rec.latestRows();
    ASSERT_TRUE(appendRaw(path, "se,350000,100\n"));
    ASSERT_TRUE(waitUntil([&] { return rec.ended() || rec.latestRows() >= 1002; })) << rec.latestRows();
    ASSERT_FALSE(rec.ended());
    const es::StreamSnapshot &s = *rec.snapshots.back();
    EXPECT_EQ(s.counters.rowsRead, 1002);
    EXPECT_EQ(s.counters.accepted, 1002);
    EXPECT_EQ(s.counters.rejected, 0) << "the half-written row was parsed on its own";
    EXPECT_TRUE(hasGroup(s, u"Faro"_s, u"House"_s));
    EXPECT_FALSE(hasType(s, u"Hou"_s));

    engine.stop();
    EXPECT_TRUE(rec.cancelled);
    EXPECT_FALSE(rec.finished || rec.failed);
    EXPECT_EQ(engine.state(), es::StreamEngine::State::Cancelled);
}

TEST(MalformedEngine, FollowedFileFinishesOnRequestWithoutItsUnfinishedLine)
{
    malformedApp();
    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    const QString path = tmp.path() + u"/followed.csv"_s;
    const QString out = tmp.path() + u"/agg.csv"_s;
    QByteArray initial = "District,Type,Price,LivingArea\n";
    for (int i = 0; i < 1000; ++i)
        initial += "Lisboa,Apartment,250000,85\n";
    ASSERT_TRUE(writeFile(path, initial + "Porto,House,300000,120\nFaro,Hou"));

    es::StreamEngine engine;
    Recorder rec;
    rec.attach(engine);
    std::vector<es::Issue> issues;
    QObject::connect(&engine, &es::StreamEngine::issue, &engine, [&](const es::Issue &i) { issues.push_back(i); });
    es::StreamConfig cfg;
    cfg.path = path;
    cfg.follow = true;
    cfg.exportPath = out;
    engine.start(cfg);
    ASSERT_TRUE(waitUntil([&] { return rec.ended() || rec.latestRows() == 1001; })) << rec.latestRows();
    ASSERT_FALSE(rec.ended());
    engine.pause(); // finishing also works from Paused
    engine.finish();
    ASSERT_TRUE(waitUntil([&] { return rec.ended(); }));
    ASSERT_TRUE(rec.finished) << rec.failure.toStdString();
    EXPECT_FALSE(rec.cancelled);
    EXPECT_EQ(engine.state(), es::StreamEngine::State::Finished);
    ASSERT_TRUE(rec.finalSnapshot);
    EXPECT_EQ(rec.finalSnapshot->counters.rowsRead, 1001);
    EXPECT_EQ(rec.finalSnapshot->counters.rejected, 0) << "the unfinished line was parsed";
    EXPECT_FALSE(hasType(*rec.finalSnapshot, u"Hou"_s));
    bool warned = false;
    for (const es::Issue &i : issues)
        warned |= i.severity == es::Issue::Severity::Warning && i.message.contains(u"unfinished last line"_s) &&
                  i.line == 1003;
    EXPECT_TRUE(warned) << "the dropped line is reported with its line number";
    const QByteArray exported = readFile(out);
    EXPECT_TRUE(exported.contains("Porto,House,300000,120,1,")) << exported.constData();
}

// Reads a real file through openFileSource, at most 64 KiB at a time, and after `after` bytes
// truncates the file to `truncateTo` bytes or deletes it.
class FileChangingSource final : public es::ByteSource {
public:
    enum class Action { Truncate, Delete };
    FileChangingSource(std::unique_ptr<es::ByteSource> inner, QString path, Action action, std::int64_t after,
                       std::int64_t truncateTo, std::shared_ptr<std::atomic<std::int64_t>> changedAt)
        : m_inner(std::move(inner)), m_path(std::move(path)), m_action(action), m_after(after),
          m_truncateTo(truncateTo), m_changedAt(std::move(changedAt))
    {
    }
    ReadResult read(char *dst, std::int64_t max) override
    {
        const ReadResult r = m_inner->read(dst, std::min<std::int64_t>(max, 64 << 10));
        m_total += r.bytes;
        if (m_changedAt->load() < 0 && m_total >= m_after) {
            const bool ok = m_action == Action::Truncate
                                ? ::truncate(QFile::encodeName(m_path).constData(), off_t(m_truncateTo)) == 0
                                : QFile::remove(m_path);
            m_changedAt->store(ok ? m_total : 0);
        }
        return r;
    }
    std::int64_t size() const override { return m_inner->size(); }
    std::int64_t position() const override { return m_inner->position(); }
    QString errorString() const override { return m_inner->errorString(); }
    QString displayName() const override { return m_inner->displayName(); }

private:
    std::unique_ptr<es::ByteSource> m_inner;
    QString m_path;
    Action m_action;
    std::int64_t m_after, m_truncateTo, m_total = 0;
    std::shared_ptr<std::atomic<std::int64_t>> m_changedAt;
};

constexpr int kChangingRows = 100000; // 27-byte rows: ~2.7 MB
const QByteArray kPlainRow = "Lisboa,Apartment,250000,85\n";

QString writeChangingFile(const QString &dir)
{
    QByteArray bytes = "District,Type,Price,LivingArea\n";
    for (int i = 0; i < kChangingRows; ++i)
        bytes += kPlainRow;
    const QString path = dir + u"/changing.csv"_s;
    return writeFile(path, bytes) ? path : QString();
}

es::StreamConfig changingConfig(const QString &path, FileChangingSource::Action action,
                                const std::shared_ptr<std::atomic<std::int64_t>> &changedAt)
{
    es::StreamConfig cfg;
    cfg.openSource = [=](QString *error) -> std::unique_ptr<es::ByteSource> {
        auto inner = es::openFileSource(path, false, error);
        if (!inner)
            return nullptr;
        return std::make_unique<FileChangingSource>(std::move(inner), path, action, 1 << 20, 500000, changedAt);
    };
    return cfg;
}

TEST(MalformedEngine, FileTruncatedWhileReadFailsAfterDeliveringThePartialSnapshot)
{
    malformedApp();
    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    const QString path = writeChangingFile(tmp.path());
    ASSERT_FALSE(path.isEmpty());
    auto changedAt = std::make_shared<std::atomic<std::int64_t>>(-1);

    es::StreamEngine engine;
    Recorder rec;
    rec.attach(engine);
    engine.start(changingConfig(path, FileChangingSource::Action::Truncate, changedAt));
    ASSERT_TRUE(waitUntil([&] { return rec.ended(); }));
    ASSERT_GT(changedAt->load(), 0) << "the file was not truncated";

    ASSERT_TRUE(rec.failed) << "a truncated file must fail, not finish";
    EXPECT_FALSE(rec.finished);
    EXPECT_TRUE(rec.failure.contains(u"truncated"_s)) << rec.failure.toStdString();
    EXPECT_EQ(engine.state(), es::StreamEngine::State::Failed);
    // The partial snapshot comes right before failed(): what was read before the cut, all valid.
    ASSERT_GE(rec.events.size(), 2u);
    EXPECT_EQ(rec.events.back(), "failed");
    EXPECT_EQ(rec.events[rec.events.size() - 2], "snapshot");
    ASSERT_FALSE(rec.snapshots.empty());
    const es::StreamSnapshot &partial = *rec.snapshots.back();
    EXPECT_TRUE(partial.final);
    EXPECT_GT(partial.counters.rowsRead, 0);
    EXPECT_LE(partial.counters.rowsRead * kPlainRow.size(), changedAt->load());
    EXPECT_EQ(partial.counters.accepted, partial.counters.rowsRead);
    EXPECT_EQ(partial.counters.rejected, 0) << "the torn record at the cut must not be counted";
}

TEST(MalformedEngine, FileDeletedWhileReadIsReadToTheEndThroughTheOpenHandle)
{
    malformedApp();
    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    const QString path = writeChangingFile(tmp.path());
    ASSERT_FALSE(path.isEmpty());
    auto changedAt = std::make_shared<std::atomic<std::int64_t>>(-1);

    es::StreamEngine engine;
    Recorder rec;
    rec.attach(engine);
    engine.start(changingConfig(path, FileChangingSource::Action::Delete, changedAt));
    ASSERT_TRUE(waitUntil([&] { return rec.ended(); }));
    ASSERT_GT(changedAt->load(), 0) << "the file was not deleted";
    EXPECT_FALSE(QFileInfo::exists(path));

    ASSERT_TRUE(rec.finished) << rec.failure.toStdString();
    EXPECT_EQ(rec.finalSnapshot->counters.rowsRead, kChangingRows);
    EXPECT_EQ(rec.finalSnapshot->counters.accepted, kChangingRows);
    EXPECT_EQ(rec.finalSnapshot->counters.rejected, 0);
}

} // namespace
