// es::RangeSlider: mouse drags, keyboard, range clamping and signals.
#include "rangeslider.h"

#include <QAccessible>
#include <QAccessibleInterface>
#include <QSignalSpy>
#include <QSlider>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QTest>

#include <memory>

using es::RangeSlider;

namespace {

/// Where the style puts a handle for `value`, computed here from a fresh option (as QSlider
/// fills it), not through the widget's own geometry helpers.
QRect styleHandleRect(const RangeSlider &slider, int value)
{
    QStyleOptionSlider opt;
    opt.initFrom(&slider);
    opt.orientation = slider.orientation();
    opt.minimum = slider.minimum();
    opt.maximum = slider.maximum();
    opt.sliderPosition = value;
    opt.sliderValue = value;
    // QSlider's convention: RTL and vertical are expressed by upsideDown, never by direction.
    opt.direction = Qt::LeftToRight;
    opt.upsideDown = slider.orientation() == Qt::Vertical || slider.layoutDirection() == Qt::RightToLeft;
    if (slider.orientation() == Qt::Horizontal)
        opt.state |= QStyle::State_Horizontal;
    return slider.style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, &slider);
}

QPoint handleCenter(const RangeSlider &slider, int value)
{
    return styleHandleRect(slider, value).center();
}

} // namespace

class TestRangeSlider : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void setValuesClampsAndSwaps();
    void setValuesEmitsOnlyOnChange();
    void setRangeShrinkingClampsValues();
    void setRangeFixesInvertedRange();
    void dragLowerHandle();
    void dragUpperHandle();
    void handlesCannotCross_data();
    void handlesCannotCross();
    void dragSpanMovesBothKeepingWidth();
    void pressOutsideMovesNearestHandle_data();
    void pressOutsideMovesNearestHandle();
    void coincidentHandlesPickByDragDirection_data();
    void coincidentHandlesPickByDragDirection();
    void dragEmitsOncePerDistinctValue();
    void otherButtonsIgnored();
    void verticalGrowsUpwards();
    void rightToLeftMirrors();
    void keyboardSteps();
    void spaceTogglesActiveHandle();
    void clickMakesHandleActive();
    void accessibleNameAndValue();
    void sizeHintLikeQSlider();

private:
    void showSlider(Qt::Orientation orientation = Qt::Horizontal);

    std::unique_ptr<RangeSlider> m_slider;
};

void TestRangeSlider::init()
{
    showSlider();
}

void TestRangeSlider::cleanup()
{
    m_slider.reset();
}

void TestRangeSlider::showSlider(Qt::Orientation orientation)
{
    m_slider = std::make_unique<RangeSlider>(orientation);
    m_slider->setRange(0, 100);
    m_slider->setValues(20, 80);
    // Wide enough that every value has its own pixels (~3.8 px per value).
    if (orientation == Qt::Horizontal)
        m_slider->resize(400, m_slider->sizeHint().height());
    else
        m_slider->resize(m_slider->sizeHint().width(), 400);
    m_slider->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_slider.get()));
}

void TestRangeSlider::setValuesClampsAndSwaps()
{
    m_slider->setValues(-5, 150);
    QCOMPARE(m_slider->lowerValue(), 0);
    QCOMPARE(m_slider->upperValue(), 100);
    m_slider->setValues(70, 30);
    QCOMPARE(m_slider->lowerValue(), 30);
    QCOMPARE(m_slider->upperValue(), 70);
    m_slider->setValues(500, 600);
    QCOMPARE(m_slider->lowerValue(), 100);
    QCOMPARE(m_slider->upperValue(), 100);
}

void TestRangeSlider::setValuesEmitsOnlyOnChange()
{
    QSignalSpy spy(m_slider.get(), &RangeSlider::valuesChanged);
    m_slider->setValues(20, 80); // unchanged
    QCOMPARE(spy.count(), 0);
    m_slider->setValues(25, 80);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), 25);
    QCOMPARE(spy.at(0).at(1).toInt(), 80);
    m_slider->setValues(-10, 80); // clamps to (0, 80): a change
    QCOMPARE(spy.count(), 2);
    m_slider->setValues(-20, 80); // clamps to (0, 80) again: no change
    QCOMPARE(spy.count(), 2);
}

void TestRangeSlider::setRangeShrinkingClampsValues()
{
    QSignalSpy spy(m_slider.get(), &RangeSlider::valuesChanged);
    m_slider->setRange(30, 60);
    QCOMPARE(m_slider->minimum(), 30);
    QCOMPARE(m_slider->maximum(), 60);
    QCOMPARE(m_slider->lowerValue(), 30);
    QCOMPARE(m_slider->upperValue(), 60);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), 30);
    QCOMPARE(spy.at(0).at(1).toInt(), 60);

    m_slider->setRange(0, 100); // growing keeps the values
    QCOMPARE(m_slider->lowerValue(), 30);
    QCOMPARE(m_slider->upperValue(), 60);
    QCOMPARE(spy.count(), 1);

    m_slider->setRange(70, 90); // both values below: both at the new minimum
    QCOMPARE(m_slider->lowerValue(), 70);
    QCOMPARE(m_slider->upperValue(), 70);
    QCOMPARE(spy.count(), 2);
}

