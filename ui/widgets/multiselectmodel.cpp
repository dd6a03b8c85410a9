#include "multiselectmodel.h"

#include <QBrush>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

#include <utility>

namespace es {

MultiSelectModel::MultiSelectModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

MultiSelectModel::~MultiSelectModel() = default;

int MultiSelectModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

// An index of one of this model's rows (the model tester also probes with invalid ones).
bool MultiSelectModel::isItemIndex(const QModelIndex &index) const
{
    return index.isValid() && index.model() == this && !index.parent().isValid() && index.column() == 0
           && index.row() >= 0 && index.row() < m_items.size();
}

QString MultiSelectModel::displayText(const Item &item) const
{
    if (!item.hasCount)
        return item.name;
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return item.name + QStringLiteral("  (") + locale.toString(item.count) + QLatin1Char(')');
}

QVariant MultiSelectModel::data(const QModelIndex &index, int role) const
{
    if (!isItemIndex(index))
        return {};
    const Item &item = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(item);
    case Qt::ToolTipRole:
        return displayText(item);
    case Qt::AccessibleTextRole:
        return displayText(item);
    case Qt::CheckStateRole:
        return m_unchecked.contains(item.name) ? Qt::Unchecked : Qt::Checked;
    case Qt::ForegroundRole:
        if (item.hasCount && item.count == 0)
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case NameRole:
        return item.name;
    case CountRole:
        return item.hasCount ? QVariant::fromValue(item.count) : QVariant();
    case SearchKeyRole:
        return item.key;
    default:
        return {};
    }
}

bool MultiSelectModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || !isItemIndex(index))
        return false;
    const QString &name = m_items.at(index.row()).name;
    const bool checked = value.toInt() != Qt::Unchecked;
    if (checked == !m_unchecked.contains(name))
        return true; // accepted, nothing to change
    if (checked)
        m_unchecked.remove(name);
    else
        m_unchecked.insert(name);
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole});
    Q_EMIT checkStateEdited();
    return true;
}

Qt::ItemFlags MultiSelectModel::flags(const QModelIndex &index) const
{
    if (!isItemIndex(index))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable | Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> MultiSelectModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, QByteArrayLiteral("name"));
    names.insert(CountRole, QByteArrayLiteral("count"));
    names.insert(SearchKeyRole, QByteArrayLiteral("searchKey"));
    return names;
}

void MultiSelectModel::setItems(const QStringList &items)
{
    QStringList unique;
    unique.reserve(items.size());
    QSet<QString> seen;
    for (const QString &name : items) {
        if (!seen.contains(name)) {
            seen.insert(name);
            unique.append(name);
        }
    }
    if (unique == this->items())
        return;

    const auto makeItem = [this](const QString &name) {
        Item item;
        item.name = name;
        item.key = searchKey(name);
        const auto it = m_counts.constFind(name);
        item.hasCount = it != m_counts.constEnd();
        item.count = item.hasCount ? it.value() : 0;
        return item;
    };

    // Is the old list a subsequence of the new one? Then report insertions only.
    qsizetype oldPos = 0;
    for (qsizetype i = 0; i < unique.size() && oldPos < m_items.size(); ++i) {
        if (unique.at(i) == m_items.at(oldPos).name)
            ++oldPos;
    }
    if (oldPos == m_items.size()) {
        for (qsizetype i = 0; i < unique.size(); ++i) {
            if (i < m_items.size() && m_items.at(i).name == unique.at(i))
                continue;
            const int row = static_cast<int>(i);
            beginInsertRows(QModelIndex(), row, row);
            m_items.insert(i, makeItem(unique.at(i)));
            endInsertRows();
        }
        return;
    }

    beginResetModel();
    m_items.clear();
    m_items.reserve(unique.size());
    for (const QString &name : unique)
        m_items.append(makeItem(name));
    endResetModel();
}

QStringList MultiSelectModel::items() const
{
    QStringList names;
    names.reserve(m_items.size());
    for (const Item &item : m_items)
        names.append(item.name);
    return names;
}

void MultiSelectModel::setCounts(const QHash<QString, qint64> &counts)
{
    m_counts = counts;
    int first = -1;
    int last = -1;
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        Item &item = m_items[i];
        const auto it = counts.constFind(item.name);
        const bool hasCount = it != counts.constEnd();
        const qint64 count = hasCount ? it.value() : 0;
        if (hasCount == item.hasCount && count == item.count)
            continue;
        item.hasCount = hasCount;
        item.count = count;
        if (first < 0)
            first = static_cast<int>(i);
        last = static_cast<int>(i);
    }
    if (first >= 0) {
        Q_EMIT dataChanged(index(first), index(last),
                           {Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole, Qt::ForegroundRole, CountRole});
    }
}

QStringList MultiSelectModel::checkedItems() const
{
    QStringList names;
    for (const Item &item : m_items) {
        if (!m_unchecked.contains(item.name))
            names.append(item.name);
    }
    return names;
}

QSet<QString> MultiSelectModel::uncheckedItems() const
{
    return m_unchecked;
}

bool MultiSelectModel::setUncheckedItems(const QSet<QString> &names)
{
    if (names == m_unchecked)
        return false;
    m_unchecked = names;
    emitAllChanged({Qt::CheckStateRole});
    return true;
}

bool MultiSelectModel::setRowsChecked(const QVector<int> &rows, bool checked)
{
    const QSet<QString> before = m_unchecked;
    if (rows.isEmpty() && checked) {
        // "All": forget remembered names too, nothing stays excluded.
        m_unchecked.clear();
    } else if (rows.isEmpty()) {
        for (const Item &item : std::as_const(m_items))
            m_unchecked.insert(item.name);
    } else {
        for (int row : rows) {
            if (row < 0 || row >= m_items.size())
                continue;
            if (checked)
                m_unchecked.remove(m_items.at(row).name);
            else
                m_unchecked.insert(m_items.at(row).name);
        }
    }
    if (m_unchecked == before)
        return false;
    emitAllChanged({Qt::CheckStateRole});
    return true;
}

bool MultiSelectModel::isChecked(int row) const
{
    return row >= 0 && row < m_items.size() && !m_unchecked.contains(m_items.at(row).name);
}

int MultiSelectModel::checkedCount() const
{
    int count = 0;
    for (const Item &item : m_items) {
        if (!m_unchecked.contains(item.name))
            ++count;
    }
    return count;
}

QString MultiSelectModel::searchKey(const QString &text)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_KD);
    QString key;
    key.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        const QChar::Category category = c.category();
        if (category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining
            || category == QChar::Mark_Enclosing) {
            continue;
        }
        key.append(c);
    }
    return key.toCaseFolded();
}

void MultiSelectModel::emitAllChanged(const QList<int> &roles)
{
    if (m_items.isEmpty())
        return;
    Q_EMIT dataChanged(index(0), index(static_cast<int>(m_items.size()) - 1), roles);
}

} // namespace es
