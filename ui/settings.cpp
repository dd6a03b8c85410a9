#include "settings.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QSettings>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace es::ui {

namespace {


QString mappingKey(const QString &path)
{
    // Paths contain '/' (a group separator for QSettings): key by a hash of the
    // absolute path and store the path itself next to the mapping.
    const QString absolute = QFileInfo(path).absoluteFilePath();
    return QString::fromLatin1(QCryptographicHash::hash(absolute.toUtf8(), QCryptographicHash::Sha1).toHex());
}

QStringList toSortedList(const QSet<QString> &set)
{
    QStringList list(set.begin(), set.end());
    list.sort();
    return list;
}

} // namespace

Settings::Settings()
    : m_settings(std::make_unique<QSettings>())
{
}

Settings::Settings(const QString &fileName)
    : m_settings(std::make_unique<QSettings>(fileName, QSettings::IniFormat))
{
}

Settings::~Settings() = default;

QVariant Settings::rawValue(const char *key) const
{
    return m_settings->value(QLatin1StringView(key));
}

void Settings::setRawValue(const char *key, const QVariant &value)
{
    m_settings->setValue(QLatin1StringView(key), value);
}

void Settings::removeKey(const char *key)
{
    m_settings->remove(QLatin1StringView(key));
}

void Settings::addRecentFile(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = recentFiles();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaxRecentFiles)
        list.removeLast();
    setValue(setting::recentFiles, list);
}

double Settings::bound(const Setting<double> &s) const
{
    bool ok = false;
    const double v = rawValue(s.key).toDouble(&ok);
    return ok && std::isfinite(v) ? v : s.defaultValue;
}

void Settings::setBound(const Setting<double> &s, double value)
{
    if (value == s.defaultValue || !std::isfinite(value))
        removeKey(s.key);
    else
        setValue(s, value);
}

es::FilterState Settings::filters() const
{
    es::FilterState f;
    f.priceMin = bound(setting::priceMin);
    f.priceMax = bound(setting::priceMax);
    f.areaMin = bound(setting::areaMin);
    f.areaMax = bound(setting::areaMax);
    const QStringList districts = value(setting::hiddenDistricts);
    const QStringList types = value(setting::hiddenTypes);
    f.hiddenDistricts = QSet<QString>(districts.begin(), districts.end());
    f.hiddenTypes = QSet<QString>(types.begin(), types.end());
    return f;
}

void Settings::setFilters(const es::FilterState &f)
{
    setBound(setting::priceMin, f.priceMin);
    setBound(setting::priceMax, f.priceMax);
    setBound(setting::areaMin, f.areaMin);
    setBound(setting::areaMax, f.areaMax);
    setValue(setting::hiddenDistricts, toSortedList(f.hiddenDistricts));
    setValue(setting::hiddenTypes, toSortedList(f.hiddenTypes));
}

es::ColumnMapping Settings::columnMapping(const QString &path) const
{
    es::ColumnMapping mapping;
    m_settings->beginGroup(QLatin1StringView(setting::columnMappingsGroup.key));
    m_settings->beginGroup(mappingKey(path));
    if (m_settings->value(u"path"_s).toString() == QFileInfo(path).absoluteFilePath()) {
        for (int r = 0; r < es::kRoleCount; ++r)
            mapping.names[std::size_t(r)] = m_settings->value(es::roleName(es::Role(r))).toString();
    }
    m_settings->endGroup();
    m_settings->endGroup();
    return mapping;
}

void Settings::setColumnMapping(const QString &path, const es::ColumnMapping &mapping)
{
    m_settings->beginGroup(QLatin1StringView(setting::columnMappingsGroup.key));
    m_settings->beginGroup(mappingKey(path));
    m_settings->setValue(u"path"_s, QFileInfo(path).absoluteFilePath());
    for (int r = 0; r < es::kRoleCount; ++r)
        m_settings->setValue(es::roleName(es::Role(r)), mapping.names[std::size_t(r)]);
    m_settings->endGroup();
    m_settings->endGroup();
}

void Settings::sync()
{
    m_settings->sync();
}

} // namespace es::ui
