"""The GUI never stalls while a 5,000-element model is analysed in the background: a QTimer
ticks every 5 ms and the longest gap between ticks stays under 50 ms, from the trigger
(a re-analysis, or a triage edit in the detail editor, which also autosaves) until the
results are in the threats table, the badges and the counts.

The window opens fitted to the diagram (the whole 5,000 elements in view, drawn by the
overview layer), with the minimap attached, as a user sees it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, QTimer

from app.domain import Diagram, ElementKind, Project, Rect, make_box, make_flow
from app.services.files import load_project, save_project
from app.ui.main_window import MainWindow

MAX_GAP_MS = 50
ATTEMPTS = 3  # best of three: a shared CI machine may deschedule the whole process
KINDS = ((ElementKind.PROCESS, "GE.P"), (ElementKind.DATA_STORE, "GE.DS"),
         (ElementKind.EXTERNAL_ENTITY, "GE.EI"), (ElementKind.PROCESS, "ai.inference_endpoint"),
         (ElementKind.DATA_STORE, "ai.training_data_store"))


def big_project(nodes: int = 2000, flows: int = 3000, seed: int = 3) -> Project:
    """2,000 nodes of five types and 3,000 random flows: 5,000 elements."""
    rnd = random.Random(seed)
    p = Project("Big")
    d = Diagram("Main", diagram_id="d")
    p.add_diagram(d)
    ids = []
    for i in range(nodes):
        kind, type_id = KINDS[i % len(KINDS)]
        d.add(make_box(kind, type_id, f"n{i}", Rect((i % 50) * 200, (i // 50) * 120, 140, 60),
                       element_id=f"n{i}"))
        ids.append(f"n{i}")
    for j in range(flows):
        a, b = rnd.sample(ids, 2)
        d.add(make_flow(a, b, f"f{j}", element_id=f"f{j}"))
    return p


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THREATCANVAS_DATA_DIR", str(tmp_path / "userdata"))


def measure(qtbot, w: MainWindow, start) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(max gap, ticks) from `start()` until the findings are applied, plus 100 ms."""
    clock = QElapsedTimer()
    clock.start()
    gaps: list[int] = []
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    with qtbot.waitSignal(w.analysis.sig_findings, timeout=60000):
        timer.start()
        start()
    qtbot.wait(100)
    timer.stop()
    return max(gaps), len(gaps)


def test_event_loop_never_stalls_during_background_analysis(qtbot, tmp_path: Path) -> None:
    p = big_project()
    assert sum(len(d) for d in p.diagrams) == 5000
    path = tmp_path / "big.tcm"
    save_project(p, path)  # a saved project: triage edits autosave incrementally
    w = MainWindow(load_project(path), path)
    w.ask_before_close = False
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: len(w.analysis.findings) > 1000, timeout=60000)
    qtbot.wait(200)
    view = w.current_view()
    assert view.canvas.lod_proxy  # opened fitted: the whole diagram in view, overview layer on
    assert w.overview.view is view  # the minimap stays attached throughout
    runs = []
    for _ in range(ATTEMPTS):  # a full re-analysis
        runs.append(measure(qtbot, w, w.analysis.schedule))
        if runs[-1][0] < MAX_GAP_MS:
            break
    full_gap, ticks = min(runs)
    assert ticks > 20  # the analysis really ran in the background for a while
    panel = w.workflow.threats
    assert len(panel.model.findings) == len(w.analysis.findings) > 1000
    panel.table.selectRow(0)
    key = panel.current_key()
    qtbot.wait(400)
    state = panel.detail.state
    gaps = []
    for attempt in range(ATTEMPTS):  # alternate the state so every attempt is a real edit
        target = "mitigated" if attempt % 2 == 0 else "accepted_risk"
        gap, _ = measure(qtbot, w, lambda t=target: state.setCurrentIndex(state.findData(t)))
        gaps.append(gap)
        row = panel.model.row_of(key)
        assert panel.model.finding(row).state.value == target
        if gap < MAX_GAP_MS:
            break
    edit_gap = min(gaps)
    w.workflow.autosave.flush()
    assert load_project(path).triage[key].state.value == target
    print(f"max event-loop gap: full analysis {full_gap} ms, after a triage edit {edit_gap} ms")
    assert full_gap < MAX_GAP_MS and edit_gap < MAX_GAP_MS
