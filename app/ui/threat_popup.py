"""The list of one element's threats, shown when its badge is clicked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import Finding, Severity
from app.ui.theme import severity_color


def severity_icon(severity: Severity | None, size: int = 12) -> QIcon:
    """A small filled circle in the severity's colour."""
    pm = QPixmap(QSize(size, size))
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(severity_color(severity))
    p.drawEllipse(1, 1, size - 2, size - 2)
    p.end()
    return QIcon(pm)


class ThreatPopup(QFrame):
    """A popup listing an element's threats, open ones first and worst first."""

    def __init__(self, title: str, findings: Sequence[Finding],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("threatPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        n_open = sum(1 for f in findings if f.is_open)
        head = QLabel(f"<b>{_escape(title)}</b> — {n_open} open of {len(findings)} threats")
        layout.addWidget(head)
        self.list = QTreeWidget()
        self.list.setObjectName("threatList")
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setHeaderLabels(["Severity", "Threat", "Category", "State"])
        self.list.setUniformRowHeights(True)
        ordered = sorted(findings, key=lambda f: (not f.is_open, -f.severity.rank, f.title))
        for f in ordered:
            state = f.state.label if f.applies else "No longer applies"
            it = QTreeWidgetItem([f.severity.label, f.title, f.category, state])
            it.setIcon(0, severity_icon(f.severity))
            if not f.is_open:
                for col in range(4):
                    it.setForeground(col, QColor("#8a93a3"))
            tip = f.description or f.title
            if f.reasons:
                tip += "\n\nWhy: " + "; ".join(f.reasons)
            if f.controls:
                tip += "\n\nControls: " + "; ".join(f.controls)
            it.setToolTip(1, tip)
            it.setData(0, Qt.ItemDataRole.UserRole, f.key)
            self.list.addTopLevelItem(it)
        if not findings:
            self.list.addTopLevelItem(QTreeWidgetItem(["", "No threats found here.", "", ""]))
        hdr = self.list.header()
        hdr.setStretchLastSection(False)
        hdr.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hdr.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        hdr.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        hdr.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.list.setMinimumWidth(680)
        rows = max(3, min(len(findings), 14))
        self.list.setMinimumHeight(int(30 + rows * self.list.fontMetrics().height() * 1.25))
        layout.addWidget(self.list)
        hint = QLabel("Hover a threat for why it applies; triage it in the Threats panel.")
        hint.setStyleSheet("color: palette(mid);")
        layout.addWidget(hint)

    def keys(self) -> list[str]:
        """Threat keys in the order shown."""
        return [self.list.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
                for i in range(self.list.topLevelItemCount())]

    def show_at(self, pos: QPoint) -> None:
        self.adjustSize()
        self.move(pos)
        self.show()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
