#include "multiselectcombo.h"

#include "multiselectmodel.h"
#include "widgetaccessibility.h"

#include <QAccessible>
#include <QApplication>
#include <QFrame>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QMouseEvent>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QStyleOptionComboBox>
#include <QStylePainter>
#include <QStyledItemDelegate>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>

namespace es {

// ---- helpers living in the popup ------------------------------------------------------------

/// Filters rows by the folded search text (substring of the folded name).
class MultiSelectSearchProxy : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setNeedle(const QString &text)
    {
        const QString needle = MultiSelectModel::searchKey(text.trimmed());
        if (needle == m_needle)
            return;
        m_needle = needle;
        invalidateFilter();
    }

    bool isFiltering() const { return !m_needle.isEmpty(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override
    {
        if (m_needle.isEmpty())
            return true;
        const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
        return index.data(MultiSelectModel::SearchKeyRole).toString().contains(m_needle);
    }

private:
    QString m_needle;
};

namespace {

/// Toggles a row when it is clicked anywhere (not only on the check box) or gets Space.
class ToggleDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override
    {
        if (!(index.flags() & Qt::ItemIsUserCheckable) || !(index.flags() & Qt::ItemIsEnabled))
            return false;
        switch (event->type()) {
        case QEvent::MouseButtonDblClick:
            // The second click of a double click arrives as a release: swallow the double
            // click itself so the view does not start anything else.
            return static_cast<QMouseEvent *>(event)->button() == Qt::LeftButton;
        case QEvent::MouseButtonRelease: {
            const auto *mouse = static_cast<QMouseEvent *>(event);
            if (mouse->button() != Qt::LeftButton || !option.rect.contains(mouse->position().toPoint()))
                return false;
            toggle(model, index);
            return true;
        }
        case QEvent::KeyPress: {
            const int key = static_cast<QKeyEvent *>(event)->key();
            if (key != Qt::Key_Space && key != Qt::Key_Select)
                return false;
            toggle(model, index);
            return true;
        }
        default:
            return false;
        }
    }

private:
    static void toggle(QAbstractItemModel *model, const QModelIndex &index)
    {
        const bool checked = index.data(Qt::CheckStateRole).toInt() != Qt::Unchecked;
        model->setData(index, checked ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole);
    }
};

} // namespace

/// The drop-down: a Qt::Popup frame owned by the combo.
class MultiSelectPopup : public QFrame
{
public:
    explicit MultiSelectPopup(MultiSelectCombo *combo)
        : QFrame(combo, Qt::Popup)
        , m_combo(combo)
    {
        setFrameShape(QFrame::StyledPanel);
        setFrameShadow(QFrame::Plain);
        setAttribute(Qt::WA_WindowPropagation); // follow the combo's palette and font
    }

protected:
    void mousePressEvent(QMouseEvent *event) override
    {
        // A press outside closes the popup. A press on the combo itself must not be replayed
        // to it, or it would open the popup again at once.
        if (!rect().contains(event->position().toPoint())) {
            const QPoint inCombo = m_combo->mapFromGlobal(event->globalPosition().toPoint());
            if (m_combo->rect().contains(inCombo))
                setAttribute(Qt::WA_NoMouseReplay);
        }
        QFrame::mousePressEvent(event);
    }

    void keyPressEvent(QKeyEvent *event) override
    {
        const bool alt = event->modifiers() & Qt::AltModifier;
        switch (event->key()) {
        case Qt::Key_Escape:
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_F4:
            hide();
            event->accept();
            return;
        case Qt::Key_Up:
        case Qt::Key_Down:
            if (alt) {
                hide();
                event->accept();
                return;
            }
            break;
        default:
            break;
        }
        QFrame::keyPressEvent(event);
    }

