"""Property test: any project the domain accepts comes back from a .tcm unchanged."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import (
    Diagram,
    Element,
    ElementKind,
    MitigationItem,
    Point,
    Project,
    Rect,
    ThreatRecord,
    ThreatState,
    Triage,
)
from app.store import read, write
from tests.data.make_store_fixtures import structure

text = st.text(max_size=12)
num = st.floats(allow_nan=False, width=64) | st.integers(-(2**53), 2**53)
points = st.builds(Point, num, num)
values = st.one_of(text, st.booleans(), st.integers(-(2**63), 2**63 - 1),
                   st.floats(allow_nan=False))
props = st.dictionaries(text, values, max_size=4)
extra = st.dictionaries(text, text, max_size=2)
BOXES = [k for k in ElementKind if k.is_box]


@st.composite
def diagrams(draw: st.DrawFn, index: int) -> Diagram:
    d = Diagram(draw(text), f"d{index}")
    nodes: list[str] = []
    for i in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(BOXES))
        e = Element(id=f"e{i}", kind=kind, type_id=draw(text), name=draw(text),
                    properties=draw(props), notes=draw(text),
                    rect=Rect(draw(num), draw(num), abs(draw(num)), abs(draw(num))),
                    extra=draw(extra))
        d.add(e)
        if kind.is_node:
            nodes.append(e.id)
    for i in range(draw(st.integers(0, 4))):
        src = draw(st.sampled_from(nodes)) if nodes and draw(st.booleans()) else None
        dst = draw(st.sampled_from(nodes)) if nodes and draw(st.booleans()) else None
        d.add(Element(id=f"f{i}", kind=ElementKind.DATA_FLOW, type_id="GE.DF",
                      name=draw(text), properties=draw(props), source_id=src, target_id=dst,
                      source_point=None if src else draw(points),
                      target_point=None if dst else draw(points),
                      waypoints=tuple(draw(st.lists(points, max_size=3))),
                      label_pos=draw(st.none() | points),
                      routing=draw(st.sampled_from(["straight", "orthogonal"]))))
    if draw(st.booleans()):
        d.add(Element(id="l", kind=ElementKind.BOUNDARY_LINE, type_id="GE.TB.L",
                      points=tuple(draw(st.lists(points, max_size=4)))))
    order = list(d.elements)
    d.reorder(draw(st.permutations(order)))
    return d


@st.composite
def projects(draw: st.DrawFn) -> Project:
    p = Project(draw(text), draw(st.text(min_size=1, max_size=8)))
    p.description, p.owner, p.scope = draw(text), draw(text), draw(text)
    p.reviewers = draw(st.lists(text, max_size=3))
    for i in range(draw(st.integers(0, 3))):
        p.add_diagram(draw(diagrams(i)))
    for key in draw(st.lists(text, max_size=3, unique=True)):
        p.put_threat(ThreatRecord(key, draw(text), element_ids=tuple(draw(st.lists(text))),
                                  likelihood=draw(st.integers(1, 5)), extra=draw(extra)))
    for key in draw(st.lists(text, max_size=3, unique=True)):
        p.set_triage(key, Triage(draw(st.sampled_from(list(ThreatState))), draw(text),
                                 draw(st.none() | st.integers(1, 5)), None,
                                 tuple(MitigationItem(draw(text), done=draw(st.booleans()))
                                       for _ in range(draw(st.integers(0, 2))))))
    p.disabled_packs = set(draw(st.lists(text, max_size=2)))
    return p


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_any_project_round_trips(p: Project) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.tcm"
        write(p, path)
        assert structure(read(path)) == structure(p)
