#include "aggregatetablemodel.h"

#include "numberformat.h"

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace es::ui {

AggregateTableModel::AggregateTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void AggregateTableModel::setRows(std::vector<GroupRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

QString AggregateTableModel::exportName(int column)
{
    switch (column) {
    case District: return u"District"_s;
    case PropertyType: return u"Property_Type"_s;
    case AvgPrice: return u"Avg_Price"_s;
    case AvgArea: return u"Avg_Area"_s;
    case Count: return u"Count"_s;
    case AvgPricePerSqm: return u"Avg_Price_per_Sqm"_s;
    case MedianPrice: return u"Median_Price"_s;
    case MedianPricePerSqm: return u"Median_Price_per_Sqm"_s;
    case MinPrice: return u"Min_Price"_s;
    case MaxPrice: return u"Max_Price"_s;
    case RatioPricePerSqm: return u"Price_per_Sqm_Ratio_of_Sums"_s;
    default: return {};
    }
}

int AggregateTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AggregateTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(ColumnCount);
}

QVariant AggregateTableModel::rawValue(const GroupRow &row, int column) const
{
    const GroupStats &s = row.stats;
    switch (column) {
    case District: return row.district;
    case PropertyType: return row.type;
    case AvgPrice: return s.avgPrice();
    case AvgArea: return s.avgArea();
    case Count: return qint64(s.count);
    case AvgPricePerSqm: return s.avgPricePerSqm();
    case MedianPrice: return row.medianPrice;
    case MedianPricePerSqm: return row.medianPricePerSqm;
    case MinPrice: return s.count ? s.minPrice : std::nan("");
    case MaxPrice: return s.count ? s.maxPrice : std::nan("");
    case RatioPricePerSqm: return s.ratioPricePerSqm();
    default: return {};
    }
}

QString AggregateTableModel::displayText(const GroupRow &row, int column) const
{
    const QVariant v = rawValue(row, column);
    switch (column) {
    case District:
    case PropertyType: return v.toString();
    case Count: return formatCount(v.toLongLong());
    case AvgArea: return formatArea(v.toDouble());
    case AvgPricePerSqm:
    case MedianPricePerSqm:
    case RatioPricePerSqm: return formatPricePerSqm(v.toDouble());
    default: return formatMoney(v.toDouble());
    }
}

QVariant AggregateTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const GroupRow &row = m_rows[std::size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: return displayText(row, column);
    case SortRole: {
        const QVariant v = rawValue(row, column);
        // NaN (unknown median) sorts below every number.
        if (v.typeId() == QMetaType::Double && std::isnan(v.toDouble()))
            return -std::numeric_limits<double>::infinity();
        return v;
    }
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(column <= PropertyType ? Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter)
                                                          : Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::ToolTipRole:
        if (column == MedianPrice || column == MedianPricePerSqm)
            return tr("Exact median over the filtered listings of this group");
        return {};
    default: return {};
    }
}

QVariant AggregateTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case District: return tr("District");
        case PropertyType: return tr("Property type");
        case AvgPrice: return tr("Avg price");
        case AvgArea: return tr("Avg area");
        case Count: return tr("Listings");
        case AvgPricePerSqm: return tr("Avg €/m²");
        case MedianPrice: return tr("Median price");
        case MedianPricePerSqm: return tr("Median €/m²");
        case MinPrice: return tr("Min price");
        case MaxPrice: return tr("Max price");
        case RatioPricePerSqm: return tr("€/m² (ratio of sums)");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole)
        return tr("Export column: %1").arg(exportName(section));
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(section <= PropertyType ? Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter)
                                                           : Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    return {};
}

} // namespace es::ui
