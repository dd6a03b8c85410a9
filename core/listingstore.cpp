#include "listingstore.h"

namespace es {

void ListingStore::append(std::uint16_t district, std::uint16_t type, double price, double area)
{
    if (!m_open) {
        m_open = std::make_unique<ListingBlock>();
        m_open->district.reserve(kBlockRows);
        m_open->type.reserve(kBlockRows);
        m_open->price.reserve(kBlockRows);
        m_open->area.reserve(kBlockRows);
    }
    m_open->district.push_back(district);
    m_open->type.push_back(type);
    m_open->price.push_back(price);
    m_open->area.push_back(area);
    ++m_size;
    if (m_open->size() >= kBlockRows)
        sealOpenBlock();
}

void ListingStore::appendBlock(std::unique_ptr<ListingBlock> block)
{
    if (!block || block->size() == 0)
        return;
    sealOpenBlock();
    m_size += std::int64_t(block->size());
    m_sealed.push_back(ListingBlockPtr(std::move(block)));
}

void ListingStore::sealOpenBlock()
{
    if (!m_open || m_open->size() == 0)
        return;
    if (m_open->size() < kBlockRows) { // give back the unused reservation
        m_open->district.shrink_to_fit();
        m_open->type.shrink_to_fit();
        m_open->price.shrink_to_fit();
        m_open->area.shrink_to_fit();
    }
    m_sealed.push_back(ListingBlockPtr(std::move(m_open)));
}

StoreSnapshotPtr ListingStore::snapshot(const QStringList &districts, const QStringList &types)
{
    sealOpenBlock();
    auto snap = std::make_shared<StoreSnapshot>();
    snap->blocks = m_sealed;
    snap->districts = districts;
    snap->types = types;
    snap->size = m_size;
    return snap;
}

} // namespace es
