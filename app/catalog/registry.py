"""StencilRegistry: the loaded stencils by id, grouped, searchable, and able to make new
elements and check property values against a stencil's schema."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from app.catalog.errors import PropertyValueError, UnknownStencilError
from app.domain import (
    Element,
    ElementKind,
    Point,
    PropertyValue,
    Rect,
    StencilDef,
    TypeHierarchy,
    new_id,
)


class StencilRegistry:
    """Stencils in catalog order (file order, then list order); one per caller, no globals."""

    def __init__(self, stencils: Iterable[StencilDef], folder: Path,
                 icon_files: Mapping[str, Path] | None = None) -> None:
        self._by_id: dict[str, StencilDef] = {}
        for s in stencils:
            self._by_id[s.id] = s
        self.folder = Path(folder)
        self._icons = dict(icon_files or {})

    # -- lookup ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[StencilDef]:
        return iter(self._by_id.values())

    def __contains__(self, type_id: object) -> bool:
        return type_id in self._by_id

    def __getitem__(self, type_id: str) -> StencilDef:
        try:
            return self._by_id[type_id]
        except KeyError:
            raise UnknownStencilError(f"unknown stencil {type_id!r}") from None

    def get(self, type_id: str) -> StencilDef | None:
        """The stencil with this id, or None."""
        return self._by_id.get(type_id)

    def get_or_generic(self, type_id: str, kind: ElementKind) -> StencilDef:
        """The stencil for an element: its own when known and of that kind, else the generic
        stencil of its DFD kind (foreign and unknown types still get a schema and icon)."""
        s = self._by_id.get(type_id)
        if s is not None and s.kind is kind:
            return s
        return self[kind.generic_type]

    def all(self) -> list[StencilDef]:
        """Every stencil in catalog order."""
        return list(self._by_id.values())

    def categories(self) -> dict[str, list[StencilDef]]:
        """Stencils grouped by category, categories in catalog order (Generic first)."""
        groups: dict[str, list[StencilDef]] = {}
        for s in self._by_id.values():
            groups.setdefault(s.category, []).append(s)
        return groups

    def for_kind(self, kind: ElementKind) -> list[StencilDef]:
        """Every stencil of one DFD kind, in catalog order."""
        return [s for s in self._by_id.values() if s.kind is kind]

    def hierarchy(self) -> TypeHierarchy:
        """Type id → parent id and type id → display name, for rule matching."""
        base = TypeHierarchy.generic()
        parents = {s.id: s.parent for s in self._by_id.values() if s.parent}
        names = {s.id: s.name for s in self._by_id.values()}
        return base.merged([TypeHierarchy(parents, names)])

    def icon_path(self, type_id: str) -> Path:
        """The SVG file of a stencil's icon."""
        s = self[type_id]
        return self._icons.get(type_id) or self.folder / s.icon

    def search(self, text: str) -> list[StencilDef]:
        """Stencils whose id, name, description, category or tags hold every word of
        `text` (case-insensitive); name matches first, then catalog order."""
        words = text.lower().split()
        if not words:
            return self.all()
        scored: list[tuple[int, int, StencilDef]] = []
        for i, s in enumerate(self._by_id.values()):
            hay = " ".join((s.id, s.name, s.description, s.category, *s.tags)).lower()
            if all(w in hay for w in words):
                name = s.name.lower()
                rank = 0 if name.startswith(text.lower().strip()) else (
                    1 if all(w in name for w in words) else 2)
                scored.append((rank, i, s))
        return [s for _, _, s in sorted(scored, key=lambda t: (t[0], t[1]))]

    # -- making and checking elements ----------------------------------------------------
    def new_element(self, stencil_id: str, x: float, y: float,
                    name: str | None = None) -> Element:
        """A new element of this stencil with its top-left corner at (x, y), its default
        size and default properties. A flow or line gets dangling ends / a horizontal line
        of the default width starting at (x, y)."""
        s = self[stencil_id]
        w, h = s.default_size
        props = s.defaults()
        label = s.name if name is None else name
        if s.kind is ElementKind.DATA_FLOW:
            return Element(new_id(), s.kind, s.id, label, props,
                           source_point=Point(x, y), target_point=Point(x + w, y))
        if s.kind is ElementKind.BOUNDARY_LINE:
            return Element(new_id(), s.kind, s.id, label, props,
                           points=(Point(x, y), Point(x + w, y)))
        return Element(new_id(), s.kind, s.id, label, props, rect=Rect(x, y, w, h))

    def defaults(self, type_id: str, kind: ElementKind) -> dict[str, PropertyValue]:
        """Default property values for an element of this type (generic when unknown)."""
        return self.get_or_generic(type_id, kind).defaults()

    def coerce_properties(self, type_id: str, values: Mapping[str, object],
                          kind: ElementKind | None = None,
                          strict: bool = False) -> dict[str, PropertyValue]:
        """Values converted to the types of the stencil's schema (e.g. 'yes' → True).

        Keys outside the schema are kept verbatim (imported tools add their own) unless
        `strict`; None means unset and is dropped. An unknown type uses the generic
        stencil of `kind` when given. Raises PropertyValueError listing every value that
        does not fit.
        """
        s = self._by_id.get(type_id)
        if kind is not None and (s is None or s.kind is not kind):
            s = self.get_or_generic(type_id, kind)
        if s is None:
            raise UnknownStencilError(f"unknown stencil {type_id!r}")
        out: dict[str, PropertyValue] = {}
        problems: list[str] = []
        for key, value in values.items():
            if value is None:  # unset: the stencil default applies
                continue
            spec = s.spec(key)
            if spec is None:
                if strict:
                    problems.append(f"{key}: not a property of {s.name}")
                elif isinstance(value, str | bool | int | float):
                    out[key] = value
                else:
                    problems.append(f"{key}: {value!r} is not text, a number or yes/no")
                continue
            try:
                out[key] = spec.coerce(value)
            except ValueError as err:
                problems.append(str(err))
        if problems:
            raise PropertyValueError(s.id, problems)
        return out
