"""Commands that edit elements on one diagram; they call domain methods only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from app.commands.base import Command
from app.domain import Diagram, Element, Point, Project, PropertyValue, Rect
from app.domain.events import ElementMoved, FlowReconnected


class _DiagramCommand(Command):
    def __init__(self, project: Project, diagram_id: str) -> None:
        self.project = project
        self.diagram_id = diagram_id

    @property
    def diagram(self) -> Diagram:
        return self.project.diagram(self.diagram_id)


class AddElements(_DiagramCommand):
    """Add one or more elements (nodes before the flows that need them)."""

    def __init__(self, project: Project, diagram_id: str, elements: Sequence[Element],
                 label: str | None = None) -> None:
        super().__init__(project, diagram_id)
        self.elements = sorted(elements, key=lambda e: e.is_flow)
        if label:
            self.label = label
        elif len(elements) == 1:
            what = "flow" if elements[0].is_flow else elements[0].kind.value.replace("_", " ")
            name = elements[0].name
            self.label = f"Add {what} {name!r}" if name else f"Add {what}"
        else:
            self.label = f"Add {len(elements)} elements"

    def do(self) -> None:
        d = self.diagram
        added: list[str] = []
        try:
            for e in self.elements:
                d.add(e)
                added.append(e.id)
        except Exception:
            if added:
                d.remove(added)  # all or nothing
            raise

    def undo(self) -> None:
        self.diagram.remove([e.id for e in reversed(self.elements)])


def AddElement(project: Project, diagram_id: str, element: Element) -> AddElements:
    """Add a single element (a connect gesture adds a flow through this too)."""
    return AddElements(project, diagram_id, [element])


def Connect(project: Project, diagram_id: str, flow: Element) -> AddElements:
    """Draw a data flow between two existing elements."""
    label = f"Connect {flow.name!r}" if flow.name else "Connect"
    return AddElements(project, diagram_id, [flow], label=label)


class RemoveElements(_DiagramCommand):
    """Delete elements; flows attached to them go too, and come back on undo."""

    def __init__(self, project: Project, diagram_id: str, element_ids: Iterable[str]) -> None:
        super().__init__(project, diagram_id)
        self.element_ids = list(dict.fromkeys(element_ids))
        self.removed: list[tuple[int, Element]] = []
        n = len(self.element_ids)
        self.label = "Delete" + (f" {n} elements" if n > 1 else "")

    def do(self) -> None:
        present = [i for i in self.element_ids if i in self.diagram]
        self.removed = self.diagram.remove(present)

    def undo(self) -> None:
        self.diagram.restore(self.removed)


class MoveElements(_DiagramCommand):
    """Translate elements by one offset; a whole drag (or repeated nudges) is one step."""

    merge_id = "move"

    def __init__(self, project: Project, diagram_id: str, element_ids: Iterable[str],
                 dx: float, dy: float, merge_key: str | None = None) -> None:
        super().__init__(project, diagram_id)
        self.element_ids = tuple(dict.fromkeys(element_ids))
        self.dx = dx
        self.dy = dy
        self.merge_id = f"move:{merge_key}" if merge_key else None
        self.label = "Move" + (f" {len(self.element_ids)} elements"
                               if len(self.element_ids) > 1 else "")
        # Exact values before and after: adding -dx back is not exact with floats.
        self.before: dict[str, Element] = {}
        self.after: dict[str, Element] = {}

    def do(self) -> None:
        d = self.diagram
        if self.after:
            for e in self.after.values():
                d.replace(e, ElementMoved(d.id, e.id))
            return
        self.before = {eid: d.get(eid) for eid in self.element_ids}
        for eid in self.element_ids:
            d.translate(eid, self.dx, self.dy)
        self.after = {eid: d.get(eid) for eid in self.element_ids}

    def undo(self) -> None:
        d = self.diagram
        for e in self.before.values():
            d.replace(e, ElementMoved(d.id, e.id))

    def merge_with(self, other: Command) -> bool:
        if not isinstance(other, MoveElements) or other.element_ids != self.element_ids:
            return False
        self.dx += other.dx
        self.dy += other.dy
        self.after = other.after
        return True


class SetGeometry(_DiagramCommand):
    """Replace the geometry of elements (resize, align, auto-layout): id → new element."""

    def __init__(self, project: Project, diagram_id: str, new: Mapping[str, Element],
                 label: str = "Resize", merge_key: str | None = None) -> None:
        super().__init__(project, diagram_id)
        self.new = dict(new)
        self.old: dict[str, Element] = {}
        self.label = label
        self.merge_id = f"geometry:{merge_key}" if merge_key else None

    def do(self) -> None:
        d = self.diagram
        self.old = {eid: d.get(eid) for eid in self.new} if not self.old else self.old
        done: list[str] = []
        try:
            for e in self.new.values():
                d.replace(e, ElementMoved(d.id, e.id))
                done.append(e.id)
        except Exception:
            for eid in done:  # all or nothing
                d.replace(self.old[eid], ElementMoved(d.id, eid))
            raise

    def undo(self) -> None:
        d = self.diagram
        for e in self.old.values():
            d.replace(e, ElementMoved(d.id, e.id))

    def merge_with(self, other: Command) -> bool:
        if not isinstance(other, SetGeometry) or set(other.new) != set(self.new):
            return False
        self.new = other.new
        return True


def Resize(project: Project, diagram_id: str, element_id: str, rect: Rect,
           merge_key: str | None = None) -> SetGeometry:
    """Give a box a new rectangle."""
    e = project.diagram(diagram_id).get(element_id)
    return SetGeometry(project, diagram_id, {element_id: e.with_changes(rect=rect)},
                       "Resize", merge_key)


def EditWaypoints(project: Project, diagram_id: str, flow_id: str,
                  waypoints: Sequence[Point], merge_key: str | None = None) -> SetGeometry:
    """Give a flow new bend points."""
    e = project.diagram(diagram_id).get(flow_id)
    return SetGeometry(project, diagram_id, {flow_id: e.with_changes(waypoints=tuple(waypoints))},
                       "Edit waypoints", merge_key)


class Rename(_DiagramCommand):
    """Rename an element; typing into the same field merges into one step."""

    def __init__(self, project: Project, diagram_id: str, element_id: str, name: str) -> None:
        super().__init__(project, diagram_id)
        self.element_id = element_id
        self.name = name
        self.old: str | None = None
        self.merge_id = f"rename:{element_id}"
        self.label = f"Rename to {name!r}"

    def do(self) -> None:
        old = self.diagram.rename(self.element_id, self.name)
        if self.old is None:
            self.old = old

    def undo(self) -> None:
        self.diagram.rename(self.element_id, self.old or "")

    def merge_with(self, other: Command) -> bool:
        if not isinstance(other, Rename) or other.element_id != self.element_id:
            return False
        self.name = other.name
        self.label = other.label
        return True


_UNSET = object()


class SetProperty(_DiagramCommand):
    """Set (or with None, clear) one property; typing into one field merges."""

    def __init__(self, project: Project, diagram_id: str, element_id: str, key: str,
                 value: PropertyValue | None) -> None:
        super().__init__(project, diagram_id)
        self.element_id = element_id
        self.key = key
        self.value = value
        self.old: object = _UNSET
        self.merge_id = f"prop:{element_id}:{key}"
        self.label = f"Set {key}"

    def do(self) -> None:
        old = self.diagram.set_property(self.element_id, self.key, self.value)
        if self.old is _UNSET:
            self.old = old

    def undo(self) -> None:
        self.diagram.set_property(self.element_id, self.key, self.old)

    def merge_with(self, other: Command) -> bool:
        if not isinstance(other, SetProperty) or other.merge_id != self.merge_id:
            return False
        self.value = other.value
        return True


class SetNotes(_DiagramCommand):
    """Edit an element's notes; typing merges."""

    def __init__(self, project: Project, diagram_id: str, element_id: str, notes: str) -> None:
        super().__init__(project, diagram_id)
        self.element_id = element_id
        self.notes = notes
        self.old: str | None = None
        self.merge_id = f"notes:{element_id}"
        self.label = "Edit notes"

    def do(self) -> None:
        old = self.diagram.set_notes(self.element_id, self.notes)
        if self.old is None:
            self.old = old

    def undo(self) -> None:
        self.diagram.set_notes(self.element_id, self.old or "")

    def merge_with(self, other: Command) -> bool:
        if not isinstance(other, SetNotes) or other.element_id != self.element_id:
            return False
        self.notes = other.notes
        return True


