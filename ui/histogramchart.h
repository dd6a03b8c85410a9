// Chart: histogram of listing prices or of living areas, drawn from the
// FilterResult's histograms (bins computed from the listings by the core; on a
// log scale the bins are equal in log10 and the axis shows real values).
#pragma once

#include "chartadapter.h"

#include "filterengine.h"

class QAreaSeries;
class QCategoryAxis;
class QLineSeries;

namespace es::ui {

class HistogramChart : public ChartAdapter {
    Q_OBJECT
public:
    enum class Variable : std::uint8_t { Price, Area };
    HistogramChart(Variable variable, QWidget *parentWidget);

protected:
    bool fill(const es::FilterResult &result) override;

private:
    void showTooltip(const QPointF &point, bool state);
    double toAxis(double v) const;
    QString valueText(double v) const;

    Variable m_variable;
    QLineSeries *m_upper;
    QAreaSeries *m_area;
    QCategoryAxis *m_axisX;
    QCategoryAxis *m_axisY;
    Histogram m_histogram; ///< last shown, for tooltips
};

} // namespace es::ui
