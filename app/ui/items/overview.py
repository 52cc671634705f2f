"""Level-of-detail layer: below a zoom threshold one item draws the whole diagram in a few
batched calls, and the element items skip painting (they stay for hit-testing)."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.domain import ElementKind
from app.ui.items.boundary import BoundaryBoxItem, BoundaryLineItem
from app.ui.items.flow import FlowItem
from app.ui.items.node import NodeItem
from app.ui.theme import severity_color

if TYPE_CHECKING:
    from app.ui.scene import DiagramScene

#: Below this zoom the diagram is drawn by the overview layer.
LOD_ZOOM = 0.4
#: ... for diagrams larger than this (small ones draw fully, with names, at any zoom).
LOD_MIN_ELEMENTS = 250


class OverviewLayer(QGraphicsItem):
    """Draws simplified shapes of every element from lists rebuilt only after changes."""

    def __init__(self, scene: DiagramScene) -> None:
        super().__init__()
        self.canvas = scene
        self.dirty = True
        self._bounds = QRectF()
        self._rects: dict[ElementKind, list[QRectF]] = {}
        self._lines: list[QLineF] = []
        self._polylines: list[QPolygonF] = []
        self._badges: dict[str, list[QRectF]] = {}
        self.setZValue(-1000)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)

    def invalidate(self) -> None:
        self.dirty = True
        self.update()

    def _rebuild(self) -> None:
        self.dirty = False
        rects: dict[ElementKind, list[QRectF]] = {}
        lines: list[QLineF] = []
        polys: list[QPolygonF] = []
        badges: dict[str, list[QRectF]] = {}
        bounds = QRectF()
        sc = self.canvas
        for it in sc.element_items.values():
            if isinstance(it, NodeItem | BoundaryBoxItem):
                r = it.scene_box()
                rects.setdefault(it.element.kind, []).append(r)
                bounds = bounds.united(r)
                anchor = r.topRight()
            elif isinstance(it, FlowItem):
                pts = it.points()
                lines.extend(QLineF(a, b) for a, b in pairwise(pts))
                if pts:
                    bounds = bounds.united(QRectF(pts[0], pts[-1]).normalized())
                anchor = it.label_rect().center()
            elif isinstance(it, BoundaryLineItem):
                poly = QPolygonF([it.mapToScene(p) for p in it.points()])
                polys.append(poly)
                bounds = bounds.united(poly.boundingRect())
                anchor = poly.first() if not poly.isEmpty() else None
            else:
                continue
            b = sc.badges.get(it.element_id)
            if b is not None and b.count and anchor is not None:
                key = severity_color(b.severity).name()
                badges.setdefault(key, []).append(QRectF(anchor.x() - 10, anchor.y() - 10,
                                                         20, 20))
        self._rects, self._lines, self._polylines, self._badges = rects, lines, polys, badges
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds.adjusted(-20, -20, 20, 20)

    def boundingRect(self) -> QRectF:
        if self.dirty:
            self._rebuild()
        return self._bounds

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if self.dirty:
            self._rebuild()
        t = self.canvas.theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        K = ElementKind  # noqa: N806
        pen = QPen(t.boundary, 1)
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(t.boundary_fill))
        painter.drawRects(self._rects.get(K.BOUNDARY_BOX, []))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for poly in self._polylines:
            painter.drawPolyline(poly)
        pen = QPen(t.flow, 1)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.drawLines(self._lines)
        for kind in (K.EXTERNAL_ENTITY, K.PROCESS, K.DATA_STORE, K.ANNOTATION):
            rs = self._rects.get(kind)
            if not rs:
                continue
            if kind is K.ANNOTATION:
                fill, border = t.annotation_fill, t.annotation_border
            else:
                fill, border = t.node_fill[kind], t.node_border[kind]
            pen = QPen(border, 1)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(fill)
            painter.drawRects(rs)
        if option.levelOfDetailFromTransform(painter.worldTransform()) >= 0.2:
            painter.setPen(Qt.PenStyle.NoPen)
            for colour, rs in self._badges.items():
                painter.setBrush(QColor(colour))
                painter.drawRects(rs)
