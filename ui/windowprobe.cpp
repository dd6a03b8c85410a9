#include "windowprobe.h"

#include "aggregatetablemodel.h"
#include "chartadapter.h"
#include "chartpages.h"
#include "dashboardcontroller.h"
#include "fileopener.h"
#include "filtercontroller.h"
#include "filterpanel.h"
#include "mainwindow.h"
#include "metrictile.h"
#include "numberformat.h"
#include "streamcontrols.h"
#include "tablepage.h"
#include "tilesrow.h"

#include "multiselectcombo.h"
#include "rangeeditor.h"
#include "rangeslider.h"

#include <QChartView>
#include <QCoreApplication>
#include <QEvent>
#include <QResizeEvent>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <utility>

using namespace Qt::StringLiterals;

namespace es::ui {

namespace {

double median(std::vector<double> v)
{
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !(x >= 0); }), v.end());
    if (v.empty())
        return std::nan("");
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double maxOf(const std::vector<double> &v)
{
    double m = std::nan("");
    for (double x : v)
        if (x >= 0 && !(m >= x))
            m = x;
    return m;
}

/// "Average price by district and property type" -> "average_price_by_district_and_property_type".
QString slug(const QString &title)
{
    QString s;
    for (const QChar c : title) {
        if (c.isLetterOrNumber() && c.unicode() < 128)
            s += c.toLower();
        else if (!s.endsWith(u'_'))
            s += u'_';
    }
    while (s.endsWith(u'_'))
        s.chop(1);
    return s;
}

/// Median time of fn(i) over `repeats` calls; i alternates 0, 1, 0, ...
template <typename Fn>
double timeMedianMs(int repeats, const Fn &fn)
{
    std::vector<double> t;
    for (int i = 0; i < repeats; ++i) {
        QElapsedTimer c;
        c.start();
        fn(i % 2);
        t.push_back(double(c.nsecsElapsed()) / 1e6);
    }
    return median(t);
}

} // namespace

void WindowProbe::GapStats::add(double gapMs)
{
    ++ticks;
    maxMs = std::max(maxMs, gapMs);
    if (gapMs > 16)
        ++over16;
    if (gapMs > 33)
        ++over33;
    if (gapMs > 50)
        ++over50;
}

WindowProbe::WindowProbe(MainWindow *window, Options options, QTextStream *out, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_options(std::move(options))
    , m_out(out)
{
    m_trace = qEnvironmentVariableIntValue("ES_PROBE_TRACE") != 0;
    m_tick.setTimerType(Qt::PreciseTimer);
    m_tick.setInterval(kProbeIntervalMs);
    connect(&m_tick, &QTimer::timeout, this, &WindowProbe::onTick);
    m_watchdog.setSingleShot(true);
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        report(1, u"gave up after %1 s"_s.arg(m_options.timeoutSeconds));
    });
    m_changeTimeout.setSingleShot(true);
    connect(&m_changeTimeout, &QTimer::timeout, this, [this] {
        if (m_waitApplied) {
            report(1, u"filter change %1 (%2) not shown after %3 ms"_s.arg(m_changeIndex + 1)
                          .arg(m_current.kind)
                          .arg(m_changeTimeout.interval()));
        } else if (m_waitPaint) {
            finishChange(); // nothing was repainted: the applied time stands
        }
    });
}

