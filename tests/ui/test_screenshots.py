"""Every example project renders in the window without error (and a demo model too)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from app.catalog import examples_dir
from app.ui.main_window import MainWindow
from tests.ui.demo_model import rag_project

EXAMPLES = sorted(examples_dir().glob("*.tc.yaml")) if examples_dir().is_dir() else []


def _render(qtbot, project, path=None) -> QImage:
    w = MainWindow(project, path, analyze=None)
    w.ask_before_close = False
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    images = []
    for i in range(w.tabs.count()):
        w.tabs.setCurrentIndex(i)
        w.zoom_to_fit()
        images.append(w.grab().toImage())
    return images


def _not_blank(img: QImage) -> bool:
    colours = {img.pixel(x, y) for x in range(0, img.width(), 37)
               for y in range(0, img.height(), 29)}
    return len(colours) > 10


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_project_renders(qtbot, path: Path):
    from app.services.files import load_project

    project = load_project(path)
    images = _render(qtbot, project, path)
    assert len(images) == len(project.diagrams)
    assert all(not img.isNull() and _not_blank(img) for img in images)


def test_demo_model_renders_every_element(qtbot):
    project = rag_project()
    images = _render(qtbot, project)
    assert all(_not_blank(img) for img in images)
