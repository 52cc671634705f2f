"""The analyst's workflow in the window: triage, filters, selection sync, custom threats,
validation clicks, project properties, files and autosave (pytest-qt, real widgets)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain import Severity, ThreatState
from app.services.files import load_project, save_project
from app.ui.main_window import MainWindow
from tests.ui.conftest import sample_project

pytestmark = pytest.mark.usefixtures("data_dir")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Recovery files, recent files and ATLAS imports go to a private folder."""
    d = tmp_path / "userdata"
    monkeypatch.setenv("THREATCANVAS_DATA_DIR", str(d))
    return d


def open_window(qtbot, project=None, path=None) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(project or sample_project(), path)
    w.ask_before_close = False
    w.workflow.autosave.timer.setInterval(30)
    w.analysis.timer.setInterval(10)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitUntil(lambda: bool(w.analysis.findings), timeout=20000)
    qtbot.waitUntil(lambda: w.workflow.threats.model.rowCount() > 0
                    and w.workflow.threats.category.count() > 1, timeout=5000)
    return w


@pytest.fixture
def tcm(tmp_path: Path) -> Path:
    p = tmp_path / "model.tcm"
    save_project(sample_project(), p)
    return p


def settle(qtbot, w: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Wait for the debounced analysis and the autosave to finish."""
    qtbot.waitUntil(lambda: not w.analysis.timer.isActive() and not w.analysis._jobs,
                    timeout=20000)
    w.workflow.autosave.flush()
    qtbot.wait(30)


def test_triage_edits_are_undoable_and_persisted(qtbot, tcm: Path) -> None:
    w = open_window(qtbot, load_project(tcm), tcm)
    panel = w.workflow.threats
    panel.table.selectRow(0)
    f = panel.current_finding()
    assert f is not None and panel.detail.finding == f
    d = panel.detail
    d.state.setCurrentIndex(d.state.findData(ThreatState.MITIGATED.value))
    assert w.project.triage[f.key].state is ThreatState.MITIGATED
    d.justification.setFocus()
    QTest.keyClicks(d.justification, "WAF in front")
    assert w.project.triage[f.key].justification == "WAF in front"
    labels = w.undo.labels()
    assert labels.count("Triage: justification") == 1  # typing merged into one step
    d.impact.setValue(5)
    d.likelihood.setValue(5)
    assert "Critical" in d.severity.text()
    QTest.keyClicks(d.owner, "alice")
    d.new_mitigation.setText("Pin model hashes")
    QTest.keyClick(d.new_mitigation, Qt.Key.Key_Return)
    t = w.project.triage[f.key]
    assert t.owner == "alice" and t.likelihood == 5 and t.impact == 5
    assert any(m.text == "Pin model hashes" and m.source == "custom" for m in t.mitigations)
    first = d.mitigations.item(0)
    first.setCheckState(Qt.CheckState.Checked)
    assert any(m.done for m in w.project.triage[f.key].mitigations)
    settle(qtbot, w)
    assert w.undo.stack.isClean()  # autosaved into the .tcm: nothing unsaved
    assert not w.isWindowModified()
    stored = load_project(tcm).triage[f.key]
    assert stored.state is ThreatState.MITIGATED and stored.owner == "alice"
    assert stored.justification == "WAF in front"
    w.undo.undo()  # the tick
    w.undo.undo()  # the custom mitigation
    w.undo.undo()  # owner
    assert w.project.triage[f.key].owner == ""
    assert d.owner.text() == ""
    while w.undo.stack.canUndo():
        w.undo.undo()
    assert f.key not in w.project.triage
    settle(qtbot, w)
    assert f.key not in load_project(tcm).triage


def test_filters_sort_and_counts(qtbot) -> None:
    w = open_window(qtbot)
    panel = w.workflow.threats
    total = len(panel.model.findings)
    assert f"<b>{total}</b> threats" in panel.counts.text()
    sev = panel.severity
    sev.setCurrentIndex(sev.findData(Severity.HIGH.value))
    shown = panel.proxy.visible_findings()
    assert shown and all(f.severity is Severity.HIGH for f in shown)
    assert f"({len(shown)} shown)" in panel.counts.text()
    sev.setCurrentIndex(0)
    cat = panel.category
    cat.setCurrentIndex(cat.findData("Tampering"))
    assert all(f.category == "Tampering" for f in panel.proxy.visible_findings())
    cat.setCurrentIndex(0)
    panel.search.setText("zzz-nothing")
    assert panel.proxy.rowCount() == 0
    panel.search.setText("train")
    assert all("train" in (f.title + f.description + panel.model.label_of(f)).lower()
               for f in panel.proxy.visible_findings())
    panel.search.clear()
    assert panel.proxy.rowCount() == total
    panel.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    ranks = [f.severity.rank for f in panel.proxy.visible_findings()]
    assert ranks == sorted(ranks)
    panel.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    ranks = [f.severity.rank for f in panel.proxy.visible_findings()]
    assert ranks == sorted(ranks, reverse=True)
    first = panel.proxy.visible_findings()[0]
    panel.select_key(first.key)
    panel.state.setCurrentIndex(panel.state.findData("open"))
    assert panel.current_key() == first.key
    if first.atlas or any(f.atlas for f in panel.model.findings):
        tech = next(t for f in panel.model.findings for t in f.atlas)
        panel.technique.setCurrentIndex(panel.technique.findData(tech))
        assert all(tech in f.atlas or any(a.startswith(tech + ".") for a in f.atlas)
                   for f in panel.proxy.visible_findings())


def test_selecting_threat_reveals_elements_and_canvas_filters_threats(qtbot) -> None:
    w = open_window(qtbot)
    panel = w.workflow.threats
    sc = w.current_scene()
    flow_threat = next(f for f in panel.model.findings if len(f.element_ids) == 3)
    panel.select_key(flow_threat.key)
    assert set(sc.selected_ids()) == set(flow_threat.element_ids)
    assert panel.current_key() == flow_threat.key  # revealing did not refilter it away
    panel.follow.setChecked(True)
    sc.select_ids(["s"])
    shown = panel.proxy.visible_findings()
    assert shown and all("s" in f.element_ids for f in shown)
    sc.select_ids([])
    assert panel.proxy.rowCount() == len(panel.model.findings)


def test_custom_threat_is_added_undoably(qtbot) -> None:
    w = open_window(qtbot)
    panel = w.workflow.threats
    w.current_scene().select_ids(["p"])
    dlg = panel.add_custom_dialog()
    dlg.title.setText("Insider copies the training set")
    dlg.category.setCurrentText("Information Disclosure")
    dlg.impact.setValue(5)
    dlg.accept()
    key = next(k for k in w.project.threats)
    assert w.project.threats[key].element_ids == ("p",)
    qtbot.waitUntil(lambda: panel.model.row_of(key) >= 0, timeout=20000)
    qtbot.waitUntil(lambda: panel.current_key() == key, timeout=5000)
    assert panel.detail.delete_button.isVisibleTo(panel.detail)
    panel.detail.state.setCurrentIndex(panel.detail.state.findData("accepted_risk"))
    assert w.project.triage[key].state is ThreatState.ACCEPTED
    panel.detail.delete_button.click()
    assert key not in w.project.threats and key not in w.project.triage
    w.undo.undo()
    assert key in w.project.threats and w.project.triage[key].state is ThreatState.ACCEPTED


def test_validation_panel_click_selects_elements(qtbot) -> None:
    w = open_window(qtbot)
    panel = w.workflow.validation
    w.workflow.validation_dock.raise_()
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() > 0 and panel.isVisible(),
                    timeout=5000)
    items = [panel.tree.topLevelItem(i) for i in range(panel.tree.topLevelItemCount())]
    item = next(it for it in items if "Features" in it.text(1))
    rect = panel.tree.visualItemRect(item)
    QTest.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, rect.center())
    assert "s" in w.current_scene().selected_ids()
    empty = next(it for it in items if "Second" in it.text(1))
    QTest.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, panel.tree.visualItemRect(empty).center())
    assert w.current_scene().diagram_id == "d-second"


def test_project_dialog_edits_are_commands(qtbot) -> None:
    from app.ui.workflow_menus import open_properties

    w = open_window(qtbot)
    dlg = open_properties(w)
    name = dlg.fields["name"]
    name.selectAll()
    QTest.keyClicks(name, "Fraud model")
    assert w.project.name == "Fraud model"
    assert w.undo.labels().count("Edit name") == 1
    reviewers = dlg.fields["reviewers"]
    reviewers.setPlainText("Ann\nBob\n")
    assert w.project.reviewers == ["Ann", "Bob"]
    dlg.fields["classification"].setCurrentText("Confidential")
    assert w.project.classification == "Confidential"
    assert "Fraud model" in w.windowTitle()
    w.undo.undo()
    w.undo.undo()
    w.undo.undo()
    assert w.project.name == "Test model"
    dlg.load()
    assert dlg.fields["name"].text() == "Test model"
    dlg.close()


def test_bad_file_shows_one_dialog_and_keeps_work(qtbot, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    w = open_window(qtbot)
    w.ask_before_close = True
    bad = tmp_path / "broken.tcm"
    bad.write_bytes(b"this is not a database")
    before = len(w.children_windows)
    assert w.open_file(bad) is None
    assert len(shown) == 1 and "broken.tcm" in shown[0]
    assert len(w.children_windows) == before and w.isVisible()
    assert w.project.diagram("d-main").get("p").name == "Train"
    w.ask_before_close = False


def test_recent_files_and_save_as_tcm(qtbot, tmp_path: Path) -> None:
    from app.ui.recent import recent_files

    yaml_path = tmp_path / "m.tc.yaml"
    save_project(sample_project(), yaml_path)
    w = open_window(qtbot, load_project(yaml_path), yaml_path)
    assert recent_files()[0] == yaml_path.resolve()
    assert w.workflow.autosave.is_recovery  # YAML is saved only on request
    w.project.set_info("owner", "carol")  # an edit outside the undo stack still autosaves
    w.workflow.autosave.flush()
    rec = w.workflow.autosave.target
    assert rec is not None and rec.exists() and load_project(rec).owner == "carol"
    target = tmp_path / "m.tcm"
    assert w.save_to(target)
    w.workflow.autosave.flush()  # the switch of files happens on the worker
    assert not rec.exists()  # the recovery copy is gone once the work has a file
    assert w.path == target and not w.workflow.autosave.is_recovery
    assert recent_files()[0] == target.resolve()
    w.current_scene().select_ids(["p"])
    from app.commands import Rename

    w.undo.push(Rename(w.project, "d-main", "p", "Train model"))
    assert w.isWindowModified()
    settle(qtbot, w)
    assert load_project(target).diagram("d-main").get("p").name == "Train model"
    assert not w.isWindowModified()
    assert "m.tcm" in w.windowTitle()


def test_new_from_example_and_import_menus(qtbot, tmp_path: Path) -> None:
    from app.ui.workflow_menus import examples, export_report, export_yaml, new_from_example

    w = open_window(qtbot)
    ex = next(p for p in examples() if "credit" in p.name)
    new = new_from_example(w, ex)
    assert new is not None and new.path is None and new.project.diagrams
    new.ask_before_close = False
    qtbot.addWidget(new)
    out = tmp_path / "copy.tc.yaml"
    assert export_yaml(new, out) and load_project(out).name == new.project.name
    assert new.path is None  # an export is a copy, not the window's file
    csv = tmp_path / "threats.csv"
    assert export_report(new, "csv", csv)
    assert csv.read_text(encoding="utf-8").count("\n") > 5
    file_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&File")
    titles = [a.text() for a in file_menu.actions()]
    for t in ("New from &Example", "Open &Recent", "Recover Unsaved &Work", "&Import / Export"):
        assert t in titles


def test_reviewer_flow_credit_scoring(qtbot, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Open the example, add an element (threats update live), triage five threats, close
    without saving, reopen: everything is as it was left."""
    from PySide6.QtWidgets import QMessageBox

    from app.catalog.paths import examples_dir
    from app.commands import AddElements
    from app.domain import ElementKind, Rect, make_box, make_flow

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]))
    w = open_window(qtbot, load_project(examples_dir() / "credit-scoring.tc.yaml"))
    path = tmp_path / "credit.tcm"
    assert w.save_to(path)  # the first Save As makes it a .tcm; from now on it autosaves
    panel = w.workflow.threats
    before = len(panel.model.findings)
    d = w.project.diagrams[0]
    api = next(e for e in d if e.type_id == "ai.inference_endpoint")
    node = make_box(ElementKind.EXTERNAL_ENTITY, "GE.EI", "Partner bank", Rect(-600, 0, 140, 60),
                    element_id="partner")
    flow = make_flow("partner", api.id, "bulk scoring", element_id="partner-flow")
    w.undo.push(AddElements(w.project, d.id, [node, flow]))
    qtbot.waitUntil(lambda: any("partner-flow" in f.element_ids for f in panel.model.findings),
                    timeout=20000)
    assert len(panel.model.findings) > before
    keys = []
    for row, state in enumerate(("mitigated", "accepted_risk", "not_applicable",
                                 "needs_investigation", "mitigated")):
        panel.table.selectRow(row)
        keys.append((panel.current_key(), state))
        panel.detail.state.setCurrentIndex(panel.detail.state.findData(state))
        QTest.keyClicks(panel.detail.justification, f"reviewed {row}")
    w.ask_before_close = True
    w.close()
    assert not asked  # every edit was already in the file: nothing to ask about
    again = open_window(qtbot, load_project(path), path)
    assert again.project.find_element("partner") is not None
    for i, (key, state) in enumerate(keys):
        t = again.project.triage[key]
        assert t.state.value == state and t.justification == f"reviewed {i}"
    shown = {f.key: f.state.value for f in again.workflow.threats.model.findings}
    assert all(shown[k] == s for k, s in keys)


