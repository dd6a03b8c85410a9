// Owns the one FilterState of the dashboard. Widgets call its slots; it emits
// filterChanged() once per effective change. Changes arriving in quick
// succession (a slider drag) are coalesced by a single-shot timer that is only
// started when it is not already running: the first change after a quiet
// period goes out on the next turn of the event loop, later ones at most once
// per coalescing interval.
#pragma once

#include "filterengine.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace es::ui {

class FilterController : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultCoalesceMs = 30;

    explicit FilterController(QObject *parent = nullptr);

    /// The current state (may be ahead of the last emitted one while coalescing).
    const es::FilterState &state() const { return m_state; }
    /// The state last announced by filterChanged().
    const es::FilterState &emittedState() const { return m_emitted; }
    void setCoalesceInterval(int ms) { m_coalesceMs = ms; }
    bool isPending() const { return m_timer.isActive(); }

public Q_SLOTS:
    void setPriceRange(double lo, double hi);
    void setAreaRange(double lo, double hi);
    void setHiddenDistricts(const QSet<QString> &hidden);
    void setHiddenTypes(const QSet<QString> &hidden);
    /// Replaces the whole state (restoring saved filters).
    void setState(const es::FilterState &state);
    /// Back to the default filter in one step; emits at once.
    void reset();
    /// Emits a pending change now (tests, before an export).
    void flush();

Q_SIGNALS:
    void filterChanged(const es::FilterState &state);

private:
    void schedule();
    void emitIfChanged();

    es::FilterState m_state;
    es::FilterState m_emitted;
    QTimer m_timer;
    QElapsedTimer m_sinceEmit; ///< since the last filterChanged()
    int m_coalesceMs = kDefaultCoalesceMs;
};

} // namespace es::ui
