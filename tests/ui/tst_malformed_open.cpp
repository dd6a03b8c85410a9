// The malformed-input corpus (issue 5, tests/data/malformed/expected.tsv) opened
// through the WINDOW's open path, one file after the other in the same window,
// as a user would: input errors show the non-modal error banner (or, for
// missing columns, the mapping dialog, which is cancelled), and valid files
// stream to the end with the counters and reject reasons the corpus defines.
#include "aggregatetablemodel.h"
#include "columnmappingdialog.h"
#include "dashboardcontroller.h"
#include "fileopener.h"
#include "issuespanel.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "metrictile.h"
#include "settings.h"
#include "streamcontrols.h"
#include "tablepage.h"
#include "tilesrow.h"

#include "logging.h"
#include "snapshot.h"
#include "types.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStringEncoder>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <map>
#include <memory>
#include <optional>

using namespace es::ui;

namespace {

constexpr int kTimeoutMs = 10000;

QString malformedDir()
{
    return QStringLiteral(ES_TEST_DATA_DIR "/malformed");
}

/// One expected reject reason: its count and the first line numbers given.
struct ExpectedReject {
    qint64 count = 0;
    QList<qint64> lines;
};

/// Parses "key=count[@l1;l2...],key=..." ("-" = none). Returns false on syntax errors.
bool parseRejects(const QString &text, std::map<QString, ExpectedReject> *out)
{
    out->clear();
    if (text == u"-")
        return true;
    for (const QString &item : text.split(u',')) {
        const qsizetype eq = item.indexOf(u'=');
        if (eq <= 0)
            return false;
        const QString key = item.left(eq);
        QString rest = item.mid(eq + 1);
        ExpectedReject e;
        const qsizetype at = rest.indexOf(u'@');
        if (at >= 0) {
            for (const QString &l : rest.mid(at + 1).split(u';')) {
                bool ok = false;
                e.lines << l.toLongLong(&ok);
                if (!ok)
                    return false;
            }
            rest.truncate(at);
        }
        bool ok = false;
        e.count = rest.toLongLong(&ok);
        if (!ok)
            return false;
        (*out)[key] = e;
    }
    return true;
}

std::optional<es::RejectReason> reasonForKey(const QString &key)
{
    for (int r = 0; r < es::kRejectReasonCount; ++r) {
        if (es::rejectReasonKey(es::RejectReason(r)) == key)
            return es::RejectReason(r);
    }
    return std::nullopt;
}

QByteArray encodeUtf16(const QByteArray &utf8, bool littleEndian, bool bom)
{
    QStringEncoder encoder(littleEndian ? QStringConverter::Utf16LE : QStringConverter::Utf16BE);
    QByteArray bytes = encoder.encode(QString::fromUtf8(utf8));
    if (bom)
        bytes.prepend(littleEndian ? QByteArray("\xFF\xFE", 2) : QByteArray("\xFE\xFF", 2));
    return bytes;
}

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

/// Digits of a displayed count ("1,234" / "1 234" -> 1234); -1 when there are none.
qint64 displayedCount(const QString &text)
{
    QString digits;
    for (const QChar c : text) {
        if (c.isDigit())
            digits += c;
    }
    bool ok = false;
    const qint64 v = digits.toLongLong(&ok);
    return ok ? v : -1;
}

} // namespace

class TestMalformedOpen : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void openThroughWindow_data();
    void openThroughWindow();

private:
    QString prepareInput(const QString &input, QString *error);
    void checkRejected(const QString &expectedMessage);
    void checkMappingDialogCancelled();
    void checkWindowStillStreams();
    void checkStreamed(qint64 rows, qint64 accepted, qint64 filtered, qint64 rejected, qint64 groups,
                       const QString &rejects, const QString &warning);

    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<MainWindow> m_window;
    int m_inputIndex = 0;
};

void TestMalformedOpen::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(malformedDir() + QStringLiteral("/expected.tsv")), qPrintable(malformedDir()));
    es::logs::init(m_dir.filePath(QStringLiteral("logs")));
    m_settings = std::make_unique<Settings>(m_dir.filePath(QStringLiteral("settings.ini")));
    m_window = std::make_unique<MainWindow>(m_settings.get());
    m_window->streamControls()->setRate(0); // as fast as possible
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMalformedOpen::cleanupTestCase()
{
    m_window.reset();
    m_settings.reset();
}

