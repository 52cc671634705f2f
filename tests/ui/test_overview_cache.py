"""The zoomed-out canvas keeps its drawing cached: a badge change rebuilds only the badge
squares, the overview layer's shapes come from a pixmap identical to drawing them directly,
and the minimap is not re-rendered when nothing it shows changed."""

from __future__ import annotations

from PySide6.QtGui import QImage

from app.commands import MoveElements
from app.domain import Severity
from app.ui.items import Badge
from app.ui.items.overview import OverviewLayer
from app.ui.main_window import MainWindow
from tests.ui.test_level_of_detail import _big_project


def _window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(_big_project(), analyze=None)
    w.ask_before_close = False
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.current_view().canvas.lod_proxy)  # opened fitted
    return w


def _badges(step: int) -> dict[str, Badge]:
    return {f"n{i}": Badge(2, Severity.HIGH if i % 2 else Severity.LOW)
            for i in range(0, 320, step)}


def test_badge_change_keeps_geometry_and_minimap(qtbot):
    w = _window(qtbot)
    view = w.current_view()
    sc = view.canvas
    assert w.overview.view is view
    view.viewport().grab()
    w.overview.render_scene()
    gen, pixmap = sc.overview.generation, w.overview._pixmap
    assert pixmap is not None
    sc.set_badges(_badges(3))
    view.viewport().grab()
    assert sc.overview.generation == gen  # shapes kept
    squares = sum(len(rs) for rs in sc.overview._badges.values())
    assert squares == len(range(0, 320, 3))
    assert len(sc.overview._badges) == 2  # two severities, two colours
    w.overview.render_scene()
    assert w.overview._pixmap is pixmap  # badges are invisible at overview scale: no redraw
    sc.push(MoveElements(sc.project, sc.diagram_id, ["n0"], 400, 0))
    view.viewport().grab()
    assert sc.overview.generation == gen + 1
    w.overview.render_scene()
    assert w.overview._pixmap is not pixmap  # the shapes moved: the minimap follows


def test_cached_shapes_match_direct_drawing(qtbot, monkeypatch):
    w = _window(qtbot)
    view = w.current_view()
    sc = view.canvas
    sc.set_badges(_badges(4))
    for zoom in (0.2, 0.35):
        view.set_zoom(zoom)
        cached = view.viewport().grab().toImage()
        with monkeypatch.context() as m:
            m.setattr(OverviewLayer, "_draw_cached",
                      lambda self, painter, widget: self.draw_shapes(painter))
            view.viewport().update()
            direct = view.viewport().grab().toImage()
        fmt = QImage.Format.Format_ARGB32
        assert cached.convertToFormat(fmt) == direct.convertToFormat(fmt)


def test_badges_reach_the_items_when_zooming_back_in(qtbot):
    w = _window(qtbot)
    view = w.current_view()
    sc = view.canvas
    sc.set_badges(_badges(5))
    assert sc._badge_stale  # the items draw nothing now: refreshed later
    sc.select_ids(["n5"])
    assert "n5" not in sc._badge_stale  # a selected item draws itself: refreshed at once
    view.set_zoom(1.0)
    assert not sc.lod_proxy and not sc._badge_stale
    assert sc.element_items["n10"].badge() == Badge(2, Severity.LOW)
