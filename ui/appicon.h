// The application icon, drawn with QPainter (the same design as
// resources/icons/estatestream.svg) so it needs neither the Qt SVG plugin nor
// a compiled resource.
#pragma once

#include <QIcon>

namespace es::ui {

QIcon appIcon();
/// The icon at `size` x `size` pixels.
QPixmap appIconPixmap(int size);

} // namespace es::ui
