"""Level-of-detail layer: below a zoom threshold one item draws the whole diagram in a few
batched calls, and the element items skip painting (they stay for hit-testing)."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
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
#: Badge squares are drawn only from this level of detail up.
BADGE_LOD = 0.2


class OverviewLayer(QGraphicsItem):
    """Draws simplified shapes of every element from cached lists: the geometry lists are
    rebuilt only after element changes, the badge squares (from a per-element anchor kept by
    the geometry pass) only after badge changes."""

    def __init__(self, scene: DiagramScene) -> None:
        super().__init__()
        self.canvas = scene
        self.dirty = True
        self.badges_dirty = True
        #: Bumped whenever the geometry lists are rebuilt (the minimap keys its cache on it).
        self.generation = 0
        #: Bumped whenever the badge squares are rebuilt.
        self.badge_generation = 0
        self._bounds = QRectF()
        self._rects: dict[ElementKind, list[QRectF]] = {}
        self._lines: list[QLineF] = []
        self._polylines: list[QPolygonF] = []
        self._anchors: dict[str, QRectF] = {}
        self._badges: dict[str, list[QRectF]] = {}
        self._cache: QPixmap | None = None
        self._cache_key: tuple[object, ...] = ()
        self.setZValue(-1000)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)

    def invalidate(self) -> None:
        """Elements changed: rebuild everything before the next paint."""
        self.dirty = True
        self.badges_dirty = True
        if self.isVisible():
            self.update()

    def invalidate_badges(self) -> None:
        """Only badges changed: keep the geometry, rebuild the badge squares."""
        self.badges_dirty = True
        if self.isVisible():
            self.update()

    def ensure(self) -> None:
        """Bring the cached lists up to date."""
        if self.dirty:
            self._rebuild()
        if self.badges_dirty:
            self._rebuild_badges()

    def _rebuild(self) -> None:
        self.dirty = False
        self.badges_dirty = True
        self.generation += 1
        rects: dict[ElementKind, list[QRectF]] = {}
        lines: list[QLineF] = []
        polys: list[QPolygonF] = []
        anchors: dict[str, QRectF] = {}
        bounds = QRectF()
        for eid, it in self.canvas.element_items.items():
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
            if anchor is not None:
                anchors[eid] = QRectF(anchor.x() - 10, anchor.y() - 10, 20, 20)
        self._rects, self._lines, self._polylines = rects, lines, polys
        self._anchors = anchors
        bounds = bounds.adjusted(-20, -20, 20, 20)
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds

    def _rebuild_badges(self) -> None:
        self.badges_dirty = False
        self.badge_generation += 1
        badges: dict[str, list[QRectF]] = {}
        current = self.canvas.badges
        colours: dict[object, str] = {}
        for eid, r in self._anchors.items():  # element order, as the items draw
            b = current.get(eid)
            if b is None or not b.count:
                continue
            key = colours.get(b.severity)
            if key is None:
                key = colours[b.severity] = severity_color(b.severity).name()
            badges.setdefault(key, []).append(r)
        self._badges = badges

    def boundingRect(self) -> QRectF:
        if self.dirty:
            self._rebuild()
        return self._bounds

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        self.ensure()
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if widget is None:  # rendering to a file or pixmap: draw directly (vector stays vector)
            self.draw(painter, lod)
            return
        self._draw_cached(painter, widget)
        self.draw_badges(painter, lod)

    def _draw_cached(self, painter: QPainter, widget: QWidget) -> None:
        """The shapes, from a viewport-sized pixmap re-rendered only when the geometry, the
        view transform, the viewport size or the theme changed (not for badge changes)."""
        tr = painter.worldTransform()
        ratio = widget.devicePixelRatioF()
        key = (self.generation, id(self.canvas.theme), widget.width(), widget.height(), ratio,
               tr.m11(), tr.m12(), tr.m21(), tr.m22(), tr.dx(), tr.dy())
        if self._cache is None or key != self._cache_key:
            pm = QPixmap(max(1, round(widget.width() * ratio)),
                         max(1, round(widget.height() * ratio)))
            pm.setDevicePixelRatio(ratio)
            pm.fill(Qt.GlobalColor.transparent)
            p = QPainter(pm)
            p.setWorldTransform(tr)
            self.draw_shapes(p)
            p.end()
            self._cache, self._cache_key = pm, key
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(0, 0, self._cache)
        painter.restore()

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if (change == QGraphicsItem.GraphicsItemChange.ItemVisibleHasChanged
                and not self.isVisible()):
            self._cache = None  # no memory held while the layer is off
        return super().itemChange(change, value)

    def draw(self, painter: QPainter, lod: float) -> None:
        """Draw the cached lists (the minimap calls this too, with its own transform)."""
        self.draw_shapes(painter)
        self.draw_badges(painter, lod)

    def draw_shapes(self, painter: QPainter) -> None:
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

    def draw_badges(self, painter: QPainter, lod: float) -> None:
        if lod >= BADGE_LOD:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(Qt.PenStyle.NoPen)
            for colour, rs in self._badges.items():
                painter.setBrush(QColor(colour))
                painter.drawRects(rs)
