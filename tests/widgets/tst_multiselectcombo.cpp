// es::MultiSelectCombo: check state, All/None, search, counts, signals, keyboard, model.
#include "multiselectcombo.h"
#include "multiselectmodel.h"

#include <QAbstractItemModelTester>
#include <QAccessible>
#include <QAccessibleInterface>
#include <QApplication>
#include <QGuiApplication>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPalette>
#include <QPushButton>
#include <QScreen>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using es::MultiSelectCombo;
using es::MultiSelectModel;

namespace {

QString s(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

/// Portugal's 18 mainland districts, in alphabetical order.
QStringList districts()
{
    return {s("Aveiro"),   s("Beja"),     s("Braga"),      s("Bragança"),   s("Castelo Branco"),
            s("Coimbra"),  s("Évora"),    s("Faro"),       s("Guarda"),     s("Leiria"),
            s("Lisboa"),   s("Portalegre"), s("Porto"),    s("Santarém"),   s("Setúbal"),
            s("Viana do Castelo"), s("Vila Real"), s("Viseu")};
}

QStringList namesShown(const QListView *view)
{
    QStringList names;
    for (int row = 0; row < view->model()->rowCount(); ++row)
        names.append(view->model()->index(row, 0).data(MultiSelectModel::NameRole).toString());
    return names;
}

} // namespace

class TestMultiSelectCombo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void newItemsAreChecked();
    void setItemsKeepsKnownState();
    void setItemsDropsDuplicatesKeepsOrder();
    void rememberedUncheckedNameComesBackUnchecked();
    void checkedAndUncheckedAreComplementary();
    void displayTextSummaries();
    void selectAllNoneApi();
    void allNoneButtonsEmitOnce();
    void allNoneActOnSearchResults();
    void clickTogglesOneRowOneSignal();
    void spaceTogglesCurrentRow();
    void searchShownOnlyAboveThreshold();
    void searchFiltersCaseAndAccentInsensitive();
    void countsText();
    void zeroCountGreyed();
    void setItemsAndCountsDoNotEmit();
    void setUncheckedItemsEmitsOnlyOnChange();
    void keyboardOpensAndCloses_data();
    void keyboardOpensAndCloses();
    void clickOpensPopup();
    void clickOnComboClosesOpenPopup();
    void accessibleValueIsSummary();
    void looksLikeAComboBox();

private:
    std::unique_ptr<MultiSelectCombo> m_combo;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QLineEdit *m_search = nullptr;
    QListView *m_view = nullptr;
    QPushButton *m_all = nullptr;
    QPushButton *m_none = nullptr;
};

void TestMultiSelectCombo::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestMultiSelectCombo::init()
{
    m_combo = std::make_unique<MultiSelectCombo>();
    m_combo->setPlaceholderName(QStringLiteral("districts"));
    m_tester = std::make_unique<QAbstractItemModelTester>(m_combo->model(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_search = m_combo->findChild<QLineEdit *>(QStringLiteral("searchEdit"));
    m_view = m_combo->findChild<QListView *>(QStringLiteral("itemList"));
    m_all = m_combo->findChild<QPushButton *>(QStringLiteral("allButton"));
    m_none = m_combo->findChild<QPushButton *>(QStringLiteral("noneButton"));
    QVERIFY(m_search && m_view && m_all && m_none);
    // The view shows a filtering proxy over the combo's model: test that one too.
    new QAbstractItemModelTester(m_view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, m_view);
    m_combo->resize(240, m_combo->sizeHint().height());
    m_combo->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_combo.get()));
}

void TestMultiSelectCombo::cleanup()
{
    m_tester.reset();
    m_combo.reset();
}