class Reconnect(_DiagramCommand):
    """Move one or both ends of a flow to other elements."""

    def __init__(self, project: Project, diagram_id: str, flow_id: str,
                 source_id: str | None = None, target_id: str | None = None) -> None:
        super().__init__(project, diagram_id)
        self.flow_id = flow_id
        self.source_id = source_id
        self.target_id = target_id
        self.old: Element | None = None
        self.label = "Reconnect flow"

    def do(self) -> None:
        old = self.diagram.reconnect(self.flow_id, self.source_id, self.target_id)
        if self.old is None:
            self.old = old

    def undo(self) -> None:
        assert self.old is not None
        self.diagram.replace(self.old, FlowReconnected(self.diagram_id, self.flow_id))


class ReplaceElement(_DiagramCommand):
    """Swap in a whole new value of an element (change of stencil type, flow routing)."""

    def __init__(self, project: Project, diagram_id: str, element: Element,
                 label: str = "Change element") -> None:
        super().__init__(project, diagram_id)
        self.new = element
        self.old: Element | None = None
        self.label = label

    def do(self) -> None:
        old = self.diagram.replace(self.new)
        if self.old is None:
            self.old = old

    def undo(self) -> None:
        assert self.old is not None
        self.diagram.replace(self.old)


class Reorder(_DiagramCommand):
    """Change drawing order (bring to front / send to back)."""

    def __init__(self, project: Project, diagram_id: str, order: list[str],
                 label: str = "Reorder") -> None:
        super().__init__(project, diagram_id)
        self.order = order
        self.old: list[str] = []
        self.label = label

    def do(self) -> None:
        self.old = self.diagram.reorder(self.order)

    def undo(self) -> None:
        self.diagram.reorder(self.old)
