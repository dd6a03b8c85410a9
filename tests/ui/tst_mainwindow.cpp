// The dashboard window end to end, offscreen: open the bundled sample, stream
// it to the end, and compare tiles and table with an independent computation
// made here from the CSV text (a plain quote-aware split, no core code);
// filters; export round trips; the column-mapping dialog; bad files.
#include "aggregatetablemodel.h"
#include "autoexportdialog.h"
#include "columnmappingdialog.h"
#include "dashboardcontroller.h"
#include "exportactions.h"
#include "fileopener.h"
#include "filtercontroller.h"
#include "filterpanel.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "metrictile.h"
#include "settings.h"
#include "streamcontrols.h"
#include "tablepage.h"
#include "tilesrow.h"

#include "logging.h"
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QUrl>
#include <QSpinBox>
#include <QPushButton>
#include "multiselectcombo.h"
#include "rangeeditor.h"

#include <QFile>
#include <QLocale>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <utility>

using namespace es::ui;

namespace {

constexpr int kTimeoutMs = 120000;

// ---- independent reference -------------------------------------------------

/// Splits CSV text into records of fields (RFC 4180 quotes, LF/CRLF).
QList<QStringList> readCsv(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QString text = QString::fromUtf8(f.readAll());
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    QList<QStringList> records;
    QStringList fields;
    QString field;
    bool quoted = false;
    bool any = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
            any = true;
        } else if (c == u',') {
            fields << field;
            field.clear();
            any = true;
        } else if (c == u'\n' || c == u'\r') {
            if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n')
                ++i;
            if (any || !field.isEmpty()) {
                fields << field;
                records << fields;
            }
            fields.clear();
            field.clear();
            any = false;
        } else {
            field += c;
            any = true;
        }
    }
    if (any || !field.isEmpty()) {
        fields << field;
        records << fields;
    }
    return records;
}

struct Listing {
    QString district;
    QString type;
    double price;
    double area;
};

struct Reference {
    std::vector<Listing> accepted;
    qint64 rowsRead = 0;
    qint64 rejected = 0;
    qint64 filteredOut = 0;
};

/// Validation and processing filter as the product defines them.
Reference computeReference(const QString &path, const QString &districtCol = QStringLiteral("District"),
                           const QString &typeCol = QStringLiteral("Type"),
                           const QString &priceCol = QStringLiteral("Price"),
                           const QString &areaCol = QStringLiteral("LivingArea"))
{
    Reference ref;
    const QList<QStringList> records = readCsv(path);
    if (records.isEmpty())
        return ref;
    const QStringList header = records.first();
    const auto di = header.indexOf(districtCol), ti = header.indexOf(typeCol);
    const auto pi = header.indexOf(priceCol), ai = header.indexOf(areaCol);
    const QLocale c = QLocale::c();
    auto number = [&](const QString &s, double maxValue, double *out) {
        bool ok = false;
        const double v = c.toDouble(s.trimmed(), &ok);
        *out = v;
        return ok && std::isfinite(v) && v > 0 && v <= maxValue;
    };
    for (qsizetype r = 1; r < records.size(); ++r) {
        const QStringList &row = records[r];
        ++ref.rowsRead;
        double price = 0, area = 0;
        if (row.size() != header.size() || !number(row[pi], 1e12, &price) || !number(row[ai], 1e9, &area)) {
            ++ref.rejected;
            continue;
        }
        if (price < 50000 || area < 20) {
            ++ref.filteredOut;
            continue;
        }
        QString d = row[di].trimmed(), t = row[ti].trimmed();
        ref.accepted.push_back({d.isEmpty() ? QStringLiteral("Unknown") : d, t.isEmpty() ? QStringLiteral("Unknown") : t,
                                price, area});
    }
    return ref;
}

struct Agg {
    qint64 count = 0;
    double sumPrice = 0, sumArea = 0, sumPps = 0;
    std::vector<double> pps;
};

