"""TMT drawing surfaces → domain diagrams: stencils, flows, boundaries and annotations."""

from __future__ import annotations

import json
import math
from pathlib import Path

from lxml import etree

from app.domain import (
    KIND_BY_GENERIC_TYPE,
    Diagram,
    DomainError,
    Element,
    ElementKind,
    Point,
    PropertyValue,
    Rect,
)
from app.io.tm7.xmlsafe import Tm7Error, children, is_nil, kids, text, xsi_type

NULL_GUID = "00000000-0000-0000-0000-000000000000"

#: Serialised stencil classes → DFD kinds, used when the generic type is not known.
KIND_BY_SHAPE: dict[str, ElementKind] = {
    "StencilEllipse": ElementKind.PROCESS,
    "StencilRectangle": ElementKind.EXTERNAL_ENTITY,
    "StencilParallelLines": ElementKind.DATA_STORE,
    "BorderBoundary": ElementKind.BOUNDARY_BOX,
    "Connector": ElementKind.DATA_FLOW,
    "LineBoundary": ElementKind.BOUNDARY_LINE,
}
_LINE_KINDS = (ElementKind.DATA_FLOW, ElementKind.BOUNDARY_LINE)
#: Children of a stencil that are mapped to fields; any other child is kept in `extra`.
_MAPPED = {
    "GenericTypeId", "Guid", "Properties", "TypeId", "Left", "Top", "Width", "Height",
    "HandleX", "HandleY", "SourceGuid", "TargetGuid", "SourceX", "SourceY", "TargetX",
    "TargetY",
}


def _num(path: Path, value: str, what: str) -> float:
    try:
        f = float(value)
    except ValueError:
        raise Tm7Error(path, f"{what} is {value[:40]!r}, not a number") from None
    if not math.isfinite(f):
        raise Tm7Error(path, f"{what} is {value!r}, not a finite number")
    return f


def read_attributes(props: etree._Element | None) -> tuple[str, str, dict, list]:
    """(name, type name, properties, raw attribute list) of a stencil's Properties."""
    name = ""
    type_name = ""
    found_name = False
    out: dict[str, PropertyValue] = {}
    raw: list[list] = []
    for a in children(props):
        kind = xsi_type(a)
        k = kids(a)
        display = text(k.get("DisplayName"))
        key = text(k.get("Name"))
        value_el = k.get("Value")
        if kind == "HeaderDisplayAttribute":
            if not type_name:
                type_name = display
            raw.append([kind, display])
            continue
        if kind in ("ListDisplayAttribute", "StaticListDisplayAttribute") or (
            value_el is not None and xsi_type(value_el) == "ArrayOfstring"
        ):
            choices = [text(s) for s in children(value_el)]
            idx_text = text(k.get("SelectedIndex"))
            try:
                idx = int(idx_text) if idx_text else 0
            except ValueError:
                idx = -1
            value: PropertyValue = choices[idx] if 0 <= idx < len(choices) else ""
            raw.append([kind, display, key, choices, idx_text])
        else:
            value = "" if is_nil(value_el) else text(value_el)
            raw.append([kind, display, key, value])
        if not key and display == "Name" and not found_name:
            name = str(value)
            found_name = True
            continue
        prop_key = key or display
        if prop_key and prop_key not in out:
            out[prop_key] = value
    return name, type_name, out, raw


def _kind(path: Path, v: etree._Element, generic: str, container: str,
          kb_kinds: dict[str, ElementKind]) -> ElementKind:
    shape = xsi_type(v)
    kind = KIND_BY_GENERIC_TYPE.get(generic) or kb_kinds.get(generic)
    if kind is None or (container == "Lines") != (kind in _LINE_KINDS):
        kind = KIND_BY_SHAPE.get(shape)
    if kind is None or (container == "Lines") != (kind in _LINE_KINDS):
        raise Tm7Error(path, f"stencil {text(kids(v).get('Guid'))!r} has an unknown type "
                             f"{generic or shape or 'none'!r}")
    return kind


