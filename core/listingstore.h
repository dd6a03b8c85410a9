// Compact columnar store of accepted listings: district id, type id, price,
// area (20 bytes a listing). Blocks are immutable once sealed, so a snapshot
// of the store is a cheap list of shared pointers that worker threads can read
// while the stream keeps appending.
#pragma once

#include <QStringList>

#include <cstdint>
#include <memory>
#include <vector>

namespace es {

struct ListingBlock {
    std::vector<std::uint16_t> district;
    std::vector<std::uint16_t> type;
    std::vector<double> price;
    std::vector<double> area;
    std::size_t size() const { return price.size(); }
};
using ListingBlockPtr = std::shared_ptr<const ListingBlock>;

/// An immutable view of every accepted listing so far plus the names behind the ids.
struct StoreSnapshot {
    std::vector<ListingBlockPtr> blocks;
    QStringList districts; ///< id -> name
    QStringList types;     ///< id -> name
    std::int64_t size = 0; ///< listings in all blocks
};
using StoreSnapshotPtr = std::shared_ptr<const StoreSnapshot>;

/// Owned by the engine's driver thread; not thread-safe itself.
class ListingStore {
public:
    static constexpr std::size_t kBlockRows = 1 << 16;

    void append(std::uint16_t district, std::uint16_t type, double price, double area);
    /// Appends a whole block (large batches): no per-listing copy.
    void appendBlock(std::unique_ptr<ListingBlock> block);
    /// Seals the open block (if any) and returns a snapshot with the given names.
    StoreSnapshotPtr snapshot(const QStringList &districts, const QStringList &types);
    std::int64_t size() const { return m_size; }

private:
    void sealOpenBlock();
    std::vector<ListingBlockPtr> m_sealed;
    std::unique_ptr<ListingBlock> m_open;
    std::int64_t m_size = 0;
};

} // namespace es
