"""Entities, processes, data stores and annotations: boxes with an icon and a name."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from app.domain import Element, ElementKind
from app.ui.items.base import BoxItem, Part, box_handles, near

CORNERS = (0, 2, 4, 6)  # indices into box_handles used to resize nodes
CENTER = Qt.AlignmentFlag.AlignCenter
LABEL_FLAGS = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
BREAK_FLAGS = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWrapAnywhere
ANNOTATION_FLAGS = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap


class NodeItem(BoxItem):
    """A box-shaped element; position is the rect's top-left corner."""

    def __init__(self, element: Element) -> None:
        super().__init__(element)
        self._label_key: tuple | None = None
        self._label: tuple = ()
        self._apply(element)

    def _apply(self, element: Element) -> None:
        super()._apply(element)
        self.setZValue(3.0 if element.kind is ElementKind.ANNOTATION else 2.0)

    # -- geometry ------------------------------------------------------------------------
    def compute_bounds(self) -> QRectF:
        m = self.margin()
        return self.local_rect().adjusted(-m, -m, m, m)

    def shape(self) -> QPainterPath:
        p = QPainterPath()
        p.addRect(self.local_rect())
        return p

    def ports(self) -> list[QPointF]:
        """Scene positions of the connection ports shown on hover (edge midpoints)."""
        if not self.element.kind.is_node:
            return []
        return [self.mapToScene(p) for i, p in enumerate(box_handles(self.local_rect())) if i % 2]

    def badge_anchor(self) -> QPointF | None:
        return self.mapToScene(QPointF(self._w, 0))

    def hit_part(self, scene_pos: QPointF) -> Part:
        br = self.badge_rect()
        if br is not None and br.contains(scene_pos):
            return Part("badge")
        tol = self.handle_size() * 0.8
        if self.isSelected():
            for i in CORNERS:
                if near(self.mapToScene(box_handles(self.local_rect())[i]), scene_pos, tol):
                    return Part("resize", i)
        # Ports answer whenever the pointer is near one (the cursor turns into a cross),
        # even from just outside the box, where hover has not reached the item yet.
        for i, p in enumerate(self.ports()):
            if near(p, scene_pos, tol * 1.6):
                return Part("port", i)
        return Part("body")

    # -- painting ------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        t = self.theme
        kind = self.element.kind
        rect = self.local_rect()
        lod = self.lod(painter, option)
        if kind is ElementKind.ANNOTATION:
            self._paint_annotation(painter, rect, lod)
        else:
            self._paint_shape(painter, rect, lod)
        if lod >= 0.3:
            self._paint_label(painter, rect, lod)
        if self.isSelected():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(t.selection, 1.5 / max(lod, 0.05)))
            painter.drawRect(rect.adjusted(-3, -3, 3, 3))
            handles = box_handles(rect)
            for i in CORNERS:
                self.paint_handle(painter, handles[i])
        elif self.hovered:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(t.hover, 4 / max(lod, 0.05)))
            painter.drawRect(rect.adjusted(-2, -2, 2, 2))
        sc = self.canvas()
        if kind.is_node and (self.hovered or (sc is not None and sc.connect_mode)):
            painter.setPen(QPen(t.port, 0))
            painter.setBrush(QBrush(t.handle_fill))
            s = self.handle_size() * 0.7
            for i, p in enumerate(box_handles(rect)):
                if i % 2:
                    painter.drawEllipse(p, s, s)
        if lod >= 0.2:
            self.paint_badge(painter, QPointF(self._w, 0))

    def _paint_shape(self, painter: QPainter, rect: QRectF, lod: float) -> None:
        t = self.theme
        kind = self.element.kind
        fill = t.node_fill.get(kind, t.background)
        border = t.node_border.get(kind, t.text)
        pen = QPen(border, 1.6)
        pen.setCosmetic(lod < 0.5)
        painter.setPen(pen)
        painter.setBrush(fill)
        if kind is ElementKind.PROCESS:
            radius = min(rect.height() / 2, 16.0)
            painter.drawRoundedRect(rect, radius, radius)
        elif kind is ElementKind.DATA_STORE:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRect(rect)
            painter.setPen(pen)
            painter.drawLine(rect.topLeft(), rect.topRight())
            painter.drawLine(rect.bottomLeft(), rect.bottomRight())
            x = rect.left() + 10
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        else:
            if lod >= 0.5:
                painter.setPen(Qt.PenStyle.NoPen)
                shade = QColor(0, 0, 0, 40 if t.dark else 22)
                painter.setBrush(shade)
                painter.drawRect(rect.translated(2.5, 2.5))
                painter.setBrush(fill)
                painter.setPen(pen)
            pen.setWidthF(2.0)
            painter.setPen(pen)
            painter.drawRect(rect)

    def _paint_annotation(self, painter: QPainter, rect: QRectF, lod: float) -> None:
        t = self.theme
        fold = min(14.0, rect.width() / 4, rect.height() / 4)
        path = QPainterPath()
        path.moveTo(rect.topLeft())
        path.lineTo(rect.right() - fold, rect.top())
        path.lineTo(rect.right(), rect.top() + fold)
        path.lineTo(rect.bottomRight())
        path.lineTo(rect.bottomLeft())
        path.closeSubpath()
        painter.setPen(QPen(t.annotation_border, 1.2))
        painter.setBrush(t.annotation_fill)
        painter.drawPath(path)
        painter.drawLine(QPointF(rect.right() - fold, rect.top()),
                         QPointF(rect.right() - fold, rect.top() + fold))
        painter.drawLine(QPointF(rect.right() - fold, rect.top() + fold),
                         QPointF(rect.right(), rect.top() + fold))

    def _paint_label(self, painter: QPainter, rect: QRectF, lod: float) -> None:
        sc = self.canvas()
        if sc is None:
            return
        t = sc.theme
        kind = self.element.kind
        show_icon = kind is not ElementKind.ANNOTATION and lod >= 0.45
        show_sub = lod >= 0.6
        key = (self.element.name, self.element.notes, self.element.type_id, self._w, self._h,
               t.label_scale, show_icon, show_sub)
        if self._label_key != key:
            self._label_key = key
            self._label = self._layout_label(sc, rect, show_icon, show_sub)
        icon, font, name_rect, text, small, sub_rect, subtitle, flags = self._label
        if icon is not None:
            scale = painter.worldTransform().m11() * painter.device().devicePixelRatioF()
            pm = sc.library.pixmap(self.element.type_id, kind, round(icon.width() * scale))
            if pm is not None:
                painter.drawPixmap(icon, pm, QRectF(pm.rect()))
        painter.setFont(font)
        painter.setPen(t.text)
        painter.drawText(name_rect, flags, text)
        if subtitle:
            painter.setFont(small)
            painter.setPen(t.muted_text)
            painter.drawText(sub_rect, CENTER, subtitle)

    def _layout_label(self, sc, rect: QRectF, show_icon: bool, show_sub: bool) -> tuple:
        """Where the icon, name and stencil subtitle go, computed once per size and text.
        The name keeps its words whole if it can: a slightly smaller font first, then
        without the icon, then breaking a long word; eliding only as a last resort."""
        t = sc.theme
        kind = self.element.kind
        base = rect.adjusted(8, 4, -8, -4)
        if kind is ElementKind.DATA_STORE:
            base.setLeft(rect.left() + 16)
        icon_size = min(22.0, rect.height() - 12) * t.label_scale
        can_icon = show_icon and rect.width() >= 90 and icon_size >= 12 and \
            sc.library.renderer(self.element.type_id, kind) is not None
        if kind is ElementKind.ANNOTATION:
            return (None, t.font(8.5), base, self.element.name or self.element.notes, None,
                    None, "", ANNOTATION_FLAGS)
        name = self.element.name or "(unnamed)"
        subtitle = ""
        if show_sub and rect.height() >= 48:
            st = sc.library.for_element(self.element.type_id, kind)
            if st is not None and st.id != kind.generic_type:
                subtitle = st.name
        sub_h = QFontMetricsF(t.font(9.0, bold=True)).height() * 0.9 if subtitle else 0.0
        attempts = [True, False] if can_icon else [False]
        for with_icon in attempts:
            inner = QRectF(base)
            icon = None
            if with_icon:
                icon = QRectF(inner.left(), rect.center().y() - icon_size / 2, icon_size,
                              icon_size)
                inner.setLeft(icon.right() + 6)
            name_rect = inner.adjusted(0, 0, 0, -sub_h)
            for step in (1.0, 0.92, 0.84, 0.76, 0.68):
                font = t.font(9.0 * step, bold=True)
                fm = QFontMetricsF(font)
                bound = fm.boundingRect(name_rect, int(LABEL_FLAGS), name)
                if bound.height() <= name_rect.height() + 0.5 and \
                        bound.width() <= name_rect.width() + 0.5:
                    return self._label_parts(t, icon, font, name_rect, name, inner, sub_h,
                                             subtitle, LABEL_FLAGS)
        bound = fm.boundingRect(name_rect, int(BREAK_FLAGS), name)
        if bound.height() <= name_rect.height() + 0.5:  # a long word: break, do not cut
            return self._label_parts(t, icon, font, name_rect, name, inner, sub_h, subtitle,
                                     BREAK_FLAGS)
        text = fm.elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width())
        return self._label_parts(t, icon, font, name_rect, text, inner, sub_h, subtitle,
                                 LABEL_FLAGS)

    @staticmethod
    def _label_parts(t, icon, font, name_rect, text, inner, sub_h, subtitle,
                     flags) -> tuple:
        small = t.font(7.5)
        sub_rect = QRectF(inner.left(), inner.bottom() - sub_h, inner.width(), sub_h)
        if subtitle:
            subtitle = QFontMetricsF(small).elidedText(subtitle, Qt.TextElideMode.ElideRight,
                                                       inner.width())
        return icon, font, name_rect, text, small, sub_rect, subtitle, flags
