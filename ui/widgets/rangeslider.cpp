#include "rangeslider.h"

#include "widgetaccessibility.h"

#include <QAccessible>
#include <QKeyEvent>
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QSlider>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QStylePainter>
#include <QWheelEvent>

#include <algorithm>
#include <utility>

namespace es {

namespace {
constexpr int HoverNone = -1;
constexpr int HoverLower = 0;
constexpr int HoverUpper = 1;
constexpr int HoverSpan = 2;

int clampToInt(qint64 value, int lo, int hi)
{
    return static_cast<int>(std::clamp<qint64>(value, lo, hi));
}
} // namespace

RangeSlider::RangeSlider(Qt::Orientation orientation, QWidget *parent)
    : QWidget(parent)
    , m_orientation(orientation)
{
    registerWidgetAccessibility();
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_Hover);
    setMouseTracking(true);
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Fixed, QSizePolicy::Slider);
    if (m_orientation == Qt::Vertical)
        policy.transpose();
    setSizePolicy(policy);
    setToolTip(tr("Drag a handle to move one end, drag the highlighted span to move both.\n"
                  "Keyboard: arrows move the active end, Page Up/Down in larger steps, "
                  "Home/End to the limits, Space switches between the lower and upper end."));
    setWhatsThis(tr("<p>Selects a range between a lower and an upper end.</p>"
                    "<ul><li>Drag a handle to move that end; the ends cannot cross.</li>"
                    "<li>Drag the highlighted span between the handles to move the whole "
                    "range, keeping its width.</li>"
                    "<li>Click the track outside the span to move the nearest end there.</li>"
                    "<li>With keyboard focus: Left/Right or Up/Down move the active end by one "
                    "step, Page Up/Page Down by a page, Home/End as far as it can go, "
                    "Space makes the other end active.</li></ul>"));
}

RangeSlider::~RangeSlider() = default;

Qt::Orientation RangeSlider::orientation() const
{
    return m_orientation;
}

void RangeSlider::setOrientation(Qt::Orientation orientation)
{
    if (m_orientation == orientation)
        return;
    m_orientation = orientation;
    if (!testAttribute(Qt::WA_WState_OwnSizePolicy)) {
        QSizePolicy policy = sizePolicy();
        policy.transpose();
        setSizePolicy(policy);
        setAttribute(Qt::WA_WState_OwnSizePolicy, false);
    }
    updateGeometry();
    update();
}

void RangeSlider::setRange(int minimum, int maximum)
{
    m_minimum = minimum;
    m_maximum = std::max(minimum, maximum);
    // The new range may move the values; applyValues() emits only if they changed.
    const int lower = std::clamp(m_lower, m_minimum, m_maximum);
    const int upper = std::clamp(m_upper, m_minimum, m_maximum);
    applyValues(lower, upper);
    update();
}

int RangeSlider::minimum() const
{
    return m_minimum;
}

int RangeSlider::maximum() const
{
    return m_maximum;
}

void RangeSlider::setValues(int lower, int upper)
{
    if (lower > upper)
        std::swap(lower, upper);
    applyValues(std::clamp(lower, m_minimum, m_maximum), std::clamp(upper, m_minimum, m_maximum));
}

int RangeSlider::lowerValue() const
{
    return m_lower;
}

int RangeSlider::upperValue() const
{
    return m_upper;
}

void RangeSlider::setSingleStep(int step)
{
    m_singleStep = std::max(1, step);
}

int RangeSlider::singleStep() const
{
    return m_singleStep;
}

void RangeSlider::setPageStep(int step)
{
    m_pageStep = std::max(1, step);
}

int RangeSlider::pageStep() const
{
    return m_pageStep;
}

RangeSlider::Handle RangeSlider::activeHandle() const
{
    return m_active;
}

void RangeSlider::setActiveHandle(Handle handle)
{
    if (m_active == handle)
        return;
    m_active = handle;
    update();
    Q_EMIT activeHandleChanged(m_active);
}

bool RangeSlider::isSliderDown() const
{
    return m_drag != Drag::None;
}

