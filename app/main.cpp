// Thin entry point: headless command line or the dashboard window.
#include "dashboardapp.h"
#include "headless.h"

#include <QApplication>
#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    QCoreApplication::setOrganizationName(QStringLiteral("EstateStream"));
    QCoreApplication::setApplicationName(QStringLiteral("estatestream"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ES_VERSION));

    if (es::cli::wantsHeadless(args)) {
        QCoreApplication app(argc, argv);
        QTextStream out(stdout);
        QTextStream err(stderr);
        return es::cli::runHeadless(args, out, err, /*endProcess=*/true);
    }
    QApplication app(argc, argv);
    return es::ui::runDashboard(app, args, es::ui::findSampleFile(QStringLiteral(ES_SAMPLE_BUILD_PATH),
                                                                  QStringLiteral(ES_SAMPLE_INSTALL_PATH)));
}
