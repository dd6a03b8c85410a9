#include "logging.h"

#include <QDir>
#include <QMutex>
#include <QStandardPaths>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

using namespace Qt::StringLiterals;

namespace es::logs {
namespace {

struct Registry {
    QMutex mutex;
    std::shared_ptr<spdlog::logger> stream;
    std::shared_ptr<spdlog::logger> dashboard;
};

Registry &registry()
{
    static Registry r;
    return r;
}

std::shared_ptr<spdlog::logger> makeLogger(const char *name, const QString &file, QString *warning)
{
    std::shared_ptr<spdlog::logger> logger;
    try {
        auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.toStdString(), false);
        logger = std::make_shared<spdlog::logger>(name, std::move(sink));
    } catch (const spdlog::spdlog_ex &e) {
        if (!warning->isEmpty())
            *warning += u"; "_qs;
        *warning += QStringLiteral("cannot open log file %1 (%2); logging to stderr").arg(file, QString::fromUtf8(e.what()));
        logger = std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::stderr_sink_mt>());
        logger->set_level(spdlog::level::warn);
        logger->set_pattern("%Y-%m-%d %H:%M:%S.%e [%n] [%l] %v");
        return logger;
    }
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e [%n] [%l] [t%t] %v");
    logger->set_level(spdlog::level::info);
    logger->flush_on(spdlog::level::warn);
    return logger;
}

std::shared_ptr<spdlog::logger> nullLogger(const char *name)
{
    auto l = std::make_shared<spdlog::logger>(name); // no sinks until init()
    return l;
}

void qtMessageHandler(QtMsgType type, const QMessageLogContext &, const QString &msg)
{
    auto l = dashboard();
    const std::string text = msg.toStdString();
    switch (type) {
    case QtDebugMsg: l->debug("qt: {}", text); break;
    case QtInfoMsg: l->info("qt: {}", text); break;
    case QtWarningMsg: l->warn("qt: {}", text); break;
    case QtCriticalMsg:
    case QtFatalMsg: l->error("qt: {}", text); break;
    }
}

} // namespace

QString defaultLogDirectory()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + u"/.estatestream"_qs;
    return dir;
}

QString init(const QString &directory)
{
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    const QString dir = directory.isEmpty() ? defaultLogDirectory() : directory;
    QString warning;
    if (!QDir().mkpath(dir))
        warning = QStringLiteral("cannot create log directory %1").arg(dir);
    if (r.stream)
        r.stream->flush();
    if (r.dashboard)
        r.dashboard->flush();
    r.stream = makeLogger("stream", QDir(dir).filePath(u"stream_processing.log"_qs), &warning);
    r.dashboard = makeLogger("dashboard", QDir(dir).filePath(u"dashboard.log"_qs), &warning);
    return warning;
}

std::shared_ptr<spdlog::logger> stream()
{
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    if (!r.stream)
        r.stream = nullLogger("stream");
    return r.stream;
}

std::shared_ptr<spdlog::logger> dashboard()
{
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    if (!r.dashboard)
        r.dashboard = nullLogger("dashboard");
    return r.dashboard;
}

void installQtMessageHandler()
{
    qInstallMessageHandler(qtMessageHandler);
}

void flush()
{
    stream()->flush();
    dashboard()->flush();
}

} // namespace es::logs
