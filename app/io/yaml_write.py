"""Project → `.tc.yaml` text: fixed key order, defaults omitted, coordinates minimal."""

from __future__ import annotations

import math
from typing import Any

import yaml

from app.domain import DomainError, Element, ElementKind, Point, Project, ThreatRecord, Triage

FORMAT = "threatcanvas/1"


class _Flow(list):
    """A list written on one line: `[x, y, w, h]`."""


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists; multi-line text as `|` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_ODD_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if any(ch in value for ch in _ODD_BREAKS):
        style = '"'  # escaped, or a reader would fold these line breaks
    elif "\n" in value.rstrip("\n"):
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, _flow)


def _num(v: float) -> float | int:
    """Coordinates: integral values as ints (10.0 → 10), others exactly (repr)."""
    if isinstance(v, float) and not math.isfinite(v):
        raise DomainError(f"coordinate {v} is not a finite number")
    if isinstance(v, float) and math.isfinite(v) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


def _pt(p: Point) -> _Flow:
    return _Flow([_num(p.x), _num(p.y)])


def _points(ps: tuple[Point, ...]) -> _Flow:
    return _Flow(_pt(p) for p in ps)


def _put(out: dict[str, Any], key: str, value: Any, default: Any) -> None:
    if value != default or type(value) is not type(default):
        out[key] = value


def element_data(e: Element) -> dict[str, Any]:
    """One element as plain data, keys in the documented order."""
    try:
        return _element_data(e)
    except DomainError as err:
        raise DomainError(f"element {e.name or e.id!r}: {err}") from None


def _element_data(e: Element) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "kind": e.kind.value, "type": e.type_id}
    _put(out, "name", e.name, "")
    if e.rect is not None:
        r = e.rect
        out["rect"] = _Flow([_num(r.x), _num(r.y), _num(r.width), _num(r.height)])
    if e.is_flow or e.source_id is not None:
        out["source"] = e.source_id
    if e.source_point is not None:
        out["source_point"] = _pt(e.source_point)
    if e.is_flow or e.target_id is not None:
        out["target"] = e.target_id
    if e.target_point is not None:
        out["target_point"] = _pt(e.target_point)
    if e.waypoints:
        out["waypoints"] = _points(e.waypoints)
    if e.label_pos is not None:
        out["label_pos"] = _pt(e.label_pos)
    _put(out, "routing", e.routing, "straight")
    if e.points or e.kind is ElementKind.BOUNDARY_LINE:
        out["points"] = _points(e.points)
    if e.properties:
        out["properties"] = {k: e.properties[k] for k in sorted(e.properties)}
    _put(out, "notes", e.notes, "")
    if e.extra:
        out["extra"] = {k: e.extra[k] for k in sorted(e.extra)}
    return out


def threat_data(t: ThreatRecord) -> dict[str, Any]:
    out: dict[str, Any] = {"key": t.key, "title": t.title}
    for name, default in (("category", ""), ("description", ""), ("element_ids", ()),
                          ("diagram_id", ""), ("rule_id", ""), ("pack", ""),
                          ("origin", "custom"), ("likelihood", 3), ("impact", 3),
                          ("atlas", ()), ("owasp", ())):
        value = getattr(t, name)
        _put(out, name, list(value) if isinstance(value, tuple) else value,
             list(default) if isinstance(default, tuple) else default)
    if t.extra:
        out["extra"] = {k: t.extra[k] for k in sorted(t.extra)}
    return out


def triage_data(t: Triage) -> dict[str, Any]:
    out: dict[str, Any] = {"state": t.state.value}
    _put(out, "justification", t.justification, "")
    if t.likelihood is not None:
        out["likelihood"] = t.likelihood
    if t.impact is not None:
        out["impact"] = t.impact
    if t.mitigations:
        items = []
        for m in t.mitigations:
            item: dict[str, Any] = {"text": m.text}
            _put(item, "source", m.source, "custom")
            _put(item, "ref", m.ref, "")
            _put(item, "done", m.done, False)
            items.append(item)
        out["mitigations"] = items
    _put(out, "owner", t.owner, "")
    _put(out, "notes", t.notes, "")
    _put(out, "modified", t.modified, "")
    return out


def project_data(p: Project) -> dict[str, Any]:
    """The whole project as plain data in the documented key order."""
    info: dict[str, Any] = {"id": p.id, "name": p.name}
    for key in ("description", "owner", "reviewers", "contributors", "version", "scope",
                "assumptions", "external_dependencies", "classification"):
        value = getattr(p, key)
        if key in ("version", "classification") or value:
            info[key] = list(value) if isinstance(value, list) else value
    info["created"] = p.created
    info["modified"] = p.modified
    doc: dict[str, Any] = {"format": FORMAT, "project": info, "diagrams": [
        {"id": d.id, "name": d.name, "elements": [element_data(e) for e in d]}
        for d in p.diagrams
    ]}
    if p.threats:
        doc["threats"] = [threat_data(p.threats[k]) for k in sorted(p.threats)]
    if p.triage:
        doc["triage"] = {k: triage_data(p.triage[k]) for k in sorted(p.triage)}
    if p.rule_packs:
        doc["rule_packs"] = {k: p.rule_packs[k] for k in sorted(p.rule_packs)}
    if p.disabled_packs:
        doc["disabled_packs"] = sorted(p.disabled_packs)
    return doc


def dump_text(data: Any) -> str:
    """Deterministic YAML text of plain data (insertion order kept, never sorted)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100_000, indent=2)
