"""Data flows: straight or orthogonal arrows with waypoints, a movable label and a badge."""

from __future__ import annotations

import math
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from app.domain import Element
from app.ui.items.base import BADGE_R, CanvasItem, Part, near
from app.ui.routing import (
    clip_to_rect,
    distance_to_segment,
    label_anchor,
    orthogonal_points,
    perpendicular_offset,
)

PAIR_GAP = 14.0


class FlowItem(CanvasItem):
    """An arrow from its source to its target; all geometry is in scene coordinates."""

    def __init__(self, element: Element) -> None:
        super().__init__(element)
        self.setZValue(1.0)
        self.preview_offset = QPointF(0, 0)
        self.preview_waypoints: list[QPointF] | None = None
        self.preview_label: QPointF | None = None
        self._pts: list[QPointF] = []
        self._label_rect = QRectF()

    def sync(self, element: Element) -> None:
        self.element = element
        self.preview_offset = QPointF(0, 0)
        self.preview_waypoints = None
        self.preview_label = None
        self.update_geometry()

    # -- geometry ------------------------------------------------------------------------
    def waypoints(self) -> list[QPointF]:
        if self.preview_waypoints is not None:
            return self.preview_waypoints
        o = self.preview_offset
        return [QPointF(p.x + o.x(), p.y + o.y()) for p in self.element.waypoints]

    def update_geometry(self) -> None:
        """Recompute the route from the current (possibly previewed) end positions."""
        self.geometry_changed()
        sc = self.canvas()
        e = self.element
        o = self.preview_offset
        src = sc.node_box(e.source_id) if sc is not None and e.source_id else None
        tgt = sc.node_box(e.target_id) if sc is not None and e.target_id else None
        sp = e.source_point
        tp = e.target_point
        s = src.center() if src is not None else QPointF(sp.x + o.x(), sp.y + o.y()) if sp \
            else QPointF()
        t = tgt.center() if tgt is not None else QPointF(tp.x + o.x(), tp.y + o.y()) if tp \
            else QPointF()
        wps = self.waypoints()
        if not wps and sc is not None:
            gap = sc.pair_offset(e)
            if gap:
                a, b = (s, t) if (e.source_id or "") < (e.target_id or "") else (t, s)
                v = perpendicular_offset(a, b, gap)
                s, t = s + v, t + v
        if e.routing == "orthogonal":
            pts = orthogonal_points(s, wps, t)
        else:
            pts = [s, *wps, t]
        if len(pts) >= 2:
            if src is not None:
                pts[0] = clip_to_rect(src, pts[0], pts[1])
            if tgt is not None:
                pts[-1] = clip_to_rect(tgt, pts[-1], pts[-2])
        self._pts = pts
        self._label_rect = self._compute_label_rect()
        self.update()

    def points(self) -> list[QPointF]:
        return self._pts

    def label_center(self) -> QPointF:
        if self.preview_label is not None:
            return self.preview_label
        lp = self.element.label_pos
        if lp is not None:
            return QPointF(lp.x + self.preview_offset.x(), lp.y + self.preview_offset.y())
        return label_anchor(self._pts)

    def _compute_label_rect(self) -> QRectF:
        c = self.label_center()
        if not self.element.name:
            return QRectF(c.x() - 4, c.y() - 4, 8, 8)
        fm = QFontMetricsF(self.theme.font(8.0))
        w = min(fm.horizontalAdvance(self.element.name), 180 * self.theme.label_scale) + 10
        h = fm.height() + 4
        return QRectF(c.x() - w / 2, c.y() - h / 2, w, h)

    def label_rect(self) -> QRectF:
        return self._label_rect

    def _path(self) -> QPainterPath:
        path = QPainterPath()
        if self._pts:
            path.moveTo(self._pts[0])
            for p in self._pts[1:]:
                path.lineTo(p)
        return path

    def compute_bounds(self) -> QRectF:
        m = max(self.margin(), 16) + 2 * BADGE_R
        return self._path().boundingRect().united(self._label_rect).adjusted(-m, -m, m, m)

    def shape(self) -> QPainterPath:
        s = QPainterPathStroker()
        s.setWidth(10)
        p = s.createStroke(self._path())
        if self.element.name:
            p.addRect(self._label_rect)
        return p

    def badge_anchor(self) -> QPointF | None:
        r = self._label_rect
        return QPointF(r.right() + 2, r.top())

    def segment_handles(self) -> list[QPointF]:
        """Midpoints of the drawn segments, dragged to insert a new bend point."""
        pts = self._pts
        return [QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2)
                for a, b in pairwise(pts)]

    def waypoint_insert_index(self, segment: int) -> int:
        """Where in the waypoint list a bend dragged out of drawn segment `segment` goes:
        after every waypoint the route passes before that segment."""
        wps = self.waypoints()
        count = 0
        for w in wps:
            at = next((i for i, p in enumerate(self._pts)
                       if abs(p.x() - w.x()) < 0.5 and abs(p.y() - w.y()) < 0.5), None)
            if at is not None and at <= segment:
                count += 1
        return count

    def hit_part(self, scene_pos: QPointF) -> Part:
        br = self.badge_rect()
        if br is not None and br.contains(scene_pos):
            return Part("badge")
        if self.isSelected() and self._pts:
            tol = self.handle_size() * 0.9
            if near(self._pts[0], scene_pos, tol):
                return Part("end", end="source")
            if near(self._pts[-1], scene_pos, tol):
                return Part("end", end="target")
            for i, w in enumerate(self.waypoints()):
                if near(w, scene_pos, tol):
                    return Part("waypoint", i)
            for i, m in enumerate(self.segment_handles()):
                if near(m, scene_pos, tol):
                    return Part("segment", i)
        if self.element.name and self._label_rect.contains(scene_pos):
            return Part("label")
        return Part("body")

    def segment_index_at(self, scene_pos: QPointF) -> int:
        """Index of the path segment nearest to a point (for waypoint insertion)."""
        best, best_d = 0, math.inf
        for i, (a, b) in enumerate(pairwise(self._pts)):
            d = distance_to_segment(scene_pos, a, b)
            if d < best_d:
                best, best_d = i, d
        return best

    # -- painting ------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if len(self._pts) < 2:
            return
        t = self.theme
        lod = self.lod(painter, option)
        color = t.selection if self.isSelected() else t.flow
        path = self._path()
        if self.hovered and not self.isSelected():
            painter.setPen(QPen(t.hover, 6 / max(lod, 0.05)))
            painter.drawPath(path)
        pen = QPen(color, 1.5 if not self.isSelected() else 2.0)
        pen.setCosmetic(lod < 0.5)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        self._paint_arrow(painter, color)
        if self.element.name and lod >= 0.4:
            r = self._label_rect
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(t.flow_label_bg)
            painter.drawRoundedRect(r, 3, 3)
            font = t.font(8.0)
            painter.setFont(font)
            painter.setPen(t.selection if self.isSelected() else t.text)
            fm = QFontMetricsF(font)
            painter.drawText(r, Qt.AlignmentFlag.AlignCenter,
                             fm.elidedText(self.element.name, Qt.TextElideMode.ElideRight,
                                           r.width() - 6))
        if self.isSelected():
            self.paint_handle(painter, self._pts[0], round_=True)
            self.paint_handle(painter, self._pts[-1], round_=True)
            for w in self.waypoints():
                self.paint_handle(painter, w)
            painter.setOpacity(0.55)
            for m in self.segment_handles():
                self.paint_handle(painter, m, round_=True)
            painter.setOpacity(1.0)
        if lod >= 0.2:
            b = self.badge_anchor()
            if b is not None:
                self.paint_badge(painter, b)

    def _paint_arrow(self, painter: QPainter, color) -> None:
        a, b = self._pts[-2], self._pts[-1]
        angle = math.atan2(b.y() - a.y(), b.x() - a.x())
        size = 10.0
        p1 = QPointF(b.x() - size * math.cos(angle - 0.4), b.y() - size * math.sin(angle - 0.4))
        p2 = QPointF(b.x() - size * math.cos(angle + 0.4), b.y() - size * math.sin(angle + 0.4))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawPolygon(QPolygonF([b, p1, p2]))
