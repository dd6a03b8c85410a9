#include "tablepage.h"

#include "aggregatetablemodel.h"
#include "numberformat.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "filterengine.h"

namespace es::ui {

TablePage::TablePage(QWidget *parent)
    : QWidget(parent)
    , m_model(new AggregateTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_summary(new QLabel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(AggregateTableModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterRole(Qt::DisplayRole);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AggregateTableModel::District, Qt::AscendingOrder);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setDefaultSectionSize(104);
    m_view->setColumnWidth(AggregateTableModel::District, 160);
    m_view->setColumnWidth(AggregateTableModel::PropertyType, 150);
    m_view->setToolTip(tr("Aggregates of the filtered listings per district and property type.\n"
                          "Click a column header to sort."));

    m_search->setPlaceholderText(tr("Find district or type…"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Show only the rows whose district or property type contains this text"));
    m_search->setMinimumWidth(240);
    m_search->setMaximumWidth(320);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterRegularExpression(
            QRegularExpression(QRegularExpression::escape(text), QRegularExpression::CaseInsensitiveOption));
    });
    m_summary->setToolTip(tr("Groups and listings in the filtered view"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_search);
    top->addStretch(1);
    top->addWidget(m_summary);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
}

void TablePage::apply(const es::FilterResult &result)
{
    m_model->setRows(result.groups);
    m_summary->setText(tr("%1 groups · %2 listings")
                           .arg(formatCount(std::int64_t(result.groups.size())),
                                formatCount(std::int64_t(result.totals.stats.count))));
}

} // namespace es::ui
