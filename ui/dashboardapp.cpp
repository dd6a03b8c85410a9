#include "dashboardapp.h"

#include "appicon.h"
#include "dashboardcontroller.h"
#include "exportactions.h"
#include "fileopener.h"
#include "mainwindow.h"
#include "settings.h"
#include "streamcontrols.h"
#include "uilog.h"
#include "windowprobe.h"

#include "logging.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

namespace es::ui {

namespace {

struct Options {
    QString file;
    QString screenshot;
    QString logDir;
    QString measure; ///< --measure FILE: the window's performance report
    int filterChanges = WindowProbe::kDefaultFilterChanges;
    QString error;
};

Options parseArguments(const QStringList &arguments)
{
    Options o;
    for (int i = 0; i < arguments.size(); ++i) {
        const QString &a = arguments[i];
        if (a == u"--screenshot"_s || a == u"--log-dir"_s || a == u"--measure"_s ||
            a == u"--filter-changes"_s) {
            if (i + 1 >= arguments.size()) {
                o.error = QApplication::translate("es::ui", "%1 needs a value").arg(a);
                return o;
            }
            const QString &value = arguments[++i];
            if (a == u"--filter-changes"_s) {
                bool ok = false;
                o.filterChanges = value.toInt(&ok);
                if (!ok || o.filterChanges < 0) {
                    o.error = QApplication::translate("es::ui", "--filter-changes needs a count, not %1").arg(value);
                    return o;
                }
            } else {
                (a == u"--screenshot"_s ? o.screenshot : a == u"--measure"_s ? o.measure : o.logDir) = value;
            }
        } else if (a.startsWith(u"--"_s)) {
            o.error = QApplication::translate("es::ui", "unknown option %1").arg(a);
            return o;
        } else if (o.file.isEmpty()) {
            o.file = a;
        } else {
            o.error = QApplication::translate("es::ui", "more than one file given: %1").arg(a);
            return o;
        }
    }
    return o;
}

/// Screenshot mode: once the final filter result is on screen, render the
/// window at 1600x1000 and quit.
void scheduleScreenshot(MainWindow *window, const QString &out, int *exitCode)
{
    auto shoot = [window, out, exitCode] {
        // Let the layouts and the chart scenes settle at the final size first.
        QTimer::singleShot(250, window, [window, out, exitCode] {
            QString error;
            const bool ok = ExportActions::exportPng(window, out, &error);
            if (!ok)
                QTextStream(stderr) << "estatestream: cannot write " << out << ": " << error << '\n';
            const bool failed = window->dashboard()->engine()->state() == es::StreamEngine::State::Failed ||
                                !window->dashboard()->latestSnapshot();
            *exitCode = ok ? (failed ? 1 : 0) : 1;
            QApplication::quit();
        });
    };
    QObject::connect(window->dashboard(), &DashboardController::settled, window, shoot,
                     Qt::SingleShotConnection);
    // A file that cannot be opened never starts a stream: shoot the error state.
    QObject::connect(window->opener(), &FileOpener::failed, window, shoot, Qt::SingleShotConnection);
}

} // namespace

QString findSampleFile(const QString &buildPath, const QString &installPath)
{
    const QString appDir = QCoreApplication::applicationDirPath();
    const QStringList candidates = {
        QDir(appDir).filePath(u"../share/estatestream/sample_listings.csv"_s),
        installPath,
        buildPath,
    };
    for (const QString &c : candidates)
        if (!c.isEmpty() && QFileInfo(c).isFile())
            return QFileInfo(c).absoluteFilePath();
    return buildPath;
}

int runDashboard(QApplication &app, const QStringList &arguments, const QString &samplePath)
{
    const Options options = parseArguments(arguments);
    if (!options.error.isEmpty()) {
        QTextStream(stderr) << "estatestream: " << options.error << '\n'
                            << "usage: estatestream [FILE] [--screenshot OUT.png] [--log-dir DIR]\n"
                            << "       estatestream --measure FILE [--filter-changes N] (window performance report)\n"
                            << "       estatestream --headless FILE --export OUT.csv [options] (see --help)\n";
        return 2;
    }
    QApplication::setWindowIcon(appIcon());
    QApplication::setDesktopFileName(u"estatestream"_s);

    if (!options.measure.isEmpty() && (!options.screenshot.isEmpty() || !options.file.isEmpty())) {
        QTextStream(stderr) << "estatestream: --measure takes its file and cannot be combined with "
                               "--screenshot or another file\n";
        return 2;
    }
    // A screenshot or a measurement never reads nor changes the user's settings.
    const bool scratchSettings = !options.screenshot.isEmpty() || !options.measure.isEmpty();
    std::unique_ptr<QTemporaryDir> scratch;
    std::unique_ptr<Settings> settings;
    if (!scratchSettings) {
        settings = std::make_unique<Settings>();
    } else {
        scratch = std::make_unique<QTemporaryDir>();
        settings = std::make_unique<Settings>(scratch->filePath(u"settings.ini"_s));
    }
    const QString logDir = options.logDir.isEmpty() ? settings->value(setting::logDirectory) : options.logDir;
    const QString logInitWarning = es::logs::init(logDir);
    es::logs::installQtMessageHandler();
    logInfo(u"dashboard starting (%1)"_s.arg(QCoreApplication::applicationVersion()));

    MainWindow window(settings.get());
    if (!logInitWarning.isEmpty())
        logWarning(logInitWarning);

    int exitCode = 0;
    // With no file on the command line the bundled sample opens and starts.
    const QString file = options.file.isEmpty() ? samplePath : options.file;

    if (!options.screenshot.isEmpty()) {
        window.streamControls()->setRate(0); // as fast as possible
        window.resize(1600, 1000);
        scheduleScreenshot(&window, options.screenshot, &exitCode);
    }
    if (!options.measure.isEmpty()) {
        // Open as File > Open does, stream as fast as possible, measure, print, quit.
        window.resize(1600, 1000);
        window.show();
        QTextStream out(stdout);
        WindowProbe probe(&window, WindowProbe::Options{options.measure, options.filterChanges}, &out);
        QObject::connect(&probe, &WindowProbe::finished, &app, [&exitCode](int code) {
            exitCode = code;
            QApplication::quit();
        });
        QTimer::singleShot(0, &probe, &WindowProbe::start); // once the window is up
        app.exec();
        es::logs::flush();
        return exitCode;
    }
    window.show();
    window.openFile(file);
    const int rc = app.exec();
    es::logs::flush();
    return options.screenshot.isEmpty() ? rc : exitCode;
}

} // namespace es::ui
