"""Containment and crossings from geometry alone: nested boxes, boundary lines, waypoints."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import Diagram, Element, ElementKind, Point, Rect, make_box, make_flow, make_line
from app.domain.geometry import polylines_intersect, segments_intersect
from app.domain.topology import (
    containing_boundaries,
    crossed_boundaries,
    flow_path,
    straddled_boundaries,
)


def box(eid: str, kind: ElementKind, x: float, y: float, w: float, h: float) -> Element:
    return make_box(kind, kind.generic_type, eid, Rect(x, y, w, h), element_id=eid)


@pytest.fixture
def d() -> Diagram:
    """Outer zone holding an inner zone; a line splits the canvas at x = 600."""
    d = Diagram("Main", "d")
    tb = ElementKind.BOUNDARY_BOX
    d.add(box("outer", tb, 0, 0, 1000, 600))
    d.add(box("inner", tb, 100, 100, 400, 300))
    d.add(box("P", ElementKind.PROCESS, 150, 150, 80, 40))       # centre (190, 170)
    d.add(box("P2", ElementKind.PROCESS, 300, 300, 80, 40))      # centre (340, 320)
    d.add(box("S", ElementKind.DATA_STORE, 700, 150, 80, 40))    # centre (740, 170)
    d.add(box("U", ElementKind.EXTERNAL_ENTITY, 1200, 150, 80, 40))
    d.add(box("edge", ElementKind.PROCESS, 480, 200, 80, 40))    # straddles inner's right edge
    d.add(make_line((Point(600, 0), Point(600, 600)), element_id="line"))
    return d


def flow(d: Diagram, fid: str, src: str, dst: str, *waypoints: Point) -> str:
    d.add(make_flow(src, dst, element_id=fid, waypoints=tuple(waypoints)))
    return fid


def test_nested_containment_outermost_first(d: Diagram) -> None:
    e = d.elements
    assert containing_boundaries(e, "P") == ["outer", "inner"]
    assert containing_boundaries(e, "S") == ["outer"]
    assert containing_boundaries(e, "U") == []
    assert containing_boundaries(e, "inner") == ["outer"]
    assert containing_boundaries(e, "outer") == []
    assert containing_boundaries(e, "line") == []


def test_straddling_an_edge(d: Diagram) -> None:
    assert straddled_boundaries(d.elements, "edge") == ["inner"]
    assert straddled_boundaries(d.elements, "P") == []


def test_crossings_through_nested_boxes_and_a_line(d: Diagram) -> None:
    e = d.elements
    assert crossed_boundaries(e, flow(d, "P-P2", "P", "P2")) == []
    assert crossed_boundaries(e, flow(d, "P-S", "P", "S")) == ["inner", "line"]
    assert crossed_boundaries(e, flow(d, "U-P", "U", "P")) == ["outer", "inner", "line"]
    assert crossed_boundaries(e, flow(d, "S-U", "S", "U")) == ["outer"]


def test_waypoints_can_route_around_a_line(d: Diagram) -> None:
    e = d.elements
    fid = flow(d, "around", "P", "S", Point(590, 700), Point(610, 700))
    assert flow_path(e, e[fid]) == [Point(190, 170), Point(590, 700), Point(610, 700),
                                    Point(740, 170)]
    assert crossed_boundaries(e, fid) == ["inner"]  # below the line's end: no crossing


def test_dangling_end_uses_its_point(d: Diagram) -> None:
    d.add(Element(id="dangle", kind=ElementKind.DATA_FLOW, type_id="GE.DF", source_id="P",
                  target_point=Point(2000, 170)))
    assert crossed_boundaries(d.elements, "dangle") == ["outer", "inner", "line"]


def test_moving_an_element_changes_the_answer(d: Diagram) -> None:
    fid = flow(d, "P-S", "P", "S")
    d.set_rect("S", Rect(200, 200, 80, 40))  # now inside inner, left of the line
    assert crossed_boundaries(d.elements, fid) == []
    assert containing_boundaries(d.elements, "S") == ["outer", "inner"]


def test_segment_intersection_cases() -> None:
    o, a = Point(0, 0), Point(10, 10)
    assert segments_intersect(o, a, Point(0, 10), Point(10, 0))        # proper cross
    assert segments_intersect(o, a, Point(10, 10), Point(20, 0))       # shared end point
    assert segments_intersect(o, a, Point(5, 5), Point(20, 20))        # collinear overlap
    assert not segments_intersect(o, a, Point(11, 11), Point(20, 20))  # collinear apart
    assert not segments_intersect(o, a, Point(0, 1), Point(9, 10))     # parallel
    assert not polylines_intersect([o], [o, a])                        # a point is no line


@given(st.lists(st.builds(Point, st.integers(-50, 50), st.integers(-50, 50)), min_size=2,
                max_size=5),
       st.lists(st.builds(Point, st.integers(-50, 50), st.integers(-50, 50)), min_size=2,
                max_size=5))
def test_polyline_intersection_is_symmetric(a: list[Point], b: list[Point]) -> None:
    assert polylines_intersect(a, b) == polylines_intersect(b, a)
    assert polylines_intersect(a, a)


rects = st.builds(Rect, st.integers(0, 300), st.integers(0, 300), st.integers(1, 300),
                  st.integers(1, 300))


@given(st.lists(rects, min_size=1, max_size=4), rects, rects)
def test_a_flow_crosses_a_box_exactly_when_one_end_is_inside(boxes: list[Rect], a: Rect,
                                                               b: Rect) -> None:
    d = Diagram("D", "d")
    for i, r in enumerate(boxes):
        d.add(make_box(ElementKind.BOUNDARY_BOX, "GE.TB.B", "", r, element_id=f"tb{i}"))
    d.add(make_box(ElementKind.PROCESS, "GE.P", "", a, element_id="a"))
    d.add(make_box(ElementKind.DATA_STORE, "GE.DS", "", b, element_id="b"))
    d.add(make_flow("a", "b", element_id="f"))
    inside_a = set(containing_boundaries(d.elements, "a"))
    inside_b = set(containing_boundaries(d.elements, "b"))
    assert set(crossed_boundaries(d.elements, "f")) == inside_a ^ inside_b
    areas = [d.get(i).rect.area() for i in containing_boundaries(d.elements, "a")]
    assert areas == sorted(areas, reverse=True)  # outermost first