    void hideEvent(QHideEvent *event) override
    {
        QFrame::hideEvent(event);
        m_combo->onPopupHidden();
    }

private:
    MultiSelectCombo *m_combo;
};

// ---- MultiSelectCombo -----------------------------------------------------------------------

MultiSelectCombo::MultiSelectCombo(QWidget *parent)
    : QWidget(parent)
    , m_model(new MultiSelectModel(this))
    , m_proxy(new MultiSelectSearchProxy(this))
    , m_plural(tr("items"))
{
    registerWidgetAccessibility();
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_Hover);
    setSizePolicy(QSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed, QSizePolicy::ComboBox));
    m_proxy->setSourceModel(m_model);

    m_popup = new MultiSelectPopup(this);
    m_popup->setObjectName(QStringLiteral("multiSelectPopup"));
    m_search = new QLineEdit(m_popup);
    m_search->setObjectName(QStringLiteral("searchEdit"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search"));
    m_view = new QListView(m_popup);
    m_view->setObjectName(QStringLiteral("itemList"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new ToggleDelegate(m_view));
    m_view->setUniformItemSizes(true);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setMouseTracking(true);
    m_view->setToolTip(tr("Click a row or press Space to include or exclude it."));
    m_allButton = new QPushButton(tr("All"), m_popup);
    m_allButton->setObjectName(QStringLiteral("allButton"));
    m_noneButton = new QPushButton(tr("None"), m_popup);
    m_noneButton->setObjectName(QStringLiteral("noneButton"));
    for (QPushButton *button : {m_allButton, m_noneButton}) {
        button->setAutoDefault(false);
        button->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    }

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_allButton);
    buttons->addWidget(m_noneButton);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(m_popup);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(m_search);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    m_search->installEventFilter(this);
    m_view->installEventFilter(this);

    connect(m_model, &MultiSelectModel::checkStateEdited, this, [this] { selectionUpdated(true); });
    connect(m_search, &QLineEdit::textChanged, this, &MultiSelectCombo::onSearchTextChanged);
    connect(m_allButton, &QPushButton::clicked, this, [this] { applyToVisibleRows(true); });
    connect(m_noneButton, &QPushButton::clicked, this, [this] { applyToVisibleRows(false); });

    setPlaceholderName(m_plural);
    updateSearchVisibility();
}

MultiSelectCombo::~MultiSelectCombo()
{
    // Hide while every member is alive: the popup's hide handler calls back into the combo.
    m_popup->hide();
}

// ---- items and state ------------------------------------------------------------------------

void MultiSelectCombo::setItems(const QStringList &items)
{
    const qsizetype before = m_model->rowCount();
    m_model->setItems(items);
    updateSearchVisibility();
    if (m_model->rowCount() != before)
        updateGeometry();
    selectionUpdated(false);
}

QStringList MultiSelectCombo::items() const
{
    return m_model->items();
}

void MultiSelectCombo::setCounts(const QHash<QString, qint64> &counts)
{
    m_model->setCounts(counts);
}

QStringList MultiSelectCombo::checkedItems() const
{
    return m_model->checkedItems();
}

QSet<QString> MultiSelectCombo::uncheckedItems() const
{
    return m_model->uncheckedItems();
}

void MultiSelectCombo::setUncheckedItems(const QSet<QString> &names)
{
    if (m_model->setUncheckedItems(names))
        selectionUpdated(true);
}

bool MultiSelectCombo::isAllSelected() const
{
    return m_model->checkedCount() == m_model->rowCount();
}

void MultiSelectCombo::selectAll()
{
    if (m_model->setRowsChecked({}, true))
        selectionUpdated(true);
}

void MultiSelectCombo::selectNone()
{
    if (m_model->setRowsChecked({}, false))
        selectionUpdated(true);
}

void MultiSelectCombo::setPlaceholderName(const QString &plural)
{
    m_plural = plural;
    m_search->setPlaceholderText(tr("Search %1\u2026").arg(m_plural));
    m_allButton->setToolTip(tr("Include all %1 (those matching the search, while searching)").arg(m_plural));
    m_noneButton->setToolTip(tr("Exclude all %1 (those matching the search, while searching)").arg(m_plural));
    updateGeometry();
    update();
}

QString MultiSelectCombo::placeholderName() const
{
    return m_plural;
}

QString MultiSelectCombo::displayText() const
{
    const int total = m_model->rowCount();
    const int checked = m_model->checkedCount();
    if (checked == total)
        return tr("All %1").arg(m_plural);
    if (checked == 0)
        return tr("No %1").arg(m_plural);
    if (checked == 1)
        return m_model->checkedItems().constFirst();
    return tr("%1 of %2 %3").arg(checked).arg(total).arg(m_plural);
}

QAbstractItemModel *MultiSelectCombo::model() const
{
    return m_model;
}

void MultiSelectCombo::selectionUpdated(bool emitSignal)
{
    update();
    if (QAccessible::isActive()) {
        QAccessibleValueChangeEvent event(this, displayText());
        QAccessible::updateAccessibility(&event);
    }
    if (emitSignal)
        Q_EMIT selectionChanged();
}

QVector<int> MultiSelectCombo::visibleSourceRows() const
{
    QVector<int> rows;
    rows.reserve(m_proxy->rowCount());
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        rows.append(m_proxy->mapToSource(m_proxy->index(row, 0)).row());
    return rows;
}

void MultiSelectCombo::applyToVisibleRows(bool checked)
{
    bool changed = false;
    if (m_proxy->isFiltering()) {
        const QVector<int> rows = visibleSourceRows();
        if (rows.isEmpty())
            return; // nothing matches: nothing to do (an empty list would mean "every row")
        changed = m_model->setRowsChecked(rows, checked);
    } else {
        changed = m_model->setRowsChecked({}, checked);
    }
    if (changed)
        selectionUpdated(true);
}

// ---- popup ----------------------------------------------------------------------------------

void MultiSelectCombo::updateSearchVisibility()
{
    const bool show = m_model->rowCount() > SearchThreshold;
    if (!show && !m_search->text().isEmpty())
        m_search->clear();
    m_search->setVisible(show);
}

void MultiSelectCombo::onSearchTextChanged(const QString &text)
{
    m_proxy->setNeedle(text);
    if (m_proxy->rowCount() > 0 && !m_view->currentIndex().isValid())
        m_view->setCurrentIndex(m_proxy->index(0, 0));
}

void MultiSelectCombo::showPopup()
{
    if (isPopupVisible() || !isEnabled())
        return;
    updateSearchVisibility();
    m_search->clear();

    // Size: as wide as the combo at least, tall enough for up to 12 rows.
    constexpr int MaxVisibleRows = 12;
    const int rows = std::clamp(m_model->rowCount(), 1, MaxVisibleRows);
    const int rowHeight = m_model->rowCount() > 0 ? m_view->sizeHintForRow(0)
                                                   : m_view->fontMetrics().height() + 4;
    const int frame = 2 * m_view->frameWidth();
    m_view->setFixedHeight(rows * rowHeight + frame);
    const int scrollBar = m_model->rowCount() > MaxVisibleRows
                              ? m_view->style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, m_view)
                              : 0;
    const int listWidth = (m_model->rowCount() > 0 ? m_view->sizeHintForColumn(0) : 0) + frame + scrollBar + 4;
    m_popup->layout()->activate();
    QSize size = m_popup->sizeHint();
    const QMargins margins = m_popup->layout()->contentsMargins();
    size.setWidth(std::max({width(), size.width(), listWidth + margins.left() + margins.right()
                                                       + 2 * m_popup->frameWidth()}));

    // Place below the combo, above it if there is no room below; keep it on screen.
    const QRect screenRect = screen() ? screen()->availableGeometry() : QRect(QPoint(0, 0), size);
    size.setWidth(std::min(size.width(), screenRect.width()));
    const QPoint topLeft = mapToGlobal(QPoint(0, 0));
    QPoint pos(isRightToLeft() ? topLeft.x() + width() - size.width() : topLeft.x(), topLeft.y() + height());
    if (pos.y() + size.height() > screenRect.bottom() + 1 && topLeft.y() - size.height() >= screenRect.top())
        pos.setY(topLeft.y() - size.height());
    pos.setX(std::clamp(pos.x(), screenRect.left(), std::max(screenRect.left(), screenRect.right() + 1 - size.width())));
    pos.setY(std::clamp(pos.y(), screenRect.top(), std::max(screenRect.top(), screenRect.bottom() + 1 - size.height())));
    m_popup->setGeometry(QRect(pos, size));

    if (m_proxy->rowCount() > 0)
        m_view->setCurrentIndex(m_proxy->index(0, 0));
    m_view->scrollToTop();
    m_popup->show();
    m_popup->raise();
    m_popup->activateWindow();
    if (m_search->isVisible())
        m_search->setFocus(Qt::PopupFocusReason);
    else
        m_view->setFocus(Qt::PopupFocusReason);
    update();
}

