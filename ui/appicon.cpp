#include "appicon.h"

#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace es::ui {

QPixmap appIconPixmap(int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 128.0, size / 128.0); // drawn in the SVG's 128 x 128 units

    QLinearGradient bg(0, 4, 0, 124);
    bg.setColorAt(0, QColor(0x4e, 0x79, 0xa7));
    bg.setColorAt(1, QColor(0x2f, 0x4f, 0x74));
    p.setPen(Qt::NoPen);
    p.setBrush(bg);
    p.drawRoundedRect(QRectF(4, 4, 120, 120), 24, 24);

    QPen white(Qt::white, 8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(white);
    p.setBrush(Qt::NoBrush);
    p.drawPolyline(QPolygonF({QPointF(24, 62), QPointF(64, 28), QPointF(104, 62)}));

    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0xf2, 0x8e, 0x2b));
    p.drawRoundedRect(QRectF(36, 74, 12, 28), 2, 2);
    p.setBrush(QColor(0xed, 0xc9, 0x48));
    p.drawRoundedRect(QRectF(58, 60, 12, 42), 2, 2);
    p.setBrush(QColor(0x59, 0xa1, 0x4f));
    p.drawRoundedRect(QRectF(80, 68, 12, 34), 2, 2);

    QPainterPath stream(QPointF(22, 110));
    stream.cubicTo(QPointF(42, 102), QPointF(54, 118), QPointF(74, 110));
    stream.cubicTo(QPointF(94, 102), QPointF(98, 102), QPointF(106, 110));
    QColor streamColor(Qt::white);
    streamColor.setAlphaF(0.9f);
    p.setPen(QPen(streamColor, 5, Qt::SolidLine, Qt::RoundCap));
    p.drawPath(stream);
    return pixmap;
}

QIcon appIcon()
{
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addPixmap(appIconPixmap(size));
    return icon;
}

} // namespace es::ui
