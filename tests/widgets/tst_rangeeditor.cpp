// es::RangeEditor: value <-> slider mapping, spin boxes, bounds following, signal discipline.
#include "rangeeditor.h"
#include "rangeslider.h"

#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QLocale>
#include <QSignalSpy>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QTest>

#include <cmath>
#include <memory>

using es::RangeEditor;
using es::RangeSlider;

namespace {

constexpr int Steps = RangeEditor::SliderSteps;

/// Slider position expected for `value`, from the formulas (not the widget).
int expectedLinearPosition(double lo, double hi, double value)
{
    return static_cast<int>(std::lround((value - lo) / (hi - lo) * Steps));
}

int expectedLogPosition(double lo, double hi, double value)
{
    return static_cast<int>(std::lround((std::log10(value) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) * Steps));
}

/// Types `text` into a spin box's line edit as a user would and confirms with Enter.
void typeInto(QDoubleSpinBox *spin, const QString &text)
{
    spin->setFocus();
    QLineEdit *edit = spin->findChild<QLineEdit *>();
    QVERIFY(edit);
    edit->selectAll();
    QTest::keyClicks(edit, text);
    QTest::keyClick(edit, Qt::Key_Return);
}

QPoint sliderHandleCenter(const RangeSlider &slider, int value)
{
    QStyleOptionSlider opt;
    slider.initStyleOption(&opt);
    opt.sliderPosition = value;
    opt.sliderValue = value;
    return slider.style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, &slider).center();
}

} // namespace

class TestRangeEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void startsAsFullRange();
    void linearMapping();
    void logMappingRoundTrip();
    void logFallsBackToLinearWithoutPositiveLow();
    void sliderValuesAreRounded();
    void spinBoxEditMovesSlider();
    void spinBoxEditAboveMaximumPushesIt();
    void spinBoxBelowBoundClampsToBound();
    void sliderKeyboardUpdatesSpinBoxes();
    void sliderDragEmitsContinuously();
    void setSelectionEmitsOnlyOnChange();
    void setSelectionClampsAndSwaps();
    void boundsChangeKeepsSubRange();
    void boundsChangeFollowsFullRange();
    void boundsChangeClampsAndEmits();
    void resetSelection();
    void logScaleToggleKeepsSelection();
    void decimalsSuffixAndGroupSeparators();
    void typingIsNotOverwrittenByBounds();
    void toolTipCoversChildren();

private:
    std::unique_ptr<RangeEditor> m_editor;
};

void TestRangeEditor::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestRangeEditor::init()
{
    m_editor = std::make_unique<RangeEditor>();
    m_editor->setBounds(0.0, 1000.0);
    m_editor->resize(420, m_editor->sizeHint().height());
    m_editor->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_editor.get()));
}

void TestRangeEditor::cleanup()
{
    m_editor.reset();
}

void TestRangeEditor::startsAsFullRange()
{
    RangeEditor fresh;
    QVERIFY(fresh.isFullRange());
    QCOMPARE(m_editor->selectionLow(), 0.0);
    QCOMPARE(m_editor->selectionHigh(), 1000.0);
    QVERIFY(m_editor->isFullRange());
    QCOMPARE(m_editor->slider()->minimum(), 0);
    QCOMPARE(m_editor->slider()->maximum(), Steps);
    QCOMPARE(m_editor->slider()->lowerValue(), 0);
    QCOMPARE(m_editor->slider()->upperValue(), Steps);
}

void TestRangeEditor::linearMapping()
{
    m_editor->setBounds(20.0, 520.0);
    for (double value : {20.0, 70.0, 145.5, 333.0, 519.0, 520.0})
        QCOMPARE(m_editor->positionForValue(value), expectedLinearPosition(20.0, 520.0, value));
    QCOMPARE(m_editor->positionForValue(-5.0), 0);
    QCOMPARE(m_editor->positionForValue(9999.0), Steps);
    QCOMPARE(m_editor->valueForPosition(0), 20.0);
    QCOMPARE(m_editor->valueForPosition(Steps), 520.0);
    QCOMPARE(m_editor->valueForPosition(500), 270.0);
}