void RangeSlider::initStyleOption(QStyleOptionSlider *option) const
{
    if (!option)
        return;
    option->initFrom(this);
    option->subControls = QStyle::SC_None;
    option->activeSubControls = QStyle::SC_None;
    option->orientation = m_orientation;
    option->minimum = m_minimum;
    option->maximum = m_maximum;
    option->tickPosition = QSlider::NoTicks;
    option->tickInterval = 0;
    // Same convention as QSlider: vertical sliders grow upwards, horizontal ones follow the
    // layout direction through upsideDown (the style must not mirror the rects again).
    option->upsideDown = (m_orientation == Qt::Horizontal) ? isRightToLeft() : true;
    option->direction = Qt::LeftToRight;
    option->sliderPosition = m_lower;
    option->sliderValue = m_lower;
    option->singleStep = m_singleStep;
    option->pageStep = m_pageStep;
    if (m_orientation == Qt::Horizontal)
        option->state |= QStyle::State_Horizontal;
}

QSize RangeSlider::sizeHint() const
{
    ensurePolished();
    constexpr int SliderLength = 120;
    QStyleOptionSlider opt;
    initStyleOption(&opt);
    const int thickness = style()->pixelMetric(QStyle::PM_SliderThickness, &opt, this);
    QSize size(SliderLength, thickness);
    if (m_orientation == Qt::Vertical)
        size.transpose();
    return style()->sizeFromContents(QStyle::CT_Slider, &opt, size, this);
}

QSize RangeSlider::minimumSizeHint() const
{
    QSize size = sizeHint();
    QStyleOptionSlider opt;
    initStyleOption(&opt);
    // Room for both handles side by side plus a little track.
    const int length = 3 * style()->pixelMetric(QStyle::PM_SliderLength, &opt, this);
    if (m_orientation == Qt::Horizontal)
        size.setWidth(length);
    else
        size.setHeight(length);
    return size;
}

// ---- geometry -------------------------------------------------------------------------------

QRect RangeSlider::handleRect(int value) const
{
    QStyleOptionSlider opt;
    initStyleOption(&opt);
    opt.sliderPosition = value;
    opt.sliderValue = value;
    return style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, this);
}

int RangeSlider::pick(const QPoint &point) const
{
    return m_orientation == Qt::Horizontal ? point.x() : point.y();
}

int RangeSlider::handleStart(int value) const
{
    const QRect rect = handleRect(value);
    return m_orientation == Qt::Horizontal ? rect.left() : rect.top();
}

int RangeSlider::handleLength() const
{
    const QRect rect = handleRect(m_lower);
    return m_orientation == Qt::Horizontal ? rect.width() : rect.height();
}

// The inverse of the style's handle placement, as QSlider does it: `pixel` is where the
// handle's leading edge would be.
int RangeSlider::pixelPosToValue(int pixel) const
{
    QStyleOptionSlider opt;
    initStyleOption(&opt);
    const QRect groove = style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderGroove, this);
    const QRect handle = style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, this);
    int sliderMin = 0;
    int sliderMax = 0;
    if (m_orientation == Qt::Horizontal) {
        sliderMin = groove.x();
        sliderMax = groove.right() - handle.width() + 1;
    } else {
        sliderMin = groove.y();
        sliderMax = groove.bottom() - handle.height() + 1;
    }
    return QStyle::sliderValueFromPosition(m_minimum, m_maximum, pixel - sliderMin,
                                           sliderMax - sliderMin, opt.upsideDown);
}

// ---- value changes --------------------------------------------------------------------------

void RangeSlider::applyValues(int lower, int upper)
{
    if (lower == m_lower && upper == m_upper)
        return;
    m_lower = lower;
    m_upper = upper;
    update();
    if (QAccessible::isActive()) {
        QAccessibleValueChangeEvent event(this, tr("%1 to %2").arg(m_lower).arg(m_upper));
        QAccessible::updateAccessibility(&event);
    }
    Q_EMIT valuesChanged(m_lower, m_upper);
}

void RangeSlider::moveActiveHandleTo(qint64 target)
{
    if (m_active == Handle::Lower)
        applyValues(clampToInt(target, m_minimum, m_upper), m_upper);
    else
        applyValues(m_lower, clampToInt(target, m_lower, m_maximum));
}