template <typename Pred>
std::map<std::pair<QString, QString>, Agg> aggregate(const std::vector<Listing> &listings, Pred keep, Agg *total)
{
    std::map<std::pair<QString, QString>, Agg> groups;
    for (const Listing &l : listings) {
        if (!keep(l))
            continue;
        for (Agg *a : {&groups[{l.district, l.type}], total}) {
            ++a->count;
            a->sumPrice += l.price;
            a->sumArea += l.area;
            a->sumPps += l.price / l.area;
            a->pps.push_back(l.price / l.area);
        }
    }
    return groups;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool close(double a, double b, double rel = 1e-9)
{
    return std::abs(a - b) <= rel * std::max({1.0, std::abs(a), std::abs(b)});
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void streamsSampleToTheEnd();
    void filtersMatchIndependentComputation();
    void resetRestoresEverything();
    void exportRoundTrip();
    void exportFilteredView();
    void autoExportWritesTheExactExport();
    void autoExportFailureShowsBannerAndStreamGoesOn();
    void autoExportDialogValidatesAndSaves();
    void unknownColumnsAskForMapping();
    void streamControlsPauseStepStopRestart();
    void droppingAFileOpensIt();
    void badFileShowsBannerAndAppKeepsRunning_data();
    void badFileShowsBannerAndAppKeepsRunning();

private:
    void openAndSettle(const QString &path);
    void compareTiles(const Agg &total, qint64 storeSize);
    void compareTable(const std::map<std::pair<QString, QString>, Agg> &groups);

    QTemporaryDir m_dir;
    Reference m_sample;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<MainWindow> m_window;
    int m_settingsIndex = 0;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(QStringLiteral(ES_SAMPLE_CSV)), ES_SAMPLE_CSV);
    es::logs::init(m_dir.filePath(QStringLiteral("logs")));
    m_sample = computeReference(QStringLiteral(ES_SAMPLE_CSV));
    QVERIFY(m_sample.accepted.size() > 1000);
    QVERIFY(m_sample.rejected > 0); // the sample has dirty rows on purpose
}

void TestMainWindow::init()
{
    m_settings = std::make_unique<Settings>(m_dir.filePath(QStringLiteral("settings%1.ini").arg(++m_settingsIndex)));
    m_window = std::make_unique<MainWindow>(m_settings.get());
    m_window->streamControls()->setRate(0); // as fast as possible
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_settings.reset();
}

void TestMainWindow::openAndSettle(const QString &path)
{
    QSignalSpy started(m_window->dashboard(), &DashboardController::streamStarting);
    m_window->openFile(path);
    QTRY_VERIFY2_WITH_TIMEOUT(started.count() == 1, qPrintable(m_window->banner()->text()), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->isIdle(), kTimeoutMs);
}

void TestMainWindow::compareTiles(const Agg &total, qint64 storeSize)
{
    TilesRow *tiles = m_window->tiles();
    auto value = [tiles](TilesRow::Tile t) { return tiles->tile(t)->value(); };
    QCOMPARE(qint64(value(TilesRow::Tile::Listings)), total.count);
    QVERIFY2(close(value(TilesRow::Tile::AvgPrice), total.sumPrice / double(total.count)),
             qPrintable(QString::number(value(TilesRow::Tile::AvgPrice))));
    QVERIFY(close(value(TilesRow::Tile::AvgArea), total.sumArea / double(total.count)));
    QVERIFY(close(value(TilesRow::Tile::AvgPricePerSqm), total.sumPps / double(total.count)));
    QVERIFY(close(value(TilesRow::Tile::MedianPricePerSqm), median(total.pps)));
    QVERIFY(!tiles->tile(TilesRow::Tile::AvgPrice)->valueText().isEmpty());
    QCOMPARE(m_window->dashboard()->latestResult()->storeSize, storeSize);
}

