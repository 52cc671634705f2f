"""Elements on the system clipboard as JSON under our own MIME type (works across windows)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QClipboard, QGuiApplication

from app.domain import Element, ElementKind, Point, Rect

MIME_TYPE = "application/x-threatcanvas-elements+json"
FORMAT = "threatcanvas-clipboard/1"


def _pt(p: Point | None) -> list[float] | None:
    return None if p is None else [p.x, p.y]


def element_to_dict(e: Element) -> dict[str, Any]:
    """Plain JSON-able data for one element (the fields of the .tc.yaml format)."""
    d: dict[str, Any] = {"id": e.id, "kind": e.kind.value, "type": e.type_id, "name": e.name}
    if e.properties:
        d["properties"] = dict(e.properties)
    if e.notes:
        d["notes"] = e.notes
    if e.rect is not None:
        d["rect"] = [e.rect.x, e.rect.y, e.rect.width, e.rect.height]
    if e.is_flow:
        d.update(source=e.source_id, target=e.target_id, source_point=_pt(e.source_point),
                 target_point=_pt(e.target_point), routing=e.routing,
                 waypoints=[[p.x, p.y] for p in e.waypoints], label_pos=_pt(e.label_pos))
    if e.points:
        d["points"] = [[p.x, p.y] for p in e.points]
    if e.extra:
        d["extra"] = dict(e.extra)
    return d


def _point(v: Any) -> Point | None:
    if v is None:
        return None
    return Point(float(v[0]), float(v[1]))


def element_from_dict(d: dict[str, Any]) -> Element:
    """The element described by `element_to_dict` output; raises ValueError when malformed."""
    try:
        rect = d.get("rect")
        props = d.get("properties") or {}
        if not isinstance(props, dict):
            raise ValueError("properties must be a mapping")
        return Element(
            id=str(d["id"]),
            kind=ElementKind(d["kind"]),
            type_id=str(d.get("type", "")),
            name=str(d.get("name", "")),
            properties={str(k): v for k, v in props.items()
                        if isinstance(v, str | bool | int | float)},
            notes=str(d.get("notes", "")),
            rect=Rect(*(float(v) for v in rect)) if rect else None,
            source_id=d.get("source"),
            target_id=d.get("target"),
            source_point=_point(d.get("source_point")),
            target_point=_point(d.get("target_point")),
            waypoints=tuple(Point(float(x), float(y)) for x, y in d.get("waypoints") or ()),
            label_pos=_point(d.get("label_pos")),
            routing=str(d.get("routing", "straight")),
            points=tuple(Point(float(x), float(y)) for x, y in d.get("points") or ()),
            extra={str(k): str(v) for k, v in (d.get("extra") or {}).items()},
        )
    except (KeyError, TypeError) as err:
        raise ValueError(f"bad element data: {err}") from None


def to_mime(elements: list[Element], diagram_id: str) -> QMimeData:
    doc = {"format": FORMAT, "diagram": diagram_id,
           "elements": [element_to_dict(e) for e in elements]}
    md = QMimeData()
    md.setData(MIME_TYPE, json.dumps(doc).encode())
    md.setText("\n".join(e.name for e in elements if e.name))
    return md


def from_mime(md: QMimeData | None) -> tuple[list[Element], str] | None:
    """(elements, source diagram id) from clipboard data, or None when it holds none."""
    if md is None or not md.hasFormat(MIME_TYPE):
        return None
    try:
        doc = json.loads(bytes(md.data(MIME_TYPE).data()).decode())
        if doc.get("format") != FORMAT:
            return None
        return [element_from_dict(d) for d in doc["elements"]], str(doc.get("diagram", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def clipboard() -> QClipboard:
    return QGuiApplication.clipboard()


def copy_to_clipboard(elements: list[Element], diagram_id: str) -> None:
    clipboard().setMimeData(to_mime(elements, diagram_id))


def read_clipboard() -> tuple[list[Element], str] | None:
    return from_mime(clipboard().mimeData())
