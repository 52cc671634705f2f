"""The diagram scene: owns the element id ↔ item map and follows the model through the bridge."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSceneMouseEvent

from app.commands import AddElement, Command
from app.domain import Diagram, Element, ElementKind, Point, Project, Rect, make_box, make_line
from app.ui.bridge import ModelBridge
from app.ui.flow_index import FlowIndex
from app.ui.items import (
    Badge,
    BoundaryBoxItem,
    BoundaryLineItem,
    CanvasItem,
    FlowItem,
    NodeItem,
    Part,
)
from app.ui.items.overview import LOD_MIN_ELEMENTS, LOD_ZOOM, OverviewLayer
from app.ui.stencil_library import StencilLibrary
from app.ui.theme import Theme
from app.ui.undo import UndoController

GRID = 10.0
NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
HANDLE_PARTS = frozenset({"resize", "end", "waypoint", "segment", "point"})


class DiagramScene(QGraphicsScene):
    """One diagram's items; edits go out as commands, changes come back as bridge signals."""

    sig_badge_clicked = Signal(str, QPoint)  # element id, screen position
    sig_rename_requested = Signal(str)
    sig_mode_changed = Signal()
    sig_context_menu = Signal(QPoint)
    #: Elements, badges or the theme changed (the minimap listens to this rather than to
    #: `changed`, which would turn off the scene's direct view updates).
    sig_content_changed = Signal()

    def __init__(self, project: Project, diagram_id: str, bridge: ModelBridge,
                 undo: UndoController, library: StencilLibrary, theme: Theme) -> None:
        super().__init__()
        self.project = project
        self.diagram_id = diagram_id
        self.undo = undo
        self.library = library
        self.theme = theme
        self._zoom = 1.0
        self.lod_proxy = False
        self.snap_enabled = True
        self.connect_mode = False
        self.flow_type = "GE.DF"
        self.place_stencil: str | None = None
        self.badges: dict[str, Badge] = {}
        self._badge_stale: set[str] = set()  # badge changed while the item drew nothing
        self.element_items: dict[str, CanvasItem] = {}
        self.flow_index = FlowIndex()
        self.interaction = None
        self.draw_grid = True
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setSceneRect(QRectF(-2000, -2000, 8000, 6000))
        self.overview = OverviewLayer(self)
        self.overview.setVisible(False)
        self.addItem(self.overview)
        self.selectionChanged.connect(self._selection_lod)
        bridge.sig_element_added.connect(self._on_added)
        bridge.sig_element_removed.connect(self._on_removed)
        bridge.sig_element_changed.connect(self._on_changed)
        self.rebuild()

    # -- level of detail -------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        """The main view's scale; below LOD_ZOOM the overview layer draws the diagram."""
        return self._zoom

    @zoom.setter
    def zoom(self, value: float) -> None:
        if self.grid_step(value) != self.grid_step(self._zoom):
            self.invalidate(self.sceneRect(), QGraphicsScene.SceneLayer.BackgroundLayer)
        self._zoom = value
        self._update_lod()
        for it in self.selectedItems():
            if isinstance(it, CanvasItem):
                it.geometry_changed()  # handles keep their size on screen

    def _update_lod(self) -> None:
        """Switch the overview layer on for large diagrams seen from far away."""
        z = self._zoom
        proxy = z < 0.15 or (z < LOD_ZOOM and len(self.element_items) > LOD_MIN_ELEMENTS)
        if proxy != self.lod_proxy:
            self.lod_proxy = proxy
            for it in self.element_items.values():
                it.setFlag(NO_CONTENTS, proxy and not it.isSelected())
            self.overview.setVisible(proxy)
            self.overview.invalidate()
            if not proxy:
                self._refresh_badge_items(list(self._badge_stale))

    def _selection_lod(self) -> None:
        if self.lod_proxy:
            for it in self.element_items.values():
                it.setFlag(NO_CONTENTS, not it.isSelected())
            self._refresh_badge_items([eid for eid in self._badge_stale
                                       if eid in self.element_items
                                       and self.element_items[eid].isSelected()])

    def _refresh_badge_items(self, ids: Iterable[str]) -> None:
        """Redraw items whose badge changed; while the overview layer draws the diagram, only
        the selected ones (the rest draw nothing until it is switched off)."""
        for eid in ids:
            it = self.element_items.get(eid)
            if it is None:
                self._badge_stale.discard(eid)
            elif self.lod_proxy and not it.isSelected():
                self._badge_stale.add(eid)
            else:
                self._badge_stale.discard(eid)
                it.geometry_changed()
                it.update()

    def _changed_geometry(self) -> None:
        self.overview.invalidate()  # cheap while hidden: the minimap draws from it too
        self.sig_content_changed.emit()

    # -- model → items -------------------------------------------------------------------
    @property
    def diagram(self) -> Diagram:
        return self.project.diagram(self.diagram_id)

    def rebuild(self) -> None:
        """Drop every item and create one per element (opening a diagram)."""
        for it in list(self.element_items.values()):
            self.removeItem(it)
        self.element_items.clear()
        self.flow_index.clear()
        elements = list(self.diagram)
        for e in elements:
            self._create(e, update=False)
        for e in elements:
            if e.is_flow:
                self.element_items[e.id].update_geometry()  # type: ignore[attr-defined]
        self.grow_scene_rect()

    def _create(self, e: Element, update: bool = True) -> CanvasItem:
        if e.is_flow:
            item: CanvasItem = FlowItem(e)
            self._index_flow(e)
        elif e.kind is ElementKind.BOUNDARY_BOX:
            item = BoundaryBoxItem(e)
        elif e.kind is ElementKind.BOUNDARY_LINE:
            item = BoundaryLineItem(e)
        else:
            item = NodeItem(e)
        self.element_items[e.id] = item
        if self.lod_proxy:
            item.setFlag(NO_CONTENTS, True)
        self.addItem(item)
        self._changed_geometry()
        if not self.lod_proxy and self._zoom < LOD_ZOOM:
            self._update_lod()
        if update and isinstance(item, FlowItem):
            self._refresh_pair(e)
        return item

    def _index_flow(self, e: Element) -> None:
        self.flow_index.add(e)

    def _unindex_flow(self, e: Element) -> None:
        for fid in self.flow_index.remove(e):
            self._reroute(fid)

    def _refresh_pair(self, e: Element) -> None:
        for fid in self.flow_index.pair(e) or [e.id]:
            self._reroute(fid)

    def _reroute(self, flow_id: str) -> None:
        item = self.element_items.get(flow_id)
        if isinstance(item, FlowItem):
            item.update_geometry()

    def _on_added(self, diagram_id: str, element_id: str) -> None:
        if diagram_id == self.diagram_id:
            self._create(self.diagram.get(element_id))

    def _on_removed(self, diagram_id: str, element_id: str) -> None:
        if diagram_id != self.diagram_id or element_id not in self.element_items:
            return
        item = self.element_items.pop(element_id)
        if isinstance(item, FlowItem):
            self._unindex_flow(item.element)
        self.flow_index.forget_element(element_id)
        self.removeItem(item)
        self._changed_geometry()

    def _on_changed(self, diagram_id: str, element_id: str) -> None:
        if diagram_id != self.diagram_id or element_id not in self.element_items:
            return
        e = self.diagram.get(element_id)
        item = self.element_items[element_id]
        if isinstance(item, FlowItem):
            old = item.element
            if (old.source_id, old.target_id) != (e.source_id, e.target_id):
                self._unindex_flow(old)
                self._index_flow(e)
                item.element = e
                self._refresh_pair(old)
            item.sync(e)
            self._refresh_pair(e)
        else:
            item.sync(e)
            self.refresh_flows_of([element_id])
        self._changed_geometry()

    def refresh_flows_of(self, element_ids: Iterable[str]) -> None:
        """Re-route the flows attached to elements that moved (or are being dragged)."""
        self._changed_geometry()
        done: set[str] = set()
        for eid in element_ids:
            for fid in self.flow_index.at(eid):
                if fid not in done:
                    done.add(fid)
                    self._reroute(fid)

    def flows_between(self, ids: set[str]) -> list[str]:
        """Flows whose both ends are among `ids`."""
        out = []
        for eid in ids:
            for fid in self.flow_index.at(eid):
                f = self.element_items[fid].element
                if f.source_id in ids and f.target_id in ids and fid not in out:
                    out.append(fid)
        return out

    # -- geometry queries ----------------------------------------------------------------
    def node_box(self, element_id: str | None) -> QRectF | None:
        item = self.element_items.get(element_id or "")
        return item.scene_box() if isinstance(item, NodeItem | BoundaryBoxItem) else None

    def pair_offset(self, flow: Element) -> float:
        """Perpendicular offset that draws flows between the same two elements apart."""
        ids = [i for i in self.flow_index.pair(flow)
               if i in self.element_items and not self.element_items[i].element.waypoints]
        if len(ids) < 2 or flow.id not in ids:
            return 0.0
        ids.sort()
        return (ids.index(flow.id) - (len(ids) - 1) / 2) * 22.0

    def content_rect(self) -> QRectF:
        rect = QRectF()
        for it in self.element_items.values():
            rect = rect.united(it.sceneBoundingRect())
        return rect

    def grow_scene_rect(self) -> None:
        """Keep generous room around the content so panning never hits a wall."""
        self.setSceneRect(self.sceneRect().united(self.content_rect().adjusted(-2000, -2000,
                                                                             2000, 2000)))

    def snap(self, value: float) -> float:
        return round(value / GRID) * GRID if self.snap_enabled else value

    def item_at(self, pos: QPointF) -> tuple[CanvasItem, Part] | None:
        """The topmost element item under a position and which of its parts was hit."""
        tol = 12.0 / max(self.zoom, 0.05)
        near = self.items(QRectF(pos.x() - tol, pos.y() - tol, 2 * tol, 2 * tol),
                          Qt.ItemSelectionMode.IntersectsItemBoundingRect,
                          Qt.SortOrder.DescendingOrder)
        items = [it for it in near if isinstance(it, CanvasItem)]
        # Handles of selected items win over ports and badges of whatever lies beneath.
        for it in items:
            if it.isSelected():
                part = it.hit_part(pos)
                if part.kind in HANDLE_PARTS:
                    return it, part
        for it in items:
            part = it.hit_part(pos)
            if part.kind not in ("body", "label"):
                return it, part
        for it in self.items(pos, Qt.ItemSelectionMode.IntersectsItemShape,
                             Qt.SortOrder.DescendingOrder):
            if isinstance(it, CanvasItem):
                return it, it.hit_part(pos)
        return None

    def node_item_at(self, pos: QPointF, exclude: str = "") -> NodeItem | None:
        for it in self.items(pos):
            if isinstance(it, NodeItem) and it.element.kind.is_node and it.element_id != exclude:
                return it
        return None

    # -- selection -------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        """Selected element ids in drawing order."""
        sel = {it.element_id for it in self.selectedItems() if isinstance(it, CanvasItem)}
        return [eid for eid in self.diagram.elements if eid in sel]

    def select_ids(self, ids: Iterable[str]) -> None:
        wanted = set(ids)
        self.blockSignals(True)
        self.clearSelection()
        for eid in wanted:
            if eid in self.element_items:
                self.element_items[eid].setSelected(True)
        self.blockSignals(False)
        self.selectionChanged.emit()

    # -- editing -------------------------------------------------------------------------
    def push(self, command: Command) -> bool:
        return self.undo.push(command)

    def unique_name(self, base: str) -> str:
        names = {e.name for e in self.diagram}
        if base not in names:
            return base
        n = 2
        while f"{base} {n}" in names:
            n += 1
        return f"{base} {n}"

    def add_stencil_at(self, stencil_id: str, pos: QPointF, rename: bool = False) -> str | None:
        """Place a new element of a stencil centred at `pos`; returns its id. With `rename`
        the name editor opens on it, so the analyst types the name straight away."""
        st = self.library.get(stencil_id)
        if st is None:
            return None
        if st.kind is ElementKind.DATA_FLOW:
            self.flow_type = st.id
            self.set_connect_mode(True)
            return None
        w, h = st.default_size
        name = self.unique_name(st.name if st.kind is not ElementKind.ANNOTATION else "Note")
        if st.kind is ElementKind.BOUNDARY_LINE:
            x, y = self.snap(pos.x() - w / 2), self.snap(pos.y())
            e = make_line((Point(x, y), Point(x + w, y)), name=name, type_id=st.id)
        else:
            rect = Rect(self.snap(pos.x() - w / 2), self.snap(pos.y() - h / 2), w, h)
            e = make_box(st.kind, st.id, name, rect, st.defaults())
        if not self.push(AddElement(self.project, self.diagram_id, e)):
            return None
        self.select_ids([e.id])
        if rename:
            self.sig_rename_requested.emit(e.id)
        return e.id

    def set_connect_mode(self, on: bool) -> None:
        self.connect_mode = on
        if on:
            self.place_stencil = None
        self.update()
        self.sig_mode_changed.emit()

    def set_place_stencil(self, stencil_id: str | None) -> None:
        self.place_stencil = stencil_id
        if stencil_id:
            self.connect_mode = False
        self.sig_mode_changed.emit()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.invalidate(self.sceneRect(), QGraphicsScene.SceneLayer.BackgroundLayer)
        for it in self.element_items.values():
            it.geometry_changed()
            if isinstance(it, FlowItem):
                it.update_geometry()
        self.overview.invalidate()
        self.sig_content_changed.emit()
        self.update()

    def set_badges(self, badges: dict[str, Badge]) -> None:
        changed = set(self.badges) ^ set(badges) | {
            k for k in badges if self.badges.get(k) != badges[k]}
        self.badges = badges
        self.overview.invalidate_badges()
        self.sig_content_changed.emit()
        self._refresh_badge_items(changed)

    # -- mouse: delegated to interaction objects -------------------------------------------
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        from app.ui import interactions

        if event.button() == Qt.MouseButton.RightButton:
            hit = self.item_at(event.scenePos())
            if hit is not None and not hit[0].isSelected():
                self.select_ids([hit[0].element_id])
            self.sig_context_menu.emit(event.screenPos())
            event.accept()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        self.interaction = interactions.start(self, event)
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.interaction is not None:
            self.interaction.move(event)
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.interaction is not None:
            inter, self.interaction = self.interaction, None
            inter.release(event)
        else:
            super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        from app.ui import interactions

        interactions.double_click(self, event)

    def cancel_interaction(self) -> None:
        if self.interaction is not None:
            inter, self.interaction = self.interaction, None
            inter.cancel()

    @staticmethod
    def grid_step(zoom: float) -> float:
        """Grid spacing in scene units at a zoom (0: no grid), so lines stay ~10+ px apart."""
        return GRID * (1 if zoom >= 1.5 else 2 if zoom >= 0.7 else 5 if zoom >= 0.3 else 0)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        t = self.theme
        painter.fillRect(rect, t.background)
        if not self.draw_grid:
            return
        step = self.grid_step(self.zoom)
        if not step:
            return
        pen = QPen(t.grid, 0)
        painter.setPen(pen)
        left = int(rect.left() // step) * step
        top = int(rect.top() // step) * step
        lines = []
        from PySide6.QtCore import QLineF

        x = left
        while x < rect.right():
            lines.append(QLineF(x, rect.top(), x, rect.bottom()))
            x += step
        y = top
        while y < rect.bottom():
            lines.append(QLineF(rect.left(), y, rect.right(), y))
            y += step
        painter.drawLines(lines)


def is_movable(item: QGraphicsItem) -> bool:
    return isinstance(item, CanvasItem)
