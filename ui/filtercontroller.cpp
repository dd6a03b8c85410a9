#include "filtercontroller.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace es::ui {

namespace {

// Normalises a range: NaN bounds become the open defaults, lo <= hi.
void normalise(double &lo, double &hi)
{
    if (std::isnan(lo) || lo < 0)
        lo = 0;
    if (std::isnan(hi))
        hi = std::numeric_limits<double>::infinity();
    if (hi < lo)
        std::swap(lo, hi);
}

} // namespace

FilterController::FilterController(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &FilterController::emitIfChanged);
}

void FilterController::setPriceRange(double lo, double hi)
{
    normalise(lo, hi);
    if (lo == m_state.priceMin && hi == m_state.priceMax)
        return;
    m_state.priceMin = lo;
    m_state.priceMax = hi;
    schedule();
}

void FilterController::setAreaRange(double lo, double hi)
{
    normalise(lo, hi);
    if (lo == m_state.areaMin && hi == m_state.areaMax)
        return;
    m_state.areaMin = lo;
    m_state.areaMax = hi;
    schedule();
}

void FilterController::setHiddenDistricts(const QSet<QString> &hidden)
{
    if (hidden == m_state.hiddenDistricts)
        return;
    m_state.hiddenDistricts = hidden;
    schedule();
}

void FilterController::setHiddenTypes(const QSet<QString> &hidden)
{
    if (hidden == m_state.hiddenTypes)
        return;
    m_state.hiddenTypes = hidden;
    schedule();
}

void FilterController::setState(const es::FilterState &state)
{
    es::FilterState s = state;
    normalise(s.priceMin, s.priceMax);
    normalise(s.areaMin, s.areaMax);
    if (s == m_state)
        return;
    m_state = s;
    schedule();
}

void FilterController::reset()
{
    m_state = es::FilterState{};
    flush();
}

void FilterController::flush()
{
    m_timer.stop();
    emitIfChanged();
}

void FilterController::schedule()
{
    if (m_timer.isActive())
        return;
    // Leading edge: a change after a quiet period costs no waiting (a click on a
    // category, a typed bound); during a drag the next ones come at most once
    // per interval. Zero, not a direct emit, so a burst of calls made before
    // the event loop runs still yields one signal.
    const qint64 since = m_sinceEmit.isValid() ? m_sinceEmit.elapsed() : m_coalesceMs;
    m_timer.start(int(std::clamp<qint64>(m_coalesceMs - since, 0, m_coalesceMs)));
}

void FilterController::emitIfChanged()
{
    if (m_state == m_emitted)
        return;
    m_emitted = m_state;
    m_sinceEmit.start();
    Q_EMIT filterChanged(m_emitted);
}

} // namespace es::ui
