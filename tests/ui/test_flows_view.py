"""Flows (waypoints, reconnect, routing, pairs), properties, zoom and pan, export, presenting."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit

from app.commands import Connect
from app.domain import Point, make_flow
from app.ui.export import export_png, export_svg
from app.ui.items import FlowItem
from tests.ui.conftest import drag, vp


def test_drag_segment_midpoint_adds_waypoint_and_double_click_removes(window):
    view = window.current_view()
    sc = view.canvas
    d = window.project.diagram("d-main")
    sc.select_ids(["f1"])
    item = sc.element_items["f1"]
    assert isinstance(item, FlowItem)
    mid = item.segment_handles()[0]
    drag(view, vp(view, mid.x(), mid.y()), vp(view, mid.x(), mid.y() + 80))
    wps = d.get("f1").waypoints
    assert len(wps) == 1 and abs(wps[0].y - (mid.y() + 80)) <= 10
    assert window.undo.labels() == ["Edit waypoints"]
    # drag the new waypoint further
    w = wps[0]
    drag(view, vp(view, w.x, w.y), vp(view, w.x + 30, w.y + 30))
    assert d.get("f1").waypoints[0] == Point(w.x + 30, w.y + 30)
    w2 = d.get("f1").waypoints[0]
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, vp(view, w2.x, w2.y))
    assert d.get("f1").waypoints == ()


def test_reconnect_target_by_dragging_its_end(window):
    view = window.current_view()
    sc = view.canvas
    d = window.project.diagram("d-main")
    sc.select_ids(["f1"])
    end = sc.element_items["f1"].points()[-1]
    drag(view, vp(view, end.x(), end.y()), vp(view, 370, 130))
    assert d.get("f1").target_id == "s" and d.get("f1").source_id == "u"
    assert window.undo.labels() == ["Reconnect flow"]
    window.undo.undo()
    assert d.get("f1").target_id == "p"


def test_bidirectional_pair_drawn_apart(window):
    sc = window.current_scene()
    back = make_flow("p", "u", "response", element_id="f2")
    sc.push(Connect(window.project, "d-main", back))
    a = sc.element_items["f1"].points()
    b = sc.element_items["f2"].points()
    # both run horizontally between the same boxes; they must not overlap
    assert abs(a[0].y() - b[-1].y()) >= 15
    window.undo.undo()
    a2 = sc.element_items["f1"].points()
    assert abs(a2[0].y() - 35) < 1  # alone again: centre to centre


def test_orthogonal_routing_is_right_angled(window):
    sc = window.current_scene()
    sc.push(Connect(window.project, "d-main", make_flow("p", "s", "features",
                                                         element_id="f3")))
    sc.select_ids(["f3"])
    window.actions_by_name["orthogonal"].trigger()
    pts = sc.element_items["f3"].points()
    assert window.project.diagram("d-main").get("f3").routing == "orthogonal"
    assert len(pts) >= 3
    for a, b in pairwise(pts):
        assert abs(a.x() - b.x()) < 1e-6 or abs(a.y() - b.y()) < 1e-6


def test_label_drag_moves_label(window):
    view = window.current_view()
    sc = view.canvas
    item = sc.element_items["f1"]
    sc.select_ids(["f1"])
    c = item.label_rect().center()
    drag(view, vp(view, c.x() + 8, c.y()), vp(view, c.x() + 8, c.y() - 40))
    lp = window.project.diagram("d-main").get("f1").label_pos
    assert lp is not None and abs(lp.y - (c.y() - 40)) < 2


def test_properties_panel_edits_through_commands(window):
    sc = window.current_scene()
    d = window.project.diagram("d-main")
    sc.select_ids(["p"])
    panel = window.properties
    name = panel.findChild(QLineEdit, "nameEditor")
    assert name is not None and name.text() == "Train"
    name.setFocus()
    name.selectAll()
    QTest.keyClicks(name, "Scorer")
    assert d.get("p").name == "Scorer"
    assert len(window.undo.labels()) == 1  # typing merges into one step
    combos = [w for w in panel.findChildren(QComboBox) if w.objectName().startswith("prop:")]
    assert combos, "the process stencil offers typed properties"
    bools = [c for c in combos if c.itemText(1) == "Yes"]
    assert bools
    key = bools[0].objectName().split(":", 1)[1]
    bools[0].setCurrentIndex(1)
    assert d.get("p").properties[key] is True
    window.undo.undo()
    assert key not in d.get("p").properties


def test_wheel_zoom_fit_and_100(window, qtbot):
    view = window.current_view()
    assert view.zoom == 1.0
    from PySide6.QtGui import QWheelEvent

    pos = QPointF(view.viewport().rect().center())
    ev = QWheelEvent(pos, view.viewport().mapToGlobal(pos), QPoint(0, 0), QPoint(0, 240),
                     Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                     Qt.ScrollPhase.NoScrollPhase, False)
    view.wheelEvent(ev)
    assert view.zoom > 1.2
    assert window.status.zoom.text() == f"{round(view.zoom * 100)} %"
    window.actions_by_name["zoom_fit"].trigger()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.canvas.content_rect().adjusted(10, 10, -10, -10))
    window.actions_by_name["zoom_100"].trigger()
    assert view.zoom == 1.0


def test_pan_with_middle_button_and_space_drag(window):
    view = window.current_view()
    h0 = view.horizontalScrollBar().value()
    drag(view, QPoint(300, 300), QPoint(200, 300), button=Qt.MouseButton.MiddleButton)
    assert view.horizontalScrollBar().value() == h0 + 100
    view.setFocus()
    QTest.keyPress(view, Qt.Key.Key_Space)
    v0 = view.verticalScrollBar().value()
    n = len(window.project.diagram("d-main"))
    drag(view, QPoint(300, 300), QPoint(300, 250))
    QTest.keyRelease(view, Qt.Key.Key_Space)
    assert view.verticalScrollBar().value() == v0 + 50
    assert len(window.project.diagram("d-main")) == n and not window.undo.labels()


def test_export_png_and_svg(window, tmp_path):
    sc = window.current_scene()
    sc.select_ids(["p"])
    size = export_png(sc, tmp_path / "d.png")
    assert (tmp_path / "d.png").stat().st_size > 1000 and size.width() > 400
    export_svg(sc, tmp_path / "d.svg")
    text = (tmp_path / "d.svg").read_text()
    assert "<svg" in text and "Train" in text and "Features" in text
    assert sc.selected_ids() == ["p"]  # selection survives the export


def test_export_to_missing_folder_raises_file_error(window, tmp_path):
    import pytest

    from app.domain import FileError

    with pytest.raises(FileError):
        export_svg(window.current_scene(), tmp_path / "nope" / "d.svg")
    with pytest.raises(FileError):
        export_png(window.current_scene(), tmp_path / "nope" / "d.png")


def test_presentation_mode_toggles_with_one_key(window):
    assert window.palette_dock.isVisible()
    QTest.keyClick(window.current_view(), Qt.Key.Key_F5)
    assert window.presenting and not window.palette_dock.isVisible()
    assert not window.menuBar().isVisible() and not window.toolbar.isVisible()
    assert window.current_scene().theme.label_scale > 1.2
    QTest.keyClick(window.current_view(), Qt.Key.Key_F5)
    assert not window.presenting and window.palette_dock.isVisible()
    assert window.current_scene().theme.label_scale == 1.0


def test_dark_theme_switch(window):
    window.actions_by_name["theme_dark"].trigger()
    assert window.current_scene().theme.dark
    window.actions_by_name["theme_light"].trigger()
    assert not window.current_scene().theme.dark


def test_escape_also_leaves_presentation_mode(window):
    window.toggle_presentation()
    assert window.presenting
    QTest.keyClick(window.current_view(), Qt.Key.Key_Escape)
    assert not window.presenting and window.palette_dock.isVisible()


def test_orthogonal_flow_gets_a_bend_from_a_segment_drag(window):
    view = window.current_view()
    sc = view.canvas
    d = window.project.diagram("d-main")
    sc.push(Connect(window.project, "d-main", make_flow("p", "s", "features",
                                                         element_id="f3")))
    sc.select_ids(["f3"])
    window.actions_by_name["orthogonal"].trigger()
    item = sc.element_items["f3"]
    mids = item.segment_handles()
    assert len(mids) >= 3
    m = mids[1]  # the vertical middle segment of the Z route
    drag(view, vp(view, m.x(), m.y()), vp(view, m.x() + 40, m.y()))
    wps = d.get("f3").waypoints
    assert len(wps) == 1 and abs(wps[0].x - (m.x() + 40)) <= 10
    pts = item.points()
    for a, b in pairwise(pts):
        assert abs(a.x() - b.x()) < 1e-6 or abs(a.y() - b.y()) < 1e-6


def test_properties_notes_type_and_routing_editors(window):
    from PySide6.QtWidgets import QComboBox, QPlainTextEdit

    sc = window.current_scene()
    d = window.project.diagram("d-main")
    sc.select_ids(["s"])
    notes = window.properties.findChild(QPlainTextEdit, "notesEditor")
    notes.setFocus()
    QTest.keyClicks(notes, "PII")
    assert d.get("s").notes == "PII" and len(window.undo.labels()) == 1  # typing merges
    types = window.properties.findChild(QComboBox, "typeEditor")
    i = types.findData("ai.feature_store")
    assert i >= 0
    types.setCurrentIndex(i)
    assert d.get("s").type_id == "ai.feature_store"
    assert window.undo.labels()[-1] == "Change type"
    sc.select_ids(["f1"])
    routing = window.properties.findChild(QComboBox, "routingEditor")
    routing.setCurrentText("orthogonal")
    assert d.get("f1").routing == "orthogonal"
    window.undo.undo()
    assert d.get("f1").routing == "straight"
