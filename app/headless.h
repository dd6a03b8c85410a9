// The headless command line: `estatestream --headless FILE --export OUT.csv`.
// Links es_core only.
#pragma once

#include <QStringList>

class QTextStream;

namespace es::cli {

/// Process exit codes of the command line.
enum ExitCode : int {
    ExitOk = 0,
    ExitInputError = 1,  ///< file missing/unreadable/not CSV, required columns missing
    ExitUsage = 2,       ///< bad options
    ExitExportError = 3, ///< the export could not be written
};

/// True when `arguments` (without the program name) ask for a non-GUI mode:
/// --headless, --help, --version.
bool wantsHeadless(const QStringList &arguments);

/// Runs the headless mode inside an existing QCoreApplication and returns the
/// exit code. The summary goes to `out`, one-line errors to `err`. With
/// `endProcess`, the process ends right after everything is written and flushed
/// (std::_Exit), without freeing the listings: at 10M listings that teardown
/// alone takes about 20 ms.
int runHeadless(const QStringList &arguments, QTextStream &out, QTextStream &err, bool endProcess = false);

} // namespace es::cli
