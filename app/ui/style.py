"""Application-wide look: the Fusion style on Linux/Windows and our small style sheet."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from app.catalog import resources_dir


def style_sheet() -> str:
    """The bundled Qt style sheet (empty when the resource is missing)."""
    path = resources_dir() / "style.qss"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def apply_style(qapp: QApplication) -> None:
    if sys.platform != "darwin":
        qapp.setStyle("Fusion")
    qapp.setStyleSheet(style_sheet())
