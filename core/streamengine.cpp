#include "streamengine.h"

#include "bytesource.h"
#include "chunkparser.h"
#include "exporter.h"
#include "logging.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QThread>
#include <QThreadPool>
#include <QWaitCondition>
#include <QtConcurrent/QtConcurrentRun>

#include <spdlog/spdlog.h>

#include <atomic>
#include <deque>
#include <thread>

namespace es {

namespace {

constexpr std::int64_t kBlockBytes = 8 << 20;       // read size in fast mode
constexpr std::int64_t kFastChunkBytes = 2 << 20;   // work unit for a parser thread
constexpr std::int64_t kMaxRecordBytes = 16 << 20;  // longer records are cut and rejected
constexpr std::int64_t kDetectBytes = 256 << 10;
constexpr std::uint32_t kMaxLabels = 65000;        // ids are 16-bit in the store

using ChunkPtr = std::shared_ptr<ChunkResult>;

std::string str(const QString &s) { return s.toStdString(); }

/// Global dictionary: names -> 16-bit ids, in first-seen order.
class Dictionary {
public:
    std::uint16_t id(const std::string &name, bool *overflow)
    {
        const auto it = m_ids.constFind(QByteArray::fromStdString(name));
        if (it != m_ids.cend())
            return *it;
        if (std::uint32_t(m_names.size()) >= kMaxLabels) {
            *overflow = true;
            return id(std::string("(other)"), overflow);
        }
        const auto v = std::uint16_t(m_names.size());
        m_ids.insert(QByteArray::fromStdString(name), v);
        m_names << QString::fromStdString(name);
        return v;
    }
    const QStringList &names() const { return m_names; }

private:
    QHash<QByteArray, std::uint16_t> m_ids;
    QStringList m_names;
};

} // namespace

// ---------------------------------------------------------------------------
// The run: one start() to its end, driven by its own thread, parsing on a pool.
// ---------------------------------------------------------------------------
class StreamEngine::Run {
public:
    Run(StreamEngine *engine, quint64 id, StreamConfig cfg) : m_engine(engine), m_id(id), m_cfg(std::move(cfg))
    {
        const int threads = m_cfg.threads > 0 ? m_cfg.threads : QThread::idealThreadCount();
        m_pool.setMaxThreadCount(std::max(1, threads));
        m_threads = std::max(1, threads);
        m_paused = m_cfg.startPaused;
        m_rate = m_cfg.rate;
        m_batchSize = std::max(1, m_cfg.batchSize);
    }
    ~Run() { join(); }

    void launch()
    {
        m_thread = std::thread([this] { drive(); });
    }
    void join()
    {
        cancel();
        if (m_thread.joinable())
            m_thread.join();
        m_pool.waitForDone();
    }
    void cancel()
    {
        QMutexLocker lock(&m_mutex);
        m_cancel = true;
        m_cond.wakeAll();
    }
    bool done() const { return m_done.load(); }

    void setPaused(bool p)
    {
        QMutexLocker lock(&m_mutex);
        m_paused = p;
        m_pacingReset = true;
        m_cond.wakeAll();
    }
    void step()
    {
        QMutexLocker lock(&m_mutex);
        ++m_steps;
        m_cond.wakeAll();
    }
    void setRate(double r)
    {
        QMutexLocker lock(&m_mutex);
        m_rate = std::max(0.0, r);
        m_pacingReset = true;
        m_cond.wakeAll();
    }
    void setBatchSize(int n)
    {
        QMutexLocker lock(&m_mutex);
        m_batchSize = std::max(1, n);
    }
    /// The input ends here: what was read is processed as fast as possible, then the run finishes.
    void finishInput()
    {
        QMutexLocker lock(&m_mutex);
        m_finishInput = true;
        m_paused = false;
        m_rate = 0;
        m_cond.wakeAll();
    }

private:
    // ---- delivery to the engine's thread (dropped there if the run is stale) ----
    void postIssue(Issue::Severity sev, const QString &msg, std::int64_t line = 0)
    {
        Issue issue{sev, msg, m_displayName, line};
        auto log = logs::stream();
        if (sev == Issue::Severity::Error)
            log->error("{}", str(msg));
        else if (sev == Issue::Severity::Warning)
            log->warn("{}", str(msg));
        else
            log->info("{}", str(msg));
        StreamEngine *e = m_engine;
        const quint64 id = m_id;
        QMetaObject::invokeMethod(e, [e, id, issue] { e->deliverIssue(id, issue); }, Qt::QueuedConnection);
    }
    void postSnapshot(const SnapshotPtr &s)
    {
        StreamEngine *e = m_engine;
        const quint64 id = m_id;
        QMetaObject::invokeMethod(e, [e, id, s] { e->deliverSnapshot(id, s); }, Qt::QueuedConnection);
    }
    void postEnd(State st, const SnapshotPtr &s, const QString &reason)
    {
        StreamEngine *e = m_engine;
        const quint64 id = m_id;
        QMetaObject::invokeMethod(e, [e, id, st, s, reason] { e->deliverEnd(id, st, s, reason); },
                                  Qt::QueuedConnection);
    }
    void postExport(const QString &path, bool ok, const QString &msg)
    {
        StreamEngine *e = m_engine;
        const quint64 id = m_id;
        QMetaObject::invokeMethod(e, [e, id, path, ok, msg] { e->deliverExport(id, path, ok, msg); },
                                  Qt::QueuedConnection);
    }
    void postStarted(const FormatInfo &f)
    {
        StreamEngine *e = m_engine;
        const quint64 id = m_id;
        QMetaObject::invokeMethod(
            e,
            [e, id, f] {
                if (id == e->m_runId)
                    Q_EMIT e->started(f);
            },
            Qt::QueuedConnection);
    }

