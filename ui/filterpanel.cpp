#include "filterpanel.h"

#include "filtercontroller.h"
#include "numberformat.h"

#include "multiselectcombo.h"
#include "rangeeditor.h"

#include <QGroupBox>
#include <QHash>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStyle>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace es::ui {

namespace {

bool nearlyEqual(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

QGroupBox *section(const QString &title, QWidget *content, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(8, 6, 8, 8);
    layout->addWidget(content);
    return box;
}

} // namespace

FilterPanel::FilterPanel(FilterController *filters, QWidget *parent)
    : QWidget(parent)
    , m_filters(filters)
    , m_price(new es::RangeEditor(this))
    , m_area(new es::RangeEditor(this))
    , m_districts(new es::MultiSelectCombo(this))
    , m_types(new es::MultiSelectCombo(this))
    , m_reset(new QPushButton(tr("Reset filters"), this))
    , m_summary(new QLabel(this))
{
    m_price->setObjectName(u"priceRange"_s);
    m_area->setObjectName(u"areaRange"_s);
    m_districts->setObjectName(u"districtSelect"_s);
    m_types->setObjectName(u"typeSelect"_s);
    m_reset->setObjectName(u"resetFilters"_s);

    m_price->setLogScale(true);
    m_price->setDecimals(0);
    m_price->setToolTip(tr("Show listings whose price is in this range (log scale).\n"
                           "Drag the handles or type the bounds; a handle at the end means no limit."));
    m_area->setLogScale(true);
    m_area->setDecimals(0);
    m_area->setToolTip(tr("Show listings whose living area is in this range (log scale).\n"
                          "Drag the handles or type the bounds; a handle at the end means no limit."));
    m_districts->setPlaceholderName(tr("districts"));
    m_districts->setToolTip(tr("Districts to show; the number next to each is its listings under the other filters"));
    m_types->setPlaceholderName(tr("types"));
    m_types->setToolTip(tr("Property types to show; the number next to each is its listings under the other filters"));
    m_reset->setToolTip(tr("Clear every filter: full price and area ranges, all districts and types"));
    m_reset->setIcon(style()->standardIcon(QStyle::SP_DialogResetButton));
    m_summary->setWordWrap(true);
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    m_summary->setToolTip(tr("Listings matching the filters, out of all accepted listings received so far"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);
    layout->addWidget(section(tr("Price (€)"), m_price, this));
    layout->addWidget(section(tr("Living area (m²)"), m_area, this));
    layout->addWidget(section(tr("District"), m_districts, this));
    layout->addWidget(section(tr("Property type"), m_types, this));
    layout->addWidget(m_reset);
    layout->addWidget(m_summary);
    layout->addStretch(1);

    connect(m_price, &es::RangeEditor::selectionChanged, this, &FilterPanel::onPriceEdited);
    connect(m_area, &es::RangeEditor::selectionChanged, this, &FilterPanel::onAreaEdited);
    connect(m_districts, &es::MultiSelectCombo::selectionChanged, this, &FilterPanel::onDistrictsEdited);
    connect(m_types, &es::MultiSelectCombo::selectionChanged, this, &FilterPanel::onTypesEdited);
    connect(m_reset, &QPushButton::clicked, m_filters, &FilterController::reset);
    connect(m_filters, &FilterController::filterChanged, this, &FilterPanel::syncFromState);
    clearData();
}

void FilterPanel::clearData()
{
    m_priceLo = m_priceHi = m_areaLo = m_areaHi = 0;
    m_price->setEnabled(false);
    m_area->setEnabled(false);
    m_summary->setText(tr("Waiting for data…"));
}

void FilterPanel::updateBounds(es::RangeEditor *editor, double &lo, double &hi, double seenLo, double seenHi)
{
    if (!(seenLo > 0) || !std::isfinite(seenHi))
        return;
    if (seenHi <= seenLo)
        seenHi = seenLo * 1.01 + 1;
    if (nearlyEqual(lo, seenLo) && nearlyEqual(hi, seenHi))
        return;
    lo = seenLo;
    hi = seenHi;
    const QSignalBlocker block(editor);
    editor->setBounds(lo, hi);
    editor->setEnabled(true);
}

void FilterPanel::showRange(es::RangeEditor *editor, double boundLo, double boundHi, double lo, double hi)
{
    if (!(boundHi > boundLo))
        return;
    const double wantLo = std::clamp(lo, boundLo, boundHi);
    const double wantHi = std::clamp(hi, boundLo, boundHi);
    if (nearlyEqual(editor->selectionLow(), wantLo) && nearlyEqual(editor->selectionHigh(), wantHi))
        return;
    const QSignalBlocker block(editor);
    editor->setSelection(wantLo, wantHi);
}

void FilterPanel::applyResult(const es::FilterResult &result)
{
    updateBounds(m_price, m_priceLo, m_priceHi, result.seenPriceMin, result.seenPriceMax);
    updateBounds(m_area, m_areaLo, m_areaHi, result.seenAreaMin, result.seenAreaMax);

    QStringList districts = result.districts;
    districts.sort(Qt::CaseInsensitive);
    if (districts != m_districtNames) {
        const QSignalBlocker block(m_districts);
        m_districts->setItems(districts);
        m_districtNames = districts;
    }
    QStringList types = result.types;
    types.sort(Qt::CaseInsensitive);
    if (types != m_typeNames) {
        const QSignalBlocker block(m_types);
        m_types->setItems(types);
        m_typeNames = types;
    }
    QHash<QString, qint64> districtCounts;
    for (qsizetype i = 0; i < result.districts.size() && std::size_t(i) < result.districtCounts.size(); ++i)
        districtCounts.insert(result.districts[i], result.districtCounts[std::size_t(i)]);
    m_districts->setCounts(districtCounts);
    QHash<QString, qint64> typeCounts;
    for (qsizetype i = 0; i < result.types.size() && std::size_t(i) < result.typeCounts.size(); ++i)
        typeCounts.insert(result.types[i], result.typeCounts[std::size_t(i)]);
    m_types->setCounts(typeCounts);

    syncFromState(m_filters->state());
    const std::int64_t shown = std::int64_t(result.totals.stats.count);
    m_summary->setText(tr("Showing %1 of %2 listings").arg(formatCount(shown), formatCount(result.storeSize)));
}

void FilterPanel::syncFromState(const es::FilterState &state)
{
    showRange(m_price, m_priceLo, m_priceHi, state.priceMin, state.priceMax);
    showRange(m_area, m_areaLo, m_areaHi, state.areaMin, state.areaMax);
    // The combos remember unchecked names they have not listed yet, so they can
    // hold the whole hidden sets, including names that arrive later in the stream.
    if (m_districts->uncheckedItems() != state.hiddenDistricts) {
        const QSignalBlocker block(m_districts);
        m_districts->setUncheckedItems(state.hiddenDistricts);
    }
    if (m_types->uncheckedItems() != state.hiddenTypes) {
        const QSignalBlocker block(m_types);
        m_types->setUncheckedItems(state.hiddenTypes);
    }
}

void FilterPanel::onPriceEdited(double lo, double hi)
{
    // A handle at the end of the slider means "no limit", so listings that
    // arrive later with a larger (or smaller) price stay visible.
    m_filters->setPriceRange(lo <= m_priceLo * (1 + 1e-9) ? 0.0 : lo,
                             hi >= m_priceHi * (1 - 1e-9) ? std::numeric_limits<double>::infinity() : hi);
}

void FilterPanel::onAreaEdited(double lo, double hi)
{
    m_filters->setAreaRange(lo <= m_areaLo * (1 + 1e-9) ? 0.0 : lo,
                            hi >= m_areaHi * (1 - 1e-9) ? std::numeric_limits<double>::infinity() : hi);
}

void FilterPanel::onDistrictsEdited()
{
    m_filters->setHiddenDistricts(m_districts->uncheckedItems());
}

void FilterPanel::onTypesEdited()
{
    m_filters->setHiddenTypes(m_types->uncheckedItems());
}

} // namespace es::ui