void MultiSelectCombo::hidePopup()
{
    if (m_popup->isVisible())
        m_popup->hide();
}

bool MultiSelectCombo::isPopupVisible() const
{
    return m_popup->isVisible();
}

void MultiSelectCombo::onPopupHidden()
{
    m_search->clear();
    update();
}

bool MultiSelectCombo::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress || (watched != m_search && watched != m_view))
        return QWidget::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    if (key->key() == Qt::Key_Escape) {
        hidePopup();
        return true;
    }
    if (watched == m_search) {
        if ((key->key() == Qt::Key_Down || key->key() == Qt::Key_PageDown) && m_proxy->rowCount() > 0) {
            m_view->setFocus(Qt::OtherFocusReason);
            if (!m_view->currentIndex().isValid())
                m_view->setCurrentIndex(m_proxy->index(0, 0));
            return true;
        }
        return false;
    }
    // In the list: Up on the first row goes back to the search field, and typed text goes there.
    if (m_search->isVisible()) {
        if (key->key() == Qt::Key_Up && key->modifiers() == Qt::NoModifier
            && m_view->currentIndex().row() <= 0) {
            m_search->setFocus(Qt::OtherFocusReason);
            return true;
        }
        const QString text = key->text();
        const bool printable = !text.isEmpty() && text.at(0).isPrint() && text.at(0) != QLatin1Char(' ')
                               && !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
        if (printable) {
            m_search->setFocus(Qt::OtherFocusReason);
            m_search->insert(text);
            return true;
        }
    }
    return false;
}

