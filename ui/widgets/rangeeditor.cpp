#include "rangeeditor.h"

#include "rangeslider.h"

#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSignalBlocker>

#include <algorithm>
#include <cmath>
#include <utility>

namespace es {

namespace {

double roundToDecimals(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

/// The largest power of ten not above `value` (value > 0).
double powerOfTenBelow(double value)
{
    return std::pow(10.0, std::floor(std::log10(value)));
}

} // namespace

RangeEditor::RangeEditor(QWidget *parent)
    : QWidget(parent)
    , m_slider(new RangeSlider(Qt::Horizontal, this))
    , m_lowSpin(new QDoubleSpinBox(this))
    , m_highSpin(new QDoubleSpinBox(this))
    , m_dash(new QLabel(QStringLiteral("\u2013"), this))
{
    m_slider->setObjectName(QStringLiteral("rangeSlider"));
    m_slider->setRange(0, SliderSteps);
    m_slider->setValues(0, SliderSteps);
    m_slider->setSingleStep(SliderSteps / 100);
    m_slider->setPageStep(SliderSteps / 10);

    m_lowSpin->setObjectName(QStringLiteral("lowSpinBox"));
    m_highSpin->setObjectName(QStringLiteral("highSpinBox"));
    for (QDoubleSpinBox *spin : {m_lowSpin, m_highSpin}) {
        spin->setKeyboardTracking(false); // one change per edit (Enter, focus out, arrow step)
        spin->setGroupSeparatorShown(true);
        spin->setAccelerated(true);
        spin->setDecimals(m_decimals);
        spin->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        spin->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    }
    m_lowSpin->setAccessibleName(tr("Minimum"));
    m_highSpin->setAccessibleName(tr("Maximum"));
    // One tooltip for the whole editor (the children have none, so theirs falls through to
    // it): a tooltip set by the application on the editor then covers the slider and boxes.
    m_slider->setToolTip(QString());
    setToolTip(tr("Drag the handles or the span between them, or type the lowest and highest "
                  "value and press Enter.\nWith the slider focused: arrows and Page Up/Down move "
                  "the active end, Home/End to the limits, Space switches ends."));
    m_dash->setAlignment(Qt::AlignCenter);
    m_dash->setForegroundRole(QPalette::PlaceholderText);
    applySpinLocale();

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setHorizontalSpacing(4);
    layout->setVerticalSpacing(2);
    layout->addWidget(m_slider, 0, 0, 1, 3);
    layout->addWidget(m_lowSpin, 1, 0);
    layout->addWidget(m_dash, 1, 1);
    layout->addWidget(m_highSpin, 1, 2);
    layout->setColumnStretch(1, 1);
    setFocusProxy(m_slider);

    connect(m_slider, &RangeSlider::valuesChanged, this, &RangeEditor::onSliderValuesChanged);
    connect(m_lowSpin, &QDoubleSpinBox::valueChanged, this, &RangeEditor::onLowSpinChanged);
    connect(m_highSpin, &QDoubleSpinBox::valueChanged, this, &RangeEditor::onHighSpinChanged);

    syncSlider();
    syncSpinBoxes();
}

RangeEditor::~RangeEditor() = default;

// ---- bounds and scale -----------------------------------------------------------------------

void RangeEditor::setBounds(double lo, double hi)
{
    if (!std::isfinite(lo) || !std::isfinite(hi))
        return;
    if (lo > hi)
        std::swap(lo, hi);
    const bool wasFull = isFullRange();
    m_boundLow = lo;
    m_boundHigh = hi;
    if (wasFull) {
        // A full selection means "no filter": it follows the bounds silently.
        applySelection(lo, hi, false, true);
    } else {
        applySelection(std::clamp(m_selLow, lo, hi), std::clamp(m_selHigh, lo, hi), true, true);
    }
}

double RangeEditor::boundLow() const
{
    return m_boundLow;
}

double RangeEditor::boundHigh() const
{
    return m_boundHigh;
}

void RangeEditor::setLogScale(bool on)
{
    if (m_logScale == on)
        return;
    m_logScale = on;
    syncSlider();
}

bool RangeEditor::logScale() const
{
    return m_logScale;
}

bool RangeEditor::isLogScaleActive() const
{
    return m_logScale && m_boundLow > 0.0;
}

// ---- selection ------------------------------------------------------------------------------

void RangeEditor::setSelection(double lo, double hi)
{
    if (std::isnan(lo) || std::isnan(hi))
        return;
    if (lo > hi)
        std::swap(lo, hi);
    applySelection(std::clamp(lo, m_boundLow, m_boundHigh), std::clamp(hi, m_boundLow, m_boundHigh),
                   true, true);
}

double RangeEditor::selectionLow() const
{
    return m_selLow;
}

double RangeEditor::selectionHigh() const
{
    return m_selHigh;
}

bool RangeEditor::isFullRange() const
{
    return m_selLow <= m_boundLow && m_selHigh >= m_boundHigh;
}

void RangeEditor::resetSelection()
{
    applySelection(m_boundLow, m_boundHigh, true, true);
}

void RangeEditor::setDecimals(int decimals)
{
    decimals = std::clamp(decimals, 0, 10);
    if (m_decimals == decimals)
        return;
    m_decimals = decimals;
    {
        const QSignalBlocker lowBlocker(m_lowSpin);
        const QSignalBlocker highBlocker(m_highSpin);
        m_lowSpin->setDecimals(decimals);
        m_highSpin->setDecimals(decimals);
    }
    syncSpinBoxes();
}

int RangeEditor::decimals() const
{
    return m_decimals;
}

void RangeEditor::setSuffix(const QString &suffix)
{
    m_lowSpin->setSuffix(suffix);
    m_highSpin->setSuffix(suffix);
}

QString RangeEditor::suffix() const
{
    return m_lowSpin->suffix();
}

RangeSlider *RangeEditor::slider() const
{
    return m_slider;
}

QDoubleSpinBox *RangeEditor::lowSpinBox() const
{
    return m_lowSpin;
}

QDoubleSpinBox *RangeEditor::highSpinBox() const
{
    return m_highSpin;
}

// ---- mapping --------------------------------------------------------------------------------

double RangeEditor::tFor(double value) const
{
    if (!(m_boundHigh > m_boundLow))
        return 0.0;
    if (isLogScaleActive()) {
        if (value <= m_boundLow)
            return 0.0;
        const double l0 = std::log10(m_boundLow);
        const double l1 = std::log10(m_boundHigh);
        return (std::log10(value) - l0) / (l1 - l0);
    }
    return (value - m_boundLow) / (m_boundHigh - m_boundLow);
}

int RangeEditor::positionForValue(double value) const
{
    const double t = std::clamp(tFor(value), 0.0, 1.0);
    return std::clamp(static_cast<int>(std::lround(t * SliderSteps)), 0, SliderSteps);
}

// One slider step around `value`, in data units; values from the slider are rounded to the
// largest power of ten not above half of it, so that they read well ("123,400") and map back
// to the same slider position.
double RangeEditor::quantumAt(double value) const
{
    const double finest = std::pow(10.0, -m_decimals);
    double step = 0.0;
    if (isLogScaleActive()) {
        step = value * std::log(10.0) * (std::log10(m_boundHigh) - std::log10(m_boundLow)) / SliderSteps;
    } else {
        step = (m_boundHigh - m_boundLow) / SliderSteps;
    }
    if (!(step > 0.0) || !std::isfinite(step))
        return finest;
    return std::max(finest, powerOfTenBelow(step / 2.0));
}

double RangeEditor::roundToQuantum(double value, double quantum) const
{
    const double rounded = std::round(value / quantum) * quantum;
    // Remove representation noise (0.30000000000000004) at the displayed precision.
    return roundToDecimals(rounded, std::max(m_decimals, static_cast<int>(std::ceil(-std::log10(quantum)))));
}

double RangeEditor::valueForPosition(int position) const
{
    if (position <= 0 || !(m_boundHigh > m_boundLow))
        return m_boundLow;
    if (position >= SliderSteps)
        return m_boundHigh;
    const double t = static_cast<double>(position) / SliderSteps;
    double value = 0.0;
    if (isLogScaleActive()) {
        const double l0 = std::log10(m_boundLow);
        const double l1 = std::log10(m_boundHigh);
        value = std::pow(10.0, l0 + t * (l1 - l0));
    } else {
        value = m_boundLow + t * (m_boundHigh - m_boundLow);
    }
    value = roundToQuantum(value, quantumAt(value));
    return std::clamp(value, m_boundLow, m_boundHigh);
}

// ---- synchronisation ------------------------------------------------------------------------

bool RangeEditor::applySelection(double lo, double hi, bool emitIfChanged, bool updateSlider)
{
    const bool changed = lo != m_selLow || hi != m_selHigh;
    m_selLow = lo;
    m_selHigh = hi;
    if (updateSlider)
        syncSlider();
    syncSpinBoxes();
    if (changed && emitIfChanged)
        Q_EMIT selectionChanged(m_selLow, m_selHigh);
    return changed;
}

void RangeEditor::syncSlider()
{
    const bool degenerate = !(m_boundHigh > m_boundLow);
    const int lowPos = degenerate ? 0 : positionForValue(m_selLow);
    const int highPos = degenerate ? SliderSteps : positionForValue(m_selHigh);
    m_lowPos = lowPos;
    m_highPos = highPos;
    const bool wasUpdating = std::exchange(m_updating, true);
    m_slider->setValues(lowPos, highPos);
    m_slider->setEnabled(!degenerate);
    m_updating = wasUpdating;
}

void RangeEditor::syncSpinBoxes()
{
    const bool wasUpdating = std::exchange(m_updating, true);
    const double unit = std::pow(10.0, -m_decimals);
    const double span = m_boundHigh - m_boundLow;
    const double step = span > 0.0 ? std::max(unit, powerOfTenBelow(span / 100.0)) : unit;
    const auto sync = [&](QDoubleSpinBox *spin, double value) {
        const QSignalBlocker blocker(spin);
        if (roundToDecimals(m_boundLow, m_decimals) != spin->minimum()
            || roundToDecimals(m_boundHigh, m_decimals) != spin->maximum()) {
            spin->setRange(m_boundLow, m_boundHigh);
        }
        // Never overwrite what the user is typing (bounds keep changing while data streams
        // in); setSingleStep() and setValue() both rewrite the edit's text.
        const QLineEdit *edit = spin->findChild<QLineEdit *>();
        if (spin->hasFocus() && edit && edit->isModified())
            return;
        if (spin->singleStep() != step)
            spin->setSingleStep(step);
        if (std::abs(roundToDecimals(value, m_decimals) - spin->value()) >= unit / 2.0)
            spin->setValue(value);
    };
    sync(m_lowSpin, m_selLow);
    sync(m_highSpin, m_selHigh);
    m_lowSpin->setEnabled(m_boundHigh > m_boundLow);
    m_highSpin->setEnabled(m_boundHigh > m_boundLow);
    m_updating = wasUpdating;
}

void RangeEditor::onSliderValuesChanged(int lower, int upper)
{
    if (m_updating)
        return;
    // Only an end whose position moved takes the slider's value: a typed value stays exact.
    double lo = lower != m_lowPos ? valueForPosition(lower) : m_selLow;
    double hi = upper != m_highPos ? valueForPosition(upper) : m_selHigh;
    if (lo > hi) {
        if (lower != m_lowPos)
            lo = hi;
        else
            hi = lo;
    }
    m_lowPos = lower;
    m_highPos = upper;
    applySelection(lo, hi, true, false);
}

// The user's text became the spin box's value: from now on the box may be refreshed.
void RangeEditor::markCommitted(QDoubleSpinBox *spin)
{
    if (QLineEdit *edit = spin->findChild<QLineEdit *>())
        edit->setModified(false);
}

void RangeEditor::onLowSpinChanged(double value)
{
    if (m_updating)
        return;
    markCommitted(m_lowSpin);
    const double lo = std::clamp(value, m_boundLow, m_boundHigh);
    // Typing a minimum above the maximum pushes the maximum up with it.
    applySelection(lo, std::max(lo, m_selHigh), true, true);
}

void RangeEditor::onHighSpinChanged(double value)
{
    if (m_updating)
        return;
    markCommitted(m_highSpin);
    const double hi = std::clamp(value, m_boundLow, m_boundHigh);
    applySelection(std::min(hi, m_selLow), hi, true, true);
}

void RangeEditor::applySpinLocale()
{
    // Group separators always (the C locale omits them by default).
    QLocale spinLocale = locale();
    spinLocale.setNumberOptions(spinLocale.numberOptions() & ~QLocale::OmitGroupSeparator);
    m_lowSpin->setLocale(spinLocale);
    m_highSpin->setLocale(spinLocale);
}

void RangeEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LocaleChange)
        applySpinLocale();
    QWidget::changeEvent(event);
}

} // namespace es
