"""Trust boundaries: dashed boxes (nestable, resizable) and dashed polylines."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from app.domain import Element, Point
from app.ui.items.base import BoxItem, CanvasItem, Part, box_handles, near

BAND = 8.0  # half-width of the clickable border of a boundary


class BoundaryBoxItem(BoxItem):
    """A dashed box; only its border and title tab are clickable, so its inside stays free."""

    def __init__(self, element: Element) -> None:
        super().__init__(element)
        self._apply(element)

    def _apply(self, element: Element) -> None:
        super()._apply(element)
        # Larger boxes lie below smaller ones, so nested boundaries stay reachable.
        self.setZValue(-10.0 - min(self._w * self._h / 1e6, 80.0))

    def title_rect(self) -> QRectF:
        fm = QFontMetricsF(self.theme.font(8.5, bold=True))
        text = self.element.name or "Trust boundary"
        w = min(fm.horizontalAdvance(text) + 16, max(self._w, 40))
        return QRectF(0, -fm.height() - 6, w, fm.height() + 6)

    def compute_bounds(self) -> QRectF:
        m = max(self.margin(), BAND + 4)
        return self.local_rect().adjusted(-m, -m, m, m).united(self.title_rect())

    def shape(self) -> QPainterPath:
        p = QPainterPath()
        p.addRect(self.local_rect().adjusted(-BAND, -BAND, BAND, BAND))
        inner = QPainterPath()
        inner.addRect(self.local_rect().adjusted(BAND, BAND, -BAND, -BAND))
        p = p.subtracted(inner)
        p.addRect(self.title_rect())
        return p

    def badge_anchor(self) -> QPointF | None:
        return self.mapToScene(QPointF(self._w, 0))

    def hit_part(self, scene_pos: QPointF) -> Part:
        br = self.badge_rect()
        if br is not None and br.contains(scene_pos):
            return Part("badge")
        if self.isSelected():
            tol = self.handle_size() * 0.8
            for i, h in enumerate(box_handles(self.local_rect())):
                if near(self.mapToScene(h), scene_pos, tol):
                    return Part("resize", i)
        return Part("body")

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        t = self.theme
        lod = self.lod(painter, option)
        rect = self.local_rect()
        pen = QPen(t.selection if self.isSelected() else t.boundary, 1.8)
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setCosmetic(lod < 0.5)
        painter.setPen(pen)
        painter.setBrush(t.boundary_fill)
        painter.drawRoundedRect(rect, 6, 6)
        if self.hovered and not self.isSelected():
            hp = QPen(t.hover, 4 / max(lod, 0.05))
            painter.setPen(hp)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect, 6, 6)
        if lod >= 0.25:
            tr = self.title_rect()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(t.selection if self.isSelected() else t.boundary)
            painter.drawRoundedRect(tr.adjusted(0, 0, 0, 4), 4, 4)
            painter.setFont(t.font(8.5, bold=True))
            painter.setPen(t.handle_fill if not t.dark else t.text)
            text = self.element.name or "Trust boundary"
            fm = QFontMetricsF(painter.font())
            painter.drawText(tr.adjusted(8, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter,
                             fm.elidedText(text, Qt.TextElideMode.ElideRight, tr.width() - 12))
        if self.isSelected():
            for h in box_handles(rect):
                self.paint_handle(painter, h)
        if lod >= 0.2:
            self.paint_badge(painter, QPointF(self._w, 0))


class BoundaryLineItem(CanvasItem):
    """A dashed polyline boundary; its points are in scene coordinates (pos is a drag offset)."""

    def __init__(self, element: Element) -> None:
        super().__init__(element)
        self.preview_points: list[QPointF] | None = None
        self.setZValue(-5.0)

    def sync(self, element: Element) -> None:
        self.geometry_changed()
        self.element = element
        self.preview_points = None
        self.setPos(0, 0)
        self.update()

    def points(self) -> list[QPointF]:
        if self.preview_points is not None:
            return self.preview_points
        return [QPointF(p.x, p.y) for p in self.element.points]

    def set_preview_points(self, pts: list[QPointF]) -> None:
        self.geometry_changed()
        self.preview_points = pts

    def _path(self) -> QPainterPath:
        path = QPainterPath()
        pts = self.points()
        if pts:
            path.moveTo(pts[0])
            for p in pts[1:]:
                path.lineTo(p)
        return path

    def compute_bounds(self) -> QRectF:
        m = max(self.margin(), BAND + 4) + 26
        return self._path().boundingRect().adjusted(-m, -m, m, m)

    def shape(self) -> QPainterPath:
        s = QPainterPathStroker()
        s.setWidth(BAND * 2)
        return s.createStroke(self._path())

    def badge_anchor(self) -> QPointF | None:
        pts = self.points()
        return self.mapToScene(pts[0]) if pts else None

    def hit_part(self, scene_pos: QPointF) -> Part:
        br = self.badge_rect()
        if br is not None and br.contains(scene_pos):
            return Part("badge")
        if self.isSelected():
            tol = self.handle_size() * 0.9
            for i, p in enumerate(self.points()):
                if near(self.mapToScene(p), scene_pos, tol):
                    return Part("point", i)
            for i, m in enumerate(self.segment_handles()):
                if near(self.mapToScene(m), scene_pos, tol):
                    return Part("segment", i)
        return Part("body")

    def segment_handles(self) -> list[QPointF]:
        """Segment middles, dragged to add a point to the line."""
        pts = self.points()
        return [QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2) for a, b in pairwise(pts)]

    def translated_points(self, dx: float, dy: float) -> tuple[Point, ...]:
        return tuple(Point(p.x + dx, p.y + dy) for p in self.element.points)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        t = self.theme
        lod = self.lod(painter, option)
        pen = QPen(t.selection if self.isSelected() else t.boundary, 2.2)
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setCosmetic(lod < 0.5)
        if self.hovered and not self.isSelected():
            painter.setPen(QPen(t.hover, 6 / max(lod, 0.05)))
            painter.drawPath(self._path())
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path())
        pts = self.points()
        if len(pts) >= 2 and lod >= 0.3 and self.element.name:
            a, b = pts[0], pts[1]
            mid = QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2)
            painter.setFont(t.font(8.5, bold=True))
            painter.setPen(t.boundary)
            painter.drawText(QRectF(mid.x() - 100, mid.y() - 22, 200, 18),
                             Qt.AlignmentFlag.AlignCenter, self.element.name)
        if self.isSelected():
            for p in pts:
                self.paint_handle(painter, p, round_=True)
            painter.setOpacity(0.55)
            for m in self.segment_handles():
                self.paint_handle(painter, m, round_=True)
            painter.setOpacity(1.0)
        if pts and lod >= 0.2:
            self.paint_badge(painter, pts[0])
