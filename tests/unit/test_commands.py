"""Commands one by one: one gesture is one undo step, typing merges, failures change nothing."""

from __future__ import annotations

import pytest

from app.commands import (
    AddDiagram,
    AddElements,
    Connect,
    EditWaypoints,
    MoveElements,
    Paste,
    Reconnect,
    RemoveDiagram,
    RemoveElements,
    RemoveThreat,
    Rename,
    Resize,
    SetGeometry,
    SetProperty,
    SetTriage,
    UndoStack,
    copy_selection,
)
from app.domain import (
    Diagram,
    DomainError,
    ElementKind,
    InvalidFlowError,
    Point,
    Project,
    Rect,
    ThreatRecord,
    ThreatState,
    Triage,
    make_box,
    make_flow,
)
from app.domain import events as ev

from .test_commands_property import dump


@pytest.fixture
def project() -> Project:
    p = Project("P", "p")
    d = Diagram("Main", "d")
    p.add_diagram(d)
    d.add(make_box(ElementKind.PROCESS, "GE.P", "API", Rect(0.1, 0.2, 80, 40), element_id="a"))
    d.add(make_box(ElementKind.DATA_STORE, "GE.DS", "DB", Rect(200, 0, 80, 40), element_id="b"))
    d.add(make_box(ElementKind.EXTERNAL_ENTITY, "GE.EI", "User", Rect(-200, 0, 80, 40),
                   element_id="u"))
    d.add(make_flow("a", "b", "write", element_id="f1"))
    d.add(make_flow("u", "a", "call", element_id="f2"))
    d.add(make_box(ElementKind.BOUNDARY_BOX, "GE.TB.B", "Zone", Rect(-10, -10, 400, 80),
                   element_id="z"))
    return p


def test_typing_into_a_name_is_one_step(project: Project) -> None:
    stack = UndoStack()
    for text in ("A", "AP", "API v2"):
        stack.push(Rename(project, "d", "a", text))
    assert len(stack) == 1 and stack.undo_label() == "Rename to 'API v2'"
    assert project.diagram("d").get("a").name == "API v2"
    stack.undo()
    assert project.diagram("d").get("a").name == "API"
    stack.redo()
    assert project.diagram("d").get("a").name == "API v2"


def test_merging_stops_at_break_undo_and_clean(project: Project) -> None:
    stack = UndoStack()
    stack.push(Rename(project, "d", "a", "x"))
    stack.break_merge()
    stack.push(Rename(project, "d", "a", "xy"))
    assert len(stack) == 2
    stack.set_clean()
    stack.push(Rename(project, "d", "a", "xyz"))
    assert len(stack) == 3  # never merge into the saved state
    stack.push(Rename(project, "d", "b", "other element"))
    assert len(stack) == 4


def test_set_property_merges_per_field(project: Project) -> None:
    stack = UndoStack()
    stack.push(SetProperty(project, "d", "a", "protocol", "H"))
    stack.push(SetProperty(project, "d", "a", "protocol", "HTTPS"))
    stack.push(SetProperty(project, "d", "a", "exposure", "internet"))
    assert len(stack) == 2
    assert project.diagram("d").get("a").properties == {"protocol": "HTTPS",
                                                        "exposure": "internet"}
    stack.undo()
    stack.undo()
    assert project.diagram("d").get("a").properties == {}


def test_a_drag_is_one_step_and_undoes_exactly(project: Project) -> None:
    stack = UndoStack()
    before = dump(project)
    for _ in range(10):
        stack.push(MoveElements(project, "d", ["a", "f1"], 0.1, 0.7, merge_key="drag-1"))
    assert len(stack) == 1
    moved = project.diagram("d").get("a").rect
    assert moved is not None and moved.x == pytest.approx(1.1)
    stack.undo()
    assert dump(project) == before
    stack.redo()
    assert project.diagram("d").get("a").rect == moved
    stack.push(MoveElements(project, "d", ["a"], 1, 1))
    stack.push(MoveElements(project, "d", ["a"], 1, 1))
    assert len(stack) == 3  # separate nudges without a drag key stay separate


def test_resize_and_waypoint_drags_merge(project: Project) -> None:
    stack = UndoStack()
    for w in (90, 100, 110):
        stack.push(Resize(project, "d", "a", Rect(0, 0, w, 40), merge_key="handle"))
    for y in (5, 6):
        stack.push(EditWaypoints(project, "d", "f1", [Point(100, y)], merge_key="bend"))
    assert len(stack) == 2
    assert project.diagram("d").get("f1").waypoints == (Point(100, 6),)
    stack.undo()
    stack.undo()
    assert project.diagram("d").get("a").rect == Rect(0.1, 0.2, 80, 40)
    assert project.diagram("d").get("f1").waypoints == ()


