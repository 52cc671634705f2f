"""Crash recovery: a child process runs the real window on the credit-scoring example,
triages five threats through the detail editor, adds an element, waits for the autosave,
and is SIGKILLed; reopening the file (or the recovery file) loses nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.catalog.paths import examples_dir
from app.domain import ThreatState
from app.services.files import load_project, save_project

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.commands import AddElements
from app.domain import ElementKind, Rect, make_box
from app.services.files import load_project
from app.ui.main_window import MainWindow

src, path = sys.argv[1], sys.argv[2] or None
w = MainWindow(load_project(path or src), path)
w.analysis.timer.setInterval(20)
w.show()

def wait(cond, limit=60.0):
    t = time.monotonic()
    while not cond():
        app.processEvents()
        time.sleep(0.005)
        if time.monotonic() - t > limit:
            raise SystemExit("timed out")

panel = w.workflow.threats
wait(lambda: panel.model.rowCount() >= 5)
keys = []
for row in range(5):
    panel.table.selectRow(row)
    d = panel.detail
    keys.append(d.finding.key)
    d.state.setCurrentIndex(d.state.findData("mitigated" if row % 2 else "accepted_risk"))
    d.justification.setFocus()
    QTest.keyClicks(d.justification, f"decision {row}")
    QTest.keyClicks(d.owner, "dana")
did = w.project.diagrams[0].id
node = make_box(ElementKind.PROCESS, "GE.P", "Fraud scorer", Rect(900, 900, 140, 60),
                element_id="fraud-scorer")
w.undo.push(AddElements(w.project, did, [node]))
last_edit = time.monotonic()
saves = w.workflow.autosave.saves
wait(lambda: w.workflow.autosave.saves > saves and not w.workflow.autosave.pending)
delay = time.monotonic() - last_edit
print(json.dumps({"keys": keys, "delay": delay, "id": w.project.id,
                  "target": str(w.workflow.autosave.target)}), flush=True)
while True:  # keep running (and autosaving nothing new) until killed
    app.processEvents()
    time.sleep(0.01)
"""


def run_and_kill(src: Path, path: Path | None, data_dir: Path) -> dict:
    env = dict(os.environ, THREATCANVAS_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT))
    with subprocess.Popen([sys.executable, "-c", CHILD, str(src), str(path or "")],
                          cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        os.kill(proc.pid, signal.SIGKILL)
        _out, err = proc.communicate(timeout=10)
    assert line, f"child failed: {err}"
    info = json.loads(line)
    assert proc.returncode == -signal.SIGKILL
    return info


def check(project, info: dict) -> None:  # type: ignore[no-untyped-def]
    for i, key in enumerate(info["keys"]):
        t = project.triage[key]
        assert t.state is (ThreatState.MITIGATED if i % 2 else ThreatState.ACCEPTED)
        assert t.justification == f"decision {i}" and t.owner == "dana"
    assert project.find_element("fraud-scorer") is not None


def test_killed_window_loses_nothing_in_its_tcm(tmp_path: Path) -> None:
    src = examples_dir() / "credit-scoring.tc.yaml"
    path = tmp_path / "credit.tcm"
    save_project(load_project(src), path)
    started = time.monotonic()
    info = run_and_kill(src, path, tmp_path / "data")
    assert info["delay"] < 2.0, f"autosave took {info['delay']:.2f} s after the last edit"
    check(load_project(path), info)
    assert time.monotonic() - started < 90


def test_killed_untitled_window_leaves_a_recovery_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui.autosave import recovery_files

    src = examples_dir() / "credit-scoring.tc.yaml"
    data = tmp_path / "data"
    info = run_and_kill(src, None, data)
    assert info["delay"] < 2.0
    monkeypatch.setenv("THREATCANVAS_DATA_DIR", str(data))
    found = recovery_files()
    assert [p.name for p in found] == [f"{info['id']}.tcm"]
    recovered = load_project(found[0])
    check(recovered, info)
    assert load_project(src).triage == {}  # the example itself was never written
