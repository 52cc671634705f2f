"""Mouse gestures as objects: each previews on the items and pushes one command at the end."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsSceneMouseEvent,
)

from app.commands import Connect, EditWaypoints, MoveElements, Reconnect, Resize, SetGeometry
from app.domain import ElementKind, Point, Rect, make_flow
from app.ui.items import BoundaryBoxItem, BoundaryLineItem, CanvasItem, FlowItem, NodeItem, Part
from app.ui.scene import DiagramScene

MIN_W, MIN_H = 40.0, 30.0


class Interaction:
    """Base gesture: `move` previews, `release` commits, `cancel` restores the items."""

    def __init__(self, scene: DiagramScene, event: QGraphicsSceneMouseEvent) -> None:
        self.scene = scene
        self.start = event.scenePos()
        self.dragged = False

    def _past_threshold(self, pos: QPointF) -> bool:
        if not self.dragged:
            d = QApplication.startDragDistance() / max(self.scene.zoom, 0.05)
            self.dragged = (pos - self.start).manhattanLength() >= d
        return self.dragged

    def move(self, event: QGraphicsSceneMouseEvent) -> None:
        return None

    def release(self, event: QGraphicsSceneMouseEvent) -> None:
        return None

    def cancel(self) -> None:
        return None


def _resync(scene: DiagramScene, ids) -> None:
    for eid in ids:
        if eid in scene.element_items and eid in scene.diagram:
            scene.element_items[eid].sync(scene.diagram.get(eid))
    scene.refresh_flows_of(ids)


class MoveInteraction(Interaction):
    """Drag the selection (boundary boxes carry what lies inside them); one MoveElements."""

    def __init__(self, scene: DiagramScene, event: QGraphicsSceneMouseEvent,
                 primary: CanvasItem) -> None:
        super().__init__(scene, event)
        ids = set(scene.selected_ids())
        if not event.modifiers() & Qt.KeyboardModifier.AltModifier:
            for eid in list(ids):
                it = scene.element_items[eid]
                if isinstance(it, BoundaryBoxItem):
                    ids |= self._inside(it.scene_box(), eid)
        ids |= set(scene.flows_between(ids))
        order = list(scene.diagram.elements)
        self.ids = [eid for eid in order if eid in ids]
        self.items = [scene.element_items[eid] for eid in self.ids]
        self.origins = {it.element_id: QPointF(it.pos()) for it in self.items}
        self.anchor = QPointF(primary.pos()) if isinstance(
            primary, NodeItem | BoundaryBoxItem) else QPointF(self.start)
        self.delta = QPointF(0, 0)

    def _inside(self, box: QRectF, box_id: str) -> set[str]:
        out = set()
        for eid, it in self.scene.element_items.items():
            if eid == box_id:
                continue
            if isinstance(it, NodeItem | BoundaryBoxItem):
                if box.contains(it.scene_box()):
                    out.add(eid)
            elif isinstance(it, BoundaryLineItem) and it.element.points and all(
                    box.contains(QPointF(p.x, p.y)) for p in it.element.points):
                out.add(eid)
        return out

    def move(self, event: QGraphicsSceneMouseEvent) -> None:
        pos = event.scenePos()
        if not self._past_threshold(pos):
            return
        raw = pos - self.start
        target = self.anchor + raw
        snapped = QPointF(self.scene.snap(target.x()), self.scene.snap(target.y()))
        self.delta = snapped - self.anchor
        for it in self.items:
            if isinstance(it, FlowItem):
                it.preview_offset = QPointF(self.delta)
                it.update_geometry()
            else:
                it.setPos(self.origins[it.element_id] + self.delta)
        self.scene.refresh_flows_of(self.ids)

    def release(self, event: QGraphicsSceneMouseEvent) -> None:
        d = self.delta
        if not self.dragged or (d.x() == 0 and d.y() == 0):
            self.cancel()
            if not self.dragged and not event.modifiers() & (
                    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
                hit = self.scene.item_at(self.start)
                if hit is not None:
                    self.scene.select_ids([hit[0].element_id])
            return
        cmd = MoveElements(self.scene.project, self.scene.diagram_id, self.ids, d.x(), d.y())
        if not self.scene.push(cmd):
            self.cancel()
        self.scene.grow_scene_rect()

    def cancel(self) -> None:
        _resync(self.scene, self.ids)


class ResizeInteraction(Interaction):
    """Drag a handle of a box; one Resize step."""

    def __init__(self, scene: DiagramScene, event: QGraphicsSceneMouseEvent,
                 item: NodeItem | BoundaryBoxItem, handle: int) -> None:
        super().__init__(scene, event)
        self.item = item
        self.handle = handle
        self.orig = item.scene_box()
        self.rect = QRectF(self.orig)

    def move(self, event: QGraphicsSceneMouseEvent) -> None:
        p = event.scenePos()
        if not self._past_threshold(p):
            return
        s = self.scene.snap
        left, top, right, bottom = (self.orig.left(), self.orig.top(), self.orig.right(),
                                    self.orig.bottom())
        h = self.handle
        if h in (0, 6, 7):
            left = min(s(p.x()), right - MIN_W)
        if h in (2, 3, 4):
            right = max(s(p.x()), left + MIN_W)
        if h in (0, 1, 2):
            top = min(s(p.y()), bottom - MIN_H)
        if h in (4, 5, 6):
            bottom = max(s(p.y()), top + MIN_H)
        self.rect = QRectF(QPointF(left, top), QPointF(right, bottom))
        self.item.set_preview_rect(self.rect)
        self.scene.refresh_flows_of([self.item.element_id])

    def release(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.rect == self.orig:
            self.cancel()
            return
        r = self.rect
        cmd = Resize(self.scene.project, self.scene.diagram_id, self.item.element_id,
                     Rect(r.x(), r.y(), r.width(), r.height()))
        if not self.scene.push(cmd):
            self.cancel()

    def cancel(self) -> None:
        _resync(self.scene, [self.item.element_id])


class _RubberLine(Interaction):
    """Shared by connect and reconnect: a dashed line following the mouse to a target."""

    def __init__(self, scene: DiagramScene, event: QGraphicsSceneMouseEvent,
                 anchor: QPointF, exclude: str) -> None:
        super().__init__(scene, event)
        self.anchor = anchor
        self.exclude = exclude
        self.target: NodeItem | None = None
        self.line = QGraphicsPathItem()
        pen = QPen(scene.theme.selection, 1.6)
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self.line.setPen(pen)
        self.line.setZValue(100)
        scene.addItem(self.line)

    def move(self, event: QGraphicsSceneMouseEvent) -> None:
        p = event.scenePos()
        self._past_threshold(p)
        path = QPainterPath(self.anchor)
        path.lineTo(p)
        self.line.setPath(path)
        target = self.scene.node_item_at(p, exclude=self.exclude)
        if target is not self.target:
            if self.target is not None:
                self.target.hovered = False
                self.target.update()
            self.target = target
            if target is not None:
                target.hovered = True
                target.update()

    def _finish(self) -> NodeItem | None:
        self.scene.removeItem(self.line)
        t = self.target
        if t is not None:
            t.hovered = False
            t.update()
        return t

    def cancel(self) -> None:
        self._finish()


class ConnectInteraction(_RubberLine):
    """Drag from an element to another to draw a flow; one Connect step."""

    def __init__(self, scene: DiagramScene, event: QGraphicsSceneMouseEvent,
                 source: NodeItem) -> None:
        super().__init__(scene, event, source.scene_box().center(), source.element_id)
        self.source = source

    def release(self, event: QGraphicsSceneMouseEvent) -> None:
        target = self._finish()
        if target is None:
            return
        sc = self.scene
        st = sc.library.get(sc.flow_type)
        props = st.defaults() if st is not None and st.kind is ElementKind.DATA_FLOW else {}
        flow = make_flow(self.source.element_id, target.element_id, name="",
                         type_id=sc.flow_type if props or st else "GE.DF", properties=props)
        if sc.push(Connect(sc.project, sc.diagram_id, flow)):
            sc.select_ids([flow.id])
            sc.sig_rename_requested.emit(flow.id)  # name what flows, right away


class ReconnectInteraction(_RubberLine):
    """Drag one end of a selected flow onto another element; one Reconnect step."""

    def __init__(self, scene: DiagramScene, event: QGraphicsSceneMouseEvent,
                 flow: FlowItem, end: str) -> None:
        pts = flow.points()
        fixed = pts[-1] if end == "source" else pts[0]
        super().__init__(scene, event, fixed, "")
        self.flow = flow
        self.end = end
        flow.setOpacity(0.35)

    def release(self, event: QGraphicsSceneMouseEvent) -> None:
        self.flow.setOpacity(1.0)
        target = self._finish()
        if target is None:
            return
        e = self.flow.element
        other = e.target_id if self.end == "source" else e.source_id
        current = e.source_id if self.end == "source" else e.target_id
        if target.element_id in (other, current):
            return
        sc = self.scene
        kw = {"source_id": target.element_id} if self.end == "source" else {
            "target_id": target.element_id}
        sc.push(Reconnect(sc.project, sc.diagram_id, e.id, **kw))

    def cancel(self) -> None:
        self.flow.setOpacity(1.0)
        super().cancel()


class WaypointInteraction(Interaction):
    """Drag a bend point (or a segment's midpoint to insert one); one waypoint edit."""

    def __init__(self, scene: DiagramScene, event: QGraphicsSceneMouseEvent,
                 flow: FlowItem, index: int, insert: bool) -> None:
        super().__init__(scene, event)
        self.flow = flow
        self.points = [QPointF(p.x, p.y) for p in flow.element.waypoints]
        if insert:
            self.points.insert(index, QPointF(self.start))
        self.index = index

    def move(self, event: QGraphicsSceneMouseEvent) -> None:
        p = event.scenePos()
        if not self._past_threshold(p):
            return
        self.points[self.index] = QPointF(self.scene.snap(p.x()), self.scene.snap(p.y()))
        self.flow.preview_waypoints = list(self.points)
        self.flow.update_geometry()

    def release(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.dragged:
            self.cancel()
            return
        sc = self.scene
        pts = [Point(p.x(), p.y()) for p in self.points]
        if not sc.push(EditWaypoints(sc.project, sc.diagram_id, self.flow.element_id, pts)):
            self.cancel()

    def cancel(self) -> None:
        _resync(self.scene, [self.flow.element_id])


class LabelInteraction(Interaction):
    """Drag a flow's label along; one 'Move label' step."""

    def __init__(self, scene: DiagramScene, event: QGraphicsSceneMouseEvent,
                 flow: FlowItem) -> None:
        super().__init__(scene, event)
        self.flow = flow
        self.origin = flow.label_center()

    def move(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self._past_threshold(event.scenePos()):
            return
        self.flow.preview_label = self.origin + (event.scenePos() - self.start)
        self.flow.update_geometry()

    def release(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.dragged:
            return
        p = self.flow.preview_label or self.origin
        sc = self.scene
        new = self.flow.element.with_changes(label_pos=Point(p.x(), p.y()))
        if not sc.push(SetGeometry(sc.project, sc.diagram_id, {new.id: new}, "Move label")):
            self.cancel()

    def cancel(self) -> None:
        _resync(self.scene, [self.flow.element_id])


class LinePointInteraction(Interaction):
    """Drag one point of a boundary line; one 'Edit boundary line' step."""

    def __init__(self, scene: DiagramScene, event: QGraphicsSceneMouseEvent,
                 line: BoundaryLineItem, index: int) -> None:
        super().__init__(scene, event)
        self.line = line
        self.index = index
        self.points = [QPointF(p.x, p.y) for p in line.element.points]

    def move(self, event: QGraphicsSceneMouseEvent) -> None:
        p = event.scenePos()
        if not self._past_threshold(p):
            return
        self.points[self.index] = QPointF(self.scene.snap(p.x()), self.scene.snap(p.y()))
        self.line.set_preview_points(list(self.points))
        self.line.update()

    def release(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.dragged:
            return
        sc = self.scene
        new = self.line.element.with_changes(
            points=tuple(Point(p.x(), p.y()) for p in self.points))
        if not sc.push(SetGeometry(sc.project, sc.diagram_id, {new.id: new},
                                   "Edit boundary line")):
            self.cancel()

    def cancel(self) -> None:
        _resync(self.scene, [self.line.element_id])


class RubberBandInteraction(Interaction):
    """Drag on empty canvas to select what the band touches (Ctrl/Shift adds)."""

    def __init__(self, scene: DiagramScene, event: QGraphicsSceneMouseEvent) -> None:
        super().__init__(scene, event)
        self.additive = bool(event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                                  | Qt.KeyboardModifier.ShiftModifier))
        self.before = scene.selected_ids() if self.additive else []
        if not self.additive:
            scene.clearSelection()
        self.band = QGraphicsRectItem()
        c = QColor(scene.theme.selection)
        pen = QPen(c, 1)
        pen.setCosmetic(True)
        self.band.setPen(pen)
        c.setAlpha(40)
        self.band.setBrush(QBrush(c))
        self.band.setZValue(200)

    def move(self, event: QGraphicsSceneMouseEvent) -> None:
        p = event.scenePos()
        if not self._past_threshold(p):
            return
        if self.band.scene() is None:
            self.scene.addItem(self.band)
        rect = QRectF(self.start, p).normalized()
        self.band.setRect(rect)
        path = QPainterPath()
        path.addRect(rect)
        self.scene.setSelectionArea(path, Qt.ItemSelectionOperation.ReplaceSelection,
                                    Qt.ItemSelectionMode.IntersectsItemShape)
        for eid in self.before:
            self.scene.element_items[eid].setSelected(True)

    def release(self, event: QGraphicsSceneMouseEvent) -> None:
        self.cancel()

    def cancel(self) -> None:
        if self.band.scene() is not None:
            self.scene.removeItem(self.band)


def start(scene: DiagramScene, event: QGraphicsSceneMouseEvent) -> Interaction | None:
    """Pick the gesture a left-button press begins, from the mode and what is under it."""
    pos = event.scenePos()
    if scene.place_stencil:
        stencil = scene.place_stencil
        if not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            scene.set_place_stencil(None)
        scene.add_stencil_at(stencil, pos, rename=True)
        return None
    hit = scene.item_at(pos)
    if hit is None:
        return RubberBandInteraction(scene, event)
    item, part = hit
    if part.kind == "badge":
        scene.sig_badge_clicked.emit(item.element_id, event.screenPos())
        return None
    if part.kind == "resize" and isinstance(item, NodeItem | BoundaryBoxItem):
        return ResizeInteraction(scene, event, item, part.index)
    if isinstance(item, NodeItem) and item.element.kind.is_node and (
            part.kind == "port" or scene.connect_mode):
        return ConnectInteraction(scene, event, item)
    if isinstance(item, FlowItem):
        if part.kind == "end":
            return ReconnectInteraction(scene, event, item, part.end)
        if part.kind in ("waypoint", "segment"):
            return WaypointInteraction(scene, event, item, part.index, part.kind == "segment")
    if isinstance(item, BoundaryLineItem) and part.kind == "point":
        return LinePointInteraction(scene, event, item, part.index)
    toggle = event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                  | Qt.KeyboardModifier.ShiftModifier)
    if toggle:
        item.setSelected(not item.isSelected())
        if not item.isSelected():
            return None
    elif not item.isSelected():
        scene.select_ids([item.element_id])
    if isinstance(item, FlowItem) and part.kind == "label" and len(scene.selected_ids()) == 1:
        return LabelInteraction(scene, event, item)
    return MoveInteraction(scene, event, item)


def double_click(scene: DiagramScene, event: QGraphicsSceneMouseEvent) -> None:
    """Double-click renames an element, or removes the waypoint under the mouse."""
    hit = scene.item_at(event.scenePos())
    if hit is None:
        return
    item, part = hit
    if isinstance(item, FlowItem) and part.kind == "waypoint":
        wps = list(item.element.waypoints)
        del wps[part.index]
        scene.push(EditWaypoints(scene.project, scene.diagram_id, item.element_id, wps))
        return
    scene.sig_rename_requested.emit(item.element_id)


def part_of(item: CanvasItem, pos: QPointF) -> Part:
    return item.hit_part(pos)
