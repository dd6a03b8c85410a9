// Number formatting for tiles, axes, tables and the status bar. One place so
// every view writes money, areas and counts the same way.
#pragma once

#include <QLocale>
#include <QString>

#include <cstdint>

namespace es::ui {

/// The locale used for display: the system's, or English when that is "C"
/// (so thousands are still grouped in a bare environment).
QLocale displayLocale();

QString formatCount(std::int64_t n);      ///< "12,345"
QString formatMoney(double v);            ///< "€245,300" ("–" for NaN or no data)
QString formatArea(double v);             ///< "112 m²"
QString formatPricePerSqm(double v);      ///< "€2,184/m²"
QString formatCompact(double v);          ///< "950", "1.2k", "250k", "1.5M"
QString formatBytes(std::int64_t bytes);  ///< "12.3 MB"
QString formatDuration(double seconds);   ///< "45 s", "3 min 05 s", "1 h 02 min"
QString formatRate(double perSecond);     ///< "85.2k/s"
QString formatPercent(double fraction);   ///< "42%" (0..1 in)

} // namespace es::ui
