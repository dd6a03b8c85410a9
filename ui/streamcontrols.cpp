#include "streamcontrols.h"

#include "dashboardcontroller.h"
#include "numberformat.h"
#include "settings.h"

#include <QAction>
#include <QComboBox>
#include <QKeySequence>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyle>
#include <QToolBar>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace es::ui {

namespace {

QAction *makeAction(QWidget *parent, const QString &text, QStyle::StandardPixmap icon, const QString &tip,
                    const QList<QKeySequence> &keys = {})
{
    auto *action = new QAction(parent->style()->standardIcon(icon), text, parent);
    action->setShortcuts(keys);
    QString toolTip = tip;
    if (!keys.isEmpty())
        toolTip += u" ("_s + keys.first().toString(QKeySequence::NativeText) + u')';
    action->setToolTip(toolTip);
    action->setStatusTip(tip);
    return action;
}

} // namespace

StreamControls::StreamControls(DashboardController *dashboard, Settings *settings, QWidget *parentWidget)
    : QObject(parentWidget)
    , m_host(parentWidget)
    , m_dashboard(dashboard)
    , m_settings(settings)
    , m_rate(new QComboBox(parentWidget))
    , m_batch(new QSpinBox(parentWidget))
    , m_state(new QLabel(parentWidget))
{
    m_start = makeAction(parentWidget, tr("&Start"), QStyle::SP_MediaPlay,
                         tr("Start streaming the file (or resume when paused)"));
    m_pause = makeAction(parentWidget, tr("&Pause"), QStyle::SP_MediaPause, tr("Pause or resume the stream"));
    m_pause->setCheckable(true);
    m_step = makeAction(parentWidget, tr("S&tep"), QStyle::SP_MediaSkipForward,
                        tr("Process one batch, then stay paused"),
                        {QKeySequence(Qt::CTRL | Qt::Key_Period), QKeySequence(Qt::Key_F10)});
    m_stop = makeAction(parentWidget, tr("St&op"), QStyle::SP_MediaStop, tr("Stop (cancel) the stream"),
                        {QKeySequence(Qt::Key_Escape)});
    m_restart = makeAction(parentWidget, tr("&Restart"), QStyle::SP_BrowserReload,
                           tr("Stream the file again from the beginning"), {QKeySequence(Qt::CTRL | Qt::Key_R)});
    m_toggle = makeAction(parentWidget, tr("Start / Pause"), QStyle::SP_MediaPlay,
                          tr("Start, pause or resume the stream"),
                          {QKeySequence(Qt::CTRL | Qt::Key_Space)});
    // Not plain Space: focused buttons, check boxes and the multi-select
    // combos use it, and a window shortcut would take it from them.

    m_rate->setObjectName(u"rateCombo"_s);
    for (double r : {100.0, 1000.0, 10000.0, 100000.0})
        m_rate->addItem(tr("%1 listings/s").arg(formatCount(std::int64_t(r))), r);
    m_rate->addItem(tr("As fast as possible"), 0.0);
    m_rate->setToolTip(tr("How many listings per second the stream feeds (changeable while running)"));
    m_batch->setObjectName(u"batchSpin"_s);
    m_batch->setRange(1, 1'000'000);
    m_batch->setSingleStep(100);
    m_batch->setAccelerated(true);
    m_batch->setSuffix(tr(" per batch"));
    m_batch->setGroupSeparatorShown(true);
    m_batch->setToolTip(tr("Listings per batch: one Step processes one batch (changeable while running)"));
    m_state->setObjectName(u"streamState"_s);
    m_state->setToolTip(tr("State of the stream"));
    m_state->setMinimumWidth(m_state->fontMetrics().horizontalAdvance(u"Streaming 100% "_s) + 16);
    QFont bold = m_state->font();
    bold.setBold(true);
    m_state->setFont(bold);

    setRate(m_settings->value(setting::rate));
    m_batch->setValue(m_settings->value(setting::batchSize));

    connect(m_start, &QAction::triggered, this, &StreamControls::onStart);
    connect(m_toggle, &QAction::triggered, this, &StreamControls::onTogglePlay);
    connect(m_pause, &QAction::triggered, this, &StreamControls::onPauseToggled);
    connect(m_step, &QAction::triggered, m_dashboard->engine(), &es::StreamEngine::step);
    connect(m_stop, &QAction::triggered, m_dashboard->engine(), &es::StreamEngine::stop);
    connect(m_restart, &QAction::triggered, m_dashboard, &DashboardController::restart);
    connect(m_rate, &QComboBox::activated, this, &StreamControls::onRateChosen);
    connect(m_batch, &QSpinBox::valueChanged, this, &StreamControls::onBatchChanged);

    es::StreamEngine *engine = m_dashboard->engine();
    connect(engine, &es::StreamEngine::stateChanged, this, &StreamControls::updateState);
    connect(engine, &es::StreamEngine::failed, this, [this](const QString &reason) {
        m_failure = reason;
        updateState();
    });
    connect(m_dashboard, &DashboardController::streamStarting, this, [this] {
        m_failure.clear();
        m_fraction = 0;
        updateState();
    });
    connect(m_dashboard, &DashboardController::snapshotApplied, this, [this](const es::SnapshotPtr &s) {
        const auto &c = s->counters;
        m_fraction = c.bytesTotal > 0 ? double(c.bytesRead) / double(c.bytesTotal) : 0;
        updateState();
    });
    updateState();
}

