"""A 1,000-element / 5,000-threat model renders completely, and 1,000 threats stay fast."""

from __future__ import annotations

import io
import re
import time

import pytest
from pypdf import PdfReader

from app.report.build import build_report
from app.report.exports import to_csv
from app.report.pdf import render_pdf
from tests.integration.test_report_support import ATLAS, PACKS, big_project


def _outline_pages(reader: PdfReader) -> dict[str, int]:
    found: dict[str, int] = {}

    def walk(items) -> None:
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                found.setdefault(it.title, reader.get_destination_page_number(it))

    walk(reader.outline)
    return found


@pytest.mark.slow
def test_thousand_elements_five_thousand_threats() -> None:
    project, findings = big_project(1000, 5000)
    report = build_report(project, findings, (), PACKS, atlas=ATLAS, tool_version="0.1.0")
    assert len(report.threats) == 5000 and len(report.elements) > 1900
    out = render_pdf(report)
    reader = PdfReader(io.BytesIO(out.data))
    assert len(reader.pages) == out.pages > 300
    pages = _outline_pages(reader)
    start, end = pages["Threat register"], pages["MITRE ATLAS coverage"]
    first = reader.pages[start].extract_text()
    last = reader.pages[end - 1].extract_text()
    assert "T-0001" in first and "T-5000" in last
    # nothing is cut: the last inventory page ends with the last element of the last diagram
    inventory_end = reader.pages[start - 1].extract_text()
    assert report.elements[-1].name in inventory_end
    assert re.search(rf"page {out.pages} of\s*{out.pages}",
                     reader.pages[-1].extract_text())
    assert to_csv(report).count("\r\n") == 5001


def test_thousand_threats_render_fast() -> None:
    project, findings = big_project(200, 1000)
    render_pdf(build_report(project, findings[:10]))  # fonts registered, caches warm
    start = time.perf_counter()
    report = build_report(project, findings, (), PACKS, atlas=ATLAS, tool_version="0.1.0")
    out = render_pdf(report)
    elapsed = time.perf_counter() - start
    assert out.pages > 50
    # the target is 2 s on a developer machine (see benchmarks/RESULTS.md); the margin here
    # keeps a loaded CI machine from failing while still catching a return to multi-pass
    assert elapsed < 5.0, f"1,000 threats took {elapsed:.2f} s"
