// Stream controls: Start, Pause/Resume, Step, Stop, Restart actions, the rate
// and batch-size editors (changeable while running) and the state label.
#pragma once

#include "streamengine.h"

#include <QObject>

class QAction;
class QComboBox;
class QLabel;
class QSpinBox;
class QToolBar;
class QWidget;

namespace es::ui {

class DashboardController;
class Settings;

class StreamControls : public QObject {
    Q_OBJECT
public:
    StreamControls(DashboardController *dashboard, Settings *settings, QWidget *parentWidget);

    QAction *startAction() const { return m_start; }
    QAction *pauseAction() const { return m_pause; }
    QAction *stepAction() const { return m_step; }
    QAction *stopAction() const { return m_stop; }
    QAction *restartAction() const { return m_restart; }
    /// Ctrl+Space: start, pause or resume, whichever fits the state.
    QAction *togglePlayAction() const { return m_toggle; }
    QComboBox *rateCombo() const { return m_rate; }
    QSpinBox *batchSpin() const { return m_batch; }
    QLabel *stateLabel() const { return m_state; }

    /// Listings per second (0 = as fast as possible) and batch size to start with.
    double rate() const;
    int batchSize() const;
    /// Selects `listingsPerSecond` in the rate box (adds it if it is not a preset) and
    /// applies it to the stream; unlike a choice in the box, it is not saved in the settings.
    void setRate(double listingsPerSecond);

    void addTo(QToolBar *toolBar);
    QString stateText() const;

Q_SIGNALS:
    /// Start was asked for but there is no file yet.
    void openRequested();

private:
    void onStart();
    void onTogglePlay();
    void onPauseToggled(bool paused);
    void updateState();
    void onRateChosen(int index);
    void onBatchChanged(int value);

    QWidget *m_host;
    DashboardController *m_dashboard;
    Settings *m_settings;
    QAction *m_start;
    QAction *m_pause;
    QAction *m_step;
    QAction *m_stop;
    QAction *m_restart;
    QAction *m_toggle;
    QComboBox *m_rate;
    QSpinBox *m_batch;
    QLabel *m_state;
    QString m_failure;
    double m_fraction = 0;
};

} // namespace es::ui
