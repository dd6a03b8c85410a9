// Persistent settings. Each setting is declared once below with its key and
// default, typed; every read and write goes through this class (one key
// scheme: group/camelKey).
#pragma once

#include "csvformat.h"
#include "filterengine.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <limits>
#include <memory>

class QSettings;

namespace es::ui {

/// A setting: its key and its default, declared once.
template <typename T>
struct Setting {
    const char *key;
    T defaultValue;
};

namespace setting {
inline const Setting<QByteArray> windowGeometry{"window/geometry", {}};
inline const Setting<QByteArray> windowState{"window/state", {}};
inline const Setting<QString> lastFile{"files/lastFile", {}};
inline const Setting<QStringList> recentFiles{"files/recentFiles", {}};
inline const Setting<double> rate{"stream/rate", 1000.0}; ///< listings per second, 0 = as fast as possible
inline const Setting<int> batchSize{"stream/batchSize", 500};
inline const Setting<QString> logDirectory{"logs/directory", {}}; ///< empty = platform default
/// Automatic export of the aggregates while a file streams (empty path = off).
inline const Setting<QString> autoExportPath{"export/autoExportPath", {}};
inline const Setting<int> autoExportSeconds{"export/autoExportSeconds", 10}; ///< 0 = only when the stream ends
// Filters: infinite bounds are stored as absent keys.
inline const Setting<double> priceMin{"filters/priceMin", 0.0};
inline const Setting<double> priceMax{"filters/priceMax", std::numeric_limits<double>::infinity()};
inline const Setting<double> areaMin{"filters/areaMin", 0.0};
inline const Setting<double> areaMax{"filters/areaMax", std::numeric_limits<double>::infinity()};
inline const Setting<QStringList> hiddenDistricts{"filters/hiddenDistricts", {}};
inline const Setting<QStringList> hiddenTypes{"filters/hiddenTypes", {}};
/// Per-file column mappings live in this group, one subgroup per file.
inline const Setting<QString> columnMappingsGroup{"columnMappings", {}};
} // namespace setting

class Settings {
public:
    static constexpr int kMaxRecentFiles = 10;

    /// The user's settings (QSettings with the application's organisation/name).
    Settings();
    /// Settings in an INI file at `fileName` (tests, screenshots).
    explicit Settings(const QString &fileName);
    ~Settings();
    Settings(const Settings &) = delete;
    Settings &operator=(const Settings &) = delete;

    template <typename T>
    T value(const Setting<T> &s) const
    {
        const QVariant v = rawValue(s.key);
        return v.isValid() && v.canConvert<T>() ? v.value<T>() : s.defaultValue;
    }
    template <typename T>
    void setValue(const Setting<T> &s, const T &value)
    {
        setRawValue(s.key, QVariant::fromValue(value));
    }

    /// Most recent first, at most kMaxRecentFiles, no duplicates.
    QStringList recentFiles() const { return value(setting::recentFiles); }
    void addRecentFile(const QString &path);

    es::FilterState filters() const;
    void setFilters(const es::FilterState &filters);

    /// Column mapping chosen for the file at `path` (keyed by absolute path).
    es::ColumnMapping columnMapping(const QString &path) const;
    void setColumnMapping(const QString &path, const es::ColumnMapping &mapping);

    void sync();

private:
    double bound(const Setting<double> &s) const;
    void setBound(const Setting<double> &s, double value);
    QVariant rawValue(const char *key) const;
    void setRawValue(const char *key, const QVariant &value);
    void removeKey(const char *key);

    std::unique_ptr<QSettings> m_settings;
};

} // namespace es::ui
