// The Issues panel: reject reasons with counts and sample line numbers, and
// the log of the engine's issues and the window's own messages. Non-modal.
#pragma once

#include "types.h"

#include <QWidget>

#include <array>

class QPlainTextEdit;
class QTableWidget;
class QTabWidget;

namespace es {
struct StreamSnapshot;
}

namespace es::ui {

class IssuesPanel : public QWidget {
    Q_OBJECT
public:
    explicit IssuesPanel(QWidget *parent = nullptr);

    void applySnapshot(const es::StreamSnapshot &snapshot);
    void addIssue(const es::Issue &issue);
    void addMessage(es::Issue::Severity severity, const QString &text);
    /// A new stream: the reject table empties; the log keeps its history.
    void clearRejects();

    QTableWidget *rejectTable() const { return m_rejects; }
    QPlainTextEdit *logView() const { return m_log; }

Q_SIGNALS:
    /// The number of rejected rows changed (for a badge on the dock title).
    void rejectCountChanged(std::int64_t rejected);

private:
    QTabWidget *m_tabs;
    QTableWidget *m_rejects;
    QPlainTextEdit *m_log;
    std::array<std::int64_t, es::kRejectReasonCount> m_shown{};
};

} // namespace es::ui