    bool cancelled()
    {
        QMutexLocker lock(&m_mutex);
        return m_cancel;
    }

    // ---- reading ----
    /// Appends up to `want` bytes to m_buf. Returns the status of the last read.
    ByteSource::ReadStatus fill(std::int64_t want)
    {
        const std::int64_t have = m_buf->size();
        m_buf->resize(qsizetype(have + want));
        std::int64_t got = 0;
        ByteSource::ReadStatus status = ByteSource::ReadStatus::Data;
        while (got < want) {
            const auto r = m_source->read(m_buf->data() + have + got, want - got);
            got += r.bytes;
            status = r.status;
            if (r.status != ByteSource::ReadStatus::Data || r.bytes == 0)
                break;
        }
        m_buf->resize(qsizetype(have + got));
        return status;
    }

    /// Starts a new buffer holding the unconsumed tail of the old one.
    void compact()
    {
        // Reuse a buffer no chunk refers to any more: its pages are already mapped.
        std::shared_ptr<QByteArray> fresh;
        for (const auto &spare : m_spare)
            if (spare.use_count() == 1 && spare != m_buf) {
                fresh = spare;
                break;
            }
        if (!fresh) {
            fresh = std::make_shared<QByteArray>();
            if (m_spare.size() < 4)
                m_spare.push_back(fresh);
        }
        fresh->resize(0);
        const qsizetype tail = m_buf->size() - qsizetype(m_consumed);
        fresh->reserve(qsizetype(std::max<std::int64_t>(kBlockBytes, tail * 2)) + 64);
        fresh->append(m_buf->constData() + m_consumed, tail);
        m_buf = std::move(fresh);
        m_consumed = 0;
    }

    // ---- parsing and merging ----
    QFuture<ChunkPtr> dispatch(std::size_t from, std::size_t len, bool literal)
    {
        ParseConfig pc = m_parse;
        pc.quotesLiteral = literal;
        std::shared_ptr<const QByteArray> buf = m_buf;
        const std::int64_t seq = m_nextSeq++;
        return QtConcurrent::run(&m_pool, [buf, from, len, pc, seq] {
            auto r = std::make_shared<ChunkResult>();
            r->sequence = seq;
            parseChunk(buf->constData() + from, len, pc, *r);
            r->price.shrink_to_fit(); // they become store blocks: no slack
            r->area.shrink_to_fit();
            return r;
        });
    }

