// An inline, non-modal message strip above the dashboard (errors and warnings
// about the current file). It never blocks; the user closes it or it is
// replaced by the next message.
#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace es::ui {

class MessageBanner : public QFrame {
    Q_OBJECT
public:
    enum class Kind : std::uint8_t { Info, Warning, Error };
    explicit MessageBanner(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text);
    QString text() const;
    Kind kind() const { return m_kind; }

public Q_SLOTS:
    void dismiss();

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QLabel *m_icon;
    QLabel *m_text;
    QToolButton *m_close;
    Kind m_kind = Kind::Info;
};

} // namespace es::ui
