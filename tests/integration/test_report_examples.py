"""Reports of the bundled example projects, analysed by the real engine: complete and
traceable (every element, every finding, every ATLAS id), and readable as PDF text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.report.pdf import render_pdf
from app.services.files import load_project
from app.services.report import analyse, make_report

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "templates" / "examples")
                  .glob("*.tc.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name.split(".")[0])
def test_example_report(path: Path) -> None:
    project = load_project(path)
    analysis = analyse(project)
    report = make_report(project, analysis, source=path)
    # every element, every finding, once
    ids = {e.id for _, e in project.iter_elements()}
    assert {e.id for e in report.elements} == ids
    assert sorted(t.key for t in report.threats) == sorted({f.key for f in analysis.findings})
    refs = [t.ref for t in report.threats]
    assert len(set(refs)) == len(refs) and refs[0].endswith("1")
    s = report.summary
    assert sum(n for _, n in s.by_state) == s.total
    assert sum(n for _, n, _ in s.by_severity) == s.total
    assert sum(map(sum, s.heat)) <= s.total
    # the bundled ATLAS index knows every technique the rule packs cite
    assert report.unmapped_atlas == ()
    cited = {a for t in report.threats if t.applies for a in t.atlas}
    found = {tid for col in report.atlas for tid, _, _ in col.techniques}
    assert cited == found
    assert {p.id for p in report.packs} >= {"stride-core", "ai-ml", "graph"}
    assert {t.pack for t in report.threats} <= {p.id for p in report.packs}
    for t in report.threats:  # attack paths are spelled out, entry point to asset
        if t.rule_id == "PATH-001" and t.applies:
            assert t.path and not any(n.startswith("(missing") for n in t.path)
    assert report.meta.source_sha256 and report.meta.source_file == path.name
    # icons are passed in for the stencils the diagrams use
    used = {e.type_id for _, e in project.iter_elements() if e.kind.is_node}
    assert used <= set(report.icons)

    out = render_pdf(report)
    reader = PdfReader(io.BytesIO(out.data))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert project.name in text
    for e in report.elements:
        assert e.name in text, e.name
    for t in report.threats[:25]:
        assert t.ref in text and t.title in text, t.title
    if any(t.controls for t in report.mitigation_plan):
        assert "Would be removed or downgraded by: set" in text
    assert out.missing_glyphs == ()
