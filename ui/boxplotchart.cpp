#include "boxplotchart.h"

#include "chartstyle.h"
#include "numberformat.h"

#include <QBarCategoryAxis>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QPen>
#include <QToolTip>

#include "filterengine.h"

#include <algorithm>
#include <limits>

namespace es::ui {

BoxPlotChart::BoxPlotChart(QWidget *parentWidget)
    : ChartAdapter(tr("Price per m² by property type"), parentWidget)
    , m_series(new QBoxPlotSeries)
    , m_axisX(new QBarCategoryAxis)
    , m_axisY(new QCategoryAxis)
{
    addSeriesWithAxes(m_series, m_axisX, m_axisY);
    m_series->setBoxWidth(0.6);
    m_axisX->setLabelsAngle(-90);
    m_axisX->setTruncateLabels(false);
    m_axisY->setTitleText(tr("Price per m² (€)"));
    connect(m_series, &QBoxPlotSeries::hovered, this, &BoxPlotChart::showTooltip);
    view()->setToolTip(tr("Price per m² of the listings of each property type: box from the first to the\n"
                          "third quartile, line at the median, whiskers to the furthest values within 1.5 IQR."));
}

bool BoxPlotChart::fill(const es::FilterResult &result)
{
    QStringList labels;
    for (const BoxStats &b : result.pricePerSqmByType)
        if (b.count > 0)
            labels << b.label;
    // The same boxes as last time (the usual refresh): new values in place.
    const bool inPlace = labels == m_labels && m_series->count() == labels.size();
    if (!inPlace)
        m_series->clear();
    const QList<QBoxSet *> existing = m_series->boxSets();
    m_counts.clear();
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    QList<QBoxSet *> sets;
    const QColor outline = view()->palette().color(QPalette::Text);
    for (const BoxStats &b : result.pricePerSqmByType) {
        if (b.count <= 0)
            continue;
        QBoxSet *set = nullptr;
        if (inPlace) {
            set = existing[sets.size()];
            const qreal values[] = {b.lowerWhisker, b.q1, b.median, b.q3, b.upperWhisker};
            for (int i = 0; i < 5; ++i)
                if (set->at(i) != values[i])
                    set->setValue(i, values[i]);
        } else {
            set = new QBoxSet(b.lowerWhisker, b.q1, b.median, b.q3, b.upperWhisker, b.label);
        }
        set->setBrush(categoryColor(b.label)); // again after a theme change
        QPen pen(outline);
        pen.setWidthF(1.0);
        set->setPen(pen);
        sets << set;
        m_counts.push_back(b.count);
        lo = std::min(lo, b.lowerWhisker);
        hi = std::max(hi, b.upperWhisker);
    }
    if (!inPlace)
        m_series->append(sets);
    if (labels != m_labels) {
        m_axisX->setCategories(labels); // relabels the existing label items
        m_labels = labels;
    }
    if (sets.isEmpty()) {
        lo = 0;
        hi = 1;
    }
    setLinearAxis(m_axisY, std::max(0.0, lo), hi, formatCompact, 6);
    return !sets.isEmpty();
}

void BoxPlotChart::showTooltip(bool status, QBoxSet *set)
{
    const int index = int(m_labels.indexOf(set ? set->label() : QString()));
    if (!status || index < 0) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(QCursor::pos(),
                       tr("%1 (%2 listings)\nUpper whisker %3\nQ3 %4\nMedian %5\nQ1 %6\nLower whisker %7")
                           .arg(set->label(), formatCount(m_counts[std::size_t(index)]),
                                formatPricePerSqm(set->at(QBoxSet::UpperExtreme)),
                                formatPricePerSqm(set->at(QBoxSet::UpperQuartile)),
                                formatPricePerSqm(set->at(QBoxSet::Median)),
                                formatPricePerSqm(set->at(QBoxSet::LowerQuartile)),
                                formatPricePerSqm(set->at(QBoxSet::LowerExtreme))));
}

} // namespace es::ui
