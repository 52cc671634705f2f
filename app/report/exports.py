"""The threat register as CSV and as JSON, from the same `Report` value as the PDF."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from app.domain import FileError
from app.report.model import Report, ThreatRow

CSV_COLUMNS: tuple[str, ...] = (
    "ref", "key", "title", "category", "element_or_flow", "element_ids", "diagram", "atlas",
    "owasp", "likelihood", "impact", "severity", "state", "applies", "justification",
    "mitigations", "owner", "rule_id", "pack", "origin", "description", "notes", "path",
)
#: Spreadsheets run cells starting with these as formulas; such cells get a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def threat_dict(t: ThreatRow) -> dict[str, Any]:
    """One register row as plain JSON-able data."""
    return {
        "ref": t.ref, "key": t.key, "title": t.title, "category": t.category,
        "element_or_flow": t.target, "element_ids": list(t.element_ids), "diagram": t.diagram,
        "atlas": list(t.atlas), "owasp": list(t.owasp), "likelihood": t.likelihood,
        "impact": t.impact, "severity": t.severity.value, "state": t.state.value,
        "applies": t.applies, "justification": t.justification,
        "mitigations": list(t.mitigations), "owner": t.owner, "rule_id": t.rule_id,
        "pack": t.pack, "origin": t.origin, "description": t.description, "notes": t.notes,
        "path": list(t.path), "controls": list(t.controls), "references": list(t.references),
    }


def _cell(value: Any) -> str:
    if isinstance(value, list):
        text = "; ".join(str(v) for v in value)
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(report: Report) -> str:
    """The register as CSV (RFC 4180, UTF-8, one header row); lists are joined by "; "."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for t in report.threats:
        d = threat_dict(t)
        w.writerow([_cell(d[c]) for c in CSV_COLUMNS])
    return buf.getvalue()


def to_json(report: Report) -> dict[str, Any]:
    """The register with the project facts and summary counts, as plain data."""
    m = report.meta
    s = report.summary
    return {
        "format": "threatcanvas-threat-register",
        "format_version": 1,
        "project": {
            "name": m.project_name, "id": m.project_id, "version": m.version,
            "owner": m.owner, "reviewers": list(m.reviewers), "date": m.date,
            "classification": m.classification, "model_sha256": m.model_sha256,
        },
        "tool": {"name": "ThreatCanvas", "version": m.tool_version},
        "summary": {
            "total": s.total, "open": s.open,
            "by_severity": {sev.value: n for sev, n, _ in s.by_severity},
            "by_state": {st.value: n for st, n in s.by_state},
        },
        "rule_packs": [
            {"id": p.id, "name": p.name, "version": p.version, "source": p.source,
             "enabled": p.enabled} for p in report.packs
        ],
        "threats": [threat_dict(t) for t in report.threats],
    }


def dumps_json(data: Any) -> str:
    """Stable JSON text: two-space indent, UTF-8 kept, trailing newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text; an unwritable path is a FileError."""
    try:
        Path(path).write_text(text, encoding="utf-8", newline="")
    except OSError as err:
        raise FileError(path, f"cannot write: {err.strerror or err}") from None
