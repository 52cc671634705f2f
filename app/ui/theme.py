"""Colours, pens and fonts for the canvas, derived from the OS light/dark palette."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from app.domain import ElementKind, Severity


@dataclass(frozen=True)
class Theme:
    """One colour scheme; `dark` picks the variant matching the system palette."""

    dark: bool
    background: QColor
    grid: QColor
    grid_major: QColor
    text: QColor
    muted_text: QColor
    node_fill: dict[ElementKind, QColor]
    node_border: dict[ElementKind, QColor]
    flow: QColor
    flow_label_bg: QColor
    boundary: QColor
    boundary_fill: QColor
    annotation_fill: QColor
    annotation_border: QColor
    selection: QColor
    hover: QColor
    handle_fill: QColor
    port: QColor
    label_scale: float = 1.0

    def font(self, size: float = 9.0, bold: bool = False) -> QFont:
        """The canvas font at `size` points times the presentation scale."""
        f = QFont()
        f.setPointSizeF(size * self.label_scale)
        f.setBold(bold)
        return f

    def with_label_scale(self, scale: float) -> Theme:
        from dataclasses import replace

        return replace(self, label_scale=scale)


SEVERITY_COLORS: dict[Severity, str] = {
    Severity.CRITICAL: "#b71c1c",
    Severity.HIGH: "#e65100",
    Severity.MEDIUM: "#f9a825",
    Severity.LOW: "#2e7d32",
}


def severity_color(severity: Severity | None) -> QColor:
    """Badge colour for the highest open severity (grey when there is none)."""
    return QColor(SEVERITY_COLORS[severity]) if severity else QColor("#78909c")


def _light() -> Theme:
    c = QColor
    return Theme(
        dark=False,
        background=c("#fbfbfd"),
        grid=c("#eceef3"),
        grid_major=c("#dde1e9"),
        text=c("#1d2330"),
        muted_text=c("#5f6b7d"),
        node_fill={
            ElementKind.EXTERNAL_ENTITY: c("#eef3fb"),
            ElementKind.PROCESS: c("#eaf6ef"),
            ElementKind.DATA_STORE: c("#fdf4e6"),
        },
        node_border={
            ElementKind.EXTERNAL_ENTITY: c("#3f6fb5"),
            ElementKind.PROCESS: c("#2f8a57"),
            ElementKind.DATA_STORE: c("#b7791f"),
        },
        flow=c("#4a5568"),
        flow_label_bg=c(251, 251, 253, 225),
        boundary=c("#c62828"),
        boundary_fill=c(198, 40, 40, 10),
        annotation_fill=c("#fff8c5"),
        annotation_border=c("#d4b94a"),
        selection=c("#1e88e5"),
        hover=c(30, 136, 229, 90),
        handle_fill=c("#ffffff"),
        port=c("#1e88e5"),
    )


def _dark() -> Theme:
    c = QColor
    return Theme(
        dark=True,
        background=c("#1e2128"),
        grid=c("#272b33"),
        grid_major=c("#30353f"),
        text=c("#e6e9ef"),
        muted_text=c("#9aa5b5"),
        node_fill={
            ElementKind.EXTERNAL_ENTITY: c("#22324a"),
            ElementKind.PROCESS: c("#1f3a2c"),
            ElementKind.DATA_STORE: c("#3d3120"),
        },
        node_border={
            ElementKind.EXTERNAL_ENTITY: c("#7aa7e8"),
            ElementKind.PROCESS: c("#62c48d"),
            ElementKind.DATA_STORE: c("#e0a84f"),
        },
        flow=c("#b8c2d1"),
        flow_label_bg=c(30, 33, 40, 225),
        boundary=c("#ef5350"),
        boundary_fill=c(239, 83, 80, 14),
        annotation_fill=c("#4a4424"),
        annotation_border=c("#a8943c"),
        selection=c("#64b5f6"),
        hover=c(100, 181, 246, 90),
        handle_fill=c("#1e2128"),
        port=c("#64b5f6"),
    )


def system_is_dark() -> bool:
    """True when the application palette has a dark window colour (OS dark mode)."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None:
        from PySide6.QtCore import Qt

        value = scheme()
        if value == Qt.ColorScheme.Dark:
            return True
        if value == Qt.ColorScheme.Light:
            return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def make_theme(dark: bool | None = None) -> Theme:
    """The light or dark theme; None follows the OS."""
    return _dark() if (system_is_dark() if dark is None else dark) else _light()