void TestRangeSlider::setRangeFixesInvertedRange()
{
    m_slider->setRange(50, 10);
    QCOMPARE(m_slider->minimum(), 50);
    QCOMPARE(m_slider->maximum(), 50);
    QCOMPARE(m_slider->lowerValue(), 50);
    QCOMPARE(m_slider->upperValue(), 50);
}

void TestRangeSlider::dragLowerHandle()
{
    QSignalSpy pressed(m_slider.get(), &RangeSlider::sliderPressed);
    QSignalSpy released(m_slider.get(), &RangeSlider::sliderReleased);
    QTest::mousePress(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, 20));
    QCOMPARE(pressed.count(), 1);
    QVERIFY(m_slider->isSliderDown());
    QCOMPARE(m_slider->lowerValue(), 20); // pressing a handle does not move it
    QTest::mouseMove(m_slider.get(), handleCenter(*m_slider, 40));
    QCOMPARE(m_slider->lowerValue(), 40);
    QCOMPARE(m_slider->upperValue(), 80);
    QTest::mouseRelease(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, 40));
    QCOMPARE(released.count(), 1);
    QVERIFY(!m_slider->isSliderDown());
    QCOMPARE(m_slider->activeHandle(), RangeSlider::Handle::Lower);
}

void TestRangeSlider::dragUpperHandle()
{
    QTest::mousePress(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, 80));
    QTest::mouseMove(m_slider.get(), handleCenter(*m_slider, 65));
    QTest::mouseRelease(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, 65));
    QCOMPARE(m_slider->lowerValue(), 20);
    QCOMPARE(m_slider->upperValue(), 65);
    QCOMPARE(m_slider->activeHandle(), RangeSlider::Handle::Upper);
}

void TestRangeSlider::handlesCannotCross_data()
{
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("to");
    QTest::addColumn<int>("lower");
    QTest::addColumn<int>("upper");
    QTest::newRow("lower past upper") << 20 << 95 << 80 << 80;
    QTest::newRow("upper past lower") << 80 << 5 << 20 << 20;
}

void TestRangeSlider::handlesCannotCross()
{
    QFETCH(int, from);
    QFETCH(int, to);
    QFETCH(int, lower);
    QFETCH(int, upper);
    QTest::mousePress(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, from));
    QTest::mouseMove(m_slider.get(), handleCenter(*m_slider, to));
    QCOMPARE(m_slider->lowerValue(), lower);
    QCOMPARE(m_slider->upperValue(), upper);
    QVERIFY(m_slider->lowerValue() <= m_slider->upperValue());
    QTest::mouseRelease(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, to));
}

void TestRangeSlider::dragSpanMovesBothKeepingWidth()
{
    QSignalSpy pressed(m_slider.get(), &RangeSlider::sliderPressed);
    // The middle of the track between the handles (value 50) is the span.
    const QPoint start = handleCenter(*m_slider, 50);
    QVERIFY(!styleHandleRect(*m_slider, 20).contains(start));
    QVERIFY(!styleHandleRect(*m_slider, 80).contains(start));
    QTest::mousePress(m_slider.get(), Qt::LeftButton, {}, start);
    QCOMPARE(pressed.count(), 1);
    QCOMPARE(m_slider->lowerValue(), 20); // a press on the span moves nothing
    QCOMPARE(m_slider->upperValue(), 80);

    QTest::mouseMove(m_slider.get(), handleCenter(*m_slider, 60));
    QCOMPARE(m_slider->lowerValue(), 30);
    QCOMPARE(m_slider->upperValue(), 90);

    // Far right: stops at the maximum, width kept.
    QTest::mouseMove(m_slider.get(), QPoint(m_slider->width() - 1, start.y()));
    QCOMPARE(m_slider->upperValue(), 100);
    QCOMPARE(m_slider->lowerValue(), 40);

    // Far left: stops at the minimum, width kept.
    QTest::mouseMove(m_slider.get(), QPoint(0, start.y()));
    QCOMPARE(m_slider->lowerValue(), 0);
    QCOMPARE(m_slider->upperValue(), 60);
    QTest::mouseRelease(m_slider.get(), Qt::LeftButton, {}, QPoint(0, start.y()));
}

void TestRangeSlider::pressOutsideMovesNearestHandle_data()
{
    QTest::addColumn<int>("target");
    QTest::addColumn<int>("lower");
    QTest::addColumn<int>("upper");
    QTest::newRow("below lower") << 5 << 5 << 80;
    QTest::newRow("above upper") << 95 << 20 << 95;
}

