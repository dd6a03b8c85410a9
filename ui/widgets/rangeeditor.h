// A range filter in data units: a RangeSlider with editable minimum and maximum spin boxes.
#pragma once

#include <QString>
#include <QWidget>

class QDoubleSpinBox;
class QLabel;

namespace es {

class RangeSlider;

/// Edits a selection [selectionLow, selectionHigh] inside data bounds [boundLow, boundHigh].
///
/// The slider has SliderSteps positions spread linearly, or over log10 of the value when
/// logScale() is on and boundLow() > 0 (otherwise it falls back to linear). The selection is
/// kept in data units: a value typed in a spin box is kept exactly, a value set with the slider
/// is rounded to a readable step (no finer than the slider can resolve, no finer than
/// decimals()); the two ends of the slider are exactly the bounds.
///
/// selectionChanged() is emitted on every user change (while dragging, once per move) and by
/// setSelection()/resetSelection() when the selection changed; setBounds() emits it only when it
/// had to clamp a sub-range selection. A selection covering the whole bounds isFullRange(): it
/// follows the bounds when they change (the consumer treats it as "no filter").
class RangeEditor : public QWidget
{
    Q_OBJECT
    Q_PROPERTY(double boundLow READ boundLow)
    Q_PROPERTY(double boundHigh READ boundHigh)
    Q_PROPERTY(double selectionLow READ selectionLow)
    Q_PROPERTY(double selectionHigh READ selectionHigh)
    Q_PROPERTY(bool logScale READ logScale WRITE setLogScale)
    Q_PROPERTY(int decimals READ decimals WRITE setDecimals)
    Q_PROPERTY(QString suffix READ suffix WRITE setSuffix)

public:
    static constexpr int SliderSteps = 1000;

    explicit RangeEditor(QWidget *parent = nullptr);
    ~RangeEditor() override;

    /// Data bounds seen so far (swapped if lo > hi; ignored unless both are finite). A
    /// full-range selection follows them; a sub-range is kept, clamped into the new bounds if
    /// needed.
    void setBounds(double lo, double hi);
    double boundLow() const;
    double boundHigh() const;

    /// Slider positions map to log10(value); only effective while boundLow() > 0.
    void setLogScale(bool on);
    bool logScale() const;            ///< as requested
    bool isLogScaleActive() const;    ///< requested and possible with the current bounds

    /// Sets the selection (swapped if lo > hi, clamped to the bounds); emits if it changed.
    void setSelection(double lo, double hi);
    double selectionLow() const;
    double selectionHigh() const;
    bool isFullRange() const;
    /// Selects the whole bounds (emits if that changed the selection).
    void resetSelection();

    void setDecimals(int decimals);
    int decimals() const;
    void setSuffix(const QString &suffix);
    QString suffix() const;

    /// Slider position (0..SliderSteps) of a data value, and back (with the rounding above).
    int positionForValue(double value) const;
    double valueForPosition(int position) const;

    RangeSlider *slider() const;
    QDoubleSpinBox *lowSpinBox() const;
    QDoubleSpinBox *highSpinBox() const;

Q_SIGNALS:
    void selectionChanged(double lo, double hi);

protected:
    void changeEvent(QEvent *event) override;

private:
    void onSliderValuesChanged(int lower, int upper);
    void onLowSpinChanged(double value);
    void onHighSpinChanged(double value);
    /// Stores the selection, refreshes slider and spin boxes without feedback, emits if asked
    /// and the selection changed. Returns whether it changed.
    bool applySelection(double lo, double hi, bool emitIfChanged, bool updateSlider);
    void syncSlider();
    void syncSpinBoxes();
    void applySpinLocale();
    static void markCommitted(QDoubleSpinBox *spin);
    double tFor(double value) const;  ///< 0..1 along the slider
    double quantumAt(double value) const;
    double roundToQuantum(double value, double quantum) const;

    RangeSlider *m_slider = nullptr;
    QDoubleSpinBox *m_lowSpin = nullptr;
    QDoubleSpinBox *m_highSpin = nullptr;
    QLabel *m_dash = nullptr;
    double m_boundLow = 0.0;
    double m_boundHigh = 0.0;
    double m_selLow = 0.0;
    double m_selHigh = 0.0;
    int m_lowPos = 0;
    int m_highPos = SliderSteps;
    int m_decimals = 0;
    bool m_logScale = false;
    bool m_updating = false;
};

} // namespace es
