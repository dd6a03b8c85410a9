#include "csvformat.h"

#include "chunkparser.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QStringDecoder>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace es {

bool ColumnMapping::isEmpty() const
{
    return std::all_of(names.begin(), names.end(), [](const QString &s) { return s.isEmpty(); });
}

bool HeaderInfo::complete() const
{
    return std::all_of(roleColumn.begin(), roleColumn.end(), [](int c) { return c >= 0; });
}

QStringList HeaderInfo::missingRoles() const
{
    QStringList out;
    for (int r = 0; r < kRoleCount; ++r)
        if (roleColumn[std::size_t(r)] < 0)
            out << roleName(Role(r));
    return out;
}

// ---------------------------------------------------------------------------
namespace {

bool validUtf8(const QByteArray &b, bool allowTruncatedEnd)
{
    const auto *p = reinterpret_cast<const unsigned char *>(b.constData());
    const qsizetype n = b.size();
    for (qsizetype i = 0; i < n;) {
        const unsigned char c = p[i];
        int len = 0;
        if (c < 0x80)
            len = 1;
        else if ((c & 0xE0) == 0xC0 && c >= 0xC2)
            len = 2;
        else if ((c & 0xF0) == 0xE0)
            len = 3;
        else if ((c & 0xF8) == 0xF0 && c <= 0xF4)
            len = 4;
        else
            return false;
        if (i + len > n)
            return allowTruncatedEnd;
        for (int k = 1; k < len; ++k)
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
        i += len;
    }
    return true;
}

QString normaliseName(const QString &s)
{
    QString out;
    for (QChar c : s)
        if (c.isLetterOrNumber())
            out += c.toLower();
    return out;
}

// Preferred names for each role, best first. Compared after normaliseName.
const std::array<QStringList, kRoleCount> &roleCandidates()
{
    static const std::array<QStringList, kRoleCount> lists = {
        QStringList{u"district"_s, u"region"_s, u"regionname"_s, u"county"_s, u"province"_s,
                    u"state"_s, u"distrito"_s, u"city"_s, u"municipality"_s, u"borough"_s,
                    u"neighbourhood"_s, u"neighborhood"_s, u"suburb"_s, u"town"_s, u"location"_s,
                    u"zone"_s, u"area_name"_s, u"cidade"_s, u"concelho"_s},
        QStringList{u"type"_s, u"propertytype"_s, u"propertytypename"_s, u"typeofproperty"_s,
                    u"hometype"_s, u"housetype"_s, u"buildingtype"_s, u"unittype"_s, u"kind"_s,
                    u"category"_s, u"tipo"_s, u"typology"_s},
        QStringList{u"price"_s, u"saleprice"_s, u"listprice"_s, u"listingprice"_s, u"askingprice"_s,
                    u"priceeur"_s, u"priceusd"_s, u"pricegbp"_s, u"preco"_s, u"precio"_s, u"prix"_s,
                    u"preis"_s, u"value"_s, u"amount"_s},
        QStringList{u"livingarea"_s, u"area"_s, u"buildingarea"_s, u"squaremeters"_s, u"size"_s,
                    u"sqm"_s, u"m2"_s, u"livingspace"_s, u"floorarea"_s, u"usablearea"_s,
                    u"builtarea"_s, u"totalarea"_s, u"grossarea"_s, u"areasqm"_s, u"aream2"_s,
                    u"surface"_s, u"superficie"_s, u"sqft"_s, u"livingsqft"_s, u"sqftliving"_s},
    };
    return lists;
}

QByteArray toUtf8(const QByteArray &raw, TextEncoding enc, int bom)
{
    const QByteArray body = raw.mid(bom);
    switch (enc) {
    case TextEncoding::Utf8: return body;
    case TextEncoding::Utf16LE: return QStringDecoder(QStringConverter::Utf16LE)(body).operator QString().toUtf8();
    case TextEncoding::Utf16BE: return QStringDecoder(QStringConverter::Utf16BE)(body).operator QString().toUtf8();
    case TextEncoding::Latin1: return QString::fromLatin1(body).toUtf8();
    }
    return body;
}

// Column names as they appear in a one-line message: control characters made
// visible, long names shortened, at most 40 names.
QString columnList(const QStringList &columns)
{
    QStringList shown;
    for (const QString &c : columns.mid(0, 40)) {
        QString t = c;
        t.replace(u'\n', u"\\n"_s).replace(u'\r', u"\\r"_s).replace(u'\t', u"\\t"_s);
        if (t.size() > 40)
            t = t.left(37) + u"..."_s;
        shown << t;
    }
    if (columns.size() > 40)
        shown << QStringLiteral("... (%1 columns)").arg(columns.size());
    return shown.join(u", "_s);
}

int fieldCount(QByteArrayView line, char delim)
{
    return int(splitRecord(line, delim).size());
}

} // namespace

