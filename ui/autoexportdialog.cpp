#include "autoexportdialog.h"

#include "settings.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace es::ui {

AutoExportDialog::AutoExportDialog(Settings *settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_enabled(new QCheckBox(tr("&Write the aggregates automatically while a file streams"), this))
    , m_path(new QLineEdit(this))
    , m_browse(new QPushButton(tr("&Browse…"), this))
    , m_seconds(new QSpinBox(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Auto-export aggregates"));
    const QString saved = settings->value(setting::autoExportPath);
    m_enabled->setChecked(!saved.isEmpty());
    m_path->setText(saved.isEmpty() ? QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                                          .filePath(u"aggregated_results.csv"_s)
                                    : saved);
    m_path->setToolTip(tr("The CSV file to write: District × Property type aggregates in the format of "
                          "File → Export aggregates. Each export replaces the file in one step."));
    m_seconds->setRange(0, 3600);
    m_seconds->setSuffix(tr(" s"));
    m_seconds->setSpecialValueText(tr("only at the end"));
    m_seconds->setValue(settings->value(setting::autoExportSeconds));
    m_seconds->setToolTip(tr("How often to write the file while listings arrive (0: only when the stream "
                             "ends). The file is always written once more, exactly, at the end."));
    m_problem->setWordWrap(true);

    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_path);
    form->addRow(fileLabel, pathRow);
    form->addRow(tr("&Every:"), m_seconds);
    auto *note = new QLabel(tr("Applies to the files opened from now on (Stream → Restart applies it to the "
                               "current one). Medians in the file are exact."),
                            this);
    note->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_enabled);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(note);
    layout->addWidget(m_buttons);

    connect(m_enabled, &QCheckBox::toggled, this, &AutoExportDialog::updateState);
    connect(m_path, &QLineEdit::textChanged, this, &AutoExportDialog::updateState);
    connect(m_browse, &QPushButton::clicked, this, &AutoExportDialog::browse);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        save();
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(560);
    updateState();
}

bool AutoExportDialog::isEnabled() const { return m_enabled->isChecked(); }
QString AutoExportDialog::path() const { return m_path->text().trimmed(); }
int AutoExportDialog::seconds() const { return m_seconds->value(); }
QPushButton *AutoExportDialog::okButton() const { return m_buttons->button(QDialogButtonBox::Ok); }

void AutoExportDialog::save()
{
    m_settings->setValue(setting::autoExportPath, isEnabled() ? QFileInfo(path()).absoluteFilePath() : QString());
    m_settings->setValue(setting::autoExportSeconds, seconds());
}

void AutoExportDialog::browse()
{
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Auto-export aggregates to"), path(),
                                                        tr("CSV files (*.csv);;All files (*)"));
    if (!chosen.isEmpty()) {
        m_path->setText(chosen);
        m_enabled->setChecked(true);
    }
}

void AutoExportDialog::updateState()
{
    const bool on = isEnabled();
    m_path->setEnabled(on);
    m_browse->setEnabled(on);
    m_seconds->setEnabled(on);
    QString problem;
    if (on) {
        const QFileInfo file(path());
        const QFileInfo dir(file.absolutePath());
        if (path().isEmpty())
            problem = tr("Choose a file.");
        else if (file.isDir())
            problem = tr("%1 is a folder: choose a file name.").arg(path());
        else if (!dir.isDir())
            problem = tr("The folder %1 does not exist.").arg(dir.filePath());
        else if (!dir.isWritable())
            problem = tr("The folder %1 is not writable.").arg(dir.filePath());
    }
    m_problem->setText(problem.isEmpty() ? QString() : u"\u26a0 "_s + problem);
    m_problem->setVisible(!problem.isEmpty());
    okButton()->setEnabled(problem.isEmpty());
}

} // namespace es::ui
