"""Application-wide look: the Fusion style on Linux/Windows and our small style sheet."""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from app.catalog import resources_dir


def style_sheet() -> str:
    """The bundled Qt style sheet (empty when the resource is missing)."""
    path = resources_dir() / "style.qss"
    if not path.is_file():
        return ""
    icons = (resources_dir() / "icons" / "actions").as_posix()
    return path.read_text(encoding="utf-8").replace("{icons}", icons)


def dark_palette() -> QPalette:
    """A dark palette for when the user picks the dark theme on a light desktop."""
    p = QPalette()
    c = QColor
    roles = QPalette.ColorRole
    for role, color in ((roles.Window, "#2b2e35"), (roles.WindowText, "#e6e9ef"),
                        (roles.Base, "#1e2128"), (roles.AlternateBase, "#262a31"),
                        (roles.ToolTipBase, "#2b2e35"), (roles.ToolTipText, "#e6e9ef"),
                        (roles.Text, "#e6e9ef"), (roles.Button, "#33373f"),
                        (roles.ButtonText, "#e6e9ef"), (roles.BrightText, "#ff6b6b"),
                        (roles.Highlight, "#3d7bd9"), (roles.HighlightedText, "#ffffff"),
                        (roles.Link, "#64b5f6"), (roles.PlaceholderText, "#8a93a3"),
                        (roles.Mid, "#4a4f59"), (roles.Dark, "#1a1c21")):
        p.setColor(role, c(color))
    p.setColor(QPalette.ColorGroup.Disabled, roles.Text, c("#6b7280"))
    p.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, c("#6b7280"))
    return p


def set_palette_mode(qapp: QApplication, mode: str, system: QPalette) -> None:
    """Apply the user's theme choice to the widgets: the system palette, light or dark."""
    if mode == "dark":
        qapp.setPalette(dark_palette())
    elif mode == "light":
        qapp.setPalette(qapp.style().standardPalette())
    else:
        qapp.setPalette(system)
    qapp.setStyleSheet(qapp.styleSheet())  # re-polish widgets with the new palette


def apply_style(qapp: QApplication) -> None:
    if sys.platform != "darwin":
        qapp.setStyle("Fusion")
    qapp.setStyleSheet(style_sheet())
