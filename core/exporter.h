// Writing aggregates as CSV: the prototype's six columns first, then ours.
#pragma once

#include "types.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace es {

/// Header line (without newline) of the aggregate export.
QByteArray exportHeader();
/// The whole export file: header then one row per group, in the order given.
QByteArray exportCsv(const std::vector<GroupRow> &groups);
/// Shortest decimal text that reads back to exactly `v` ("" for NaN).
QByteArray formatNumber(double v);
/// Writes atomically with QSaveFile: on failure the previous file is untouched,
/// `error` gets a one-line reason and false is returned.
bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error);
/// exportCsv + writeFileAtomically.
bool exportAggregates(const QString &path, const std::vector<GroupRow> &groups, QString *error);

} // namespace es