void TestMainWindow::compareTable(const std::map<std::pair<QString, QString>, Agg> &groups)
{
    const AggregateTableModel *model = m_window->tablePage()->model();
    QCOMPARE(model->rowCount(), int(groups.size()));
    for (int r = 0; r < model->rowCount(); ++r) {
        auto raw = [&](int column) { return model->index(r, column).data(AggregateTableModel::SortRole); };
        const auto key = std::make_pair(raw(AggregateTableModel::District).toString(),
                                        raw(AggregateTableModel::PropertyType).toString());
        const auto it = groups.find(key);
        QVERIFY2(it != groups.end(), qPrintable(key.first + u'/' + key.second));
        const Agg &a = it->second;
        QCOMPARE(raw(AggregateTableModel::Count).toLongLong(), a.count);
        QVERIFY(close(raw(AggregateTableModel::AvgPrice).toDouble(), a.sumPrice / double(a.count)));
        QVERIFY(close(raw(AggregateTableModel::AvgArea).toDouble(), a.sumArea / double(a.count)));
        QVERIFY(close(raw(AggregateTableModel::AvgPricePerSqm).toDouble(), a.sumPps / double(a.count)));
        QVERIFY(close(raw(AggregateTableModel::MedianPricePerSqm).toDouble(), median(a.pps)));
    }
}

void TestMainWindow::streamsSampleToTheEnd()
{
    openAndSettle(QStringLiteral(ES_SAMPLE_CSV));
    QCOMPARE(m_window->dashboard()->engine()->state(), es::StreamEngine::State::Finished);
    const es::SnapshotPtr snap = m_window->dashboard()->latestSnapshot();
    QVERIFY(snap && snap->final);
    QCOMPARE(snap->counters.rowsRead, m_sample.rowsRead);
    QCOMPARE(snap->counters.rejected, m_sample.rejected);
    QCOMPARE(snap->counters.filteredOut, m_sample.filteredOut);
    QCOMPARE(qint64(m_window->tiles()->tile(TilesRow::Tile::Processed)->value()), m_sample.rowsRead);
    QCOMPARE(qint64(m_window->tiles()->tile(TilesRow::Tile::Rejected)->value()), m_sample.rejected);

    Agg total;
    const auto groups = aggregate(m_sample.accepted, [](const Listing &) { return true; }, &total);
    compareTiles(total, qint64(m_sample.accepted.size()));
    compareTable(groups);
    QVERIFY(!m_window->banner()->isVisible());
    QVERIFY(m_window->streamControls()->stateText().contains(QStringLiteral("Finished")));
    QVERIFY(m_window->issuesPanel() != nullptr);
}

void TestMainWindow::filtersMatchIndependentComputation()
{
    openAndSettle(QStringLiteral(ES_SAMPLE_CSV));
    const double lo = 100000, hi = 500000;
    const QString hidden = QStringLiteral("Lisboa");
    // Through the widgets, as a user would: the panel forwards to the controller.
    FilterPanel *panel = m_window->filterPanel();
    QVERIFY(panel->priceEditor()->isEnabled());
    panel->priceEditor()->setSelection(lo, hi);
    panel->districtCombo()->setUncheckedItems({hidden});
    QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->isIdle(), kTimeoutMs);
    const es::FilterState state = m_window->filters()->emittedState();
    QCOMPARE(state.priceMin, lo);
    QCOMPARE(state.priceMax, hi);
    QCOMPARE(state.hiddenDistricts, QSet<QString>{hidden});
    QTRY_COMPARE_WITH_TIMEOUT(m_window->dashboard()->latestResult()->totals.stats.count < m_sample.accepted.size(),
                              true, kTimeoutMs);

    Agg total;
    const auto groups = aggregate(
        m_sample.accepted,
        [&](const Listing &l) { return l.price >= lo && l.price <= hi && l.district != hidden; }, &total);
    QVERIFY(total.count > 0);
    compareTiles(total, qint64(m_sample.accepted.size()));
    compareTable(groups);

    // Filters persist through Settings.
    QCOMPARE(m_settings->filters(), state);
}

