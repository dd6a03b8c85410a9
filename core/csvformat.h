// Detecting a listings file's format: encoding, delimiter, decimal separator,
// header and the columns that play the four roles.
#pragma once

#include "bytesource.h"
#include "types.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

namespace es {

/// How numbers write their decimal point.
enum class DecimalMode : std::uint8_t { Auto, Dot, Comma };

/// What the user may force; anything left at its default is detected.
struct CsvOptions {
    char delimiter = 0; ///< 0 = detect among ',', ';', '\t', '|'
    DecimalMode decimal = DecimalMode::Auto;
    std::optional<TextEncoding> encoding; ///< unset = detect
};

/// Explicit column names for roles, overriding detection. Empty = detect.
struct ColumnMapping {
    std::array<QString, kRoleCount> names;
    QString &operator[](Role r) { return names[std::size_t(r)]; }
    const QString &operator[](Role r) const { return names[std::size_t(r)]; }
    bool isEmpty() const;
};

/// The detected (or forced) format of a file.
struct CsvDialect {
    char delimiter = ',';
    bool decimalComma = false;
    TextEncoding encoding = TextEncoding::Utf8;
    int bomBytes = 0; ///< bytes of byte-order mark at the start of the raw file
    bool headerQuotesLiteral = false; ///< the header has a quote that never closes: its quotes are plain text
};

/// The header and where each role lives.
struct HeaderInfo {
    QStringList columns;                       ///< header names, trimmed
    std::array<int, kRoleCount> roleColumn{-1, -1, -1, -1}; ///< index into columns or -1
    bool complete() const;
    QStringList missingRoles() const;           ///< role names not found
    int column(Role r) const { return roleColumn[std::size_t(r)]; }
};

/// Everything the engine needs to know before reading rows.
struct FormatInfo {
    CsvDialect dialect;
    HeaderInfo header;
    QList<QStringList> previewRows; ///< first data rows, split into fields (for a mapping dialog)
    QStringList notes;              ///< what was detected, e.g. "Latin-1 text converted to UTF-8"
};

/// Result of a detection: `error` is empty on success.
struct DetectResult {
    FormatInfo format;
    QString error;                  ///< one-line reason when the file cannot be used
    bool ok() const { return error.isEmpty(); }
};

/// Detects encoding from the first bytes of a raw file (BOM, NUL pattern,
/// UTF-8 validity). Returns the encoding and the BOM length. Sets `binary`
/// when the bytes do not look like text at all.
TextEncoding detectEncoding(const QByteArray &head, int *bomBytes, bool *binary);

/// Detects the delimiter from UTF-8 text (first lines).
char detectDelimiter(const QByteArray &utf8Head);

/// Splits one CSV record (no trailing newline) into unquoted, untrimmed fields.
QStringList splitRecord(QByteArrayView record, char delimiter);

/// Finds the role columns in `columns` (case-insensitive, ignoring spaces,
/// underscores and dashes), honouring explicit names in `mapping`. Explicit
/// names that are not in the header are reported in `error`.
HeaderInfo detectRoles(const QStringList &columns, const ColumnMapping &mapping, QString *error,
                       QStringList *notes = nullptr);

/// Reads the start of the file at `path` and detects everything. Does not
/// read more than a few hundred KiB.
DetectResult detectFormat(const QString &path, const CsvOptions &options, const ColumnMapping &mapping);
/// Same on bytes already in memory (the raw start of a file).
DetectResult detectFormatFromBytes(const QByteArray &rawHead, bool wholeFile, const CsvOptions &options,
                                   const ColumnMapping &mapping);

} // namespace es
