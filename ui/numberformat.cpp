#include "numberformat.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace es::ui {

namespace {
const QString kNoValue = u"–"_s;
}

QLocale displayLocale()
{
    QLocale locale;
    if (locale.language() == QLocale::C)
        locale = QLocale(QLocale::English, QLocale::UnitedStates);
    return locale;
}

QString formatCount(std::int64_t n)
{
    return displayLocale().toString(qlonglong(n));
}

QString formatMoney(double v)
{
    if (!std::isfinite(v))
        return kNoValue;
    return u"€"_s + displayLocale().toString(v, 'f', 0);
}

QString formatArea(double v)
{
    if (!std::isfinite(v))
        return kNoValue;
    return displayLocale().toString(v, 'f', v < 100 ? 1 : 0) + u" m²"_s;
}

QString formatPricePerSqm(double v)
{
    if (!std::isfinite(v))
        return kNoValue;
    return u"€"_s + displayLocale().toString(v, 'f', 0) + u"/m²"_s;
}

QString formatCompact(double v)
{
    if (!std::isfinite(v))
        return kNoValue;
    const double a = std::abs(v);
    struct Unit { double scale; const char16_t *suffix; };
    static constexpr Unit units[] = {{1e9, u"G"}, {1e6, u"M"}, {1e3, u"k"}};
    for (const Unit &u : units) {
        if (a >= u.scale) {
            const double scaled = v / u.scale;
            // Up to two decimals, trailing zeros dropped: 1.5M, 2.25M, 250k.
            QString text = QString::number(scaled, 'f', std::abs(scaled) >= 100 ? 0 : 2);
            if (text.contains(u'.')) {
                while (text.endsWith(u'0'))
                    text.chop(1);
                if (text.endsWith(u'.'))
                    text.chop(1);
            }
            return text + QString::fromUtf16(u.suffix);
        }
    }
    QString text = QString::number(v, 'f', a >= 10 || a == 0 ? 0 : 2);
    if (text.contains(u'.')) {
        while (text.endsWith(u'0'))
            text.chop(1);
        if (text.endsWith(u'.'))
            text.chop(1);
    }
    return text;
}

QString formatBytes(std::int64_t bytes)
{
    if (bytes < 0)
        return kNoValue;
    return displayLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return kNoValue;
    if (seconds < 10)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
    const auto s = static_cast<qint64>(std::llround(seconds));
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString formatRate(double perSecond)
{
    if (!std::isfinite(perSecond) || perSecond <= 0)
        return kNoValue;
    return formatCompact(perSecond) + u"/s"_s;
}

QString formatPercent(double fraction)
{
    if (!std::isfinite(fraction))
        return kNoValue;
    return QStringLiteral("%1%").arg(std::clamp(fraction, 0.0, 1.0) * 100.0, 0, 'f', 0);
}

} // namespace es::ui
