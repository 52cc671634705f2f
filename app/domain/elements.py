"""DFD elements as immutable values: an edit replaces an element, so snapshots are cheap."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from app.domain.geometry import Point, Rect

PropertyValue = str | bool | int | float


class ElementKind(StrEnum):
    """The DFD kinds; every stencil belongs to exactly one."""

    EXTERNAL_ENTITY = "external_entity"
    PROCESS = "process"
    DATA_STORE = "data_store"
    DATA_FLOW = "data_flow"
    BOUNDARY_BOX = "boundary_box"
    BOUNDARY_LINE = "boundary_line"
    ANNOTATION = "annotation"

    @property
    def generic_type(self) -> str:
        """The Microsoft Threat Modeling Tool generic type id of this kind."""
        return GENERIC_TYPES[self]

    @property
    def is_box(self) -> bool:
        """Kinds drawn as a rectangle with x, y, width and height."""
        return self not in (ElementKind.DATA_FLOW, ElementKind.BOUNDARY_LINE)

    @property
    def is_node(self) -> bool:
        """Kinds that flows may connect: entities, processes and stores."""
        return self in NODE_KINDS


GENERIC_TYPES: dict[ElementKind, str] = {
    ElementKind.EXTERNAL_ENTITY: "GE.EI",
    ElementKind.PROCESS: "GE.P",
    ElementKind.DATA_STORE: "GE.DS",
    ElementKind.DATA_FLOW: "GE.DF",
    ElementKind.BOUNDARY_BOX: "GE.TB.B",
    ElementKind.BOUNDARY_LINE: "GE.TB.L",
    ElementKind.ANNOTATION: "GE.A",
}
KIND_BY_GENERIC_TYPE: dict[str, ElementKind] = {v: k for k, v in GENERIC_TYPES.items()}
NODE_KINDS = frozenset(
    {ElementKind.EXTERNAL_ENTITY, ElementKind.PROCESS, ElementKind.DATA_STORE}
)


def new_id() -> str:
    """A fresh element or diagram id (imported ids are kept verbatim instead)."""
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class Element:
    """One item on a diagram. Which geometry fields apply depends on `kind`.

    Boxes (entities, processes, stores, boundary boxes, annotations) use `rect`.
    Flows use `source_id`/`target_id` (or `source_point`/`target_point` when an imported
    end is dangling), `waypoints`, `label_pos` and `routing`. Boundary lines use `points`.
    `extra` keeps foreign metadata (e.g. a TMT type name) verbatim for round trips.
    """

    id: str
    kind: ElementKind
    type_id: str
    name: str = ""
    properties: dict[str, PropertyValue] = field(default_factory=dict)
    notes: str = ""
    rect: Rect | None = None
    source_id: str | None = None
    target_id: str | None = None
    source_point: Point | None = None
    target_point: Point | None = None
    waypoints: tuple[Point, ...] = ()
    label_pos: Point | None = None
    routing: str = "straight"
    points: tuple[Point, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_flow(self) -> bool:
        return self.kind is ElementKind.DATA_FLOW

    @property
    def is_boundary(self) -> bool:
        return self.kind in (ElementKind.BOUNDARY_BOX, ElementKind.BOUNDARY_LINE)

    def prop(self, key: str, default: PropertyValue | None = None) -> PropertyValue | None:
        """A property value, or `default` when unset."""
        return self.properties.get(key, default)

    def with_changes(self, **changes: Any) -> Element:
        """A copy with the given fields replaced (properties are copied, never shared)."""
        if "properties" not in changes:
            changes["properties"] = dict(self.properties)
        if "extra" not in changes:
            changes["extra"] = dict(self.extra)
        return replace(self, **changes)

    def with_property(self, key: str, value: PropertyValue | None) -> Element:
        """A copy with one property set, or removed when `value` is None."""
        props = dict(self.properties)
        if value is None:
            props.pop(key, None)
        else:
            props[key] = value
        return self.with_changes(properties=props)

    def translated(self, dx: float, dy: float) -> Element:
        """A copy moved by (dx, dy): boxes, flow waypoints/labels/dangling ends, line points."""
        def mv(p: Point | None) -> Point | None:
            return None if p is None else Point(p.x + dx, p.y + dy)

        if self.rect is not None:
            r = self.rect
            return self.with_changes(rect=Rect(r.x + dx, r.y + dy, r.width, r.height))
        if self.is_flow:
            return self.with_changes(
                waypoints=tuple(Point(p.x + dx, p.y + dy) for p in self.waypoints),
                label_pos=mv(self.label_pos),
                source_point=mv(self.source_point),
                target_point=mv(self.target_point),
            )
        return self.with_changes(points=tuple(Point(p.x + dx, p.y + dy) for p in self.points))


def make_box(
    kind: ElementKind,
    type_id: str,
    name: str,
    rect: Rect,
    properties: dict[str, PropertyValue] | None = None,
    element_id: str | None = None,
) -> Element:
    """A new box-shaped element (entity, process, store, boundary box, annotation)."""
    if not kind.is_box:
        raise ValueError(f"{kind} is not drawn as a box")
    return Element(
        id=element_id or new_id(),
        kind=kind,
        type_id=type_id,
        name=name,
        properties=dict(properties or {}),
        rect=rect,
    )


def make_flow(
    source_id: str,
    target_id: str,
    name: str = "",
    type_id: str = "GE.DF",
    properties: dict[str, PropertyValue] | None = None,
    element_id: str | None = None,
    waypoints: tuple[Point, ...] = (),
) -> Element:
    """A new data flow from one element to another."""
    return Element(
        id=element_id or new_id(),
        kind=ElementKind.DATA_FLOW,
        type_id=type_id,
        name=name,
        properties=dict(properties or {}),
        source_id=source_id,
        target_id=target_id,
        waypoints=waypoints,
    )


def make_line(
    points: tuple[Point, ...],
    name: str = "",
    type_id: str = "GE.TB.L",
    element_id: str | None = None,
) -> Element:
    """A new trust boundary drawn as a polyline."""
    return Element(
        id=element_id or new_id(),
        kind=ElementKind.BOUNDARY_LINE,
        type_id=type_id,
        name=name,
        points=tuple(points),
    )
