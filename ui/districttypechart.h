// Chart: average listing price by district, one bar per property type (the
// most common types; the rest grouped as "Other").
#pragma once

#include "chartadapter.h"

#include <QHash>
#include <QStringList>

class QBarCategoryAxis;
class QBarSeries;
class QBarSet;
class QCategoryAxis;

namespace es::ui {

class DistrictTypeChart : public ChartAdapter {
    Q_OBJECT
public:
    static constexpr int kMaxTypes = 5;
    explicit DistrictTypeChart(QWidget *parentWidget);

protected:
    bool fill(const es::FilterResult &result) override;

private:
    void showTooltip(bool status, int index, QBarSet *set);

    QBarSeries *m_series;
    QBarCategoryAxis *m_axisX;
    QCategoryAxis *m_axisY;
    QStringList m_districts;
    QHash<QBarSet *, std::vector<std::uint64_t>> m_counts;
};

} // namespace es::ui
