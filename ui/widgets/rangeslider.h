// A two-handle slider on integer positions: the range control Qt Widgets lacks.
#pragma once

#include <QWidget>

class QStyleOptionSlider;

namespace es {

/// A QSlider-like control with a lower and an upper handle selecting [lowerValue, upperValue].
///
/// Mouse: pressing a handle drags it (handles never cross; when both handles sit on the same
/// spot, the first drag direction decides which one moves), pressing the track between the
/// handles drags the whole span keeping its width, pressing anywhere else moves the nearest
/// handle there. Keyboard (Tab focus): arrows move the active handle by singleStep(), Page
/// Up/Down by pageStep(), Home/End to the furthest position it may take, Space switches the
/// active handle. The wheel is left to the parent (a filter panel in a scroll area scrolls).
/// Painted through QStyle (groove and handles from QStyleOptionSlider), the selected span in
/// palette().highlight().
class RangeSlider : public QWidget
{
    Q_OBJECT
    Q_PROPERTY(int minimum READ minimum)
    Q_PROPERTY(int maximum READ maximum)
    Q_PROPERTY(int lowerValue READ lowerValue)
    Q_PROPERTY(int upperValue READ upperValue)
    Q_PROPERTY(int singleStep READ singleStep WRITE setSingleStep)
    Q_PROPERTY(int pageStep READ pageStep WRITE setPageStep)
    Q_PROPERTY(Qt::Orientation orientation READ orientation WRITE setOrientation)

public:
    enum class Handle { Lower, Upper };
    Q_ENUM(Handle)

    explicit RangeSlider(Qt::Orientation orientation = Qt::Horizontal, QWidget *parent = nullptr);
    ~RangeSlider() override;

    Qt::Orientation orientation() const;
    void setOrientation(Qt::Orientation orientation);

    /// Sets the range (maximum is raised to minimum if smaller); the values are clamped into it
    /// and valuesChanged() is emitted if that moved them.
    void setRange(int minimum, int maximum);
    int minimum() const;
    int maximum() const;

    /// Sets both values, clamped to the range (swapped first if lower > upper). Emits
    /// valuesChanged() only if a value changed.
    void setValues(int lower, int upper);
    int lowerValue() const;
    int upperValue() const;

    void setSingleStep(int step);
    int singleStep() const;
    void setPageStep(int step);
    int pageStep() const;

    /// The handle moved by the keyboard. A click on a handle makes it active; Space toggles.
    Handle activeHandle() const;
    void setActiveHandle(Handle handle);

    /// True while a mouse button holds a handle or the span.
    bool isSliderDown() const;

    /// Fills `option` as QSlider does (sliderPosition = lowerValue()); used for painting and
    /// for mapping between values and pixels.
    void initStyleOption(QStyleOptionSlider *option) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void valuesChanged(int lower, int upper);
    void sliderPressed();
    void sliderReleased();
    void activeHandleChanged(es::RangeSlider::Handle handle);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    enum class Drag { None, Lower, Upper, Span, Undecided };

    void applyValues(int lower, int upper);
    void moveActiveHandleTo(qint64 target);
    QRect handleRect(int value) const;
    int pick(const QPoint &point) const;
    int handleStart(int value) const;
    int handleLength() const;
    int pixelPosToValue(int pixel) const;
    void dragTo(int pixel);
    void updateHover(const QPoint &point);

    Qt::Orientation m_orientation = Qt::Horizontal;
    int m_minimum = 0;
    int m_maximum = 99;
    int m_lower = 0;
    int m_upper = 99;
    int m_singleStep = 1;
    int m_pageStep = 10;
    Handle m_active = Handle::Lower;
    Drag m_drag = Drag::None;
    int m_pressPixel = 0;   // along the axis, where the button went down
    int m_pressOffset = 0;  // along the axis, from the dragged handle's start to the cursor
    int m_hover = -1;       // -1 none, 0 lower, 1 upper, 2 span
    bool m_keyboardUsed = false;
};

} // namespace es
