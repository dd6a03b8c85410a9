// The engine facade: streams a listings file in batches on a QThreadPool and
// publishes immutable snapshots. Lives in the caller's thread (usually the GUI
// thread); all work happens elsewhere; every signal is delivered in the
// engine's own thread, and nothing from a stopped run arrives after stop().
#pragma once

#include "csvformat.h"
#include "snapshot.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace es {

struct StreamConfig {
    QString path;                ///< the listings file (used when openSource is empty)
    /// Optional: where the bytes come from instead of `path` (tests, Kafka, stdin).
    std::function<std::unique_ptr<ByteSource>(QString *error)> openSource;
    ColumnMapping mapping;       ///< explicit columns; empty entries are detected
    CsvOptions csv;              ///< delimiter / decimal / encoding overrides
    double minPrice = 50000;     ///< processing filter (listings below are "filtered out")
    double minArea = 20;
    int batchSize = 1000;        ///< listings per batch in paced mode and for step()
    double rate = 0;             ///< listings per second, 0 = as fast as possible
    int threads = 0;             ///< parser threads, 0 = QThread::idealThreadCount()
    int maxSnapshotsPerSecond = 20;
    QString exportPath;          ///< periodic export target ("" = none)
    double exportEverySeconds = 0; ///< 0 = only at the end (when exportPath is set)
    bool startPaused = false;    ///< start in Paused state (then step() or resume())
    bool follow = false;         ///< keep reading as the file grows (tail -f)
};

class StreamEngine : public QObject {
    Q_OBJECT
public:
    enum class State : std::uint8_t { Idle, Running, Paused, Finished, Cancelled, Failed };
    Q_ENUM(State)

    explicit StreamEngine(QObject *parent = nullptr);
    ~StreamEngine() override; ///< stops and joins the run

    State state() const { return m_state; }
    quint64 runId() const { return m_runId; }
    /// Latest snapshot received (nullptr before the first).
    SnapshotPtr latest() const { return m_latest; }

public Q_SLOTS:
    /// Detects the format and starts streaming. Stops a previous run first.
    /// Problems with the file are reported through failed().
    void start(const es::StreamConfig &config);
    void pause();
    void resume();
    /// While paused (or idle after start with startPaused): process one batch.
    void step();
    /// Cancels the run; emits cancelled(). No snapshot of this run arrives afterwards.
    void stop();
    /// Ends the input here (a followed file or a live source that is not going to
    /// end by itself): what was already read is processed as fast as possible, an
    /// unfinished last line is dropped with a warning, then the run finishes as at
    /// the end of a file (final snapshot, final export, finished()).
    void finish();
    void setRate(double listingsPerSecond);
    void setBatchSize(int listings);

Q_SIGNALS:
    void started(const es::FormatInfo &format);
    void snapshotReady(const es::SnapshotPtr &snapshot);
    void issue(const es::Issue &issue);
    void stateChanged(es::StreamEngine::State state);
    void finished(const es::SnapshotPtr &finalSnapshot);
    void cancelled();
    void failed(const QString &reason);
    /// A periodic or final export was written (or failed: ok=false, message says why).
    void exported(const QString &path, bool ok, const QString &message);

private:
    class Run;
    void setState(State s);
    void deliverSnapshot(quint64 runId, const SnapshotPtr &snap);
    void deliverEnd(quint64 runId, State endState, const SnapshotPtr &snap, const QString &reason);
    void deliverIssue(quint64 runId, const Issue &issue);
    void deliverExport(quint64 runId, const QString &path, bool ok, const QString &message);
    void joinRun();

    std::shared_ptr<Run> m_run;
    std::vector<std::shared_ptr<Run>> m_retired; ///< cancelled runs still finishing their chunk
    State m_state = State::Idle;
    quint64 m_runId = 0;
    SnapshotPtr m_latest;
};

} // namespace es

Q_DECLARE_METATYPE(es::StreamConfig)
Q_DECLARE_METATYPE(es::FormatInfo)
