#include "chartstyle.h"

#include <QBrush>
#include <QCategoryAxis>
#include <QChart>
#include <QHash>
#include <QLegend>
#include <QPalette>
#include <QPen>

#include <algorithm>
#include <array>
#include <cmath>

namespace es::ui {

namespace {

// A fixed qualitative palette (readable on light and dark backgrounds).
constexpr std::array<QRgb, 12> kCategoryPalette = {
    0x4e79a7, 0xf28e2b, 0x59a14f, 0xe15759, 0x76b7b2, 0xedc948,
    0xb07aa1, 0xff9da7, 0x9c755f, 0x86bcb6, 0xd37295, 0x8cd17d,
};

QHash<QString, int> &firstSeenOrder()
{
    static QHash<QString, int> order;
    return order;
}

double niceStep(double rawStep)
{
    const double magnitude = std::pow(10.0, std::floor(std::log10(rawStep)));
    const double fraction = rawStep / magnitude;
    double nice = 10;
    if (fraction <= 1)
        nice = 1;
    else if (fraction <= 2)
        nice = 2;
    else if (fraction <= 2.5)
        nice = 2.5;
    else if (fraction <= 5)
        nice = 5;
    return nice * magnitude;
}

void clearCategories(QCategoryAxis *axis)
{
    const QStringList labels = axis->categoriesLabels();
    for (const QString &label : labels)
        axis->remove(label);
}

void fillAxis(QCategoryAxis *axis, double rangeLo, double rangeHi, const std::vector<double> &positions,
              const std::vector<QString> &labels)
{
    // Labels must be unique: repeat a label with invisible suffixes.
    QStringList unique;
    unique.reserve(qsizetype(labels.size()));
    for (std::size_t i = 0; i < positions.size(); ++i) {
        QString label = labels[i];
        while (unique.contains(label))
            label += QChar(0x200B);
        unique << label;
    }
    // The first label sits on the start value: start a hair below it so the
    // first category has a non-empty extent.
    const double span = rangeHi - rangeLo;
    const double start = rangeLo - span * 1e-9;
    // Unchanged ticks (the usual case between refreshes): rebuilding the
    // categories would re-create every label and lay the chart out again.
    if (axis->labelsPosition() == QCategoryAxis::AxisLabelsPositionOnValue && axis->categoriesLabels() == unique &&
        axis->startValue() == start && axis->min() == rangeLo && axis->max() == rangeHi) {
        bool same = true;
        for (qsizetype i = 0; same && i < unique.size(); ++i)
            same = axis->endValue(unique[i]) == positions[std::size_t(i)];
        if (same)
            return;
    }
    clearCategories(axis);
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    axis->setStartValue(start);
    for (qsizetype i = 0; i < unique.size(); ++i)
        axis->append(unique[i], positions[std::size_t(i)]);
    axis->setRange(rangeLo, rangeHi);
}

} // namespace

QColor categoryColor(const QString &name)
{
    auto &order = firstSeenOrder();
    auto it = order.constFind(name);
    if (it == order.constEnd())
        it = order.insert(name, int(order.size()));
    return QColor(kCategoryPalette[std::size_t(it.value()) % kCategoryPalette.size()]);
}

QColor otherCategoryColor()
{
    return QColor(0x9a, 0x9a, 0x9a);
}

QColor accentColor(int index)
{
    return QColor(kCategoryPalette[std::size_t(index) % kCategoryPalette.size()]);
}

std::vector<double> niceLinearTicks(double lo, double hi, int maxTicks)
{
    if (!std::isfinite(lo) || !std::isfinite(hi))
        return {0, 1};
    if (hi < lo)
        std::swap(lo, hi);
    if (hi - lo <= std::abs(hi) * 1e-12) {
        const double pad = hi == 0 ? 1 : std::abs(hi) * 0.1;
        lo -= pad;
        hi += pad;
    }
    const double step = niceStep((hi - lo) / std::max(1, maxTicks - 1));
    const double first = std::floor(lo / step + 1e-9) * step;
    const double last = std::ceil(hi / step - 1e-9) * step;
    std::vector<double> ticks;
    for (int i = 0;; ++i) {
        const double v = first + step * i;
        ticks.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
        if (v >= last - step * 1e-9 || i > 100)
            break;
    }
    return ticks;
}

std::vector<double> niceLogTicks(double lo, double hi, int maxTicks)
{
    std::vector<double> ticks;
    if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi))
        return ticks;
    const int d0 = int(std::floor(std::log10(lo)));
    const int d1 = int(std::ceil(std::log10(hi)));
    auto collect = [&](std::initializer_list<double> mantissas, int decadeStep) {
        ticks.clear();
        for (int d = d0; d <= d1; ++d) {
            if ((d - d0) % decadeStep != 0)
                continue;
            for (double m : mantissas) {
                const double v = m * std::pow(10.0, d);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
                    ticks.push_back(v);
            }
        }
    };
    collect({1, 2, 5}, 1);
    if (int(ticks.size()) > maxTicks)
        collect({1, 3}, 1);
    if (int(ticks.size()) > maxTicks)
        collect({1}, 1);
    for (int k = 2; int(ticks.size()) > maxTicks && k < 10; ++k)
        collect({1}, k);
    if (ticks.size() < 3) { // narrow range: plain nice values inside it
        ticks.clear();
        for (double v : niceLinearTicks(lo, hi, 4))
            if (v >= lo && v <= hi && v > 0)
                ticks.push_back(v);
    }
    return ticks;
}

