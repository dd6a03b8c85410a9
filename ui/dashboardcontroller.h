// Wires the stream engine to the filtered view. Keeps the latest snapshot,
// asks the FilterRunner for a recomputation at most ~10 times a second while
// streaming (leading edge + cooldown timer; new data waits for a running
// recomputation instead of replacing it) and at once when the filter
// changes, and hands every result to the views. No computation happens here:
// the engine and the runner work on thread pools; this only routes pointers.
#pragma once

#include "filterengine.h"
#include "snapshot.h"
#include "streamengine.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace es::ui {

class FilterController;

class DashboardController : public QObject {
    Q_OBJECT
public:
    static constexpr int kRefreshIntervalMs = 100;

    explicit DashboardController(FilterController *filters, QObject *parent = nullptr);
    ~DashboardController() override;

    es::StreamEngine *engine() const { return m_engine; }
    es::FilterRunner *runner() const { return m_runner; }

    /// Starts streaming `config` (stops a previous run first).
    void start(const es::StreamConfig &config);
    /// Starts the last configuration again from the beginning.
    void restart();
    bool hasConfig() const { return !m_config.path.isEmpty(); }
    const es::StreamConfig &config() const { return m_config; }
    void setRate(double listingsPerSecond);
    /// Where the engine writes the aggregates periodically (empty: nowhere) from
    /// the next start or restart on.
    void setAutoExport(const QString &path, double everySeconds);
    void setBatchSize(int listings);

    es::SnapshotPtr latestSnapshot() const { return m_latest; }
    es::FilterResultPtr latestResult() const { return m_result; }
    /// The run has ended (finished, cancelled or failed).
    bool hasEnded() const { return m_ended; }
    /// The run has ended, no filter change is pending and the views show the
    /// result of the latest request.
    bool isIdle() const;

Q_SIGNALS:
    void streamStarting(const es::StreamConfig &config);
    /// Throttled (<= ~10/s): the snapshot the stream views should show.
    void snapshotApplied(const es::SnapshotPtr &snapshot);
    /// A filter result to show in tiles, charts and the table.
    void resultApplied(const es::FilterResultPtr &result);
    /// The result for the last snapshot of an ended run has been applied.
    void settled();

private:
    void onSnapshot(const es::SnapshotPtr &snapshot);
    void onRunEnded(const es::SnapshotPtr &last);
    void onRefreshTimer();
    void onFilterChanged();
    void onResult(const es::FilterResultPtr &result);
    void refreshNow();
    void requestFilter();

    FilterController *m_filters;
    es::StreamEngine *m_engine;
    es::FilterRunner *m_runner;
    QTimer m_refresh;
    es::StreamConfig m_config;
    es::SnapshotPtr m_latest;
    es::FilterResultPtr m_result;
    bool m_dirty = false;
    bool m_deferred = false; ///< new data arrived while the runner was busy
    bool m_ended = true;
    bool m_settledEmitted = false;
    quint64 m_lastRequest = 0;
    quint64 m_lastApplied = 0;
    quint64 m_finalRequest = 0;
    // Measurements written to dashboard.log.
    QElapsedTimer m_runClock;        ///< since start()
    QElapsedTimer m_filterClock;     ///< since the last filter change
    bool m_firstResultLogged = false;
    bool m_filterPending = false;
    int m_refreshes = 0;             ///< results applied during the run
};


} // namespace es::ui