void TestMultiSelectCombo::newItemsAreChecked()
{
    m_combo->setItems({s("Lisboa"), s("Porto")});
    QCOMPARE(m_combo->items(), (QStringList{s("Lisboa"), s("Porto")}));
    QCOMPARE(m_combo->checkedItems(), m_combo->items());
    QVERIFY(m_combo->uncheckedItems().isEmpty());
    for (int row = 0; row < 2; ++row)
        QCOMPARE(m_combo->model()->index(row, 0).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
}

void TestMultiSelectCombo::setItemsKeepsKnownState()
{
    m_combo->setItems({s("Beja"), s("Faro"), s("Porto")});
    m_combo->setUncheckedItems({s("Faro")});
    m_combo->setItems({s("Aveiro"), s("Beja"), s("Faro"), s("Lisboa"), s("Porto")});
    QCOMPARE(m_combo->items(), (QStringList{s("Aveiro"), s("Beja"), s("Faro"), s("Lisboa"), s("Porto")}));
    QCOMPARE(m_combo->checkedItems(), (QStringList{s("Aveiro"), s("Beja"), s("Lisboa"), s("Porto")}));
    QCOMPARE(m_combo->uncheckedItems(), (QSet<QString>{s("Faro")}));
    QCOMPARE(m_combo->model()->index(2, 0).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
}

void TestMultiSelectCombo::setItemsDropsDuplicatesKeepsOrder()
{
    m_combo->setItems({s("Porto"), s("Beja"), s("Porto"), s("Aveiro")});
    QCOMPARE(m_combo->items(), (QStringList{s("Porto"), s("Beja"), s("Aveiro")}));
    QCOMPARE(m_combo->model()->rowCount(), 3);
}

void TestMultiSelectCombo::rememberedUncheckedNameComesBackUnchecked()
{
    m_combo->setItems({s("Beja"), s("Faro")});
    m_combo->setUncheckedItems({s("Faro")});
    m_combo->setItems({s("Beja")}); // Faro gone (e.g. another file)...
    QCOMPARE(m_combo->checkedItems(), (QStringList{s("Beja")}));
    m_combo->setItems({s("Beja"), s("Faro")}); // ...and back: still unchecked
    QCOMPARE(m_combo->checkedItems(), (QStringList{s("Beja")}));
    // A state restored before the data arrives applies when the name shows up.
    m_combo->setUncheckedItems({s("Viseu")});
    m_combo->setItems({s("Beja"), s("Faro"), s("Viseu")});
    QCOMPARE(m_combo->checkedItems(), (QStringList{s("Beja"), s("Faro")}));
}

void TestMultiSelectCombo::checkedAndUncheckedAreComplementary()
{
    const QStringList all = districts();
    m_combo->setItems(all);
    const QSet<QString> excluded{s("Évora"), s("Lisboa"), s("Viseu")};
    m_combo->setUncheckedItems(excluded);
    QStringList expectedChecked;
    for (const QString &name : all) {
        if (!excluded.contains(name))
            expectedChecked.append(name);
    }
    QCOMPARE(m_combo->checkedItems(), expectedChecked);
    QCOMPARE(m_combo->uncheckedItems(), excluded);
    QVERIFY(!m_combo->isAllSelected());
}

void TestMultiSelectCombo::displayTextSummaries()
{
    const QStringList all = districts();
    m_combo->setItems(all);
    QCOMPARE(m_combo->displayText(), QStringLiteral("All districts"));
    QVERIFY(m_combo->isAllSelected());
    m_combo->selectNone();
    QCOMPARE(m_combo->displayText(), QStringLiteral("No districts"));
    QSet<QString> allButLisboa(all.cbegin(), all.cend());
    allButLisboa.remove(s("Lisboa"));
    m_combo->setUncheckedItems(allButLisboa);
    QCOMPARE(m_combo->displayText(), QStringLiteral("Lisboa"));
    allButLisboa.remove(s("Porto"));
    allButLisboa.remove(s("Faro"));
    m_combo->setUncheckedItems(allButLisboa);
    QCOMPARE(m_combo->displayText(), QStringLiteral("3 of %1 districts").arg(all.size()));
    m_combo->setPlaceholderName(QStringLiteral("types"));
    QCOMPARE(m_combo->displayText(), QStringLiteral("3 of %1 types").arg(all.size()));
}

void TestMultiSelectCombo::selectAllNoneApi()
{
    m_combo->setItems(districts());
    QSignalSpy spy(m_combo.get(), &MultiSelectCombo::selectionChanged);
    m_combo->selectNone();
    QCOMPARE(spy.count(), 1);
    QVERIFY(m_combo->checkedItems().isEmpty());
    QCOMPARE(m_combo->uncheckedItems().size(), districts().size());
    m_combo->selectNone();
    QCOMPARE(spy.count(), 1); // nothing changed
    m_combo->selectAll();
    QCOMPARE(spy.count(), 2);
    QCOMPARE(m_combo->checkedItems(), districts());
}

void TestMultiSelectCombo::allNoneButtonsEmitOnce()
{
    m_combo->setItems(districts());
    m_combo->showPopup();
    QVERIFY(m_combo->isPopupVisible());
    QSignalSpy spy(m_combo.get(), &MultiSelectCombo::selectionChanged);
    QTest::mouseClick(m_none, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QVERIFY(m_combo->checkedItems().isEmpty());
    QTest::mouseClick(m_all, Qt::LeftButton);
    QCOMPARE(spy.count(), 2);
    QCOMPARE(m_combo->checkedItems(), districts());
    QTest::mouseClick(m_all, Qt::LeftButton); // already all: no signal
    QCOMPARE(spy.count(), 2);
}

void TestMultiSelectCombo::allNoneActOnSearchResults()
{
    m_combo->setItems(districts());
    m_combo->showPopup();
    QTest::keyClicks(m_search, QStringLiteral("vi"));
    const QStringList shown = namesShown(m_view);
    QCOMPARE(shown, (QStringList{s("Viana do Castelo"), s("Vila Real"), s("Viseu")}));
    QSignalSpy spy(m_combo.get(), &MultiSelectCombo::selectionChanged);
    QTest::mouseClick(m_none, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(m_combo->uncheckedItems(), QSet<QString>(shown.cbegin(), shown.cend()));
    // A search matching nothing: the buttons do nothing.
    m_search->clear();
    QTest::keyClicks(m_search, QStringLiteral("zzz"));
    QCOMPARE(m_view->model()->rowCount(), 0);
    QTest::mouseClick(m_none, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(m_combo->uncheckedItems().size(), 3);
}

void TestMultiSelectCombo::clickTogglesOneRowOneSignal()
{
    m_combo->setItems({s("Beja"), s("Faro"), s("Porto")});
    m_combo->showPopup();
    QSignalSpy spy(m_combo.get(), &MultiSelectCombo::selectionChanged);
    // Click on the text of the row (not on the check box): the row toggles.
    const QModelIndex faro = m_view->model()->index(1, 0);
    const QRect rect = m_view->visualRect(faro);
    QVERIFY(rect.isValid());
    const QPoint onText(rect.right() - 10, rect.center().y());
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, onText);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(m_combo->uncheckedItems(), (QSet<QString>{s("Faro")}));
    QCOMPARE(m_combo->displayText(), QStringLiteral("2 of 3 districts"));
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, onText);
    QCOMPARE(spy.count(), 2);
    QVERIFY(m_combo->uncheckedItems().isEmpty());
    QVERIFY(m_combo->isPopupVisible()); // stays open for more choices
}

void TestMultiSelectCombo::spaceTogglesCurrentRow()
{
    m_combo->setItems({s("Beja"), s("Faro"), s("Porto")});
    m_combo->setFocus();
    QTest::keyClick(m_combo.get(), Qt::Key_Down, Qt::AltModifier);
    QVERIFY(m_combo->isPopupVisible());
    QVERIFY(!m_search->isVisibleTo(m_view->parentWidget())); // 3 items: no search field
    QSignalSpy spy(m_combo.get(), &MultiSelectCombo::selectionChanged);
    QTest::keyClick(m_view, Qt::Key_Down); // from Beja to Faro
    QTest::keyClick(m_view, Qt::Key_Space);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(m_combo->uncheckedItems(), (QSet<QString>{s("Faro")}));
    QTest::keyClick(m_view, Qt::Key_Escape);
    QVERIFY(!m_combo->isPopupVisible());
    QCOMPARE(spy.count(), 1);
}

void TestMultiSelectCombo::searchShownOnlyAboveThreshold()
{
    QStringList names = districts().mid(0, MultiSelectCombo::SearchThreshold);
    m_combo->setItems(names);
    m_combo->showPopup();
    QVERIFY(!m_search->isVisible());
    m_combo->hidePopup();
    names.append(s("Viseu"));
    m_combo->setItems(names);
    m_combo->showPopup();
    QVERIFY(m_search->isVisible());
    QVERIFY(m_search->hasFocus());
}

void TestMultiSelectCombo::searchFiltersCaseAndAccentInsensitive()
{
    const QStringList all = districts();
    m_combo->setItems(all);
    m_combo->showPopup();
    QCOMPARE(m_view->model()->rowCount(), all.size());

    QTest::keyClicks(m_search, QStringLiteral("EVOR"));
    QCOMPARE(namesShown(m_view), (QStringList{s("Évora")}));

    m_search->clear();
    QCOMPARE(m_view->model()->rowCount(), all.size());
    QTest::keyClicks(m_search, QStringLiteral("bra"));
    // Independent expectation: names containing "bra" once accents and case are ignored.
    QStringList expected;
    for (const QString &name : all) {
        QString plain = name.toLower();
        plain.replace(QChar(0x00e7), QLatin1Char('c'));
        if (plain.contains(QLatin1String("bra")))
            expected.append(name);
    }
    QCOMPARE(namesShown(m_view), expected);
    QCOMPARE(expected.size(), 4); // Braga, Bragança, Castelo Branco, Coimbra

    m_search->clear();
    QTest::keyClicks(m_search, QStringLiteral("ganca")); // no cedilla typed
    QCOMPARE(namesShown(m_view), (QStringList{s("Bragança")}));

    // Closing the popup clears the search.
    m_combo->hidePopup();
    QVERIFY(m_search->text().isEmpty());
    QCOMPARE(m_view->model()->rowCount(), all.size());
}

void TestMultiSelectCombo::countsText()
{
    m_combo->setItems({s("Faro"), s("Lisboa"), s("Porto")});
    m_combo->setCounts({{s("Lisboa"), 1234}, {s("Porto"), 0}, {s("Braga"), 7}});
    QAbstractItemModel *model = m_combo->model();
    QCOMPARE(model->index(0, 0).data().toString(), s("Faro")); // no count known
    QCOMPARE(model->index(1, 0).data().toString(), s("Lisboa  (1,234)"));
    QCOMPARE(model->index(2, 0).data().toString(), s("Porto  (0)"));
    QCOMPARE(model->index(1, 0).data(MultiSelectModel::CountRole).toLongLong(), 1234);
    QVERIFY(!model->index(0, 0).data(MultiSelectModel::CountRole).isValid());
    // Counts change as data streams in; a name added later picks up its count.
    m_combo->setCounts({{s("Lisboa"), 1234567}, {s("Braga"), 7}});
    QCOMPARE(model->index(1, 0).data().toString(), s("Lisboa  (1,234,567)"));
    QCOMPARE(model->index(2, 0).data().toString(), s("Porto"));
    m_combo->setItems({s("Braga"), s("Faro"), s("Lisboa"), s("Porto")});
    QCOMPARE(model->index(0, 0).data().toString(), s("Braga  (7)"));
}

void TestMultiSelectCombo::zeroCountGreyed()
{
    m_combo->setItems({s("Lisboa"), s("Porto")});
    m_combo->setCounts({{s("Lisboa"), 10}, {s("Porto"), 0}});
    QAbstractItemModel *model = m_combo->model();
    const QVariant grey = model->index(1, 0).data(Qt::ForegroundRole);
    QVERIFY(grey.isValid());
    QCOMPARE(grey.value<QBrush>().color(), QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text));
    QVERIFY(!model->index(0, 0).data(Qt::ForegroundRole).isValid());
}

void TestMultiSelectCombo::setItemsAndCountsDoNotEmit()
{
    QSignalSpy spy(m_combo.get(), &MultiSelectCombo::selectionChanged);
    m_combo->setItems(districts());
    m_combo->setCounts({{s("Lisboa"), 3}});
    m_combo->setItems(districts().mid(2));
    QCOMPARE(spy.count(), 0);
}

void TestMultiSelectCombo::setUncheckedItemsEmitsOnlyOnChange()
{
    m_combo->setItems(districts());
    QSignalSpy spy(m_combo.get(), &MultiSelectCombo::selectionChanged);
    m_combo->setUncheckedItems({s("Faro"), s("Beja")});
    QCOMPARE(spy.count(), 1);
    m_combo->setUncheckedItems({s("Beja"), s("Faro")});
    QCOMPARE(spy.count(), 1);
    m_combo->setUncheckedItems({});
    QCOMPARE(spy.count(), 2);
}

void TestMultiSelectCombo::keyboardOpensAndCloses_data()
{
    QTest::addColumn<int>("openKey");
    QTest::addColumn<int>("openModifiers");
    QTest::addColumn<int>("closeKey");
    QTest::newRow("Alt+Down, Esc") << int(Qt::Key_Down) << int(Qt::AltModifier) << int(Qt::Key_Escape);
    QTest::newRow("Space, Esc") << int(Qt::Key_Space) << int(Qt::NoModifier) << int(Qt::Key_Escape);
    QTest::newRow("F4, Enter") << int(Qt::Key_F4) << int(Qt::NoModifier) << int(Qt::Key_Return);
}

void TestMultiSelectCombo::keyboardOpensAndCloses()
{
    QFETCH(int, openKey);
    QFETCH(int, openModifiers);
    QFETCH(int, closeKey);
    m_combo->setItems(districts()); // with the search field
    m_combo->setFocus();
    QVERIFY(!m_combo->isPopupVisible());
    QTest::keyClick(m_combo.get(), Qt::Key(openKey), Qt::KeyboardModifiers(openModifiers));
    QVERIFY(m_combo->isPopupVisible());
    QWidget *focus = QApplication::focusWidget();
    QVERIFY(focus == m_search);
    QTest::keyClick(focus, Qt::Key(closeKey));
    QVERIFY(!m_combo->isPopupVisible());
    // Other keys do not open it.
    QTest::keyClick(m_combo.get(), Qt::Key_A);
    QVERIFY(!m_combo->isPopupVisible());
}

void TestMultiSelectCombo::clickOpensPopup()
{
    m_combo->setItems(districts());
    QTest::mouseClick(m_combo.get(), Qt::LeftButton);
    QVERIFY(m_combo->isPopupVisible());
    const QRect popup = m_view->window()->geometry();
    QVERIFY(popup.width() >= m_combo->width());
    // Right below the combo when the screen has room for it there, else right above.
    const int below = m_combo->mapToGlobal(QPoint(0, m_combo->height())).y();
    const int top = m_combo->mapToGlobal(QPoint(0, 0)).y();
    const QRect screen = m_combo->screen()->availableGeometry();
    if (below + popup.height() <= screen.bottom() + 1)
        QCOMPARE(popup.top(), below);
    else
        QCOMPARE(popup.bottom() + 1, top);
    QCOMPARE(popup.left(), m_combo->mapToGlobal(QPoint(0, 0)).x());
    m_combo->hidePopup();
}

void TestMultiSelectCombo::clickOnComboClosesOpenPopup()
{
    m_combo->setItems(districts());
    QTest::mouseClick(m_combo.get(), Qt::LeftButton);
    QVERIFY(m_combo->isPopupVisible());
    // A second click on the combo closes the popup instead of reopening it. (QTest delivers
    // the click to the combo itself; with a real mouse the popup grabs it and does not replay
    // it to the combo.)
    QTest::mouseClick(m_combo.get(), Qt::LeftButton);
    QVERIFY(!m_combo->isPopupVisible());
}

void TestMultiSelectCombo::accessibleValueIsSummary()
{
    m_combo->setItems({s("Beja"), s("Faro")});
    m_combo->setUncheckedItems({s("Faro")});
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(m_combo.get());
    QVERIFY(iface);
    QCOMPARE(iface->role(), QAccessible::ComboBox);
    QCOMPARE(iface->text(QAccessible::Value), s("Beja"));
}

void TestMultiSelectCombo::looksLikeAComboBox()
{
    QCOMPARE(m_combo->sizePolicy().verticalPolicy(), QSizePolicy::Fixed);
    QCOMPARE(m_combo->sizePolicy().controlType(), QSizePolicy::ComboBox);
    QVERIFY(m_combo->focusPolicy() & Qt::TabFocus);
    QVERIFY(m_combo->sizeHint().width() > m_combo->fontMetrics().horizontalAdvance(QStringLiteral("All districts")));
}

QTEST_MAIN(TestMultiSelectCombo)
#include "tst_multiselectcombo.moc"
