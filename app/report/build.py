"""Build the `Report` value from a project and its analysis results: pure, no I/O, no fonts."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, replace
from types import MappingProxyType
from typing import Any

from app.domain import (
    Element,
    ElementKind,
    Finding,
    Project,
    Severity,
    ThreatRecord,
    ThreatState,
    Triage,
    ValidationMessage,
    severity_for,
)
from app.domain.geometry import Point, bounding_rect
from app.domain.topology import containing_boundaries, crossed_boundaries
from app.report.model import (
    STRIDE_ORDER,
    AtlasCatalog,
    DiagramView,
    ElementRow,
    Meta,
    PackInfo,
    Report,
    Summary,
    TacticColumn,
    ThreatRow,
    ValidationRow,
)

TOP_RISKS = 10
_KIND_LABELS = {
    ElementKind.EXTERNAL_ENTITY: "External entity",
    ElementKind.PROCESS: "Process",
    ElementKind.DATA_STORE: "Data store",
    ElementKind.DATA_FLOW: "Data flow",
    ElementKind.BOUNDARY_BOX: "Trust boundary",
    ElementKind.BOUNDARY_LINE: "Trust boundary (line)",
    ElementKind.ANNOTATION: "Annotation",
}
_LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2}


def model_sha256(project: Project) -> str:
    """SHA-256 of a canonical JSON form of the model's content (not of any one file format)."""
    info = project.info()
    info.pop("modified", None)
    doc: dict[str, Any] = {
        "id": project.id,
        "info": info,
        "diagrams": [
            {"id": d.id, "name": d.name, "elements": [asdict(e) for e in d]}
            for d in project.diagrams
        ],
        "threats": {k: asdict(v) for k, v in sorted(project.threats.items())},
        "triage": {k: asdict(v) for k, v in sorted(project.triage.items())},
        "rule_packs": project.rule_packs,
        "disabled_packs": sorted(project.disabled_packs),
    }
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _finding_from_record(record: ThreatRecord, triage: Triage | None) -> Finding:
    """Present a stored (custom or imported) threat like an engine finding."""
    return Finding(
        key=record.key, rule_id=record.rule_id, pack=record.pack, title=record.title,
        category=record.category, element_ids=record.element_ids,
        diagram_id=record.diagram_id, likelihood=record.likelihood, impact=record.impact,
        description=record.description, atlas=record.atlas, owasp=record.owasp,
        state=triage.state if triage else ThreatState.NOT_STARTED, origin=record.origin,
    )


def _stride_rank(category: str) -> tuple[int, str]:
    try:
        return (STRIDE_ORDER.index(category), "")
    except ValueError:
        return (len(STRIDE_ORDER), category.casefold())


class _Names:
    """Element and diagram names by id across the whole project."""

    def __init__(self, project: Project) -> None:
        self.elements: dict[str, Element] = {}
        self.diagram_of: dict[str, str] = {}
        self.diagrams = {d.id: d.name for d in project.diagrams}
        for d, e in project.iter_elements():
            self.elements[e.id] = e
            self.diagram_of[e.id] = d.name

    def name(self, element_id: str) -> str:
        e = self.elements.get(element_id)
        if e is None:
            return f"(missing element {element_id})"
        return e.name or f"(unnamed {_KIND_LABELS[e.kind].lower()})"

    def target(self, ids: Sequence[str]) -> str:
        """What a threat concerns: a flow as "flow (source → target)", else element names."""
        for i in ids:
            e = self.elements.get(i)
            if e is not None and e.is_flow:
                ends = [self.name(x) if x else "(dangling)" for x in (e.source_id, e.target_id)]
                return f"{self.name(i)} ({ends[0]} → {ends[1]})"
        return ", ".join(self.name(i) for i in ids) or "(whole model)"


def _mitigation_lines(finding: Finding, triage: Triage | None) -> tuple[str, ...]:
    lines: list[str] = []
    chosen = {m.text for m in triage.mitigations} if triage else set()
    if triage:
        for m in triage.mitigations:
            ref = f" ({m.ref})" if m.ref else ""
            lines.append(f"[{'done' if m.done else 'planned'}] {m.text}{ref}")
    for text in finding.mitigations:
        if text not in chosen:
            lines.append(f"[suggested] {text}")
    if finding.atlas_mitigations:
        lines.append("[ATLAS] " + ", ".join(finding.atlas_mitigations))
    return tuple(lines)


