// Asks which columns hold district, type, price and area when they could not
// all be detected: one combo box per role over the header names, and a
// preview of the first rows.
#pragma once

#include "csvformat.h"

#include <QDialog>

#include <array>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QTableView;

namespace es::ui {

class ColumnMappingDialog : public QDialog {
    Q_OBJECT
public:
    ColumnMappingDialog(const QString &path, const es::FormatInfo &format, QWidget *parent = nullptr);

    /// The chosen column names (every role set once accepted).
    es::ColumnMapping mapping() const;
    QString path() const { return m_path; }
    QComboBox *roleCombo(es::Role role) const { return m_combos[std::size_t(role)]; }
    /// Selects `column` for `role` (tests and scripted use).
    bool setRoleColumn(es::Role role, const QString &column);
    bool isComplete() const;

private:
    void updateState();

    QString m_path;
    std::array<QComboBox *, es::kRoleCount> m_combos{};
    QTableView *m_preview;
    QLabel *m_hint;
    QDialogButtonBox *m_buttons;
};

} // namespace es::ui
