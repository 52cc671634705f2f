"""Hover feedback (cursors), the overview panel, pinch zoom, OS colour-scheme following."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QNativeGestureEvent, QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import vp


def test_cursor_tells_what_a_press_will_do(window):
    view = window.current_view()
    sc = view.canvas
    sc.select_ids(["p"])
    QTest.mouseMove(view.viewport(), vp(view, 140, 70))  # bottom-right corner handle
    assert view.viewport().cursor().shape() == Qt.CursorShape.SizeFDiagCursor
    QTest.mouseMove(view.viewport(), vp(view, 370, 100))  # top port of "Features"
    assert view.viewport().cursor().shape() == Qt.CursorShape.CrossCursor
    QTest.mouseMove(view.viewport(), vp(view, 150, 330))  # empty canvas
    assert view.viewport().cursor().shape() == Qt.CursorShape.ArrowCursor


def test_overview_click_centres_the_canvas_there(window, qtbot):
    view = window.current_view()
    ov = window.overview
    ov.render_scene()
    target = ov._to_widget(view.canvas.element_items["s"].scene_box()).center()
    QTest.mouseClick(ov, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     target.toPoint())
    centre = view.mapToScene(view.viewport().rect().center())
    box = view.canvas.element_items["s"].scene_box()
    assert abs(centre.x() - box.center().x()) < 40 and abs(centre.y() - box.center().y()) < 40


def test_pinch_gesture_zooms_around_the_fingers(window):
    view = window.current_view()
    z0 = view.zoom
    pos = QPointF(view.viewport().rect().center())
    ev = QNativeGestureEvent(Qt.NativeGestureType.ZoomNativeGesture,
                             QPointingDevice.primaryPointingDevice(), 2, pos, pos,
                             QPointF(view.viewport().mapToGlobal(pos.toPoint())), 0.25,
                             QPointF(0, 0))
    QApplication.sendEvent(view.viewport(), ev)
    assert abs(view.zoom - z0 * 1.25) < 1e-6


def test_system_scheme_change_is_followed(window):
    window.set_theme_mode("dark")
    assert window.current_scene().theme.dark
    window.set_theme_mode("system")
    window._system_scheme_changed()
    assert window.theme_mode == "system"
    assert window.current_scene().theme.dark is False  # the offscreen platform is light
