"""Boundary containment and crossings, computed from geometry alone (no Qt), on any mapping
of element id → element: a live diagram or an immutable snapshot."""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.elements import Element, ElementKind
from app.domain.geometry import Point, Rect, polylines_intersect


def anchor(elements: Mapping[str, Element], element: Element) -> Point | None:
    """The point that stands for an element: a box's centre, a line's first point."""
    if element.rect is not None:
        return element.rect.center
    if element.points:
        return element.points[0]
    return None


def flow_end(elements: Mapping[str, Element], flow: Element, which: str) -> Point | None:
    """The source or target point of a flow: the connected element's centre, else its
    dangling point."""
    ref = flow.source_id if which == "source" else flow.target_id
    if ref is not None and ref in elements:
        return anchor(elements, elements[ref])
    return flow.source_point if which == "source" else flow.target_point


def flow_path(elements: Mapping[str, Element], flow: Element) -> list[Point]:
    """The polyline a flow follows: source, waypoints, target (missing ends are skipped)."""
    pts: list[Point] = []
    start = flow_end(elements, flow, "source")
    if start is not None:
        pts.append(start)
    pts.extend(flow.waypoints)
    end = flow_end(elements, flow, "target")
    if end is not None:
        pts.append(end)
    return pts


def boundary_boxes(elements: Mapping[str, Element]) -> list[Element]:
    return [e for e in elements.values() if e.kind is ElementKind.BOUNDARY_BOX]


def _box_contains(box: Rect, element: Element) -> bool:
    if element.rect is not None:
        return box.contains_point(element.rect.center)
    return False


def containing_boundaries(elements: Mapping[str, Element], element_id: str) -> list[str]:
    """Ids of the boundary boxes whose area holds the element's centre, outermost first."""
    element = elements[element_id]
    if element.rect is None:
        return []
    found = [
        b
        for b in boundary_boxes(elements)
        if b.id != element_id and b.rect is not None and _box_contains(b.rect, element)
        and not (element.kind is ElementKind.BOUNDARY_BOX and b.rect.area() <= element.rect.area())
    ]
    found.sort(key=lambda b: -b.rect.area() if b.rect else 0.0)
    return [b.id for b in found]


def straddled_boundaries(elements: Mapping[str, Element], element_id: str) -> list[str]:
    """Ids of boundary boxes whose edge cuts through the element's rectangle."""
    element = elements[element_id]
    if element.rect is None or not element.kind.is_node:
        return []
    return [
        b.id
        for b in boundary_boxes(elements)
        if b.rect is not None and b.rect.straddles(element.rect)
    ]


def crossed_boundaries(elements: Mapping[str, Element], flow_id: str) -> list[str]:
    """Ids of the boundaries a flow crosses: boxes holding exactly one of its ends, and
    boundary lines its path intersects."""
    flow = elements[flow_id]
    start = flow_end(elements, flow, "source")
    end = flow_end(elements, flow, "target")
    crossed: list[str] = []
    path: list[Point] | None = None
    for b in elements.values():
        if b.kind is ElementKind.BOUNDARY_BOX and b.rect is not None:
            if start is None or end is None:
                continue
            if b.rect.contains_point(start) != b.rect.contains_point(end):
                crossed.append(b.id)
        elif b.kind is ElementKind.BOUNDARY_LINE and len(b.points) >= 2:
            if path is None:
                path = flow_path(elements, flow)
            if polylines_intersect(path, b.points):
                crossed.append(b.id)
    return crossed
