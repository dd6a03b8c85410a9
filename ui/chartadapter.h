// Base of the chart adapters. Each chart of the dashboard lives behind one
// small adapter that owns its QChart and QChartView and knows how to show a
// FilterResult, so Qt Charts (deprecated from Qt 6.10) stays replaceable.
#pragma once

#include <QObject>
#include <QString>

class QAbstractAxis;
class QAbstractSeries;
class QChart;
class QChartView;
class QGraphicsSimpleTextItem;
class QWidget;

namespace es {
struct FilterResult;
}

namespace es::ui {

class ChartAdapter : public QObject {
    Q_OBJECT
public:
    explicit ChartAdapter(const QString &title, QWidget *parentWidget);
    ~ChartAdapter() override;

    QString title() const { return m_title; }
    QChartView *view() const { return m_view; }
    QChart *chart() const { return m_chart; }

    /// Shows `result`. Called at most ~10 times a second; replaces whole series.
    void apply(const es::FilterResult &result);
    /// Re-applies the theme (after a palette change); call apply() afterwards.
    void updateTheme();

protected:
    /// Fills the chart from `result`; returns false when there is nothing to show.
    virtual bool fill(const es::FilterResult &result) = 0;
    /// Adds `series` with its two axes to the chart and attaches it to them.
    void addSeriesWithAxes(QAbstractSeries *series, QAbstractAxis *x, QAbstractAxis *y,
                           Qt::Alignment xAlign = Qt::AlignBottom, Qt::Alignment yAlign = Qt::AlignLeft);
    /// Shows a message in the middle of the plot area (empty data).
    void setPlaceholder(const QString &text);

private:
    void placePlaceholder();

    QString m_title;
    QChart *m_chart;
    QChartView *m_view;
    QGraphicsSimpleTextItem *m_placeholder = nullptr;
    bool m_dark = false; ///< the theme applied last
};

} // namespace es::ui
