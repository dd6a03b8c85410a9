// The list behind MultiSelectCombo: names with a check state and an optional count.
#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QSet>
#include <QStringList>
#include <QVector>

namespace es {

/// One row per name, in the order given to setItems(). Rows are user-checkable; a setData()
/// on Qt::CheckStateRole is a user edit and emits checkStateEdited(). The unchecked set is
/// remembered by name, also for names not (or no longer) in the list: a name that comes back
/// keeps its state, a new name is checked.
class MultiSelectModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        NameRole = Qt::UserRole + 1, ///< QString, the bare name
        CountRole,                   ///< qint64, or invalid when no count is known
        SearchKeyRole,               ///< QString, the name folded for matching
    };

    explicit MultiSelectModel(QObject *parent = nullptr);
    ~MultiSelectModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Replaces the names (duplicates dropped, order kept). Pure insertions are reported as
    /// row inserts so an open view keeps its position; anything else resets the model.
    void setItems(const QStringList &items);
    QStringList items() const;

    void setCounts(const QHash<QString, qint64> &counts);

    QStringList checkedItems() const;
    /// Every unchecked name, including remembered names not in items().
    QSet<QString> uncheckedItems() const;
    /// Replaces the unchecked set; returns whether uncheckedItems() changed.
    bool setUncheckedItems(const QSet<QString> &names);
    /// Checks (or unchecks) the given rows, or all rows when `rows` is empty. Returns whether
    /// uncheckedItems() changed. Checking all rows also forgets remembered names. Programmatic:
    /// does not emit checkStateEdited().
    bool setRowsChecked(const QVector<int> &rows, bool checked);
    bool isChecked(int row) const;
    int checkedCount() const;

    /// Case-, accent- and width-insensitive key used by the search field ("Évora" → "evora").
    static QString searchKey(const QString &text);

Q_SIGNALS:
    /// A check state was changed through setData() (a user edit in a view).
    void checkStateEdited();

private:
    struct Item {
        QString name;
        QString key;
        qint64 count = 0;
        bool hasCount = false;
    };

    bool isItemIndex(const QModelIndex &index) const;
    QString displayText(const Item &item) const;
    void emitAllChanged(const QList<int> &roles);

    QVector<Item> m_items;
    QSet<QString> m_unchecked;
    QHash<QString, qint64> m_counts;
};

} // namespace es
