// Format detection: encoding, delimiter, decimal separator, header and roles.
#include "csvformat.h"
#include "testutil.h"

#include <QStringEncoder>

#include <gtest/gtest.h>

using namespace es;
using namespace es::test;

namespace {

DetectResult detect(const QByteArray &raw, const CsvOptions &options = {}, const ColumnMapping &mapping = {})
{
    return detectFormatFromBytes(raw, true, options, mapping);
}

QByteArray utf16(const QString &text, bool littleEndian)
{
    QByteArray out = littleEndian ? QByteArray("\xFF\xFE", 2) : QByteArray("\xFE\xFF", 2);
    for (QChar c : text) {
        const auto u = c.unicode();
        const char lo = char(u & 0xFF), hi = char(u >> 8);
        if (littleEndian) {
            out += lo;
            out += hi;
        } else {
            out += hi;
            out += lo;
        }
    }
    return out;
}

const char *const kSmall = "District,Type,Price,LivingArea\n"
                           "Setúbal,Apartment,150000,75\n"
                           "Évora,House,\"1250000\",250\n"
                           "Lisboa,House,240000,80\n"
                           "Évora,House,abc,80\n"
                           "Lisboa,House,30000,80\n";

QString joined(const QStringList &l) { return l.join(u'|'); }

} // namespace

// ---------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------

TEST(CsvFormat, PlainUtf8)
{
    const DetectResult r = detect(kSmall);
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.dialect.encoding, TextEncoding::Utf8);
    EXPECT_EQ(r.format.dialect.bomBytes, 0);
    EXPECT_TRUE(r.format.header.complete());
}

TEST(CsvFormat, Utf8BomIsSkipped)
{
    const DetectResult r = detect(QByteArray("\xEF\xBB\xBF") + kSmall);
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.dialect.bomBytes, 3);
    EXPECT_EQ(r.format.dialect.encoding, TextEncoding::Utf8);
    ASSERT_FALSE(r.format.header.columns.isEmpty());
    EXPECT_EQ(r.format.header.columns.first(), QStringLiteral("District")); // no U+FEFF glued to it
    EXPECT_EQ(r.format.header.column(Role::District), 0);
}

TEST(CsvFormat, Utf16LittleEndianWithBom)
{
    const DetectResult r = detect(utf16(QString::fromUtf8(kSmall), true));
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.dialect.encoding, TextEncoding::Utf16LE);
    EXPECT_EQ(r.format.dialect.bomBytes, 2);
    EXPECT_EQ(joined(r.format.header.columns), QStringLiteral("District|Type|Price|LivingArea"));
    ASSERT_FALSE(r.format.previewRows.isEmpty());
    EXPECT_EQ(r.format.previewRows.first().first(), QStringLiteral("Setúbal"));
    EXPECT_TRUE(joined(r.format.notes).contains(QStringLiteral("UTF-16")));
}

TEST(CsvFormat, Utf16BigEndianWithBom)
{
    const DetectResult r = detect(utf16(QString::fromUtf8(kSmall), false));
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.dialect.encoding, TextEncoding::Utf16BE);
    EXPECT_EQ(joined(r.format.header.columns), QStringLiteral("District|Type|Price|LivingArea"));
    ASSERT_GE(r.format.previewRows.size(), 2);
    EXPECT_EQ(r.format.previewRows.at(1).first(), QStringLiteral("Évora"));
}

TEST(CsvFormat, Latin1IsDetectedAndSaid)
{
    const QByteArray latin1 = QString::fromUtf8(kSmall).toLatin1();
    ASSERT_TRUE(latin1.contains('\xC9')); // É as one byte: not valid UTF-8
    const DetectResult r = detect(latin1);
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.dialect.encoding, TextEncoding::Latin1);
    EXPECT_TRUE(joined(r.format.notes).contains(QStringLiteral("Latin-1")));
    ASSERT_GE(r.format.previewRows.size(), 2);
    EXPECT_EQ(r.format.previewRows.at(1).first(), QStringLiteral("Évora"));
}

