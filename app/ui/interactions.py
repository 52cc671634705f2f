"""Mouse gestures as objects: each previews on the items and pushes one command at the end.
`start` picks the gesture a press begins; flow and line gestures live in flow_gestures."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSceneMouseEvent

from app.commands import EditWaypoints, MoveElements, Resize, SetGeometry
from app.domain import Rect
from app.ui.flow_gestures import (
    ConnectInteraction,
    LabelInteraction,
    LinePointInteraction,
    ReconnectInteraction,
    WaypointInteraction,
)
from app.ui.gesture_base import Interaction, resync
from app.ui.items import BoundaryBoxItem, BoundaryLineItem, CanvasItem, FlowItem, NodeItem
from app.ui.scene import DiagramScene

MIN_W, MIN_H = 40.0, 30.0
#: Handles 0..7 run clockwise from the top-left corner.
RESIZE_CURSORS = (Qt.CursorShape.SizeFDiagCursor, Qt.CursorShape.SizeVerCursor,
                  Qt.CursorShape.SizeBDiagCursor, Qt.CursorShape.SizeHorCursor)

__all__ = ["ConnectInteraction", "Interaction", "LabelInteraction", "LinePointInteraction",
           "MoveInteraction", "ReconnectInteraction", "ResizeInteraction",
           "RubberBandInteraction", "WaypointInteraction", "double_click", "start"]


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
        resync(self.scene, self.ids)


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
        resync(self.scene, [self.item.element_id])


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
            if part.kind == "segment":
                return WaypointInteraction(scene, event, item,
                                           item.waypoint_insert_index(part.index), True)
            return WaypointInteraction(scene, event, item, part.index, False)
    if isinstance(item, BoundaryLineItem) and part.kind in ("point", "segment"):
        if part.kind == "segment":
            return LinePointInteraction(scene, event, item, part.index + 1, insert=True)
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
    if isinstance(item, BoundaryLineItem) and part.kind == "point" and \
            len(item.element.points) > 2:
        pts = list(item.element.points)
        del pts[part.index]
        new = item.element.with_changes(points=tuple(pts))
        scene.push(SetGeometry(scene.project, scene.diagram_id, {new.id: new},
                               "Edit boundary line"))
        return
    scene.sig_rename_requested.emit(item.element_id)


def hover_cursor(scene: DiagramScene, pos: QPointF) -> Qt.CursorShape:
    """The cursor telling what a press would do: resize arrows on handles, a cross on ports."""
    if scene.place_stencil or scene.connect_mode:
        shape = Qt.CursorShape.CrossCursor
    else:
        hit = scene.item_at(pos)
        part = hit[1] if hit is not None else None
        kind = part.kind if part is not None else ""
        if kind == "resize":
            shape = RESIZE_CURSORS[part.index % 4]  # type: ignore[union-attr]
        elif kind in ("port", "end"):
            shape = Qt.CursorShape.CrossCursor
        elif kind in ("waypoint", "segment", "point"):
            shape = Qt.CursorShape.SizeAllCursor
        elif kind == "badge":
            shape = Qt.CursorShape.PointingHandCursor
        else:
            shape = Qt.CursorShape.ArrowCursor
    return shape
