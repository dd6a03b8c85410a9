// Basic value types shared by every part of the core. No Qt widgets, no I/O.
#pragma once

#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

namespace es {

/// The four columns the dashboard needs. The rest of a row is never parsed.
enum class Role : std::uint8_t { District, Type, Price, Area };
inline constexpr int kRoleCount = 4;
QString roleName(Role role); ///< "district", "type", "price", "area"

/// Why a row was rejected. Rejects are counted, never fatal. The price and the
/// area reasons keep the same order (missing, not a number, not finite, <= 0, too large).
enum class RejectReason : std::uint8_t {
    FieldCount,       ///< wrong number of fields compared to the header
    PriceMissing,     ///< empty price
    PriceNotNumber,   ///< price is not a decimal number
    PriceNotFinite,   ///< NaN, Inf or out of double range
    PriceNotPositive, ///< price <= 0
    PriceTooLarge,    ///< price > kMaxPrice: would overflow sums, never a real listing
    AreaMissing,
    AreaNotNumber,
    AreaNotFinite,
    AreaNotPositive,
    AreaTooLarge,     ///< area > kMaxArea
};
inline constexpr int kRejectReasonCount = 11;
/// Upper bounds of plausible values: a trillion (any currency) and a billion m2 (or sq ft).
/// Finite values above them (1e308) are rejected so that sums stay finite and exact enough.
inline constexpr double kMaxPrice = 1e12;
inline constexpr double kMaxArea = 1e9;
QString rejectReasonText(RejectReason reason);   ///< human text, e.g. "price is not a number"
QString rejectReasonKey(RejectReason reason);    ///< stable key, e.g. "price_not_number"

/// Running statistics for one group of listings. Exact and merge-able: the
/// merge of partial stats equals the stats of the union (sums up to rounding).
struct GroupStats {
    std::uint64_t count = 0;
    double sumPrice = 0;
    double sumArea = 0;
    double sumPricePerSqm = 0; ///< sum of per-listing price/area
    double minPrice = std::numeric_limits<double>::infinity();
    double maxPrice = -std::numeric_limits<double>::infinity();
    double minPricePerSqm = std::numeric_limits<double>::infinity();
    double maxPricePerSqm = -std::numeric_limits<double>::infinity();

    void add(double price, double area) noexcept
    {
        ++count;
        const double perSqm = price / area;
        sumPrice += price;
        sumArea += area;
        sumPricePerSqm += perSqm;
        if (price < minPrice)
            minPrice = price;
        if (price > maxPrice)
            maxPrice = price;
        if (perSqm < minPricePerSqm)
            minPricePerSqm = perSqm;
        if (perSqm > maxPricePerSqm)
            maxPricePerSqm = perSqm;
    }
    void merge(const GroupStats &o) noexcept
    {
        count += o.count;
        sumPrice += o.sumPrice;
        sumArea += o.sumArea;
        sumPricePerSqm += o.sumPricePerSqm;
        if (o.minPrice < minPrice)
            minPrice = o.minPrice;
        if (o.maxPrice > maxPrice)
            maxPrice = o.maxPrice;
        if (o.minPricePerSqm < minPricePerSqm)
            minPricePerSqm = o.minPricePerSqm;
        if (o.maxPricePerSqm > maxPricePerSqm)
            maxPricePerSqm = o.maxPricePerSqm;
    }
    double avgPrice() const noexcept { return count ? sumPrice / double(count) : 0.0; }
    double avgArea() const noexcept { return count ? sumArea / double(count) : 0.0; }
    /// Mean of per-listing price/area (the prototype's definition).
    double avgPricePerSqm() const noexcept { return count ? sumPricePerSqm / double(count) : 0.0; }
    /// Sum of prices / sum of areas ("ratio of sums").
    double ratioPricePerSqm() const noexcept { return sumArea > 0 ? sumPrice / sumArea : 0.0; }
};

/// One District x Property type row of the aggregate table.
struct GroupRow {
    QString district;
    QString type;
    GroupStats stats;
    double medianPrice = std::numeric_limits<double>::quiet_NaN();       ///< NaN until known
    double medianPricePerSqm = std::numeric_limits<double>::quiet_NaN(); ///< NaN until known
};

/// Counters of a stream so far.
struct StreamCounters {
    std::int64_t rowsRead = 0;    ///< data rows seen (header excluded)
    std::int64_t accepted = 0;    ///< valid and kept by the processing filter
    std::int64_t filteredOut = 0; ///< valid but below min price / min area
    std::int64_t rejected = 0;    ///< invalid rows (sum of rejectsByReason)
    std::array<std::int64_t, kRejectReasonCount> rejectsByReason{};
    std::int64_t bytesRead = 0;   ///< bytes consumed from the source
    std::int64_t bytesTotal = -1; ///< source size if known, else -1
    std::int64_t batches = 0;     ///< batches merged so far

    void merge(const StreamCounters &o) noexcept;
};

/// First few physical line numbers (1-based, header is line 1) for each reject reason.
struct RejectSamples {
    static constexpr int kMaxPerReason = 5;
    std::array<std::vector<std::int64_t>, kRejectReasonCount> lines;
    void add(RejectReason reason, std::int64_t line);
};

/// Structured problem report (never printed by the core itself).
struct Issue {
    enum class Severity : std::uint8_t { Info, Warning, Error };
    Severity severity = Severity::Warning;
    QString message;
    QString file;
    std::int64_t line = 0; ///< 0 when not about a line
};

} // namespace es