void TestMalformedOpen::openThroughWindow_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<qint64>("rows");
    QTest::addColumn<qint64>("accepted");
    QTest::addColumn<qint64>("filtered");
    QTest::addColumn<qint64>("rejected");
    QTest::addColumn<qint64>("groups");
    QTest::addColumn<QString>("rejects");
    QTest::addColumn<QString>("message");

    QFile f(malformedDir() + QStringLiteral("/expected.tsv"));
    QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
    bool headerSeen = false;
    int cases = 0;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).chopped(1);
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const QStringList c = line.split(u'\t');
        QVERIFY2(c.size() == 12, qPrintable(line));
        if (!headerSeen) {
            QCOMPARE(c.first(), QStringLiteral("case"));
            headerSeen = true;
            continue;
        }
        auto count = [](const QString &s) { return s == u"-" ? qint64(-1) : s.toLongLong(); };
        bool ok = false;
        const int exitCode = c[3].toInt(&ok);
        QVERIFY2(ok && (exitCode == 0 || exitCode == 1), qPrintable(line));
        QTest::newRow(qPrintable(c[0])) << c[1] << c[2] << exitCode << count(c[4]) << count(c[5]) << count(c[6])
                                        << count(c[7]) << count(c[8]) << c[9] << c[10];
        ++cases;
    }
    QVERIFY(headerSeen);
    QVERIFY(cases > 20);
}

/// Turns an `input` spec into a path to open; an empty path with an empty
/// error means the case is not for this test.
QString TestMalformedOpen::prepareInput(const QString &input, QString *error)
{
    const qsizetype colon = input.indexOf(u':');
    const QString kind = colon < 0 ? input : input.left(colon);
    const QString name = colon < 0 ? QString() : input.mid(colon + 1);
    const QString work = m_dir.filePath(QStringLiteral("in%1").arg(++m_inputIndex));
    if (!QDir().mkpath(work)) {
        *error = QStringLiteral("cannot create ") + work;
        return {};
    }
    if (colon < 0 && input.endsWith(u".csv"))
        return malformedDir() + u'/' + input;
    if (input == u"directory")
        return work; // an existing (empty) directory
    if (input == u"missing")
        return work + QStringLiteral("/no such file.csv");
    if (kind == u"utf16le-bom" || kind == u"utf16be-bom" || kind == u"utf16le" || kind == u"latin1" ||
        kind == u"unicode-path") {
        const QByteArray utf8 = readFile(malformedDir() + u'/' + name);
        if (utf8.isEmpty()) {
            *error = QStringLiteral("cannot read ") + name;
            return {};
        }
        QByteArray bytes = utf8;
        QString path = work + u'/' + name;
        if (kind == u"latin1") {
            const QString text = QString::fromUtf8(utf8);
            for (const QChar ch : text) {
                if (ch.unicode() > 0xFF) {
                    *error = QStringLiteral("not Latin-1: ") + name;
                    return {};
                }
            }
            bytes = text.toLatin1();
        } else if (kind.startsWith(u"utf16")) {
            bytes = encodeUtf16(utf8, kind != u"utf16be-bom", kind.endsWith(u"-bom"));
        } else { // unicode-path
            const QString dir = work + QStringLiteral("/dir with spaces/Évora ü 日本");
            if (!QDir().mkpath(dir)) {
                *error = QStringLiteral("cannot create ") + dir;
                return {};
            }
            path = dir + QStringLiteral("/listings ç ñ.csv");
        }
        if (!writeFile(path, bytes)) {
            *error = QStringLiteral("cannot write ") + path;
            return {};
        }
        return path;
    }
    return {}; // generated big/binary inputs, pipes, permissions: not here
}

void TestMalformedOpen::checkRejected(const QString &expectedMessage)
{
    MessageBanner *banner = m_window->banner();
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible() && banner->kind() == MessageBanner::Kind::Error, kTimeoutMs);
    QVERIFY2(banner->text().contains(expectedMessage),
             qPrintable(QStringLiteral("banner: \"%1\", expected to contain \"%2\"").arg(banner->text(), expectedMessage)));
    QCOMPARE(QApplication::activeModalWidget(), nullptr);
    QVERIFY(!m_window->opener()->mappingDialog());
    QVERIFY(m_window->isVisible());
}

