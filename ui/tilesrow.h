// The row of metric tiles across the top: market tiles follow the filters
// (FilterResult); stream tiles follow the engine (StreamSnapshot).
#pragma once

#include <QWidget>

#include <array>

namespace es {
struct FilterResult;
struct StreamSnapshot;
}

namespace es::ui {

class MetricTile;

class TilesRow : public QWidget {
    Q_OBJECT
public:
    enum class Tile : std::uint8_t {
        AvgPrice,
        AvgArea,
        AvgPricePerSqm,
        Listings,
        MedianPricePerSqm,
        Processed,
        Rejected,
        Rate,
    };
    static constexpr int kTileCount = 8;

    explicit TilesRow(QWidget *parent = nullptr);

    void applyResult(const es::FilterResult &result);
    void applySnapshot(const es::StreamSnapshot &snapshot);
    /// Back to "–" everywhere (a new stream starts).
    void clear();
    MetricTile *tile(Tile which) const { return m_tiles[std::size_t(which)]; }

private:
    std::array<MetricTile *, kTileCount> m_tiles{};
};

} // namespace es::ui