def _threat_rows(project: Project, findings: Iterable[Finding], names: _Names) -> list[ThreatRow]:
    triage = project.triage
    by_key: dict[str, Finding] = {}
    for f in findings:
        by_key.setdefault(f.key, f)
    for key, record in project.threats.items():
        if key not in by_key:
            by_key[key] = _finding_from_record(record, triage.get(key))
    rows: list[ThreatRow] = []
    for f in by_key.values():
        t = triage.get(f.key)
        likelihood = t.likelihood if t and t.likelihood is not None else f.likelihood
        impact = t.impact if t and t.impact is not None else f.impact
        state = t.state if t is not None else f.state
        row = ThreatRow(
            ref="", key=f.key, title=f.title, category=f.category or "Uncategorised",
            target=names.target(f.element_ids), element_ids=tuple(f.element_ids),
            diagram=names.diagrams.get(f.diagram_id, "") or (
                names.diagram_of.get(f.element_ids[0], "") if f.element_ids else ""),
            atlas=tuple(f.atlas), owasp=tuple(f.owasp), likelihood=likelihood, impact=impact,
            severity=Severity.LOW, state=state, applies=f.applies,
            justification=t.justification if t else "", mitigations=_mitigation_lines(f, t),
            owner=t.owner if t else "", description=f.description, notes=t.notes if t else "",
            rule_id=f.rule_id, pack=f.pack, origin=f.origin,
            path=tuple(names.name(i) for i in f.path),
            controls=tuple(f.controls), references=tuple(f.references),
        )
        rows.append(row)
    rows = [
        _replace_row(r, severity=severity_for(r.likelihood, r.impact)) for r in rows
    ]
    rows.sort(key=lambda r: (-r.severity.rank, -(r.likelihood * r.impact),
                             _stride_rank(r.category), r.title.casefold(), r.key))
    width = max(3, len(str(len(rows))))
    return [_replace_row(r, ref=f"T-{i:0{width}d}") for i, r in enumerate(rows, 1)]


def _replace_row(row: ThreatRow, **changes: Any) -> ThreatRow:
    return replace(row, **changes)


def _summary(rows: Sequence[ThreatRow], atlas: Sequence[TacticColumn]) -> Summary:
    live = [r for r in rows if r.applies]
    by_sev = tuple(
        (s, sum(1 for r in live if r.severity is s), sum(1 for r in live if r.severity is s
                                                         and r.is_open))
        for s in (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)
    )
    by_state = tuple((s, sum(1 for r in live if r.state is s)) for s in ThreatState)
    heat = [[0] * 5 for _ in range(5)]
    for r in live:
        if r.state is not ThreatState.NOT_APPLICABLE:
            heat[max(1, min(5, r.likelihood)) - 1][max(1, min(5, r.impact)) - 1] += 1
    cats = sorted({r.category for r in live}, key=_stride_rank)
    for c in STRIDE_ORDER:
        if c not in cats:
            cats.append(c)
    cats.sort(key=_stride_rank)
    by_stride = tuple(
        (c, sum(1 for r in live if r.category == c),
         sum(1 for r in live if r.category == c and r.is_open))
        for c in cats
    )
    by_tactic = tuple((col.name, sum(n for _, _, n in col.techniques)) for col in atlas)
    top = tuple(r for r in live if r.is_open)[:TOP_RISKS]
    return Summary(
        total=len(live), open=sum(1 for r in live if r.is_open), by_severity=by_sev,
        by_state=by_state, heat=tuple(tuple(h) for h in heat), by_stride=by_stride,
        by_tactic=by_tactic, top_risks=top,
    )


def _atlas_matrix(rows: Sequence[ThreatRow], catalog: AtlasCatalog
                  ) -> tuple[tuple[TacticColumn, ...], tuple[str, ...]]:
    counts: dict[str, int] = {}
    for r in rows:
        if r.applies:
            for tid in r.atlas:
                counts[tid] = counts.get(tid, 0) + 1
    per_tactic: dict[str, list[tuple[str, str, int]]] = {t: [] for t, _ in catalog.tactics}
    unmapped: list[str] = []
    for tid in sorted(counts):
        tech = catalog.technique(tid)
        if tech is None or not any(t in per_tactic for t in tech.tactics):
            unmapped.append(tid)
            continue
        for tac in tech.tactics:
            if tac in per_tactic:
                per_tactic[tac].append((tid, tech.name, counts[tid]))
    cols = tuple(TacticColumn(t, name, tuple(per_tactic[t])) for t, name in catalog.tactics)
    return cols, tuple(unmapped)


