"""The .tc.yaml format round-trips every part of a Project, byte for byte."""

from __future__ import annotations

from pathlib import Path

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
    make_box,
    make_flow,
    make_line,
)
from app.io import yaml_format as yf


def full_project() -> Project:
    """A project that sets every field the format knows, in awkward values."""
    p = Project("Demo: credit \"scoring\"", "p-1")
    p.description = "Line one\nline two\n\n  indented third\n"
    p.owner = "Jane Doe"
    p.reviewers = ["A. Auditor", "yes", "123"]
    p.contributors = ["Bob"]
    p.version = "1.10"
    p.scope = "Everything # not a comment"
    p.assumptions = ["TLS everywhere", "null"]
    p.external_dependencies = ["S3"]
    p.classification = "Confidential"
    p.created = "2026-01-02T03:04:05+00:00"
    p.modified = "2026-01-03T03:04:05+00:00"
    d = Diagram("Main", "d1")
    p.add_diagram(d)
    d.add(make_box(ElementKind.BOUNDARY_BOX, "GE.TB.B", "Cloud", Rect(0, 0, 500.5, 300),
                   {"trust_level": "trusted"}, "tb"))
    d.add(make_box(ElementKind.PROCESS, "ai.training_job", "Train", Rect(10.0, 20, 100, 60.25),
                   {"authenticates": False, "exposure": "internet", "n": 3, "x": 1.0,
                    "s": "true", "big": 1e300}, "e1"))
    d.add(make_box(ElementKind.DATA_STORE, "GE.DS", "", Rect(200, 20, 100, 60), element_id="e2")
          .with_changes(notes="multi\nline notes", extra={"tmt:type": "SE.DS.TMCore.SQL"}))
    d.add(make_box(ElementKind.EXTERNAL_ENTITY, "actor.end_user", "User", Rect(-50, -7.5, 0, 0),
                   element_id="007"))
    d.add(make_box(ElementKind.ANNOTATION, "GE.A", "Note: x", Rect(1, 1, 1, 1), element_id="n"))
    d.add(make_flow("e1", "e2", "features", element_id="f1", waypoints=(Point(150, 50.5),))
          .with_changes(label_pos=Point(0.1, 0.2), routing="orthogonal"))
    d.add(Element(id="f0", kind=ElementKind.DATA_FLOW, type_id="GE.DF",
                  source_point=Point(1.5, 2), target_id="007"))
    d.add(make_line((Point(0, 0), Point(0, 300), Point(5, 5)), "line", element_id="l1"))
    d.reorder(["f1", "tb", "e1", "e2", "007", "n", "f0", "l1"])
    p.add_diagram(Diagram("Second", "d2"))
    p.put_threat(ThreatRecord("R1@e1", "Poisoning", "Tampering", "desc\nmore", ("e1",), "d1",
                              "R1", "pack", "imported", 4, 5, ("AML.T0020",), ("ML02:2023",),
                              {"tmt:id": "42"}))
    p.put_threat(ThreatRecord("custom-1", "Plain"))
    p.set_triage("R1@e1", Triage(ThreatState.MITIGATED, "done", 2, 4,
                                 (MitigationItem("sign", "rule", "AML.M0014", True),
                                  MitigationItem("log")), "me", "n", "2026-01-01"))
    p.set_triage("custom-1", Triage(ThreatState.ACCEPTED))
    p.rule_packs["custom"] = {"id": "custom", "version": 2, "rules": [
        {"id": "r", "when": "source is 'GE.P'", "weight": 0.5, "tags": [], "none": None}]}
    p.disabled_packs = {"stride", "atlas"}
    return p


def structure(p: Project) -> tuple:
    """Everything observable about a project, in order."""
    return (
        p.id, p.info(), [(d.id, d.name, list(d.elements.items())) for d in p.diagrams],
        dict(p.threats), dict(p.triage), p.rule_packs, p.disabled_packs,
    )


def test_full_project_round_trips_exactly() -> None:
    p = full_project()
    text = yf.dumps(p)
    q = yf.loads(text, "m.tc.yaml")
    assert structure(q) == structure(p)
    assert yf.dumps(q) == text
    assert text.startswith("format: threatcanvas/1\n")


def test_ints_stay_ints_and_floats_minimal() -> None:
    text = yf.dumps(full_project())
    assert "rect: [10, 20, 100, 60.25]" in text
    assert "x: 1.0\n" in text  # a float property stays a float
    q = yf.loads(text)
    e1 = q.diagrams[0].get("e1")
    assert type(e1.properties["x"]) is float and type(e1.properties["n"]) is int
    assert e1.properties["s"] == "true" and e1.properties["authenticates"] is False


def test_write_is_atomic_and_read_back(tmp_path: Path) -> None:
    target = tmp_path / "m.tc.yaml"
    p = full_project()
    yf.write(p, target)
    assert structure(yf.read(target)) == structure(p)
    assert [f.name for f in tmp_path.iterdir()] == ["m.tc.yaml"]
