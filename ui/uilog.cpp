#include "uilog.h"

#include "logging.h"

#include <spdlog/logger.h>

namespace es::ui {

namespace {

void write(spdlog::level::level_enum level, const QString &message)
{
    if (auto logger = es::logs::dashboard())
        logger->log(level, "{}", message.toStdString());
}

} // namespace

void logInfo(const QString &message) { write(spdlog::level::info, message); }
void logWarning(const QString &message) { write(spdlog::level::warn, message); }
void logError(const QString &message) { write(spdlog::level::err, message); }

} // namespace es::ui
