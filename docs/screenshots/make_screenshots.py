"""Render the canvas screenshots in this folder (offscreen):

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_screenshots.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QPoint, QPointF, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> None:
    app = QApplication([])
    from app.catalog import examples_dir
    from app.services.files import load_project
    from app.ui.analysis import EngineAnalysis
    from app.ui.main_window import MainWindow
    from app.ui.style import apply_style

    apply_style(app)
    path = examples_dir() / "rag-chatbot.tc.yaml"
    w = MainWindow(load_project(path), path, analyze=EngineAnalysis())
    w.ask_before_close = False
    w.resize(1600, 960)
    w.show()
    wait(300)
    w.zoom_to_fit()
    wait(2500)  # live analysis fills the badges
    sc = w.current_scene()
    agent = next((e.id for e in sc.diagram if "agent" in e.type_id), None)
    if agent:
        sc.select_ids([agent])
    wait(300)
    w.grab().save(str(HERE / "canvas-light.png"))

    v = w.current_view()
    if agent:
        box = sc.element_items[agent].scene_box()
        v.set_zoom(2.5)
        v.centerOn(box.center())
        wait(300)
        v.viewport().grab().save(str(HERE / "canvas-zoom-250.png"))
        rect = sc.element_items[agent].badge_rect()
        popup = w.show_threats(agent, v.viewport().mapToGlobal(
            v.mapFromScene(rect.center()) + QPoint(12, 12)))
        wait(200)
        popup.grab().save(str(HERE / "threat-popup.png"))
        popup.close()
    w.zoom_to_fit()
    w.actions_by_name["theme_dark"].trigger()
    wait(400)
    w.grab().save(str(HERE / "canvas-dark.png"))
    w.actions_by_name["theme_light"].trigger()
    sc.clearSelection()
    w.toggle_presentation()
    wait(600)
    w.grab().save(str(HERE / "presentation-mode.png"))
    w.toggle_presentation()
    w.close()

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import canvas_scale

    big = MainWindow(canvas_scale.make_project(2000), analyze=None)
    big.ask_before_close = False
    big.resize(1600, 960)
    big.show()
    wait(300)
    big.zoom_to_fit()
    wait(600)
    big.grab().save(str(HERE / "canvas-2000-elements.png"))
    bv = big.current_view()
    bv.set_zoom(0.6)
    bv.centerOn(QPointF(1200, 800))
    wait(400)
    big.grab().save(str(HERE / "canvas-2000-elements-60.png"))
    big.close()


if __name__ == "__main__":
    main()
