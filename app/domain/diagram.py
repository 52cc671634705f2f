"""A diagram: an ordered set of elements that enforces DFD invariants and emits events."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType

from app.domain import events as ev
from app.domain.elements import Element, ElementKind, new_id
from app.domain.errors import DomainError, InvalidFlowError, UnknownElementError
from app.domain.geometry import Point, Rect

Emit = Callable[[ev.Event], None]


def _no_emit(_event: ev.Event) -> None:
    return None


class Diagram:
    """One DFD page. Elements are immutable values; every edit replaces one and emits an
    event through the owning project."""

    def __init__(self, name: str = "Diagram", diagram_id: str | None = None) -> None:
        self.id: str = diagram_id or new_id()
        self.name: str = name
        self._elements: dict[str, Element] = {}
        self._emit: Emit = _no_emit

    # -- reading -------------------------------------------------------------------------
    @property
    def elements(self) -> Mapping[str, Element]:
        """Read-only view of id → element, in drawing order."""
        return MappingProxyType(self._elements)

    def __contains__(self, element_id: object) -> bool:
        return element_id in self._elements

    def __iter__(self) -> Iterator[Element]:
        return iter(self._elements.values())

    def __len__(self) -> int:
        return len(self._elements)

    def get(self, element_id: str) -> Element:
        try:
            return self._elements[element_id]
        except KeyError:
            raise UnknownElementError(
                f"no element {element_id!r} on diagram {self.name!r}"
            ) from None

    def flows(self) -> list[Element]:
        return [e for e in self._elements.values() if e.is_flow]

    def flows_of(self, element_id: str) -> list[Element]:
        """Flows that start or end at the element."""
        return [
            e
            for e in self._elements.values()
            if e.is_flow and element_id in (e.source_id, e.target_id)
        ]

    def index_of(self, element_id: str) -> int:
        return list(self._elements).index(element_id)

    # -- invariants ----------------------------------------------------------------------
    def _check_flow(self, element: Element) -> None:
        if not element.is_flow:
            return
        for end, ref, point in (
            ("source", element.source_id, element.source_point),
            ("target", element.target_id, element.target_point),
        ):
            if ref is None:
                if point is None:
                    raise InvalidFlowError(
                        f"flow {element.name or element.id!r} has no {end} and no {end} point"
                    )
                continue
            other = self._elements.get(ref)
            if other is None:
                raise InvalidFlowError(
                    f"flow {element.name or element.id!r}: {end} {ref!r} is not on "
                    f"diagram {self.name!r}"
                )
            if other.kind not in (
                ElementKind.EXTERNAL_ENTITY,
                ElementKind.PROCESS,
                ElementKind.DATA_STORE,
            ):
                raise InvalidFlowError(
                    f"flow {element.name or element.id!r}: {end} must be an entity, a process "
                    f"or a data store, not a {other.kind.value.replace('_', ' ')}"
                )

    def _check_geometry(self, element: Element) -> None:
        if element.kind.is_box and element.rect is None:
            raise DomainError(f"{element.kind.value} {element.name!r} needs a rectangle")
        if element.rect is not None and (element.rect.width < 0 or element.rect.height < 0):
            raise DomainError(f"{element.name or element.id!r} has a negative size")

    # -- editing -------------------------------------------------------------------------
    def add(self, element: Element, index: int | None = None) -> None:
        """Add an element (at `index` in drawing order, default on top)."""
        if element.id in self._elements:
            raise DomainError(f"an element with id {element.id!r} is already on {self.name!r}")
        self._check_geometry(element)
        self._check_flow(element)
        if index is None or index >= len(self._elements):
            self._elements[element.id] = element
        else:
            items = list(self._elements.items())
            items.insert(max(0, index), (element.id, element))
            self._elements = dict(items)
        self._emit(ev.ElementAdded(self.id, element.id))

    def remove(self, element_ids: Iterable[str]) -> list[tuple[int, Element]]:
        """Remove elements and, cascading, the flows attached to them.

        Returns (index, element) pairs in ascending index order so an undo can restore
        drawing order exactly.
        """
        doomed: set[str] = set()
        for eid in element_ids:
            self.get(eid)
            doomed.add(eid)
        for e in self._elements.values():
            if e.is_flow and (e.source_id in doomed or e.target_id in doomed):
                doomed.add(e.id)
        removed = [(i, e) for i, e in enumerate(self._elements.values()) if e.id in doomed]
        # Flows go first so that no event ever describes a flow with a missing end.
        for _, e in sorted(removed, key=lambda p: not p[1].is_flow):
            del self._elements[e.id]
            self._emit(ev.ElementRemoved(self.id, e.id))
        return removed

    def restore(self, removed: list[tuple[int, Element]]) -> None:
        """Put back what `remove` returned, at the same drawing positions."""
        for _index, e in sorted(removed, key=lambda p: (p[1].is_flow, p[0])):
            self.add(e)
        order = list(self._elements)
        for index, e in sorted(removed, key=lambda p: p[0]):
            order.remove(e.id)
            order.insert(index, e.id)
        self._elements = {k: self._elements[k] for k in order}

    def replace(self, element: Element, event: ev.ElementEvent | None = None) -> Element:
        """Swap in a new value for an existing element; returns the old value."""
        old = self.get(element.id)
        if old.kind is not element.kind:
            raise DomainError(f"cannot change {old.name!r} from {old.kind} to {element.kind}")
        self._check_geometry(element)
        self._check_flow(element)
        self._elements[element.id] = element
        self._emit(event or ev.ElementReplaced(self.id, element.id))
        return old

    def rename(self, element_id: str, name: str) -> str:
        old = self.get(element_id)
        self.replace(old.with_changes(name=name), ev.ElementRenamed(self.id, element_id,
                                                                     old.name, name))
        return old.name

    def set_property(self, element_id: str, key: str, value: object) -> object:
        """Set (or with None, clear) one property; returns the old value or None."""
        old = self.get(element_id)
        before = old.properties.get(key)
        self.replace(
            old.with_property(key, value),  # type: ignore[arg-type]
            ev.PropertyChanged(self.id, element_id, key, before, value),
        )
        return before

    def set_notes(self, element_id: str, notes: str) -> str:
        old = self.get(element_id)
        self.replace(old.with_changes(notes=notes), ev.NotesChanged(self.id, element_id))
        return old.notes

    def set_rect(self, element_id: str, rect: Rect) -> Rect | None:
        old = self.get(element_id)
        if old.rect is None:
            raise DomainError(f"{old.name or old.id!r} is not a box")
        self.replace(old.with_changes(rect=rect), ev.ElementMoved(self.id, element_id))
        return old.rect

    def translate(self, element_id: str, dx: float, dy: float) -> None:
        old = self.get(element_id)
        self.replace(old.translated(dx, dy), ev.ElementMoved(self.id, element_id))

    def set_waypoints(self, element_id: str, waypoints: tuple[Point, ...]) -> tuple[Point, ...]:
        old = self.get(element_id)
        if not old.is_flow:
            raise DomainError(f"{old.name or old.id!r} is not a flow")
        self.replace(old.with_changes(waypoints=tuple(waypoints)),
                     ev.ElementMoved(self.id, element_id))
        return old.waypoints

    def set_points(self, element_id: str, points: tuple[Point, ...]) -> tuple[Point, ...]:
        old = self.get(element_id)
        if old.kind is not ElementKind.BOUNDARY_LINE:
            raise DomainError(f"{old.name or old.id!r} is not a boundary line")
        self.replace(old.with_changes(points=tuple(points)), ev.ElementMoved(self.id, element_id))
        return old.points

    def reconnect(self, flow_id: str, source_id: str | None, target_id: str | None) -> Element:
        """Point a flow at new ends (None keeps that end as it is); returns the old flow."""
        old = self.get(flow_id)
        if not old.is_flow:
            raise InvalidFlowError(f"{old.name or old.id!r} is not a flow")
        new = old.with_changes(
            source_id=old.source_id if source_id is None else source_id,
            target_id=old.target_id if target_id is None else target_id,
            source_point=old.source_point if source_id is None else None,
            target_point=old.target_point if target_id is None else None,
        )
        self.replace(new, ev.FlowReconnected(self.id, flow_id))
        return old

    def reorder(self, order: list[str]) -> list[str]:
        """Set drawing order (z-order); `order` must name every element once."""
        if sorted(order) != sorted(self._elements):
            raise DomainError("a new drawing order must name every element exactly once")
        old = list(self._elements)
        self._elements = {k: self._elements[k] for k in order}
        for k in order:
            self._emit(ev.ElementMoved(self.id, k))
        return old