void TestMalformedOpen::checkMappingDialogCancelled()
{
    ColumnMappingDialog *dialog = m_window->opener()->mappingDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->isComplete()); // the roles the corpus says are missing are not chosen
    QCOMPARE(QApplication::activeModalWidget(), static_cast<QWidget *>(dialog));
    dialog->reject();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->opener()->mappingDialog(), kTimeoutMs);
    QCOMPARE(QApplication::activeModalWidget(), nullptr);
    MessageBanner *banner = m_window->banner();
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kTimeoutMs);
    QVERIFY2(banner->kind() != MessageBanner::Kind::Error, qPrintable(banner->text()));
    QVERIFY2(banner->text().contains(QStringLiteral("not opened")), qPrintable(banner->text()));
    QVERIFY(!m_window->opener()->isBusy());
    checkWindowStillStreams();
}

/// After a cancelled dialog: a valid file still opens and streams. The expected
/// counts come from the file itself (every data line of it is a valid row).
void TestMalformedOpen::checkWindowStillStreams()
{
    const QString path = malformedDir() + QStringLiteral("/valid_small.csv");
    const QList<QByteArray> lines = readFile(path).trimmed().split('\n');
    QVERIFY(lines.size() > 1);
    const qint64 dataRows = qint64(lines.size()) - 1;
    QSignalSpy started(m_window->dashboard(), &DashboardController::streamStarting);
    m_window->openFile(path);
    QTRY_VERIFY2_WITH_TIMEOUT(started.count() == 1, qPrintable(m_window->banner()->text()), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->isIdle(), kTimeoutMs);
    const es::SnapshotPtr snap = m_window->dashboard()->latestSnapshot();
    QVERIFY(snap && snap->final);
    QCOMPARE(snap->counters.rowsRead, dataRows);
    QCOMPARE(snap->counters.rejected, std::int64_t(0));
    QCOMPARE(qint64(m_window->tiles()->tile(TilesRow::Tile::Processed)->value()), dataRows);
    QCOMPARE(QApplication::activeModalWidget(), nullptr);
}

