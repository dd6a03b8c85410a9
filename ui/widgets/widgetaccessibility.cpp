#include "widgetaccessibility.h"

#include "multiselectcombo.h"
#include "rangeslider.h"

#include <QAccessible>
#include <QAccessibleWidget>
#include <QCoreApplication>

namespace es {

namespace {

class RangeSliderAccessible : public QAccessibleWidget
{
public:
    explicit RangeSliderAccessible(RangeSlider *slider)
        : QAccessibleWidget(slider, QAccessible::Slider)
    {
    }

    QString text(QAccessible::Text t) const override
    {
        const auto *slider = static_cast<const RangeSlider *>(widget());
        if (t == QAccessible::Value) {
            return QCoreApplication::translate("es::RangeSlider", "%1 to %2")
                .arg(slider->lowerValue())
                .arg(slider->upperValue());
        }
        return QAccessibleWidget::text(t);
    }
};

class MultiSelectComboAccessible : public QAccessibleWidget
{
public:
    explicit MultiSelectComboAccessible(MultiSelectCombo *combo)
        : QAccessibleWidget(combo, QAccessible::ComboBox)
    {
    }

    QString text(QAccessible::Text t) const override
    {
        const auto *combo = static_cast<const MultiSelectCombo *>(widget());
        if (t == QAccessible::Value)
            return combo->displayText();
        return QAccessibleWidget::text(t);
    }
};

QAccessibleInterface *widgetFactory(const QString &className, QObject *object)
{
    if (!object || !object->isWidgetType())
        return nullptr;
    if (className == QLatin1String("es::RangeSlider")) {
        if (auto *slider = qobject_cast<RangeSlider *>(object))
            return new RangeSliderAccessible(slider);
    } else if (className == QLatin1String("es::MultiSelectCombo")) {
        if (auto *combo = qobject_cast<MultiSelectCombo *>(object))
            return new MultiSelectComboAccessible(combo);
    }
    return nullptr;
}

} // namespace

void registerWidgetAccessibility()
{
    static const bool installed = [] {
        QAccessible::installFactory(widgetFactory);
        return true;
    }();
    Q_UNUSED(installed);
}

} // namespace es
