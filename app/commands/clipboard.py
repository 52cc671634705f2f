"""Copy and paste of elements: fresh ids, an offset, flows kept only with both ends."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.commands.base import CompositeCommand
from app.commands.elements import AddElements
from app.domain import Element, Project, new_id


def copy_selection(elements: Mapping[str, Element], ids: Iterable[str]) -> list[Element]:
    """The selected elements plus the flows between them, in drawing order."""
    chosen = set(ids)
    out = []
    for e in elements.values():
        if e.id in chosen and not e.is_flow:
            out.append(e)
    node_ids = {e.id for e in out}
    for e in elements.values():
        if e.is_flow and e.source_id in node_ids and e.target_id in node_ids:
            out.append(e)
    return out


def clone_for_paste(elements: Iterable[Element], dx: float, dy: float) -> list[Element]:
    """Copies with new ids, moved by (dx, dy); flows re-pointed at the copies."""
    items = list(elements)
    mapping = {e.id: new_id() for e in items}
    out: list[Element] = []
    for e in items:
        c = e.translated(dx, dy).with_changes(id=mapping[e.id])
        if e.is_flow:
            if e.source_id not in mapping or e.target_id not in mapping:
                continue
            c = c.with_changes(source_id=mapping[e.source_id], target_id=mapping[e.target_id])
        out.append(c)
    return out


def Paste(project: Project, diagram_id: str, elements: Iterable[Element],
          dx: float = 20.0, dy: float = 20.0, label: str = "Paste") -> CompositeCommand:
    """Paste copies of `elements` into a diagram as one undo step."""
    clones = clone_for_paste(elements, dx, dy)
    return CompositeCommand(label, [AddElements(project, diagram_id, clones, label=label)])
