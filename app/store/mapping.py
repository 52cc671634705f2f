"""Explicit row ↔ domain mapping: plain dicts for the Core tables, never instrumented classes.

A row that cannot become a domain value raises `BadRowError` with what is wrong; the repository
turns it into a FileError naming the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from app.domain import (
    Element,
    ElementKind,
    MitigationItem,
    Point,
    Project,
    Rect,
    ThreatRecord,
    ThreatState,
    Triage,
)
from app.domain.project import INFO_FIELDS


class BadRowError(ValueError):
    """A stored row that does not describe a valid domain value."""


def dumps(value: Any) -> str:
    """Compact JSON text; key order is kept (documents round-trip as written)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None, default: Any = None, what: str = "value") -> Any:
    if text is None:
        return default
    try:
        return json.loads(text)
    except ValueError:
        raise BadRowError(f"{what} is not valid JSON") from None


# -- project metadata ----------------------------------------------------------------------
#: Keys of the project_info table besides INFO_FIELDS.
IDENTITY_KEYS = ("id", "created", "modified")


def info_value(project: Project, key: str) -> str:
    """The JSON text stored for one project_info key."""
    value = getattr(project, key)
    return dumps(list(value) if isinstance(value, list) else value)


def info_rows(project: Project) -> list[dict[str, str]]:
    return [{"key": k, "value": info_value(project, k)}
            for k in (*IDENTITY_KEYS, *INFO_FIELDS)]


def project_from_info(rows: Iterable[Mapping[str, Any]]) -> Project:
    """A project with its metadata set from project_info rows (unknown keys are ignored)."""
    values = {r["key"]: loads(r["value"], None, f"project field {r['key']!r}") for r in rows}
    if not isinstance(values.get("id"), str):
        raise BadRowError("the project has no id")
    p = Project(str(values.get("name", "Untitled project")), values["id"])
    for key, kind in INFO_FIELDS.items():
        if key not in values:
            continue
        v = values[key]
        if kind is list:
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise BadRowError(f"project field {key!r} is not a list of text")
        elif not isinstance(v, str):
            raise BadRowError(f"project field {key!r} is not text")
        setattr(p, key, v)
    for key in ("created", "modified"):
        if isinstance(values.get(key), str):
            setattr(p, key, values[key])
    return p


# -- elements ------------------------------------------------------------------------------
def _pt(p: Point | None) -> list[float] | None:
    return None if p is None else [p.x, p.y]


def _is_num(c: Any) -> bool:
    return type(c) is float or type(c) is int  # JSON numbers; a bool is not one


def _point(v: Any, what: str) -> Point:
    if type(v) is not list or len(v) != 2 or not (_is_num(v[0]) and _is_num(v[1])):
        raise BadRowError(f"{what} is not a point")
    return Point(v[0], v[1])


def _opt_point(geo: dict[str, Any], key: str, eid: str) -> Point | None:
    v = geo.get(key)
    return None if v is None else _point(v, f"element {eid!r} {key}")


def _points(geo: dict[str, Any], key: str, eid: str) -> tuple[Point, ...]:
    v = geo.get(key)
    if not v:
        return ()
    if type(v) is not list:
        raise BadRowError(f"element {eid!r} {key} is malformed")
    return tuple(_point(p, f"element {eid!r} {key}") for p in v)


_KINDS = {k.value: k for k in ElementKind}


def element_row(diagram_id: str, e: Element, position: float) -> dict[str, Any]:
    """The elements-table row of one element."""
    geo: dict[str, Any] = {}
    if e.rect is not None:
        geo["rect"] = [e.rect.x, e.rect.y, e.rect.width, e.rect.height]
    if e.source_point is not None:
        geo["source_point"] = _pt(e.source_point)
    if e.target_point is not None:
        geo["target_point"] = _pt(e.target_point)
    if e.waypoints:
        geo["waypoints"] = [_pt(p) for p in e.waypoints]
    if e.label_pos is not None:
        geo["label_pos"] = _pt(e.label_pos)
    if e.routing != "straight":
        geo["routing"] = e.routing
    if e.points:
        geo["points"] = [_pt(p) for p in e.points]
    return {
        "diagram_id": diagram_id,
        "id": e.id,
        "position": position,
        "kind": e.kind.value,
        "type_id": e.type_id,
        "name": e.name,
        "notes": e.notes,
        "source_id": e.source_id,
        "target_id": e.target_id,
        "geometry": dumps(geo) if geo else None,
        "properties": dumps(e.properties) if e.properties else None,
        "extra": dumps(e.extra) if e.extra else None,
    }