// ---- look -----------------------------------------------------------------------------------

void MultiSelectCombo::initStyleOption(QStyleOptionComboBox *option) const
{
    option->initFrom(this);
    option->editable = false;
    option->frame = true;
    option->subControls = QStyle::SC_All;
    option->activeSubControls = QStyle::SC_None;
    if (isPopupVisible())
        option->state |= QStyle::State_On;
    if (underMouse())
        option->activeSubControls = QStyle::SC_ComboBoxArrow;
    option->currentText = displayText();
}

void MultiSelectCombo::paintEvent(QPaintEvent *)
{
    QStylePainter painter(this);
    painter.setPen(palette().color(QPalette::Text));
    QStyleOptionComboBox opt;
    initStyleOption(&opt);
    painter.drawComplexControl(QStyle::CC_ComboBox, opt);
    const QRect field = style()->subControlRect(QStyle::CC_ComboBox, &opt, QStyle::SC_ComboBoxEditField, this);
    opt.currentText = fontMetrics().elidedText(opt.currentText, Qt::ElideRight, std::max(0, field.width() - 2));
    painter.drawControl(QStyle::CE_ComboBoxLabel, opt);
}

QSize MultiSelectCombo::sizeHint() const
{
    ensurePolished();
    const QFontMetrics fm = fontMetrics();
    const int total = std::max(m_model->rowCount(), 10);
    int textWidth = std::max({fm.horizontalAdvance(tr("All %1").arg(m_plural)),
                              fm.horizontalAdvance(tr("No %1").arg(m_plural)),
                              fm.horizontalAdvance(tr("%1 of %2 %3").arg(total).arg(total).arg(m_plural))});
    const int nameCap = fm.averageCharWidth() * 20;
    for (const QString &name : m_model->items())
        textWidth = std::max(textWidth, std::min(nameCap, fm.horizontalAdvance(name)));
    QStyleOptionComboBox opt;
    initStyleOption(&opt);
    return style()->sizeFromContents(QStyle::CT_ComboBox, &opt, QSize(textWidth + 4, fm.height()), this);
}

