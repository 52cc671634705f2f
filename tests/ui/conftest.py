"""Fixtures for canvas tests: a shown main window over a small model, helpers to click."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDockWidget

from app.domain import Diagram, ElementKind, Project, Rect, make_box, make_flow
from app.ui.main_window import MainWindow

CANVAS_DOCKS = {"paletteDock", "propertiesDock", "historyDock", "overviewDock"}


def sample_project() -> Project:
    """A process, a store and a user inside/outside one boundary, on diagram 'Main'."""
    p = Project("Test model")
    d = Diagram("Main", diagram_id="d-main")
    p.add_diagram(d)
    d.add(make_box(ElementKind.BOUNDARY_BOX, "GE.TB.B", "Cloud", Rect(-40, -60, 520, 260),
                   element_id="tb"))
    d.add(make_box(ElementKind.PROCESS, "GE.P", "Train", Rect(0, 0, 140, 70), element_id="p"))
    d.add(make_box(ElementKind.DATA_STORE, "GE.DS", "Features", Rect(300, 100, 140, 60),
                   element_id="s"))
    d.add(make_box(ElementKind.EXTERNAL_ENTITY, "GE.EI", "User", Rect(-340, 0, 140, 70),
                   element_id="u"))
    d.add(make_flow("u", "p", "request", element_id="f1"))
    p.add_diagram(Diagram("Second", diagram_id="d-second"))
    return p


@pytest.fixture
def window(qtbot):
    """A shown window on the sample project, without live analysis (tests add it)."""
    w = MainWindow(sample_project(), analyze=None)
    w.ask_before_close = False
    qtbot.addWidget(w)
    w.resize(1600, 1000)
    w.show()
    qtbot.waitExposed(w)
    # Canvas tests click at scene positions: keep only the canvas's own panels so the
    # viewport stays large whatever other panels the window gains.
    for dock in w.findChildren(QDockWidget):
        if dock.objectName() not in CANVAS_DOCKS:
            dock.hide()
    view = w.current_view()
    qtbot.waitUntil(lambda: view.viewport().height() >= 600)
    view.set_zoom(1.0)
    view.centerOn(QPointF(100, 60))
    return w


def vp(view, x: float, y: float) -> QPoint:
    """Viewport position of a scene point (which must be on screen, or events go astray)."""
    p = view.mapFromScene(QPointF(x, y))
    assert view.viewport().rect().contains(p), f"({x}, {y}) is off screen at {p}"
    return p


def drag(view, start: QPoint, end: QPoint, steps: int = 6,
         modifiers=Qt.KeyboardModifier.NoModifier,
         button=Qt.MouseButton.LeftButton) -> None:
    """Press at `start`, move in steps to `end`, release — a real mouse drag."""
    w = view.viewport()
    QTest.mouseMove(w, start)
    QTest.mousePress(w, button, modifiers, start)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        QTest.mouseMove(w, p)
    QTest.mouseRelease(w, button, modifiers, end)


def click(view, pos: QPoint, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifiers, pos)
