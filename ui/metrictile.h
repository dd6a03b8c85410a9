// One metric tile: a small framed card with a title, a big value and a
// subtitle. Colours come from the palette (light and dark follow the system).
#pragma once

#include <QFrame>

#include <cmath>

class QLabel;

namespace es::ui {

class MetricTile : public QFrame {
    Q_OBJECT
public:
    MetricTile(const QString &title, const QString &toolTip, QWidget *parent = nullptr);

    /// Shows `text` for the raw `value` (kept for tests and exports).
    void setValue(double value, const QString &text);
    void setSubtitle(const QString &text);

    double value() const { return m_value; }
    QString valueText() const;
    QString subtitle() const;
    QString title() const;

protected:
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateStyle();
    void showSubtitle();

    QLabel *m_title;
    QLabel *m_valueLabel;
    QLabel *m_subtitle;
    QString m_subtitleText; ///< in full (the label shows it elided to the tile's width)
    double m_value = std::nan("");
};

} // namespace es::ui