def _element_rows(project: Project, names: _Names, rows: Sequence[ThreatRow],
                  type_names: Mapping[str, str]) -> list[ElementRow]:
    per_element: dict[str, int] = {}
    for r in rows:
        if r.applies:
            for i in set(r.element_ids):
                per_element[i] = per_element.get(i, 0) + 1
    out: list[ElementRow] = []
    for d in project.diagrams:
        elements = d.elements
        for e in d:
            if e.is_flow:
                bounds = crossed_boundaries(elements, e.id)
                connects = (f"{names.name(e.source_id) if e.source_id else '(dangling)'} → "
                            f"{names.name(e.target_id) if e.target_id else '(dangling)'}")
            else:
                bounds = containing_boundaries(elements, e.id)
                connects = ""
            props = tuple((k, _text(v)) for k, v in sorted(e.properties.items()))
            out.append(ElementRow(
                id=e.id, name=names.name(e.id), kind=_KIND_LABELS[e.kind], type_id=e.type_id,
                type_name=type_names.get(e.type_id, ""), diagram=d.name,
                boundaries=tuple(names.name(b) for b in bounds), properties=props,
                notes=e.notes, connects=connects, threats=per_element.get(e.id, 0),
            ))
    return out


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _diagram_views(project: Project) -> tuple[DiagramView, ...]:
    views = []
    for d in project.diagrams:
        pts: list[Point] = []
        for e in d:
            if e.rect is not None:
                pts += [Point(e.rect.x, e.rect.y), Point(e.rect.right, e.rect.bottom)]
            pts += list(e.points) + list(e.waypoints)
            pts += [p for p in (e.source_point, e.target_point, e.label_pos) if p is not None]
        box = bounding_rect(pts)
        views.append(DiagramView(d.id, d.name, tuple(d), (box.x, box.y, box.width, box.height)))
    return tuple(views)


def _validation_rows(messages: Iterable[ValidationMessage], names: _Names
                     ) -> tuple[ValidationRow, ...]:
    rows = [
        ValidationRow(m.level, m.code, m.message,
                      "; ".join(names.name(i) for i in m.element_ids)
                      or names.diagrams.get(m.diagram_id, ""))
        for m in messages
    ]
    rows.sort(key=lambda r: (_LEVEL_ORDER.get(r.level, 3), r.code, r.where, r.message))
    return tuple(rows)


def build_report(
    project: Project,
    findings: Iterable[Finding] = (),
    validation: Iterable[ValidationMessage] = (),
    packs: Iterable[PackInfo] = (),
    *,
    atlas: AtlasCatalog | None = None,
    tool_version: str = "",
    icons: Mapping[str, str] | None = None,
    type_names: Mapping[str, str] | None = None,
    source_file: str = "",
    source_sha256: str = "",
) -> Report:
    """Everything the PDF and the exports show, computed once from the inputs."""
    catalog = atlas or AtlasCatalog()
    names = _Names(project)
    tnames = dict(type_names or {})
    rows = _threat_rows(project, findings, names)
    matrix, unmapped = _atlas_matrix(rows, catalog)
    meta = Meta(
        project_name=project.name, project_id=project.id, version=project.version,
        owner=project.owner, reviewers=tuple(project.reviewers),
        contributors=tuple(project.contributors), date=project.modified,
        created=project.created, classification=project.classification,
        tool_version=tool_version, model_sha256=model_sha256(project),
        source_file=source_file, source_sha256=source_sha256,
    )
    return Report(
        meta=meta, description=project.description, scope=project.scope,
        assumptions=tuple(project.assumptions),
        dependencies=tuple(project.external_dependencies),
        summary=_summary(rows, matrix), diagrams=_diagram_views(project),
        elements=tuple(_element_rows(project, names, rows, tnames)), threats=tuple(rows),
        atlas=matrix, atlas_version=catalog.version, unmapped_atlas=unmapped,
        validation=_validation_rows(validation, names),
        packs=tuple(sorted(packs, key=lambda p: (p.source != "built-in", p.id))),
        icons=MappingProxyType(dict(icons or {})), type_names=MappingProxyType(tnames),
    )
