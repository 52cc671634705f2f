"""Knowledge panels: rule editor (live validation, preview), rule-pack manager, ATLAS browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from app.ui.main_window import MainWindow
from app.ui.rule_editor import CUSTOM_PACK
from tests.ui.conftest import sample_project


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "userdata"
    monkeypatch.setenv("THREATCANVAS_DATA_DIR", str(d))
    return d


@pytest.fixture
def win(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(sample_project())
    w.ask_before_close = False
    w.analysis.timer.setInterval(10)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.workflow.threats.model.rowCount() > 0, timeout=20000)
    return w


def test_rule_editor_marks_errors_and_previews_matches(qtbot, win: MainWindow) -> None:
    from app.ui.workflow_menus import open_rule_editor

    ed = open_rule_editor(win)
    ok = ed.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ed.include.setFocus()
    QTest.keyClicks(ed.include, "element is 'GE.DS' and")
    assert not ok.isEnabled()
    assert "column 23" in ed.status.text() and "end of expression" in ed.status.text()
    marks = ed.include.extraSelections()
    assert len(marks) == 1 and marks[0].cursor.selectionStart() == 21  # the last character
    ed.include.setPlainText("element is GE.DS")
    assert "column 12" in ed.status.text()
    assert ed.include.extraSelections()[0].cursor.selectionStart() == 11
    ed.include.setPlainText("source is 'GE.P'")
    assert "not available in element scope" in ed.status.text() and not ok.isEnabled()
    ed.include.setPlainText("element is 'GE.DS' and not element.encrypted is 'Yes'")
    ed.title.setText("Unencrypted store {element.name}")
    assert ok.isEnabled() and "valid" in ed.status.text()
    assert not ed.include.extraSelections()
    ed.update_preview()
    texts = [ed.preview.item(i).text() for i in range(ed.preview.count())]
    assert any("Unencrypted store Features" in t for t in texts)
    assert "Matches now (1)" in ed.preview_label.text()
    ed.accept()
    doc = win.project.rule_packs[CUSTOM_PACK]
    assert [t["id"] for t in doc["threats"]] == ["CUSTOM-001"]
    panel = win.workflow.threats
    qtbot.waitUntil(lambda: any(f.rule_id == "CUSTOM-001" for f in panel.model.findings),
                    timeout=20000)
    win.undo.undo()
    assert CUSTOM_PACK not in win.project.rule_packs
    qtbot.waitUntil(lambda: not any(f.rule_id == "CUSTOM-001" for f in panel.model.findings),
                    timeout=20000)


def test_rule_editor_edits_an_existing_rule(qtbot, win: MainWindow) -> None:
    from app.ui.rule_editor import RuleEditor

    ed = RuleEditor(win.project, win.undo)
    ed.include.setPlainText("element is 'GE.P'")
    ed.accept()
    ed2 = RuleEditor(win.project, win.undo, "CUSTOM-001")
    assert ed2.include.toPlainText() == "element is 'GE.P'"
    ed2.impact.setValue(5)
    ed2.accept()
    threats = win.project.rule_packs[CUSTOM_PACK]["threats"]
    assert len(threats) == 1 and threats[0]["impact"] == 5


def test_packs_dialog_toggles_packs_and_lists_rules(qtbot, win: MainWindow) -> None:
    from app.ui.workflow_menus import open_packs

    dlg = open_packs(win)
    ids = [dlg.packs.item(i).data(Qt.ItemDataRole.UserRole + 5) for i in range(dlg.packs.count())]
    assert {"ai-ml", "stride-core", "graph"} <= set(ids)
    row = ids.index("stride-core")
    dlg.packs.setCurrentRow(row)
    assert dlg.rules.topLevelItemCount() > 10
    assert dlg.rules.topLevelItem(0).text(0).startswith("STRIDE")
    dlg.packs.item(row).setCheckState(Qt.CheckState.Unchecked)
    assert "stride-core" in win.project.disabled_packs
    panel = win.workflow.threats
    qtbot.waitUntil(lambda: not any(f.rule_id.startswith("STRIDE")
                                    for f in panel.model.findings), timeout=20000)
    win.undo.undo()
    assert "stride-core" not in win.project.disabled_packs
    ed = dlg.open_editor("")
    ed.include.setPlainText("element is 'GE.EI'")
    ed.accept()
    assert dlg.current_pack() == CUSTOM_PACK and dlg.rules.topLevelItemCount() == 1
    dlg.rules.setCurrentItem(dlg.rules.topLevelItem(0))
    assert dlg.delete_rule.isEnabled()
    dlg.delete_rule.click()
    assert CUSTOM_PACK not in win.project.rule_packs
    dlg.close()


def test_atlas_browser_lists_techniques_and_selects_threats(qtbot) -> None:
    from app.domain import Diagram, ElementKind, Project, Rect, make_box, make_flow

    p = Project("AI")
    d = Diagram("Main", diagram_id="d")
    p.add_diagram(d)
    d.add(make_box(ElementKind.EXTERNAL_ENTITY, "GE.EI", "Client", Rect(0, 0, 100, 60),
                   element_id="c"))
    d.add(make_box(ElementKind.PROCESS, "ai.inference_endpoint", "Scoring API",
                   Rect(300, 0, 120, 60), element_id="api"))
    d.add(make_flow("c", "api", "query", element_id="q"))
    w = MainWindow(p)
    w.ask_before_close = False
    qtbot.addWidget(w)
    w.show()
    browser = w.workflow.atlas_browser
    qtbot.waitUntil(lambda: bool(browser.findings), timeout=20000)
    w.workflow.atlas_dock.show()
    w.workflow.atlas_dock.raise_()
    qtbot.waitUntil(lambda: browser.active and browser.tree.topLevelItemCount() > 0,
                    timeout=5000)
    tree = browser.tree
    assert tree.topLevelItemCount() > 0
    top = tree.topLevelItem(0)
    assert top.text(0).startswith("AML.TA")
    tech = top.child(0)
    assert tech.text(0).startswith("AML.T") and int(tech.text(1)) >= 1
    leaf = next(tech.child(i) for i in range(tech.childCount())
                if tech.child(i).data(0, Qt.ItemDataRole.UserRole + 3))
    browser._activated(leaf)
    assert w.workflow.threats.current_key() == leaf.data(0, Qt.ItemDataRole.UserRole + 3)
    browser.only_present.setChecked(False)
    assert tree.topLevelItemCount() >= 10  # every tactic of the release


def test_packs_dialog_imports_a_tmt_template(qtbot, win: MainWindow, shared_dir, tmp_path,
                                             monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.ui.workflow_menus import open_packs

    dlg = open_packs(win)
    tb7 = shared_dir / "corpus" / "tb7" / "microsoft__threat-modeling-templates__default.tb7"
    assert dlg.import_file(str(tb7))
    (pack_id,) = [k for k in win.project.rule_packs if k.startswith("tmt-")]
    assert len(win.project.rule_packs[pack_id]["threats"]) > 10
    assert dlg.current_pack() == pack_id and dlg.rules.topLevelItemCount() > 10
    win.undo.undo()
    assert pack_id not in win.project.rule_packs
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    bad = tmp_path / "broken.tb7"
    bad.write_text("<not really xml", encoding="utf-8")
    assert not dlg.import_file(str(bad))
    assert len(shown) == 1 and "broken.tb7" in shown[0]
    assert not any(k.startswith("tmt-") for k in win.project.rule_packs)
    dlg.close()