double StreamControls::rate() const
{
    return m_rate->currentData().toDouble();
}

int StreamControls::batchSize() const
{
    return m_batch->value();
}

void StreamControls::setRate(double listingsPerSecond)
{
    int index = m_rate->findData(listingsPerSecond);
    if (index < 0) {
        m_rate->addItem(tr("%1 listings/s").arg(formatCount(std::int64_t(listingsPerSecond))), listingsPerSecond);
        index = m_rate->count() - 1;
    }
    m_rate->setCurrentIndex(index);
    m_dashboard->setRate(listingsPerSecond); // the running stream and the next restart
}

void StreamControls::addTo(QToolBar *toolBar)
{
    toolBar->addAction(m_start);
    toolBar->addAction(m_pause);
    toolBar->addAction(m_step);
    toolBar->addAction(m_stop);
    toolBar->addAction(m_restart);
    toolBar->addSeparator();
    toolBar->addWidget(m_rate);
    toolBar->addWidget(m_batch);
    toolBar->addSeparator();
    toolBar->addWidget(m_state);
}

QString StreamControls::stateText() const
{
    using State = es::StreamEngine::State;
    switch (m_dashboard->engine()->state()) {
    case State::Idle: return m_dashboard->hasConfig() ? tr("Starting…") : tr("No file");
    case State::Running: return tr("Streaming %1").arg(formatPercent(m_fraction));
    case State::Paused: return tr("Paused at %1").arg(formatPercent(m_fraction));
    case State::Finished: return tr("Finished");
    case State::Cancelled: return tr("Cancelled");
    case State::Failed: return tr("Failed: %1").arg(m_failure);
    }
    return {};
}

void StreamControls::updateState()
{
    using State = es::StreamEngine::State;
    const State state = m_dashboard->engine()->state();
    const bool active = state == State::Running || state == State::Paused;
    m_state->setText(stateText());
    m_state->setToolTip(stateText());
    m_start->setEnabled(!active || state == State::Paused);
    m_start->setText(state == State::Paused ? tr("Re&sume") : tr("&Start"));
    m_pause->setEnabled(active);
    {
        const QSignalBlocker block(m_pause);
        m_pause->setChecked(state == State::Paused);
    }
    const QString pauseText = state == State::Paused ? tr("Resume") : tr("&Pause");
    if (m_pause->text() != pauseText) {
        // Only on a change: a new icon re-lays out and repaints the whole tool
        // bar, and this runs on every refresh while streaming.
        m_pause->setText(pauseText);
        m_pause->setIcon(m_host->style()->standardIcon(state == State::Paused ? QStyle::SP_MediaPlay
                                                                              : QStyle::SP_MediaPause));
    }
    m_step->setEnabled(active);
    m_stop->setEnabled(active);
    m_restart->setEnabled(m_dashboard->hasConfig());
}

void StreamControls::onStart()
{
    using State = es::StreamEngine::State;
    switch (m_dashboard->engine()->state()) {
    case State::Running: return;
    case State::Paused: m_dashboard->engine()->resume(); return;
    default:
        if (!m_dashboard->hasConfig()) {
            Q_EMIT openRequested();
            return;
        }
        es::StreamConfig config = m_dashboard->config();
        config.rate = rate();
        config.batchSize = batchSize();
        m_dashboard->start(config);
    }
}

void StreamControls::onTogglePlay()
{
    if (m_dashboard->engine()->state() == es::StreamEngine::State::Running)
        m_dashboard->engine()->pause();
    else
        onStart();
}

void StreamControls::onPauseToggled(bool paused)
{
    if (paused)
        m_dashboard->engine()->pause();
    else
        m_dashboard->engine()->resume();
    updateState();
}

void StreamControls::onRateChosen(int index)
{
    const double r = m_rate->itemData(index).toDouble();
    m_dashboard->setRate(r);
    m_settings->setValue(setting::rate, r);
}

void StreamControls::onBatchChanged(int value)
{
    m_dashboard->setBatchSize(value);
    m_settings->setValue(setting::batchSize, value);
}

} // namespace es::ui
