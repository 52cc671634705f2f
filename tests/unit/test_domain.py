"""Domain invariants, cascading removal, events, metadata and snapshots."""

from __future__ import annotations

import pytest

from app.domain import (
    Diagram,
    DomainError,
    Element,
    ElementKind,
    InvalidFlowError,
    Point,
    Project,
    Rect,
    Severity,
    ThreatRecord,
    ThreatState,
    Triage,
    UnknownDiagramError,
    UnknownElementError,
    make_box,
    make_flow,
    make_line,
    severity_for,
    threat_key,
)
from app.domain import events as ev


def box(eid: str, kind: ElementKind = ElementKind.PROCESS, x: float = 0, y: float = 0,
        w: float = 50, h: float = 30) -> Element:
    return make_box(kind, kind.generic_type, eid.upper(), Rect(x, y, w, h), element_id=eid)


@pytest.fixture
def project() -> Project:
    p = Project("P", "p")
    d = Diagram("Main", "d")
    p.add_diagram(d)
    for e in (box("a"), box("b", ElementKind.DATA_STORE, 100), box("c", ElementKind.EXTERNAL_ENTITY,
                                                                     200),
              box("z", ElementKind.BOUNDARY_BOX, -10, -10, 90, 60)):
        d.add(e)
    d.add(make_flow("a", "b", "ab", element_id="ab"))
    d.add(make_flow("c", "a", "ca", element_id="ca"))
    d.add(make_flow("b", "c", "bc", element_id="bc"))
    return p


# -- invariants ---------------------------------------------------------------------------
def test_flow_ends_must_exist_on_the_diagram(project: Project) -> None:
    d = project.diagram("d")
    with pytest.raises(InvalidFlowError, match="target 'nope' is not on diagram 'Main'"):
        d.add(make_flow("a", "nope", element_id="f"))
    other = Diagram("Other", "d2")
    project.add_diagram(other)
    with pytest.raises(InvalidFlowError):
        other.add(make_flow("a", "b", element_id="f"))  # the ends live on another diagram
    assert "f" not in d and "f" not in other


def test_flow_ends_must_be_nodes(project: Project) -> None:
    with pytest.raises(InvalidFlowError, match="not a boundary box"):
        project.diagram("d").add(make_flow("a", "z", element_id="f"))
    with pytest.raises(InvalidFlowError, match="not a data flow"):
        project.diagram("d").add(make_flow("ab", "a", element_id="f"))


def test_dangling_end_needs_a_point(project: Project) -> None:
    d = project.diagram("d")
    with pytest.raises(InvalidFlowError, match="no source and no source point"):
        d.add(Element(id="f", kind=ElementKind.DATA_FLOW, type_id="GE.DF", target_id="a"))
    d.add(Element(id="f", kind=ElementKind.DATA_FLOW, type_id="GE.DF", target_id="a",
                  source_point=Point(-100, 0)))
    assert d.get("f").source_point == Point(-100, 0)


def test_other_invariants(project: Project) -> None:
    d = project.diagram("d")
    with pytest.raises(DomainError, match="already on"):
        d.add(box("a"))
    with pytest.raises(DomainError, match="needs a rectangle"):
        d.add(Element(id="r", kind=ElementKind.PROCESS, type_id="GE.P"))
    with pytest.raises(DomainError, match="negative size"):
        d.add(box("neg", w=-1))
    with pytest.raises(DomainError, match="cannot change"):
        d.replace(d.get("a").with_changes(kind=ElementKind.DATA_STORE))
    with pytest.raises(DomainError, match="is not a box"):
        d.set_rect("ab", Rect(0, 0, 1, 1))
    with pytest.raises(DomainError, match="is not a flow"):
        d.set_waypoints("a", (Point(0, 0),))
    with pytest.raises(DomainError, match="is not a boundary line"):
        d.set_points("a", (Point(0, 0), Point(1, 1)))
    with pytest.raises(DomainError, match="every element exactly once"):
        d.reorder(["a"])
    with pytest.raises(UnknownElementError, match="no element 'q'"):
        d.get("q")
    with pytest.raises(ValueError, match="not drawn as a box"):
        make_box(ElementKind.DATA_FLOW, "GE.DF", "x", Rect(0, 0, 1, 1))


def test_reconnect_checks_and_keeps_the_flow_on_failure(project: Project) -> None:
    d = project.diagram("d")
    old = d.get("ab")
    with pytest.raises(InvalidFlowError):
        d.reconnect("ab", None, "z")
    assert d.get("ab") == old
    assert d.reconnect("ab", "c", None) == old
    assert (d.get("ab").source_id, d.get("ab").target_id) == ("c", "b")


# -- cascading removal --------------------------------------------------------------------
def test_removing_an_element_removes_its_flows(project: Project) -> None:
    d = project.diagram("d")
    order = list(d.elements)
    removed = d.remove(["a"])
    assert [e.id for _, e in removed] == ["a", "ab", "ca"]
    assert [i for i, _ in removed] == [0, 4, 5]
    assert list(d.elements) == ["b", "c", "z", "bc"]
    d.restore(removed)
    assert list(d.elements) == order


def test_remove_validates_every_id_first(project: Project) -> None:
    d = project.diagram("d")
    with pytest.raises(UnknownElementError):
        d.remove(["a", "missing"])
    assert len(d) == 7


def test_removing_a_flow_leaves_its_ends(project: Project) -> None:
    d = project.diagram("d")
    d.remove(["ab"])
    assert {"a", "b"} <= set(d.elements) and "ab" not in d