TextEncoding detectEncoding(const QByteArray &head, int *bomBytes, bool *binary)
{
    *bomBytes = 0;
    *binary = false;
    const auto *u = reinterpret_cast<const unsigned char *>(head.constData());
    const qsizetype n = head.size();
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        *bomBytes = 3;
        return TextEncoding::Utf8;
    }
    if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        *bomBytes = 2;
        return TextEncoding::Utf16LE;
    }
    if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        *bomBytes = 2;
        return TextEncoding::Utf16BE;
    }
    // UTF-16 without BOM: ASCII text has a zero byte in every other position.
    const qsizetype probe = std::min<qsizetype>(n, 4096);
    qsizetype zeroEven = 0, zeroOdd = 0, control = 0;
    for (qsizetype i = 0; i < probe; ++i) {
        if (u[i] == 0)
            (i % 2 ? zeroOdd : zeroEven)++;
        else if (u[i] < 0x20 && u[i] != '\n' && u[i] != '\r' && u[i] != '\t')
            ++control;
    }
    if (probe >= 4 && zeroOdd > probe / 4 && zeroEven < probe / 50)
        return TextEncoding::Utf16LE;
    if (probe >= 4 && zeroEven > probe / 4 && zeroOdd < probe / 50)
        return TextEncoding::Utf16BE;
    if (zeroEven + zeroOdd > 0 || control > probe / 100 + 1) {
        *binary = true;
        return TextEncoding::Utf8;
    }
    return validUtf8(head, true) ? TextEncoding::Utf8 : TextEncoding::Latin1;
}

