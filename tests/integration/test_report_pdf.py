"""The rendered PDF: every section's text (extracted with pypdf), outline, pagination,
hostile strings, large diagrams, determinism, and the `report` CLI."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.domain import Diagram, ElementKind, Rect, make_box, make_flow
from app.report.build import build_report
from app.report.pdf import render_pdf
from tests.integration.test_report_support import ATLAS, PACKS, small_project

SECTIONS = ("Executive summary", "Scope and assumptions", "Diagrams", "Element inventory",
            "Threat register", "MITRE ATLAS coverage", "Mitigation plan",
            "Not applicable and accepted threats", "Validation messages",
            "Appendix: threat descriptions", "Appendix: rule packs", "Sign-off")


def _render(project, findings=(), messages=()):
    report = build_report(project, findings, messages, PACKS, atlas=ATLAS,
                          tool_version="0.1.0")
    return report, render_pdf(report)


def _text(data: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def small():
    report, out = _render(*small_project())
    return report, out, _text(out.data)


def test_every_section_is_there_with_its_content(small) -> None:
    report, _, pages = small
    text = _flat(" ".join(pages))
    for title in SECTIONS:
        assert title in text, title
    expected = [
        "Fraud scoring", "Ana Owner", "Rui Reviewer, Zoë Ångström", "Confidential",
        report.meta.model_sha256, "ThreatCanvas 0.1.0", "2026-01-02T03:04:05+00:00",
        "Scores card payments for fraud", "The cloud provider's IAM is trusted.",
        "Hosted LLM provider", "Merchant", "Scoring API", "Model registry", "Cloud VPC",
        "returns_confidence_scores", "Membership inference against Scoring API",
        "AML.T0024.000", "ML04:2023", "Exfiltration", "Infer Training Data Membership",
        "applies to model version", "Audit checks", "Confidence scores leak membership.",
        "Open threats without an owner 1 check",
        "Not applicable or accepted threats without a justification 1 check",
        "Rule packs switched off tmt-import check",
        "unassigned", "Registry is write-once", "no justification recorded",
        "unconnected-element", "Reviewed in design session 3", "stride-core", "1.0.0",
        "Imported TMT template", "Signature", "Repudiation at Scoring API", "Likelihood",
    ]
    for s in expected:
        assert s in text, s


def test_pages_are_numbered_and_headed(small) -> None:
    _, out, pages = small
    assert out.pages == len(pages)
    for i, page in enumerate(pages, 1):
        assert f"page {i} of {out.pages}" in _flat(page)
        assert "CONFIDENTIAL" in page and "Fraud scoring" in page


def test_contents_and_outline_point_at_the_right_pages(small) -> None:
    _, out, pages = small
    reader = PdfReader(io.BytesIO(out.data))
    titles = {}

    def walk(items):
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                titles[it.title] = reader.get_destination_page_number(it) + 1

    walk(reader.outline)
    for title in SECTIONS:
        assert title in titles, title
        assert title in _flat(pages[titles[title] - 1])
    contents = _flat(pages[1])
    assert "Contents" in contents
    m = re.search(r"Threat register[ .]*?(\d+)", contents)
    assert m and int(m.group(1)) == titles["Threat register"]
    assert reader.metadata.title == "Threat model report: Fraud scoring"


def test_same_project_same_bytes() -> None:
    a = _render(*small_project())[1].data
    b = _render(*small_project())[1].data
    assert a == b
    assert b"CreationDate" not in a or b"D:20000101" in a  # reportlab's invariant date


HOSTILE = [
    'Tag <b>bold</b> & "quotes" \'single\' <script>alert(1)</script>',
    "Ampersand &amp; entity &lt;not a tag&gt;",
    "Supercalifragilistic" * 12,
    "数据管道 训练作业",
    "한국어 모델 ひらがな",
    "Модель оценки",
    "Μοντέλο",
    "עיבוד נתונים",
    "Microbe 🦠 here",
    "नमस्ते",
    "Bell\x07char",
]


def test_hostile_strings_appear_literally() -> None:
    p, findings, messages = small_project()
    d = p.diagrams[0]
    for i, name in enumerate(HOSTILE):
        d.add(make_box(ElementKind.PROCESS, "GE.P", name, Rect(40 + i * 10, 400 + i * 70, 140, 60),
                       {"note": name}, element_id=f"h{i}"))
    p.description = HOSTILE[0]
    p.assumptions = HOSTILE
    p.reviewers = [HOSTILE[3]]
    p.classification = "Secret <&>"
    _, out = _render(p, findings, messages)
    text = _flat(" ".join(_text(out.data)))
    assert HOSTILE[0] in text
    assert HOSTILE[1] in text
    for s in HOSTILE[3:7]:
        assert s in text, s
    # right-to-left text is drawn in display order (pypdf turns it back into logical order)
    assert HOSTILE[7] in text or HOSTILE[7][::-1] in text
    assert "Right-to-left text (Hebrew, Arabic) is shown in display order" in text
    # a word longer than any column wraps instead of running off the page: all of it is there
    assert text.replace(" ", "").count("Supercalifragilistic" * 12) >= 2
    # no glyph: shown as a marker, listed in the rendering notes, and reported
    assert "[U+1F9A0]" in text and "Rendering notes" in text and "[U+0007]" in text
    assert "🦠" in out.missing_glyphs and "\x07" in out.missing_glyphs
    # combining marks without a glyph are reported too, never silently dropped
    assert "[U+0928][U+092E][U+0938][U+094D][U+0924][U+0947]" in text.replace(" ", "")
    assert "SECRET <&>" in text


def test_large_diagram_is_split_into_labelled_overlapping_parts() -> None:
    p, f, v = small_project()
    big = Diagram("Wide landscape", diagram_id="d-2")
    p.add_diagram(big)
    prev = None
    for i in range(40):
        big.add(make_box(ElementKind.PROCESS, "GE.P", f"Step {i}",
                         Rect(i * 200, (i % 7) * 260, 140, 60), element_id=f"w{i}"))
        if prev:
            big.add(make_flow(prev, f"w{i}", f"hop {i}", element_id=f"wf{i}"))
        prev = f"w{i}"
    _, out = _render(p, f, v)
    text = _flat(" ".join(_text(out.data)))
    assert "Overview: the diagram is split into" in text
    m = re.search(r"split into (\d+) × (\d+) overlapping parts", text)
    assert m
    rows, cols = int(m.group(1)), int(m.group(2))
    assert cols >= 2
    skipped = re.search(r"(\d+) part\(s\) with nothing drawn in them are left out", text)
    parts = re.findall(r"Wide landscape — part (\d+)\.(\d+) \(row \1 of (\d+), column \2 of "
                       r"(\d+)\)", text)
    assert len(parts) == rows * cols - (int(skipped.group(1)) if skipped else 0) > 1
    assert (1, 1) in {(int(a), int(b)) for a, b, _, _ in parts}
    assert all((int(r), int(c)) == (rows, cols) for _, _, r, c in parts)
    # every element's name is drawn somewhere (labels are never lost to the split)
    for i in range(40):
        assert f"Step {i}" in text


def test_cli_writes_pdf_csv_json_and_sarif(tmp_path: Path, capsys) -> None:
    from app.cli.main import main
    from app.services.files import save_project

    p, _, _ = small_project()
    model = tmp_path / "model.tc.yaml"
    save_project(p, model)
    out = tmp_path / "r.pdf"
    rc = main(["report", str(model), "-o", str(out), "--csv", str(tmp_path / "r.csv"),
               "--json", str(tmp_path / "r.json"), "--sarif", str(tmp_path / "r.sarif")])
    assert rc == 0
    assert "threats" in capsys.readouterr().out
    text = _flat(" ".join(_text(out.read_bytes())))
    assert "model.tc.yaml" in text and "Threat register" in text
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["project"]["name"] == "Fraud scoring" and data["threats"]
    sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").startswith("ref,key,title")
    # auditors can hash the report: the same model gives the same bytes, run after run
    again = tmp_path / "again.pdf"
    assert main(["report", str(model), "-o", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_cli_bad_input_is_one_error_line(tmp_path: Path, capsys) -> None:
    from app.cli.main import main

    assert main(["report", str(tmp_path / "missing.tc.yaml"), "-o",
                 str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    model = tmp_path / "m.tc.yaml"
    model.write_text("x", encoding="utf-8")
    assert main(["report", str(model), "-o", str(model)]) == 2
    assert model.read_text(encoding="utf-8") == "x"
    assert main(["report", str(model)]) == 2
