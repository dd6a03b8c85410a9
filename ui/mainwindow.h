// The dashboard window: composes the panels, menus and controllers. It holds
// no logic of its own beyond routing signals between them.
#pragma once

#include <QMainWindow>

class QDockWidget;
class QMenu;
class QTabWidget;

namespace es::ui {

class ChartPages;
class DashboardController;
class ExportActions;
class FileOpener;
class FilterController;
class FilterPanel;
class IssuesPanel;
class MessageBanner;
class Settings;
class StreamControls;
class StreamStatusBar;
class TablePage;
class TilesRow;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Settings *settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens `path` (format detection, mapping dialog if needed) and starts streaming it.
    void openFile(const QString &path);

    Settings *settings() const { return m_settings; }
    FilterController *filters() const { return m_filters; }
    DashboardController *dashboard() const { return m_dashboard; }
    FileOpener *opener() const { return m_opener; }
    StreamControls *streamControls() const { return m_controls; }
    ExportActions *exports() const { return m_exports; }
    FilterPanel *filterPanel() const { return m_filterPanel; }
    TilesRow *tiles() const { return m_tiles; }
    ChartPages *charts() const { return m_charts; }
    TablePage *tablePage() const { return m_table; }
    IssuesPanel *issuesPanel() const { return m_issues; }
    MessageBanner *banner() const { return m_banner; }
    QTabWidget *tabs() const { return m_tabs; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildCentral();
    void buildDocks();
    void buildMenus();
    void connectSignals();
    void chooseFile();
    void editAutoExport();
    void rebuildRecentMenu();
    void onStreamFailed(const QString &path, const QString &reason);

    Settings *m_settings;
    FilterController *m_filters;
    DashboardController *m_dashboard;
    FileOpener *m_opener;
    MessageBanner *m_banner = nullptr;
    TilesRow *m_tiles = nullptr;
    QTabWidget *m_tabs = nullptr;
    ChartPages *m_charts = nullptr;
    TablePage *m_table = nullptr;
    FilterPanel *m_filterPanel = nullptr;
    IssuesPanel *m_issues = nullptr;
    QDockWidget *m_filterDock = nullptr;
    QDockWidget *m_issuesDock = nullptr;
    StreamControls *m_controls = nullptr;
    StreamStatusBar *m_status = nullptr;
    ExportActions *m_exports = nullptr;
    QMenu *m_recentMenu = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_autoExportAction = nullptr;
    bool m_applyingTheme = false;
    bool m_restoredState = false;
    bool m_shownOnce = false;
};

} // namespace es::ui
