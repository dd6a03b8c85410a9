// spdlog setup: one named logger per module, each writing its own file in the
// log directory; a file that cannot be opened falls back to stderr.
#pragma once

#include <QString>

#include <memory>

namespace spdlog { class logger; }

namespace es::logs {

/// Default log directory: QStandardPaths::AppDataLocation.
QString defaultLogDirectory();
/// (Re)creates the loggers in `directory` (empty = default). Returns a warning
/// text when a file could not be opened (logging then goes to stderr), else "".
QString init(const QString &directory);
/// "stream" -> stream_processing.log (core)
std::shared_ptr<spdlog::logger> stream();
/// "dashboard" -> dashboard.log (ui), also receives Qt's own messages when
/// installQtMessageHandler() was called.
std::shared_ptr<spdlog::logger> dashboard();
void installQtMessageHandler();
void flush();

} // namespace es::logs