def test_remove_cascades_and_undo_restores_order(project: Project) -> None:
    d = project.diagram("d")
    stack = UndoStack()
    order = list(d.elements)
    stack.push(RemoveElements(project, "d", ["a"]))
    assert list(d.elements) == ["b", "u", "z"]
    stack.undo()
    assert list(d.elements) == order
    assert d.get("f1").source_id == "a"


def test_paste_is_one_step_with_fresh_ids(project: Project) -> None:
    d = project.diagram("d")
    stack = UndoStack()
    copied = copy_selection(d.elements, ["a", "b", "z"])
    assert [e.id for e in copied] == ["a", "b", "z", "f1"]  # f2's source was not copied
    stack.push(Paste(project, "d", copied, 20, 20))
    assert len(stack) == 1 and len(d) == 10
    new = [e for e in d if e.id not in ("a", "b", "u", "f1", "f2", "z")]
    flow = next(e for e in new if e.is_flow)
    assert {flow.source_id, flow.target_id} <= {e.id for e in new}
    assert d.get(flow.source_id).rect == Rect(20.1, 20.2, 80, 40)
    stack.undo()
    assert len(d) == 6


def test_failed_commands_change_nothing(project: Project) -> None:
    stack = UndoStack()
    before = dump(project)
    bad_batch = [make_box(ElementKind.PROCESS, "GE.P", "new", Rect(0, 0, 1, 1), element_id="n"),
                 make_flow("n", "nowhere", element_id="nf")]
    with pytest.raises(InvalidFlowError):
        stack.push(AddElements(project, "d", bad_batch))
    with pytest.raises(InvalidFlowError):
        stack.push(Connect(project, "d", make_flow("a", "z", element_id="g")))
    with pytest.raises(InvalidFlowError):
        stack.push(Reconnect(project, "d", "f1", target_id="z"))
    d = project.diagram("d")
    new = {"a": d.get("a").with_changes(rect=Rect(5, 5, 5, 5)),
           "b": d.get("b").with_changes(rect=Rect(0, 0, -1, 5))}
    with pytest.raises(DomainError):
        stack.push(SetGeometry(project, "d", new))
    assert dump(project) == before and len(stack) == 0


def test_reconnect_and_diagram_commands_undo(project: Project) -> None:
    stack = UndoStack()
    before = dump(project)
    stack.push(Reconnect(project, "d", "f1", source_id="u"))
    assert project.diagram("d").get("f1").source_id == "u"
    stack.push(AddDiagram(project, Diagram("Zero", "d0"), 0))
    stack.push(RemoveDiagram(project, "d"))
    assert [d.id for d in project.diagrams] == ["d0"]
    while stack.undo():
        pass
    assert dump(project) == before


def test_remove_threat_takes_its_triage_along(project: Project) -> None:
    project.put_threat(ThreatRecord("k", "Spoofing"))
    stack = UndoStack()
    stack.push(SetTriage(project, "k", Triage(ThreatState.MITIGATED, "TLS")))
    stack.push(RemoveThreat(project, "k"))
    assert "k" not in project.threats and "k" not in project.triage
    stack.undo()
    assert project.triage["k"].state is ThreatState.MITIGATED


def test_commands_emit_past_tense_events(project: Project) -> None:
    seen: list[ev.Event] = []
    project.subscribe(seen.append)
    stack = UndoStack()
    stack.push(Rename(project, "d", "a", "Gateway"))
    stack.push(RemoveElements(project, "d", ["b"]))
    stack.undo()
    kinds = [type(e).__name__ for e in seen]
    assert kinds[0] == "ElementRenamed" and seen[0] == ev.ElementRenamed("d", "a", "API",
                                                                         "Gateway")
    assert kinds[1:3] == ["ElementRemoved", "ElementRemoved"]  # the flow f1, then b
    assert [e.element_id for e in seen[1:3]] == ["f1", "b"]
    assert kinds[3:] == ["ElementAdded", "ElementAdded"]


def test_stack_limit_and_change_callback(project: Project) -> None:
    calls: list[int] = []
    stack = UndoStack(limit=2, on_change=lambda: calls.append(1))
    for name in ("x", "y", "z"):
        stack.push(Rename(project, "d", "a", name))
        stack.break_merge()
    assert len(stack) == 2 and stack.labels() == ["Rename to 'y'", "Rename to 'z'"]
    assert len(calls) == 3
    stack.undo()
    stack.undo()
    assert not stack.undo() and project.diagram("d").get("a").name == "x"
