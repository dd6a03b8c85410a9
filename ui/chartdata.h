// Small reductions of FilterResult groups that several charts share
// (per district, per type, top N). Cheap: they run over the groups (a few
// hundred rows), never over listings.
#pragma once

#include "types.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace es::ui {

struct NamedStats {
    QString name;
    GroupStats stats;
};

/// Merges groups by district, sorted by name.
std::vector<NamedStats> statsByDistrict(const std::vector<GroupRow> &groups);
/// Merges groups by property type, sorted by name.
std::vector<NamedStats> statsByType(const std::vector<GroupRow> &groups);
/// The `n` names with the largest counts (ties by name), in that order.
QStringList topByCount(const std::vector<NamedStats> &stats, int n);
/// Label of the group that gathers the names outside a top N.
QString otherLabel();

} // namespace es::ui
