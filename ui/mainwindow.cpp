#include "mainwindow.h"

#include "appicon.h"
#include "autoexportdialog.h"
#include "chartpages.h"
#include "dashboardcontroller.h"
#include "exportactions.h"
#include "fileopener.h"
#include "filtercontroller.h"
#include "filterpanel.h"
#include "issuespanel.h"
#include "messagebanner.h"
#include "settings.h"
#include "streamcontrols.h"
#include "streamstatusbar.h"
#include "tablepage.h"
#include "tilesrow.h"
#include "uilog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace es::ui {

MainWindow::MainWindow(Settings *settings, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_filters(new FilterController(this))
    , m_dashboard(new DashboardController(m_filters, this))
    , m_opener(new FileOpener(settings, this))
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("EstateStream"));
    setWindowIcon(appIcon());
    setAcceptDrops(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    buildCentral();
    buildDocks();
    m_controls = new StreamControls(m_dashboard, m_settings, this);
    m_status = new StreamStatusBar(m_dashboard, statusBar());
    m_exports = new ExportActions(m_dashboard, m_charts, m_settings, this);
    buildMenus();
    connectSignals();

    resize(1440, 900);
    restoreGeometry(m_settings->value(setting::windowGeometry));
    m_restoredState = restoreState(m_settings->value(setting::windowState));
    m_filters->setState(m_settings->filters());
    m_filters->flush();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildCentral()
{
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 8, 8, 4);
    layout->setSpacing(8);
    m_banner = new MessageBanner(central);
    m_tiles = new TilesRow(central);
    m_tabs = new QTabWidget(central);
    m_tabs->setObjectName(u"dashboardTabs"_s);
    m_tabs->setDocumentMode(true);
    m_charts = new ChartPages(m_tabs);
    m_table = new TablePage(m_tabs);
    m_tabs->addTab(m_charts->marketPage(), tr("Market"));
    m_tabs->setTabToolTip(0, tr("Prices, price per m² and listings by district"));
    m_tabs->addTab(m_charts->distributionPage(), tr("Distributions"));
    m_tabs->setTabToolTip(1, tr("Histograms, box plot and scatter of the filtered listings"));
    m_tabs->addTab(m_table, tr("Aggregates"));
    m_tabs->setTabToolTip(2, tr("The District × Property type table (sortable)"));
    layout->addWidget(m_banner);
    layout->addWidget(m_tiles);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
}

void MainWindow::buildDocks()
{
    m_filterPanel = new FilterPanel(m_filters, this);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_filterPanel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_filterDock = new QDockWidget(tr("Filters"), this);
    m_filterDock->setObjectName(u"filtersDock"_s);
    m_filterDock->setWidget(scroll);
    m_filterDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    m_filterDock->setMinimumWidth(290);
    m_filterDock->setToolTip(tr("Filters apply to listings: every tile, chart and the table follow them"));
    addDockWidget(Qt::LeftDockWidgetArea, m_filterDock);

    m_issues = new IssuesPanel(this);
    m_issuesDock = new QDockWidget(tr("Issues"), this);
    m_issuesDock->setObjectName(u"issuesDock"_s);
    m_issuesDock->setWidget(m_issues);
    m_issuesDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable |
                              QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, m_issuesDock);
    splitDockWidget(m_filterDock, m_issuesDock, Qt::Vertical);
}

