"""Flow geometry in scene coordinates: clipping at element borders, orthogonal routes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF


def clip_to_rect(rect: QRectF, inside: QPointF, toward: QPointF) -> QPointF:
    """Where the segment from `inside` (in the rect) toward `toward` leaves the rectangle."""
    dx = toward.x() - inside.x()
    dy = toward.y() - inside.y()
    if dx == 0 and dy == 0:
        return QPointF(inside)
    ts = []
    if dx > 0:
        ts.append((rect.right() - inside.x()) / dx)
    elif dx < 0:
        ts.append((rect.left() - inside.x()) / dx)
    if dy > 0:
        ts.append((rect.bottom() - inside.y()) / dy)
    elif dy < 0:
        ts.append((rect.top() - inside.y()) / dy)
    t = max(0.0, min([v for v in ts if v >= 0] or [0.0]))
    t = min(t, 1.0)
    return QPointF(inside.x() + dx * t, inside.y() + dy * t)


def orthogonal_points(start: QPointF, waypoints: Sequence[QPointF], end: QPointF) -> list[QPointF]:
    """Corner points of a right-angled route through the waypoints (horizontal first)."""
    if not waypoints:
        dx = end.x() - start.x()
        dy = end.y() - start.y()
        if abs(dx) >= abs(dy):
            mx = (start.x() + end.x()) / 2
            pts = [start, QPointF(mx, start.y()), QPointF(mx, end.y()), end]
        else:
            my = (start.y() + end.y()) / 2
            pts = [start, QPointF(start.x(), my), QPointF(end.x(), my), end]
        return dedupe(pts)
    seq = [start, *waypoints, end]
    pts = [seq[0]]
    for a, b in pairwise(seq):
        pts.append(QPointF(b.x(), a.y()))
        pts.append(b)
    return dedupe(pts)


def dedupe(points: Sequence[QPointF]) -> list[QPointF]:
    """Drop consecutive points closer than a hundredth of a pixel."""
    out: list[QPointF] = []
    for p in points:
        if not out or (p - out[-1]).manhattanLength() > 0.01:
            out.append(QPointF(p))
    return out


def perpendicular_offset(a: QPointF, b: QPointF, offset: float) -> QPointF:
    """The vector of length `offset` at right angles to a→b (zero when a == b)."""
    dx = b.x() - a.x()
    dy = b.y() - a.y()
    length = math.hypot(dx, dy)
    if length < 1e-6:
        return QPointF(0, 0)
    return QPointF(-dy / length * offset, dx / length * offset)


def path_midpoint(points: Sequence[QPointF]) -> QPointF:
    """The point half-way along a polyline's length."""
    if not points:
        return QPointF()
    if len(points) == 1:
        return QPointF(points[0])
    lengths = [math.dist((a.x(), a.y()), (b.x(), b.y())) for a, b in pairwise(points)]
    half = sum(lengths) / 2
    for (a, b), seg in zip(pairwise(points), lengths, strict=False):
        if half <= seg and seg > 0:
            t = half / seg
            return QPointF(a.x() + (b.x() - a.x()) * t, a.y() + (b.y() - a.y()) * t)
        half -= seg
    return QPointF(points[-1])


def label_anchor(points: Sequence[QPointF]) -> QPointF:
    """Where a flow's label sits by default: the middle of its longest segment, so it never
    hides a bend point (a straight flow: its middle)."""
    if len(points) < 2:
        return path_midpoint(points)
    a, b = max(pairwise(points),
               key=lambda s: math.dist((s[0].x(), s[0].y()), (s[1].x(), s[1].y())))
    return QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2)


def distance_to_segment(p: QPointF, a: QPointF, b: QPointF) -> float:
    """Shortest distance from p to segment a-b."""
    dx, dy = b.x() - a.x(), b.y() - a.y()
    if dx == 0 and dy == 0:
        return math.dist((p.x(), p.y()), (a.x(), a.y()))
    t = ((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    return math.dist((p.x(), p.y()), (a.x() + t * dx, a.y() + t * dy))
