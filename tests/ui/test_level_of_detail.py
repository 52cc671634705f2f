"""Large diagrams seen from far away are drawn by one overview layer; items stay clickable."""

from __future__ import annotations

from PySide6.QtWidgets import QGraphicsItem

from app.domain import Diagram, ElementKind, Project, Rect, make_box, make_flow
from app.ui.main_window import MainWindow

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


def _big_project(n: int = 320) -> Project:
    p = Project("big")
    d = Diagram("Big", diagram_id="big")
    p.add_diagram(d)
    for i in range(n):
        d.add(make_box(ElementKind.PROCESS, "GE.P", f"P{i}", Rect((i % 20) * 200, (i // 20) * 120,
                                                                   140, 70), element_id=f"n{i}"))
    for i in range(n - 1):
        d.add(make_flow(f"n{i}", f"n{i + 1}", element_id=f"f{i}"))
    return p


def test_overview_layer_takes_over_when_zoomed_out_and_back(qtbot):
    w = MainWindow(_big_project(), analyze=None)
    w.ask_before_close = False
    qtbot.addWidget(w)
    w.show()
    view = w.current_view()
    sc = view.canvas
    view.set_zoom(1.0)
    assert not sc.lod_proxy and not sc.overview.isVisible()
    sc.select_ids(["n5"])
    view.set_zoom(0.2)
    assert sc.lod_proxy and sc.overview.isVisible()
    assert sc.element_items["n6"].flags() & NO_CONTENTS
    assert not sc.element_items["n5"].flags() & NO_CONTENTS  # selection still drawn
    assert sc.overview.boundingRect().contains(sc.element_items["n300"].scene_box())
    img = view.viewport().grab().toImage()
    assert not img.isNull()
    # the items still answer hit tests: a click at n7's centre finds it
    c = sc.element_items["n7"].scene_box().center()
    hit = sc.item_at(c)
    assert hit is not None and hit[0].element_id == "n7"
    view.set_zoom(0.8)
    assert not sc.lod_proxy and not sc.overview.isVisible()
    assert not sc.element_items["n6"].flags() & NO_CONTENTS


def test_small_diagrams_keep_full_drawing_until_very_far(window):
    view = window.current_view()
    view.set_zoom(0.3)
    assert not view.canvas.lod_proxy
    view.set_zoom(0.1)
    assert view.canvas.lod_proxy