void TestRangeSlider::pressOutsideMovesNearestHandle()
{
    QFETCH(int, target);
    QFETCH(int, lower);
    QFETCH(int, upper);
    QSignalSpy spy(m_slider.get(), &RangeSlider::valuesChanged);
    QTest::mouseClick(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, target));
    QCOMPARE(m_slider->lowerValue(), lower);
    QCOMPARE(m_slider->upperValue(), upper);
    QCOMPARE(spy.count(), 1);
}

void TestRangeSlider::coincidentHandlesPickByDragDirection_data()
{
    QTest::addColumn<int>("to");
    QTest::addColumn<int>("lower");
    QTest::addColumn<int>("upper");
    QTest::addColumn<RangeSlider::Handle>("active");
    QTest::newRow("drag down moves lower") << 30 << 30 << 50 << RangeSlider::Handle::Lower;
    QTest::newRow("drag up moves upper") << 70 << 50 << 70 << RangeSlider::Handle::Upper;
}

void TestRangeSlider::coincidentHandlesPickByDragDirection()
{
    QFETCH(int, to);
    QFETCH(int, lower);
    QFETCH(int, upper);
    QFETCH(RangeSlider::Handle, active);
    m_slider->setValues(50, 50);
    QTest::mousePress(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, 50));
    QCOMPARE(m_slider->lowerValue(), 50);
    QCOMPARE(m_slider->upperValue(), 50);
    QTest::mouseMove(m_slider.get(), handleCenter(*m_slider, to));
    QTest::mouseRelease(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, to));
    QCOMPARE(m_slider->lowerValue(), lower);
    QCOMPARE(m_slider->upperValue(), upper);
    QCOMPARE(m_slider->activeHandle(), active);
}

void TestRangeSlider::dragEmitsOncePerDistinctValue()
{
    QSignalSpy spy(m_slider.get(), &RangeSlider::valuesChanged);
    QTest::mousePress(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, 20));
    QCOMPARE(spy.count(), 0);
    const int path[] = {25, 30, 30, 35, 35, 40};
    for (int value : path)
        QTest::mouseMove(m_slider.get(), handleCenter(*m_slider, value));
    QTest::mouseRelease(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, 40));
    QCOMPARE(spy.count(), 4); // 25, 30, 35, 40
    QCOMPARE(spy.last().at(0).toInt(), 40);
    QCOMPARE(spy.last().at(1).toInt(), 80);
}

void TestRangeSlider::otherButtonsIgnored()
{
    QSignalSpy pressed(m_slider.get(), &RangeSlider::sliderPressed);
    QSignalSpy spy(m_slider.get(), &RangeSlider::valuesChanged);
    QTest::mouseClick(m_slider.get(), Qt::RightButton, {}, handleCenter(*m_slider, 5));
    QCOMPARE(pressed.count(), 0);
    QCOMPARE(spy.count(), 0);
    QCOMPARE(m_slider->lowerValue(), 20);
}

void TestRangeSlider::verticalGrowsUpwards()
{
    showSlider(Qt::Vertical);
    QVERIFY(handleCenter(*m_slider, 40).y() < handleCenter(*m_slider, 20).y());
    QTest::mousePress(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, 20));
    QTest::mouseMove(m_slider.get(), handleCenter(*m_slider, 40));
    QTest::mouseRelease(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, 40));
    QCOMPARE(m_slider->lowerValue(), 40);
    QCOMPARE(m_slider->upperValue(), 80);
    // Up arrow increases, Down decreases.
    m_slider->setFocus();
    QTest::keyClick(m_slider.get(), Qt::Key_Up);
    QCOMPARE(m_slider->lowerValue(), 41);
    QTest::keyClick(m_slider.get(), Qt::Key_Down);
    QCOMPARE(m_slider->lowerValue(), 40);
}

void TestRangeSlider::rightToLeftMirrors()
{
    m_slider->setLayoutDirection(Qt::RightToLeft);
    QVERIFY(handleCenter(*m_slider, 20).x() > handleCenter(*m_slider, 80).x());
    QTest::mousePress(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, 20));
    QTest::mouseMove(m_slider.get(), handleCenter(*m_slider, 40));
    QTest::mouseRelease(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, 40));
    QCOMPARE(m_slider->lowerValue(), 40);
    m_slider->setFocus();
    QTest::keyClick(m_slider.get(), Qt::Key_Left); // towards larger values in RTL
    QCOMPARE(m_slider->lowerValue(), 41);
}

