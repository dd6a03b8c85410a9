// The filters on the left: price and living-area range editors (log scale),
// district and property-type multi-selects with counts, and Reset. The panel
// only calls FilterController slots and mirrors its state; it never filters.
#pragma once

#include "filterengine.h"

#include <QStringList>
#include <QWidget>

class QLabel;
class QPushButton;

namespace es {
class MultiSelectCombo;
class RangeEditor;
}

namespace es::ui {

class FilterController;

class FilterPanel : public QWidget {
    Q_OBJECT
public:
    FilterPanel(FilterController *filters, QWidget *parent = nullptr);

    /// New data: slider bounds, category names and per-item counts.
    void applyResult(const es::FilterResult &result);
    /// A new stream starts: bounds and names are forgotten.
    void clearData();

    es::RangeEditor *priceEditor() const { return m_price; }
    es::RangeEditor *areaEditor() const { return m_area; }
    es::MultiSelectCombo *districtCombo() const { return m_districts; }
    es::MultiSelectCombo *typeCombo() const { return m_types; }
    QPushButton *resetButton() const { return m_reset; }

private:
    void syncFromState(const es::FilterState &state);
    void onPriceEdited(double lo, double hi);
    void onAreaEdited(double lo, double hi);
    void onDistrictsEdited();
    void onTypesEdited();
    static void updateBounds(es::RangeEditor *editor, double &lo, double &hi, double seenLo, double seenHi);
    static void showRange(es::RangeEditor *editor, double boundLo, double boundHi, double lo, double hi);

    FilterController *m_filters;
    es::RangeEditor *m_price;
    es::RangeEditor *m_area;
    es::MultiSelectCombo *m_districts;
    es::MultiSelectCombo *m_types;
    QPushButton *m_reset;
    QLabel *m_summary;
    double m_priceLo = 0, m_priceHi = 0; ///< current slider bounds (0,0 = no data yet)
    double m_areaLo = 0, m_areaHi = 0;
    QStringList m_districtNames;
    QStringList m_typeNames;
};

} // namespace es::ui