QStringList splitRecord(QByteArrayView record, char delimiter)
{
    QStringList fields;
    QByteArray cur;
    bool inQuotes = false;
    bool fieldStart = true;
    for (qsizetype i = 0; i < record.size(); ++i) {
        const char c = record[i];
        if (inQuotes) {
            if (c == '"') {
                if (i + 1 < record.size() && record[i + 1] == '"') {
                    cur += '"';
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                cur += c;
            }
            continue;
        }
        if (c == delimiter) {
            fields << QString::fromUtf8(cur);
            cur.clear();
            fieldStart = true;
            continue;
        }
        if (c == '"' && fieldStart) {
            inQuotes = true;
            fieldStart = false;
            continue;
        }
        if (c == '\r' && i + 1 == record.size())
            break;
        cur += c;
        fieldStart = false;
    }
    fields << QString::fromUtf8(cur);
    return fields;
}

char detectDelimiter(const QByteArray &utf8Head)
{
    // First lines, quote-aware.
    QList<QByteArrayView> lines;
    qsizetype pos = 0;
    while (pos < utf8Head.size() && lines.size() < 30) {
        std::size_t recs = 0;
        const SplitResult r = nthRecordEnd(utf8Head.constData() + pos, std::size_t(utf8Head.size() - pos), ',',
                                           false, 1, &recs);
        const qsizetype len = r.end ? qsizetype(r.end) : utf8Head.size() - pos;
        QByteArrayView line(utf8Head.constData() + pos, len);
        while (!line.isEmpty() && (line.back() == '\n' || line.back() == '\r'))
            line.chop(1);
        if (!line.isEmpty())
            lines << line;
        pos += len;
        if (!r.end)
            break;
    }
    if (lines.isEmpty())
        return ',';
    static constexpr char candidates[] = {',', ';', '\t', '|'};
    char best = ',';
    long bestScore = -1;
    for (char c : candidates) {
        const int n0 = fieldCount(lines.first(), c);
        if (n0 < 2)
            continue;
        long consistent = 0;
        for (const auto &l : lines)
            consistent += fieldCount(l, c) == n0;
        const long score = consistent * 1000 + n0;
        if (score > bestScore) {
            bestScore = score;
            best = c;
        }
    }
    return best;
}

HeaderInfo detectRoles(const QStringList &columns, const ColumnMapping &mapping, QString *error, QStringList *notes)
{
    HeaderInfo info;
    info.columns = columns;
    QStringList normalised;
    for (const QString &c : columns)
        normalised << normaliseName(c);
    QStringList problems;
    for (int r = 0; r < kRoleCount; ++r) {
        const Role role = Role(r);
        const QString wanted = mapping[role].trimmed();
        if (!wanted.isEmpty()) {
            int found = -1;
            for (int i = 0; i < columns.size() && found < 0; ++i)
                if (columns[i].trimmed().compare(wanted, Qt::CaseInsensitive) == 0)
                    found = i;
            if (found < 0)
                problems << QStringLiteral("column \"%1\" given for %2 is not in the header").arg(wanted, roleName(role));
            info.roleColumn[std::size_t(r)] = found;
            continue;
        }
        const QStringList &cands = roleCandidates()[std::size_t(r)];
        int found = -1;
        for (const QString &cand : cands) {
            for (int i = 0; i < normalised.size() && found < 0; ++i)
                if (normalised[i] == cand &&
                    std::find(info.roleColumn.begin(), info.roleColumn.end(), i) == info.roleColumn.end())
                    found = i;
            if (found >= 0)
                break;
        }
        if (found < 0 && role == Role::Price) { // "Price (EUR)", "price_in_usd"
            for (int i = 0; i < normalised.size() && found < 0; ++i)
                if (normalised[i].startsWith(u"price"_s))
                    found = i;
        }
        info.roleColumn[std::size_t(r)] = found;
        if (found >= 0 && notes) {
            const int dup = int(std::count(normalised.begin(), normalised.end(), normalised[found]));
            if (dup > 1)
                *notes << QStringLiteral("column \"%1\" appears %2 times; using the first (column %3) for %4")
                              .arg(columns[found])
                              .arg(dup)
                              .arg(found + 1)
                              .arg(roleName(role));
        }
    }
    if (!problems.isEmpty() && error)
        *error = problems.join(u"; "_s) + QStringLiteral(" (columns found: %1)").arg(columnList(columns));
    return info;
}

DetectResult detectFormatFromBytes(const QByteArray &rawHead, bool wholeFile, const CsvOptions &options,
                                   const ColumnMapping &mapping)
{
    DetectResult res;
    FormatInfo &fmt = res.format;
    if (rawHead.isEmpty()) {
        res.error = QStringLiteral("the file is empty");
        return res;
    }
    bool binary = false;
    int bom = 0;
    TextEncoding enc = detectEncoding(rawHead, &bom, &binary);
    if (options.encoding) {
        enc = *options.encoding;
        binary = false;
    } else if (binary) {
        res.error = QStringLiteral("this is not a text CSV file (it contains binary data)");
        return res;
    }
    fmt.dialect.encoding = enc;
    fmt.dialect.bomBytes = bom;
    if (enc != TextEncoding::Utf8)
        fmt.notes << QStringLiteral("%1 text, converted to UTF-8").arg(encodingName(enc));
    QByteArray text = toUtf8(rawHead, enc, bom);
    if (text.trimmed().isEmpty()) {
        res.error = QStringLiteral("the file is empty");
        return res;
    }
    fmt.dialect.delimiter = options.delimiter ? options.delimiter : detectDelimiter(text);
    const char delim = fmt.dialect.delimiter;

    // Header: the first complete record (or everything when the file is one line).
    std::size_t recs = 0;
    SplitResult first = nthRecordEnd(text.constData(), std::size_t(text.size()), delim, false, 1, &recs);
    qsizetype headerLen = first.end ? qsizetype(first.end) : text.size();
    if (!first.end && !wholeFile) {
        res.error = QStringLiteral("the first line is longer than %1 KiB; this does not look like a CSV header")
                        .arg(rawHead.size() / 1024);
        return res;
    }
    QByteArrayView headerLine(text.constData(), headerLen);
    while (!headerLine.isEmpty() && (headerLine.back() == '\n' || headerLine.back() == '\r'))
        headerLine.chop(1);
    QStringList columns = splitRecord(headerLine, delim);
    for (QString &c : columns)
        c = c.trimmed();
    QString roleError;
    const QStringList notesBefore = fmt.notes;
    fmt.header = detectRoles(columns, mapping, &roleError, &fmt.notes);
    // A quote that opens in the header and never closes swallows the rest of the
    // file into one field. Then read the first line with quotes as ordinary text
    // (the engine skips the header the same way: headerQuotesLiteral).
    std::size_t plainRecs = 0;
    const SplitResult plainFirst =
        nthRecordEnd(text.constData(), std::size_t(text.size()), delim, /*quotesLiteral=*/true, 1, &plainRecs);
    const qsizetype plainLen = plainFirst.end ? qsizetype(plainFirst.end) : text.size();
    QByteArrayView plainLine(text.constData(), plainLen);
    while (!plainLine.isEmpty() && (plainLine.back() == '\n' || plainLine.back() == '\r'))
        plainLine.chop(1);
    const bool headerUsable = roleError.isEmpty() && fmt.header.complete();
    if (!headerUsable && headerLen > plainLen && plainLine.contains('"')) {
        QStringList plain;
        for (const QByteArray &f : plainLine.toByteArray().split(delim))
            plain << QString::fromUtf8(f).remove(u'"').trimmed();
        QString plainError;
        QStringList plainNotes;
        const HeaderInfo plainHeader = detectRoles(plain, mapping, &plainError, &plainNotes);
        if (plainError.isEmpty() && plainHeader.complete()) {
            columns = plain;
            fmt.header = plainHeader;
            fmt.notes = notesBefore + plainNotes;
            fmt.notes << QStringLiteral("the header has a quote that is never closed; its quotes were read as "
                                        "ordinary characters");
            fmt.dialect.headerQuotesLiteral = true;
            roleError.clear();
            headerLen = plainLen;
        }
    }

    // Preview rows.
    qsizetype pos = headerLen;
    while (pos < text.size() && fmt.previewRows.size() < 20) {
        SplitResult r = nthRecordEnd(text.constData() + pos, std::size_t(text.size() - pos), delim, false, 1, &recs);
        if (!r.end && !wholeFile)
            break;
        const qsizetype len = r.end ? qsizetype(r.end) : text.size() - pos;
        QByteArrayView line(text.constData() + pos, len);
        while (!line.isEmpty() && (line.back() == '\n' || line.back() == '\r'))
            line.chop(1);
        if (!line.isEmpty())
            fmt.previewRows << splitRecord(line, delim);
        pos += len;
    }

    // Decimal separator: look at the price and area values of the preview.
    if (options.decimal != DecimalMode::Auto) {
        fmt.dialect.decimalComma = options.decimal == DecimalMode::Comma;
    } else if (delim != ',') {
        int commaLike = 0, dotLike = 0;
        for (Role r : {Role::Price, Role::Area}) {
            const int col = fmt.header.column(r);
            if (col < 0)
                continue;
            for (const QStringList &row : std::as_const(fmt.previewRows)) {
                if (col >= row.size())
                    continue;
                const QString v = row[col];
                const qsizetype comma = v.lastIndexOf(u',');
                const qsizetype dot = v.lastIndexOf(u'.');
                if (comma >= 0 && comma > dot && v.size() - comma - 1 != 3)
                    ++commaLike; // "123,5" or "1.234,50"
                else if (dot >= 0 && comma < 0 && v.size() - dot - 1 != 3)
                    ++dotLike;   // "123.5"
                else if (comma >= 0 && dot >= 0 && comma > dot)
                    ++commaLike;
            }
        }
        fmt.dialect.decimalComma = commaLike > dotLike;
    }
    if (fmt.dialect.decimalComma)
        fmt.notes << QStringLiteral("numbers use a decimal comma");
    if (delim != ',')
        fmt.notes << QStringLiteral("delimiter %1").arg(delim == '\t' ? u"tab"_s : QString(QLatin1Char(delim)));

    if (!roleError.isEmpty()) {
        res.error = roleError;
    } else if (!fmt.header.complete()) {
        QString hint;
        int numeric = 0;
        for (const QString &c : std::as_const(columns)) {
            bool ok = false;
            c.toDouble(&ok);
            numeric += ok;
        }
        if (numeric * 2 >= columns.size() && numeric > 0)
            hint = QStringLiteral("; the first line looks like data, not a header");
        res.error = QStringLiteral("missing required columns: %1 (columns found: %2)%3")
                        .arg(fmt.header.missingRoles().join(u", "_s), columnList(columns), hint);
    }
    return res;
}

DetectResult detectFormat(const QString &path, const CsvOptions &options, const ColumnMapping &mapping)
{
    DetectResult res;
    QString error;
    auto src = openFileSource(path, false, &error);
    if (!src) {
        res.error = error;
        return res;
    }
    constexpr std::int64_t kHead = 256 * 1024;
    QByteArray head(kHead, Qt::Uninitialized);
    std::int64_t got = 0;
    for (;;) {
        const auto r = src->read(head.data() + got, kHead - got);
        if (r.status == ByteSource::ReadStatus::Error) {
            res.error = src->errorString();
            return res;
        }
        got += r.bytes;
        if (r.bytes == 0 || got == kHead)
            break;
    }
    head.resize(qsizetype(got));
    return detectFormatFromBytes(head, got < kHead, options, mapping);
}

} // namespace es
