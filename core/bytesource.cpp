#include "bytesource.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QStringDecoder>

#include <algorithm>
#include <cstring>

namespace es {
namespace {

class FileSource final : public ByteSource {
public:
    FileSource(const QString &path, bool follow) : m_file(path), m_follow(follow) {}

    bool open(QString *error)
    {
        const QFileInfo info(m_file.fileName());
        if (!info.exists()) {
            *error = QStringLiteral("file not found: %1").arg(m_file.fileName());
            return false;
        }
        if (info.isDir()) {
            *error = QStringLiteral("%1 is a directory, not a CSV file").arg(m_file.fileName());
            return false;
        }
        if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
            *error = QStringLiteral("cannot read %1: %2").arg(m_file.fileName(), m_file.errorString());
            return false;
        }
        m_sequential = m_file.isSequential(); // a pipe or a device: no size, no truncation check
        m_size = m_sequential ? -1 : m_file.size();
        return true;
    }

    ReadResult read(char *dst, std::int64_t max) override
    {
        const qint64 n = m_file.read(dst, max);
        if (n < 0) {
            m_error = QStringLiteral("read error in %1: %2").arg(displayName(), m_file.errorString());
            return {0, ReadStatus::Error};
        }
        m_pos += n;
        if (n > 0) {
            if (!m_sequential)
                m_size = std::max<std::int64_t>(m_size, m_pos); // grew while read
            return {n, ReadStatus::Data};
        }
        if (m_sequential)
            return {0, m_follow ? ReadStatus::WouldBlock : ReadStatus::End};
        // At the end as far as the file is now: was it cut shorter than what we read?
        const qint64 nowSize = QFileInfo(m_file.fileName()).exists() ? m_file.size() : m_pos;
        if (nowSize < m_pos) {
            m_error = QStringLiteral("%1 was truncated while being read (now %2 bytes, %3 already read)")
                          .arg(displayName())
                          .arg(nowSize)
                          .arg(m_pos);
            return {0, ReadStatus::Error};
        }
        return {0, m_follow ? ReadStatus::WouldBlock : ReadStatus::End};
    }

    std::int64_t size() const override { return m_follow || m_sequential ? -1 : m_size; }
    std::int64_t position() const override { return m_pos; }
    QString errorString() const override { return m_error; }
    QString displayName() const override { return QFileInfo(m_file.fileName()).fileName(); }

private:
    QFile m_file;
    bool m_follow;
    bool m_sequential = false;
    std::int64_t m_size = 0;
    std::int64_t m_pos = 0;
    QString m_error;
};

class MemorySource final : public ByteSource {
public:
    MemorySource(QByteArray data, QString name) : m_data(std::move(data)), m_name(std::move(name)) {}
    ReadResult read(char *dst, std::int64_t max) override
    {
        const std::int64_t n = std::min<std::int64_t>(max, m_data.size() - m_pos);
        if (n <= 0)
            return {0, ReadStatus::End};
        std::memcpy(dst, m_data.constData() + m_pos, std::size_t(n));
        m_pos += n;
        return {n, ReadStatus::Data};
    }
    std::int64_t size() const override { return m_data.size(); }
    std::int64_t position() const override { return m_pos; }
    QString errorString() const override { return {}; }
    QString displayName() const override { return m_name; }

private:
    QByteArray m_data;
    QString m_name;
    std::int64_t m_pos = 0;
};

class PrefixedSource final : public ByteSource {
public:
    PrefixedSource(QByteArray prefix, std::unique_ptr<ByteSource> inner)
        : m_prefix(std::move(prefix)), m_inner(std::move(inner))
    {
    }
    ReadResult read(char *dst, std::int64_t max) override
    {
        if (m_pos < m_prefix.size()) {
            const std::int64_t n = std::min<std::int64_t>(max, m_prefix.size() - m_pos);
            std::memcpy(dst, m_prefix.constData() + m_pos, std::size_t(n));
            m_pos += n;
            if (m_pos == m_prefix.size())
                m_prefix = QByteArray(); // free it
            return {n, ReadStatus::Data};
        }
        return m_inner->read(dst, max);
    }
    std::int64_t size() const override { return m_inner->size(); }
    std::int64_t position() const override
    {
        return m_inner->position() - (m_prefix.isEmpty() ? 0 : m_prefix.size() - m_pos);
    }
    QString errorString() const override { return m_inner->errorString(); }
    QString displayName() const override { return m_inner->displayName(); }

private:
    QByteArray m_prefix;
    std::unique_ptr<ByteSource> m_inner;
    std::int64_t m_pos = 0;
};

// Converts UTF-16 or Latin-1 to UTF-8 on the fly (streaming: a character split
// across reads is kept by the decoder's state).
class TranscodingSource final : public ByteSource {
public:
    TranscodingSource(std::unique_ptr<ByteSource> inner, QStringConverter::Encoding from)
        : m_inner(std::move(inner)), m_decoder(from)
    {
    }