QSize MultiSelectCombo::minimumSizeHint() const
{
    ensurePolished();
    const QFontMetrics fm = fontMetrics();
    QStyleOptionComboBox opt;
    initStyleOption(&opt);
    return style()->sizeFromContents(QStyle::CT_ComboBox, &opt, QSize(fm.averageCharWidth() * 8, fm.height()), this);
}

QString MultiSelectCombo::tooltipText() const
{
    const QStringList checked = m_model->checkedItems();
    const int total = m_model->rowCount();
    if (total == 0 || checked.size() == total || checked.isEmpty())
        return displayText();
    constexpr int MaxNames = 10;
    const auto list = [](QStringList names) {
        const qsizetype more = names.size() - MaxNames;
        if (more > 0) {
            names = names.mid(0, MaxNames);
            names.append(tr("\u2026 and %1 more").arg(more));
        }
        return names.join(QStringLiteral(", "));
    };
    if (checked.size() * 2 <= total)
        return displayText() + QLatin1Char('\n') + tr("Included: %1").arg(list(checked));
    QStringList excluded;
    for (const QString &name : m_model->items()) {
        if (!checked.contains(name))
            excluded.append(name);
    }
    return displayText() + QLatin1Char('\n') + tr("Excluded: %1").arg(list(excluded));
}

// ---- input ----------------------------------------------------------------------------------

bool MultiSelectCombo::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        // The application's tooltip (if any), then what is currently included or excluded.
        const auto *help = static_cast<QHelpEvent *>(event);
        QString text = tooltipText();
        if (!toolTip().isEmpty())
            text = toolTip() + QStringLiteral("\n\n") + text;
        QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void MultiSelectCombo::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        event->ignore();
        return;
    }
    event->accept();
    if (isPopupVisible())
        hidePopup();
    else
        showPopup();
}

void MultiSelectCombo::keyPressEvent(QKeyEvent *event)
{
    const bool alt = event->modifiers() & Qt::AltModifier;
    switch (event->key()) {
    case Qt::Key_Down:
    case Qt::Key_Up:
        if (alt) {
            showPopup();
            event->accept();
            return;
        }
        break;
    case Qt::Key_F4:
    case Qt::Key_Space:
    case Qt::Key_Select:
        if (event->modifiers() == Qt::NoModifier || event->modifiers() == Qt::KeypadModifier) {
            showPopup();
            event->accept();
            return;
        }
        break;
    default:
        break;
    }
    event->ignore();
}

void MultiSelectCombo::changeEvent(QEvent *event)
{
    switch (event->type()) {
    case QEvent::StyleChange:
    case QEvent::FontChange:
        updateGeometry();
        break;
    case QEvent::EnabledChange:
        if (!isEnabled())
            hidePopup();
        break;
    case QEvent::LocaleChange:
    case QEvent::PaletteChange:
        // Counts are formatted with the locale and greyed with the palette: repaint rows.
        m_view->viewport()->update();
        break;
    default:
        break;
    }
    QWidget::changeEvent(event);
}

} // namespace es