void TestRangeEditor::logMappingRoundTrip()
{
    const double lo = 50000.0;
    const double hi = 5000000.0;
    m_editor->setBounds(lo, hi);
    m_editor->setLogScale(true);
    QVERIFY(m_editor->logScale());
    QVERIFY(m_editor->isLogScaleActive());

    for (double value : {50000.0, 75000.0, 100000.0, 250000.0, 500000.0, 1234567.0, 5000000.0})
        QCOMPARE(m_editor->positionForValue(value), expectedLogPosition(lo, hi, value));
    // 500,000 is one decade above 50,000 out of two: exactly half way.
    QCOMPARE(m_editor->positionForValue(500000.0), Steps / 2);

    // Every position maps to a value that maps back to the same position, and that value
    // is within one slider step (relative, log scale) of the exact one.
    const double stepRatio = std::pow(hi / lo, 1.0 / Steps);
    for (int position = 0; position <= Steps; ++position) {
        const double value = m_editor->valueForPosition(position);
        QCOMPARE(m_editor->positionForValue(value), position);
        const double exact = lo * std::pow(hi / lo, static_cast<double>(position) / Steps);
        QVERIFY2(value / exact < stepRatio && exact / value < stepRatio,
                 qPrintable(QStringLiteral("position %1: %2 vs %3").arg(position).arg(value).arg(exact)));
        if (position > 0)
            QVERIFY(value >= m_editor->valueForPosition(position - 1));
    }
}

void TestRangeEditor::logFallsBackToLinearWithoutPositiveLow()
{
    m_editor->setLogScale(true);
    m_editor->setBounds(0.0, 100.0);
    QVERIFY(m_editor->logScale());
    QVERIFY(!m_editor->isLogScaleActive());
    QCOMPARE(m_editor->positionForValue(25.0), expectedLinearPosition(0.0, 100.0, 25.0));
    m_editor->setBounds(1.0, 100.0);
    QVERIFY(m_editor->isLogScaleActive());
    QCOMPARE(m_editor->positionForValue(10.0), Steps / 2);
}

void TestRangeEditor::sliderValuesAreRounded()
{
    // 1000 steps over 0..4,950,000: one step is 4,950, values come out on multiples of 1,000.
    m_editor->setBounds(0.0, 4950000.0);
    for (int position : {1, 123, 499, 777, 999}) {
        const double value = m_editor->valueForPosition(position);
        QCOMPARE(std::fmod(value, 1000.0), 0.0);
        QCOMPARE(m_editor->positionForValue(value), position);
    }
}

void TestRangeEditor::spinBoxEditMovesSlider()
{
    QSignalSpy spy(m_editor.get(), &RangeEditor::selectionChanged);
    QSignalSpy sliderSpy(m_editor->slider(), &RangeSlider::valuesChanged);
    typeInto(m_editor->lowSpinBox(), QStringLiteral("250"));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toDouble(), 250.0);
    QCOMPARE(spy.at(0).at(1).toDouble(), 1000.0);
    QCOMPARE(m_editor->selectionLow(), 250.0);
    QCOMPARE(m_editor->slider()->lowerValue(), expectedLinearPosition(0.0, 1000.0, 250.0));
    QCOMPARE(m_editor->slider()->upperValue(), Steps);
    QCOMPARE(sliderSpy.count(), 1);
    QVERIFY(!m_editor->isFullRange());

    typeInto(m_editor->highSpinBox(), QStringLiteral("640"));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(m_editor->selectionHigh(), 640.0);
    QCOMPARE(m_editor->slider()->upperValue(), expectedLinearPosition(0.0, 1000.0, 640.0));
    // The other spin box did not move.
    QCOMPARE(m_editor->lowSpinBox()->value(), 250.0);
}

void TestRangeEditor::spinBoxEditAboveMaximumPushesIt()
{
    m_editor->setSelection(100.0, 300.0);
    QSignalSpy spy(m_editor.get(), &RangeEditor::selectionChanged);
    typeInto(m_editor->lowSpinBox(), QStringLiteral("700"));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(m_editor->selectionLow(), 700.0);
    QCOMPARE(m_editor->selectionHigh(), 700.0);
    QCOMPARE(m_editor->highSpinBox()->value(), 700.0);
    QCOMPARE(m_editor->slider()->lowerValue(), m_editor->slider()->upperValue());
}

void TestRangeEditor::spinBoxBelowBoundClampsToBound()
{
    m_editor->setBounds(50000.37, 987654.6);
    m_editor->setSelection(100000.0, 200000.0);
    QSignalSpy spy(m_editor.get(), &RangeEditor::selectionChanged);
    // The spin box shows whole numbers: its minimum reads 50,000, below the exact bound.
    typeInto(m_editor->lowSpinBox(), QStringLiteral("50000"));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(m_editor->selectionLow(), 50000.37);
    QCOMPARE(m_editor->slider()->lowerValue(), 0);
}

