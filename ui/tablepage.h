// The "Aggregates" tab: the filtered District x Property type table, sortable
// by any column (numeric sort), with a quick text filter over the rows.
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace es {
struct FilterResult;
}

namespace es::ui {

class AggregateTableModel;

class TablePage : public QWidget {
    Q_OBJECT
public:
    explicit TablePage(QWidget *parent = nullptr);

    void apply(const es::FilterResult &result);
    AggregateTableModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }

private:
    AggregateTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_search;
    QLabel *m_summary;
};

} // namespace es::ui
