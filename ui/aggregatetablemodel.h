// Table model over the District x Property type aggregate rows. Columns are
// the export columns, in the export order. A new result replaces the rows
// with a model reset; the model never mutates rows in place.
#pragma once

#include "types.h"

#include <QAbstractTableModel>

#include <vector>

namespace es::ui {

class AggregateTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column : std::uint8_t {
        District,
        PropertyType,
        AvgPrice,
        AvgArea,
        Count,
        AvgPricePerSqm,
        MedianPrice,
        MedianPricePerSqm,
        MinPrice,
        MaxPrice,
        RatioPricePerSqm,
        ColumnCount
    };
    /// Raw value (double, qint64 or QString) for sorting and tests.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit AggregateTableModel(QObject *parent = nullptr);

    /// Replaces every row (model reset).
    void setRows(std::vector<GroupRow> rows);
    const std::vector<GroupRow> &rows() const { return m_rows; }
    /// The export column name of `column` (e.g. "Avg_Price").
    static QString exportName(int column);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant rawValue(const GroupRow &row, int column) const;
    QString displayText(const GroupRow &row, int column) const;

    std::vector<GroupRow> m_rows;
};

} // namespace es::ui