TEST(CsvFormat, BinaryIsAnError)
{
    QByteArray junk;
    for (int i = 0; i < 4096; ++i)
        junk += char((i * 37 + 11) % 256);
    const DetectResult r = detect(junk);
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.error.contains(QStringLiteral("binary"))) << r.error.toStdString();
}

TEST(CsvFormat, EmptyIsAnError)
{
    const DetectResult r = detect(QByteArray());
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.error.contains(QStringLiteral("empty"))) << r.error.toStdString();
}

TEST(CsvFormat, OnlyBlankLinesIsAnError)
{
    const DetectResult r = detect("\n\r\n  \n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.error.contains(QStringLiteral("empty"))) << r.error.toStdString();
}

TEST(CsvFormat, HeaderOnlyIsValid)
{
    const DetectResult r = detect("District,Type,Price,LivingArea\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_TRUE(r.format.header.complete());
    EXPECT_TRUE(r.format.previewRows.isEmpty());
}

TEST(CsvFormat, HeaderOnlyWithoutNewlineIsValid)
{
    const DetectResult r = detect("District,Type,Price,LivingArea");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.header.column(Role::Area), 3);
}

TEST(CsvFormat, MissingFileIsAnError)
{
    TempDir dir;
    const DetectResult r = detectFormat(dir.filePath(QStringLiteral("nope.csv")), {}, {});
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.error.contains(QStringLiteral("nope.csv"))) << r.error.toStdString();
}

TEST(CsvFormat, DetectFormatReadsAFile)
{
    TempDir dir;
    const QString path = dir.write(QStringLiteral("small.csv"), kSmall);
    const DetectResult r = detectFormat(path, {}, {});
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.previewRows.size(), 5);
}

// ---------------------------------------------------------------------------
// Delimiter
// ---------------------------------------------------------------------------

TEST(CsvFormat, CommaDelimiter)
{
    EXPECT_EQ(detect(kSmall).format.dialect.delimiter, ',');
}

