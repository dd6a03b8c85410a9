// The chart adapters of the dashboard and the pages (tabs) that lay them out.
#pragma once

#include "filterengine.h"

#include <QList>
#include <QObject>

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
    void apply(const es::FilterResultPtr &result);
    /// Brings every chart up to date (before exporting a hidden chart).
    void applyPending();
    void updateTheme();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyPage(QWidget *page);

    QWidget *m_market;
    QWidget *m_distribution;
    QList<ChartAdapter *> m_charts;
    QList<QWidget *> m_pageOf;           ///< page of each chart, by index
    QList<bool> m_stale;                 ///< chart has not seen m_result yet
    es::FilterResultPtr m_result;
};

} // namespace es::ui
