"""Starts the Qt application and opens the main window."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def run_gui(args: Sequence[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow

    qapp = QApplication.instance() or QApplication([sys.argv[0], *args])
    qapp.setApplicationName("ThreatCanvas")
    qapp.setOrganizationName("ThreatCanvas")
    window = MainWindow()
    window.show()
    return qapp.exec()
