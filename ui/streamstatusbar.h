// Status bar contents: a progress bar over bytes read / total, listings/s and
// time left, and a Cancel button. Updated from throttled snapshots.
#pragma once

#include "snapshot.h"
#include "streamengine.h"

#include <QObject>

class QLabel;
class QProgressBar;
class QStatusBar;
class QToolButton;

namespace es::ui {

class DashboardController;

class StreamStatusBar : public QObject {
    Q_OBJECT
public:
    StreamStatusBar(DashboardController *dashboard, QStatusBar *statusBar);

    QProgressBar *progressBar() const { return m_progress; }
    QLabel *detailLabel() const { return m_detail; }

private:
    void applySnapshot(const es::SnapshotPtr &snapshot);
    void onStateChanged(es::StreamEngine::State state);

    DashboardController *m_dashboard;
    QLabel *m_file;
    QProgressBar *m_progress;
    QLabel *m_detail;
    QToolButton *m_cancel;
};

} // namespace es::ui