void WindowProbe::start()
{
    DashboardController *dashboard = m_window->dashboard();
    // After MainWindow's own connection: when this runs, every view shows the result.
    connect(dashboard, &DashboardController::resultApplied, this, &WindowProbe::onResultApplied);
    connect(dashboard, &DashboardController::settled, this, &WindowProbe::onSettled);
    es::StreamEngine *engine = dashboard->engine();
    connect(engine, &es::StreamEngine::finished, this, &WindowProbe::onRunEnded);
    connect(engine, &es::StreamEngine::failed, this, &WindowProbe::onRunEnded);
    connect(engine, &es::StreamEngine::cancelled, this, &WindowProbe::onRunEnded);
    connect(m_window->opener(), &FileOpener::failed, this,
            [this](const QString &, const QString &reason) { report(1, u"cannot open: %1"_s.arg(reason)); });
    connect(m_window->opener(), &FileOpener::cancelled, this,
            [this] { report(1, u"the columns could not be mapped"_s); });
    connect(dashboard, &DashboardController::snapshotApplied, this, [this](const es::SnapshotPtr &s) {
        if (m_trace)
            trace(u"snapshot %1 applied (%2 listings)"_s.arg(s->sequence).arg(s->counters.accepted));
    });
    connect(m_window->filters(), &FilterController::filterChanged, this, [this] {
        if (m_phase == Phase::Changing && m_waitApplied && m_current.emittedMs < 0)
            m_current.emittedMs = now() - m_changeStart;
    });
    // A result crosses to the UI thread as a queued call to the runner: the
    // moment that event is dispatched starts the UI thread's share.
    dashboard->runner()->installEventFilter(this);
    // A chart's paint puts a result on screen.
    for (ChartAdapter *chart : m_window->charts()->charts())
        chart->view()->viewport()->installEventFilter(this);
    // Charts are applied one per turn of the event loop: the last one completes a change.
    connect(m_window->charts(), &ChartPages::visibleChartsApplied, this, [this](const es::FilterResultPtr &r) {
        if (m_waitCharts && r == m_window->dashboard()->latestResult())
            changeShown(now());
    });

    if (m_trace) {
        // A resize while streaming re-lays out every chart: worth seeing.
        m_window->charts()->charts().first()->view()->installEventFilter(this);
        m_window->tiles()->installEventFilter(this);
    }
    m_window->streamControls()->setRate(0); // as fast as possible
    m_watchdog.start(m_options.timeoutSeconds * 1000);
    m_phase = Phase::Streaming;
    m_clock.start();
    m_tick.start();
    m_window->openFile(m_options.file); // what File > Open does once a file is chosen
}

bool WindowProbe::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::MetaCall && watched == m_window->dashboard()->runner()) {
        m_resultArrivedMs = now();
    } else if (event->type() == QEvent::Resize && m_trace) {
        auto *re = static_cast<QResizeEvent *>(event);
        trace(u"resize %1 %2x%3 -> %4x%5"_s.arg(QString::fromLatin1(watched->metaObject()->className()))
                  .arg(re->oldSize().width()).arg(re->oldSize().height()).arg(re->size().width()).arg(re->size().height()));
    } else if (event->type() == QEvent::Paint) {
        // Called before the paint: a zero timer fires once painting is done.
        if (m_waitFirstPaint) {
            m_waitFirstPaint = false;
            QTimer::singleShot(0, this, [this] { m_firstPaintMs = now(); });
        }
        if (m_waitPaint && m_phase == Phase::Changing) {
            m_waitPaint = false;
            QTimer::singleShot(0, this, [this] {
                m_current.paintedMs = now() - m_changeStart;
                finishChange();
            });
        }
    }
    return QObject::eventFilter(watched, event);
}

void WindowProbe::trace(const QString &what)
{
    QTextStream(stderr) << "probe " << QString::number(now(), 'f', 1) << " ms: " << what << '\n';
}

void WindowProbe::onTick()
{
    const qint64 ns = m_clock.nsecsElapsed();
    if (m_lastTickNs >= 0) {
        const double gap = double(ns - m_lastTickNs) / 1e6 - kProbeIntervalMs;
        if (m_trace && gap > 16)
            trace(u"gap %1 ms ending at %2 ms"_s.arg(gap, 0, 'f', 1).arg(double(ns) / 1e6, 0, 'f', 1));
        if (m_phase == Phase::Streaming || m_phase == Phase::Settling)
            m_streamGaps.add(gap);
        else if (m_phase == Phase::Changing)
            m_changeGaps.add(gap);
    }
    m_lastTickNs = ns;
}

void WindowProbe::onResultApplied(const es::FilterResultPtr &result)
{
    const double t = now();
    if (!result)
        return;
    if (m_trace)
        trace(u"result %1 applied (%2 of %3 listings, compute %4 ms, ui %5 ms)"_s.arg(result->generation)
                  .arg(result->totals.stats.count)
                  .arg(result->storeSize)
                  .arg(result->computeMillis, 0, 'f', 1)
                  .arg(m_resultArrivedMs >= 0 ? t - m_resultArrivedMs : -1.0, 0, 'f', 1));
    if (m_lastResult != result) {
        m_previousResult = m_lastResult;
        m_lastResult = result;
    }
    if (m_phase == Phase::Streaming) {
        ++m_refreshes;
        if (m_lastRefreshMs >= 0)
            m_maxRefreshIntervalMs = std::max(m_maxRefreshIntervalMs, t - m_lastRefreshMs);
        m_lastRefreshMs = t;
        if (m_resultArrivedMs >= 0)
            m_streamApplyMs.push_back(t - m_resultArrivedMs);
    }
    if (m_firstChartMs < 0 && result->totals.stats.count > 0) {
        m_firstChartMs = t;
        m_waitFirstPaint = true;
    }
    if (m_phase == Phase::Changing && m_waitApplied && m_window->dashboard()->isIdle()) {
        // isIdle(): no filter change pending and this is the result of the latest request.
        m_current.arrivedMs = m_resultArrivedMs - m_changeStart;
        m_current.computeMs = result->computeMillis;
        m_current.shown = std::int64_t(result->totals.stats.count);
        QString why;
        if (!resultMatchesFilter(*result, &why) && m_mismatch.isEmpty())
            m_mismatch = u"change %1 (%2): %3"_s.arg(m_changeIndex + 1).arg(m_current.kind, why);
        m_waitCharts = true;
        if (m_window->charts()->isUpToDate())
            changeShown(t); // tiles and table are applied synchronously; the charts too
    }
}

