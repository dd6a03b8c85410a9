// Filtering the accepted listings for the dashboard. Filters apply to
// listings (never to group averages); every number the window shows comes
// from one FilterResult computed off the UI thread over a StoreSnapshot.
#pragma once

#include "listingstore.h"
#include "types.h"

#include <QObject>
#include <QSet>
#include <QString>

#include <atomic>
#include <limits>
#include <memory>
#include <vector>

class QThreadPool;

namespace es {

/// Value type: what the user selected. Categories are stored as exclusions,
/// so a district that first appears later in the stream is shown by default.
struct FilterState {
    double priceMin = 0;
    double priceMax = std::numeric_limits<double>::infinity();
    double areaMin = 0;
    double areaMax = std::numeric_limits<double>::infinity();
    QSet<QString> hiddenDistricts;
    QSet<QString> hiddenTypes;

    bool operator==(const FilterState &o) const = default;
    bool isDefault() const { return *this == FilterState{}; }
};

/// Equal-width bins on a log10 or linear scale.
struct Histogram {
    bool logScale = true;
    double lo = 0, hi = 0;              ///< range covered (data units)
    std::vector<std::int64_t> counts;
    QString rule;                        ///< how the bins were chosen, for tooltips
    double binLow(std::size_t i) const;  ///< lower edge of bin i
    double binHigh(std::size_t i) const;
};

/// Five-number summary (Tukey whiskers: furthest values within 1.5 IQR).
struct BoxStats {
    QString label;
    std::int64_t count = 0;
    double lowerWhisker = 0, q1 = 0, median = 0, q3 = 0, upperWhisker = 0;
};

struct ScatterPoint { double area; double price; std::uint16_t type; };

struct FilterResult {
    quint64 generation = 0;
    std::int64_t storeSize = 0;         ///< listings considered
    GroupRow totals;                    ///< over the filtered listings, medians set
    std::vector<GroupRow> groups;       ///< filtered, sorted by district then type, medians set
    QStringList districts;              ///< id -> name (all seen so far)
    QStringList types;
    /// Facet counts: listings matching every filter except the district (resp. type) one.
    std::vector<std::int64_t> districtCounts; ///< by district id
    std::vector<std::int64_t> typeCounts;     ///< by type id
    Histogram priceHistogram;
    Histogram areaHistogram;
    std::vector<BoxStats> pricePerSqmByType; ///< one per type present, sorted by label
    std::vector<ScatterPoint> scatter;       ///< systematic uniform sample (<= kScatterMax)
    double seenPriceMin = 0, seenPriceMax = 0; ///< over all listings (slider bounds)
    double seenAreaMin = 0, seenAreaMax = 0;
    double computeMillis = 0;
    static constexpr std::size_t kScatterMax = 2000;
};
using FilterResultPtr = std::shared_ptr<const FilterResult>;

/// Computes the filtered view. Pure function; uses `pool` (may be null) for
/// up to `threads` parallel parts.
FilterResultPtr computeFilter(const StoreSnapshot &store, const FilterState &filter,
                              QThreadPool *pool = nullptr, int threads = 1);

/// Runs computeFilter on its own thread pool, latest request wins: while a job
/// runs, newer requests replace the pending one, and a result older than the
/// last request is dropped. Results are delivered in this object's thread.
class FilterRunner : public QObject {
    Q_OBJECT
public:
    explicit FilterRunner(QObject *parent = nullptr);
    ~FilterRunner() override;
    /// Queues a recomputation; returns its generation.
    quint64 request(const es::StoreSnapshotPtr &store, const es::FilterState &filter);
    bool busy() const { return m_running; }
    void waitForIdle(); ///< for tests and shutdown

Q_SIGNALS:
    void resultReady(const es::FilterResultPtr &result);

private:
    void launch();
    struct Pending {
        StoreSnapshotPtr store;
        FilterState filter;
        quint64 generation = 0;
    };
    QThreadPool *m_pool;
    bool m_running = false;
    bool m_hasPending = false;
    Pending m_pending;
    quint64 m_generation = 0;
};

} // namespace es

Q_DECLARE_METATYPE(es::FilterResultPtr)
