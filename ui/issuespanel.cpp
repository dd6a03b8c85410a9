#include "issuespanel.h"

#include "numberformat.h"
#include "uilog.h"

#include <QDateTime>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "snapshot.h"

using namespace Qt::StringLiterals;

namespace es::ui {

namespace {

QString severityText(es::Issue::Severity s)
{
    switch (s) {
    case es::Issue::Severity::Info: return IssuesPanel::tr("info");
    case es::Issue::Severity::Warning: return IssuesPanel::tr("warning");
    case es::Issue::Severity::Error: return IssuesPanel::tr("error");
    }
    return {};
}

} // namespace

IssuesPanel::IssuesPanel(QWidget *parent)
    : QWidget(parent)
    , m_tabs(new QTabWidget(this))
    , m_rejects(new QTableWidget(0, 3, this))
    , m_log(new QPlainTextEdit(this))
{
    m_rejects->setObjectName(u"rejectTable"_s);
    m_rejects->setHorizontalHeaderLabels({tr("Reason"), tr("Rows"), tr("First lines")});
    m_rejects->horizontalHeader()->setStretchLastSection(false);
    m_rejects->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_rejects->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_rejects->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Interactive);
    m_rejects->setColumnWidth(2, 90);
    m_rejects->setTextElideMode(Qt::ElideRight);
    m_rejects->setWordWrap(false);
    m_rejects->verticalHeader()->setVisible(false);
    m_rejects->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_rejects->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rejects->setToolTip(tr("Rows that could not be used, by reason, with the first line numbers of each\n"
                             "(line 1 is the header)"));
    m_log->setObjectName(u"logView"_s);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setToolTip(tr("What the stream and the window reported (also written to dashboard.log)"));
    m_tabs->addTab(m_rejects, tr("Rejected rows"));
    m_tabs->addTab(m_log, tr("Log"));
    m_tabs->setDocumentMode(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
}

void IssuesPanel::clearRejects()
{
    m_rejects->setRowCount(0);
    m_shown.fill(0);
    Q_EMIT rejectCountChanged(0);
}

void IssuesPanel::applySnapshot(const es::StreamSnapshot &snapshot)
{
    const auto &byReason = snapshot.counters.rejectsByReason;
    if (byReason == m_shown)
        return;
    m_shown = byReason;
    m_rejects->setRowCount(0);
    for (int r = 0; r < es::kRejectReasonCount; ++r) {
        const std::int64_t n = byReason[std::size_t(r)];
        if (n == 0)
            continue;
        QStringList lines;
        for (std::int64_t line : snapshot.rejectLines.lines[std::size_t(r)])
            lines << QString::number(line);
        if (n > std::int64_t(lines.size()))
            lines << u"…"_s;
        const int row = m_rejects->rowCount();
        m_rejects->insertRow(row);
        auto *reason = new QTableWidgetItem(es::rejectReasonText(es::RejectReason(r)));
        auto *count = new QTableWidgetItem(formatCount(n));
        count->setData(Qt::TextAlignmentRole, QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter)));
        m_rejects->setItem(row, 0, reason);
        m_rejects->setItem(row, 1, count);
        auto *sample = new QTableWidgetItem(lines.join(u", "_s));
        sample->setToolTip(tr("First lines with this problem: %1").arg(lines.join(u", "_s)));
        reason->setToolTip(tr("%1 (%2)\nFirst lines: %3")
                               .arg(es::rejectReasonText(es::RejectReason(r)), es::rejectReasonKey(es::RejectReason(r)),
                                    lines.join(u", "_s)));
        m_rejects->setItem(row, 2, sample);
    }
    Q_EMIT rejectCountChanged(snapshot.counters.rejected);
}

void IssuesPanel::addIssue(const es::Issue &issue)
{
    QString text = issue.message;
    if (issue.line > 0)
        text = tr("line %1: %2").arg(issue.line).arg(text);
    addMessage(issue.severity, text);
}

void IssuesPanel::addMessage(es::Issue::Severity severity, const QString &text)
{
    const QString time = QTime::currentTime().toString(u"HH:mm:ss"_s);
    m_log->appendPlainText(u"%1  %2  %3"_s.arg(time, severityText(severity).leftJustified(7), text));
    switch (severity) {
    case es::Issue::Severity::Info: logInfo(text); break;
    case es::Issue::Severity::Warning: logWarning(text); break;
    case es::Issue::Severity::Error: logError(text); break;
    }
}

} // namespace es::ui
