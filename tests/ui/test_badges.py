"""Live threat badges: the real engine in a worker, debounced, stale results dropped."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QPointF

from app.commands import SetProperty
from app.domain import Finding, Severity
from app.ui.analysis import AnalysisRunner, EngineAnalysis, badges_from
from app.ui.main_window import MainWindow
from tests.ui.conftest import click, sample_project, vp


def _finding(eid: str, likelihood: int, impact: int, key: str) -> Finding:
    return Finding(key=key, rule_id="R", pack="p", title=f"threat {key}", category="Tampering",
                   element_ids=(eid,), diagram_id="d-main", likelihood=likelihood,
                   impact=impact)


def test_badges_count_open_threats_and_take_the_worst_severity():
    fs = [_finding("a", 1, 1, "1"), _finding("a", 5, 5, "2"), _finding("b", 2, 3, "3"),
          _finding("u", 3, 3, "4"), Finding("k", "R", "p", "flow", "T", ("u", "f", "v"), "d", 3, 3)]
    b = badges_from(fs, {"f"})
    assert b["a"].count == 2 and b["a"].severity is Severity.CRITICAL
    assert b["b"].severity is Severity.MEDIUM
    assert b["f"].count == 1 and b["u"].count == 1


def test_real_engine_badges_update_after_edit_and_click_shows_threats(qtbot):
    w = MainWindow(sample_project(), analyze=EngineAnalysis())
    w.ask_before_close = False
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.analysis.sig_findings, timeout=15000):
        pass
    sc = w.current_scene()
    assert sc.badges, "the engine finds threats in the sample model"
    assert "f1" in sc.badges  # flow threats are shown on the flow
    before = sc.badges["p"].count
    sc.push(SetProperty(w.project, "d-main", "p", "logs_and_monitors", True))
    qtbot.waitUntil(lambda: sc.badges.get("p") is None or sc.badges["p"].count < before,
                    timeout=15000)
    # click the store's badge: a popup lists that element's threats
    view = w.current_view()
    view.set_zoom(1.0)
    view.centerOn(QPointF(200, 100))
    rect = sc.element_items["s"].badge_rect()
    assert rect is not None
    click(view, vp(view, rect.center().x(), rect.center().y()))
    popup = w._popup
    keys = popup.keys()
    assert len(keys) == sc.badges["s"].count
    assert all(k.endswith("@s") or "s" in k.split("@", 1)[1].split(",") for k in keys)
    popup.close()
    w.close()


def test_stale_results_are_dropped(qtbot):
    project = sample_project()
    gate = threading.Event()
    calls: list[int] = []

    def slow(snapshot):
        n = len(calls)
        calls.append(n)
        if n == 0:
            gate.wait(5)  # the first run is slow; an edit arrives meanwhile
        return [_finding("p", 3, 3, f"run{n}")]

    runner = AnalysisRunner(project, slow, delay_ms=10)
    got: list[list[Finding]] = []
    runner.sig_findings.connect(got.append)
    runner.run_now()
    runner.run_now()  # a newer generation
    time.sleep(0.05)
    gate.set()
    qtbot.waitUntil(lambda: len(calls) == 2 and not runner._jobs, timeout=5000)
    qtbot.wait(50)
    assert [f[0].key for f in got] == ["run1"]
    runner.shutdown()


def test_edits_are_debounced_into_one_run(qtbot):
    project = sample_project()
    calls: list[int] = []
    runner = AnalysisRunner(project, lambda s: calls.append(1) or [], delay_ms=80)
    for _ in range(10):
        runner.schedule("p")
    with qtbot.waitSignal(runner.sig_findings, timeout=3000):
        pass
    assert len(calls) == 1
    runner.shutdown()