void WindowProbe::changeShown(double t)
{
    m_waitCharts = false;
    m_waitApplied = false;
    m_current.appliedMs = t - m_changeStart;
    m_waitPaint = true;
    m_changeTimeout.start(1000);
}

void WindowProbe::onRunEnded()
{
    if (m_runEndMs < 0) {
        m_runEndMs = now();
        // The wait from the last refresh to the end of the stream counts too.
        if (m_lastRefreshMs >= 0)
            m_maxRefreshIntervalMs = std::max(m_maxRefreshIntervalMs, m_runEndMs - m_lastRefreshMs);
    }
    if (m_phase == Phase::Streaming)
        m_phase = Phase::Settling;
}

void WindowProbe::onSettled()
{
    if (m_phase != Phase::Settling && m_phase != Phase::Streaming)
        return;
    if (m_runEndMs < 0)
        m_runEndMs = now();
    m_settledMs = now();
    const es::SnapshotPtr snap = m_window->dashboard()->latestSnapshot();
    if (!snap || !m_window->dashboard()->latestResult()) {
        report(1, u"the stream ended without data"_s);
        return;
    }
    m_accepted = snap->counters.accepted;
    m_rowsRead = snap->counters.rowsRead;
    m_phase = Phase::Changing;
    // Let the last refresh reach the screen before the first change.
    QTimer::singleShot(300, this, &WindowProbe::nextChange);
}

void WindowProbe::nextChange()
{
    if (m_phase != Phase::Changing)
        return;
    if (m_changeIndex >= m_options.filterChanges) {
        measureApplyCosts();
        report(m_mismatch.isEmpty() ? 0 : 1);
        return;
    }
    FilterPanel *panel = m_window->filterPanel();
    FilterController *filters = m_window->filters();
    const int kind = m_changeIndex % 4;
    const int cycle = m_changeIndex / 4;
    m_current = Change{};
    m_waitApplied = true;
    m_waitPaint = false;

    // A drag of both handles: positions as fractions of the slider, a different pair each cycle.
    auto drag = [cycle](es::RangeEditor *editor) {
        es::RangeSlider *slider = editor->slider();
        const int span = slider->maximum() - slider->minimum();
        const double inset = 0.1 * double(1 + cycle % 3);
        slider->setValues(slider->minimum() + int(std::lround(span * inset)),
                          slider->maximum() - int(std::lround(span * inset * 0.8)));
    };
    // Hide one name (a different one each cycle) in a multi-select combo.
    auto hideOne = [cycle](es::MultiSelectCombo *combo) {
        const QStringList items = combo->items();
        if (items.isEmpty())
            return;
        if (items.size() == 1)
            combo->setUncheckedItems(cycle % 2 ? QSet<QString>{} : QSet<QString>{items.first()});
        else
            combo->setUncheckedItems({items[cycle % items.size()]});
    };

    m_changeStart = now();
    switch (kind) {
    case 0:
        m_current.kind = u"price"_s;
        drag(panel->priceEditor());
        break;
    case 1:
        m_current.kind = u"area"_s;
        drag(panel->areaEditor());
        break;
    case 2:
        m_current.kind = u"district"_s;
        hideOne(panel->districtCombo());
        break;
    default:
        m_current.kind = u"type"_s;
        hideOne(panel->typeCombo());
        break;
    }
    if (!filters->isPending() && filters->state() == filters->emittedState() && m_current.emittedMs < 0) {
        // The widgets did not change the filter: nothing to wait for.
        if (m_mismatch.isEmpty())
            m_mismatch = u"change %1 (%2) did not change the filter"_s.arg(m_changeIndex + 1).arg(m_current.kind);
        m_waitApplied = false;
        ++m_changeIndex;
        QTimer::singleShot(0, this, &WindowProbe::nextChange);
        return;
    }
    m_changeTimeout.start(30000);
}