def _stencil(path: Path, kv: etree._Element, container: str,
             kb_kinds: dict[str, ElementKind]) -> tuple[Element, dict[str, str]]:
    """One Borders/Lines entry → an Element (flows not yet checked) and its raw end GUIDs."""
    pair = kids(kv)
    v = pair.get("Value")
    if v is None:
        raise Tm7Error(path, f"a {container} entry has no value")
    k = kids(v)
    guid = text(k.get("Guid")) or text(pair.get("Key"))
    if not guid:
        raise Tm7Error(path, f"a stencil in {container} has no GUID")
    generic = text(k.get("GenericTypeId"))
    kind = _kind(path, v, generic, container, kb_kinds)
    type_id = text(k.get("TypeId")) or generic or kind.generic_type
    name, type_name, props, raw = read_attributes(k.get("Properties"))
    extra: dict[str, str] = {"tmt.shape": xsi_type(v)}
    if type_name:
        extra["tmt.type_name"] = type_name
    if generic and generic != type_id:
        extra["tmt.generic_type"] = generic
    key = text(pair.get("Key"))
    if key and key != guid:
        extra["tmt.key"] = key
    extra["tmt.attributes"] = json.dumps(raw, ensure_ascii=False, separators=(",", ":"))
    for c in v:
        cname = c.tag.rpartition("}")[2] if isinstance(c.tag, str) else ""
        if cname and cname not in _MAPPED and not is_nil(c):
            extra["tmt." + cname] = text(c)

    def num(field: str) -> float:
        return _num(path, text(k.get(field)) or "0", f"{field} of {name or guid!r}")

    ends: dict[str, str] = {}
    if kind in _LINE_KINDS:
        src, dst = Point(num("SourceX"), num("SourceY")), Point(num("TargetX"), num("TargetY"))
        handle = Point(num("HandleX"), num("HandleY"))
        if kind is ElementKind.BOUNDARY_LINE:
            el = Element(guid, kind, type_id, name, props, points=(src, handle, dst), extra=extra)
        else:
            ends = {"source": text(k.get("SourceGuid")), "target": text(k.get("TargetGuid"))}
            extra["tmt.source_xy"] = f"{src.x:g},{src.y:g}"
            extra["tmt.target_xy"] = f"{dst.x:g},{dst.y:g}"
            el = Element(guid, kind, type_id, name, props, source_point=src, target_point=dst,
                         waypoints=(handle,), extra=extra)
        return el, ends
    rect = Rect(num("Left"), num("Top"), num("Width"), num("Height"))
    return Element(guid, kind, type_id, name, props, rect=rect, extra=extra), ends


def _attach(el: Element, ends: dict[str, str], diagram: Diagram) -> Element:
    """Connect a flow's ends that name a node on the diagram; keep the others dangling."""
    changes: dict[str, object] = {}
    extra = dict(el.extra)
    for end in ("source", "target"):
        ref = ends.get(end, "")
        other = diagram.elements.get(ref) if ref else None
        if other is not None and other.kind.is_node:
            changes[f"{end}_id"] = ref
            changes[f"{end}_point"] = None
        elif ref and ref != NULL_GUID:
            extra[f"tmt.{end}_guid"] = ref  # names something absent: a dangling reference
    return el.with_changes(extra=extra, **changes)


def read_surface(path: Path, surface: etree._Element, index: int,
                 kb_kinds: dict[str, ElementKind]) -> Diagram:
    """One DrawingSurfaceModel → a Diagram, boxes first so that flows find their ends."""
    k = kids(surface)
    name, _type, _props, _raw = read_attributes(k.get("Properties"))
    name = name or text(k.get("Header")) or f"Diagram {index + 1}"
    diagram = Diagram(name, text(k.get("Guid")) or None)
    try:
        for kv in children(k.get("Borders")):
            el, _ = _stencil(path, kv, "Borders", kb_kinds)
            diagram.add(el)
        for kv in children(k.get("Lines")):
            el, ends = _stencil(path, kv, "Lines", kb_kinds)
            diagram.add(_attach(el, ends, diagram) if el.is_flow else el)
    except DomainError as err:
        raise Tm7Error(path, f"diagram {name!r}: {err}") from None
    return diagram
