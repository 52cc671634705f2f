"""Models imported from the Microsoft Threat Modeling Tool render on the canvas: foreign
stencil types, dangling flow ends and line boundaries included."""

from __future__ import annotations

import pytest

from app.ui.export import export_svg
from app.ui.main_window import MainWindow


def test_every_tm7_in_the_corpus_renders(qtbot, shared_dir, tmp_path):
    from app.services.files import load_project

    files = sorted((shared_dir / "corpus" / "tm7").glob("*.tm7"))
    if not files:
        pytest.skip("no .tm7 corpus")
    rendered = 0
    for path in files:
        try:
            project = load_project(path)
        except Exception:  # the importer's own tests cover files it refuses
            continue
        w = MainWindow(project, path, analyze=None)
        w.ask_before_close = False
        qtbot.addWidget(w)
        w.show()
        for i in range(w.tabs.count()):
            w.tabs.setCurrentIndex(i)
            w.zoom_to_fit()
            sc = w.current_scene()
            assert len(sc.element_items) == len(sc.diagram)
            assert not w.grab().isNull()
            export_svg(sc, tmp_path / f"{path.stem}-{i}.svg")
        w.close()
        rendered += 1
    assert rendered >= len(files) // 2