void TestMainWindow::resetRestoresEverything()
{
    openAndSettle(QStringLiteral(ES_SAMPLE_CSV));
    m_window->filters()->setAreaRange(50, 120);
    m_window->filters()->setHiddenTypes({QStringLiteral("Apartment")});
    QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->isIdle(), kTimeoutMs);
    QVERIFY(qint64(m_window->tiles()->tile(TilesRow::Tile::Listings)->value()) < qint64(m_sample.accepted.size()));
    QTest::mouseClick(m_window->filterPanel()->resetButton(), Qt::LeftButton);
    QVERIFY(m_window->filters()->state().isDefault());
    QTRY_COMPARE_WITH_TIMEOUT(qint64(m_window->tiles()->tile(TilesRow::Tile::Listings)->value()),
                              qint64(m_sample.accepted.size()), kTimeoutMs);
    QVERIFY(m_window->filterPanel()->typeCombo()->uncheckedItems().isEmpty());
    QVERIFY(m_window->filterPanel()->areaEditor()->isFullRange());
}

void TestMainWindow::exportRoundTrip()
{
    openAndSettle(QStringLiteral(ES_SAMPLE_CSV));
    const QString out = m_dir.filePath(QStringLiteral("aggregates.csv"));
    QSignalSpy done(m_window->exports(), &ExportActions::exportFinished);
    QString error;
    QVERIFY2(m_window->exports()->exportAggregates(out, ExportActions::Scope::AllListings, &error), qPrintable(error));
    QVERIFY(done.wait(kTimeoutMs));
    QVERIFY2(done.at(0).at(1).toBool(), qPrintable(done.at(0).at(2).toString()));

    const QList<QStringList> rows = readCsv(out);
    QVERIFY(rows.size() > 1);
    QCOMPARE(rows.first().mid(0, 6), (QStringList{QStringLiteral("District"), QStringLiteral("Property_Type"),
                                                  QStringLiteral("Avg_Price"), QStringLiteral("Avg_Area"),
                                                  QStringLiteral("Count"), QStringLiteral("Avg_Price_per_Sqm")}));
    // Same groups and counts as the (unfiltered) table.
    const AggregateTableModel *model = m_window->tablePage()->model();
    QCOMPARE(rows.size() - 1, model->rowCount());
    std::map<std::pair<QString, QString>, std::pair<qint64, double>> table;
    for (int r = 0; r < model->rowCount(); ++r)
        table[{model->index(r, AggregateTableModel::District).data(AggregateTableModel::SortRole).toString(),
               model->index(r, AggregateTableModel::PropertyType).data(AggregateTableModel::SortRole).toString()}] =
            {model->index(r, AggregateTableModel::Count).data(AggregateTableModel::SortRole).toLongLong(),
             model->index(r, AggregateTableModel::AvgPrice).data(AggregateTableModel::SortRole).toDouble()};
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QStringList &f = rows[i];
        const auto it = table.find({f[0], f[1]});
        QVERIFY2(it != table.end(), qPrintable(f.join(u',')));
        QCOMPARE(f[4].toLongLong(), it->second.first);
        QVERIFY(close(f[2].toDouble(), it->second.second));
    }
}

void TestMainWindow::autoExportWritesTheExactExport()
{
    const QString autoPath = m_dir.filePath(QStringLiteral("auto.csv"));
    m_settings->setValue(setting::autoExportPath, autoPath);
    m_settings->setValue(setting::autoExportSeconds, 1);
    QSignalSpy exported(m_window->dashboard()->engine(), &es::StreamEngine::exported);
    openAndSettle(QStringLiteral(ES_SAMPLE_CSV));
    QTRY_VERIFY_WITH_TIMEOUT(!exported.isEmpty(), kTimeoutMs);
    QVERIFY(exported.last().at(1).toBool());
    // The last automatic export is the final one: the same bytes as File → Export of the finished stream.
    const QString manual = m_dir.filePath(QStringLiteral("manual.csv"));
    QSignalSpy done(m_window->exports(), &ExportActions::exportFinished);
    QVERIFY(m_window->exports()->exportAggregates(manual, ExportActions::Scope::AllListings));
    QVERIFY(done.wait(kTimeoutMs));
    QFile a(autoPath), b(manual);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    const QByteArray autoBytes = a.readAll();
    QVERIFY(autoBytes.startsWith("District,Property_Type,Avg_Price,Avg_Area,Count,Avg_Price_per_Sqm"));
    QCOMPARE(autoBytes, b.readAll());
    QVERIFY(!m_window->banner()->isVisible());
}

