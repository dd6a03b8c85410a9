// A combo box whose popup holds checkable items, All/None buttons and a search field.
#pragma once

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QWidget>

class QAbstractItemModel;
class QLineEdit;
class QListView;
class QPushButton;
class QStyleOptionComboBox;

namespace es {

class MultiSelectModel;
class MultiSelectPopup;
class MultiSelectSearchProxy;

/// Looks like a read-only QComboBox; its text summarises the selection ("All districts",
/// "No districts", "Lisboa", "3 of 26 districts"). The popup lists the items with check boxes
/// and per-item counts ("Lisboa  (1,234)", a zero count greyed), All/None buttons (acting on
/// the rows the search shows) and a search field when there are more than SearchThreshold
/// items (case- and accent-insensitive: "evora" finds "Évora").
///
/// Its tooltip is the application's toolTip() followed by the included (or excluded) names.
///
/// Keyboard: Alt+Down, F4 or Space opens the popup; in it Space toggles the current row, the
/// arrows move, typing in the search field filters, Esc or Enter closes it.
///
/// selectionChanged() is emitted once per change: per toggled row, once for All or None, and
/// by setUncheckedItems()/selectAll()/selectNone() when uncheckedItems() changed. setItems()
/// and setCounts() never emit it (new names come in checked, known names keep their state).
class MultiSelectCombo : public QWidget
{
    Q_OBJECT
    Q_PROPERTY(QString placeholderName READ placeholderName WRITE setPlaceholderName)
    Q_PROPERTY(QString displayText READ displayText)

public:
    static constexpr int SearchThreshold = 8;

    explicit MultiSelectCombo(QWidget *parent = nullptr);
    ~MultiSelectCombo() override;

    /// The names, in the given order (duplicates dropped). Known names keep their check
    /// state, new names are checked.
    void setItems(const QStringList &items);
    QStringList items() const;

    /// Count shown next to each name; a name missing from `counts` shows none.
    void setCounts(const QHash<QString, qint64> &counts);

    /// Checked names among items(), in item order.
    QStringList checkedItems() const;
    /// Unchecked names; may include remembered names not currently in items() (they come
    /// back unchecked), so it is the right set to exclude when filtering.
    QSet<QString> uncheckedItems() const;
    void setUncheckedItems(const QSet<QString> &names);
    /// True when no listed item is unchecked.
    bool isAllSelected() const;
    void selectAll();
    void selectNone();

    /// Plural noun used in the summary, e.g. "districts" ("items" by default).
    void setPlaceholderName(const QString &plural);
    QString placeholderName() const;
    /// The summary shown in the box.
    QString displayText() const;

    /// The item model (rows: names; Qt::CheckStateRole; MultiSelectModel roles).
    QAbstractItemModel *model() const;

    void showPopup();
    void hidePopup();
    bool isPopupVisible() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void selectionChanged();

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    friend class MultiSelectPopup;

    void initStyleOption(QStyleOptionComboBox *option) const;
    void applyToVisibleRows(bool checked);
    void onSearchTextChanged(const QString &text);
    void onPopupHidden();
    void selectionUpdated(bool emitSignal);
    void updateSearchVisibility();
    QString tooltipText() const;
    QVector<int> visibleSourceRows() const;

    MultiSelectModel *m_model = nullptr;
    MultiSelectSearchProxy *m_proxy = nullptr;
    MultiSelectPopup *m_popup = nullptr;
    QLineEdit *m_search = nullptr;
    QListView *m_view = nullptr;
    QPushButton *m_allButton = nullptr;
    QPushButton *m_noneButton = nullptr;
    QString m_plural;
};

} // namespace es
