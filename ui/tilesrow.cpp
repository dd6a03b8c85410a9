#include "tilesrow.h"

#include "metrictile.h"
#include "numberformat.h"

#include <QHBoxLayout>

#include "filterengine.h"
#include "snapshot.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace es::ui {

TilesRow::TilesRow(QWidget *parent)
    : QWidget(parent)
{
    struct Spec { const char *title; const char *tip; };
    const std::array<Spec, kTileCount> specs = {{
        {QT_TR_NOOP("Average price"), QT_TR_NOOP("Mean price of the filtered listings")},
        {QT_TR_NOOP("Average living area"), QT_TR_NOOP("Mean living area of the filtered listings")},
        {QT_TR_NOOP("Average price per m²"), QT_TR_NOOP("Mean of each filtered listing's price / living area")},
        {QT_TR_NOOP("Listings"), QT_TR_NOOP("Listings that match the filters, out of all accepted listings")},
        {QT_TR_NOOP("Median price per m²"), QT_TR_NOOP("Exact median of price / living area over the filtered listings")},
        {QT_TR_NOOP("Processed"), QT_TR_NOOP("Data rows read from the file so far")},
        {QT_TR_NOOP("Rejected"), QT_TR_NOOP("Invalid rows (see the Issues panel for reasons and line numbers)")},
        {QT_TR_NOOP("Listings / s"), QT_TR_NOOP("Rows read per second since the stream started")},
    }};
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    for (int i = 0; i < kTileCount; ++i) {
        m_tiles[std::size_t(i)] = new MetricTile(tr(specs[std::size_t(i)].title), tr(specs[std::size_t(i)].tip), this);
        if (i == int(Tile::Processed))
            layout->addSpacing(10); // market tiles | stream tiles
        layout->addWidget(m_tiles[std::size_t(i)], 1);
    }
    clear();
}

void TilesRow::clear()
{
    for (MetricTile *t : m_tiles) {
        t->setValue(std::nan(""), u"–"_s);
        t->setSubtitle({});
    }
}

void TilesRow::applyResult(const es::FilterResult &result)
{
    const GroupRow &totals = result.totals;
    const GroupStats &s = totals.stats;
    const bool any = s.count > 0;
    const double nan = std::nan("");
    tile(Tile::AvgPrice)->setValue(any ? s.avgPrice() : nan, any ? formatMoney(s.avgPrice()) : u"–"_s);
    tile(Tile::AvgPrice)->setSubtitle(any ? tr("median %1").arg(formatMoney(totals.medianPrice)) : QString());
    tile(Tile::AvgArea)->setValue(any ? s.avgArea() : nan, any ? formatArea(s.avgArea()) : u"–"_s);
    tile(Tile::AvgArea)->setSubtitle(any ? tr("total %1 m²").arg(formatCompact(s.sumArea)) : QString());
    tile(Tile::AvgPricePerSqm)->setValue(any ? s.avgPricePerSqm() : nan,
                                         any ? formatPricePerSqm(s.avgPricePerSqm()) : u"–"_s);
    tile(Tile::AvgPricePerSqm)->setSubtitle(any ? tr("ratio of sums %1").arg(formatPricePerSqm(s.ratioPricePerSqm()))
                                                : QString());
    tile(Tile::Listings)->setValue(double(s.count), formatCount(std::int64_t(s.count)));
    const double share = result.storeSize > 0 ? double(s.count) / double(result.storeSize) : nan;
    tile(Tile::Listings)->setSubtitle(tr("%1 of %2 accepted").arg(formatPercent(share), formatCount(result.storeSize)));
    tile(Tile::MedianPricePerSqm)->setValue(any ? totals.medianPricePerSqm : nan,
                                            any ? formatPricePerSqm(totals.medianPricePerSqm) : u"–"_s);
    tile(Tile::MedianPricePerSqm)->setSubtitle(tr("%1 groups").arg(formatCount(std::int64_t(result.groups.size()))));
}

void TilesRow::applySnapshot(const es::StreamSnapshot &snapshot)
{
    const StreamCounters &c = snapshot.counters;
    tile(Tile::Processed)->setValue(double(c.rowsRead), formatCount(c.rowsRead));
    tile(Tile::Processed)->setSubtitle(tr("%1 accepted · %2 below minimum")
                                           .arg(formatCount(c.accepted), formatCount(c.filteredOut)));
    tile(Tile::Rejected)->setValue(double(c.rejected), formatCount(c.rejected));
    tile(Tile::Rejected)->setSubtitle(
        c.rowsRead > 0 ? tr("%1 of rows read").arg(formatPercent(double(c.rejected) / double(c.rowsRead))) : QString());
    tile(Tile::Rate)->setValue(snapshot.rowsPerSecond, formatCompact(snapshot.rowsPerSecond));
    tile(Tile::Rate)->setSubtitle(tr("elapsed %1").arg(formatDuration(snapshot.elapsedSeconds)));
}

} // namespace es::ui