    void merge(ChunkResult &r)
    {
        StreamCounters c = r.counters;
        c.batches = 1;
        c.bytesRead = 0;
        m_counters.merge(c);
        for (int k = 0; k < kRejectReasonCount; ++k)
            for (std::int64_t rel : r.rejectLines.lines[std::size_t(k)])
                m_rejects.add(RejectReason(k), m_lineBase + rel + 1);
        m_lineBase += r.lines;
        bool overflow = false;
        std::vector<std::uint16_t> dmap, tmap;
        dmap.reserve(r.districts.size());
        tmap.reserve(r.types.size());
        for (const auto &s : r.districts.strings())
            dmap.push_back(m_districts.id(s, &overflow));
        for (const auto &s : r.types.strings())
            tmap.push_back(m_types.id(s, &overflow));
        if (overflow && !m_overflowReported) {
            m_overflowReported = true;
            postIssue(Issue::Severity::Warning,
                      QStringLiteral("more than %1 distinct districts or types; the rest are grouped as \"(other)\"")
                          .arg(kMaxLabels));
        }
        r.groups.forEach([&](std::uint32_t d, std::uint32_t t, const GroupStats &s) {
            m_groups.at(dmap[d], tmap[t]).merge(s);
        });
        const std::size_t n = r.price.size();
        if (n < 4096) { // small batches are gathered into shared blocks
            for (std::size_t i = 0; i < n; ++i)
                m_store.append(dmap[r.district[i]], tmap[r.type[i]], r.price[i], r.area[i]);
        } else {
            auto block = std::make_unique<ListingBlock>();
            block->district.resize(n);
            block->type.resize(n);
            for (std::size_t i = 0; i < n; ++i)
                block->district[i] = dmap[r.district[i]];
            for (std::size_t i = 0; i < n; ++i)
                block->type[i] = tmap[r.type[i]];
            block->price = std::move(r.price);
            block->area = std::move(r.area);
            m_store.appendBlock(std::move(block));
        }
        m_dirty = true;
        m_exportDirty = true;
        auto log = logs::stream();
        if (log->should_log(spdlog::level::debug))
            log->debug("batch {}: {} rows, {} accepted, {} filtered, {} rejected", r.sequence, r.counters.rowsRead,
                       r.counters.accepted, r.counters.filteredOut, r.counters.rejected);
        if (m_lastProgressLog.elapsed() >= 5000) {
            m_lastProgressLog.restart();
            log->info("progress: {} batches, {} rows read, {} accepted, {} rejected, {} MB read",
                      m_counters.batches, m_counters.rowsRead, m_counters.accepted, m_counters.rejected,
                      m_source ? m_source->position() >> 20 : 0);
        }
    }

    /// Merges finished chunks in order; with `all`, waits for every one.
    void collect(bool all, std::size_t keepAtMost = 0)
    {
        while (!m_inflight.empty()) {
            QFuture<ChunkPtr> &f = m_inflight.front();
            if (!all && m_inflight.size() <= keepAtMost && !f.isFinished())
                break;
            ChunkPtr r = f.result();
            m_inflight.pop_front();
            merge(*r);
        }
    }

    std::vector<GroupRow> groupRows(GroupRow *totals) const
    {
        std::vector<GroupRow> rows;
        rows.reserve(m_groups.size());
        GroupRow all;
        all.district = QStringLiteral("All");
        all.type = QStringLiteral("All");
        const QStringList &dn = m_districts.names();
        const QStringList &tn = m_types.names();
        m_groups.forEach([&](std::uint32_t d, std::uint32_t t, const GroupStats &s) {
            GroupRow g;
            g.district = dn.value(int(d));
            g.type = tn.value(int(t));
            g.stats = s;
            all.stats.merge(s);
            rows.push_back(std::move(g));
        });
        sortGroups(rows);
        if (totals)
            *totals = all;
        return rows;
    }

    SnapshotPtr makeSnapshot(bool final)
    {
        auto s = std::make_shared<StreamSnapshot>();
        s->runId = m_id;
        s->sequence = m_snapshotSeq++;
        s->final = final;
        s->elapsedSeconds = double(m_clock.nsecsElapsed()) / 1e9;
        s->counters = m_counters;
        s->counters.bytesRead = m_source ? m_source->position() : 0;
        s->counters.bytesTotal = m_source ? m_source->size() : -1;
        if (final && s->counters.bytesTotal >= 0)
            s->counters.bytesTotal = std::max(s->counters.bytesTotal, s->counters.bytesRead);
        s->rowsPerSecond = s->elapsedSeconds > 0 ? double(m_counters.rowsRead) / s->elapsedSeconds : 0;
        s->rejectLines = m_rejects;
        s->groups = groupRows(&s->totals);
        s->store = m_store.snapshot(m_districts.names(), m_types.names());
        s->format = m_format;
        if (final)
            computeMedians(*s->store, s->groups, s->totals, &m_pool);
        m_dirty = false;
        m_lastSnapshot.restart();
        return s;
    }