# -- events -------------------------------------------------------------------------------
def test_edits_emit_past_tense_events(project: Project) -> None:
    seen: list[ev.Event] = []
    unsubscribe = project.subscribe(seen.append)
    d = project.diagram("d")
    d.rename("a", "API")
    d.set_property("a", "exposure", "internet")
    d.set_property("a", "exposure", None)
    d.set_rect("a", Rect(1, 2, 3, 4))
    d.reconnect("ab", None, "c")
    d.remove(["b"])
    project.rename_diagram("d", "Main 2")
    project.set_info("owner", "Jane")
    project.set_triage("k", Triage(ThreatState.MITIGATED))
    assert seen == [
        ev.ElementRenamed("d", "a", "A", "API"),
        ev.PropertyChanged("d", "a", "exposure", None, "internet"),
        ev.PropertyChanged("d", "a", "exposure", "internet", None),
        ev.ElementMoved("d", "a"),
        ev.FlowReconnected("d", "ab"),
        ev.ElementRemoved("d", "bc"),
        ev.ElementRemoved("d", "b"),
        ev.DiagramRenamed("d", "Main", "Main 2"),
        ev.ProjectInfoChanged("owner", "", "Jane"),
        ev.TriageChanged("k"),
    ]
    unsubscribe()
    d.rename("a", "quiet")
    assert len(seen) == 10


def test_removed_diagram_stops_emitting(project: Project) -> None:
    seen: list[ev.Event] = []
    project.subscribe(seen.append)
    _, d = project.remove_diagram("d")
    d.rename("a", "detached")
    assert seen == [ev.DiagramRemoved("d", 0)]
    project.add_diagram(d)
    d.rename("a", "back")
    assert seen[-1] == ev.ElementRenamed("d", "a", "detached", "back")


# -- project ------------------------------------------------------------------------------
def test_diagrams_in_order(project: Project) -> None:
    project.add_diagram(Diagram("First", "d0"), 0)
    project.add_diagram(Diagram("Last", "d9"))
    assert [d.id for d in project.diagrams] == ["d0", "d", "d9"]
    assert project.move_diagram("d9", 0) == 2
    assert [d.id for d in project.diagrams] == ["d9", "d0", "d"]
    with pytest.raises(DomainError, match="already in the project"):
        project.add_diagram(Diagram("dup", "d0"))
    with pytest.raises(UnknownDiagramError):
        project.diagram("nope")
    assert project.find_element("ab") == (project.diagram("d"), project.diagram("d").get("ab"))
    assert project.find_element("nope") is None


def test_metadata(project: Project) -> None:
    assert project.set_info("reviewers", ("A", 2)) == []
    assert project.reviewers == ["A", "2"]
    with pytest.raises(DomainError, match="unknown project field"):
        project.set_info("colour", "red")
    with pytest.raises(DomainError, match="takes text"):
        project.set_info("owner", 3)
    info = project.info()
    info["reviewers"].append("mutated")
    assert project.reviewers == ["A", "2"]


def test_counts_and_snapshot(project: Project) -> None:
    d = project.diagram("d")
    d.add(make_line((Point(0, 0), Point(0, 100)), element_id="l"))
    d.add(box("n", ElementKind.ANNOTATION, 500))
    project.put_threat(ThreatRecord("t1", "One"))
    project.put_threat(ThreatRecord("t2", "Two"))
    project.set_triage("t2", Triage(ThreatState.ACCEPTED))
    snap = project.snapshot()
    d.remove(["a"])
    assert project.counts() == {
        "diagrams": 1,
        "elements": {"external_entity": 1, "process": 0, "data_store": 1, "annotation": 1},
        "flows": 1,
        "boundaries": {"box": 1, "line": 1},
        "threats": {"total": 2, "by_state": {"accepted_risk": 1, "not_started": 1}},
    }
    assert "a" in snap.diagrams[0].elements and len(snap.diagrams[0].elements) == 9
    with pytest.raises(TypeError):
        snap.diagrams[0].elements["x"] = box("x")  # type: ignore[index]


def test_element_values_are_immutable_and_copy_their_dicts() -> None:
    a = box("a").with_property("k", 1)
    b = a.with_property("k", 2)
    assert a.properties == {"k": 1} and b.properties == {"k": 2}
    assert a.with_property("k", None).properties == {}
    with pytest.raises(AttributeError):
        a.name = "x"  # type: ignore[misc]
    f = Element(id="f", kind=ElementKind.DATA_FLOW, type_id="GE.DF", source_id="a",
                target_point=Point(1, 1), waypoints=(Point(2, 2),), label_pos=Point(3, 3))
    g = f.translated(10, 1)
    assert (g.target_point, g.waypoints, g.label_pos) == (Point(11, 2), (Point(12, 3),),
                                                          Point(13, 4))
    line = make_line((Point(0, 0), Point(1, 1))).translated(1, 1)
    assert line.points == (Point(1, 1), Point(2, 2))


def test_threat_helpers() -> None:
    assert threat_key("STRIDE.S1", ["a", "b"]) == "STRIDE.S1@a,b"
    assert severity_for(5, 5) is Severity.CRITICAL and severity_for(3, 4) is Severity.HIGH
    assert severity_for(2, 3) is Severity.MEDIUM and severity_for(1, 9) is Severity.LOW
    assert severity_for(0, 99) is Severity.LOW  # levels clamp to 1..5
    assert Triage(modified="x").is_default and not Triage(notes="n").is_default
    assert ThreatRecord("k", "t", likelihood=4, impact=5).severity is Severity.CRITICAL
    assert ElementKind.BOUNDARY_LINE.generic_type == "GE.TB.L"