void TestMalformedOpen::checkStreamed(qint64 rows, qint64 accepted, qint64 filtered, qint64 rejected, qint64 groups,
                                      const QString &rejects, const QString &warning)
{
    std::map<QString, ExpectedReject> expected;
    QVERIFY2(parseRejects(rejects, &expected), qPrintable(rejects));

    DashboardController *dashboard = m_window->dashboard();
    QCOMPARE(dashboard->engine()->state(), es::StreamEngine::State::Finished);
    const es::SnapshotPtr snap = dashboard->latestSnapshot();
    QVERIFY(snap);
    QVERIFY(snap->final);
    QCOMPARE(QApplication::activeModalWidget(), nullptr);

    // What the window shows.
    TilesRow *tiles = m_window->tiles();
    QCOMPARE(qint64(tiles->tile(TilesRow::Tile::Processed)->value()), rows);
    QCOMPARE(qint64(tiles->tile(TilesRow::Tile::Rejected)->value()), rejected);
    QCOMPARE(qint64(m_window->tablePage()->model()->rowCount()), groups);

    // What the controller holds.
    QCOMPARE(snap->counters.rowsRead, rows);
    QCOMPARE(snap->counters.accepted, accepted);
    QCOMPARE(snap->counters.filteredOut, filtered);
    QCOMPARE(snap->counters.rejected, rejected);
    QCOMPARE(qint64(snap->groups.size()), groups);

    // Reject reasons: the counters and the Issues panel's table, one row per reason.
    QTableWidget *table = m_window->issuesPanel()->rejectTable();
    QCOMPARE(table->rowCount(), int(expected.size()));
    std::array<std::int64_t, es::kRejectReasonCount> want{};
    for (const auto &[key, e] : expected) {
        const std::optional<es::RejectReason> reason = reasonForKey(key);
        QVERIFY2(reason, qPrintable(QStringLiteral("unknown reason key ") + key));
        want[std::size_t(*reason)] = e.count;
        const QString text = es::rejectReasonText(*reason);
        int found = -1;
        for (int r = 0; r < table->rowCount(); ++r) {
            if (table->item(r, 0) && table->item(r, 0)->text() == text)
                found = r;
        }
        QVERIFY2(found >= 0, qPrintable(QStringLiteral("no row for \"%1\" (%2) in the Issues panel").arg(text, key)));
        QVERIFY(table->item(found, 1));
        QVERIFY2(displayedCount(table->item(found, 1)->text()) == e.count,
                 qPrintable(QStringLiteral("%1: panel shows %2, expected %3")
                                .arg(key, table->item(found, 1)->text())
                                .arg(e.count)));
        // The first line numbers, as far as the corpus gives them.
        QVERIFY(table->item(found, 2));
        const QStringList shown = table->item(found, 2)->text().split(QStringLiteral(", "));
        QVERIFY2(shown.size() >= e.lines.size(), qPrintable(table->item(found, 2)->text()));
        for (qsizetype i = 0; i < e.lines.size(); ++i)
            QVERIFY2(shown[i].toLongLong() == e.lines[i],
                     qPrintable(QStringLiteral("%1: lines shown \"%2\"").arg(key, table->item(found, 2)->text())));
    }
    for (int r = 0; r < es::kRejectReasonCount; ++r)
        QVERIFY2(snap->counters.rejectsByReason[std::size_t(r)] == want[std::size_t(r)],
                 qPrintable(QStringLiteral("%1: %2, expected %3")
                                .arg(es::rejectReasonKey(es::RejectReason(r)))
                                .arg(snap->counters.rejectsByReason[std::size_t(r)])
                                .arg(want[std::size_t(r)])));

    // No error: no error banner. A warning the CLI prints reaches the Issues log.
    MessageBanner *banner = m_window->banner();
    QVERIFY2(!(banner->isVisible() && banner->kind() == MessageBanner::Kind::Error), qPrintable(banner->text()));
    if (warning != u"-") {
        const QString log = m_window->issuesPanel()->logView()->toPlainText();
        QVERIFY2(log.contains(warning), qPrintable(QStringLiteral("\"%1\" not in the Issues log:\n%2").arg(warning, log)));
    }
}

void TestMalformedOpen::openThroughWindow()
{
    QFETCH(QString, input);
    QFETCH(QString, args);
    QFETCH(int, exitCode);
    QFETCH(qint64, rows);
    QFETCH(qint64, accepted);
    QFETCH(qint64, filtered);
    QFETCH(qint64, rejected);
    QFETCH(qint64, groups);
    QFETCH(QString, rejects);
    QFETCH(QString, message);

    if (args != u"-")
        QSKIP("command-line arguments (--map, --min-area) have no window equivalent in the open path");
    QString error;
    const QString path = prepareInput(input, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    if (path.isEmpty())
        QSKIP("generated big / binary / pipe / permission input: covered by the headless test only");

    QSignalSpy started(m_window->dashboard(), &DashboardController::streamStarting);
    m_window->openFile(path);

    if (exitCode == 1) {
        MessageBanner *banner = m_window->banner();
        const bool mappable = message.contains(QStringLiteral("missing required columns"));
        // Missing columns: the mapping dialog may be the outcome instead of an error.
        QTRY_VERIFY_WITH_TIMEOUT((banner->isVisible() && banner->kind() == MessageBanner::Kind::Error) ||
                                     (mappable && m_window->opener()->mappingDialog() &&
                                      m_window->opener()->mappingDialog()->isVisible()),
                                 kTimeoutMs);
        if (mappable && m_window->opener()->mappingDialog()) {
            qInfo("missing columns: the mapping dialog was shown; cancelling it");
            checkMappingDialogCancelled();
        } else {
            checkRejected(message);
            QCOMPARE(started.count(), 0); // nothing was streamed
        }
        return;
    }

    QTRY_VERIFY2_WITH_TIMEOUT(started.count() == 1, qPrintable(m_window->banner()->text()), kTimeoutMs);
    QCOMPARE(started.at(0).at(0).value<es::StreamConfig>().path, path);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->isIdle(), kTimeoutMs);
    checkStreamed(rows, accepted, filtered, rejected, groups, rejects, message);
}

QTEST_MAIN(TestMalformedOpen)
#include "tst_malformed_open.moc"
