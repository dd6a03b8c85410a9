#include "metrictile.h"

#include <QEvent>
#include <QPainter>
#include <QPen>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace es::ui {

MetricTile::MetricTile(const QString &title, const QString &toolTip, QWidget *parent)
    : QFrame(parent)
    , m_title(new QLabel(title, this))
    , m_valueLabel(new QLabel(u"–"_s, this))
    , m_subtitle(new QLabel(this))
{
    setObjectName(u"metricTile"_s);
    setToolTip(toolTip);
    setFrameShape(QFrame::NoFrame);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_title->setObjectName(u"tileTitle"_s);
    m_valueLabel->setObjectName(u"tileValue"_s);
    m_subtitle->setObjectName(u"tileSubtitle"_s);
    m_valueLabel->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_valueLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long subtitle is elided, never widens the tile: its text grows while
    // streaming ("8,338,227 accepted · ..."), and a wider minimum would
    // re-lay out (and even widen) the whole window on a refresh.
    m_subtitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_valueLabel);
    layout->addWidget(m_subtitle);
    updateStyle();
}

void MetricTile::setValue(double value, const QString &text)
{
    m_value = value;
    m_valueLabel->setText(text);
}

void MetricTile::setSubtitle(const QString &text)
{
    m_subtitleText = text;
    showSubtitle();
}

void MetricTile::showSubtitle()
{
    // Keep the line even when empty so every tile has the same height.
    const QString shown = m_subtitle->fontMetrics().elidedText(m_subtitleText, Qt::ElideRight, m_subtitle->width());
    m_subtitle->setText(shown.isEmpty() ? u" "_s : shown);
    m_subtitle->setToolTip(shown == m_subtitleText ? QString() : m_subtitleText);
}

void MetricTile::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event);
    showSubtitle(); // the layout has given the label its new width by now
}

QString MetricTile::valueText() const { return m_valueLabel->text(); }
QString MetricTile::subtitle() const { return m_subtitleText.trimmed(); }
QString MetricTile::title() const { return m_title->text(); }

void MetricTile::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateStyle();
}

void MetricTile::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event)
    // A rounded card drawn from palette roles only, so it follows light/dark palettes.
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1.0));
    painter.setBrush(palette().brush(QPalette::Base));
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    // Accent strip on the left.
    painter.setPen(Qt::NoPen);
    painter.setBrush(palette().brush(QPalette::Highlight));
    painter.drawRoundedRect(QRectF(1, 8, 3, height() - 16), 1.5, 1.5);
}

void MetricTile::updateStyle()
{
    m_title->setForegroundRole(QPalette::PlaceholderText);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    QFont titleFont = font();
    titleFont.setPointSizeF(font().pointSizeF() * 0.9);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    QFont valueFont = font();
    valueFont.setPointSizeF(font().pointSizeF() * 1.75);
    valueFont.setBold(true);
    m_valueLabel->setFont(valueFont);
    QFont subFont = font();
    subFont.setPointSizeF(font().pointSizeF() * 0.85);
    m_subtitle->setFont(subFont);
    showSubtitle();
}

} // namespace es::ui
