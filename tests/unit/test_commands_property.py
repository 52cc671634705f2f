"""Hypothesis: random sequences of every command; undo-all restores the model exactly and
redo-all restores the final state, step by step. A command that fails changes nothing."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app.commands import (
    AddDiagram,
    AddElement,
    Command,
    Connect,
    EditWaypoints,
    MoveDiagram,
    MoveElements,
    Paste,
    PutRulePack,
    PutThreat,
    Reconnect,
    RemoveDiagram,
    RemoveElements,
    RemoveThreat,
    Rename,
    RenameDiagram,
    Reorder,
    Resize,
    SetNotes,
    SetPackEnabled,
    SetProjectInfo,
    SetProperty,
    SetTriage,
    UndoStack,
    copy_selection,
)
from app.domain import (
    Diagram,
    DomainError,
    Element,
    ElementKind,
    Point,
    Project,
    Rect,
    ThreatRecord,
    ThreatState,
    Triage,
    make_box,
    make_flow,
    make_line,
)

coord = st.one_of(st.integers(-500, 500), st.floats(-1e4, 1e4, allow_nan=False))
size = st.one_of(st.integers(0, 300), st.floats(0, 1e3, allow_nan=False))
point = st.builds(Point, coord, coord)
name = st.sampled_from(["", "a", "ab", "Train", "Store", "x y"])
prop_key = st.sampled_from(["authenticates", "exposure", "n", "x"])
prop_value = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(-2, 2),
                       st.sampled_from(["internet", "internal", "1"]))
BOX_KINDS = [ElementKind.EXTERNAL_ENTITY, ElementKind.PROCESS, ElementKind.DATA_STORE,
             ElementKind.BOUNDARY_BOX, ElementKind.ANNOTATION]


def dump(p: Project) -> tuple[Any, ...]:
    """Everything observable about the project, deep-copied, element order included."""
    def el(e: Element) -> tuple[Any, ...]:
        props = tuple(sorted((k, type(v).__name__, v) for k, v in e.properties.items()))
        return (e.id, e.kind, e.type_id, e.name, props, e.notes, e.rect, e.source_id,
                e.target_id, e.source_point, e.target_point, e.waypoints, e.label_pos,
                e.routing, e.points, tuple(sorted(e.extra.items())))

    return (
        p.id, repr(p.info()),
        tuple((d.id, d.name, tuple(el(e) for e in d)) for d in p.diagrams),
        tuple(sorted(p.threats.items())), tuple(sorted(p.triage.items())),  # keyed, unordered
        repr(sorted(p.rule_packs.items())), tuple(sorted(p.disabled_packs)),
    )


def seed() -> Project:
    p = Project("Seed", "p")
    d = Diagram("Main", "d1")
    p.add_diagram(d)
    d.add(make_box(ElementKind.BOUNDARY_BOX, "GE.TB.B", "Cloud", Rect(0, 0, 400, 300),
                   element_id="tb"))
    d.add(make_box(ElementKind.PROCESS, "GE.P", "API", Rect(10.5, 20, 80, 40),
                   {"authenticates": True}, "p1"))
    d.add(make_box(ElementKind.DATA_STORE, "GE.DS", "DB", Rect(200, 20, 80, 40),
                   element_id="s1"))
    d.add(make_flow("p1", "s1", "query", element_id="f1", waypoints=(Point(150, 0.1),)))
    d.add(make_line((Point(0, 0), Point(5, 500)), "line", element_id="l1"))
    p.add_diagram(Diagram("Second", "d2"))
    p.put_threat(ThreatRecord("T@p1", "Spoofing", element_ids=("p1",)))
    return p


@st.composite
def commands(draw: st.DrawFn, p: Project, counter: list[int]) -> Command | None:
    """One random command that fits the current project (sometimes an invalid one)."""
    counter[0] += 1
    fresh = f"n{counter[0]}"
    diagrams = list(p.diagrams)
    op = draw(st.sampled_from([
        "add", "add", "line", "connect", "connect", "remove", "move", "drag", "resize",
        "rename", "rename", "prop", "prop", "notes", "reconnect", "waypoints", "paste",
        "reorder", "add_diagram", "remove_diagram", "rename_diagram", "move_diagram",
        "info", "threat", "remove_threat", "triage", "pack", "rule_pack"]))
    if op == "add_diagram":
        index = draw(st.none() | st.integers(0, len(diagrams)))
        return AddDiagram(p, Diagram(draw(name), "D" + fresh), index)
    if op == "info":
        field = draw(st.sampled_from(["name", "owner", "scope", "reviewers"]))
        value = [draw(name)] if field == "reviewers" else draw(name)
        return SetProjectInfo(p, field, value)
    if op == "threat":
        return PutThreat(p, ThreatRecord(draw(st.sampled_from(["T@p1", "T2"])), draw(name),
                                         likelihood=draw(st.integers(1, 5))))
    if op == "remove_threat":
        return RemoveThreat(p, draw(st.sampled_from(["T@p1", "T2", "none"])))
    if op == "triage":
        state = draw(st.sampled_from(list(ThreatState)))
        return SetTriage(p, draw(st.sampled_from(["T@p1", "T2"])),
                         Triage(state, draw(name)), draw(st.sampled_from(["state", "text"])))
    if op == "pack":
        return SetPackEnabled(p, draw(st.sampled_from(["stride", "atlas"])), draw(st.booleans()))
    if op == "rule_pack":
        doc = draw(st.none() | st.builds(lambda n: {"id": "mine", "rules": [n]}, name))
        return PutRulePack(p, "mine", doc)
    if not diagrams:
        return None
    d = draw(st.sampled_from(diagrams))
    if op == "remove_diagram":
        return RemoveDiagram(p, d.id)
    if op == "rename_diagram":
        return RenameDiagram(p, d.id, draw(name))
    if op == "move_diagram":
        return MoveDiagram(p, d.id, draw(st.integers(-1, len(diagrams))))
    if op == "add":
        kind = draw(st.sampled_from(BOX_KINDS))
        rect = Rect(draw(coord), draw(coord), draw(size), draw(size))
        return AddElement(p, d.id, make_box(kind, kind.generic_type, draw(name), rect,
                                            element_id=fresh))
    if op == "line":
        pts = tuple(draw(st.lists(point, min_size=2, max_size=3)))
        return AddElement(p, d.id, make_line(pts, draw(name), element_id=fresh))
    elements = list(d.elements.values())
    ids = [e.id for e in elements]
    if op == "paste":
        chosen = draw(st.lists(st.sampled_from(ids), max_size=4)) if ids else []
        target = draw(st.sampled_from(diagrams))
        return Paste(p, target.id, copy_selection(d.elements, chosen), draw(coord), draw(coord))
    if not ids:
        return None
    # Mostly real ends; now and then a boundary or a missing id, which must fail cleanly.
    ends = [*ids, "missing"]
    if op == "connect":
        flow = make_flow(draw(st.sampled_from(ends)), draw(st.sampled_from(ends)), draw(name),
                         element_id=fresh)
        return Connect(p, d.id, flow)
    eid = draw(st.sampled_from(ids))
    e = d.get(eid)
    if op == "remove":
        return RemoveElements(p, d.id, draw(st.lists(st.sampled_from(ids), min_size=1,
                                                     max_size=3)))
    if op in ("move", "drag"):
        chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3))
        key = "drag" if op == "drag" else None
        return MoveElements(p, d.id, chosen, draw(coord), draw(coord), merge_key=key)
    if op == "resize":
        if e.rect is None:
            return None
        return Resize(p, d.id, eid, Rect(draw(coord), draw(coord), draw(size), draw(size)),
                      merge_key=draw(st.none() | st.just("handle")))
    if op == "rename":
        return Rename(p, d.id, eid, e.name + draw(name))
    if op == "prop":
        return SetProperty(p, d.id, eid, draw(prop_key), draw(prop_value))
    if op == "notes":
        return SetNotes(p, d.id, eid, e.notes + draw(name))
    if op == "reconnect":
        flows = [f.id for f in d.flows()]
        if not flows:
            return None
        src = draw(st.none() | st.sampled_from(ends))
        dst = draw(st.none() | st.sampled_from(ends))
        return Reconnect(p, d.id, draw(st.sampled_from(flows)), src, dst)
    if op == "waypoints":
        if not e.is_flow:
            return None
        return EditWaypoints(p, d.id, eid, draw(st.lists(point, max_size=3)),
                             merge_key=draw(st.none() | st.just("bend")))
    order = draw(st.permutations(ids))
    return Reorder(p, d.id, list(order))


@settings(max_examples=500, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_random_sequences_undo_and_redo_exactly(data: st.DataObject) -> None:
    p = seed()
    stack = UndoStack()
    states = [dump(p)]  # states[i]: the model with the first i steps of the stack done
    counter = [0]
    for _ in range(data.draw(st.integers(1, 30), label="length")):
        action = data.draw(st.sampled_from(["cmd"] * 8 + ["undo", "redo", "break"]))
        if action == "undo":
            if stack.undo():
                assert dump(p) == states[stack.index]
            continue
        if action == "redo":
            if stack.redo():
                assert dump(p) == states[stack.index]
            continue
        if action == "break":
            stack.break_merge()
            continue
        before = dump(p)
        try:
            cmd = data.draw(commands(p, counter))
            if cmd is None:
                continue
            event(type(cmd).__name__)
            stack.push(cmd)
        except DomainError:
            event("refused")
            assert dump(p) == before, "a failed command must leave the model unchanged"
            continue
        del states[stack.index:]
        states.append(dump(p))
        assert len(states) == stack.index + 1
    final = dump(p)
    top = stack.index
    while stack.undo():
        assert dump(p) == states[stack.index]
    assert dump(p) == states[0]
    while stack.index < top:
        stack.redo()
        assert dump(p) == states[stack.index]
    assert dump(p) == final