void TestMainWindow::autoExportFailureShowsBannerAndStreamGoesOn()
{
    m_settings->setValue(setting::autoExportPath, m_dir.path()); // a folder: cannot be written as a file
    m_settings->setValue(setting::autoExportSeconds, 0);
    openAndSettle(QStringLiteral(ES_SAMPLE_CSV));
    QCOMPARE(m_window->dashboard()->engine()->state(), es::StreamEngine::State::Finished);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->banner()->isVisible(), kTimeoutMs);
    QVERIFY2(m_window->banner()->text().contains(QStringLiteral("could not be written")),
             qPrintable(m_window->banner()->text()));
    QCOMPARE(m_window->dashboard()->latestSnapshot()->counters.rowsRead, m_sample.rowsRead);
}

void TestMainWindow::autoExportDialogValidatesAndSaves()
{
    AutoExportDialog dialog(m_settings.get(), m_window.get());
    QVERIFY(!dialog.isEnabled()); // off by default
    QVERIFY(dialog.okButton()->isEnabled());
    dialog.enabledBox()->setChecked(true);
    dialog.pathEdit()->setText(m_dir.filePath(QStringLiteral("no/such/folder/agg.csv")));
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY(dialog.problemLabel()->text().contains(QStringLiteral("does not exist")));
    dialog.pathEdit()->setText(m_dir.path());
    QVERIFY(!dialog.okButton()->isEnabled()); // a folder
    const QString target = m_dir.filePath(QStringLiteral("every5.csv"));
    dialog.pathEdit()->setText(target);
    dialog.secondsBox()->setValue(5);
    QVERIFY(dialog.okButton()->isEnabled());
    QVERIFY(dialog.problemLabel()->isHidden());
    QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(m_settings->value(setting::autoExportPath), target);
    QCOMPARE(m_settings->value(setting::autoExportSeconds), 5);

    AutoExportDialog again(m_settings.get(), m_window.get());
    QVERIFY(again.isEnabled());
    QCOMPARE(again.path(), target);
    again.enabledBox()->setChecked(false);
    QVERIFY(again.okButton()->isEnabled());
    again.save();
    QVERIFY(m_settings->value(setting::autoExportPath).isEmpty()); // off
}

void TestMainWindow::exportFilteredView()
{
    openAndSettle(QStringLiteral(ES_SAMPLE_CSV));
    m_window->filters()->setHiddenTypes({QStringLiteral("Land"), QStringLiteral("Apartment")});
    QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->isIdle(), kTimeoutMs);
    const QString out = m_dir.filePath(QStringLiteral("filtered.csv"));
    QSignalSpy done(m_window->exports(), &ExportActions::exportFinished);
    QVERIFY(m_window->exports()->exportAggregates(out, ExportActions::Scope::FilteredView));
    QVERIFY(done.wait(kTimeoutMs));
    QVERIFY(done.at(0).at(1).toBool());
    const QList<QStringList> rows = readCsv(out);
    Agg total;
    const auto groups = aggregate(
        m_sample.accepted, [](const Listing &l) { return l.type != u"Land"_qs && l.type != u"Apartment"_qs; }, &total);
    QCOMPARE(rows.size() - 1, qsizetype(groups.size()));
    qint64 sum = 0;
    for (qsizetype i = 1; i < rows.size(); ++i) {
        QVERIFY(rows[i][1] != u"Land"_qs && rows[i][1] != u"Apartment"_qs);
        const auto it = groups.find({rows[i][0], rows[i][1]});
        QVERIFY(it != groups.end());
        QCOMPARE(rows[i][4].toLongLong(), it->second.count);
        sum += rows[i][4].toLongLong();
    }
    QCOMPARE(sum, total.count);
}

