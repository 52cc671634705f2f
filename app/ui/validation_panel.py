"""The validation panel: the engine's diagram lint; clicking a message selects its elements."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.domain import Project, ValidationMessage

MSG_ROLE = Qt.ItemDataRole.UserRole + 4
LEVEL_COLORS = {"error": "#c62828", "warning": "#e65100", "info": "#1565c0"}
LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2}
MAX_SHOWN = 200  # messages listed (the summary counts all)


def run_lint(project: Project) -> list[ValidationMessage]:
    """The engine's lint of the project's current state."""
    from app.engine.lint import lint

    return lint(project.snapshot())


class ValidationPanel(QWidget):
    """Lists lint messages by severity; `sig_select(diagram_id, element_ids)` on click."""

    sig_select = Signal(str, object)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.summary = QLabel()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Level", "Message", "Diagram"])
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnWidth(0, 80)
        self.tree.setColumnWidth(1, 620)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree, 1)
        self.messages: list[ValidationMessage] = []

    def refresh(self) -> None:
        self.set_messages(run_lint(self.project))

    def set_messages(self, messages: Sequence[ValidationMessage]) -> None:
        self.messages = sorted(messages, key=lambda m: LEVEL_ORDER.get(m.level, 3))
        names = {d.id: d.name for d in self.project.diagrams}
        self.tree.clear()
        counts = {"error": 0, "warning": 0, "info": 0}
        for m in self.messages:
            counts[m.level] = counts.get(m.level, 0) + 1
        for m in self.messages[:MAX_SHOWN]:
            it = QTreeWidgetItem([m.level.capitalize(), m.message, names.get(m.diagram_id, "")])
            it.setForeground(0, QColor(LEVEL_COLORS.get(m.level, "#555555")))
            it.setToolTip(1, f"{m.code}: {m.message}")
            it.setData(0, MSG_ROLE, m)
            self.tree.addTopLevelItem(it)
        if not self.messages:
            self.summary.setText("The diagrams have no structural problems.")
        else:
            more = len(self.messages) - MAX_SHOWN
            self.summary.setText(f"{counts['error']} errors · {counts['warning']} warnings · "
                                 f"{counts['info']} notes"
                                 + (f" (first {MAX_SHOWN} listed, {more} more)" if more > 0
                                    else ""))

    def _clicked(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        m: ValidationMessage = item.data(0, MSG_ROLE)
        if m is not None:
            self.sig_select.emit(m.diagram_id, list(m.element_ids))