void WindowProbe::finishChange()
{
    m_changeTimeout.stop();
    m_waitPaint = false;
    m_changes.push_back(m_current);
    ++m_changeIndex;
    // A pause between changes so each one is measured on its own.
    QTimer::singleShot(60, this, &WindowProbe::nextChange);
}

bool WindowProbe::resultMatchesFilter(const es::FilterResult &result, QString *why) const
{
    const es::FilterState &state = m_window->filters()->emittedState();
    const GroupStats &totals = result.totals.stats;
    for (const GroupRow &g : result.groups) {
        if (state.hiddenDistricts.contains(g.district) || state.hiddenTypes.contains(g.type)) {
            *why = u"hidden group %1 / %2 is shown"_s.arg(g.district, g.type);
            return false;
        }
        if (g.stats.count > 0 && (g.stats.minPrice < state.priceMin || g.stats.maxPrice > state.priceMax)) {
            *why = u"group %1 / %2 has prices outside the range"_s.arg(g.district, g.type);
            return false;
        }
        // The mean of values inside a range lies inside it.
        const double avgArea = g.stats.avgArea();
        if (g.stats.count > 0 && (avgArea < state.areaMin * (1 - 1e-12) || avgArea > state.areaMax * (1 + 1e-12))) {
            *why = u"group %1 / %2 has an average area outside the range"_s.arg(g.district, g.type);
            return false;
        }
    }
    // The views show this very result.
    const QString listings = m_window->tiles()->tile(TilesRow::Tile::Listings)->valueText();
    if (listings != formatCount(std::int64_t(totals.count))) {
        *why = u"the Listings tile shows %1, the result has %2"_s.arg(listings).arg(totals.count);
        return false;
    }
    if (m_window->tablePage()->model()->rowCount() != int(result.groups.size())) {
        *why = u"the table has %1 rows, the result %2 groups"_s.arg(m_window->tablePage()->model()->rowCount())
                   .arg(result.groups.size());
        return false;
    }
    return true;
}

void WindowProbe::measureApplyCosts()
{
    m_phase = Phase::Done;
    m_tick.stop();
    // Two different results in turn (the last two filter changes), as a user
    // changing filters sees: applying the same result twice costs nothing.
    const es::FilterResultPtr last = m_window->dashboard()->latestResult();
    if (!last)
        return;
    const es::FilterResultPtr results[2] = {m_previousResult ? m_previousResult : last, last};
    constexpr int kRepeats = 6;
    auto time = [&](const QString &name, const std::function<void(const es::FilterResultPtr &)> &apply) {
        m_applyCosts.emplace_back(name, timeMedianMs(kRepeats, [&](int i) {
                                      apply(results[i]);
                                      // Deferred work (layouts, scene updates, painting) belongs to the cost.
                                      QCoreApplication::sendPostedEvents();
                                      m_window->repaint();
                                  }));
    };
    time(u"apply_all"_s, [this](const es::FilterResultPtr &r) {
        // What MainWindow does with each result (charts of the visible page).
        m_window->tiles()->applyResult(*r);
        m_window->charts()->apply(r);
        m_window->tablePage()->apply(*r);
        m_window->filterPanel()->applyResult(*r);
    });
    time(u"apply_tiles"_s, [this](const es::FilterResultPtr &r) { m_window->tiles()->applyResult(*r); });
    time(u"apply_table"_s, [this](const es::FilterResultPtr &r) { m_window->tablePage()->apply(*r); });
    time(u"apply_filter_panel"_s, [this](const es::FilterResultPtr &r) { m_window->filterPanel()->applyResult(*r); });
    for (ChartAdapter *chart : m_window->charts()->charts())
        time(u"apply_chart_"_s + slug(chart->title()), [chart](const es::FilterResultPtr &r) { chart->apply(*r); });
    time(u"paint_window_unchanged"_s, [](const es::FilterResultPtr &) {});
    m_window->charts()->apply(last); // leave the window showing the latest result
}

void WindowProbe::line(const QString &name, double value, const QString &unit, int decimals)
{
    *m_out << name << ": " << (std::isnan(value) ? u"nan"_s : QString::number(value, 'f', decimals)) << ' ' << unit
           << '\n';
}