def element_from_row(r: Any) -> Element:
    """The element an elements-table row (a Row, read by attribute) describes; validated,
    as rows may be damaged."""
    eid = r.id
    kind = _KINDS.get(r.kind)
    if kind is None:
        raise BadRowError(f"element {eid!r} has unknown kind {r.kind!r}")
    geo = loads(r.geometry, {}, f"element {eid!r} geometry")
    props = loads(r.properties, {}, f"element {eid!r} properties")
    extra = loads(r.extra, {}, f"element {eid!r} extra")
    if type(geo) is not dict or type(props) is not dict or type(extra) is not dict:
        raise BadRowError(f"element {eid!r} has malformed data")
    for k, v in props.items():
        if type(v) not in _PLAIN:
            raise BadRowError(f"element {eid!r} property {k!r} is not a plain value")
    rect = None
    v = geo.get("rect")
    if v is not None:
        if type(v) is not list or len(v) != 4 or not all(map(_is_num, v)):
            raise BadRowError(f"element {eid!r} rect is malformed")
        rect = Rect(*v)
    return Element(
        id=eid, kind=kind, type_id=r.type_id, name=r.name, properties=props,
        notes=r.notes, rect=rect, source_id=r.source_id, target_id=r.target_id,
        source_point=_opt_point(geo, "source_point", eid),
        target_point=_opt_point(geo, "target_point", eid),
        waypoints=_points(geo, "waypoints", eid), label_pos=_opt_point(geo, "label_pos", eid),
        routing=str(geo.get("routing", "straight")), points=_points(geo, "points", eid),
        extra={str(k): str(v) for k, v in extra.items()} if extra else {},
    )


_PLAIN = frozenset({str, bool, int, float})


# -- threats and triage --------------------------------------------------------------------
def threat_row(t: ThreatRecord) -> dict[str, Any]:
    return {
        "key": t.key, "title": t.title, "category": t.category,
        "description": t.description, "element_ids": dumps(list(t.element_ids)),
        "diagram_id": t.diagram_id, "rule_id": t.rule_id, "pack": t.pack,
        "origin": t.origin, "likelihood": t.likelihood, "impact": t.impact,
        "atlas": dumps(list(t.atlas)), "owasp": dumps(list(t.owasp)),
        "extra": dumps(t.extra) if t.extra else None,
    }


def _strs(text: str | None, what: str) -> tuple[str, ...]:
    v = loads(text, [], what)
    if not isinstance(v, list):
        raise BadRowError(f"{what} is not a list")
    return tuple(str(x) for x in v)


def threat_from_row(r: Mapping[str, Any]) -> ThreatRecord:
    what = f"threat {r['key']!r}"
    extra = loads(r["extra"], {}, f"{what} extra")
    if not isinstance(extra, dict):
        raise BadRowError(f"{what} extra is malformed")
    return ThreatRecord(
        key=r["key"], title=r["title"], category=r["category"],
        description=r["description"], element_ids=_strs(r["element_ids"], what),
        diagram_id=r["diagram_id"], rule_id=r["rule_id"], pack=r["pack"],
        origin=r["origin"], likelihood=int(r["likelihood"]), impact=int(r["impact"]),
        atlas=_strs(r["atlas"], what), owasp=_strs(r["owasp"], what),
        extra={str(k): str(v) for k, v in extra.items()},
    )


def triage_rows(key: str, t: Triage) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The triage row and its mitigation rows."""
    row = {
        "key": key, "state": t.state.value, "justification": t.justification,
        "likelihood": t.likelihood, "impact": t.impact, "owner": t.owner,
        "notes": t.notes, "modified": t.modified,
    }
    items = [{"triage_key": key, "position": i, "text": m.text, "source": m.source,
              "ref": m.ref, "done": m.done} for i, m in enumerate(t.mitigations)]
    return row, items


def triage_from_rows(r: Mapping[str, Any], items: Iterable[Mapping[str, Any]]) -> Triage:
    try:
        state = ThreatState(r["state"])
    except ValueError:
        raise BadRowError(f"triage of {r['key']!r} has unknown state {r['state']!r}") from None
    return Triage(
        state=state, justification=r["justification"],
        likelihood=None if r["likelihood"] is None else int(r["likelihood"]),
        impact=None if r["impact"] is None else int(r["impact"]),
        mitigations=tuple(MitigationItem(m["text"], m["source"], m["ref"], bool(m["done"]))
                          for m in items),
        owner=r["owner"], notes=r["notes"], modified=r["modified"],
    )
