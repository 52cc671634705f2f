"""Thin QGraphicsItem views of domain elements, keyed by element id."""

from app.ui.items.base import Badge, CanvasItem, Part
from app.ui.items.boundary import BoundaryBoxItem, BoundaryLineItem
from app.ui.items.flow import FlowItem
from app.ui.items.node import NodeItem

__all__ = [
    "Badge",
    "BoundaryBoxItem",
    "BoundaryLineItem",
    "CanvasItem",
    "FlowItem",
    "NodeItem",
    "Part",
]
