"""What every canvas item shares: its element, selection look, handles and threat badge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from app.domain import Element, Severity
from app.ui.theme import Theme, make_theme, severity_color

if TYPE_CHECKING:
    from app.ui.scene import DiagramScene

HANDLE = 7.0  # handle size in screen pixels
BADGE_R = 9.0


@dataclass(frozen=True)
class Part:
    """Which part of an item a scene position hits: body, badge, resize handle, …"""

    kind: str  # body | badge | resize | port | end | waypoint | segment | point | label
    index: int = -1
    end: str = ""


@dataclass(frozen=True)
class Badge:
    """Open-threat count and the highest open severity of one element."""

    count: int
    severity: Severity | None


class CanvasItem(QGraphicsItem):
    """Base of element views: holds the element value and draws the common decorations."""

    def __init__(self, element: Element) -> None:
        super().__init__()
        self.element = element
        self.element_id = element.id
        self.hovered = False
        self._bounds: QRectF | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)

    # -- context -------------------------------------------------------------------------
    def canvas(self) -> DiagramScene | None:
        return self.scene()  # type: ignore[return-value]

    @property
    def theme(self) -> Theme:
        sc = self.canvas()
        return sc.theme if sc is not None else make_theme(False)

    def badge(self) -> Badge | None:
        sc = self.canvas()
        return sc.badges.get(self.element_id) if sc is not None else None

    def handle_size(self) -> float:
        """Handle size in scene units so handles stay the same size on screen."""
        sc = self.canvas()
        zoom = sc.zoom if sc is not None else 1.0
        return HANDLE / max(zoom, 0.05)

    # -- interface the scene uses ----------------------------------------------------------
    def sync(self, element: Element) -> None:
        """Show a new value of the element."""
        self.geometry_changed()
        self.element = element
        self.update()

    def geometry_changed(self) -> None:
        """Call before the painted extent changes: drops the cached bounding rectangle."""
        self.prepareGeometryChange()
        self._bounds = None

    def margin(self) -> float:
        """Room around the shape for the badge and, when selected, the handles."""
        m = BADGE_R * self.theme.label_scale
        if self.isSelected():
            m = max(m, self.handle_size())
        return m + 4

    def compute_bounds(self) -> QRectF:
        raise NotImplementedError

    def boundingRect(self) -> QRectF:
        if self._bounds is None:
            self._bounds = self.compute_bounds()
        return self._bounds

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedChange:
            self.geometry_changed()
        return super().itemChange(change, value)

    def hit_part(self, scene_pos: QPointF) -> Part:
        return Part("body")

    def badge_anchor(self) -> QPointF | None:
        """Scene position of the badge centre, or None where there is no badge."""
        return None

    def badge_rect(self) -> QRectF | None:
        c = self.badge_anchor()
        if c is None or self.badge() is None:
            return None
        r = BADGE_R * self.theme.label_scale
        return QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)

    def hoverEnterEvent(self, event) -> None:
        self.hovered = True
        self.update()

    def hoverLeaveEvent(self, event) -> None:
        self.hovered = False
        self.update()

    # -- drawing helpers -----------------------------------------------------------------
    @staticmethod
    def lod(painter: QPainter, option: QStyleOptionGraphicsItem) -> float:
        return option.levelOfDetailFromTransform(painter.worldTransform())

    def paint_badge(self, painter: QPainter, center_local: QPointF) -> None:
        """A filled circle with the open-threat count, coloured by the highest severity."""
        b = self.badge()
        if b is None or b.count <= 0:
            return
        r = BADGE_R * self.theme.label_scale
        painter.save()
        painter.setPen(QPen(QColor("#ffffff"), 1.5))
        painter.setBrush(QBrush(severity_color(b.severity)))
        painter.drawEllipse(center_local, r, r)
        f = QFont()
        f.setPixelSize(int(r * 1.15))
        f.setBold(True)
        painter.setFont(f)
        painter.setPen(QColor("#ffffff"))
        text = str(b.count) if b.count < 100 else "99+"
        painter.drawText(QRectF(center_local.x() - r, center_local.y() - r, 2 * r, 2 * r),
                         Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def paint_handle(self, painter: QPainter, center: QPointF, round_: bool = False) -> None:
        s = self.handle_size()
        t = self.theme
        painter.setPen(QPen(t.selection, 0))
        painter.setBrush(t.handle_fill)
        r = QRectF(center.x() - s / 2, center.y() - s / 2, s, s)
        if round_:
            painter.drawEllipse(r)
        else:
            painter.drawRect(r)


def box_handles(rect: QRectF) -> list[QPointF]:
    """The eight resize handle centres of a rectangle, clockwise from top-left."""
    x0, t, r, b = rect.left(), rect.top(), rect.right(), rect.bottom()
    cx, cy = rect.center().x(), rect.center().y()
    return [QPointF(x0, t), QPointF(cx, t), QPointF(r, t), QPointF(r, cy),
            QPointF(r, b), QPointF(cx, b), QPointF(x0, b), QPointF(x0, cy)]


def near(a: QPointF, b: QPointF, tolerance: float) -> bool:
    return abs(a.x() - b.x()) <= tolerance and abs(a.y() - b.y()) <= tolerance


class BoxItem(CanvasItem):
    """A rectangle-shaped element; its position is the rect's top-left corner."""

    def __init__(self, element: Element) -> None:
        super().__init__(element)
        self._w = 0.0
        self._h = 0.0

    def _apply(self, element: Element) -> None:
        """Take position and size from the element; subclasses add their own look."""
        r = element.rect
        assert r is not None
        self.setPos(r.x, r.y)
        self._w, self._h = r.width, r.height

    def sync(self, element: Element) -> None:
        self.geometry_changed()
        self.element = element
        self._apply(element)
        self.update()

    def local_rect(self) -> QRectF:
        return QRectF(0, 0, self._w, self._h)

    def scene_box(self) -> QRectF:
        """The element's rectangle in scene coordinates, including any preview move."""
        return QRectF(self.pos().x(), self.pos().y(), self._w, self._h)

    def set_preview_rect(self, rect: QRectF) -> None:
        """Show a resize in progress without touching the model."""
        self.geometry_changed()
        self.setPos(rect.topLeft())
        self._w, self._h = rect.width(), rect.height()