void TestRangeEditor::sliderKeyboardUpdatesSpinBoxes()
{
    QSignalSpy spy(m_editor.get(), &RangeEditor::selectionChanged);
    RangeSlider *slider = m_editor->slider();
    slider->setFocus();
    QTest::keyClick(slider, Qt::Key_PageUp); // lower handle, one page (100 positions)
    QCOMPARE(spy.count(), 1);
    const double expected = 1000.0 * slider->pageStep() / Steps;
    QCOMPARE(m_editor->selectionLow(), expected);
    QCOMPARE(m_editor->lowSpinBox()->value(), expected);
    QCOMPARE(m_editor->highSpinBox()->value(), 1000.0);
    QTest::keyClick(slider, Qt::Key_Home);
    QCOMPARE(spy.count(), 2);
    QVERIFY(m_editor->isFullRange());
    QCOMPARE(m_editor->lowSpinBox()->value(), 0.0);
}

void TestRangeEditor::sliderDragEmitsContinuously()
{
    RangeSlider *slider = m_editor->slider();
    QSignalSpy spy(m_editor.get(), &RangeEditor::selectionChanged);
    const QPoint start = sliderHandleCenter(*slider, Steps);
    QTest::mousePress(slider, Qt::LeftButton, {}, start);
    // Three moves to three clearly different places: three changes, none fed back.
    const int targets[] = {800, 600, 400};
    for (int target : targets)
        QTest::mouseMove(slider, sliderHandleCenter(*slider, target));
    QTest::mouseRelease(slider, Qt::LeftButton, {}, sliderHandleCenter(*slider, 400));
    QCOMPARE(spy.count(), 3);
    const double high = spy.last().at(1).toDouble();
    QCOMPARE(m_editor->selectionHigh(), high);
    QCOMPARE(m_editor->highSpinBox()->value(), std::round(high));
    QCOMPARE(m_editor->selectionLow(), 0.0);
    // Where the handle ended is within one pixel's worth of values of 400.
    QVERIFY2(std::abs(high - 400.0) < 10.0, qPrintable(QString::number(high)));
}

void TestRangeEditor::setSelectionEmitsOnlyOnChange()
{
    QSignalSpy spy(m_editor.get(), &RangeEditor::selectionChanged);
    m_editor->setSelection(100.0, 200.0);
    QCOMPARE(spy.count(), 1);
    m_editor->setSelection(100.0, 200.0);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(m_editor->slider()->lowerValue(), expectedLinearPosition(0.0, 1000.0, 100.0));
    QCOMPARE(m_editor->slider()->upperValue(), expectedLinearPosition(0.0, 1000.0, 200.0));
    QCOMPARE(m_editor->lowSpinBox()->value(), 100.0);
    QCOMPARE(m_editor->highSpinBox()->value(), 200.0);
}

void TestRangeEditor::setSelectionClampsAndSwaps()
{
    m_editor->setSelection(900.0, -40.0);
    QCOMPARE(m_editor->selectionLow(), 0.0);
    QCOMPARE(m_editor->selectionHigh(), 900.0);
    m_editor->setSelection(-1.0, 5000.0);
    QVERIFY(m_editor->isFullRange());
}

void TestRangeEditor::boundsChangeKeepsSubRange()
{
    m_editor->setSelection(200.0, 300.0);
    QSignalSpy spy(m_editor.get(), &RangeEditor::selectionChanged);
    m_editor->setBounds(0.0, 2000.0);
    QCOMPARE(spy.count(), 0);
    QCOMPARE(m_editor->selectionLow(), 200.0);
    QCOMPARE(m_editor->selectionHigh(), 300.0);
    QCOMPARE(m_editor->slider()->lowerValue(), expectedLinearPosition(0.0, 2000.0, 200.0));
    QCOMPARE(m_editor->slider()->upperValue(), expectedLinearPosition(0.0, 2000.0, 300.0));
    QCOMPARE(m_editor->highSpinBox()->maximum(), 2000.0);
}

void TestRangeEditor::boundsChangeFollowsFullRange()
{
    QVERIFY(m_editor->isFullRange());
    QSignalSpy spy(m_editor.get(), &RangeEditor::selectionChanged);
    m_editor->setBounds(-50.0, 2500.0);
    QCOMPARE(spy.count(), 0);
    QVERIFY(m_editor->isFullRange());
    QCOMPARE(m_editor->selectionLow(), -50.0);
    QCOMPARE(m_editor->selectionHigh(), 2500.0);
    QCOMPARE(m_editor->lowSpinBox()->value(), -50.0);
    QCOMPARE(m_editor->highSpinBox()->value(), 2500.0);
    QCOMPARE(m_editor->slider()->lowerValue(), 0);
    QCOMPARE(m_editor->slider()->upperValue(), Steps);
}

