"""Stencil definitions and the type hierarchy, as plain values (loaded by app.catalog)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.elements import GENERIC_TYPES, ElementKind, PropertyValue


class PropertyType(StrEnum):
    """Semantic property types; the UI picks an editor by these, never by stencil."""

    BOOL = "bool"
    CHOICE = "choice"
    TEXT = "text"
    NUMBER = "number"


@dataclass(frozen=True, slots=True)
class PropertySpec:
    """One typed property a stencil offers, with its default and one line of help."""

    key: str
    label: str
    type: PropertyType
    default: PropertyValue | None = None
    choices: tuple[str, ...] = ()
    help: str = ""

    def coerce(self, value: object) -> PropertyValue:
        """Turn a raw value (e.g. text from a file) into this property's type, or raise
        ValueError saying why not."""
        if self.type is PropertyType.BOOL:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("true", "yes", "1", "on"):
                return True
            if text in ("false", "no", "0", "off"):
                return False
            raise ValueError(f"{self.key}: {value!r} is not yes/no")
        if self.type is PropertyType.NUMBER:
            if isinstance(value, bool):
                raise ValueError(f"{self.key}: {value!r} is not a number")
            try:
                num = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise ValueError(f"{self.key}: {value!r} is not a number") from None
            return int(num) if num.is_integer() else num
        text = str(value)
        if self.type is PropertyType.CHOICE and self.choices and text not in self.choices:
            raise ValueError(f"{self.key}: {text!r} is not one of {', '.join(self.choices)}")
        return text


@dataclass(frozen=True, slots=True)
class StencilDef:
    """A kind of thing an analyst can draw: id, DFD kind, parent type, icon, properties."""

    id: str
    name: str
    kind: ElementKind
    parent: str
    category: str = "Generic"
    description: str = ""
    icon: str = ""  # file name of the SVG icon, relative to the stencils folder
    properties: tuple[PropertySpec, ...] = ()
    default_size: tuple[float, float] = (120.0, 60.0)
    tags: tuple[str, ...] = ()

    def spec(self, key: str) -> PropertySpec | None:
        for p in self.properties:
            if p.key == key:
                return p
        return None

    def defaults(self) -> dict[str, PropertyValue]:
        return {p.key: p.default for p in self.properties if p.default is not None}


@dataclass(frozen=True)
class TypeHierarchy:
    """Type id → parent type id, so `is 'GE.P'` can match every kind of process."""

    parents: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)

    @staticmethod
    def generic() -> TypeHierarchy:
        return TypeHierarchy({}, {v: k.value.replace("_", " ") for k, v in GENERIC_TYPES.items()})

    def merged(self, others: Iterable[TypeHierarchy]) -> TypeHierarchy:
        parents = dict(self.parents)
        names = dict(self.names)
        for o in others:
            parents.update(o.parents)
            names.update(o.names)
        return TypeHierarchy(parents, names)

    def ancestors(self, type_id: str) -> list[str]:
        """The type itself, then its parent, grandparent, … (cycles are cut)."""
        out = [type_id]
        seen = {type_id}
        cur = type_id
        while cur in self.parents:
            cur = self.parents[cur]
            if cur in seen:
                break
            seen.add(cur)
            out.append(cur)
        return out

    def is_a(self, type_id: str, ancestor: str) -> bool:
        return ancestor in self.ancestors(type_id)
