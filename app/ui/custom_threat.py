"""The dialog for a threat added by hand: title, category, description and risk."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

STRIDE = ("Spoofing", "Tampering", "Repudiation", "Information Disclosure",
          "Denial of Service", "Elevation of Privilege")


class CustomThreatDialog(QDialog):
    """Title, category, description and risk of a threat added by hand."""

    def __init__(self, parent: QWidget | None, element_names: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add custom threat")
        self.title = QLineEdit()
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(STRIDE)
        self.description = QPlainTextEdit()
        self.likelihood = QSpinBox()
        self.impact = QSpinBox()
        for box in (self.likelihood, self.impact):
            box.setRange(1, 5)
            box.setValue(3)
        form = QFormLayout(self)
        form.addRow("Concerns", QLabel(element_names or "the whole model"))
        form.addRow("Title", self.title)
        form.addRow("Category", self.category)
        form.addRow("Description", self.description)
        form.addRow("Likelihood", self.likelihood)
        form.addRow("Impact", self.impact)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.buttons = buttons
