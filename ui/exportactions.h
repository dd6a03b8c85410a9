// File → Export: aggregates CSV (same format as the headless export), the
// filtered view, a chart or the whole dashboard as PNG. CSV files are built
// and written off the UI thread; a failed user export shows a message box.
#pragma once

#include <QObject>
#include <QString>

class QAction;
class QMenu;
class QWidget;

namespace es::ui {

class ChartPages;
class DashboardController;
class Settings;

class ExportActions : public QObject {
    Q_OBJECT
public:
    enum class Scope : std::uint8_t { AllListings, FilteredView };

    ExportActions(DashboardController *dashboard, ChartPages *charts, Settings *settings, QWidget *window);

    QAction *exportAggregatesAction() const { return m_exportAll; }
    QAction *exportFilteredAction() const { return m_exportFiltered; }
    QAction *exportDashboardAction() const { return m_exportDashboard; }
    /// Submenu with one "Export chart as PNG" entry per chart.
    QMenu *chartMenu() const { return m_chartMenu; }

    /// Writes the aggregates CSV to `path` in the background; emits exportFinished().
    /// Returns false (and sets `error`) when there is nothing to export yet.
    bool exportAggregates(const QString &path, Scope scope, QString *error = nullptr);
    /// Saves `widget` rendered as PNG (synchronous; painting is UI work).
    static bool exportPng(QWidget *widget, const QString &path, QString *error);

Q_SIGNALS:
    void exportFinished(const QString &path, bool ok, const QString &error);

private:
    void chooseAndExport(Scope scope);
    void chooseAndExportPng(QWidget *widget, const QString &suggestedName);
    QString suggestedPath(const QString &fileName) const;
    void reportFailure(const QString &what, const QString &error);

    DashboardController *m_dashboard;
    ChartPages *m_charts;
    Settings *m_settings;
    QWidget *m_window;
    QAction *m_exportAll;
    QAction *m_exportFiltered;
    QAction *m_exportDashboard;
    QMenu *m_chartMenu;
};

} // namespace es::ui
