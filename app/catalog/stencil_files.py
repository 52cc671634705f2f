"""Reads a stencils folder: YAML stencil definitions, shared property definitions and icon
files, checked field by field so a broken file is named with its line and field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.catalog.errors import StencilError
from app.catalog.yaml_lines import LineMap, LineSeq, YamlSyntaxError, parse_text, read_text
from app.domain import KIND_BY_GENERIC_TYPE, ElementKind, PropertySpec, PropertyType, StencilDef

_FILE_KEYS = ("category", "order", "description", "stencils", "property_definitions")
_STENCIL_KEYS = ("id", "name", "kind", "parent", "category", "description", "icon", "size",
                 "tags", "properties")
_PROPERTY_KEYS = ("key", "label", "type", "choices", "default", "help")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")
_KINDS = ", ".join(k.value for k in ElementKind)
_TYPES = ", ".join(t.value for t in PropertyType)


@dataclass(frozen=True)
class Loaded:
    """One stencil as read, with where it came from (for errors) and its icon file."""

    stencil: StencilDef
    path: Path
    line: int
    parent_line: int
    icon_file: Path


class _File:
    """Checks one parsed file; `fail` raises a StencilError naming this file."""

    def __init__(self, path: Path, doc: LineMap) -> None:
        self.path = path
        self.doc = doc

    def fail(self, line: int | None, reason: str) -> StencilError:
        return StencilError(self.path, reason, line)

    def mapping(self, value: Any, line: int, what: str, keys: tuple[str, ...]) -> LineMap:
        if not isinstance(value, LineMap):
            raise self.fail(line, f"{what} must be a mapping")
        for key in value:
            if key not in keys:
                raise self.fail(value.line_of(key), f"{what}: unknown field {key!r} "
                                f"(expected one of {', '.join(keys)})")
        return value

    def seq(self, value: Any, line: int, what: str) -> LineSeq:
        if not isinstance(value, LineSeq):
            raise self.fail(line, f"{what} must be a list")
        return value

    def text(self, m: LineMap, key: str, what: str, default: str | None = None) -> str:
        value = m.get(key)
        if value is None:
            if default is None:
                raise self.fail(m.line, f"{what}: missing field {key!r}")
            return default
        if not isinstance(value, str) or not value.strip():
            raise self.fail(m.line_of(key), f"{what}: field {key!r} must be non-empty text")
        return value.strip()

    def texts(self, m: LineMap, key: str, what: str) -> tuple[str, ...]:
        if m.get(key) is None:
            return ()
        items = self.seq(m[key], m.line_of(key), f"{what}: field {key!r}")
        for i, v in enumerate(items):
            if not isinstance(v, str | int | float) or isinstance(v, bool) or str(v) == "":
                raise self.fail(items.line_of(i), f"{what}: field {key!r} must list text")
        return tuple(str(v) for v in items)

    # -- property schemas --------------------------------------------------------------
    def definitions(self) -> Definitions:
        raw = self.doc.get("property_definitions")
        if raw is None:
            return {}
        if not isinstance(raw, LineMap):
            raise self.fail(self.doc.line_of("property_definitions"),
                            "property_definitions must be a mapping of key → definition")
        defs = raw
        out: Definitions = {}
        for key, body in defs.items():
            what = f"property definition {key!r}"
            m = self.mapping(body, defs.line_of(key), what, _PROPERTY_KEYS[1:])
            self.spec(str(key), m, what)  # check it now, so errors name this file
            out[str(key)] = (m, self)
        return out

    def spec(self, key: str, m: LineMap, what: str) -> PropertySpec:
        if not _ID.match(key):
            raise self.fail(m.line, f"{what}: property key {key!r} must be letters, digits, "
                                    "'_', '.' or '-'")
        type_text = self.text(m, "type", what)
        try:
            ptype = PropertyType(type_text)
        except ValueError:
            raise self.fail(m.line_of("type"), f"{what}: field 'type': unknown type "
                            f"{type_text!r} (expected one of {_TYPES})") from None
        choices = self.texts(m, "choices", what)
        if ptype is PropertyType.CHOICE and not choices:
            raise self.fail(m.line, f"{what}: a choice property needs field 'choices'")
        if ptype is not PropertyType.CHOICE and choices:
            raise self.fail(m.line_of("choices"), f"{what}: field 'choices' is only for "
                                                  "choice properties")
        if len(set(choices)) != len(choices):
            raise self.fail(m.line_of("choices"), f"{what}: field 'choices' repeats a value")
        default = m.get("default")
        bad = {
            PropertyType.BOOL: not isinstance(default, bool),
            PropertyType.NUMBER: isinstance(default, bool) or not isinstance(default, int | float),
            PropertyType.TEXT: not isinstance(default, str),
            PropertyType.CHOICE: not isinstance(default, str) or default not in choices,
        }[ptype]
        if default is not None and bad:
            expected = {PropertyType.BOOL: "true or false", PropertyType.NUMBER: "a number",
                        PropertyType.TEXT: "text",
                        PropertyType.CHOICE: "one of " + ", ".join(choices)}[ptype]
            raise self.fail(m.line_of("default"), f"{what}: field 'default': {default!r} is "
                                                  f"not {expected}")
        label = self.text(m, "label", what, key.replace("_", " ").capitalize())
        return PropertySpec(key, label, ptype, default, choices, self.text(m, "help", what, ""))

    def properties(self, m: LineMap, what: str,
                   defs: Definitions) -> tuple[PropertySpec, ...]:
        if m.get("properties") is None:
            return ()
        items = self.seq(m["properties"], m.line_of("properties"), f"{what}: field 'properties'")
        specs: list[PropertySpec] = []
        for i, item in enumerate(items):
            line = items.line_of(i)
            if isinstance(item, str):
                key, own = item, LineMap(line)
            else:
                own = self.mapping(item, line, f"{what}: property", _PROPERTY_KEYS)
                key = self.text(own, "key", f"{what}: property")
            pwhat = f"{what}: property {key!r}"
            if key not in defs and isinstance(item, str):
                raise self.fail(line, f"{pwhat} is not in any property_definitions "
                                      "(give its type, label and help here or define it)")
            merged = LineMap(own.line)
            if key in defs:
                merged.update(defs[key][0])
                merged.key_lines.update({k: own.line for k in defs[key][0]})
            merged.update({k: v for k, v in own.items() if k != "key"})
            merged.key_lines.update(own.key_lines)
            if any(s.key == key for s in specs):
                raise self.fail(line, f"{pwhat} is listed twice")
            specs.append(self.spec(key, merged, pwhat))
        return tuple(specs)

    # -- stencils ----------------------------------------------------------------------
    def stencils(self, folder: Path, defs: Definitions) -> list[Loaded]:
        category = self.text(self.doc, "category", "the file", "Other")
        raw = self.doc.get("stencils")
        if raw is None:
            return []
        items = self.seq(raw, self.doc.line_of("stencils"), "stencils")
        return [self.stencil(folder, item, items.line_of(i), category, defs)
                for i, item in enumerate(items)]

    def stencil(self, folder: Path, item: Any, line: int, category: str,
                defs: Definitions) -> Loaded:
        m = self.mapping(item, line, "stencil", _STENCIL_KEYS)
        sid = self.text(m, "id", "stencil")
        what = f"stencil {sid!r}"
        if not _ID.match(sid):
            raise self.fail(m.line_of("id"), f"{what}: field 'id' must start with a letter "
                                             "and hold only letters, digits, '_', '.' or '-'")
        kind_text = self.text(m, "kind", what)
        try:
            kind = ElementKind(kind_text)
        except ValueError:
            raise self.fail(m.line_of("kind"), f"{what}: field 'kind': unknown kind "
                            f"{kind_text!r} (expected one of {_KINDS})") from None
        generic_kind = KIND_BY_GENERIC_TYPE.get(sid)
        if generic_kind is not None and generic_kind is not kind:
            raise self.fail(m.line_of("kind"), f"{what}: field 'kind': the generic type {sid} "
                                               f"is a {generic_kind.value}, not a {kind.value}")
        if generic_kind is not None:
            if m.get("parent") not in (None, ""):
                raise self.fail(m.line_of("parent"), f"{what}: field 'parent': a generic type "
                                                     "has no parent")
            parent = ""
        else:
            parent = self.text(m, "parent", what)
        icon = self.text(m, "icon", what)
        icon_file = (folder / icon).resolve()
        if icon_file.suffix.lower() != ".svg":
            raise self.fail(m.line_of("icon"), f"{what}: field 'icon': {icon!r} is not an "
                                               ".svg file")
        if not icon_file.is_relative_to(folder.resolve()) or not icon_file.is_file():
            raise self.fail(m.line_of("icon"), f"{what}: field 'icon': file {icon!r} not found "
                                               f"in {folder}")
        return Loaded(
            StencilDef(
                id=sid, name=self.text(m, "name", what), kind=kind, parent=parent,
                category=self.text(m, "category", what, category),
                description=self.text(m, "description", what, ""), icon=icon,
                properties=self.properties(m, what, defs),
                default_size=self.size(m, what, kind), tags=self.texts(m, "tags", what),
            ),
            self.path, m.line, m.line_of("parent"), icon_file,
        )

    def size(self, m: LineMap, what: str, kind: ElementKind) -> tuple[float, float]:
        fallback = {ElementKind.DATA_FLOW: (120.0, 0.0), ElementKind.BOUNDARY_LINE: (240.0, 0.0),
                    ElementKind.BOUNDARY_BOX: (360.0, 240.0)}.get(kind, (140.0, 60.0))
        raw = m.get("size")
        if raw is None:
            return fallback
        ok = (isinstance(raw, list) and len(raw) == 2
              and all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw)
              and raw[0] > 0 and raw[1] >= 0)
        if not ok:
            raise self.fail(m.line_of("size"), f"{what}: field 'size' must be [width, height] "
                                               "with a positive width")
        return (float(raw[0]), float(raw[1]))


Definitions = dict[str, tuple[LineMap, _File]]
"""Shared property definitions: key → (its mapping, the file that defines it)."""


def read_file(path: Path) -> _File:
    """Parse one stencil file into a checker; YAML problems become StencilErrors."""
    try:
        doc = parse_text(read_text(path))
    except YamlSyntaxError as err:
        raise StencilError(path, err.reason, err.line) from None
    if doc is None:
        doc = LineMap(1)
    f = _File(path, doc)
    f.mapping(doc, 1, "the file", _FILE_KEYS)
    if doc.get("order") is not None and (
            isinstance(doc["order"], bool) or not isinstance(doc["order"], int | float)):
        raise f.fail(doc.line_of("order"), "field 'order' must be a number")
    return f


def file_order(f: _File) -> tuple[float, str]:
    """Files sort by their `order` field (default 100), then by name."""
    return (float(f.doc.get("order") or 100), f.path.name)