void TestRangeEditor::boundsChangeClampsAndEmits()
{
    m_editor->setSelection(200.0, 300.0);
    QSignalSpy spy(m_editor.get(), &RangeEditor::selectionChanged);
    m_editor->setBounds(250.0, 1000.0);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toDouble(), 250.0);
    QCOMPARE(spy.at(0).at(1).toDouble(), 300.0);
    QCOMPARE(m_editor->selectionLow(), 250.0);
    QVERIFY(!m_editor->isFullRange());
}

void TestRangeEditor::resetSelection()
{
    m_editor->setSelection(10.0, 20.0);
    QSignalSpy spy(m_editor.get(), &RangeEditor::selectionChanged);
    m_editor->resetSelection();
    QCOMPARE(spy.count(), 1);
    QVERIFY(m_editor->isFullRange());
    m_editor->resetSelection();
    QCOMPARE(spy.count(), 1);
}

void TestRangeEditor::logScaleToggleKeepsSelection()
{
    m_editor->setBounds(10.0, 100000.0);
    m_editor->setSelection(100.0, 1000.0);
    QSignalSpy spy(m_editor.get(), &RangeEditor::selectionChanged);
    m_editor->setLogScale(true);
    QCOMPARE(spy.count(), 0);
    QCOMPARE(m_editor->selectionLow(), 100.0);
    QCOMPARE(m_editor->selectionHigh(), 1000.0);
    QCOMPARE(m_editor->slider()->lowerValue(), expectedLogPosition(10.0, 100000.0, 100.0));
    QCOMPARE(m_editor->slider()->upperValue(), expectedLogPosition(10.0, 100000.0, 1000.0));
    m_editor->setLogScale(false);
    QCOMPARE(m_editor->slider()->lowerValue(), expectedLinearPosition(10.0, 100000.0, 100.0));
}

void TestRangeEditor::decimalsSuffixAndGroupSeparators()
{
    m_editor->setBounds(0.0, 5000000.0);
    m_editor->setSuffix(QStringLiteral(" \u20ac"));
    m_editor->setSelection(1234567.0, 2000000.0);
    QCOMPARE(m_editor->suffix(), QStringLiteral(" \u20ac"));
    QCOMPARE(m_editor->lowSpinBox()->text(), QStringLiteral("1,234,567 \u20ac"));
    m_editor->setDecimals(2);
    QCOMPARE(m_editor->lowSpinBox()->decimals(), 2);
    QCOMPARE(m_editor->lowSpinBox()->text(), QStringLiteral("1,234,567.00 \u20ac"));
    // A typed value with group separators is understood.
    QSignalSpy spy(m_editor.get(), &RangeEditor::selectionChanged);
    typeInto(m_editor->highSpinBox(), QStringLiteral("2,500,000.25"));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(m_editor->selectionHigh(), 2500000.25);
}

void TestRangeEditor::typingIsNotOverwrittenByBounds()
{
    QDoubleSpinBox *spin = m_editor->highSpinBox();
    spin->setFocus();
    QLineEdit *edit = spin->findChild<QLineEdit *>();
    QVERIFY(edit);
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("75"));
    // Data keeps streaming in: the full-range selection follows the bounds...
    m_editor->setBounds(0.0, 12000.0);
    QCOMPARE(m_editor->selectionHigh(), 12000.0);
    // ...but the half-typed text stays, and Enter applies it.
    QVERIFY2(edit->text().startsWith(QLatin1String("75")), qPrintable(edit->text()));
    QSignalSpy spy(m_editor.get(), &RangeEditor::selectionChanged);
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(m_editor->selectionHigh(), 75.0);
    // Once committed, the box follows programmatic changes again.
    m_editor->setSelection(10.0, 90.0);
    QCOMPARE(spin->value(), 90.0);
    QCOMPARE(spin->singleStep(), 100.0); // 1% of the 12,000 span
}

void TestRangeEditor::toolTipCoversChildren()
{
    // The children carry no tooltip of their own, so the editor's (set by the application)
    // shows over the slider and the spin boxes too.
    QVERIFY(!m_editor->toolTip().isEmpty());
    QVERIFY(m_editor->slider()->toolTip().isEmpty());
    QVERIFY(m_editor->lowSpinBox()->toolTip().isEmpty());
    QVERIFY(m_editor->highSpinBox()->toolTip().isEmpty());
    QVERIFY(!m_editor->slider()->whatsThis().isEmpty());
}

QTEST_MAIN(TestRangeEditor)
#include "tst_rangeeditor.moc"
