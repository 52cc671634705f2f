"""Boundary lines, annotations, double-click rename, history view, status bar, files."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain import ElementKind, Point
from tests.ui.conftest import click, drag, vp


def test_place_boundary_line_and_drag_its_point(window):
    view = window.current_view()
    sc = view.canvas
    d = window.project.diagram("d-main")
    eid = sc.add_stencil_at("GE.TB.L", view.mapToScene(vp(view, 200, 300)))
    line = d.get(eid)
    assert line.kind is ElementKind.BOUNDARY_LINE and len(line.points) == 2
    assert sc.selected_ids() == [eid]
    a = line.points[0]
    drag(view, vp(view, a.x, a.y), vp(view, a.x, a.y - 100))
    assert d.get(eid).points[0] == Point(a.x, a.y - 100)
    assert window.undo.labels()[-1] == "Edit boundary line"
    window.undo.undo()
    assert d.get(eid).points[0] == a


def test_annotation_placed_and_renamed_by_double_click(window):
    view = window.current_view()
    sc = view.canvas
    d = window.project.diagram("d-main")
    eid = sc.add_stencil_at("GE.A", view.mapToScene(vp(view, 200, 320)))
    assert d.get(eid).kind is ElementKind.ANNOTATION
    r = d.get(eid).rect
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, vp(view, r.center.x, r.center.y))
    editor = view._editor
    assert editor is not None
    editor.setText("Assumes TLS everywhere")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert d.get(eid).name == "Assumes TLS everywhere"


def test_history_view_and_status_bar_follow_edits(window):
    view = window.current_view()
    sc = view.canvas
    assert window.history.model().rowCount() == 1  # "Opened"
    sc.select_ids(["p"])
    window.actions_by_name["duplicate"].trigger()
    window.actions_by_name["align_left"].trigger()
    assert window.history.model().rowCount() == 1 + len(window.undo.labels())
    assert window.status.selection.text() == "1 selected"
    assert window.status.counts.text().startswith("4 elements · 1 flows")
    window.undo.undo()
    window.undo.undo()
    assert window.status.counts.text().startswith("3 elements")


def test_flow_source_reconnect_and_self_loop_refused(window):
    view = window.current_view()
    sc = view.canvas
    d = window.project.diagram("d-main")
    sc.select_ids(["f1"])
    start = sc.element_items["f1"].points()[0]
    # dropping the source on the flow's own target is refused (no self loop)
    drag(view, vp(view, start.x(), start.y()), vp(view, 70, 35))
    assert d.get("f1").source_id == "u"
    drag(view, vp(view, start.x(), start.y()), vp(view, 370, 130))
    assert d.get("f1").source_id == "s" and d.get("f1").target_id == "p"


def test_ctrl_click_toggles_selection(window):
    view = window.current_view()
    sc = view.canvas
    click(view, vp(view, 70, 35))
    assert sc.selected_ids() == ["p"]
    click(view, vp(view, 370, 130), Qt.KeyboardModifier.ControlModifier)
    assert set(sc.selected_ids()) == {"p", "s"}
    click(view, vp(view, 70, 35), Qt.KeyboardModifier.ControlModifier)
    assert sc.selected_ids() == ["s"]
    click(view, vp(view, 150, 330))  # empty canvas clears
    assert sc.selected_ids() == []


def test_select_all_and_escape(window):
    view = window.current_view()
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(view.canvas.selected_ids()) == len(window.project.diagram("d-main"))
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert view.canvas.selected_ids() == []


def test_opening_a_bad_file_keeps_the_window_and_says_why(window, tmp_path):
    bad = tmp_path / "broken.tc.yaml"
    bad.write_text("format: threatcanvas/1\ndiagrams: [ {", encoding="utf-8")
    n = len(window.project.diagram("d-main"))
    assert window.open_file(bad) is None
    assert "broken.tc.yaml" in window.statusBar().currentMessage()
    assert len(window.project.diagram("d-main")) == n


def test_opening_an_example_opens_a_window(window, qtbot):
    from app.catalog import examples_dir

    path = sorted(examples_dir().glob("*.tc.yaml"))[0]
    other = window.open_file(path)
    assert other is not None and other is not window
    other.ask_before_close = False
    qtbot.addWidget(other)
    assert other.path == path and other.tabs.count() >= 1
    assert other.current_scene().element_items


def test_keyboard_and_mouse_reference_lists_gestures_and_shortcuts(window):
    window.actions_by_name["shortcuts"].trigger()
    table = window._shortcuts_dialog.table
    rows = [(table.item(i, 0).text(), table.item(i, 1).text()) for i in range(table.rowCount())]
    assert any(what == "Draw a data flow" for what, _ in rows)
    assert ("Auto-Layout", "Ctrl+L") in rows
    assert any(what == "Undo" and "Ctrl+Z" in keys for what, keys in rows)
    window._shortcuts_dialog.close()


def test_open_model_is_moved_out_of_the_cyclic_collector(qtbot):
    import gc

    from app.ui.main_window import MainWindow
    from tests.ui.conftest import sample_project

    w = MainWindow(sample_project(), analyze=None)
    w.ask_before_close = False
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=2000)
    w.close()
    assert gc.get_freeze_count() == 0


def test_delete_key_in_a_properties_field_does_not_delete_elements(window):
    from PySide6.QtWidgets import QComboBox

    sc = window.current_scene()
    sc.select_ids(["p"])
    combo = next(w for w in window.properties.findChildren(QComboBox)
                 if w.objectName().startswith("prop:"))
    combo.setFocus()
    window.actions_by_name["delete"].trigger()
    assert "p" in window.project.diagram("d-main")
    window.current_view().setFocus()
    window.actions_by_name["delete"].trigger()
    assert "p" not in window.project.diagram("d-main")


def test_boundary_line_gets_and_loses_a_point(window):
    view = window.current_view()
    sc = view.canvas
    d = window.project.diagram("d-main")
    eid = sc.add_stencil_at("GE.TB.L", view.mapToScene(vp(view, 200, 300)))
    a, b = d.get(eid).points
    mid = ((a.x + b.x) / 2, (a.y + b.y) / 2)
    drag(view, vp(view, *mid), vp(view, mid[0], mid[1] + 60))
    pts = d.get(eid).points
    assert len(pts) == 3 and pts[1] == Point(mid[0], mid[1] + 60)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, vp(view, mid[0], mid[1] + 60))
    assert d.get(eid).points == (a, b)
    assert window.undo.labels()[-2:] == ["Edit boundary line", "Edit boundary line"]


def test_save_as_offers_a_project_file_and_adds_the_chosen_suffix(window, tmp_path,
                                                                    monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from app.services.files import load_project
    from app.ui import window_ops

    asked: list[str] = []

    def fake(_parent, _title, start, filters):  # type: ignore[no-untyped-def]
        asked.append(start)
        return str(tmp_path / "review copy"), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    assert window_ops.save_as_dialog(window)
    assert asked[0].endswith("Test model.tcm")
    saved = tmp_path / "review copy.tcm"
    assert saved.exists() and load_project(saved).name == "Test model"
