"""Starts the Qt application and opens the main window."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def run_gui(args: Sequence[str]) -> int:
    """`threatcanvas` opens a new project; `threatcanvas FILE` opens that model."""
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow
    from app.ui.style import apply_style

    qapp = QApplication.instance() or QApplication([sys.argv[0], *args])
    qapp.setApplicationName("ThreatCanvas")
    qapp.setOrganizationName("ThreatCanvas")
    apply_style(qapp)  # type: ignore[arg-type]
    from app.domain import DomainError, FileError
    from app.ui.window_ops import load

    error = ""
    window = None
    if args:
        try:
            window = MainWindow(load(args[0]), args[0])
        except (FileError, DomainError) as err:
            error = str(err)
    if window is None:
        window = MainWindow()
    window.show()
    if error:
        window.statusBar().showMessage(error, 15000)
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(window, "Cannot open file", error)
    return qapp.exec()