    void maybeSnapshot(bool force = false)
    {
        const qint64 minGap = 1000 / std::max(1, m_cfg.maxSnapshotsPerSecond);
        if (m_dirty && (force || m_lastSnapshot.elapsed() >= minGap))
            postSnapshot(makeSnapshot(false));
    }

    /// Periodic export (final == nullptr) or the final one from the last snapshot.
    void maybeExport(const StreamSnapshot *final)
    {
        if (m_cfg.exportPath.isEmpty())
            return;
        if (!final && (m_cfg.exportEverySeconds <= 0 || !m_exportDirty ||
                       m_lastExport.elapsed() < qint64(m_cfg.exportEverySeconds * 1000)))
            return;
        m_lastExport.restart();
        m_exportDirty = false;
        std::vector<GroupRow> rows;
        if (final) {
            rows = final->groups;
        } else {
            GroupRow totals;
            rows = groupRows(&totals);
            computeMedians(*m_store.snapshot(m_districts.names(), m_types.names()), rows, totals, &m_pool);
        }
        QString error;
        const bool ok = exportAggregates(m_cfg.exportPath, rows, &error);
        if (ok) {
            logs::stream()->info("exported {} groups to {}", rows.size(), str(m_cfg.exportPath));
            postExport(m_cfg.exportPath, true, QStringLiteral("%1 groups written").arg(rows.size()));
        } else {
            m_exportDirty = true; // the next period tries again
            postIssue(Issue::Severity::Error, QStringLiteral("export failed: %1").arg(error));
            postExport(m_cfg.exportPath, false, error);
        }
    }

    // ---- the driver loop ----
    /// Waits while paused; returns false when cancelled. Sets `stepping` when a step was granted.
    bool waitForGo(bool *stepping)
    {
        QMutexLocker lock(&m_mutex);
        *stepping = false;
        while (!m_cancel && m_paused && m_steps == 0) {
            lock.unlock();
            collect(true);
            maybeSnapshot(true);
            lock.relock();
            if (!m_cancel && m_paused && m_steps == 0)
                m_cond.wait(&m_mutex, 200);
        }
        if (m_cancel)
            return false;
        if (m_paused && m_steps > 0) {
            --m_steps;
            *stepping = true;
        }
        return true;
    }

    /// Sleeps until the paced schedule allows `rows` more rows. Returns false when cancelled.
    bool pace(std::int64_t rows)
    {
        for (;;) {
            QMutexLocker lock(&m_mutex);
            if (m_cancel)
                return false;
            const double rate = m_rate;
            if (rate <= 0 || m_paused)
                return true;
            if (m_pacingReset) {
                m_pacingReset = false;
                m_paceClock.restart();
                m_pacedRows = 0;
            }
            const double dueMs = double(m_pacedRows) / rate * 1000.0;
            const double nowMs = double(m_paceClock.nsecsElapsed()) / 1e6;
            if (nowMs >= dueMs) {
                m_pacedRows += rows;
                return true;
            }
            const auto waitMs = static_cast<unsigned long>(std::max(1.0, std::min(dueMs - nowMs, 50.0)));
            m_cond.wait(&m_mutex, waitMs);
            lock.unlock();
            maybeSnapshot();
        }
    }

    bool open(QString *error)
    {
        std::unique_ptr<ByteSource> raw = m_cfg.openSource ? m_cfg.openSource(error)
                                                           : openFileSource(m_cfg.path, m_cfg.follow, error);
        if (!raw)
            return false;
        m_displayName = raw->displayName();
        // Detect the format on the first bytes, then replay them.
        QByteArray head(qsizetype(kDetectBytes), Qt::Uninitialized);
        std::int64_t got = 0;
        for (int spins = 0; got < kDetectBytes;) {
            const auto r = raw->read(head.data() + got, kDetectBytes - got);
            got += r.bytes;
            if (r.status == ByteSource::ReadStatus::Error) {
                *error = raw->errorString();
                return false;
            }
            if (r.status == ByteSource::ReadStatus::End)
                break;
            if (r.status == ByteSource::ReadStatus::WouldBlock) {
                if (got > 0 || ++spins > 50 || cancelled())
                    break;
                QThread::msleep(100);
            }
        }
        head.resize(qsizetype(got));
        const bool whole = got < kDetectBytes;
        DetectResult det = detectFormatFromBytes(head, whole, m_cfg.csv, m_cfg.mapping);
        if (!det.ok()) {
            *error = QStringLiteral("%1: %2").arg(m_displayName, det.error);
            return false;
        }
        m_format = det.format;
        const CsvDialect &d = m_format.dialect;
        m_source = makeUtf8Source(makePrefixedSource(head.mid(d.bomBytes), std::move(raw)), d.encoding);
        m_parse.delimiter = d.delimiter;
        m_parse.decimalComma = d.decimalComma;
        m_parse.fieldCount = int(m_format.header.columns.size());
        m_parse.districtColumn = m_format.header.column(Role::District);
        m_parse.typeColumn = m_format.header.column(Role::Type);
        m_parse.priceColumn = m_format.header.column(Role::Price);
        m_parse.areaColumn = m_format.header.column(Role::Area);
        m_parse.minPrice = m_cfg.minPrice;
        m_parse.minArea = m_cfg.minArea;
        return true;
    }