TEST(CsvFormat, SemicolonDelimiterDespiteCommasInValues)
{
    const DetectResult r = detect("District;Type;Price;LivingArea\n"
                                  "Lisboa, Centro;House;150000,5;75,5\n"
                                  "Porto;House, T2;240000;80\n"
                                  "Faro;Land;90000;120\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.dialect.delimiter, ';');
    EXPECT_EQ(r.format.header.column(Role::Area), 3);
}

TEST(CsvFormat, TabDelimiter)
{
    const DetectResult r = detect("District\tType\tPrice\tLivingArea\nLisboa, Centro\tHouse\t150000\t75\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.dialect.delimiter, '\t');
}

TEST(CsvFormat, PipeDelimiter)
{
    const DetectResult r = detect("District|Type|Price|LivingArea\nLisboa|House|150000|75\nPorto|House|1,5|2\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.dialect.delimiter, '|');
}

TEST(CsvFormat, QuotedDelimitersDoNotConfuseDetection)
{
    // every data line holds quoted semicolons, the real delimiter is ','
    const DetectResult r = detect("District,Type,Price,LivingArea\n"
                                  "\"A;B;C;D;E\",House,100000,50\n"
                                  "\"F;G;H;I;J\",House,100000,50\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.dialect.delimiter, ',');
}

TEST(CsvFormat, ForcedDelimiterWins)
{
    CsvOptions o;
    o.delimiter = ';';
    const DetectResult r = detect("District;Type;Price;LivingArea,X\nLisboa;House;1;2,3\n", o);
    EXPECT_EQ(r.format.dialect.delimiter, ';');
    EXPECT_EQ(r.format.header.columns.size(), 4);
}

// ---------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------

TEST(CsvFormat, SeedSchemaRoles)
{
    const DetectResult r = detect("Price,District,City,Town,Type,EnergyCertificate,GrossArea,TotalArea,LivingArea\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.header.column(Role::Price), 0);
    EXPECT_EQ(r.format.header.column(Role::District), 1);
    EXPECT_EQ(r.format.header.column(Role::Type), 4);
    EXPECT_EQ(r.format.header.column(Role::Area), 8); // LivingArea, not GrossArea or TotalArea
}

TEST(CsvFormat, RolesAreCaseInsensitive)
{
    const DetectResult r = detect("livingarea,PRICE,type,DiStRiCt\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.header.column(Role::Area), 0);
    EXPECT_EQ(r.format.header.column(Role::Price), 1);
    EXPECT_EQ(r.format.header.column(Role::Type), 2);
    EXPECT_EQ(r.format.header.column(Role::District), 3);
}

TEST(CsvFormat, RegionPropertyTypeSalePriceBuildingArea)
{
    const DetectResult r = detect("Id,Region,PropertyType,SalePrice,BuildingArea\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.header.column(Role::District), 1);
    EXPECT_EQ(r.format.header.column(Role::Type), 2);
    EXPECT_EQ(r.format.header.column(Role::Price), 3);
    EXPECT_EQ(r.format.header.column(Role::Area), 4);
}

TEST(CsvFormat, MelbourneHousingHeader)
{
    const DetectResult r = detect("Suburb,Address,Rooms,Type,Price,Method,SellerG,Date,Distance,Postcode,Bedroom2,"
                                  "Bathroom,Car,Landsize,BuildingArea,YearBuilt,CouncilArea,Lattitude,Longtitude,"
                                  "Regionname,Propertycount\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.header.column(Role::District), 19); // Regionname
    EXPECT_EQ(r.format.header.column(Role::Type), 3);
    EXPECT_EQ(r.format.header.column(Role::Price), 4);
    EXPECT_EQ(r.format.header.column(Role::Area), 14); // BuildingArea, not CouncilArea or Landsize
}

TEST(CsvFormat, CityPropertyTypePriceSquareMeters)
{
    const DetectResult r = detect("id,city,property_type,price,squareMeters,rooms\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.header.column(Role::District), 1);
    EXPECT_EQ(r.format.header.column(Role::Type), 2);
    EXPECT_EQ(r.format.header.column(Role::Price), 3);
    EXPECT_EQ(r.format.header.column(Role::Area), 4);
}

TEST(CsvFormat, NamesWithSpacesAndPunctuation)
{
    const DetectResult r = detect("\"District \",Property Type,Price (EUR),Living Area\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.header.column(Role::District), 0);
    EXPECT_EQ(r.format.header.column(Role::Type), 1);
    EXPECT_EQ(r.format.header.column(Role::Price), 2);
    EXPECT_EQ(r.format.header.column(Role::Area), 3);
}

TEST(CsvFormat, ExplicitMappingOverridesDetection)
{
    ColumnMapping m;
    m[Role::Area] = QStringLiteral("GrossArea");
    m[Role::District] = QStringLiteral("city"); // case-insensitive
    const DetectResult r = detect("District,City,Type,Price,LivingArea,GrossArea\n", {}, m);
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.header.column(Role::Area), 5);
    EXPECT_EQ(r.format.header.column(Role::District), 1);
    EXPECT_EQ(r.format.header.column(Role::Price), 3); // still detected
}

TEST(CsvFormat, ExplicitMappingForUnusualNames)
{
    ColumnMapping m;
    m[Role::District] = QStringLiteral("Zona");
    m[Role::Type] = QStringLiteral("Categoria");
    m[Role::Price] = QStringLiteral("Valor");
    m[Role::Area] = QStringLiteral("Metros");
    const DetectResult r = detect("Zona,Categoria,Valor,Metros\nA,B,1,2\n", {}, m);
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_TRUE(r.format.header.complete());
}

TEST(CsvFormat, UnknownExplicitColumnIsAnError)
{
    ColumnMapping m;
    m[Role::Price] = QStringLiteral("Cost");
    const DetectResult r = detect("District,Type,Price,LivingArea\n", {}, m);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error.contains(QStringLiteral("Cost"))) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(QStringLiteral("LivingArea"))) << r.error.toStdString(); // columns found
}

TEST(CsvFormat, MissingColumnsErrorNamesRolesAndColumnsFound)
{
    const DetectResult r = detect("Foo,Bar,Price,LivingArea\n1,2,3,4\n");
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error.contains(QStringLiteral("district"))) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(QStringLiteral("type"))) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(QStringLiteral("Foo"))) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(QStringLiteral("Bar"))) << r.error.toStdString();
    EXPECT_FALSE(r.error.contains(QStringLiteral("\n")));
    EXPECT_EQ(r.format.header.missingRoles(), (QStringList{QStringLiteral("district"), QStringLiteral("type")}));
}

TEST(CsvFormat, HeaderlessFileSaysTheFirstLineLooksLikeData)
{
    const DetectResult r = detect("Lisboa,House,100000,50\nPorto,House,200000,80\n");
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error.contains(QStringLiteral("looks like data"))) << r.error.toStdString();
}

TEST(CsvFormat, DuplicateHeaderNamesAreNoted)
{
    const DetectResult r = detect("District,Type,Price,LivingArea,Price\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(r.format.header.column(Role::Price), 2); // the first one
    const QString notes = joined(r.format.notes);
    EXPECT_TRUE(notes.contains(QStringLiteral("Price"))) << notes.toStdString();
    EXPECT_TRUE(notes.contains(QStringLiteral("2 times"))) << notes.toStdString();
}

TEST(CsvFormat, PreviewRowsAreSplitFields)
{
    const DetectResult r = detect(kSmall);
    ASSERT_EQ(r.format.previewRows.size(), 5);
    EXPECT_EQ(r.format.previewRows.at(1),
              (QStringList{QStringLiteral("Évora"), QStringLiteral("House"), QStringLiteral("1250000"),
                           QStringLiteral("250")}));
}

// ---------------------------------------------------------------------------
// Decimal separator
// ---------------------------------------------------------------------------

TEST(CsvFormat, DecimalCommaDetectedForSemicolonFiles)
{
    const DetectResult r = detect("District;Type;Price;LivingArea\nLisboa;House;150000,5;75,25\nPorto;House;90000;80,5\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_TRUE(r.format.dialect.decimalComma);
    EXPECT_TRUE(joined(r.format.notes).contains(QStringLiteral("decimal comma")));
}

TEST(CsvFormat, DotDecimalsInSemicolonFile)
{
    const DetectResult r = detect("District;Type;Price;LivingArea\nLisboa;House;150000.5;75.25\nPorto;House;90000;80.5\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_FALSE(r.format.dialect.decimalComma);
}

TEST(CsvFormat, DotThousandsInSemicolonFileAreNotDecimals)
{
    const DetectResult r = detect("District;Type;Price;LivingArea\nLisboa;House;1.250.000;75,5\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_TRUE(r.format.dialect.decimalComma);
}

TEST(CsvFormat, CommaFilesNeverUseDecimalComma)
{
    const DetectResult r = detect("District,Type,Price,LivingArea\nLisboa,House,\"150000,5\",\"75,25\"\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_FALSE(r.format.dialect.decimalComma);
}

TEST(CsvFormat, ForcedDecimalModeWins)
{
    CsvOptions o;
    o.decimal = DecimalMode::Dot;
    const DetectResult r = detect("District;Type;Price;LivingArea\nLisboa;House;150000,5;75,25\n", o);
    EXPECT_FALSE(r.format.dialect.decimalComma);
    o.decimal = DecimalMode::Comma;
    const DetectResult s = detect("District,Type,Price,LivingArea\nLisboa,House,150000,75\n", o);
    EXPECT_TRUE(s.format.dialect.decimalComma);
}

// ---------------------------------------------------------------------------
// Transcoded files through the engine
// ---------------------------------------------------------------------------

namespace {

void expectEngineReadsLikeUtf8(const QByteArray &raw)
{
    const RefResult ref = refAggregateCsv(kSmall, ',');
    ASSERT_EQ(ref.accepted, 3);
    StreamEngine engine;
    TempDir dir;
    StreamConfig cfg;
    cfg.path = dir.write(QStringLiteral("in.csv"), raw);
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished) << run.failReason.toStdString();
    ASSERT_TRUE(run.finalSnapshot);
    expectSnapshotMatches(*run.finalSnapshot, ref, true);
}

} // namespace

TEST(CsvFormat, EngineReadsUtf8WithBom)
{
    expectEngineReadsLikeUtf8(QByteArray("\xEF\xBB\xBF") + kSmall);
}

TEST(CsvFormat, EngineTranscodesUtf16LE)
{
    expectEngineReadsLikeUtf8(utf16(QString::fromUtf8(kSmall), true));
}

TEST(CsvFormat, EngineTranscodesUtf16BE)
{
    expectEngineReadsLikeUtf8(utf16(QString::fromUtf8(kSmall), false));
}

TEST(CsvFormat, EngineTranscodesLatin1)
{
    expectEngineReadsLikeUtf8(QString::fromUtf8(kSmall).toLatin1());
}

TEST(CsvFormat, EngineTranscodesLargeUtf16File)
{
    // larger than the detection window, so transcoding continues while streaming
    std::string text = trickyHeader();
    text += makeTrickyRecords(77, 9000);
    const RefResult ref = refAggregateRecords(
        [&] {
            auto recs = refSplit(text, ',');
            recs.erase(recs.begin());
            return recs;
        }(),
        trickyColumns(), 50000, 20);
    const QByteArray raw = utf16(QString::fromUtf8(text.data(), qsizetype(text.size())), true);
    ASSERT_GT(raw.size(), 512 * 1024);
    StreamEngine engine;
    TempDir dir;
    StreamConfig cfg;
    cfg.path = dir.write(QStringLiteral("big16.csv"), raw);
    const EngineRun run = runEngine(engine, cfg);
    ASSERT_TRUE(run.finished) << run.failReason.toStdString();
    expectSnapshotMatches(*run.finalSnapshot, ref, true);
}

// ---------------------------------------------------------------------------
// A header with a quote that never closes
// ---------------------------------------------------------------------------

TEST(CsvFormat, HeaderWithAnUnclosedQuoteIsReadAsPlainText)
{
    const DetectResult r = detect("Price,\"District,Type,LivingArea\n"
                                  "250000,Lisboa,Apartment,85\n"
                                  "300000,\"Porto, centro\",House,120\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_TRUE(r.format.dialect.headerQuotesLiteral);
    EXPECT_EQ(joined(r.format.header.columns), QStringLiteral("Price|District|Type|LivingArea"));
    EXPECT_EQ(r.format.header.column(Role::District), 1);
    EXPECT_EQ(r.format.header.column(Role::Area), 3);
    ASSERT_EQ(r.format.previewRows.size(), 2); // the data lines, quotes there read as usual
    EXPECT_EQ(r.format.previewRows[1].value(1), QStringLiteral("Porto, centro"));
    EXPECT_TRUE(joined(r.format.notes).contains(QStringLiteral("never closed"))) << joined(r.format.notes).toStdString();
}

TEST(CsvFormat, BalancedQuotedHeaderKeepsItsQuotes)
{
    const DetectResult r = detect("\"Price\",\"District\",\"Type\",\"LivingArea\"\n250000,Lisboa,Apartment,85\n");
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_FALSE(r.format.dialect.headerQuotesLiteral);
    EXPECT_EQ(joined(r.format.header.columns), QStringLiteral("Price|District|Type|LivingArea"));
}
