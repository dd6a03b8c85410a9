// AggregateTableModel: model contract (QAbstractItemModelTester), raw values
// for sorting, numeric sort through a proxy, header = export columns, resets.
#include "aggregatetablemodel.h"

#include "exporter.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

#include <cmath>

using es::ui::AggregateTableModel;

namespace {

es::GroupRow makeRow(const QString &district, const QString &type, std::initializer_list<std::pair<double, double>> listings)
{
    es::GroupRow row;
    row.district = district;
    row.type = type;
    for (const auto &[price, area] : listings)
        row.stats.add(price, area);
    return row;
}

std::vector<es::GroupRow> sampleRows()
{
    std::vector<es::GroupRow> rows;
    rows.push_back(makeRow(QStringLiteral("Porto"), QStringLiteral("House"), {{300000, 150}, {500000, 200}}));
    rows.push_back(makeRow(QStringLiteral("Aveiro"), QStringLiteral("Apartment"), {{90000, 60}}));
    // Ten listings: as text "10" sorts before "2" and "9"; numerically it must come last.
    es::GroupRow many = makeRow(QStringLiteral("Lisboa"), QStringLiteral("Apartment"), {});
    for (int i = 0; i < 10; ++i)
        many.stats.add(400000 + 1000 * i, 80);
    rows.push_back(many);
    rows.back().medianPrice = 404500;
    rows.push_back(makeRow(QStringLiteral("Faro"), QStringLiteral("Land"),
                           {{60000, 1000}, {70000, 1200}, {80000, 900}, {90000, 800}, {100000, 700},
                            {110000, 600}, {120000, 500}, {130000, 400}, {140000, 300}}));
    return rows;
}

} // namespace

class TestAggregateModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void passesModelTester();
    void columnsAreTheExportColumns();
    void sortRoleGivesRawValues();
    void proxySortsNumerically();
    void unknownMedianSortsFirst();
    void setRowsResetsOnce();
};

void TestAggregateModel::passesModelTester()
{
    AggregateTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows(sampleRows());
    QCOMPARE(model.rowCount(), 4);
    model.setRows({});
    QCOMPARE(model.rowCount(), 0);
    model.setRows(sampleRows());
    QSortFilterProxyModel proxy;
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&model);
    proxy.setSortRole(AggregateTableModel::SortRole);
    proxy.sort(AggregateTableModel::Count);
    model.setRows(sampleRows());
    QCOMPARE(proxy.rowCount(), 4);
}

void TestAggregateModel::columnsAreTheExportColumns()
{
    AggregateTableModel model;
    const QList<QByteArray> exportColumns = es::exportHeader().split(',');
    QVERIFY(exportColumns.size() >= AggregateTableModel::ColumnCount);
    QCOMPARE(model.columnCount(), int(AggregateTableModel::ColumnCount));
    for (int c = 0; c < model.columnCount(); ++c) {
        QCOMPARE(AggregateTableModel::exportName(c), QString::fromUtf8(exportColumns[c]));
        QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
        QVERIFY(model.headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().contains(AggregateTableModel::exportName(c)));
    }
}

void TestAggregateModel::sortRoleGivesRawValues()
{
    AggregateTableModel model;
    const std::vector<es::GroupRow> rows = sampleRows();
    model.setRows(rows);
    for (int r = 0; r < model.rowCount(); ++r) {
        const es::GroupStats &s = rows[std::size_t(r)].stats;
        auto raw = [&](int column) { return model.index(r, column).data(AggregateTableModel::SortRole); };
        QCOMPARE(raw(AggregateTableModel::District).toString(), rows[std::size_t(r)].district);
        QCOMPARE(raw(AggregateTableModel::PropertyType).toString(), rows[std::size_t(r)].type);
        QCOMPARE(raw(AggregateTableModel::Count).toLongLong(), qint64(s.count));
        // Independent arithmetic from the listings given above.
        QCOMPARE(raw(AggregateTableModel::AvgPrice).toDouble(), s.sumPrice / double(s.count));
        QCOMPARE(raw(AggregateTableModel::AvgArea).toDouble(), s.sumArea / double(s.count));
        QCOMPARE(raw(AggregateTableModel::RatioPricePerSqm).toDouble(), s.sumPrice / s.sumArea);
        QCOMPARE(raw(AggregateTableModel::MinPrice).toDouble(), s.minPrice);
        QCOMPARE(raw(AggregateTableModel::MaxPrice).toDouble(), s.maxPrice);
        QVERIFY(!model.index(r, AggregateTableModel::AvgPrice).data().toString().isEmpty());
    }
    // Porto: (300000/150 + 500000/200) / 2 = 2250 €/m².
    QCOMPARE(model.index(0, AggregateTableModel::AvgPricePerSqm).data(AggregateTableModel::SortRole).toDouble(), 2250.0);
    QCOMPARE(model.index(0, AggregateTableModel::AvgPrice).data(AggregateTableModel::SortRole).toDouble(), 400000.0);
}

void TestAggregateModel::proxySortsNumerically()
{
    AggregateTableModel model;
    model.setRows(sampleRows());
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(AggregateTableModel::SortRole);
    proxy.sort(AggregateTableModel::Count, Qt::AscendingOrder);
    QList<qint64> counts;
    for (int r = 0; r < proxy.rowCount(); ++r)
        counts << proxy.index(r, AggregateTableModel::Count).data(AggregateTableModel::SortRole).toLongLong();
    QCOMPARE(counts, (QList<qint64>{1, 2, 9, 10}));
    proxy.sort(AggregateTableModel::AvgPrice, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, AggregateTableModel::District).data().toString(), QStringLiteral("Lisboa"));
    QCOMPARE(proxy.index(3, AggregateTableModel::District).data().toString(), QStringLiteral("Aveiro"));
}

void TestAggregateModel::unknownMedianSortsFirst()
{
    AggregateTableModel model;
    model.setRows(sampleRows()); // only Lisboa has a median
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(AggregateTableModel::SortRole);
    proxy.sort(AggregateTableModel::MedianPrice, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, AggregateTableModel::District).data().toString(), QStringLiteral("Lisboa"));
    QCOMPARE(proxy.index(0, AggregateTableModel::MedianPrice).data(AggregateTableModel::SortRole).toDouble(), 404500.0);
    // A NaN median displays as a dash, not "nan".
    QVERIFY(!proxy.index(1, AggregateTableModel::MedianPrice).data().toString().contains(QStringLiteral("nan"),
                                                                                         Qt::CaseInsensitive));
}

void TestAggregateModel::setRowsResetsOnce()
{
    AggregateTableModel model;
    QSignalSpy aboutToReset(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setRows(sampleRows());
    QCOMPARE(aboutToReset.count(), 1);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(inserted.count(), 0);
    std::vector<es::GroupRow> fewer = sampleRows();
    fewer.resize(2);
    model.setRows(fewer);
    QCOMPARE(reset.count(), 2);
    QCOMPARE(model.rowCount(), 2);
}

QTEST_MAIN(TestAggregateModel)
#include "tst_aggregatemodel.moc"