    /// Reads and drops the header record. Returns false on a read error.
    bool skipHeader(QString *error)
    {
        for (;;) {
            std::size_t recs = 0;
            const SplitResult r = nthRecordEnd(m_buf->constData(), std::size_t(m_buf->size()), m_parse.delimiter,
                                               m_format.dialect.headerQuotesLiteral, 1, &recs);
            if (recs >= 1 || m_eof) {
                const std::size_t end = recs >= 1 ? r.end : std::size_t(m_buf->size());
                for (std::size_t i = 0; i < end; ++i) {
                    const char c = (*m_buf)[qsizetype(i)];
                    if (c == '\n' || (c == '\r' && !(i + 1 < end && (*m_buf)[qsizetype(i + 1)] == '\n')))
                        ++m_lineBase;
                }
                if (end > 0 && m_lineBase == 0)
                    m_lineBase = 1;
                m_consumed = end;
                return true;
            }
            const auto st = fill(kDetectBytes);
            if (st == ByteSource::ReadStatus::Error) {
                *error = m_source->errorString();
                return false;
            }
            if (st == ByteSource::ReadStatus::End)
                m_eof = true;
        }
    }

    void drive()
    {
        m_clock.start();
        m_lastSnapshot.start();
        m_lastExport.start();
        m_lastProgressLog.start();
        m_paceClock.start();
        auto log = logs::stream();
        QString error;
        m_buf = std::make_shared<QByteArray>();
        if (!open(&error) || !skipHeader(&error)) {
            log->error("cannot stream {}: {}", str(m_cfg.path), str(error));
            m_done = true;
            postEnd(State::Failed, nullptr, error);
            return;
        }
        log->info("streaming {} (delimiter '{}', {} columns, {}{}; batch {}, rate {}/s, {} threads)",
                  str(m_displayName), m_parse.delimiter == '\t' ? std::string("\\t") : std::string(1, m_parse.delimiter),
                  m_parse.fieldCount, str(encodingName(m_format.dialect.encoding)),
                  m_parse.decimalComma ? ", decimal comma" : "", m_batchSize, m_rate, m_threads);
        for (const QString &n : std::as_const(m_format.notes))
            postIssue(Issue::Severity::Info, n);
        postStarted(m_format);

        bool failed = false;
        bool wouldBlock = false;
        const std::size_t maxInflight = std::size_t(m_threads) * 3;
        bool endedEarly = false; // finishInput(): no more reading
        while (true) {
            bool stepping = false;
            if (!waitForGo(&stepping))
                break;
            double rate;
            std::size_t batch;
            {
                QMutexLocker lock(&m_mutex);
                rate = m_rate;
                batch = std::size_t(m_batchSize);
                if (m_finishInput && !m_eof) {
                    m_eof = true;
                    endedEarly = true;
                    log->info("input of {} ended on request after {} MB", str(m_displayName),
                              m_source->position() >> 20);
                }
            }
            const bool paced = stepping || rate > 0;

            // Find the next cut in the unconsumed bytes.
            const char *data = m_buf->constData() + m_consumed;
            const std::size_t avail = std::size_t(m_buf->size()) - m_consumed;
            SplitResult cut;
            std::size_t records = 0;
            if (paced) {
                cut = nthRecordEnd(data, avail, m_parse.delimiter, m_literal, batch, &records);
                if (records < batch && !m_eof && avail < std::size_t(kMaxRecordBytes))
                    cut.end = 0; // read more first
            } else {
                cut = lastRecordEnd(data, std::min<std::size_t>(avail, kFastChunkBytes), m_parse.delimiter, m_literal);
                if (avail > std::size_t(kFastChunkBytes) && cut.end == 0)
                    cut = lastRecordEnd(data, avail, m_parse.delimiter, m_literal);
            }
            if (cut.end == 0) {
                if (m_eof) {
                    if (avail == 0)
                        break;
                    if (endedEarly) { // an unfinished line: its writer may not be done with it
                        postIssue(Issue::Severity::Warning,
                                  QStringLiteral("the stream was ended with an unfinished last line (%1 bytes, "
                                                 "line %2); it was not read")
                                      .arg(avail)
                                      .arg(m_lineBase + 1),
                                  m_lineBase + 1);
                        m_consumed += avail;
                        break;
                    }
                    // The rest has no line end: it is the last record.
                    if (!m_literal && endsInOpenQuote(data, avail, m_parse.delimiter)) {
                        reportUnbalancedQuote();
                        m_literal = true;
                        continue;
                    }
                    m_inflight.push_back(dispatch(m_consumed, avail, m_literal));
                    m_consumed += avail;
                    continue;
                }
                if (std::int64_t(avail) >= kMaxRecordBytes) {
                    const SplitResult any = lastRecordEnd(data, avail, m_parse.delimiter, m_literal);
                    if (any.endsInQuote && !m_literal) {
                        reportUnbalancedQuote();
                        m_literal = true;
                        continue;
                    }
                    postIssue(Issue::Severity::Warning,
                              QStringLiteral("line %1 is longer than %2 MiB; it was cut and rejected")
                                  .arg(m_lineBase + 1)
                                  .arg(kMaxRecordBytes >> 20),
                              m_lineBase + 1);
                    m_inflight.push_back(dispatch(m_consumed, avail, true));
                    m_consumed += avail;
                    m_skipToLineEnd = true;
                }
                // Need more bytes. A granted step is kept for the next round.
                if (stepping) {
                    QMutexLocker lock(&m_mutex);
                    ++m_steps;
                }
                collect(false, maxInflight);
                if (m_consumed > 0 || m_buf->capacity() - m_buf->size() < kBlockBytes / 2)
                    compact();
                const std::int64_t want = paced ? std::max<std::int64_t>(kDetectBytes, std::int64_t(batch) * 512)
                                                : kBlockBytes;
                const auto st = fill(std::min(want, kBlockBytes));
                if (m_skipToLineEnd)
                    dropUntilLineEnd();
                if (st == ByteSource::ReadStatus::Error) {
                    error = m_source->errorString();
                    failed = true;
                    break;
                }
                if (st == ByteSource::ReadStatus::End)
                    m_eof = true;
                if (st == ByteSource::ReadStatus::WouldBlock) {
                    if (!wouldBlock)
                        log->info("waiting for more data in {}", str(m_displayName));
                    wouldBlock = true;
                    collect(true);
                    maybeSnapshot(true);
                    maybeExport(nullptr); // what arrived before the pause is exported on schedule
                    QMutexLocker lock(&m_mutex);
                    if (!m_cancel)
                        m_cond.wait(&m_mutex, 250);
                } else {
                    wouldBlock = false;
                }
                continue;
            }
            if (paced && !pace(std::int64_t(records)))
                break;
            // A quoted-field fallback lasts only until the record that needed it is consumed.
            m_inflight.push_back(dispatch(m_consumed, cut.end, m_literal));
            m_consumed += cut.end;
            m_literal = false;
            if (paced) {
                collect(true);
                maybeSnapshot(stepping);
            } else {
                collect(false, maxInflight);
                maybeSnapshot();
            }
            maybeExport(nullptr);
        }

        if (cancelled()) {
            for (auto &f : m_inflight)
                f.waitForFinished();
            log->info("stream of {} cancelled after {} rows", str(m_displayName), m_counters.rowsRead);
            m_done = true;
            return; // the engine already said cancelled()
        }
        collect(true);
        if (failed) {
            log->error("stream of {} failed: {}", str(m_displayName), str(error));
            SnapshotPtr partial = makeSnapshot(true);
            maybeExport(partial.get());
            m_done = true;
            postEnd(State::Failed, partial, error);
            return;
        }
        reportCaseVariants(m_districts.names(), QStringLiteral("districts"));
        reportCaseVariants(m_types.names(), QStringLiteral("property types"));
        SnapshotPtr fin = makeSnapshot(true);
        logSummary(*fin);
        maybeExport(fin.get());
        m_done = true;
        postEnd(State::Finished, fin, {});
    }

