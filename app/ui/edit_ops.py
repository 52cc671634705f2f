"""Edit operations on the current diagram: clipboard, duplicate, delete, align, layout."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)

from app.commands import (
    AddElements,
    CompositeCommand,
    Paste,
    RemoveElements,
    ReplaceElement,
    SetGeometry,
    copy_selection,
)
from app.domain import Element, ElementKind, Rect
from app.domain.topology import containing_boundaries
from app.ui import clipboard
from app.ui.scene import DiagramScene

PASTE_STEP = 20.0


def selected_elements(scene: DiagramScene) -> list[Element]:
    """The selection plus flows between selected elements, in drawing order."""
    d = scene.diagram
    ids = scene.selected_ids()
    picked = copy_selection(d.elements, ids)
    flows = [d.get(i) for i in ids if d.get(i).is_flow and d.get(i) not in picked]
    return [*picked, *[f for f in flows if f.source_id in {p.id for p in picked}
                       and f.target_id in {p.id for p in picked}]]


def copy(scene: DiagramScene) -> int:
    els = selected_elements(scene)
    if els:
        clipboard.copy_to_clipboard(els, scene.diagram_id)
    return len(els)


def cut(scene: DiagramScene) -> None:
    if copy(scene):
        cmd = RemoveElements(scene.project, scene.diagram_id, scene.selected_ids())
        cmd.label = "Cut"
        scene.push(cmd)


def _paste_elements(scene: DiagramScene, elements: list[Element], offset: float,
                    label: str) -> list[str]:
    cmd = Paste(scene.project, scene.diagram_id, elements, offset, offset, label=label)
    if not scene.push(cmd):
        return []
    added = cmd.children[0]
    assert isinstance(added, AddElements)
    ids = [e.id for e in added.elements]
    scene.select_ids(ids)
    scene.grow_scene_rect()
    return ids


def paste(scene: DiagramScene) -> list[str]:
    """Paste clipboard elements; offset when their originals are on this diagram already."""
    data = clipboard.read_clipboard()
    if data is None:
        return []
    elements, _source = data
    elements = [e for e in elements if not e.is_flow or (
        e.source_id in {x.id for x in elements} and e.target_id in {x.id for x in elements})]
    offset = 0.0
    d = scene.diagram
    rects = {(e.rect.x, e.rect.y) for e in d if e.rect is not None}
    probe = next((e for e in elements if e.rect is not None), None)
    if probe is not None:
        while (probe.rect.x + offset, probe.rect.y + offset) in rects:  # type: ignore[union-attr]
            offset += PASTE_STEP
    elif any(e.id in d for e in elements):
        offset = PASTE_STEP
    return _paste_elements(scene, elements, offset, "Paste")


def duplicate(scene: DiagramScene) -> list[str]:
    els = selected_elements(scene)
    return _paste_elements(scene, els, PASTE_STEP, "Duplicate") if els else []


def typing_elsewhere() -> bool:
    """True when keyboard focus is in a field (Delete then belongs to that field)."""
    w = QApplication.focusWidget()
    return isinstance(w, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox | QComboBox)


def delete(scene: DiagramScene) -> None:
    ids = scene.selected_ids()
    if ids and not typing_elsewhere():
        scene.push(RemoveElements(scene.project, scene.diagram_id, ids))


def select_all(scene: DiagramScene) -> None:
    scene.select_ids(scene.element_items)


def _boxes(scene: DiagramScene) -> list[Element]:
    return [scene.diagram.get(i) for i in scene.selected_ids()
            if scene.diagram.get(i).rect is not None]


def align(scene: DiagramScene, how: str) -> None:
    """Align selected boxes: left, center, right, top, middle or bottom."""
    boxes = _boxes(scene)
    if len(boxes) < 2:
        return
    rs = [e.rect for e in boxes]
    assert all(rs)
    new: dict[str, Element] = {}
    for e in boxes:
        r = e.rect
        assert r is not None
        x, y = r.x, r.y
        if how == "left":
            x = min(q.x for q in rs)  # type: ignore[union-attr]
        elif how == "right":
            x = max(q.right for q in rs) - r.width  # type: ignore[union-attr]
        elif how == "center":
            x = sum(q.center.x for q in rs) / len(rs) - r.width / 2  # type: ignore[union-attr]
        elif how == "top":
            y = min(q.y for q in rs)  # type: ignore[union-attr]
        elif how == "bottom":
            y = max(q.bottom for q in rs) - r.height  # type: ignore[union-attr]
        elif how == "middle":
            y = sum(q.center.y for q in rs) / len(rs) - r.height / 2  # type: ignore[union-attr]
        if (x, y) != (r.x, r.y):
            new[e.id] = e.with_changes(rect=Rect(x, y, r.width, r.height))
    if new:
        scene.push(SetGeometry(scene.project, scene.diagram_id, new, f"Align {how}"))


def distribute(scene: DiagramScene, axis: str) -> None:
    """Space selected boxes evenly between the outermost two ('horizontal' or 'vertical')."""
    boxes = _boxes(scene)
    if len(boxes) < 3:
        return
    horiz = axis == "horizontal"
    boxes.sort(key=lambda e: e.rect.x if horiz else e.rect.y)  # type: ignore[union-attr]
    first, last = boxes[0].rect, boxes[-1].rect
    assert first is not None and last is not None
    total = sum((e.rect.width if horiz else e.rect.height) for e in boxes)  # type: ignore
    span = (last.right - first.x) if horiz else (last.bottom - first.y)
    gap = (span - total) / (len(boxes) - 1)
    pos = first.x if horiz else first.y
    new: dict[str, Element] = {}
    for e in boxes:
        r = e.rect
        assert r is not None
        nr = Rect(pos, r.y, r.width, r.height) if horiz else Rect(r.x, pos, r.width, r.height)
        if nr != r:
            new[e.id] = e.with_changes(rect=nr)
        pos += (r.width if horiz else r.height) + gap
    if new:
        scene.push(SetGeometry(scene.project, scene.diagram_id, new, f"Distribute {axis}"))


def auto_layout(scene: DiagramScene) -> bool:
    """Lay the diagram out left to right; boundaries refit around their members. One step."""
    from app.engine.layout import layered_layout  # the engine loads networkx: only on use

    d = scene.diagram
    elements = d.elements
    nodes = [e for e in d if e.kind.is_node]
    if not nodes:
        return False
    members: dict[str, list[str]] = {}
    inner: dict[str, str] = {}
    for n in nodes:
        bs = containing_boundaries(elements, n.id)
        for b in bs:
            members.setdefault(b, []).append(n.id)
        if bs:
            inner[n.id] = "/".join(bs)
    sizes = {n.id: (n.rect.width, n.rect.height) for n in nodes}  # type: ignore[union-attr]
    centres = {n.id: (n.rect.center.x, n.rect.center.y) for n in nodes}  # type: ignore
    edges = [(f.source_id, f.target_id) for f in d.flows() if f.source_id and f.target_id]
    x0 = min(n.rect.x for n in nodes)  # type: ignore[union-attr]
    y0 = min(n.rect.y for n in nodes)  # type: ignore[union-attr]
    entities = [n.id for n in nodes if n.kind is ElementKind.EXTERNAL_ENTITY]
    pos = layered_layout(sizes, edges, origin=(x0, y0), initial=centres, groups=inner,
                         first=entities)
    new: dict[str, Element] = {}
    rects: dict[str, QRectF] = {}
    for n in nodes:
        x, y = pos[n.id]
        r = n.rect
        assert r is not None
        rects[n.id] = QRectF(x, y, r.width, r.height)
        if (x, y) != (r.x, r.y):
            new[n.id] = n.with_changes(rect=Rect(x, y, r.width, r.height))
    # Innermost boundaries first, so an outer box wraps the refitted inner ones.
    for b_id in sorted(members, key=lambda b: elements[b].rect.area()):  # type: ignore
        box = QRectF()
        for m in members[b_id]:
            box = box.united(rects[m])
        for other, ms in members.items():
            if other != b_id and set(ms) < set(members[b_id]) and other in rects:
                box = box.united(rects[other])
        box = box.adjusted(-30, -40, 30, 30)
        rects[b_id] = box
        b = elements[b_id]
        new[b_id] = b.with_changes(rect=Rect(box.x(), box.y(), box.width(), box.height()))
    for f in d.flows():
        if f.waypoints or f.label_pos is not None:
            new[f.id] = f.with_changes(waypoints=(), label_pos=None)
    # Notes travel with the element they sit closest to, without covering any element.
    node_ids = {n.id for n in nodes}
    for a in d:
        if a.kind is not ElementKind.ANNOTATION or a.rect is None:
            continue
        c = a.rect.center
        near = min(nodes, key=lambda n: (n.rect.center.x - c.x) ** 2  # type: ignore[union-attr]
                   + (n.rect.center.y - c.y) ** 2)  # type: ignore[union-attr]
        moved = rects[near.id]
        dx, dy = moved.x() - near.rect.x, moved.y() - near.rect.y  # type: ignore[union-attr]
        spot = QRectF(a.rect.x + dx, a.rect.y + dy, a.rect.width, a.rect.height)
        taken = [r for k, r in rects.items() if k in node_ids]
        for _ in range(200):  # slide down until it covers no element
            if not any(spot.intersects(r.adjusted(-12, -12, 12, 12)) for r in taken):
                break
            spot.translate(0, 20)
        rects[a.id] = spot
        node_ids.add(a.id)
        if (spot.x(), spot.y()) != (a.rect.x, a.rect.y):
            new[a.id] = a.with_changes(rect=Rect(spot.x(), spot.y(), spot.width(),
                                                 spot.height()))
    if not new:
        return False
    ok = scene.push(SetGeometry(scene.project, scene.diagram_id, new, "Auto-layout"))
    scene.grow_scene_rect()
    return ok


def set_routing(scene: DiagramScene, routing: str) -> None:
    flows = [scene.diagram.get(i) for i in scene.selected_ids() if scene.diagram.get(i).is_flow]
    cmds = [ReplaceElement(scene.project, scene.diagram_id,
                           f.with_changes(routing=routing, waypoints=()), "Change routing")
            for f in flows if f.routing != routing]
    if cmds:
        scene.push(CompositeCommand(f"Route {routing}", cmds))
