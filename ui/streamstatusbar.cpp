#include "streamstatusbar.h"

#include "dashboardcontroller.h"
#include "numberformat.h"

#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>
#include <QStyle>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace es::ui {

StreamStatusBar::StreamStatusBar(DashboardController *dashboard, QStatusBar *statusBar)
    : QObject(statusBar)
    , m_dashboard(dashboard)
    , m_file(new QLabel(statusBar))
    , m_progress(new QProgressBar(statusBar))
    , m_detail(new QLabel(statusBar))
    , m_cancel(new QToolButton(statusBar))
{
    m_file->setToolTip(tr("The file being streamed"));
    m_progress->setObjectName(u"streamProgress"_s);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setFormat(u"%p%"_s);
    m_progress->setFixedWidth(220);
    m_progress->setToolTip(tr("Bytes of the file read so far"));
    m_detail->setObjectName(u"streamDetail"_s);
    m_detail->setToolTip(tr("Bytes read / total · listings per second · estimated time left"));
    m_cancel->setObjectName(u"cancelButton"_s);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setIcon(statusBar->style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_cancel->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_cancel->setAutoRaise(true);
    m_cancel->setToolTip(tr("Cancel the load; what was read so far stays on screen"));
    m_cancel->setEnabled(false);
    statusBar->addWidget(m_file, 1);
    statusBar->addPermanentWidget(m_detail);
    statusBar->addPermanentWidget(m_progress);
    statusBar->addPermanentWidget(m_cancel);

    connect(m_cancel, &QToolButton::clicked, dashboard->engine(), &es::StreamEngine::stop);
    connect(dashboard, &DashboardController::snapshotApplied, this, &StreamStatusBar::applySnapshot);
    connect(dashboard->engine(), &es::StreamEngine::stateChanged, this, &StreamStatusBar::onStateChanged);
    connect(dashboard, &DashboardController::streamStarting, this, [this](const es::StreamConfig &config) {
        m_file->setText(QFileInfo(config.path).fileName());
        m_file->setToolTip(config.path);
        m_progress->setValue(0);
        m_detail->clear();
    });
}

void StreamStatusBar::applySnapshot(const es::SnapshotPtr &snapshot)
{
    const StreamCounters &c = snapshot->counters;
    const bool sized = c.bytesTotal > 0;
    const double fraction = sized ? std::min(1.0, double(c.bytesRead) / double(c.bytesTotal)) : 0.0;
    if (sized) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(fraction * 1000));
    } else {
        m_progress->setRange(0, 0); // unknown size: busy indicator
    }
    QStringList parts;
    parts << (sized ? tr("%1 / %2").arg(formatBytes(c.bytesRead), formatBytes(c.bytesTotal))
                    : formatBytes(c.bytesRead));
    parts << tr("%1 listings/s").arg(formatCompact(snapshot->rowsPerSecond));
    const double bytesPerSecond = snapshot->elapsedSeconds > 0 ? double(c.bytesRead) / snapshot->elapsedSeconds : 0;
    if (snapshot->final)
        parts << tr("done in %1").arg(formatDuration(snapshot->elapsedSeconds));
    else if (sized && bytesPerSecond > 0)
        parts << tr("%1 left").arg(formatDuration(double(c.bytesTotal - c.bytesRead) / bytesPerSecond));
    m_detail->setText(parts.join(u"  ·  "_s));
}

void StreamStatusBar::onStateChanged(es::StreamEngine::State state)
{
    using State = es::StreamEngine::State;
    const bool active = state == State::Running || state == State::Paused;
    m_cancel->setEnabled(active);
    if (state == State::Finished) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(1000);
    } else if (!active && m_progress->maximum() == 0) {
        m_progress->setRange(0, 1000);
    }
}

} // namespace es::ui
