// Where the bytes of a listings stream come from. The engine only ever pulls
// bytes through this interface, so a plain file, a file that grows while it is
// read (tail -f) and, later, a Kafka topic (messages framed as CSV lines) plug
// in without touching the parser or the aggregator.
#pragma once

#include <QString>

#include <cstdint>
#include <memory>

namespace es {

class ByteSource {
public:
    enum class ReadStatus : std::uint8_t { Data, End, Error, WouldBlock };
    struct ReadResult {
        std::int64_t bytes = 0; ///< bytes written to the buffer (may be > 0 with any status but Error)
        ReadStatus status = ReadStatus::Data;
    };

    virtual ~ByteSource() = default;
    /// Reads up to `max` bytes. `End` means no more data will ever come;
    /// `WouldBlock` means none now but more may arrive (following sources).
    virtual ReadResult read(char *dst, std::int64_t max) = 0;
    /// Total size in bytes for progress, or -1 when unknown (streams).
    virtual std::int64_t size() const = 0;
    /// Bytes consumed from the underlying medium so far (for progress).
    virtual std::int64_t position() const = 0;
    /// Human readable description of the last error.
    virtual QString errorString() const = 0;
    /// Short name for messages, e.g. the file name.
    virtual QString displayName() const = 0;
};

/// Opens `path` for reading. `follow` makes the source wait for appended data
/// (like tail -f) instead of ending at the current end of file. Returns nullptr
/// and sets `error` to a one-line reason (not found, a directory, unreadable).
std::unique_ptr<ByteSource> openFileSource(const QString &path, bool follow, QString *error);

/// Text encodings the core understands; everything is converted to UTF-8 before parsing.
enum class TextEncoding : std::uint8_t { Utf8, Utf16LE, Utf16BE, Latin1 };
QString encodingName(TextEncoding e);

/// Wraps `inner` so that it yields UTF-8. For Utf8 it returns `inner` unchanged.
std::unique_ptr<ByteSource> makeUtf8Source(std::unique_ptr<ByteSource> inner, TextEncoding from);

/// Yields `prefix` first, then the rest of `inner` (bytes already read for detection).
std::unique_ptr<ByteSource> makePrefixedSource(QByteArray prefix, std::unique_ptr<ByteSource> inner);

/// An in-memory source (tests, previews).
std::unique_ptr<ByteSource> makeMemorySource(QByteArray data, QString name = QStringLiteral("memory"));

} // namespace es
