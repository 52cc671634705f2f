"""The base of mouse gestures: preview on the items while dragging, one command at the end."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication, QGraphicsSceneMouseEvent

from app.ui.scene import DiagramScene


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


def resync(scene: DiagramScene, ids) -> None:
    """Show the model values again on the items a gesture previewed on."""
    for eid in ids:
        if eid in scene.element_items and eid in scene.diagram:
            scene.element_items[eid].sync(scene.diagram.get(eid))
    scene.refresh_flows_of(ids)
