#include "fileopener.h"

#include "columnmappingdialog.h"
#include "settings.h"
#include "uilog.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace es::ui {

namespace {

struct Detection {
    es::DetectResult result;
    es::ColumnMapping mapping; ///< the mapping the result was made with
};

Detection detect(const QString &path, const es::ColumnMapping &saved)
{
    Detection d{es::detectFormat(path, {}, saved), saved};
    if (!d.result.ok() && !saved.isEmpty()) {
        // The remembered columns are gone (the file changed): detect afresh.
        d.mapping = {};
        d.result = es::detectFormat(path, {}, d.mapping);
    }
    return d;
}

} // namespace

FileOpener::FileOpener(Settings *settings, QWidget *dialogParent)
    : QObject(dialogParent)
    , m_settings(settings)
    , m_dialogParent(dialogParent)
{
}

void FileOpener::open(const QString &path, const es::StreamConfig &base)
{
    const quint64 ticket = ++m_ticket;
    if (m_dialog)
        m_dialog->reject();
    m_busy = true;
    const es::ColumnMapping saved = m_settings->columnMapping(path);
    logInfo(tr("open %1").arg(path));
    auto *watcher = new QFutureWatcher<Detection>(this);
    connect(watcher, &QFutureWatcher<Detection>::finished, this, [this, watcher, ticket, path, base] {
        const Detection d = watcher->result();
        watcher->deleteLater();
        onDetected(ticket, path, base, d.result, d.mapping);
    });
    watcher->setFuture(QtConcurrent::run([path, saved] { return detect(path, saved); }));
}

void FileOpener::onDetected(quint64 ticket, const QString &path, const es::StreamConfig &base,
                            const es::DetectResult &result, const es::ColumnMapping &mapping)
{
    if (ticket != m_ticket)
        return; // a newer open() won
    // Missing roles come back as an error with the header filled in: the user
    // can map them when there are at least as many columns as roles.
    const es::HeaderInfo &header = result.format.header;
    const bool mappable = !header.complete() && header.columns.size() >= es::kRoleCount;
    if (!result.ok() && !mappable) {
        m_busy = false;
        Q_EMIT failed(path, result.error);
        return;
    }
    if (mappable) {
        askForMapping(path, base, result.format);
        return;
    }
    m_busy = false;
    es::StreamConfig config = base;
    config.path = path;
    config.mapping = mapping;
    Q_EMIT ready(config, result.format);
}

void FileOpener::askForMapping(const QString &path, const es::StreamConfig &base, const es::FormatInfo &format)
{
    logInfo(tr("columns not all recognised in %1 (missing: %2); asking the user")
                .arg(path, format.header.missingRoles().join(QStringLiteral(", "))));
    auto *dialog = new ColumnMappingDialog(path, format, m_dialogParent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog = dialog;
    const quint64 ticket = m_ticket;
    connect(dialog, &QDialog::finished, this, [this, dialog, ticket, path, base, format](int code) {
        if (ticket != m_ticket)
            return;
        m_busy = false;
        if (code != QDialog::Accepted) {
            Q_EMIT cancelled(path);
            return;
        }
        const es::ColumnMapping mapping = dialog->mapping();
        m_settings->setColumnMapping(path, mapping);
        logInfo(tr("column mapping chosen for %1").arg(path));
        es::StreamConfig config = base;
        config.path = path;
        config.mapping = mapping;
        Q_EMIT ready(config, format);
    });
    dialog->open();
}

} // namespace es::ui
