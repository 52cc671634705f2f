"""Clipboard across diagrams and windows, duplicate, auto-layout, align, tabs, rename."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.ui import clipboard
from app.ui.main_window import MainWindow
from tests.ui.conftest import sample_project


def test_copy_paste_into_another_diagram_keeps_flows_and_undoes(window):
    view = window.current_view()
    view.canvas.select_ids(["u", "p", "f1"])
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    window.tabs.show_diagram("d-second")
    second = window.current_view()
    assert second.canvas.diagram_id == "d-second"
    second.setFocus()
    QTest.keyClick(second, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    d2 = window.project.diagram("d-second")
    names = sorted(e.name for e in d2)
    assert names == ["Train", "User", "request"]
    assert not set(d2.elements) & set(window.project.diagram("d-main").elements)
    flow = next(e for e in d2 if e.is_flow)
    assert {flow.source_id, flow.target_id} <= set(d2.elements)
    # pasted at the same place on an empty diagram
    assert next(e for e in d2 if e.name == "Train").rect.x == 0
    assert set(second.canvas.selected_ids()) == set(d2.elements)
    window.undo.undo()
    assert len(d2) == 0 and not second.canvas.element_items


def test_paste_twice_into_same_diagram_offsets(window):
    view = window.current_view()
    d = window.project.diagram("d-main")
    view.canvas.select_ids(["p"])
    window.actions_by_name["copy"].trigger()
    window.actions_by_name["paste"].trigger()
    window.actions_by_name["paste"].trigger()
    xs = sorted(e.rect.x for e in d if e.name == "Train")
    assert xs == [0, 20, 40]


def test_paste_between_two_windows(window, qtbot):
    other = MainWindow(sample_project(), analyze=None, library=window.library)
    other.ask_before_close = False
    qtbot.addWidget(other)
    other.show()
    window.current_view().canvas.select_ids(["s"])
    window.actions_by_name["copy"].trigger()
    other.tabs.show_diagram("d-second")
    other.actions_by_name["paste"].trigger()
    d = other.project.diagram("d-second")
    assert [e.name for e in d] == ["Features"]
    assert other.undo.labels() == ["Paste"] and window.undo.labels() == []


def test_cut_removes_and_clipboard_holds_elements(window):
    view = window.current_view()
    view.canvas.select_ids(["u"])
    window.actions_by_name["cut"].trigger()
    assert "u" not in window.project.diagram("d-main")
    data = clipboard.read_clipboard()
    assert data is not None and [e.name for e in data[0]] == ["User"]


def test_clipboard_ignores_foreign_or_broken_data(window):
    from PySide6.QtCore import QMimeData

    md = QMimeData()
    md.setData(clipboard.MIME_TYPE, b"{not json")
    clipboard.clipboard().setMimeData(md)
    n = len(window.project.diagram("d-main"))
    window.actions_by_name["paste"].trigger()
    assert len(window.project.diagram("d-main")) == n


def test_duplicate(window):
    view = window.current_view()
    d = window.project.diagram("d-main")
    view.canvas.select_ids(["u", "p"])
    window.actions_by_name["duplicate"].trigger()
    assert len(d) == 5 + 3  # two nodes and the flow between them
    assert window.undo.labels() == ["Duplicate"]


def test_auto_layout_is_one_step_left_to_right(window):
    d = window.project.diagram("d-main")
    window.actions_by_name["layout"].trigger()
    u, p = d.get("u").rect, d.get("p").rect
    assert u.right < p.x  # source left of target
    tb = d.get("tb").rect
    assert tb.contains_rect(p) and tb.contains_rect(d.get("s").rect)
    assert not tb.contains_rect(u)
    assert window.undo.labels() == ["Auto-layout"]
    window.undo.undo()
    assert d.get("u").rect.x == -340 and d.get("p").rect.x == 0


def test_align_and_distribute(window):
    view = window.current_view()
    d = window.project.diagram("d-main")
    view.canvas.select_ids(["u", "p", "s"])
    window.actions_by_name["align_top"].trigger()
    assert {d.get(i).rect.y for i in ("u", "p", "s")} == {0}
    window.actions_by_name["distribute_h"].trigger()
    xs = sorted((d.get(i).rect.x, d.get(i).rect.right) for i in ("u", "p", "s"))
    gaps = [b[0] - a[1] for a, b in pairwise(xs)]
    assert abs(gaps[0] - gaps[1]) < 1e-6
    assert window.undo.labels() == ["Align top", "Distribute horizontal"]


def test_in_place_rename_with_f2(window):
    view = window.current_view()
    view.canvas.select_ids(["p"])
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_F2)
    editor = view._editor
    assert editor is not None and editor.text() == "Train"
    editor.selectAll()
    QTest.keyClicks(editor, "Train model")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert window.project.diagram("d-main").get("p").name == "Train model"
    window.undo.undo()
    assert window.project.diagram("d-main").get("p").name == "Train"


def test_rename_escape_cancels(window):
    view = window.current_view()
    view.start_rename("s")
    QTest.keyClicks(view._editor, "zzz")
    QTest.keyClick(view._editor, Qt.Key.Key_Escape)
    assert window.project.diagram("d-main").get("s").name == "Features"
    assert window.undo.labels() == []


def test_diagram_tabs_add_rename_reorder_remove_undo(window):
    tabs = window.tabs
    p = window.project
    did = tabs.add_diagram()
    assert tabs.count() == 3 and tabs.tabText(2) == "Diagram 3"
    tabs.rename_diagram(did, "Inference")
    assert tabs.tabText(2) == "Inference" and p.diagram(did).name == "Inference"
    tabs.tabBar().moveTab(2, 0)
    assert p.diagrams[0].id == did
    tabs.remove_diagram(did)
    assert tabs.count() == 2 and did not in [d.id for d in p.diagrams]
    window.undo.undo()  # remove
    assert tabs.count() == 3 and tabs.tabText(0) == "Inference"
    window.undo.undo()  # reorder
    assert tabs.tabText(2) == "Inference" and p.diagrams[2].id == did
    window.undo.undo()  # rename
    assert tabs.tabText(2) == "Diagram 3"
    window.undo.undo()  # add
    assert tabs.count() == 2


def test_last_diagram_cannot_be_removed(window):
    window.tabs.remove_diagram("d-second")
    assert not window.tabs.remove_diagram("d-main")
    assert window.tabs.count() == 1


def test_auto_layout_keeps_notes_off_the_elements(window):
    from app.domain import ElementKind, Rect, make_box

    sc = window.current_scene()
    d = window.project.diagram("d-main")
    note = make_box(ElementKind.ANNOTATION, "GE.A", "Note", Rect(-330, 80, 160, 60),
                    element_id="note")
    from app.commands import AddElement

    sc.push(AddElement(window.project, "d-main", note))
    window.actions_by_name["layout"].trigger()
    r = d.get("note").rect
    for e in d:
        if e.kind.is_node:
            o = e.rect
            assert r.right <= o.x or o.right <= r.x or r.bottom <= o.y or o.bottom <= r.y