def test_import_tm7_pdf_export_and_recover_menu(qtbot, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.ui.autosave import recovery_files
    from app.ui.workflow_menus import export_report, import_file, recover

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    w = open_window(qtbot)
    tm7 = Path(__file__).resolve().parents[1] / "data" / "tm7" / "minimal.tm7"
    imported = import_file(w, tm7)
    assert imported is not None and imported.path is None and imported.project.diagrams
    imported.ask_before_close = False
    qtbot.addWidget(imported)
    w.ask_before_close = True
    assert import_file(w, tm7.with_name("not_xml.tm7")) is None
    assert len(shown) == 1 and "not_xml.tm7" in shown[0]
    w.ask_before_close = False
    pdf = tmp_path / "report.pdf"
    assert export_report(w, "pdf", pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    # an untitled window's edits go to a recovery file, which the Recover menu reopens
    w.project.set_info("owner", "erin")
    w.workflow.autosave.flush()
    rec = w.workflow.autosave.target
    assert rec in recovery_files()
    assert recover(w, rec) is None  # that work is open right here
    left = rec.with_name("left-by-a-crash.tcm")  # as a killed session leaves it
    shutil.copyfile(rec, left)
    back = recover(w, left)
    assert back is not None and back.project.owner == "erin" and back.path is None
    back.ask_before_close = False
    qtbot.addWidget(back)
    back.project.set_info("owner", "frank")  # the two windows are independent
    back.workflow.autosave.flush()
    assert w.project.owner == "erin" and load_project(left).owner == "frank"
    assert load_project(rec).owner == "erin"
    back.close()
    assert not left.exists()  # closed normally: the recovered work is in the window's hands


def test_typing_never_waits_for_a_slow_autosave(qtbot, tcm: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from app.store import ProjectStore

    real_apply = ProjectStore.apply
    writes: list[float] = []

    def slow_apply(self, project, events=()):  # type: ignore[no-untyped-def]
        time.sleep(0.25)  # a slow disk
        real_apply(self, project, events)
        writes.append(time.monotonic())

    monkeypatch.setattr(ProjectStore, "apply", slow_apply)
    w = open_window(qtbot, load_project(tcm), tcm)
    panel = w.workflow.threats
    panel.table.selectRow(0)
    key = panel.current_key()
    box = panel.detail.justification
    box.setFocus()
    slowest = 0.0
    for ch in "still typing":
        t0 = time.monotonic()
        QTest.keyClicks(box, ch)
        slowest = max(slowest, time.monotonic() - t0)
        qtbot.wait(45)  # longer than the (test) autosave delay: writes overlap the typing
    typing_end = time.monotonic()
    assert writes and writes[0] < typing_end  # slow writes ran while the user typed
    assert slowest < 0.05, f"a keystroke waited {slowest * 1000:.0f} ms"
    assert w.workflow.autosave.flush()
    assert load_project(tcm).triage[key].justification == "still typing"


def test_one_tcm_in_two_windows_is_written_by_one_only(qtbot, tcm: Path) -> None:
    first = open_window(qtbot, load_project(tcm), tcm)
    second = open_window(qtbot, load_project(tcm), tcm)
    assert not first.workflow.autosave.is_recovery
    assert second.workflow.autosave.is_recovery  # its edits go to a recovery file
    second.project.set_info("owner", "mallory")
    second.workflow.autosave.flush()
    first.project.set_info("owner", "olga")
    first.workflow.autosave.flush()
    assert load_project(tcm).owner == "olga"