void setLinearAxis(QCategoryAxis *axis, double lo, double hi, const LabelFormatter &format, int maxTicks)
{
    const std::vector<double> ticks = niceLinearTicks(lo, hi, maxTicks);
    std::vector<QString> labels;
    labels.reserve(ticks.size());
    for (double t : ticks)
        labels.push_back(format(t));
    fillAxis(axis, ticks.front(), ticks.back(), ticks, labels);
}

void setLog10Axis(QCategoryAxis *axis, double lo, double hi, const LabelFormatter &format, int maxTicks)
{
    if (!(lo > 0) || !(hi > lo)) {
        lo = lo > 0 ? lo : 1;
        hi = lo * 10;
    }
    const std::vector<double> ticks = niceLogTicks(lo, hi, maxTicks);
    std::vector<double> positions;
    std::vector<QString> labels;
    for (double t : ticks) {
        positions.push_back(std::log10(t));
        labels.push_back(format(t));
    }
    fillAxis(axis, std::log10(lo), std::log10(hi), positions, labels);
}

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

void applyChartTheme(QChart *chart, const QPalette &palette)
{
    const bool dark = isDarkPalette(palette);
    const QChart::ChartTheme theme = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    if (chart->theme() != theme)
        chart->setTheme(theme);
    styleChart(chart, palette);
}

void styleChart(QChart *chart, const QPalette &palette)
{
    const bool dark = isDarkPalette(palette);
    chart->setBackgroundBrush(palette.brush(QPalette::Base));
    chart->setBackgroundPen(Qt::NoPen);
    chart->setBackgroundRoundness(0);
    chart->setTitleBrush(palette.brush(QPalette::Text));
    chart->legend()->setLabelColor(palette.color(QPalette::Text));
    // Faint text colour for grid and axis lines, pre-blended over the chart
    // background: translucent strokes go through Qt's threaded span blending
    // (a round trip to the global thread pool for every long line, which
    // stalls painting whenever the CPU is busy with the stream); opaque ones
    // are filled in place. Same look, the lines lie on the background.
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    auto blend = [&base, &text](int alpha) {
        const double a = alpha / 255.0;
        return QColor::fromRgbF(float(base.redF() + (text.redF() - base.redF()) * a),
                                float(base.greenF() + (text.greenF() - base.greenF()) * a),
                                float(base.blueF() + (text.blueF() - base.blueF()) * a));
    };
    const QColor grid = blend(dark ? 40 : 28);
    const QColor line = blend(90);
    const auto axes = chart->axes();
    for (QAbstractAxis *axis : axes) {
        axis->setLabelsBrush(palette.brush(QPalette::Text));
        axis->setTitleBrush(palette.brush(QPalette::Text));
        axis->setGridLineColor(grid);
        axis->setLinePenColor(line);
        axis->setMinorGridLineColor(grid);
    }
}

} // namespace es::ui