// ---- painting -------------------------------------------------------------------------------

void RangeSlider::paintEvent(QPaintEvent *)
{
    QStylePainter painter(this);
    QStyleOptionSlider opt;
    initStyleOption(&opt);
    const bool focused = hasFocus();
    if (focused && m_keyboardUsed)
        opt.state |= QStyle::State_KeyboardFocusChange;

    // Groove alone, with the handle parked at the minimum so styles that fill the groove up to
    // the handle (Fusion) leave it empty: the span is highlighted below.
    QStyleOptionSlider groove = opt;
    groove.subControls = QStyle::SC_SliderGroove;
    groove.sliderPosition = m_minimum;
    groove.sliderValue = m_minimum;
    groove.state &= ~QStyle::State_HasFocus;
    painter.drawComplexControl(QStyle::CC_Slider, groove);

    // Highlighted span between the handle centres, inside the groove.
    const QRect grooveRect = style()->subControlRect(QStyle::CC_Slider, &groove, QStyle::SC_SliderGroove, this);
    const QRect lowerRect = handleRect(m_lower);
    const QRect upperRect = handleRect(m_upper);
    const int thickness = style()->pixelMetric(QStyle::PM_SliderThickness, &opt, this);
    // Fusion reports a full-width groove rect but paints a thin bar; keep the span thin too.
    QRectF span;
    if (m_orientation == Qt::Horizontal) {
        const qreal h = std::min<qreal>(grooveRect.height(), std::max(4.0, thickness / 3.0));
        const qreal x1 = std::min(lowerRect.center().x(), upperRect.center().x());
        const qreal x2 = std::max(lowerRect.center().x(), upperRect.center().x());
        span = QRectF(x1, grooveRect.center().y() + 0.5 - h / 2.0, x2 - x1 + 1, h);
    } else {
        const qreal w = std::min<qreal>(grooveRect.width(), std::max(4.0, thickness / 3.0));
        const qreal y1 = std::min(lowerRect.center().y(), upperRect.center().y());
        const qreal y2 = std::max(lowerRect.center().y(), upperRect.center().y());
        span = QRectF(grooveRect.center().x() + 0.5 - w / 2.0, y1, w, y2 - y1 + 1);
    }
    if (span.width() > 0 && span.height() > 0) {
        const QPalette::ColorGroup group = isEnabled() ? QPalette::Active : QPalette::Disabled;
        const QColor fill = palette().color(group, QPalette::Highlight);
        painter.save();
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(fill.darker(125), 1.0));
        // A light gradient along the thickness, as styles shade QSlider's filled groove.
        QLinearGradient gradient = m_orientation == Qt::Horizontal
                                       ? QLinearGradient(span.topLeft(), span.bottomLeft())
                                       : QLinearGradient(span.topLeft(), span.topRight());
        gradient.setColorAt(0.0, fill.lighter(118));
        gradient.setColorAt(1.0, fill.lighter(104));
        painter.setBrush(gradient);
        const qreal radius = std::min(span.width(), span.height()) / 2.0;
        painter.drawRoundedRect(span.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);
        painter.restore();
    }

    // Handles: the inactive one first so the active one is on top when they overlap.
    const auto drawHandle = [&](Handle handle) {
        const int value = handle == Handle::Lower ? m_lower : m_upper;
        const int hoverCode = handle == Handle::Lower ? HoverLower : HoverUpper;
        QStyleOptionSlider h = opt;
        h.subControls = QStyle::SC_SliderHandle;
        h.sliderPosition = value;
        h.sliderValue = value;
        const bool pressed = m_drag == Drag::Span
                             || (m_drag == Drag::Lower && handle == Handle::Lower)
                             || (m_drag == Drag::Upper && handle == Handle::Upper)
                             || (m_drag == Drag::Undecided && handle == m_active);
        if (pressed) {
            h.activeSubControls = QStyle::SC_SliderHandle;
            h.state |= QStyle::State_Sunken;
        } else if (m_drag == Drag::None && (m_hover == hoverCode || m_hover == HoverSpan)) {
            h.activeSubControls = QStyle::SC_SliderHandle;
        }
        if (handle != m_active)
            h.state &= ~(QStyle::State_HasFocus | QStyle::State_KeyboardFocusChange);
        painter.drawComplexControl(QStyle::CC_Slider, h);
    };
    const Handle inactive = m_active == Handle::Lower ? Handle::Upper : Handle::Lower;
    drawHandle(inactive);
    drawHandle(m_active);
}

