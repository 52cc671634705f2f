"""The main window (a plain placeholder until the canvas lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

import app


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(f"ThreatCanvas {app.__version__}")
        self.setCentralWidget(QLabel("ThreatCanvas"))
        self.resize(1280, 800)
