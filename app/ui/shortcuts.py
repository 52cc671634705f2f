"""Help → Keyboard and Mouse: every canvas gesture and the window's shortcuts in one table."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

GESTURES: tuple[tuple[str, str], ...] = (
    ("Place an element", "Drag a stencil onto the canvas, or click it and then the canvas"),
    ("Name it", "Type right after placing or connecting; F2 or double-click later"),
    ("Draw a data flow", "Drag from a port (edge midpoint) to another element; or press C"),
    ("Reconnect a flow", "Select it, drag either end onto another element"),
    ("Bend a flow", "Select it, drag a segment's midpoint; double-click a bend to remove it"),
    ("Move the flow's label", "Select the flow, drag its label"),
    ("Resize", "Select, drag a corner (boundaries: any of eight handles)"),
    ("Shape a boundary line", "Select it, drag its points; drag a segment's middle to add "
                              "one; double-click a point to remove it"),
    ("Route a flow at right angles", "Edit → Flow Routing → Orthogonal, or the Routing field"),
    ("Move", "Drag; a boundary carries what lies inside (hold Alt to move it alone)"),
    ("Nudge", "Arrow keys (Shift: five grid steps)"),
    ("Select several", "Drag on empty canvas; Ctrl/Shift-click adds or removes"),
    ("Zoom", "Mouse wheel or pinch; Ctrl+9 fits, Ctrl+0 is 100 %"),
    ("Pan", "Hold Space and drag, drag with the middle button, or scroll a touchpad"),
    ("See an element's threats", "Click its coloured badge"),
)


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, str]]:
    """(action, keys) for every action that has a shortcut, in menu order."""
    rows = []
    for act in actions.values():
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                         for k in act.shortcuts() if not k.isEmpty())
        if keys:
            rows.append((act.text().replace("&", ""), keys))
    return rows


class ShortcutsDialog(QDialog):
    """A read-only two-column table: what you do, how you do it."""

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard and Mouse")
        rows = [*GESTURES, ("", ""), *shortcut_rows(actions)]
        table = QTableWidget(len(rows), 2)
        table.setObjectName("shortcutsTable")
        table.setHorizontalHeaderLabels(["To", "Do"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        for i, (what, how) in enumerate(rows):
            table.setItem(i, 0, QTableWidgetItem(what))
            table.setItem(i, 1, QTableWidgetItem(how))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(720, 620)