    /// Labels that differ only in letter case ("Lisboa", "LISBOA") stay separate
    /// groups, as in the file; a warning names a few so that the user can tell.
    void reportCaseVariants(const QStringList &names, const QString &what)
    {
        QHash<QString, QString> firstByFolded;
        QStringList examples;
        int pairs = 0;
        for (const QString &n : names) {
            const QString folded = n.toCaseFolded();
            const auto it = firstByFolded.constFind(folded);
            if (it == firstByFolded.cend()) {
                firstByFolded.insert(folded, n);
                continue;
            }
            if (++pairs <= 3)
                examples << QStringLiteral("\"%1\" / \"%2\"").arg(*it, n);
        }
        if (pairs > 0)
            postIssue(Issue::Severity::Warning,
                      QStringLiteral("%1 that differ only in letter case are kept as separate groups: %2%3")
                          .arg(what, examples.join(u", "),
                               pairs > 3 ? QStringLiteral(" and %1 more").arg(pairs - 3) : QString()));
    }

    void reportUnbalancedQuote()
    {
        collect(true); // line numbers are known once every earlier chunk is merged
        postIssue(Issue::Severity::Warning,
                  QStringLiteral("a quoted field opened near line %1 is never closed; quotes there are read as "
                                 "ordinary characters")
                      .arg(m_lineBase + 1),
                  m_lineBase + 1);
    }

