"""Drive the real canvas with mouse and keyboard: place, connect, move, resize, undo."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.domain import ElementKind, Rect
from tests.ui.conftest import click, drag, vp


def _drop(view, md: QMimeData, pos: QPoint) -> None:
    """Deliver the drag-enter/move/drop sequence a palette drag produces."""
    target = view.viewport()
    actions = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for cls in (QDragEnterEvent, QDragMoveEvent):
        try:  # Qt 6.12 takes QPointF (QPoint is deprecated); earlier versions take QPoint
            ev = cls(QPointF(pos), actions, md, buttons, mods)
        except TypeError:
            ev = cls(pos, actions, md, buttons, mods)
        QApplication.sendEvent(target, ev)
    QApplication.sendEvent(target, QDropEvent(QPointF(pos), actions, md, buttons, mods,
                                              QEvent.Type.Drop))


def test_drag_stencil_from_palette_onto_canvas_and_undo(window):
    view = window.current_view()
    d = window.project.diagram("d-main")
    before = set(d.elements)
    item = window.palette.stencil_item("GE.P")
    md = window.palette.tree.mimeData([item])
    _drop(view, md, vp(view, 250, 300))
    added = [d.get(i) for i in set(d.elements) - before]
    assert len(added) == 1
    e = added[0]
    assert e.kind is ElementKind.PROCESS and e.type_id == "GE.P"
    assert abs(e.rect.center.x - 250) <= 10 and abs(e.rect.center.y - 300) <= 10
    assert e.id in view.canvas.element_items
    assert view.canvas.selected_ids() == [e.id]
    window.undo.undo()
    assert e.id not in d and e.id not in view.canvas.element_items
    window.undo.redo()
    assert e.id in d and e.id in view.canvas.element_items


def test_click_stencil_then_click_canvas_places_it(window, qtbot):
    view = window.current_view()
    d = window.project.diagram("d-main")
    tree = window.palette.tree
    item = window.palette.stencil_item("GE.DS")
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     rect.center())
    assert view.canvas.place_stencil == "GE.DS"
    before = set(d.elements)
    click(view, vp(view, 250, 320))
    new = [d.get(i) for i in set(d.elements) - before]
    assert [e.kind for e in new] == [ElementKind.DATA_STORE]
    assert view.canvas.place_stencil is None


def test_palette_search_filters(window):
    window.palette.search.setText("vector")
    visible = window.palette.visible_stencils()
    assert visible and all("vector" in window.library.get(s).name.lower()
                           or "vector" in window.library.get(s).description.lower()
                           or any("vector" in t for t in window.library.get(s).tags)
                           or "vector" in s for s in visible)
    window.palette.search.setText("")
    assert len(window.palette.visible_stencils()) == len(window.library.stencils)


def test_connect_by_dragging_from_port_and_undo_redo(window):
    view = window.current_view()
    d = window.project.diagram("d-main")
    flows_before = {f.id for f in d.flows()}
    # the right-edge port of "Train" (0,0,140,70) is at (140, 35); "Features" centre (370,130)
    drag(view, vp(view, 140, 35), vp(view, 370, 130))
    new = [f for f in d.flows() if f.id not in flows_before]
    assert len(new) == 1
    assert (new[0].source_id, new[0].target_id) == ("p", "s")
    assert len(window.undo.labels()) == 1
    window.undo.undo()
    assert not [f for f in d.flows() if f.id not in flows_before]
    window.undo.redo()
    assert [f.id for f in d.flows() if f.id not in flows_before] == [new[0].id]


def test_connect_tool_mode_drags_from_element_body(window):
    view = window.current_view()
    d = window.project.diagram("d-main")
    window.actions_by_name["connect"].trigger()
    assert view.canvas.connect_mode
    drag(view, vp(view, 370, 130), vp(view, -270, 35))
    assert any(f.source_id == "s" and f.target_id == "u" for f in d.flows())
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert not view.canvas.connect_mode


def test_connect_released_on_empty_canvas_adds_nothing(window):
    view = window.current_view()
    d = window.project.diagram("d-main")
    n = len(d)
    drag(view, vp(view, 140, 35), vp(view, 160, 400))
    assert len(d) == n and not window.undo.labels()


def test_move_group_with_rubber_band_is_one_step(window):
    view = window.current_view()
    sc = view.canvas
    d = window.project.diagram("d-main")
    # rubber band from empty canvas around "Train" and "Features" (inside the boundary box)
    drag(view, vp(view, -20, -20), vp(view, 460, 180))
    assert set(sc.selected_ids()) >= {"p", "s"}
    assert "u" not in sc.selected_ids()
    sc.select_ids(["p", "s"])
    before_p, before_s = d.get("p").rect, d.get("s").rect
    drag(view, vp(view, 70, 35), vp(view, 70 + 43, 35 + 58))
    p, s = d.get("p").rect, d.get("s").rect
    dx, dy = p.x - before_p.x, p.y - before_p.y
    assert (dx, dy) == (40, 60)  # snapped to the 10 px grid
    assert (s.x - before_s.x, s.y - before_s.y) == (dx, dy)
    assert window.undo.labels() == ["Move 2 elements"]
    window.undo.undo()
    assert d.get("p").rect == before_p and d.get("s").rect == before_s
    assert sc.element_items["p"].pos() == QPointF(before_p.x, before_p.y)
    window.undo.redo()
    assert d.get("p").rect == p


def test_moving_a_boundary_carries_its_contents(window):
    view = window.current_view()
    d = window.project.diagram("d-main")
    tb = d.get("tb").rect
    # press on the boundary's top border, away from handles
    drag(view, vp(view, tb.x + 200, tb.y), vp(view, tb.x + 200, tb.y + 100))
    assert d.get("tb").rect.y == tb.y + 100
    assert d.get("p").rect.y == 100 and d.get("s").rect.y == 200
    assert d.get("u").rect.y == 0  # outside the box: stays


def test_resize_boundary_by_handle_and_undo(window):
    view = window.current_view()
    sc = view.canvas
    d = window.project.diagram("d-main")
    r = d.get("tb").rect
    click(view, vp(view, r.x + 200, r.y))
    assert sc.selected_ids() == ["tb"]
    drag(view, vp(view, r.right, r.bottom), vp(view, r.right + 97, r.bottom + 41))
    new = d.get("tb").rect
    assert new == Rect(r.x, r.y, r.width + 100, r.height + 40)
    assert window.undo.labels() == ["Resize"]
    window.undo.undo()
    assert d.get("tb").rect == r
    assert sc.element_items["tb"].scene_box().width() == r.width


def test_arrow_keys_nudge_and_merge_into_one_step(window):
    view = window.current_view()
    d = window.project.diagram("d-main")
    view.canvas.select_ids(["p"])
    view.setFocus()
    for _ in range(3):
        QTest.keyClick(view, Qt.Key.Key_Right)
    QTest.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert (d.get("p").rect.x, d.get("p").rect.y) == (30, 50)
    assert len(window.undo.labels()) == 1
    window.undo.undo()
    assert (d.get("p").rect.x, d.get("p").rect.y) == (0, 0)


def test_snap_toggle_off_allows_free_moves(window):
    view = window.current_view()
    d = window.project.diagram("d-main")
    window.actions_by_name["snap"].trigger()
    assert not view.canvas.snap_enabled
    view.canvas.select_ids(["u"])
    drag(view, vp(view, -270, 35), vp(view, -270 + 13, 35 + 7))
    r = d.get("u").rect
    assert (r.x, r.y) == (-340 + 13, 7)


def test_delete_cascades_to_flows_and_undo_restores(window):
    view = window.current_view()
    d = window.project.diagram("d-main")
    view.canvas.select_ids(["u"])
    window.actions_by_name["delete"].trigger()
    assert "u" not in d and "f1" not in d
    assert "f1" not in view.canvas.element_items
    window.undo.undo()
    assert "u" in d and "f1" in d and "f1" in view.canvas.element_items


def test_placing_opens_the_name_editor_for_typing(window):
    view = window.current_view()
    d = window.project.diagram("d-main")
    md = window.palette.tree.mimeData([window.palette.stencil_item("GE.EI")])
    _drop(view, md, vp(view, 250, 300))
    editor = view._editor
    assert editor is not None and editor.selectedText() == editor.text()
    QTest.keyClicks(editor, "Fraud analyst")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    names = {e.name for e in d}
    assert "Fraud analyst" in names
    assert window.undo.labels()[-2:] == ["Add external entity 'External entity'",
                                         "Rename to 'Fraud analyst'"]


def test_data_flow_stencil_switches_to_connect_mode(window):
    view = window.current_view()
    md = window.palette.tree.mimeData([window.palette.stencil_item("GE.DF")])
    _drop(view, md, vp(view, 250, 300))
    assert view.canvas.connect_mode and window.actions_by_name["connect"].isChecked()


def test_connecting_opens_the_flow_name_editor(window):
    view = window.current_view()
    d = window.project.diagram("d-main")
    drag(view, vp(view, 140, 35), vp(view, 370, 130))
    flow = next(f for f in d.flows() if f.source_id == "p")
    assert view._editor is not None and view._editor.property("element_id") == flow.id
    QTest.keyClicks(view._editor, "features")
    QTest.keyClick(view._editor, Qt.Key.Key_Return)
    assert d.get(flow.id).name == "features"
