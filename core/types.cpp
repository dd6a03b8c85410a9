#include "types.h"

namespace es {

QString roleName(Role role)
{
    switch (role) {
    case Role::District: return QStringLiteral("district");
    case Role::Type: return QStringLiteral("type");
    case Role::Price: return QStringLiteral("price");
    case Role::Area: return QStringLiteral("area");
    }
    return {};
}

QString rejectReasonText(RejectReason reason)
{
    switch (reason) {
    case RejectReason::FieldCount: return QStringLiteral("wrong number of fields");
    case RejectReason::PriceMissing: return QStringLiteral("price is empty");
    case RejectReason::PriceNotNumber: return QStringLiteral("price is not a number");
    case RejectReason::PriceNotFinite: return QStringLiteral("price is not finite");
    case RejectReason::PriceNotPositive: return QStringLiteral("price is zero or negative");
    case RejectReason::PriceTooLarge: return QStringLiteral("price is implausibly large (over 1e12)");
    case RejectReason::AreaMissing: return QStringLiteral("area is empty");
    case RejectReason::AreaNotNumber: return QStringLiteral("area is not a number");
    case RejectReason::AreaNotFinite: return QStringLiteral("area is not finite");
    case RejectReason::AreaNotPositive: return QStringLiteral("area is zero or negative");
    case RejectReason::AreaTooLarge: return QStringLiteral("area is implausibly large (over 1e9)");
    }
    return {};
}

QString rejectReasonKey(RejectReason reason)
{
    switch (reason) {
    case RejectReason::FieldCount: return QStringLiteral("field_count");
    case RejectReason::PriceMissing: return QStringLiteral("price_missing");
    case RejectReason::PriceNotNumber: return QStringLiteral("price_not_number");
    case RejectReason::PriceNotFinite: return QStringLiteral("price_not_finite");
    case RejectReason::PriceNotPositive: return QStringLiteral("price_not_positive");
    case RejectReason::PriceTooLarge: return QStringLiteral("price_too_large");
    case RejectReason::AreaMissing: return QStringLiteral("area_missing");
    case RejectReason::AreaNotNumber: return QStringLiteral("area_not_number");
    case RejectReason::AreaNotFinite: return QStringLiteral("area_not_finite");
    case RejectReason::AreaNotPositive: return QStringLiteral("area_not_positive");
    case RejectReason::AreaTooLarge: return QStringLiteral("area_too_large");
    }
    return {};
}

void StreamCounters::merge(const StreamCounters &o) noexcept
{
    rowsRead += o.rowsRead;
    accepted += o.accepted;
    filteredOut += o.filteredOut;
    rejected += o.rejected;
    for (int i = 0; i < kRejectReasonCount; ++i)
        rejectsByReason[std::size_t(i)] += o.rejectsByReason[std::size_t(i)];
    bytesRead += o.bytesRead;
    batches += o.batches;
}

void RejectSamples::add(RejectReason reason, std::int64_t line)
{
    auto &v = lines[std::size_t(reason)];
    if (v.size() < std::size_t(kMaxPerReason))
        v.push_back(line);
}

} // namespace es