void TestMainWindow::unknownColumnsAskForMapping()
{
    // Same data, renamed columns nobody could detect.
    const QString path = m_dir.filePath(QStringLiteral("renamed columns.csv"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("col_a,col_b,col_c,col_d,notes\n");
        f.write("Porto,House,350000,120,x\n");
        f.write("Porto,House,450000,180,\"a, b\"\n");
        f.write("Faro,Apartment,250000,80,y\n");
        f.write("Faro,Apartment,10,80,below minimum\n");
        f.write("Faro,Apartment,abc,80,rejected\n");
    }
    m_window->openFile(path);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->opener()->mappingDialog() && m_window->opener()->mappingDialog()->isVisible(),
                             kTimeoutMs);
    ColumnMappingDialog *dialog = m_window->opener()->mappingDialog();
    QVERIFY(!dialog->isComplete());
    QVERIFY(dialog->setRoleColumn(es::Role::District, QStringLiteral("col_a")));
    QVERIFY(dialog->setRoleColumn(es::Role::Type, QStringLiteral("col_b")));
    QVERIFY(dialog->setRoleColumn(es::Role::Price, QStringLiteral("col_c")));
    QVERIFY(!dialog->isComplete());
    QVERIFY(dialog->setRoleColumn(es::Role::Area, QStringLiteral("col_d")));
    QVERIFY(dialog->isComplete());
    QSignalSpy started(m_window->dashboard(), &DashboardController::streamStarting);
    dialog->accept();
    QTRY_VERIFY_WITH_TIMEOUT(started.count() == 1, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->isIdle(), kTimeoutMs);

    const Reference ref = computeReference(path, QStringLiteral("col_a"), QStringLiteral("col_b"),
                                           QStringLiteral("col_c"), QStringLiteral("col_d"));
    QCOMPARE(qint64(ref.accepted.size()), 3);
    Agg total;
    const auto groups = aggregate(ref.accepted, [](const Listing &) { return true; }, &total);
    compareTiles(total, 3);
    compareTable(groups);
    QCOMPARE(m_window->dashboard()->latestSnapshot()->counters.rejected, ref.rejected);

    // Remembered for this file: a new window opens it without asking.
    QCOMPARE(m_settings->columnMapping(path)[es::Role::Price], QStringLiteral("col_c"));
    m_window = std::make_unique<MainWindow>(m_settings.get());
    m_window->streamControls()->setRate(0);
    m_window->show();
    openAndSettle(path);
    QVERIFY(!m_window->opener()->mappingDialog());
    QCOMPARE(qint64(m_window->tiles()->tile(TilesRow::Tile::Listings)->value()), 3);
}

