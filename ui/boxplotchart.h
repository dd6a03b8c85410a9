// Chart: box plot of price per m² by property type (from FilterResult's
// five-number summaries; Tukey whiskers).
#pragma once

#include "chartadapter.h"

#include <QStringList>

#include <vector>

class QBarCategoryAxis;
class QBoxPlotSeries;
class QBoxSet;
class QCategoryAxis;

namespace es::ui {

class BoxPlotChart : public ChartAdapter {
    Q_OBJECT
public:
    explicit BoxPlotChart(QWidget *parentWidget);

protected:
    bool fill(const es::FilterResult &result) override;

private:
    void showTooltip(bool status, QBoxSet *set);

    QBoxPlotSeries *m_series;
    QBarCategoryAxis *m_axisX;
    QCategoryAxis *m_axisY;
    QStringList m_labels;
    std::vector<std::int64_t> m_counts;
};

} // namespace es::ui
