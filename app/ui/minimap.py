"""An overview of the whole diagram with the visible area marked; click or drag to pan."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from app.ui.items.overview import BADGE_LOD, LOD_MIN_ELEMENTS
from app.ui.view import CanvasView

#: The cached picture is refreshed at most this often while the diagram changes.
REFRESH_MS = 500


class MiniMapPanel(QWidget):
    """Renders the scene into a cached pixmap, so panning stays cheap. The pixmap is refreshed
    at most every REFRESH_MS after changes, only while the panel is visible; large diagrams are
    drawn from the canvas's overview layer, and not redrawn when nothing they show changed
    (badges are too small to show at overview scale)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: CanvasView | None = None
        self._pixmap: QPixmap | None = None
        self._source = QRectF()
        self._target = QRectF()
        self._key: tuple[object, ...] | None = None
        self._badges: int | None = None
        self._stale = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._refresh)
        self.setMinimumSize(160, 110)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:
        return QSize(240, 160)

    def set_view(self, view: CanvasView | None) -> None:
        if self.view is not None:
            try:
                self.view.canvas.sig_content_changed.disconnect(self._schedule)
                self.view.canvas.selectionChanged.disconnect(self._schedule)
                self.view.horizontalScrollBar().valueChanged.disconnect(self.update)
                self.view.verticalScrollBar().valueChanged.disconnect(self.update)
                self.view.sig_zoom_changed.disconnect(self.update)
            except (RuntimeError, TypeError):
                pass
        self.view = view
        if view is not None:
            view.canvas.sig_content_changed.connect(self._schedule)
            view.canvas.selectionChanged.connect(self._schedule)
            view.horizontalScrollBar().valueChanged.connect(self.update)
            view.verticalScrollBar().valueChanged.connect(self.update)
            view.sig_zoom_changed.connect(self.update)
        self.render_scene()

    def _schedule(self, *_args: object) -> None:
        self._stale = True
        if self.isVisible() and not self._timer.isActive():
            self._timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale or self._pixmap is None:
            self._schedule()

    def _refresh(self) -> None:
        if self.isVisible():
            self.render_scene()

    def render_scene(self) -> None:
        """Re-render the diagram into the cache pixmap (skipped when nothing shown changed)."""
        self._stale = False
        if self.view is not None and not (isValid(self.view) and isValid(self.view.canvas)):
            self.view = None
        if self.view is None or self.width() < 4 or self.height() < 4:
            self._pixmap, self._key = None, None
            self.update()
            return
        sc = self.view.canvas
        large = len(sc.element_items) > LOD_MIN_ELEMENTS
        key: tuple[object, ...] | None = None
        if large:
            sc.overview.ensure()
            key = (id(sc), id(sc.theme), sc.overview.generation, self.width(), self.height(),
                   self.devicePixelRatioF())
            if (self._pixmap is not None and key == self._key
                    and self._badges in (None, sc.overview.badge_generation)):
                self.update()
                return
        src = sc.content_rect().adjusted(-60, -60, 60, 60)
        if src.isEmpty():
            src = QRectF(-200, -150, 400, 300)
        self._source = src
        ratio = self.devicePixelRatioF()
        pm = QPixmap(int(self.width() * ratio), int(self.height() * ratio))
        pm.setDevicePixelRatio(ratio)
        pm.fill(sc.theme.background)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        target = QRectF(0, 0, self.width(), self.height())
        scale = min(target.width() / src.width(), target.height() / src.height())
        w, h = src.width() * scale, src.height() * scale
        self._target = QRectF((target.width() - w) / 2, (target.height() - h) / 2, w, h)
        if large:
            p.translate(self._target.left() - src.left() * scale,
                        self._target.top() - src.top() * scale)
            p.scale(scale, scale)
            sc.overview.draw(p, scale)
            # the badges show only from BADGE_LOD up: below it, badge changes need no redraw
            self._badges = sc.overview.badge_generation if scale >= BADGE_LOD else None
        else:
            sc.draw_grid = False
            try:
                sc.render(p, self._target, src)
            finally:
                sc.draw_grid = True
        p.end()
        self._pixmap, self._key = pm, key
        self.update()

    def resizeEvent(self, event) -> None:
        self._schedule()
        super().resizeEvent(event)

    def _to_scene(self, pos: QPointF) -> QPointF:
        t, s = self._target, self._source
        if t.width() <= 0:
            return QPointF()
        k = s.width() / t.width()
        return QPointF(s.left() + (pos.x() - t.left()) * k, s.top() + (pos.y() - t.top()) * k)

    def _to_widget(self, r: QRectF) -> QRectF:
        t, s = self._target, self._source
        if s.width() <= 0:
            return QRectF()
        k = t.width() / s.width()
        return QRectF(t.left() + (r.left() - s.left()) * k, t.top() + (r.top() - s.top()) * k,
                      r.width() * k, r.height() * k)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        if self.view is None:
            return
        p.fillRect(self.rect(), self.view.canvas.theme.background)
        if self._pixmap is not None:
            p.drawPixmap(0, 0, self._pixmap)
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        r = self._to_widget(visible).intersected(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        c = QColor(self.view.canvas.theme.selection)
        p.setPen(QPen(c, 1.5))
        c.setAlpha(35)
        p.setBrush(c)
        p.drawRect(r)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pan_to(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._pan_to(event.position())

    def _pan_to(self, pos: QPointF) -> None:
        if self.view is not None:
            self.view.centerOn(self._to_scene(pos))
            self.update()