// ---- mouse ----------------------------------------------------------------------------------

void RangeSlider::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || m_drag != Drag::None) {
        event->ignore();
        return;
    }
    event->accept();
    m_keyboardUsed = false;
    QStyleOptionSlider opt;
    initStyleOption(&opt);

    const int p = pick(event->position().toPoint());
    const int len = handleLength();
    const int lowerStart = handleStart(m_lower);
    const int upperStart = handleStart(m_upper);
    const bool inLower = p >= lowerStart && p < lowerStart + len;
    const bool inUpper = p >= upperStart && p < upperStart + len;
    const int lowerCenter = lowerStart + len / 2;
    const int upperCenter = upperStart + len / 2;
    m_pressPixel = p;

    if (inLower && inUpper) {
        const int dl = std::abs(p - lowerCenter);
        const int du = std::abs(p - upperCenter);
        if (dl == du) {
            m_drag = Drag::Undecided;
        } else {
            m_drag = dl < du ? Drag::Lower : Drag::Upper;
        }
    } else if (inLower) {
        m_drag = Drag::Lower;
    } else if (inUpper) {
        m_drag = Drag::Upper;
    } else if (p > std::min(lowerCenter, upperCenter) && p < std::max(lowerCenter, upperCenter)) {
        m_drag = Drag::Span;
        m_pressOffset = p - lowerStart;
    } else {
        // Elsewhere on the track: the nearest handle jumps there (centred under the cursor).
        const int dl = std::abs(p - lowerCenter);
        const int du = std::abs(p - upperCenter);
        bool lower = dl < du;
        if (dl == du) // both handles on the same spot: go by which side of them was clicked
            lower = opt.upsideDown ? p > lowerCenter : p < lowerCenter;
        m_drag = lower ? Drag::Lower : Drag::Upper;
        const int target = pixelPosToValue(p - len / 2);
        if (lower)
            applyValues(std::clamp(target, m_minimum, m_upper), m_upper);
        else
            applyValues(m_lower, std::clamp(target, m_lower, m_maximum));
    }

    if (m_drag == Drag::Lower) {
        m_pressOffset = p - handleStart(m_lower);
        setActiveHandle(Handle::Lower);
    } else if (m_drag == Drag::Upper) {
        m_pressOffset = p - handleStart(m_upper);
        setActiveHandle(Handle::Upper);
    } else if (m_drag == Drag::Undecided) {
        m_pressOffset = p - lowerStart;
    }
    m_hover = HoverNone;
    update();
    Q_EMIT sliderPressed();
}

void RangeSlider::dragTo(int p)
{
    if (m_drag == Drag::Undecided) {
        if (p == m_pressPixel)
            return;
        QStyleOptionSlider opt;
        initStyleOption(&opt);
        const bool increasing = opt.upsideDown ? p < m_pressPixel : p > m_pressPixel;
        m_drag = increasing ? Drag::Upper : Drag::Lower;
        m_pressOffset = m_pressPixel - handleStart(increasing ? m_upper : m_lower);
        setActiveHandle(increasing ? Handle::Upper : Handle::Lower);
    }
    const int value = pixelPosToValue(p - m_pressOffset);
    switch (m_drag) {
    case Drag::Lower:
        applyValues(std::clamp(value, m_minimum, m_upper), m_upper);
        break;
    case Drag::Upper:
        applyValues(m_lower, std::clamp(value, m_lower, m_maximum));
        break;
    case Drag::Span: {
        const qint64 width = qint64(m_upper) - m_lower;
        const int lower = clampToInt(value, m_minimum, clampToInt(qint64(m_maximum) - width, m_minimum, m_maximum));
        applyValues(lower, clampToInt(lower + width, m_minimum, m_maximum));
        break;
    }
    case Drag::None:
    case Drag::Undecided:
        break;
    }
}