    ReadResult read(char *dst, std::int64_t max) override
    {
        ReadStatus last = ReadStatus::Data;
        while (m_pending.size() - m_pendingPos < max && !m_innerDone) {
            m_raw.resize(std::max<qsizetype>(4096, qsizetype(max / 2)));
            const ReadResult r = m_inner->read(m_raw.data(), m_raw.size());
            if (r.status == ReadStatus::Error)
                return r;
            if (r.bytes > 0) {
                const QString text = m_decoder(QByteArrayView(m_raw.constData(), qsizetype(r.bytes)));
                compact();
                m_pending += text.toUtf8();
            }
            if (r.status == ReadStatus::End)
                m_innerDone = true;
            if (r.status == ReadStatus::WouldBlock) {
                last = ReadStatus::WouldBlock;
                break;
            }
            if (r.bytes == 0)
                break;
        }
        const std::int64_t n = std::min<std::int64_t>(max, m_pending.size() - m_pendingPos);
        if (n > 0) {
            std::memcpy(dst, m_pending.constData() + m_pendingPos, std::size_t(n));
            m_pendingPos += n;
            return {n, ReadStatus::Data};
        }
        if (m_innerDone)
            return {0, ReadStatus::End};
        return {0, last};
    }
    std::int64_t size() const override { return m_inner->size(); }
    std::int64_t position() const override { return m_inner->position(); }
    QString errorString() const override { return m_inner->errorString(); }
    QString displayName() const override { return m_inner->displayName(); }

private:
    void compact()
    {
        if (m_pendingPos > 0) {
            m_pending.remove(0, m_pendingPos);
            m_pendingPos = 0;
        }
    }
    std::unique_ptr<ByteSource> m_inner;
    QStringDecoder m_decoder;
    QByteArray m_raw;
    QByteArray m_pending;
    qsizetype m_pendingPos = 0;
    bool m_innerDone = false;
};

} // namespace

std::unique_ptr<ByteSource> openFileSource(const QString &path, bool follow, QString *error)
{
    auto src = std::make_unique<FileSource>(path, follow);
    QString err;
    if (!src->open(&err)) {
        if (error)
            *error = err;
        return nullptr;
    }
    return src;
}

QString encodingName(TextEncoding e)
{
    switch (e) {
    case TextEncoding::Utf8: return QStringLiteral("UTF-8");
    case TextEncoding::Utf16LE: return QStringLiteral("UTF-16LE");
    case TextEncoding::Utf16BE: return QStringLiteral("UTF-16BE");
    case TextEncoding::Latin1: return QStringLiteral("Latin-1");
    }
    return {};
}

std::unique_ptr<ByteSource> makeUtf8Source(std::unique_ptr<ByteSource> inner, TextEncoding from)
{
    switch (from) {
    case TextEncoding::Utf8: return inner;
    case TextEncoding::Utf16LE:
        return std::make_unique<TranscodingSource>(std::move(inner), QStringConverter::Utf16LE);
    case TextEncoding::Utf16BE:
        return std::make_unique<TranscodingSource>(std::move(inner), QStringConverter::Utf16BE);
    case TextEncoding::Latin1:
        return std::make_unique<TranscodingSource>(std::move(inner), QStringConverter::Latin1);
    }
    return inner;
}

std::unique_ptr<ByteSource> makePrefixedSource(QByteArray prefix, std::unique_ptr<ByteSource> inner)
{
    if (prefix.isEmpty())
        return inner;
    return std::make_unique<PrefixedSource>(std::move(prefix), std::move(inner));
}

std::unique_ptr<ByteSource> makeMemorySource(QByteArray data, QString name)
{
    return std::make_unique<MemorySource>(std::move(data), std::move(name));
}

} // namespace es
