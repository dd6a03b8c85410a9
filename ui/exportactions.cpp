#include "exportactions.h"

#include "chartadapter.h"
#include "chartpages.h"
#include "dashboardcontroller.h"
#include "settings.h"
#include "uilog.h"

#include "exporter.h"

#include <QAction>
#include <QChartView>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QImageWriter>
#include <QKeySequence>
#include <QMenu>
#include <QMessageBox>
#include <QPixmap>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace es::ui {

namespace {

struct ExportJob {
    bool ok = false;
    QString error;
};

QString fileNameFor(const QString &title)
{
    QString name = title.toLower();
    for (QChar &c : name)
        if (!c.isLetterOrNumber())
            c = u'_';
    while (name.contains(u"__"_s))
        name.replace(u"__"_s, u"_"_s);
    return name + u".png"_s;
}

} // namespace

ExportActions::ExportActions(DashboardController *dashboard, ChartPages *charts, Settings *settings, QWidget *window)
    : QObject(window)
    , m_dashboard(dashboard)
    , m_charts(charts)
    , m_settings(settings)
    , m_window(window)
    , m_exportAll(new QAction(tr("&Export aggregates…"), window))
    , m_exportFiltered(new QAction(tr("Export &filtered view…"), window))
    , m_exportDashboard(new QAction(tr("Export &dashboard as PNG…"), window))
    , m_chartMenu(new QMenu(tr("Export &chart as PNG"), window))
{
    m_exportAll->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAll->setToolTip(tr("Save the District × Property type aggregates of every accepted listing as CSV "
                               "(same format as the headless export) (Ctrl+E)"));
    m_exportFiltered->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_exportFiltered->setToolTip(tr("Save the aggregates of the listings that match the current filters as CSV"));
    m_exportDashboard->setToolTip(tr("Save the whole window as a PNG image"));
    m_chartMenu->setToolTip(tr("Save one chart as a PNG image"));
    m_chartMenu->setToolTipsVisible(true);
    for (ChartAdapter *chart : m_charts->charts()) {
        QAction *a = m_chartMenu->addAction(chart->title());
        a->setToolTip(tr("Save \"%1\" as a PNG image").arg(chart->title()));
        connect(a, &QAction::triggered, this,
                [this, chart] {
                    m_charts->applyPending(); // a chart on a hidden tab may be behind
                    chooseAndExportPng(chart->view(), fileNameFor(chart->title()));
                });
    }
    connect(m_exportAll, &QAction::triggered, this, [this] { chooseAndExport(Scope::AllListings); });
    connect(m_exportFiltered, &QAction::triggered, this, [this] { chooseAndExport(Scope::FilteredView); });
    connect(m_exportDashboard, &QAction::triggered, this,
            [this] { chooseAndExportPng(m_window, u"estatestream_dashboard.png"_s); });
}

QString ExportActions::suggestedPath(const QString &fileName) const
{
    QString dir = QFileInfo(m_settings->value(setting::lastFile)).absolutePath();
    if (m_settings->value(setting::lastFile).isEmpty() || !QFileInfo(dir).isWritable())
        dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QDir(dir).filePath(fileName);
}

bool ExportActions::exportAggregates(const QString &path, Scope scope, QString *error)
{
    std::vector<GroupRow> groups;
    if (scope == Scope::FilteredView) {
        const es::FilterResultPtr result = m_dashboard->latestResult();
        if (!result) {
            if (error)
                *error = tr("There is no filtered view to export yet.");
            return false;
        }
        groups = result->groups;
    } else {
        const es::SnapshotPtr snap = m_dashboard->latestSnapshot();
        if (!snap) {
            if (error)
                *error = tr("There is no data to export yet: open a file first.");
            return false;
        }
        groups = snap->groups;
    }
    // Medians are exact only at the end of a stream: for an export in the
    // middle of one, compute them from the listings received so far (on the worker).
    const es::SnapshotPtr snap = m_dashboard->latestSnapshot();
    const bool needMedians = scope == Scope::AllListings && snap && !snap->final && snap->store;
    auto *watcher = new QFutureWatcher<ExportJob>(this);
    connect(watcher, &QFutureWatcher<ExportJob>::finished, this, [this, watcher, path] {
        const ExportJob job = watcher->result();
        watcher->deleteLater();
        if (job.ok)
            logInfo(tr("exported aggregates to %1").arg(path));
        else
            logError(tr("export to %1 failed: %2").arg(path, job.error));
        Q_EMIT exportFinished(path, job.ok, job.error);
    });
    watcher->setFuture(QtConcurrent::run([groups = std::move(groups), path, needMedians, snap]() mutable {
        if (needMedians) {
            es::GroupRow totals = snap->totals;
            es::computeMedians(*snap->store, groups, totals);
        }
        ExportJob job;
        job.ok = es::exportAggregates(path, groups, &job.error);
        return job;
    }));
    return true;
}

bool ExportActions::exportPng(QWidget *widget, const QString &path, QString *error)
{
    const QPixmap pixmap = widget->grab();
    QImageWriter writer(path, "png");
    if (pixmap.isNull() || !writer.write(pixmap.toImage())) {
        if (error)
            *error = writer.errorString();
        logError(tr("PNG export to %1 failed: %2").arg(path, writer.errorString()));
        return false;
    }
    logInfo(tr("exported PNG %1").arg(path));
    return true;
}

void ExportActions::reportFailure(const QString &what, const QString &error)
{
    // A failed user action: this is the one place where a dialog is right.
    QMessageBox::warning(m_window, tr("Export failed"), tr("%1\n\n%2").arg(what, error));
}

void ExportActions::chooseAndExport(Scope scope)
{
    const QString name = scope == Scope::AllListings ? u"aggregated_results.csv"_s : u"filtered_aggregates.csv"_s;
    const QString path = QFileDialog::getSaveFileName(m_window,
                                                      scope == Scope::AllListings ? tr("Export aggregates")
                                                                                  : tr("Export filtered view"),
                                                      suggestedPath(name), tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(this, &ExportActions::exportFinished, this,
                          [this, connection, path](const QString &donePath, bool ok, const QString &err) {
                              if (donePath != path)
                                  return;
                              disconnect(*connection);
                              if (!ok)
                                  reportFailure(tr("Could not write %1.").arg(path), err);
                          });
    if (!exportAggregates(path, scope, &error)) {
        disconnect(*connection);
        reportFailure(tr("Nothing was exported."), error);
    }
}

void ExportActions::chooseAndExportPng(QWidget *widget, const QString &suggestedName)
{
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export as PNG"), suggestedPath(suggestedName),
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportPng(widget, path, &error))
        reportFailure(tr("Could not write %1.").arg(path), error);
}

} // namespace es::ui
