#include "exporter.h"

#include <QSaveFile>

#include <charconv>
#include <cmath>

namespace es {
namespace {

QByteArray csvText(const QString &s)
{
    QByteArray u = s.toUtf8();
    if (u.contains(',') || u.contains('"') || u.contains('\n') || u.contains('\r') || u.contains(';')) {
        u.replace("\"", "\"\"");
        u = '"' + u + '"';
    }
    return u;
}

} // namespace

QByteArray formatNumber(double v)
{
    if (std::isnan(v))
        return {};
    char buf[400];
    // Shortest text that reads back exactly; plain digits for everyday
    // magnitudes (100000, not 1e+05), exponents only for extreme ones.
    const double a = std::fabs(v);
    const bool plain = a == 0 || (a >= 1e-4 && a < 1e15);
    const auto r = plain ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed)
                         : std::to_chars(buf, buf + sizeof buf, v);
    return QByteArray(buf, qsizetype(r.ptr - buf));
}

QByteArray exportHeader()
{
    return QByteArrayLiteral("District,Property_Type,Avg_Price,Avg_Area,Count,Avg_Price_per_Sqm,"
                             "Median_Price,Median_Price_per_Sqm,Min_Price,Max_Price,"
                             "Price_per_Sqm_Ratio_of_Sums");
}

QByteArray exportCsv(const std::vector<GroupRow> &groups)
{
    QByteArray out = exportHeader();
    out += '\n';
    out.reserve(qsizetype(groups.size() * 160 + 200));
    for (const GroupRow &g : groups) {
        const GroupStats &s = g.stats;
        out += csvText(g.district) + ',' + csvText(g.type) + ',' + formatNumber(s.avgPrice()) + ',' +
               formatNumber(s.avgArea()) + ',' + QByteArray::number(qulonglong(s.count)) + ',' +
               formatNumber(s.avgPricePerSqm()) + ',' + formatNumber(g.medianPrice) + ',' +
               formatNumber(g.medianPricePerSqm) + ',' + formatNumber(s.count ? s.minPrice : NAN) + ',' +
               formatNumber(s.count ? s.maxPrice : NAN) + ',' + formatNumber(s.ratioPricePerSqm()) + '\n';
    }
    return out;
}

bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    if (file.write(bytes) != bytes.size()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        if (error) {
            QString why = file.errorString();
            if (why.isEmpty() || why == QLatin1String("Unknown error"))
                why = QStringLiteral("the new file could not replace the old one (disk full, name too long or no "
                                     "permission?); the previous file is unchanged");
            *error = QStringLiteral("cannot write %1: %2").arg(path, why);
        }
        return false;
    }
    return true;
}

bool exportAggregates(const QString &path, const std::vector<GroupRow> &groups, QString *error)
{
    return writeFileAtomically(path, exportCsv(groups), error);
}

} // namespace es
