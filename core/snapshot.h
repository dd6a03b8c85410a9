// The immutable result the engine publishes after batches. It crosses threads
// by shared pointer to const: nobody mutates a snapshot after it is made.
#pragma once

#include "csvformat.h"
#include "listingstore.h"
#include "types.h"

#include <QMetaType>

class QThreadPool;

#include <memory>
#include <vector>

namespace es {

struct StreamSnapshot {
    quint64 runId = 0;      ///< which start() this belongs to
    std::int64_t sequence = 0; ///< increases with every snapshot of a run
    bool final = false;     ///< true for the last snapshot of a finished run
    double elapsedSeconds = 0;
    double rowsPerSecond = 0; ///< rows read per second over the run so far
    StreamCounters counters;
    RejectSamples rejectLines; ///< absolute 1-based physical line numbers
    std::vector<GroupRow> groups; ///< sorted by district, then type; medians set when `final` (else NaN)
    GroupRow totals;              ///< over all groups (district/type "All")
    StoreSnapshotPtr store;       ///< every accepted listing so far
    FormatInfo format;            ///< what was detected at start
};
using SnapshotPtr = std::shared_ptr<const StreamSnapshot>;

/// Sorts groups by district then type (QString::compare, case-sensitive).
void sortGroups(std::vector<GroupRow> &groups);
/// How computeMedians went (for tests and benchmarks).
struct MedianDiagnostics {
    std::int64_t stride = 0;        ///< about one listing in `stride` was sampled (0: none, all values were collected)
    std::int64_t bracketMisses = 0; ///< medians the sample did not bracket (exact fallback used)
    std::int64_t collected = 0;     ///< values the pass collected inside the brackets (all targets)
};

/// Fills medianPrice / medianPricePerSqm of `groups` and `totals` exactly from
/// the listings in `store` (median of an even count: mean of the two middle values).
/// Totals' medians are over the listings of `groups`. Uses `pool` when given.
void computeMedians(const StoreSnapshot &store, std::vector<GroupRow> &groups, GroupRow &totals,
                    QThreadPool *pool = nullptr, MedianDiagnostics *diagnostics = nullptr);

} // namespace es

Q_DECLARE_METATYPE(es::SnapshotPtr)
Q_DECLARE_METATYPE(es::Issue)