void TestRangeSlider::keyboardSteps()
{
    m_slider->setSingleStep(3);
    m_slider->setPageStep(15);
    m_slider->setFocus();
    QVERIFY(m_slider->hasFocus());
    QCOMPARE(m_slider->activeHandle(), RangeSlider::Handle::Lower);
    QSignalSpy spy(m_slider.get(), &RangeSlider::valuesChanged);

    struct Step {
        Qt::Key key;
        int lower;
        int upper;
    };
    const Step steps[] = {
        {Qt::Key_Right, 23, 80},    {Qt::Key_Left, 20, 80},  {Qt::Key_Up, 23, 80},
        {Qt::Key_Down, 20, 80},     {Qt::Key_PageUp, 35, 80}, {Qt::Key_PageDown, 20, 80},
        {Qt::Key_Home, 0, 80},      {Qt::Key_Left, 0, 80},   // already at the minimum
        {Qt::Key_End, 80, 80},      // stops at the upper handle
        {Qt::Key_Right, 80, 80},    // cannot cross
    };
    int expectedSignals = 0;
    int lower = 20;
    int upper = 80;
    for (const Step &step : steps) {
        QTest::keyClick(m_slider.get(), step.key);
        if (step.lower != lower || step.upper != upper)
            ++expectedSignals;
        lower = step.lower;
        upper = step.upper;
        QCOMPARE(m_slider->lowerValue(), step.lower);
        QCOMPARE(m_slider->upperValue(), step.upper);
        QCOMPARE(spy.count(), expectedSignals);
    }
}

void TestRangeSlider::spaceTogglesActiveHandle()
{
    m_slider->setPageStep(10);
    m_slider->setFocus();
    QSignalSpy active(m_slider.get(), &RangeSlider::activeHandleChanged);
    QTest::keyClick(m_slider.get(), Qt::Key_Space);
    QCOMPARE(m_slider->activeHandle(), RangeSlider::Handle::Upper);
    QCOMPARE(active.count(), 1);
    QTest::keyClick(m_slider.get(), Qt::Key_End);
    QCOMPARE(m_slider->upperValue(), 100);
    QTest::keyClick(m_slider.get(), Qt::Key_PageDown);
    QCOMPARE(m_slider->upperValue(), 90);
    QTest::keyClick(m_slider.get(), Qt::Key_Home); // down to the lower handle, not below
    QCOMPARE(m_slider->upperValue(), 20);
    QCOMPARE(m_slider->lowerValue(), 20);
    QTest::keyClick(m_slider.get(), Qt::Key_Space);
    QCOMPARE(m_slider->activeHandle(), RangeSlider::Handle::Lower);
    QTest::keyClick(m_slider.get(), Qt::Key_Home);
    QCOMPARE(m_slider->lowerValue(), 0);
    QCOMPARE(m_slider->upperValue(), 20);
}

void TestRangeSlider::clickMakesHandleActive()
{
    m_slider->setFocus();
    QTest::mouseClick(m_slider.get(), Qt::LeftButton, {}, handleCenter(*m_slider, 80));
    QCOMPARE(m_slider->activeHandle(), RangeSlider::Handle::Upper);
    QTest::keyClick(m_slider.get(), Qt::Key_Left);
    QCOMPARE(m_slider->lowerValue(), 20);
    QCOMPARE(m_slider->upperValue(), 79);
}

void TestRangeSlider::accessibleNameAndValue()
{
    m_slider->setAccessibleName(QStringLiteral("Price range"));
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(m_slider.get());
    QVERIFY(iface);
    QCOMPARE(iface->role(), QAccessible::Slider);
    QCOMPARE(iface->text(QAccessible::Name), QStringLiteral("Price range"));
    const QString value = iface->text(QAccessible::Value);
    QVERIFY2(value.contains(QLatin1String("20")) && value.contains(QLatin1String("80")), qPrintable(value));
    m_slider->setValues(33, 44);
    const QString moved = iface->text(QAccessible::Value);
    QVERIFY2(moved.contains(QLatin1String("33")) && moved.contains(QLatin1String("44")), qPrintable(moved));
}

void TestRangeSlider::sizeHintLikeQSlider()
{
    QSlider reference(Qt::Horizontal);
    const QSize hint = m_slider->sizeHint();
    QCOMPARE(hint.height(), reference.sizeHint().height());
    QVERIFY(hint.width() > hint.height());
    QVERIFY(m_slider->minimumSizeHint().width() <= hint.width());
    QCOMPARE(m_slider->sizePolicy().verticalPolicy(), QSizePolicy::Fixed);

    RangeSlider vertical(Qt::Vertical);
    QSlider verticalReference(Qt::Vertical);
    QCOMPARE(vertical.sizeHint().width(), verticalReference.sizeHint().width());
    QVERIFY(vertical.sizeHint().height() > vertical.sizeHint().width());
    QCOMPARE(vertical.sizePolicy().horizontalPolicy(), QSizePolicy::Fixed);
}

QTEST_MAIN(TestRangeSlider)
#include "tst_rangeslider.moc"
