"""Export the current diagram as a PNG picture or an SVG drawing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from app.domain import FileError
from app.ui.scene import DiagramScene

MARGIN = 30.0


class ExportError(FileError):
    """A picture could not be written."""


def _render(scene: DiagramScene, painter: QPainter, target: QRectF, source: QRectF) -> None:
    """Render without selection handles or hover highlights, then restore them."""
    selected = scene.selected_ids()
    hovered = [it for it in scene.element_items.values() if it.hovered]
    scene.blockSignals(True)
    scene.draw_grid = False
    scene.clearSelection()
    for it in hovered:
        it.hovered = False
    try:
        scene.render(painter, target, source)
    finally:
        for eid in selected:
            scene.element_items[eid].setSelected(True)
        for it in hovered:
            it.hovered = True
        scene.draw_grid = True
        scene.blockSignals(False)


def source_rect(scene: DiagramScene) -> QRectF:
    r = scene.content_rect()
    if r.isEmpty():
        r = QRectF(0, 0, 400, 300)
    return r.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def export_png(scene: DiagramScene, path: str | Path, scale: float = 2.0) -> QSize:
    """Write the diagram as a PNG at `scale` pixels per scene unit; returns the image size."""
    src = source_rect(scene)
    size = QSize(max(1, int(src.width() * scale)), max(1, int(src.height() * scale)))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(scene.theme.background)
    p = QPainter(image)
    p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                     | QPainter.RenderHint.SmoothPixmapTransform)
    _render(scene, p, QRectF(0, 0, size.width(), size.height()), src)
    p.end()
    if not image.save(str(path), "PNG"):
        raise ExportError(path, "could not write the PNG file (check the folder and rights)")
    return size


def export_svg(scene: DiagramScene, path: str | Path, title: str = "") -> None:
    """Write the diagram as an SVG drawing (vector, text kept as text)."""
    src = source_rect(scene)
    parent = Path(path).parent
    if not parent.is_dir():
        raise ExportError(path, "the folder does not exist")
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(QSize(int(src.width()), int(src.height())))
    gen.setViewBox(QRectF(0, 0, src.width(), src.height()))
    gen.setTitle(title or scene.diagram.name)
    gen.setDescription("Exported from ThreatCanvas")
    p = QPainter()
    if not p.begin(gen):
        raise ExportError(path, "could not write the SVG file")
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.fillRect(QRectF(0, 0, src.width(), src.height()), scene.theme.background)
    _render(scene, p, QRectF(0, 0, src.width(), src.height()), src)
    p.end()
    if not Path(path).is_file():
        raise ExportError(path, "could not write the SVG file")
