"""The status bar: zoom, selection, element counts, open threats and the snap toggle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QToolButton
from shiboken6 import isValid

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class StatusPanel:
    """Permanent widgets in the window's status bar, refreshed after each change."""

    def __init__(self, win: MainWindow) -> None:
        self.win = win
        bar = win.statusBar()
        self.selection = QLabel()
        self.counts = QLabel()
        self.threats = QLabel()
        self.zoom = QToolButton()
        self.zoom.setAutoRaise(True)
        self.zoom.setToolTip("Zoom (click for 100 %)")
        self.zoom.clicked.connect(win.zoom_to_100)
        for w in (self.selection, self.counts, self.threats):
            w.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(w)
        bar.addPermanentWidget(self.zoom)
        self.refresh()

    def refresh(self) -> None:
        v = self.win.current_view() if isValid(self.win) else None
        if v is None or not isValid(v):
            self.selection.setText("")
            self.counts.setText("")
            self.zoom.setText("")
            return
        sc = v.canvas
        if not isValid(sc) or not isValid(self.selection):
            return
        sel = len(sc.selected_ids())
        self.selection.setText(f"{sel} selected" if sel else "Nothing selected")
        d = sc.diagram
        nodes = sum(1 for e in d if e.kind.is_node)
        flows = sum(1 for e in d if e.is_flow)
        bounds = sum(1 for e in d if e.is_boundary)
        self.counts.setText(f"{nodes} elements · {flows} flows · {bounds} boundaries")
        if self.win.analysis.enabled:
            n = sum(b.count for b in self.win.analysis.badges.values())
            self.threats.setText(f"{n} open threats")
        else:
            self.threats.setText("")
        self.zoom.setText(f"{round(v.zoom * 100)} %")