void RangeSlider::mouseMoveEvent(QMouseEvent *event)
{
    if (m_drag == Drag::None) {
        updateHover(event->position().toPoint());
        event->ignore();
        return;
    }
    event->accept();
    dragTo(pick(event->position().toPoint()));
}

void RangeSlider::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_drag == Drag::None || event->button() != Qt::LeftButton) {
        event->ignore();
        return;
    }
    event->accept();
    m_drag = Drag::None;
    updateHover(event->position().toPoint());
    update();
    Q_EMIT sliderReleased();
}

void RangeSlider::updateHover(const QPoint &point)
{
    int hover = HoverNone;
    if (rect().contains(point)) {
        const int p = pick(point);
        const int len = handleLength();
        const int lowerStart = handleStart(m_lower);
        const int upperStart = handleStart(m_upper);
        if (p >= lowerStart && p < lowerStart + len)
            hover = HoverLower;
        else if (p >= upperStart && p < upperStart + len)
            hover = HoverUpper;
        else if (p > std::min(lowerStart, upperStart) && p < std::max(lowerStart, upperStart))
            hover = HoverSpan;
    }
    if (hover != m_hover) {
        m_hover = hover;
        update();
    }
}

void RangeSlider::leaveEvent(QEvent *event)
{
    if (m_hover != HoverNone) {
        m_hover = HoverNone;
        update();
    }
    QWidget::leaveEvent(event);
}

// ---- keyboard -------------------------------------------------------------------------------

void RangeSlider::keyPressEvent(QKeyEvent *event)
{
    if (m_drag != Drag::None) {
        // Escape aborts nothing here; ignore keys while dragging.
        event->ignore();
        return;
    }
    const bool horizontalRtl = m_orientation == Qt::Horizontal && layoutDirection() == Qt::RightToLeft;
    const qint64 current = m_active == Handle::Lower ? m_lower : m_upper;
    switch (event->key()) {
    case Qt::Key_Left:
        moveActiveHandleTo(current + (horizontalRtl ? m_singleStep : -m_singleStep));
        break;
    case Qt::Key_Right:
        moveActiveHandleTo(current + (horizontalRtl ? -m_singleStep : m_singleStep));
        break;
    case Qt::Key_Up:
        moveActiveHandleTo(current + m_singleStep);
        break;
    case Qt::Key_Down:
        moveActiveHandleTo(current - m_singleStep);
        break;
    case Qt::Key_PageUp:
        moveActiveHandleTo(current + m_pageStep);
        break;
    case Qt::Key_PageDown:
        moveActiveHandleTo(current - m_pageStep);
        break;
    case Qt::Key_Home:
        moveActiveHandleTo(m_minimum);
        break;
    case Qt::Key_End:
        moveActiveHandleTo(m_maximum);
        break;
    case Qt::Key_Space:
    case Qt::Key_Select:
        setActiveHandle(m_active == Handle::Lower ? Handle::Upper : Handle::Lower);
        break;
    default:
        event->ignore();
        return;
    }
    event->accept();
    if (!m_keyboardUsed) {
        m_keyboardUsed = true;
        update();
    }
}

void RangeSlider::wheelEvent(QWheelEvent *event)
{
    // Deliberately not handled: scrolling a filter panel must not change filters by accident.
    event->ignore();
}

void RangeSlider::focusInEvent(QFocusEvent *event)
{
    m_keyboardUsed = event->reason() == Qt::TabFocusReason || event->reason() == Qt::BacktabFocusReason;
    update();
    QWidget::focusInEvent(event);
}

void RangeSlider::focusOutEvent(QFocusEvent *event)
{
    update();
    QWidget::focusOutEvent(event);
}

void RangeSlider::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::StyleChange || event->type() == QEvent::LayoutDirectionChange)
        updateGeometry();
    if (event->type() == QEvent::EnabledChange && !isEnabled() && m_drag != Drag::None) {
        m_drag = Drag::None;
        Q_EMIT sliderReleased();
    }
    QWidget::changeEvent(event);
}

} // namespace es
