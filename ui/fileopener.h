// Opening a listings file: detects its format off the UI thread, applies the
// column mapping remembered for the file, asks for one with the mapping
// dialog when the four roles are not all found, and hands back a ready
// StreamConfig. Latest open wins.
#pragma once

#include "csvformat.h"
#include "columnmappingdialog.h"
#include "streamengine.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace es::ui {

class Settings;

class FileOpener : public QObject {
    Q_OBJECT
public:
    FileOpener(Settings *settings, QWidget *dialogParent);

    /// Starts opening `path`; `base` supplies rate, batch size and the processing filter.
    void open(const QString &path, const es::StreamConfig &base);
    /// The mapping dialog while it is shown (nullptr otherwise).
    ColumnMappingDialog *mappingDialog() const { return m_dialog; }
    bool isBusy() const { return m_busy; }

Q_SIGNALS:
    /// Format known and every role mapped: stream `config`.
    void ready(const es::StreamConfig &config, const es::FormatInfo &format);
    /// The file cannot be used (one-line reason).
    void failed(const QString &path, const QString &reason);
    /// The user closed the mapping dialog without choosing.
    void cancelled(const QString &path);

private:
    void onDetected(quint64 ticket, const QString &path, const es::StreamConfig &base,
                    const es::DetectResult &result, const es::ColumnMapping &mapping);
    void askForMapping(const QString &path, const es::StreamConfig &base, const es::FormatInfo &format);

    Settings *m_settings;
    QWidget *m_dialogParent;
    QPointer<ColumnMappingDialog> m_dialog;
    quint64 m_ticket = 0;
    bool m_busy = false;
};

} // namespace es::ui
