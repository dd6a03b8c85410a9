// Chart: price vs living area for a bounded uniform sample of the filtered
// listings, coloured by property type, both axes on a log scale.
#pragma once

#include "chartadapter.h"

#include <QHash>
#include <QStringList>

class QCategoryAxis;
class QScatterSeries;

namespace es::ui {

class ScatterChart : public ChartAdapter {
    Q_OBJECT
public:
    static constexpr int kMaxTypes = 6;
    explicit ScatterChart(QWidget *parentWidget);

protected:
    bool fill(const es::FilterResult &result) override;

private:
    QScatterSeries *seriesFor(const QString &name);
    void showTooltip(const QString &name, const QPointF &point, bool state);

    QCategoryAxis *m_axisX;
    QCategoryAxis *m_axisY;
    QHash<QString, QScatterSeries *> m_series;
};

} // namespace es::ui
