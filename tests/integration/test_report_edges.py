"""Odd models and bad files: the report still renders, or fails with one clear FileError."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from app.domain import (
    Diagram,
    Element,
    ElementKind,
    FileError,
    Point,
    Project,
    Rect,
    make_box,
    make_line,
)
from app.report.atlas import load_atlas
from app.report.build import build_report
from app.report.fastcell import FastCell
from app.report.fonts import TextKit
from app.report.pdf import render_pdf, write_pdf
from app.report.styles import load_style
from app.report.svg_icon import IconPainter, parse_path


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_empty_project_renders_every_section_saying_none() -> None:
    p = Project("Empty", project_id="e")
    p.created = p.modified = "2026-01-01T00:00:00+00:00"
    out = render_pdf(build_report(p))
    text = _text(out.data)
    for s in ("The model has no diagrams.", "No description.", "No assumptions recorded.",
              "None.", "Sign-off", "0 applicable threats"):
        assert s in text, s


def test_odd_geometry_is_drawn_without_errors() -> None:
    p = Project("Odd", project_id="o")
    d = Diagram("Odd shapes", diagram_id="d")
    p.add_diagram(d)
    d.add(make_box(ElementKind.PROCESS, "GE.P", "", Rect(0, 0, 0, 0), element_id="zero"))
    d.add(make_box(ElementKind.DATA_STORE, "GE.DS", "Store", Rect(300, 0, 100, 40),
                   element_id="s"))
    d.add(Element("dangling", ElementKind.DATA_FLOW, "GE.DF", "half flow", source_id="s",
                  target_point=Point(600, 300)))
    d.add(make_line((Point(200, -50), Point(200, 400)), "Internet edge", element_id="line"))
    d.add(make_box(ElementKind.ANNOTATION, "GE.A", "", Rect(0, 300, 80, 30), element_id="a"))
    d.add(make_box(ElementKind.EXTERNAL_ENTITY, "no.such.stencil", "Unknown type",
                   Rect(-500, -500, 120, 60), element_id="u"))
    report = build_report(p, icons={"GE.DS": "/no/such/icon.svg"})
    out = render_pdf(report, paint_icon=IconPainter())
    text = _text(out.data)
    assert "Store → (dangling)" in text
    assert "(unnamed process)" in text and "Internet edge" in text and "Unknown type" in text


def test_bad_template_and_atlas_files_are_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "report.yaml"
    bad.write_text("page: [", encoding="utf-8")
    with pytest.raises(FileError, match=r"report\.yaml"):
        load_style(bad)
    bad.write_text("page: {size: A5}\n", encoding="utf-8")
    with pytest.raises(FileError):
        load_style(bad)
    with pytest.raises(FileError, match="ATLAS"):
        load_atlas(tmp_path / "missing.yaml")


def test_unwritable_output_is_a_file_error(tmp_path: Path) -> None:
    report = build_report(Project("x", project_id="x"))
    with pytest.raises(FileError, match="cannot write the report"):
        write_pdf(report, tmp_path / "no" / "such" / "dir" / "r.pdf")


def test_svg_paths_with_every_command_become_absolute_segments() -> None:
    segs = parse_path("M10 10h5v5l-5 0zM0 0c1 1 2 2 3 3s4 4 5 5q1 1 2 2t3 3a4 4 0 0 1 8 0L1 1")
    ops = [op for op, _ in segs]
    assert ops[:5] == ["M", "L", "L", "L", "Z"]
    assert segs[1][1] == (15.0, 10.0) and segs[3][1] == (10.0, 15.0)
    assert ops.count("C") >= 5 and segs[-1] == ("L", (1.0, 1.0))


def test_bundled_icons_all_parse() -> None:
    icons = sorted((Path(__file__).resolve().parents[2] / "stencils" / "icons").glob("*.svg"))
    assert icons
    painter = IconPainter()
    for icon in icons:
        loaded = painter.load(str(icon))
        assert loaded is not None and loaded[1], icon.name


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_fast_cells_show_any_text_literally(text: str) -> None:
    """Escaped user text survives the lean cell parser: same words, nothing dropped."""
    kit = TextKit()
    cell = FastCell(kit.markup(text), 7.5, 9.4, "#000000")
    lines = [" ".join("".join(f[0] for f in word) for word in line) for line in cell.words]
    expected = "".join(r for _, r in kit.runs(text)).replace("\t", "    ")
    assert lines == [" ".join(w for w in part.split(" ") if w) for part in expected.split("\n")]
    _, h = cell.wrap(40, 1000)  # narrow: long words break, nothing is lost
    broken = "".join("".join(f[0] for word in line for f in word) for line in cell._lines)
    assert broken == "".join(lines).replace(" ", "")
    assert h == len(cell._lines) * 9.4