void WindowProbe::report(int exitCode, const QString &failure)
{
    if (m_reported)
        return;
    m_reported = true;
    m_phase = Phase::Done;
    m_tick.stop();
    m_watchdog.stop();
    m_changeTimeout.stop();

    auto ms = [this](double t) { return t >= 0 ? t : std::nan(""); };
    *m_out << "file: " << m_options.file << '\n';
    line(u"rows_read"_s, double(m_rowsRead), u"rows"_s, 0);
    line(u"listings"_s, double(m_accepted), u"listings"_s, 0);
    line(u"first_chart_ms"_s, ms(m_firstChartMs), u"ms"_s);
    line(u"first_chart_painted_ms"_s, ms(m_firstPaintMs), u"ms"_s);
    line(u"ingest_ms"_s, ms(m_runEndMs), u"ms"_s);
    line(u"settled_ms"_s, ms(m_settledMs), u"ms"_s);
    const double streamSeconds = m_runEndMs > 0 ? m_runEndMs / 1000.0 : std::nan("");
    line(u"refreshes"_s, m_refreshes, u"count"_s, 0);
    line(u"refresh_hz"_s, m_refreshes / streamSeconds, u"Hz"_s);
    line(u"refresh_max_interval_ms"_s, m_refreshes > 0 ? m_maxRefreshIntervalMs : std::nan(""), u"ms"_s);
    line(u"result_apply_median_ms"_s, median(m_streamApplyMs), u"ms"_s);
    line(u"result_apply_max_ms"_s, maxOf(m_streamApplyMs), u"ms"_s);
    line(u"stream_max_gap_ms"_s, m_streamGaps.maxMs, u"ms"_s);
    line(u"stream_gaps_over_16ms"_s, m_streamGaps.over16, u"count"_s, 0);
    line(u"stream_gaps_over_33ms"_s, m_streamGaps.over33, u"count"_s, 0);
    line(u"stream_gaps_over_50ms"_s, m_streamGaps.over50, u"count"_s, 0);

    std::vector<double> applied, painted, emitted, compute, uiApply, queued;
    for (const Change &c : m_changes) {
        applied.push_back(c.appliedMs);
        painted.push_back(c.paintedMs);
        emitted.push_back(c.emittedMs);
        compute.push_back(c.computeMs);
        uiApply.push_back(c.arrivedMs >= 0 ? c.appliedMs - c.arrivedMs : -1);
        queued.push_back(c.arrivedMs >= 0 && c.emittedMs >= 0 ? c.arrivedMs - c.emittedMs : -1);
    }
    line(u"filter_changes"_s, double(m_changes.size()), u"count"_s, 0);
    line(u"filter_change_median_ms"_s, median(applied), u"ms"_s);
    line(u"filter_change_max_ms"_s, maxOf(applied), u"ms"_s);
    line(u"filter_change_painted_median_ms"_s, median(painted), u"ms"_s);
    line(u"filter_change_painted_max_ms"_s, maxOf(painted), u"ms"_s);
    for (const QString &kind : {u"price"_s, u"area"_s, u"district"_s, u"type"_s}) {
        std::vector<double> k;
        for (const Change &c : m_changes)
            if (c.kind == kind)
                k.push_back(c.appliedMs);
        if (!k.empty())
            line(u"filter_change_%1_median_ms"_s.arg(kind), median(k), u"ms"_s);
    }
    // Where a change's time goes: coalescing, off-thread compute (plus queueing), UI-thread apply.
    line(u"filter_coalesce_median_ms"_s, median(emitted), u"ms"_s);
    line(u"filter_compute_median_ms"_s, median(compute), u"ms"_s);
    line(u"filter_compute_max_ms"_s, maxOf(compute), u"ms"_s);
    line(u"filter_request_to_ui_median_ms"_s, median(queued), u"ms"_s);
    line(u"filter_ui_apply_median_ms"_s, median(uiApply), u"ms"_s);
    line(u"filter_ui_apply_max_ms"_s, maxOf(uiApply), u"ms"_s);
    line(u"filter_max_gap_ms"_s, m_changeGaps.maxMs, u"ms"_s);
    line(u"filter_gaps_over_50ms"_s, m_changeGaps.over50, u"count"_s, 0);
    for (const auto &[name, value] : m_applyCosts)
        line(name + u"_ms"_s, value, u"ms"_s, 2);
    line(u"filter_result_mismatches"_s, m_mismatch.isEmpty() ? 0 : 1, u"count"_s, 0);
    if (!m_mismatch.isEmpty())
        *m_out << "mismatch: " << m_mismatch << '\n';
    if (!failure.isEmpty())
        *m_out << "error: " << failure << '\n';
    m_out->flush();
    Q_EMIT finished(exitCode);
}

} // namespace es::ui
