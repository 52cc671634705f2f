"""Plain 2-D geometry used to compute containment and boundary crossings headlessly."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Point:
    """A point in scene coordinates (y grows downwards, as on screen)."""

    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Rect:
    """An axis-aligned rectangle given by its top-left corner and size."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def center(self) -> Point:
        return Point(self.x + self.width / 2, self.y + self.height / 2)

    def contains_point(self, p: Point) -> bool:
        return self.x <= p.x <= self.right and self.y <= p.y <= self.bottom

    def contains_rect(self, other: Rect) -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def intersects(self, other: Rect) -> bool:
        return not (
            other.x > self.right
            or other.right < self.x
            or other.y > self.bottom
            or other.bottom < self.y
        )

    def straddles(self, other: Rect) -> bool:
        """True when `other` overlaps this rectangle's edge: partly in, partly out."""
        return self.intersects(other) and not self.contains_rect(other) and not other.contains_rect(
            self
        )

    def area(self) -> float:
        return self.width * self.height

    def edges(self) -> list[tuple[Point, Point]]:
        a = Point(self.x, self.y)
        b = Point(self.right, self.y)
        c = Point(self.right, self.bottom)
        d = Point(self.x, self.bottom)
        return [(a, b), (b, c), (c, d), (d, a)]


def bounding_rect(points: Iterable[Point]) -> Rect:
    """The smallest rectangle holding every point (a zero rect for no points)."""
    pts = list(points)
    if not pts:
        return Rect(0, 0, 0, 0)
    xs = [p.x for p in pts]
    ys = [p.y for p in pts]
    return Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _orientation(a: Point, b: Point, c: Point) -> float:
    return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)


def _on_segment(a: Point, b: Point, p: Point) -> bool:
    return min(a.x, b.x) <= p.x <= max(a.x, b.x) and min(a.y, b.y) <= p.y <= max(a.y, b.y)


def segments_intersect(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """True when segment p1-p2 and segment q1-q2 share at least one point."""
    d1 = _orientation(q1, q2, p1)
    d2 = _orientation(q1, q2, p2)
    d3 = _orientation(p1, p2, q1)
    d4 = _orientation(p1, p2, q2)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True
    return (
        (d1 == 0 and _on_segment(q1, q2, p1))
        or (d2 == 0 and _on_segment(q1, q2, p2))
        or (d3 == 0 and _on_segment(p1, p2, q1))
        or (d4 == 0 and _on_segment(p1, p2, q2))
    )


def polylines_intersect(a: Sequence[Point], b: Sequence[Point]) -> bool:
    """True when any segment of polyline `a` meets any segment of polyline `b`."""
    if len(a) < 2 or len(b) < 2:
        return False
    box_a = bounding_rect(a)
    box_b = bounding_rect(b)
    if not box_a.intersects(box_b):
        return False
    for i in range(len(a) - 1):
        for j in range(len(b) - 1):
            if segments_intersect(a[i], a[i + 1], b[j], b[j + 1]):
                return True
    return False
