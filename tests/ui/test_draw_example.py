"""Draw an example system from scratch with the mouse and keyboard only, as an analyst
would, and check the result has the example's structure: elements, names, flows and
which boundary holds what."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from app.catalog import examples_dir
from app.domain import Diagram, ElementKind, Project
from app.domain.topology import containing_boundaries
from app.services.files import load_project
from app.ui.main_window import MainWindow
from tests.ui.conftest import CANVAS_DOCKS, drag, vp
from tests.ui.test_editing import _drop

K = ElementKind


def _type_name(view, name: str) -> None:
    editor = view._editor
    assert editor is not None
    QTest.keyClicks(editor, name)
    QTest.keyClick(editor, Qt.Key.Key_Return)


def _structure(d) -> tuple:
    els = d.elements
    names = {e.id: e.name for e in d}
    nodes = sorted((e.kind.value, e.type_id, e.name) for e in d if not e.is_flow)
    flows = sorted((names[f.source_id], names[f.target_id], f.name) for f in d.flows())
    inside = sorted((e.name, tuple(names[b] for b in containing_boundaries(els, e.id)))
                    for e in d if e.kind.is_node)
    return nodes, flows, inside


EXAMPLES = sorted(examples_dir().glob("*.tc.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name.split(".")[0] for p in EXAMPLES])
def test_draw_example_by_hand(qtbot, path):
    example = load_project(path)
    target = example.diagrams[0]
    p = Project("Drawn by hand")
    p.add_diagram(Diagram("Main", diagram_id="main"))
    w = MainWindow(p, analyze=None)
    w.ask_before_close = False
    qtbot.addWidget(w)
    w.resize(1800, 1100)
    w.show()
    qtbot.waitExposed(w)
    for dock in w.findChildren(type(w.palette_dock)):
        if dock.objectName() not in CANVAS_DOCKS:
            dock.hide()
    w.actions_by_name["snap"].trigger()  # place exactly where the example has things
    view = w.current_view()
    qtbot.wait(50)  # let the layout settle after hiding panels, before mapping positions
    xs, ys = [], []
    for e in target:
        if e.rect is not None:
            xs += [e.rect.x, e.rect.right]
            ys += [e.rect.y, e.rect.bottom]
        xs += [pt.x for pt in e.points]
        ys += [pt.y for pt in e.points]
    vw, vh = view.viewport().width(), view.viewport().height()
    view.set_zoom(min(vw / (max(xs) - min(xs) + 160), vh / (max(ys) - min(ys) + 160), 0.8))
    view.centerOn(QPointF((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2))
    d = p.diagram("main")
    gestures = 0
    started = time.perf_counter()

    def place(e) -> str:
        nonlocal gestures
        md = w.palette.tree.mimeData([w.palette.stencil_item(e.type_id)])
        if e.kind is K.BOUNDARY_LINE:
            a, b = e.points[0], e.points[-1]
            at = QPointF((a.x + b.x) / 2, (a.y + b.y) / 2)
        else:
            at = QPointF(e.rect.center.x, e.rect.center.y)
        before = set(d.elements)
        _drop(view, md, vp(view, at.x(), at.y()))
        _type_name(view, e.name)
        gestures += 2
        (new_id,) = set(d.elements) - before
        return new_id

    ids: dict[str, str] = {}
    for e in target:  # boundaries first, as an analyst sketches zones, then the parts
        if e.kind is K.BOUNDARY_BOX:
            ids[e.id] = nid = place(e)
            r, want = d.get(nid).rect, e.rect
            drag(view, vp(view, r.right, r.bottom), vp(view, want.right, want.bottom))
            r = d.get(nid).rect
            drag(view, vp(view, r.x, r.y), vp(view, want.x, want.y))
            gestures += 2
        elif e.kind is K.BOUNDARY_LINE:
            ids[e.id] = nid = place(e)
            for i, pt in ((0, e.points[0]), (1, e.points[-1])):
                cur = d.get(nid).points[i]
                view.canvas.select_ids([nid])
                drag(view, vp(view, cur.x, cur.y), vp(view, pt.x, pt.y))
                gestures += 1
    for e in target:
        if e.kind.is_node or e.kind is K.ANNOTATION:
            ids[e.id] = place(e)
    for f in target.flows():
        src, dst = d.get(ids[f.source_id]).rect, d.get(ids[f.target_id]).rect
        view.canvas.clearSelection()
        # from the source's port facing the target to the target's middle
        if abs(dst.center.x - src.center.x) >= abs(dst.center.y - src.center.y):
            x = src.right if dst.center.x > src.center.x else src.x
            start = (x, src.center.y)
        else:
            y = src.bottom if dst.center.y > src.center.y else src.y
            start = (src.center.x, y)
        drag(view, vp(view, *start), vp(view, dst.center.x, dst.center.y + 8))
        _type_name(view, f.name)
        gestures += 2
    elapsed = time.perf_counter() - started

    got, want = _structure(d), _structure(target)
    assert got[0] == want[0]  # every element, of the same stencil, with the same name
    assert got[1] == want[1]  # every flow between the same elements, named the same
    assert got[2] == want[2]  # every element inside the same boundaries
    # one gesture per element placed, one per name typed, one per flow drawn
    assert gestures <= 2 * len(target) + 4 * sum(1 for e in target if e.is_boundary)
    assert elapsed < 20
    assert len(w.undo.labels()) >= len(target)
