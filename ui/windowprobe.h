// Measurement harness of the window (`estatestream --measure FILE`): opens a
// file in the real MainWindow as File > Open does, streams it as fast as
// possible and measures what the user feels: time to the first filled chart,
// refreshes per second, the UI thread's longest stall (a 5 ms timer probe),
// then the latency of filter changes driven through the filter widgets.
// Prints one "name: value unit" line per measure.
#pragma once

#include "filterengine.h"
#include "snapshot.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <vector>

class QTextStream;

namespace es::ui {

class MainWindow;

class WindowProbe : public QObject {
    Q_OBJECT
public:
    static constexpr int kProbeIntervalMs = 5;
    static constexpr int kDefaultFilterChanges = 20;

    struct Options {
        QString file;
        int filterChanges = kDefaultFilterChanges;
        int timeoutSeconds = 900; ///< the whole measurement gives up after this
    };

    /// `out` receives the report; it must outlive the probe.
    WindowProbe(MainWindow *window, Options options, QTextStream *out, QObject *parent = nullptr);

    /// Opens the file (rate: as fast as possible) and starts measuring.
    void start();

Q_SIGNALS:
    /// The report has been printed; `exitCode` is 0 when everything was measured.
    void finished(int exitCode);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// Longest stall and a histogram of the event loop's gaps over one phase.
    struct GapStats {
        double maxMs = 0;
        int over16 = 0, over33 = 0, over50 = 0;
        qint64 ticks = 0;
        void add(double gapMs);
    };
    /// Timings of one filter change, all from the widget call (ms).
    struct Change {
        QString kind;
        double emittedMs = -1;  ///< FilterController::filterChanged
        double arrivedMs = -1;  ///< the result reached the UI thread
        double appliedMs = -1;  ///< every view shows it
        double paintedMs = -1;  ///< the visible chart has been painted with it
        double computeMs = 0;   ///< FilterResult::computeMillis
        std::int64_t shown = 0; ///< listings passing the filter
    };
    enum class Phase : std::uint8_t { Idle, Streaming, Settling, Changing, Done };

    double now() const { return double(m_clock.nsecsElapsed()) / 1e6; }
    void onTick();
    void trace(const QString &what); ///< stderr, with ES_PROBE_TRACE=1
    void onResultApplied(const es::FilterResultPtr &result);
    void onRunEnded();
    void onSettled();
    void nextChange();
    void changeShown(double t); ///< every view shows the change's result
    void finishChange();
    bool resultMatchesFilter(const es::FilterResult &result, QString *why) const;
    void measureApplyCosts();
    void report(int exitCode, const QString &failure = {});
    void line(const QString &name, double value, const QString &unit, int decimals = 1);

    MainWindow *m_window;
    Options m_options;
    QTextStream *m_out;
    QElapsedTimer m_clock; ///< since the open request
    QTimer m_tick;         ///< the gap probe
    QTimer m_watchdog;
    Phase m_phase = Phase::Idle;
    bool m_reported = false;
    bool m_trace = false;
    qint64 m_lastTickNs = -1;
    GapStats m_streamGaps;
    GapStats m_changeGaps;

    // Streaming.
    double m_firstChartMs = -1;
    double m_firstPaintMs = -1;
    bool m_waitFirstPaint = false;
    double m_runEndMs = -1;
    double m_settledMs = -1;
    int m_refreshes = 0;
    double m_lastRefreshMs = -1;
    double m_maxRefreshIntervalMs = 0;
    double m_resultArrivedMs = -1; ///< last result seen entering the UI thread
    std::vector<double> m_streamApplyMs; ///< UI-thread time per applied result while streaming
    std::int64_t m_accepted = 0;
    std::int64_t m_rowsRead = 0;

    // Filter changes.
    std::vector<Change> m_changes;
    Change m_current;
    double m_changeStart = 0;
    bool m_waitApplied = false;
    bool m_waitCharts = false;
    bool m_waitPaint = false;
    int m_changeIndex = 0;
    QString m_mismatch;
    QTimer m_changeTimeout;

    es::FilterResultPtr m_lastResult, m_previousResult;

    // UI-thread cost of applying a result to each view, layout and paint included (replayed).
    std::vector<std::pair<QString, double>> m_applyCosts;
};

} // namespace es::ui