void MainWindow::buildMenus()
{
    m_openAction = new QAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setToolTip(tr("Open a listings CSV file (Ctrl+O)"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::chooseFile);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setToolTipsVisible(true);
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setToolTipsVisible(true);
    file->addSeparator();
    file->addAction(m_exports->exportAggregatesAction());
    file->addAction(m_exports->exportFilteredAction());
    file->addMenu(m_exports->chartMenu());
    file->addAction(m_exports->exportDashboardAction());
    m_autoExportAction = file->addAction(tr("A&uto-export aggregates…"), this, &MainWindow::editAutoExport);
    m_autoExportAction->setToolTip(tr("Write the aggregates CSV automatically while a file streams"));
    m_autoExportAction->setCheckable(true);
    m_autoExportAction->setChecked(!m_settings->value(setting::autoExportPath).isEmpty());
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    rebuildRecentMenu();

    QMenu *stream = menuBar()->addMenu(tr("&Stream"));
    stream->addAction(m_controls->togglePlayAction());
    stream->addSeparator();
    stream->addAction(m_controls->startAction());
    stream->addAction(m_controls->pauseAction());
    stream->addAction(m_controls->stepAction());
    stream->addAction(m_controls->stopAction());
    stream->addAction(m_controls->restartAction());

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *reset = view->addAction(tr("&Reset filters"), m_filters, &FilterController::reset);
    reset->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    view->addSeparator();
    view->addAction(m_filterDock->toggleViewAction());
    view->addAction(m_issuesDock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About EstateStream"), this, [this] {
        QMessageBox::about(this, tr("About EstateStream"),
                           tr("<b>EstateStream %1</b><p>A live dashboard over real-estate listings: "
                              "stream a CSV file, filter it, and export District × Property type aggregates.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });

    auto *toolBar = addToolBar(tr("Stream"));
    toolBar->setObjectName(u"streamToolBar"_s);
    toolBar->setMovable(false);
    toolBar->setFloatable(false);
    toolBar->toggleViewAction()->setEnabled(false); // the state label stays visible
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(m_openAction);
    toolBar->addSeparator();
    m_controls->addTo(toolBar);
    addAction(m_controls->togglePlayAction()); // shortcut active everywhere in the window
}

void MainWindow::connectSignals()
{
    connect(m_dashboard, &DashboardController::resultApplied, this, [this](const es::FilterResultPtr &r) {
        m_tiles->applyResult(*r);
        m_charts->apply(r, !m_dashboard->hasEnded()); // one chart per turn while streaming
        m_table->apply(*r);
        m_filterPanel->applyResult(*r);
    });
    connect(m_dashboard, &DashboardController::snapshotApplied, this, [this](const es::SnapshotPtr &s) {
        m_tiles->applySnapshot(*s);
        m_issues->applySnapshot(*s);
    });
    connect(m_dashboard, &DashboardController::streamStarting, this, [this](const es::StreamConfig &config) {
        m_tiles->clear();
        m_filterPanel->clearData();
        m_issues->clearRejects();
        m_banner->dismiss();
        setWindowTitle(tr("%1 — EstateStream").arg(QFileInfo(config.path).fileName()));
    });
    es::StreamEngine *engine = m_dashboard->engine();
    connect(engine, &es::StreamEngine::issue, m_issues, &IssuesPanel::addIssue);
    connect(engine, &es::StreamEngine::started, this, [this](const es::FormatInfo &format) {
        for (const QString &note : format.notes)
            m_issues->addMessage(es::Issue::Severity::Info, note);
    });
    connect(engine, &es::StreamEngine::failed, this,
            [this](const QString &reason) { onStreamFailed(m_dashboard->config().path, reason); });
    connect(engine, &es::StreamEngine::finished, this, [this](const es::SnapshotPtr &s) {
        if (!s)
            return;
        const auto &c = s->counters;
        m_issues->addMessage(es::Issue::Severity::Info,
                             tr("finished: %1 rows read, %2 accepted, %3 below minimum, %4 rejected in %5 s")
                                 .arg(c.rowsRead)
                                 .arg(c.accepted)
                                 .arg(c.filteredOut)
                                 .arg(c.rejected)
                                 .arg(s->elapsedSeconds, 0, 'f', 2));
        if (c.rowsRead > 0 && c.accepted == 0)
            m_banner->showMessage(MessageBanner::Kind::Warning,
                                  tr("No listing of this file could be used: see the Issues panel for why."));
    });
    connect(engine, &es::StreamEngine::exported, this, [this](const QString &path, bool ok, const QString &message) {
        if (ok) {
            statusBar()->showMessage(tr("Aggregates written to %1").arg(QFileInfo(path).fileName()), 4000);
            return;
        }
        m_banner->showMessage(MessageBanner::Kind::Warning,
                              tr("The aggregates could not be written to %1: %2. The stream goes on; the next "
                                 "export tries again.")
                                  .arg(QFileInfo(path).fileName(), message));
    });
    connect(engine, &es::StreamEngine::cancelled, this,
            [this] { m_issues->addMessage(es::Issue::Severity::Info, tr("stream cancelled")); });
    connect(m_issues, &IssuesPanel::rejectCountChanged, this, [this](std::int64_t n) {
        m_issuesDock->setWindowTitle(n > 0 ? tr("Issues (%1 rejected)").arg(n) : tr("Issues"));
    });

    connect(m_opener, &FileOpener::ready, this, [this](const es::StreamConfig &config) {
        m_settings->setValue(setting::lastFile, QFileInfo(config.path).absoluteFilePath());
        m_settings->addRecentFile(config.path);
        rebuildRecentMenu();
        m_dashboard->start(config);
    });
    connect(m_opener, &FileOpener::failed, this, &MainWindow::onStreamFailed);
    connect(m_opener, &FileOpener::cancelled, this, [this](const QString &path) {
        m_banner->showMessage(MessageBanner::Kind::Info,
                              tr("%1 was not opened: no columns were chosen.").arg(QFileInfo(path).fileName()));
    });
    connect(m_controls, &StreamControls::openRequested, this, &MainWindow::chooseFile);
    connect(m_exports, &ExportActions::exportFinished, this, [this](const QString &path, bool ok, const QString &e) {
        m_issues->addMessage(ok ? es::Issue::Severity::Info : es::Issue::Severity::Error,
                             ok ? tr("exported %1").arg(path) : tr("export to %1 failed: %2").arg(path, e));
    });
    connect(m_filters, &FilterController::filterChanged, this,
            [this](const es::FilterState &state) { m_settings->setFilters(state); });
}

void MainWindow::editAutoExport()
{
    AutoExportDialog dialog(m_settings, this);
    if (dialog.exec() == QDialog::Accepted) {
        const QString path = m_settings->value(setting::autoExportPath);
        m_dashboard->setAutoExport(path, m_settings->value(setting::autoExportSeconds));
        logInfo(path.isEmpty() ? tr("auto-export off")
                               : tr("auto-export to %1 every %2 s").arg(path).arg(m_settings->value(setting::autoExportSeconds)));
    }
    m_autoExportAction->setChecked(!m_settings->value(setting::autoExportPath).isEmpty());
}

void MainWindow::openFile(const QString &path)
{
    es::StreamConfig base;
    base.rate = m_controls->rate();
    base.batchSize = m_controls->batchSize();
    base.exportPath = m_settings->value(setting::autoExportPath);
    base.exportEverySeconds = base.exportPath.isEmpty() ? 0 : m_settings->value(setting::autoExportSeconds);
    m_banner->dismiss();
    m_opener->open(path, base);
}

void MainWindow::chooseFile()
{
    const QString last = m_settings->value(setting::lastFile);
    const QString path = QFileDialog::getOpenFileName(this, tr("Open listings"),
                                                      last.isEmpty() ? QString() : QFileInfo(last).absolutePath(),
                                                      tr("CSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = m_settings->recentFiles();
    for (int i = 0; i < files.size(); ++i) {
        const QString &path = files[i];
        QAction *a = m_recentMenu->addAction(u"&%1  %2"_s.arg(i + 1 < 10 ? QString::number(i + 1) : u"0"_s,
                                                                QFileInfo(path).fileName()));
        a->setToolTip(path);
        connect(a, &QAction::triggered, this, [this, path] { openFile(path); });
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

void MainWindow::onStreamFailed(const QString &path, const QString &reason)
{
    const QString name = QFileInfo(path).fileName().isEmpty() ? path : QFileInfo(path).fileName();
    m_banner->showMessage(MessageBanner::Kind::Error, tr("Cannot read %1: %2").arg(name, reason));
    m_issues->addMessage(es::Issue::Severity::Error, tr("cannot read %1: %2").arg(path, reason));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings->setValue(setting::windowGeometry, saveGeometry());
    m_settings->setValue(setting::windowState, saveState());
    m_settings->sync();
    logInfo(tr("window closed"));
    QMainWindow::closeEvent(event);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_shownOnce || m_restoredState)
        return;
    m_shownOnce = true;
    // First run: the filters take what they need, the issues panel the rest.
    const int filters = m_filterPanel->sizeHint().height() + 110;
    resizeDocks({m_filterDock, m_issuesDock}, {filters, std::max(160, height() - filters)}, Qt::Vertical);
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_applyingTheme) {
        m_applyingTheme = true;
        m_charts->updateTheme();
        m_applyingTheme = false;
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile()) {
        event->acceptProposedAction();
        openFile(urls.first().toLocalFile());
    }
}

} // namespace es::ui
