"""Project properties: name, version, owner, reviewers, scope, description, assumptions,
external dependencies and classification; each field edit is one SetProjectInfo command."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from app.commands import SetProjectInfo
from app.domain import Project
from app.ui.undo import UndoController

LIST_FIELDS = ("reviewers", "assumptions", "external_dependencies")
CLASSIFICATIONS = ("Public", "Internal", "Confidential", "Restricted")
LABELS = {"name": "Name", "version": "Version", "owner": "Owner",
          "reviewers": "Reviewers (one per line)", "classification": "Classification",
          "scope": "Scope", "description": "Description",
          "assumptions": "Assumptions (one per line)",
          "external_dependencies": "External dependencies (one per line)"}


class ProjectDialog(QDialog):
    """Edits apply as you type (undoable); Close keeps them, the Edit menu undoes them."""

    def __init__(self, project: Project, undo: UndoController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Project properties")
        self.resize(560, 640)
        self.project = project
        self.undo = undo
        self.fields: dict[str, QLineEdit | QPlainTextEdit | QComboBox] = {}
        form = QFormLayout(self)
        for name in LABELS:
            w: QLineEdit | QPlainTextEdit | QComboBox
            if name == "classification":
                w = QComboBox()
                w.setEditable(True)
                w.addItems(CLASSIFICATIONS)
                w.currentTextChanged.connect(lambda text, n=name: self._commit(n, text))
            elif name in LIST_FIELDS or name in ("scope", "description"):
                w = QPlainTextEdit()
                w.setFixedHeight(70)
                w.textChanged.connect(lambda n=name: self._commit_text(n))
            else:
                w = QLineEdit()
                w.textEdited.connect(lambda text, n=name: self._commit(n, text))
            self.fields[name] = w
            form.addRow(LABELS[name], w)
        self.dates = QLabel()
        self.dates.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        form.addRow("Created / modified", self.dates)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        form.addRow(buttons)
        self.load()

    def load(self) -> None:
        """Show the project's current values."""
        info = self.project.info()
        for name, w in self.fields.items():
            value = info[name]
            text = "\n".join(value) if isinstance(value, list) else str(value)
            w.blockSignals(True)
            if isinstance(w, QComboBox):
                w.setCurrentText(text)
            elif isinstance(w, QPlainTextEdit):
                if w.toPlainText() != text:
                    w.setPlainText(text)
            elif w.text() != text:
                w.setText(text)
            w.blockSignals(False)
        self.dates.setText(f"{info['created']} / {info['modified']}")

    def _commit_text(self, name: str) -> None:
        w = self.fields[name]
        assert isinstance(w, QPlainTextEdit)
        text = w.toPlainText()
        if name in LIST_FIELDS:
            self._commit(name, [line.strip() for line in text.splitlines() if line.strip()])
        else:
            self._commit(name, text)

    def _commit(self, name: str, value: object) -> None:
        if getattr(self.project, name) != value:
            self.undo.push(SetProjectInfo(self.project, name, value))