    /// Drops the rest of an over-long line, up to and including its line end
    /// (a CRLF split across reads included).
    void dropUntilLineEnd()
    {
        const char *data = m_buf->constData() + m_consumed;
        const std::size_t avail = std::size_t(m_buf->size()) - m_consumed;
        std::size_t i = 0;
        if (m_dropLineFeed) {
            if (avail == 0)
                return;
            m_dropLineFeed = false;
            if (data[0] == '\n')
                ++i;
            m_consumed += i;
            m_skipToLineEnd = false;
            return;
        }
        for (; i < avail; ++i)
            if (data[i] == '\n' || data[i] == '\r') {
                m_consumed += i + 1;
                if (data[i] == '\r') {
                    if (i + 1 < avail) {
                        if (data[i + 1] == '\n')
                            ++m_consumed;
                    } else {
                        m_dropLineFeed = true; // the '\n' may come with the next read
                        return;
                    }
                }
                m_skipToLineEnd = false;
                return;
            }
        m_consumed += avail;
    }

    void logSummary(const StreamSnapshot &s)
    {
        auto log = logs::stream();
        const StreamCounters &c = s.counters;
        log->info("finished {}: {} rows read, {} accepted, {} filtered out, {} rejected, {} groups, {:.3f} s, "
                  "{:.0f} rows/s",
                  str(m_displayName), c.rowsRead, c.accepted, c.filteredOut, c.rejected, s.groups.size(),
                  s.elapsedSeconds, s.rowsPerSecond);
        for (int k = 0; k < kRejectReasonCount; ++k) {
            if (!c.rejectsByReason[std::size_t(k)])
                continue;
            QStringList lines;
            for (auto l : s.rejectLines.lines[std::size_t(k)])
                lines << QString::number(l);
            log->info("  rejected {}: {} (first lines {})", str(rejectReasonText(RejectReason(k))),
                      c.rejectsByReason[std::size_t(k)], str(lines.join(u", ")));
        }
    }

    StreamEngine *m_engine;
    quint64 m_id;
    StreamConfig m_cfg;
    std::thread m_thread;
    QThreadPool m_pool;
    int m_threads = 1;
    std::atomic<bool> m_done{false};

    QMutex m_mutex;
    QWaitCondition m_cond;
    bool m_cancel = false;
    bool m_finishInput = false;
    bool m_paused = false;
    int m_steps = 0;
    double m_rate = 0;
    int m_batchSize = 1000;
    bool m_pacingReset = true;
    QElapsedTimer m_paceClock;
    std::int64_t m_pacedRows = 0;

