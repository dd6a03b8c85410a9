// File → Auto-export: where and how often the aggregates CSV is written while a
// file streams (the engine's periodic export, the same format as File → Export
// and the headless --export). Applies to the streams opened afterwards.
#pragma once

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace es::ui {

class Settings;

class AutoExportDialog : public QDialog {
    Q_OBJECT
public:
    explicit AutoExportDialog(Settings *settings, QWidget *parent = nullptr);

    /// Writes the choice to the settings (on accept).
    void save();
    bool isEnabled() const;
    QString path() const;
    int seconds() const;

    QCheckBox *enabledBox() const { return m_enabled; }
    QLineEdit *pathEdit() const { return m_path; }
    QSpinBox *secondsBox() const { return m_seconds; }
    QPushButton *okButton() const;
    QLabel *problemLabel() const { return m_problem; }

private:
    void browse();
    void updateState();

    Settings *m_settings;
    QCheckBox *m_enabled;
    QLineEdit *m_path;
    QPushButton *m_browse;
    QSpinBox *m_seconds;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace es::ui
