// Entry point of the window, called by app/main.cpp with a QApplication.
#pragma once

#include <QString>
#include <QStringList>

class QApplication;

namespace es::ui {

/// The bundled sample: next to the executable's install prefix, else the source tree's data/.
QString findSampleFile(const QString &buildPath, const QString &installPath);

/// Runs the dashboard. `arguments` (without program name) may hold a FILE to open,
/// `--screenshot OUT.png [FILE]` (ingest to the end, save a 1600x1000 PNG of the window,
/// exit), `--measure FILE [--filter-changes N]` (open FILE, stream it, print the window's
/// performance report on stdout, exit; see WindowProbe), `--log-dir DIR`. With no file, `samplePath` is opened. Returns the exit code.
int runDashboard(QApplication &app, const QStringList &arguments, const QString &samplePath);

} // namespace es::ui
