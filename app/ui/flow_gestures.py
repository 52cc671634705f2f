"""Gestures on flows and lines: connect, reconnect, bend points, label and boundary points."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsSceneMouseEvent

from app.commands import Connect, EditWaypoints, Reconnect, SetGeometry
from app.domain import ElementKind, Point, make_flow
from app.ui.gesture_base import Interaction, resync
from app.ui.items import BoundaryLineItem, FlowItem, NodeItem
from app.ui.scene import DiagramScene


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
        resync(self.scene, [self.flow.element_id])


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
        resync(self.scene, [self.flow.element_id])


class LinePointInteraction(Interaction):
    """Drag one point of a boundary line (or a segment's middle to add a point); one
    'Edit boundary line' step."""

    def __init__(self, scene: DiagramScene, event: QGraphicsSceneMouseEvent,
                 line: BoundaryLineItem, index: int, insert: bool = False) -> None:
        super().__init__(scene, event)
        self.line = line
        self.index = index
        self.points = [QPointF(p.x, p.y) for p in line.element.points]
        if insert:
            self.points.insert(index, QPointF(self.start))

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
        resync(self.scene, [self.line.element_id])
