"""The canvas view: zoom (wheel, pinch, fit, 100 %), pan (space-drag, middle button),
drops from the palette, arrow-key nudges and in-place rename."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsView, QLineEdit

from app.commands import MoveElements, Rename
from app.ui.items import BoundaryBoxItem, FlowItem, NodeItem
from app.ui.scene import GRID, DiagramScene

STENCIL_MIME = "application/x-threatcanvas-stencil"
MIN_ZOOM, MAX_ZOOM = 0.1, 8.0


class CanvasView(QGraphicsView):
    """A view on one DiagramScene; keeps `scene.zoom` in step for handle sizes."""

    sig_zoom_changed = Signal(float)

    def __init__(self, scene: DiagramScene) -> None:
        super().__init__(scene)
        self.canvas = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, False)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self._shown_once = False
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self._space = False
        self._panning: QPoint | None = None
        self._editor: QLineEdit | None = None
        self._nudge_timer = QTimer(self)
        self._nudge_timer.setSingleShot(True)
        self._nudge_timer.setInterval(800)
        self._nudge_run = 0
        scene.sig_rename_requested.connect(self.start_rename)

    # -- zoom ----------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom to `factor` (1.0 = 100 %) keeping the scene point under `anchor` in place."""
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        vp = anchor if anchor is not None else QPointF(self.viewport().rect().center())
        before = self.mapToScene(vp.toPoint())
        self.resetTransform()
        self.scale(factor, factor)
        after = self.mapToScene(vp.toPoint())
        d = after - before
        self.translate(d.x(), d.y())
        self._zoom_updated()

    def zoom_by(self, step: float, anchor: QPointF | None = None) -> None:
        self.set_zoom(self.zoom * step, anchor)

    def showEvent(self, event: QEvent) -> None:
        """The first time a diagram is shown, fit it, so a user sees what they opened."""
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, self.zoom_to_fit)

    def zoom_to_fit(self) -> None:
        rect = self.canvas.content_rect()
        if rect.isEmpty():
            self.set_zoom(1.0)
            self.centerOn(0, 0)
            return
        rect = rect.adjusted(-40, -40, 40, 40)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom > 1.5:
            self.set_zoom(1.5)
            self.centerOn(rect.center())
        self._zoom_updated()

    def zoom_to_100(self) -> None:
        center = self.mapToScene(self.viewport().rect().center())
        self.set_zoom(1.0)
        self.centerOn(center)

    def _zoom_updated(self) -> None:
        self.canvas.zoom = self.zoom
        self.sig_zoom_changed.emit(self.zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:
        mods = event.modifiers()
        pixel = event.pixelDelta()
        if not pixel.isNull() and not mods & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)  # touchpad two-finger scroll pans
            return
        if mods & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)
            return
        delta = event.angleDelta().y() or pixel.y()
        if delta:
            self.zoom_by(1.0015 ** delta, event.position())
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.NativeGesture
                and isinstance(event, QNativeGestureEvent)
                and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture):
            self.zoom_by(1.0 + event.value(), event.position())
            return True
        if event.type() == QEvent.Type.Gesture:
            pinch = event.gesture(Qt.GestureType.PinchGesture)  # type: ignore[attr-defined]
            if pinch is not None:
                self.zoom_by(pinch.scaleFactor(),
                             QPointF(self.viewport().mapFromGlobal(
                                 pinch.centerPoint().toPoint())))
                return True
        return super().viewportEvent(event)

    # -- pan -----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
                self._space and event.button() == Qt.MouseButton.LeftButton):
            self._panning = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        self.finish_rename()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._panning is not None:
            p = event.position().toPoint()
            d = p - self._panning
            self._panning = p
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - d.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - d.y())
            event.accept()
            return
        super().mouseMoveEvent(event)
        if self.canvas.interaction is None and not self._space:
            from app.ui.interactions import hover_cursor

            shape = hover_cursor(self.canvas, self.mapToScene(event.position().toPoint()))
            if self.viewport().cursor().shape() != shape:
                self.viewport().setCursor(shape)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._panning is not None:
            self._panning = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space
                                      else Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def pan_by(self, dx: int, dy: int) -> None:
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + dx)
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + dy)

    # -- keys ----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        arrows = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0),
                  Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        if key in arrows:
            step = GRID if self.canvas.snap_enabled else 1.0
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                step *= 5
            dx, dy = arrows[key]
            self.nudge(dx * step, dy * step)
            return
        if key == Qt.Key.Key_Escape:
            self.canvas.cancel_interaction()
            if self.canvas.connect_mode or self.canvas.place_stencil:
                self.canvas.set_connect_mode(False)
                self.canvas.set_place_stencil(None)
            else:
                self.canvas.clearSelection()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            return
        super().keyReleaseEvent(event)

    def nudge(self, dx: float, dy: float) -> None:
        """Move the selection by an offset; quick repeated nudges make one undo step."""
        sc = self.canvas
        ids = sc.selected_ids()
        if not ids:
            return
        ids = ids + [f for f in sc.flows_between(set(ids)) if f not in ids]
        if not self._nudge_timer.isActive():
            self._nudge_run += 1
        self._nudge_timer.start()
        sc.push(MoveElements(sc.project, sc.diagram_id, ids, dx, dy,
                             merge_key=f"nudge-{self._nudge_run}"))

    # -- drop from the palette -----------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(STENCIL_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(STENCIL_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        md = event.mimeData()
        if not md.hasFormat(STENCIL_MIME):
            super().dropEvent(event)
            return
        stencil_id = bytes(md.data(STENCIL_MIME).data()).decode()
        pos = self.mapToScene(event.position().toPoint())
        event.acceptProposedAction()
        self.setFocus()
        self.canvas.add_stencil_at(stencil_id, pos, rename=True)

    # -- in-place rename -----------------------------------------------------------------
    def start_rename(self, element_id: str) -> None:
        """Open a line editor over the element's label (F2 or double-click)."""
        item = self.canvas.element_items.get(element_id)
        if item is None:
            return
        self.finish_rename()
        if isinstance(item, NodeItem | BoundaryBoxItem):
            box = item.scene_box()
            rect = QRectF(box.left(), box.center().y() - 14, box.width(), 28) \
                if isinstance(item, NodeItem) else item.title_rect().translated(item.pos())
        elif isinstance(item, FlowItem):
            c = item.label_center()
            rect = QRectF(c.x() - 80, c.y() - 13, 160, 26)
        else:
            rect = item.sceneBoundingRect()
            rect = QRectF(rect.center().x() - 80, rect.center().y() - 13, 160, 26)
        r = self.mapFromScene(rect).boundingRect()
        r.setWidth(max(r.width(), 140))
        r.setHeight(max(r.height(), 24))
        editor = QLineEdit(self.viewport())
        editor.setObjectName("inplaceRename")
        editor.setText(item.element.name)
        editor.selectAll()
        editor.setGeometry(r)
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        editor.setProperty("element_id", element_id)
        editor.returnPressed.connect(self.finish_rename)
        editor.installEventFilter(self)
        editor.show()
        editor.setFocus()
        self._editor = editor

    def finish_rename(self, commit: bool = True) -> None:
        editor, self._editor = self._editor, None
        if editor is None:
            return
        eid = editor.property("element_id")
        text = editor.text().strip()
        editor.hide()
        editor.deleteLater()
        self.setFocus()
        sc = self.canvas
        if commit and eid in sc.diagram and text != sc.diagram.get(eid).name:
            sc.push(Rename(sc.project, sc.diagram_id, eid, text))

    def eventFilter(self, obj, event) -> bool:
        if obj is self._editor:
            if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                self.finish_rename(commit=False)
                return True
            if event.type() == QEvent.Type.FocusOut:
                QTimer.singleShot(0, self.finish_rename)
        return super().eventFilter(obj, event)
