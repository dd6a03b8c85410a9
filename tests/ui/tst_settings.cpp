// Settings: defaults, recent files (most recent first, no duplicates, at most
// ten), filters round trip (infinite bounds), column mappings per file.
#include "settings.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using es::ui::Settings;
namespace setting = es::ui::setting;

class TestSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void defaultsWhenEmpty();
    void valuesPersistAcrossInstances();
    void recentFilesAreBoundedAndUnique();
    void filtersRoundTrip();
    void columnMappingIsPerFile();

private:
    QString iniPath() const { return m_dir->filePath(QStringLiteral("settings.ini")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSettings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSettings::defaultsWhenEmpty()
{
    Settings s(iniPath());
    QCOMPARE(s.value(setting::rate), setting::rate.defaultValue);
    QCOMPARE(s.value(setting::batchSize), setting::batchSize.defaultValue);
    QVERIFY(s.value(setting::lastFile).isEmpty());
    QVERIFY(s.recentFiles().isEmpty());
    QVERIFY(s.filters().isDefault());
    QVERIFY(s.columnMapping(QStringLiteral("/nowhere.csv")).isEmpty());
}

void TestSettings::valuesPersistAcrossInstances()
{
    {
        Settings s(iniPath());
        s.setValue(setting::rate, 10000.0);
        s.setValue(setting::batchSize, 250);
        s.setValue(setting::windowGeometry, QByteArray("geometry-bytes"));
        s.sync();
    }
    Settings s(iniPath());
    QCOMPARE(s.value(setting::rate), 10000.0);
    QCOMPARE(s.value(setting::batchSize), 250);
    QCOMPARE(s.value(setting::windowGeometry), QByteArray("geometry-bytes"));
}

void TestSettings::recentFilesAreBoundedAndUnique()
{
    Settings s(iniPath());
    QDir dir(m_dir->path());
    for (int i = 0; i < 15; ++i)
        s.addRecentFile(dir.filePath(QStringLiteral("f%1.csv").arg(i)));
    s.addRecentFile(dir.filePath(QStringLiteral("f12.csv"))); // again: moves to the front
    const QStringList recent = s.recentFiles();
    QCOMPARE(recent.size(), Settings::kMaxRecentFiles);
    QCOMPARE(recent.first(), dir.filePath(QStringLiteral("f12.csv")));
    QCOMPARE(recent.at(1), dir.filePath(QStringLiteral("f14.csv")));
    QCOMPARE(recent.count(dir.filePath(QStringLiteral("f12.csv"))), 1);
    QVERIFY(!recent.contains(dir.filePath(QStringLiteral("f0.csv"))));
}

void TestSettings::filtersRoundTrip()
{
    es::FilterState f;
    f.priceMin = 75000;
    f.areaMin = 30;
    f.areaMax = 250.5;
    f.hiddenDistricts = {QStringLiteral("Lisboa"), QStringLiteral("Évora")};
    f.hiddenTypes = {QStringLiteral("Land")};
    {
        Settings s(iniPath());
        s.setFilters(f);
        s.sync();
    }
    Settings s(iniPath());
    const es::FilterState back = s.filters();
    QCOMPARE(back, f);
    QCOMPARE(back.priceMax, std::numeric_limits<double>::infinity());
    s.setFilters({});
    QVERIFY(s.filters().isDefault());
}

void TestSettings::columnMappingIsPerFile()
{
    Settings s(iniPath());
    es::ColumnMapping m;
    m[es::Role::District] = QStringLiteral("zone");
    m[es::Role::Type] = QStringLiteral("kind");
    m[es::Role::Price] = QStringLiteral("cost");
    m[es::Role::Area] = QStringLiteral("m2");
    const QString a = m_dir->filePath(QStringLiteral("a b/listings.csv"));
    const QString b = m_dir->filePath(QStringLiteral("other.csv"));
    s.setColumnMapping(a, m);
    QCOMPARE(s.columnMapping(a).names, m.names);
    QVERIFY(s.columnMapping(b).isEmpty());
    // The same file through a relative path is the same key.
    const QString relative = QDir::current().relativeFilePath(a);
    QCOMPARE(s.columnMapping(relative).names, m.names);
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
