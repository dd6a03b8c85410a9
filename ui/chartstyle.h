// Shared look of the charts: stable category colours, "nice" axis ticks with
// compact labels, and the light/dark theme that follows the application palette.
#pragma once

#include <QColor>
#include <QString>

#include <functional>
#include <vector>

class QCategoryAxis;
class QChart;
class QPalette;

namespace es::ui {

/// Colour of a category (property type, district). A name keeps its colour for
/// the whole session: colours are handed out from a fixed palette in the order
/// the names are first seen.
QColor categoryColor(const QString &name);
/// The colour of the "everything else" group in charts that show the top N.
QColor otherCategoryColor();
/// Single-series accent colour (bars by district, histograms).
QColor accentColor(int index = 0);

/// Tick values 1/2/5 x 10^n covering [lo, hi], at most about `maxTicks`.
std::vector<double> niceLinearTicks(double lo, double hi, int maxTicks = 6);
/// Tick values 1, 2, 5 x 10^n (thinned to 1 x 10^n if there are too many) in [lo, hi].
std::vector<double> niceLogTicks(double lo, double hi, int maxTicks = 8);

using LabelFormatter = std::function<QString(double)>;

/// Makes `axis` a linear value axis over [0 or lo, nice max] with compact labels
/// at nice values. Returns the range actually used.
void setLinearAxis(QCategoryAxis *axis, double lo, double hi, const LabelFormatter &format,
                   int maxTicks = 6);
/// Makes `axis` show log10 coordinates: the axis runs over [log10 lo, log10 hi]
/// and is labelled with the real values ("10k", "100k", "1M").
void setLog10Axis(QCategoryAxis *axis, double lo, double hi, const LabelFormatter &format,
                  int maxTicks = 8);

/// True when the palette's window colour is dark.
bool isDarkPalette(const QPalette &palette);
/// Applies the Qt Charts theme matching `palette` (this resets series colours
/// and fonts) and blends the chart into it (background from palette roles).
void applyChartTheme(QChart *chart, const QPalette &palette);
/// Colours of titles, legend, axis labels and grid lines from palette roles
/// (no theme change; safe after series were coloured).
void styleChart(QChart *chart, const QPalette &palette);

} // namespace es::ui
