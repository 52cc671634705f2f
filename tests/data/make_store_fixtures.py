"""Build the `.tcm` fixtures of every released schema version (run once per version).

    .venv/bin/python tests/data/make_store_fixtures.py

writes tests/data/project-v<SCHEMA_VERSION>.tcm from `sample_project()`. A released
fixture is never regenerated: it is what old files look like, and tests open it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

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

HERE = Path(__file__).resolve().parent


def sample_project() -> Project:
    """A project that sets every persisted field, with awkward values."""
    p = Project("Fixture: credit \"scoring\" ✓", "proj-fixture-1")
    p.description = "Line one\nline two\n\n  indented — unicode ✓\n"
    p.owner = "Jane Doe"
    p.reviewers = ["A. Auditor", ""]
    p.contributors = ["Bob", "Zoë"]
    p.version = "1.10"
    p.scope = "Everything; 'quotes' and \"double\""
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
                    "s": "true", "big": 1e300, "neg": -0.0}, "e1"))
    d.add(make_box(ElementKind.DATA_STORE, "GE.DS", "", Rect(200, 20, 100, 60), element_id="e2")
          .with_changes(notes="multi\nline notes", extra={"tmt:type": "SE.DS.TMCore.SQL"}))
    d.add(make_box(ElementKind.EXTERNAL_ENTITY, "actor.end_user", "User", Rect(-50, -7.5, 0, 0),
                   element_id="007"))
    d.add(make_box(ElementKind.ANNOTATION, "GE.A", "Note: x", Rect(1, 1, 1, 1), element_id="n"))
    d.add(make_flow("e1", "e2", "features", element_id="f1", waypoints=(Point(150, 50.5),))
          .with_changes(label_pos=Point(0.1, 0.2), routing="orthogonal"))
    d.add(Element(id="f0", kind=ElementKind.DATA_FLOW, type_id="GE.DF",
                  source_point=Point(1.5, 2), target_id="007"))
    d.add(Element(id="f2", kind=ElementKind.DATA_FLOW, type_id="GE.DF", name="out",
                  source_id="e2", target_point=Point(9, 9)))
    d.add(make_line((Point(0, 0), Point(0, 300), Point(5, 5)), "line", element_id="l1"))
    d.reorder(["f1", "tb", "e1", "e2", "007", "n", "f0", "f2", "l1"])
    p.add_diagram(Diagram("Empty second", "d2"))
    d3 = Diagram("Third", "d3")
    p.add_diagram(d3)
    d3.add(make_box(ElementKind.PROCESS, "GE.P", "Same id, other diagram", Rect(0, 0, 10, 10),
                    element_id="e1"))
    p.put_threat(ThreatRecord("R1@e1", "Poisoning", "Tampering", "desc\nmore", ("e1",), "d1",
                              "R1", "pack", "imported", 4, 5, ("AML.T0020",), ("ML02:2023",),
                              {"tmt:id": "42"}))
    p.put_threat(ThreatRecord("custom-1", "Plain"))
    p.set_triage("R1@e1", Triage(ThreatState.MITIGATED, "done", 2, 4,
                                 (MitigationItem("sign", "rule", "AML.M0014", True),
                                  MitigationItem("log")), "me", "n", "2026-01-01"))
    p.set_triage("custom-1", Triage(ThreatState.ACCEPTED))
    p.set_triage("engine-rule@e2", Triage(ThreatState.NOT_APPLICABLE, "out of scope"))
    p.rule_packs["custom"] = {"id": "custom", "name": "Custom rules", "version": "2", "threats": [
        {"id": "C-1", "title": "Custom check on {element.name}", "category": "Tampering",
         "scope": "element", "include": "element is 'GE.P'", "likelihood": 2, "impact": 3,
         "references": []}]}
    p.disabled_packs = {"stride", "atlas"}
    return p


def structure(p: Project) -> tuple[Any, ...]:
    """Everything observable about a project, in order (diagram and drawing order too)."""
    return (
        p.id, p.info(), [(d.id, d.name, list(d.elements.items())) for d in p.diagrams],
        dict(p.threats), dict(p.triage), p.rule_packs, p.disabled_packs,
    )


def main() -> int:
    from app.store import SCHEMA_VERSION, ProjectStore

    out = HERE / f"project-v{SCHEMA_VERSION}.tcm"
    if out.exists() and "--force" not in sys.argv:
        print(f"{out} exists; released fixtures are never regenerated (use --force)")
        return 1
    ProjectStore.save_as(sample_project(), out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
