"""The list of one element's threats, shown when its badge is clicked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.domain import Finding
from app.ui.theme import severity_color


class ThreatPopup(QFrame):
    """A popup frame listing threats, worst first, with severity and triage state."""

    def __init__(self, title: str, findings: Sequence[Finding],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("threatPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        n_open = sum(1 for f in findings if f.is_open)
        head = QLabel(f"<b>{title}</b> — {n_open} open of {len(findings)} threats")
        layout.addWidget(head)
        self.list = QListWidget()
        self.list.setMinimumWidth(420)
        ordered = sorted(findings, key=lambda f: (not f.is_open, -f.severity.rank, f.title))
        for f in ordered:
            state = f.state.label if f.applies else "no longer applies"
            it = QListWidgetItem(f"[{f.severity.label}] {f.title}  ·  {f.category}  ·  {state}")
            it.setForeground(severity_color(f.severity) if f.is_open else QColor("#888888"))
            tip = f.description or f.title
            if f.reasons:
                tip += "\n\nWhy: " + "; ".join(f.reasons)
            it.setToolTip(tip)
            it.setData(Qt.ItemDataRole.UserRole, f.key)
            self.list.addItem(it)
        if not findings:
            self.list.addItem("No threats found for this element.")
        self.list.setMaximumHeight(min(320, 24 * max(3, len(findings)) + 8))
        layout.addWidget(self.list)

    def show_at(self, pos: QPoint) -> None:
        self.adjustSize()
        self.move(pos)
        self.show()