void TestMainWindow::streamControlsPauseStepStopRestart()
{
    using State = es::StreamEngine::State;
    StreamControls *controls = m_window->streamControls();
    es::StreamEngine *engine = m_window->dashboard()->engine();
    controls->setRate(200); // slow enough to act in the middle of the stream
    controls->batchSpin()->setValue(50);
    QSignalSpy started(m_window->dashboard(), &DashboardController::streamStarting);
    m_window->openFile(QStringLiteral(ES_SAMPLE_CSV));
    QTRY_VERIFY_WITH_TIMEOUT(started.count() == 1, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(engine->latest() && engine->latest()->counters.rowsRead > 0, kTimeoutMs);
    QCOMPARE(engine->state(), State::Running);
    QVERIFY(controls->stateText().startsWith(QStringLiteral("Streaming")));

    controls->pauseAction()->trigger();
    QCOMPARE(engine->state(), State::Paused);
    QVERIFY(controls->stateText().startsWith(QStringLiteral("Paused")));
    QVERIFY(controls->stepAction()->isEnabled());
    // Whatever was in flight when pausing has arrived once two snapshots agree.
    std::int64_t before = engine->latest()->counters.rowsRead;
    QTRY_VERIFY_WITH_TIMEOUT(std::exchange(before, engine->latest()->counters.rowsRead) == engine->latest()->counters.rowsRead,
                             kTimeoutMs);
    before = engine->latest()->counters.rowsRead;
    controls->stepAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(engine->latest()->counters.rowsRead > before, kTimeoutMs);
    QCOMPARE(engine->state(), State::Paused);
    QVERIFY(engine->latest()->counters.rowsRead < m_sample.rowsRead);

    controls->stopAction()->trigger();
    QCOMPARE(engine->state(), State::Cancelled);
    QCOMPARE(controls->stateText(), QStringLiteral("Cancelled"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->isIdle(), kTimeoutMs);
    QVERIFY(m_window->tiles()->tile(TilesRow::Tile::Listings)->value() > 0); // what was read stays
    QVERIFY(m_window->isVisible());

    controls->setRate(0);
    controls->restartAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(started.count() == 2, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->isIdle(), kTimeoutMs);
    QCOMPARE(engine->state(), State::Finished);
    QCOMPARE(qint64(m_window->tiles()->tile(TilesRow::Tile::Listings)->value()), qint64(m_sample.accepted.size()));
}

void TestMainWindow::droppingAFileOpensIt()
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(QStringLiteral(ES_SAMPLE_CSV))});
    const QPointF pos(m_window->width() / 2.0, m_window->height() / 2.0);
    QDragEnterEvent enter(pos.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QSignalSpy started(m_window->dashboard(), &DashboardController::streamStarting);
    QDropEvent drop(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &drop);
    QTRY_VERIFY_WITH_TIMEOUT(started.count() == 1, kTimeoutMs);
    QCOMPARE(started.at(0).at(0).value<es::StreamConfig>().path, QStringLiteral(ES_SAMPLE_CSV));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->isIdle(), kTimeoutMs);
    QCOMPARE(qint64(m_window->tiles()->tile(TilesRow::Tile::Listings)->value()), qint64(m_sample.accepted.size()));
    // It became the last and most recent file.
    QCOMPARE(m_settings->recentFiles().value(0), QFileInfo(QStringLiteral(ES_SAMPLE_CSV)).absoluteFilePath());
}

void TestMainWindow::badFileShowsBannerAndAppKeepsRunning_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("directory") << QStringLiteral("directory");
    QTest::newRow("empty file") << QStringLiteral("empty");
    QTest::newRow("missing file") << QStringLiteral("missing");
    QTest::newRow("binary garbage") << QStringLiteral("binary");
}

void TestMainWindow::badFileShowsBannerAndAppKeepsRunning()
{
    QFETCH(QString, kind);
    QString path;
    if (kind == u"directory"_qs) {
        path = m_dir.path();
    } else if (kind == u"missing"_qs) {
        path = m_dir.filePath(QStringLiteral("no such file.csv"));
    } else {
        path = m_dir.filePath(kind + QStringLiteral(".csv"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        if (kind == u"binary"_qs) {
            QByteArray junk;
            for (int i = 0; i < 4096; ++i)
                junk.append(char((i * 131 + 7) % 256));
            f.write(junk);
        }
    }
    m_window->openFile(path);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->banner()->isVisible(), kTimeoutMs);
    QCOMPARE(m_window->banner()->kind(), MessageBanner::Kind::Error);
    QVERIFY(!m_window->banner()->text().isEmpty());
    QVERIFY(m_window->isVisible());

    // The window is still usable: the sample opens and streams.
    openAndSettle(QStringLiteral(ES_SAMPLE_CSV));
    QCOMPARE(qint64(m_window->tiles()->tile(TilesRow::Tile::Listings)->value()), qint64(m_sample.accepted.size()));
    QVERIFY(!m_window->banner()->isVisible());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
