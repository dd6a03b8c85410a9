// Charts with one bar per district, sorted by value: average price per m²
// (horizontal bars) and listings by district (vertical bars).
#pragma once

#include "chartadapter.h"

#include <QStringList>

#include <vector>

class QAbstractBarSeries;
class QBarCategoryAxis;
class QBarSet;
class QCategoryAxis;

namespace es::ui {

class DistrictBarChart : public ChartAdapter {
    Q_OBJECT
public:
    enum class Metric : std::uint8_t { AvgPricePerSqm, Count };
    DistrictBarChart(Metric metric, QWidget *parentWidget);

protected:
    bool fill(const es::FilterResult &result) override;

private:
    void showTooltip(bool status, int index, QBarSet *set);
    QString valueText(double v) const;

    Metric m_metric;
    QAbstractBarSeries *m_series;
    QBarCategoryAxis *m_categoryAxis;
    QCategoryAxis *m_valueAxis;
    QStringList m_districts;
    std::vector<std::uint64_t> m_counts;
};

} // namespace es::ui
