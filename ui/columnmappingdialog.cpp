#include "columnmappingdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace es::ui {

namespace {

QString roleLabel(es::Role role)
{
    switch (role) {
    case es::Role::District: return ColumnMappingDialog::tr("&District:");
    case es::Role::Type: return ColumnMappingDialog::tr("Property &type:");
    case es::Role::Price: return ColumnMappingDialog::tr("&Price:");
    case es::Role::Area: return ColumnMappingDialog::tr("Living &area (m²):");
    }
    return {};
}

} // namespace

ColumnMappingDialog::ColumnMappingDialog(const QString &path, const es::FormatInfo &format, QWidget *parent)
    : QDialog(parent)
    , m_path(path)
    , m_preview(new QTableView(this))
    , m_hint(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"columnMappingDialog"_s);
    setWindowTitle(tr("Choose columns — %1").arg(QFileInfo(path).fileName()));
    auto *intro = new QLabel(tr("Some columns of <b>%1</b> could not be recognised. Choose which column holds "
                                "each value. The choice is remembered for this file.")
                                 .arg(QFileInfo(path).fileName().toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);

    auto *form = new QFormLayout;
    const QStringList &columns = format.header.columns;
    for (int r = 0; r < es::kRoleCount; ++r) {
        auto *combo = new QComboBox(this);
        combo->setObjectName(u"role_"_s + es::roleName(es::Role(r)));
        combo->addItem(tr("(choose a column)"), QString());
        for (const QString &c : columns)
            combo->addItem(c, c);
        const int detected = format.header.roleColumn[std::size_t(r)];
        if (detected >= 0 && detected < columns.size())
            combo->setCurrentIndex(detected + 1);
        combo->setToolTip(tr("The column that holds the %1 of each listing").arg(es::roleName(es::Role(r))));
        connect(combo, &QComboBox::currentIndexChanged, this, &ColumnMappingDialog::updateState);
        m_combos[std::size_t(r)] = combo;
        form->addRow(roleLabel(es::Role(r)), combo);
    }

    auto *model = new QStandardItemModel(int(format.previewRows.size()), int(columns.size()), this);
    model->setHorizontalHeaderLabels(columns);
    for (int row = 0; row < format.previewRows.size(); ++row) {
        const QStringList &fields = format.previewRows[row];
        for (int col = 0; col < fields.size() && col < columns.size(); ++col)
            model->setItem(row, col, new QStandardItem(fields[col]));
    }
    m_preview->setModel(model);
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_preview->setToolTip(tr("The first rows of the file"));
    m_hint->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Preview:"), this));
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_hint);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(720, 480);
    updateState();
}

es::ColumnMapping ColumnMappingDialog::mapping() const
{
    es::ColumnMapping m;
    for (int r = 0; r < es::kRoleCount; ++r)
        m.names[std::size_t(r)] = m_combos[std::size_t(r)]->currentData().toString();
    return m;
}

bool ColumnMappingDialog::setRoleColumn(es::Role role, const QString &column)
{
    QComboBox *combo = roleCombo(role);
    const int index = combo->findData(column);
    if (index < 0)
        return false;
    combo->setCurrentIndex(index);
    return true;
}

bool ColumnMappingDialog::isComplete() const
{
    QStringList chosen;
    for (QComboBox *combo : m_combos) {
        const QString c = combo->currentData().toString();
        if (c.isEmpty() || chosen.contains(c))
            return false;
        chosen << c;
    }
    return true;
}

void ColumnMappingDialog::updateState()
{
    const bool complete = isComplete();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(complete);
    m_hint->setText(complete ? QString() : tr("Choose a different column for each of the four values."));
}

} // namespace es::ui
