#include "dashboardcontroller.h"

#include "filtercontroller.h"
#include "uilog.h"

#include <algorithm>

namespace es::ui {

DashboardController::DashboardController(FilterController *filters, QObject *parent)
    : QObject(parent)
    , m_filters(filters)
    , m_engine(new es::StreamEngine(this))
    , m_runner(new es::FilterRunner(this))
{
    m_refresh.setSingleShot(true);
    m_refresh.setInterval(kRefreshIntervalMs);
    connect(&m_refresh, &QTimer::timeout, this, &DashboardController::onRefreshTimer);
    connect(m_engine, &es::StreamEngine::snapshotReady, this, &DashboardController::onSnapshot);
    connect(m_engine, &es::StreamEngine::finished, this, &DashboardController::onRunEnded);
    connect(m_engine, &es::StreamEngine::cancelled, this, [this] { onRunEnded(m_latest); });
    connect(m_engine, &es::StreamEngine::failed, this, [this] { onRunEnded(m_latest); });
    connect(m_filters, &FilterController::filterChanged, this, &DashboardController::onFilterChanged);
    connect(m_runner, &es::FilterRunner::resultReady, this, &DashboardController::onResult);
}

DashboardController::~DashboardController()
{
    m_refresh.stop();
    m_engine->stop();
    m_runner->waitForIdle();
}

void DashboardController::start(const es::StreamConfig &config)
{
    m_config = config;
    m_refresh.stop();
    m_latest.reset();
    m_dirty = false;
    m_deferred = false;
    m_ended = false;
    m_settledEmitted = false;
    m_finalRequest = 0;
    m_firstResultLogged = false;
    m_refreshes = 0;
    m_runClock.start();
    Q_EMIT streamStarting(config);
    logInfo(QStringLiteral("start stream %1 (rate %2/s, batch %3)")
                .arg(config.path)
                .arg(config.rate)
                .arg(config.batchSize));
    m_engine->start(config);
}

void DashboardController::restart()
{
    if (hasConfig())
        start(m_config);
}

void DashboardController::setRate(double listingsPerSecond)
{
    m_config.rate = listingsPerSecond;
    m_engine->setRate(listingsPerSecond);
}

void DashboardController::setAutoExport(const QString &path, double everySeconds)
{
    m_config.exportPath = path;
    m_config.exportEverySeconds = path.isEmpty() ? 0 : everySeconds;
}

void DashboardController::setBatchSize(int listings)
{
    m_config.batchSize = listings;
    m_engine->setBatchSize(listings);
}

bool DashboardController::isIdle() const
{
    return m_ended && m_settledEmitted && !m_filters->isPending() && m_lastApplied >= m_lastRequest;
}

void DashboardController::onSnapshot(const es::SnapshotPtr &snapshot)
{
    if (!snapshot || snapshot->runId != m_engine->runId())
        return;
    m_latest = snapshot;
    m_dirty = true;
    if (!m_refresh.isActive()) // leading edge: show the first batch at once
        refreshNow();
}

void DashboardController::onRunEnded(const es::SnapshotPtr &last)
{
    if (m_ended)
        return;
    m_ended = true;
    if (last && last->runId == m_engine->runId())
        m_latest = last;
    m_refresh.stop();
    if (m_latest) {
        refreshNow();
        m_finalRequest = m_lastRequest;
    } else {
        m_settledEmitted = true;
        Q_EMIT settled();
    }
}

void DashboardController::onRefreshTimer()
{
    if (m_dirty)
        refreshNow();
}

void DashboardController::refreshNow()
{
    m_dirty = false;
    if (!m_latest)
        return;
    Q_EMIT snapshotApplied(m_latest);
    if (!m_ended && m_runner->busy()) {
        // New data while a recomputation runs: let it finish (its result is
        // still newer than what is shown) and ask again when it arrives.
        // Replacing it would drop every result whenever a computation takes
        // longer than the refresh interval, and the view would starve.
        m_deferred = true;
    } else {
        requestFilter();
    }
    if (!m_ended)
        m_refresh.start(); // cooldown: at most one refresh per interval
}

void DashboardController::onFilterChanged()
{
    m_filterClock.start();
    m_filterPending = true;
    requestFilter();
}

void DashboardController::requestFilter()
{
    m_deferred = false;
    if (!m_latest || !m_latest->store)
        return;
    m_lastRequest = m_runner->request(m_latest->store, m_filters->emittedState());
}

void DashboardController::onResult(const es::FilterResultPtr &result)
{
    if (!result)
        return;
    m_result = result;
    m_lastApplied = std::max(m_lastApplied, result->generation);
    QElapsedTimer applyClock;
    applyClock.start();
    Q_EMIT resultApplied(result);
    const qint64 applyMs = applyClock.elapsed();
    if (!m_ended)
        ++m_refreshes;
    if (!m_firstResultLogged && result->totals.stats.count > 0) {
        m_firstResultLogged = true;
        logInfo(QStringLiteral("first filled view %1 ms after start (%2 listings; compute %3 ms, apply %4 ms)")
                    .arg(m_runClock.elapsed())
                    .arg(result->storeSize)
                    .arg(result->computeMillis, 0, 'f', 1)
                    .arg(applyMs));
    }
    if (m_filterPending && result->generation >= m_lastRequest) {
        m_filterPending = false;
        logInfo(QStringLiteral("filter change shown after %1 ms (%2 listings; compute %3 ms, apply %4 ms)")
                    .arg(m_filterClock.elapsed())
                    .arg(result->storeSize)
                    .arg(result->computeMillis, 0, 'f', 1)
                    .arg(applyMs));
    }
    if (m_deferred && !m_ended)
        requestFilter(); // the data that arrived while this one was computed
    if (m_ended && !m_settledEmitted && result->generation >= m_finalRequest) {
        m_settledEmitted = true;
        const double seconds = double(m_runClock.elapsed()) / 1000.0;
        logInfo(QStringLiteral("run settled after %1 s: %2 refreshes while streaming (%3 per second)")
                    .arg(seconds, 0, 'f', 2)
                    .arg(m_refreshes)
                    .arg(seconds > 0 ? m_refreshes / seconds : 0.0, 0, 'f', 1));
        Q_EMIT settled();
    }
}

} // namespace es::ui