    // driver-thread state
    QString m_displayName;
    FormatInfo m_format;
    ParseConfig m_parse;
    std::unique_ptr<ByteSource> m_source;
    std::shared_ptr<QByteArray> m_buf;
    std::vector<std::shared_ptr<QByteArray>> m_spare; ///< read buffers kept for reuse
    std::size_t m_consumed = 0;
    bool m_eof = false;
    bool m_literal = false;
    bool m_skipToLineEnd = false;
    bool m_dropLineFeed = false;
    std::int64_t m_nextSeq = 0;
    std::deque<QFuture<ChunkPtr>> m_inflight;
    StreamCounters m_counters;
    RejectSamples m_rejects;
    std::int64_t m_lineBase = 0;
    Dictionary m_districts;
    Dictionary m_types;
    bool m_overflowReported = false;
    GroupTable m_groups;
    ListingStore m_store;
    bool m_dirty = false;
    bool m_exportDirty = false; ///< listings merged since the last periodic export
    std::int64_t m_snapshotSeq = 0;
    QElapsedTimer m_clock;
    QElapsedTimer m_lastSnapshot;
    QElapsedTimer m_lastExport;
    QElapsedTimer m_lastProgressLog;
};

// ---------------------------------------------------------------------------
// The facade
// ---------------------------------------------------------------------------
StreamEngine::StreamEngine(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<es::SnapshotPtr>();
    qRegisterMetaType<es::Issue>();
    qRegisterMetaType<es::FormatInfo>();
    qRegisterMetaType<es::StreamConfig>();
    qRegisterMetaType<es::StreamEngine::State>();
}

StreamEngine::~StreamEngine()
{
    ++m_runId; // nothing more is delivered
    joinRun();
}

void StreamEngine::joinRun()
{
    if (m_run)
        m_retired.push_back(std::move(m_run));
    for (auto &r : m_retired)
        r->join();
    m_retired.clear();
}

void StreamEngine::setState(State s)
{
    if (m_state == s)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

void StreamEngine::start(const StreamConfig &config)
{
    if (m_run) {
        if (m_state == State::Running || m_state == State::Paused)
            stop();
        m_run->cancel();
        m_retired.push_back(std::move(m_run)); // joined when done, never waited for here
    }
    std::erase_if(m_retired, [](const std::shared_ptr<Run> &r) {
        if (!r->done())
            return false;
        r->join();
        return true;
    });
    m_latest.reset();
    ++m_runId;
    m_run = std::make_shared<Run>(this, m_runId, config);
    setState(config.startPaused ? State::Paused : State::Running);
    m_run->launch();
}

void StreamEngine::pause()
{
    if (m_run && m_state == State::Running) {
        m_run->setPaused(true);
        setState(State::Paused);
    }
}

void StreamEngine::resume()
{
    if (m_run && m_state == State::Paused) {
        m_run->setPaused(false);
        setState(State::Running);
    }
}

void StreamEngine::step()
{
    if (!m_run)
        return;
    if (m_state == State::Running) {
        m_run->setPaused(true);
        setState(State::Paused);
    }
    if (m_state == State::Paused)
        m_run->step();
}

void StreamEngine::stop()
{
    if (!m_run || (m_state != State::Running && m_state != State::Paused))
        return;
    m_run->cancel();
    ++m_runId; // drop everything still queued from this run
    setState(State::Cancelled);
    Q_EMIT cancelled();
}

void StreamEngine::finish()
{
    if (m_run && (m_state == State::Running || m_state == State::Paused)) {
        m_run->finishInput();
        setState(State::Running);
    }
}

void StreamEngine::setRate(double listingsPerSecond)
{
    if (m_run)
        m_run->setRate(listingsPerSecond);
}

void StreamEngine::setBatchSize(int listings)
{
    if (m_run)
        m_run->setBatchSize(listings);
}

void StreamEngine::deliverSnapshot(quint64 runId, const SnapshotPtr &snap)
{
    if (runId != m_runId)
        return;
    m_latest = snap;
    Q_EMIT snapshotReady(snap);
}

void StreamEngine::deliverEnd(quint64 runId, State endState, const SnapshotPtr &snap, const QString &reason)
{
    if (runId != m_runId)
        return;
    if (snap) {
        m_latest = snap;
        Q_EMIT snapshotReady(snap);
    }
    setState(endState);
    if (endState == State::Failed)
        Q_EMIT failed(reason);
    else
        Q_EMIT finished(snap);
}

void StreamEngine::deliverIssue(quint64 runId, const Issue &item)
{
    if (runId == m_runId)
        Q_EMIT issue(item);
}

void StreamEngine::deliverExport(quint64 runId, const QString &path, bool ok, const QString &message)
{
    if (runId == m_runId)
        Q_EMIT exported(path, ok, message);
}

} // namespace es
