// Accessibility for the custom widgets: a slider role and a readable value for RangeSlider,
// a combo-box role whose value is the summary text for MultiSelectCombo.
#pragma once

namespace es {

/// Installs (once per process) the QAccessible factory for es::RangeSlider and
/// es::MultiSelectCombo. Called from their constructors; safe to call repeatedly.
void registerWidgetAccessibility();

} // namespace es
