"""Diagram lint messages."""

from __future__ import annotations

from app.domain import Element, ElementKind, Point, ValidationMessage, make_line
from app.domain.project import DiagramSnapshot, ProjectSnapshot
from app.engine.lint import lint
from tests.unit.test_engine_support import ModelBuilder


def codes(msgs: list[ValidationMessage]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for m in msgs:
        out.setdefault(m.code, []).append(m.element_ids)
    return out


def test_clean_model_has_no_warnings() -> None:
    b = ModelBuilder()
    b.box("tb", (-50, -50, 300, 200), trust_level="trusted")
    b.node("u", "actor.end_user", "GE.EI", name="User", at=(400, 0))
    b.node("p", "generic.web_app", name="App", at=(0, 0))
    b.node("db", "generic.database", "GE.DS", name="DB", at=(0, 100))
    b.flow("f1", "u", "p", "req")
    b.flow("f2", "p", "db", "write")
    b.flow("f3", "db", "p", "read")
    b.flow("f4", "p", "u", "resp")
    msgs = lint(b.snapshot())
    assert [m for m in msgs if m.level != "info"] == []
    assert all(m.diagram_id == "d1" for m in msgs)


def test_lint_finds_what_an_analyst_would_fix() -> None:
    b = ModelBuilder()
    b.box("tb", (0, -50, 260, 200))
    b.box("empty", (3000, 0, 100, 100))
    b.node("lonely", "generic.web_app", name="Lonely", at=(600, 0))
    b.node("p", "generic.web_app", name="", at=(240, 0))  # straddles the box edge, unnamed
    b.node("db", "generic.database", "GE.DS", name="DB", at=(800, 0))
    b.node("db2", "generic.database", "GE.DS", name="db", at=(1000, 0))
    b.node("e", "actor.end_user", "GE.EI", name="E", at=(1200, 0))
    b.node("e2", "actor.end_user", "GE.EI", name="E2", at=(1400, 0))
    b.flow("f1", "p", "db", "")
    b.flow("f2", "db", "db2", "copy")
    b.flow("f3", "p", "p", "loop")
    b.flow("f4", "e", "db2", "upload")
    b.flow("f5", "e", "e2", "chat")
    b.node("sink", "generic.web_app", name="Sink", at=(1600, 0))
    b.node("src", "generic.web_app", name="Src", at=(1800, 0))
    b.node("db3", "generic.database", "GE.DS", name="DB3", at=(2000, 0))
    b.flow("f6", "e", "sink", "in")
    b.flow("f7", "src", "e", "out")
    b.flow("f8", "db3", "sink", "read")
    d = b.diagram
    d.add(Element("dang", ElementKind.DATA_FLOW, "GE.DF", "half", source_id="e",
                  target_point=Point(5, 5)))
    d.add(make_line((Point(0, 0),), element_id="l1"))
    c = codes(lint(b.snapshot()))
    assert c["unconnected-element"] == [("lonely",)]
    assert c["process-no-output"] == [("sink",)]
    assert c["process-no-input"] == [("src",)]
    assert ("p",) in c["unnamed-element"]
    assert c["unnamed-flow"] == [("f1",)]
    assert c["straddles-boundary"] == [("p", "tb")]
    assert c["store-to-store"] == [("f2", "db", "db2")]
    assert c["self-loop"] == [("f3", "p")]
    assert c["entity-store-direct"] == [("f4", "e", "db2")]
    assert c["entity-to-entity"] == [("f5", "e", "e2")]
    assert c["flow-missing-end"] == [("dang",)]
    assert c["duplicate-name"] == [("db", "db2")]
    assert c["store-never-written"] == [("db3",)]
    assert c["store-never-read"] == [("db2",)]
    assert c["empty-boundary"] == [("tb",), ("empty",)]  # p's centre is outside tb
    assert c["short-boundary-line"] == [("l1",)]
    assert ("e2",) not in c.get("unconnected-element", [])


def test_dangling_references_and_flows_into_annotations() -> None:
    b = ModelBuilder()
    b.node("p", "generic.web_app", name="P")
    b.node("note", "GE.A", "GE.A", name="Note")
    elements = dict(b.diagram.elements)
    elements["f"] = Element("f", ElementKind.DATA_FLOW, "GE.DF", "x", source_id="p",
                            target_id="note")
    elements["g"] = Element("g", ElementKind.DATA_FLOW, "GE.DF", "y", source_id="gone",
                            target_id="p")
    snap = ProjectSnapshot("p", "p", (DiagramSnapshot("d1", "Main", elements),
                                      DiagramSnapshot("d2", "Empty", {}),
                                      DiagramSnapshot("d3", "Copy", {"p": elements["p"]})))
    c = codes(lint(snap))
    assert c["duplicate-id"] == [("p",)]
    assert c["flow-to-non-node"] == [("f", "note")]
    assert c["flow-dangling-end"] == [("g",)]
    assert c["empty-diagram"] == [()]
