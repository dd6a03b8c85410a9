#include "headless.h"

#include "exporter.h"
#include "logging.h"
#include "streamengine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QTextStream>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>

#if defined(Q_OS_UNIX)
#include <csignal>
#include <fcntl.h>
#include <unistd.h>
#endif

#include <spdlog/spdlog.h>

#include <cmath>

namespace es::cli {
namespace {

#if defined(Q_OS_UNIX)
// SIGINT / SIGTERM while following: the handler only writes a byte to a pipe;
// the event loop reads it and ends the input (the classic self-pipe).
int g_signalPipe[2] = {-1, -1};

extern "C" void onEndSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &c, 1);
}

/// Calls `onSignal` in the event loop at the first SIGINT or SIGTERM; the next
/// one has its default effect. Returns null when the pipe cannot be made.
std::unique_ptr<QSocketNotifier> endInputOnSignal(QObject *context, std::function<void()> onSignal)
{
    if (g_signalPipe[0] < 0 && ::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return nullptr;
    struct sigaction sa = {};
    sa.sa_handler = onEndSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    auto notifier = std::make_unique<QSocketNotifier>(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(notifier.get(), &QSocketNotifier::activated, context, [onSignal = std::move(onSignal)] {
        char buf[16];
        while (::read(g_signalPipe[0], buf, sizeof buf) > 0) {
        }
        ::signal(SIGINT, SIG_DFL); // a second signal of either kind: default action
        ::signal(SIGTERM, SIG_DFL);
        onSignal();
    });
    return notifier;
}
#endif

struct Options {
    StreamConfig config;
    QString logDir;
};

bool parseNumberOption(const QCommandLineParser &p, const QString &name, double min, double *out, QString *error)
{
    if (!p.isSet(name))
        return true;
    bool ok = false;
    const double v = p.value(name).toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < min) {
        *error = QStringLiteral("--%1 needs a number >= %2, got \"%3\"").arg(name).arg(min).arg(p.value(name));
        return false;
    }
    *out = v;
    return true;
}

void addOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(QStringLiteral(
        "EstateStream: streams a real-estate listings CSV and aggregates it by District x Property type.\n"
        "Without --headless it opens the dashboard window (optionally on FILE)."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOption({QStringLiteral("headless"), QStringLiteral("Process FILE without a window."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("export"), QStringLiteral("Write the aggregates to OUT.csv (atomically)."),
                 QStringLiteral("OUT.csv")});
    p.addOption({QStringLiteral("map"),
                 QStringLiteral("Use column COL for ROLE (district, type, price, area); repeatable."),
                 QStringLiteral("ROLE=COL")});
    p.addOption({QStringLiteral("min-price"), QStringLiteral("Keep listings with price >= N (default 50000)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("min-area"), QStringLiteral("Keep listings with living area >= N (default 20)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("rate"), QStringLiteral("Listings per second; 0 = as fast as possible (default)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("batch"), QStringLiteral("Listings per batch in paced mode (default 1000)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("threads"), QStringLiteral("Parser threads (default: number of cores)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("export-every"),
                 QStringLiteral("Also rewrite the export every SECONDS while streaming."), QStringLiteral("SECONDS")});
    p.addOption({QStringLiteral("log-dir"), QStringLiteral("Directory for stream_processing.log."),
                 QStringLiteral("DIR")});
    p.addOption({QStringLiteral("delimiter"), QStringLiteral("Field delimiter: , ; tab | (default: detect)."),
                 QStringLiteral("C")});
    p.addOption({QStringLiteral("decimal"), QStringLiteral("Decimal separator: dot, comma or auto (default)."),
                 QStringLiteral("SEP")});
    p.addOption({QStringLiteral("encoding"),
                 QStringLiteral("Text encoding: utf-8, utf-16le, utf-16be, latin-1 (default: detect)."),
                 QStringLiteral("NAME")});
    p.addOption({QStringLiteral("follow"),
                 QStringLiteral("Keep reading as the file grows (like tail -f). Ctrl+C (SIGINT) or SIGTERM ends "
                                "the input: what was read is aggregated and exported, then the program exits "
                                "normally; a second signal exits at once.")});
    p.addOption({QStringLiteral("quiet"), QStringLiteral("Print only errors.")});
}

bool readOptions(const QCommandLineParser &p, Options *o, QString *error)
{
    StreamConfig &c = o->config;
    c.path = p.value(QStringLiteral("headless"));
    if (c.path.isEmpty()) {
        *error = QStringLiteral("--headless needs a FILE");
        return false;
    }
    c.exportPath = p.value(QStringLiteral("export"));
    for (const QString &m : p.values(QStringLiteral("map"))) {
        const qsizetype eq = m.indexOf(u'=');
        const QString role = m.left(eq).trimmed().toLower();
        const QString col = m.mid(eq + 1).trimmed();
        if (eq <= 0 || col.isEmpty()) {
            *error = QStringLiteral("--map needs ROLE=COLUMN, got \"%1\"").arg(m);
            return false;
        }
        bool known = false;
        for (int r = 0; r < kRoleCount; ++r)
            if (roleName(Role(r)) == role) {
                c.mapping[Role(r)] = col;
                known = true;
            }
        if (!known) {
            *error = QStringLiteral("--map: unknown role \"%1\" (use district, type, price or area)").arg(role);
            return false;
        }
    }
    double batch = c.batchSize, threads = 0, every = 0;
    if (!parseNumberOption(p, QStringLiteral("min-price"), -1e300, &c.minPrice, error) ||
        !parseNumberOption(p, QStringLiteral("min-area"), -1e300, &c.minArea, error) ||
        !parseNumberOption(p, QStringLiteral("rate"), 0, &c.rate, error) ||
        !parseNumberOption(p, QStringLiteral("batch"), 1, &batch, error) ||
        !parseNumberOption(p, QStringLiteral("threads"), 0, &threads, error) ||
        !parseNumberOption(p, QStringLiteral("export-every"), 0, &every, error))
        return false;
    if (batch > 1e8 || threads > 256) {
        *error = QStringLiteral("--batch or --threads is too large");
        return false;
    }
    c.batchSize = int(batch);
    c.threads = int(threads);
    c.exportEverySeconds = every;
    if (p.isSet(QStringLiteral("delimiter"))) {
        const QString d = p.value(QStringLiteral("delimiter"));
        if (d == u"tab" || d == u"\\t" || d == u"\t")
            c.csv.delimiter = '\t';
        else if (d.size() == 1 && QStringLiteral(",;|").contains(d))
            c.csv.delimiter = char(d.at(0).unicode());
        else {
            *error = QStringLiteral("--delimiter must be one of , ; tab |");
            return false;
        }
    }
    if (p.isSet(QStringLiteral("decimal"))) {
        const QString d = p.value(QStringLiteral("decimal")).toLower();
        if (d == u"dot")
            c.csv.decimal = DecimalMode::Dot;
        else if (d == u"comma")
            c.csv.decimal = DecimalMode::Comma;
        else if (d != u"auto") {
            *error = QStringLiteral("--decimal must be dot, comma or auto");
            return false;
        }
    }
    if (p.isSet(QStringLiteral("encoding"))) {
        const QString e = p.value(QStringLiteral("encoding")).toLower().remove(u'-');
        if (e == u"utf8")
            c.csv.encoding = TextEncoding::Utf8;
        else if (e == u"utf16le" || e == u"utf16")
            c.csv.encoding = TextEncoding::Utf16LE;
        else if (e == u"utf16be")
            c.csv.encoding = TextEncoding::Utf16BE;
        else if (e == u"latin1" || e == u"iso88591")
            c.csv.encoding = TextEncoding::Latin1;
        else {
            *error = QStringLiteral("--encoding must be utf-8, utf-16le, utf-16be or latin-1");
            return false;
        }
    }
    c.follow = p.isSet(QStringLiteral("follow"));
    o->logDir = p.value(QStringLiteral("log-dir"));
    return true;
}

void printSummary(QTextStream &out, const StreamConfig &cfg, const StreamSnapshot &s)
{
    const StreamCounters &c = s.counters;
    out << "file: " << cfg.path << '\n';
    for (const QString &n : s.format.notes)
        out << "note: " << n << '\n';
    out << "rows read: " << c.rowsRead << '\n';
    out << "accepted: " << c.accepted << '\n';
    out << "filtered: " << c.filteredOut << " (price < " << cfg.minPrice << " or area < " << cfg.minArea << ")\n";
    out << "rejected: " << c.rejected << '\n';
    for (int k = 0; k < kRejectReasonCount; ++k) {
        const auto n = c.rejectsByReason[std::size_t(k)];
        if (!n)
            continue;
        QStringList lines;
        for (auto l : s.rejectLines.lines[std::size_t(k)])
            lines << QString::number(l);
        out << "  " << rejectReasonKey(RejectReason(k)) << ": " << n << " (" << rejectReasonText(RejectReason(k))
                << "; first lines " << lines.join(u", ") << ")\n";
    }
    out << "groups: " << s.groups.size() << '\n';
    out << "elapsed: " << QString::number(s.elapsedSeconds, 'f', 3) << " s\n";
    out << "rows/s: " << QString::number(s.rowsPerSecond, 'f', 0) << '\n';
    out << "bytes: " << c.bytesRead << '\n';
}

} // namespace

bool wantsHeadless(const QStringList &arguments)
{
    for (const QString &a : arguments)
        if (a == u"--headless" || a.startsWith(u"--headless=") || a == u"--help" || a == u"-h" ||
            a == u"--version" || a == u"-v" || a == u"--help-all")
            return true;
    return false;
}

int runHeadless(const QStringList &arguments, QTextStream &out, QTextStream &err, bool endProcess)
{
    QCommandLineParser parser;
    addOptions(parser);
    QStringList args = arguments;
    args.prepend(QCoreApplication::applicationFilePath());
    if (!parser.parse(args)) {
        err << "estatestream: " << parser.errorText() << '\n';
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return ExitOk;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        out << "estatestream " << QCoreApplication::applicationVersion() << '\n';
        return ExitOk;
    }
    Options o;
    QString error;
    if (!readOptions(parser, &o, &error)) {
        err << "estatestream: " << error << '\n';
        return ExitUsage;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "estatestream: unexpected argument \"" << parser.positionalArguments().first() << "\"\n";
        return ExitUsage;
    }
    const QString warning = logs::init(o.logDir);
    if (!warning.isEmpty())
        err << "estatestream: warning: " << warning << '\n';
    const bool quiet = parser.isSet(QStringLiteral("quiet"));

    StreamEngine engine;
    QEventLoop loop;
    int code = ExitOk;
    bool exportFailed = false;
    QString exportError;
    QObject::connect(&engine, &StreamEngine::issue, &engine, [&](const Issue &i) {
        if (i.severity != Issue::Severity::Info && !quiet)
            err << "estatestream: " << (i.severity == Issue::Severity::Error ? "error: " : "warning: ") << i.message
                << '\n';
        err.flush();
    });
    QObject::connect(&engine, &StreamEngine::exported, &engine, [&](const QString &, bool ok, const QString &msg) {
        exportFailed = !ok;
        if (!ok)
            exportError = msg;
    });
    QObject::connect(&engine, &StreamEngine::failed, &engine, [&](const QString &reason) {
        err << "estatestream: error: " << reason << '\n';
        code = ExitInputError;
        loop.quit();
    });
    QObject::connect(&engine, &StreamEngine::finished, &engine, [&](const SnapshotPtr &fin) {
        if (fin && !quiet)
            printSummary(out, o.config, *fin);
        if (!o.config.exportPath.isEmpty()) {
            if (exportFailed) {
                err << "estatestream: error: " << exportError << '\n';
                code = ExitExportError;
            } else if (!quiet) {
                out << "export: " << o.config.exportPath << " (" << (fin ? fin->groups.size() : 0) << " groups)\n";
            }
        }
        loop.quit();
    });
#if defined(Q_OS_UNIX)
    std::unique_ptr<QSocketNotifier> signalWatch;
    if (o.config.follow)
        signalWatch = endInputOnSignal(&engine, [&engine] {
            logs::stream()->info("signal received: ending the input, aggregating what was read");
            engine.finish();
        });
#endif
    engine.start(o.config);
    loop.exec();
    out.flush();
    err.flush();
    logs::flush();
    if (endProcess) {
        std::fflush(nullptr);
        std::_Exit(code); // the export is committed and every stream flushed: nothing is lost
    }
    return code;
}

} // namespace es::cli
