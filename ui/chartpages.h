// The chart adapters of the dashboard and the pages (tabs) that lay them out.
#pragma once

#include "filterengine.h"

#include <QList>
#include <QObject>
#include <QTimer>

class QWidget;

namespace es::ui {

class ChartAdapter;

class ChartPages : public QObject {
    Q_OBJECT
public:
    explicit ChartPages(QWidget *parentWidget);

    /// Market overview: average price by district and type, price per m² and listings by district.
    QWidget *marketPage() const { return m_market; }
    /// Distributions: price and area histograms, box plot, scatter.
    QWidget *distributionPage() const { return m_distribution; }
    const QList<ChartAdapter *> &charts() const { return m_charts; }

    /// Shows `result` in the charts of the visible page; the charts of a
    /// hidden page catch up when it is shown (nothing is drawn there anyway).
    /// With `oneChartPerTurn` (while streaming, when the CPU is busy with the
    /// stream) the first chart is applied at once and each next one on a
    /// later turn of the event loop, after the previous one was painted, so
    /// the UI thread stalls several short times rather than once for long.
    void apply(const es::FilterResultPtr &result, bool oneChartPerTurn = false);
    /// Brings every chart up to date (before exporting a hidden chart).
    void applyPending();
    /// Every chart of the visible page shows the latest result.
    bool isUpToDate() const;
    void updateTheme();

Q_SIGNALS:
    /// The charts of the visible page all show `result` now.
    void visibleChartsApplied(const es::FilterResultPtr &result);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyPage(QWidget *page);
    /// Applies the next stale chart of a visible page; schedules the one after.
    void applyNextVisible();
    qsizetype nextVisibleStale() const;

    QWidget *m_market;
    QWidget *m_distribution;
    QList<ChartAdapter *> m_charts;
    QList<QWidget *> m_pageOf;           ///< page of each chart, by index
    QList<bool> m_stale;                 ///< chart has not seen m_result yet
    es::FilterResultPtr m_result;
    QTimer m_slice;                      ///< next chart after the pending paint
    bool m_oneChartPerTurn = false;
};

} // namespace es::ui
