// UI events and errors go to the "dashboard" logger (dashboard.log).
#pragma once

#include <QString>

namespace es::ui {

void logInfo(const QString &message);
void logWarning(const QString &message);
void logError(const QString &message);

} // namespace es::ui
