"""Regenerate the threats-panel screenshots (offscreen; the credit-scoring example with six
triaged threats): `.venv/bin/python docs/screenshots/make_threats_panel.py`."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["THREATCANVAS_DATA_DIR"] = tempfile.mkdtemp()
    from PySide6.QtWidgets import QApplication

    from app.catalog.paths import examples_dir
    from app.commands import SetTriage
    from app.domain import ThreatState, Triage
    from app.services.files import load_project
    from app.ui.main_window import MainWindow
    from app.ui.style import apply_style
    from app.ui.workflow_menus import open_rule_editor

    qapp = QApplication([])
    apply_style(qapp)

    def spin(n: int = 30) -> None:
        for _ in range(n):
            qapp.processEvents()
            time.sleep(0.01)

    p = load_project(examples_dir() / "credit-scoring.tc.yaml")
    w = MainWindow(p)
    w.ask_before_close = False
    w.resize(1600, 1000)
    w.show()
    while not w.analysis.findings:
        spin(2)
    spin(40)
    wf = w.workflow
    panel = wf.threats
    fs = panel.proxy.visible_findings()
    states = (ThreatState.MITIGATED, ThreatState.NEEDS_INVESTIGATION, ThreatState.ACCEPTED,
              ThreatState.NOT_APPLICABLE, ThreatState.MITIGATED)
    for f, s in zip(fs[1:6], states, strict=True):
        w.undo.push(SetTriage(p, f.key, Triage(state=s, owner="dana",
                                               justification="Reviewed in design review")))
    spin(80)
    panel.select_key(fs[0].key)
    d = panel.detail
    d.state.setCurrentIndex(d.state.findData("needs_investigation"))
    d.justification.setPlainText("Artifact signing is planned for Q3; verify the loader "
                                 "meanwhile.")
    d.owner.setText("ml-platform team")
    spin(80)
    panel.resize(1500, 560)
    panel.grab().save(str(OUT / "threats-panel.png"))
    w.grab().save(str(OUT / "threats-panel-window.png"))
    panel.tactic.setCurrentIndex(max(0, panel.tactic.findText("AI Model Access")))
    spin(10)
    panel.grab().save(str(OUT / "threats-panel-filtered.png"))
    panel.tactic.setCurrentIndex(0)
    wf.atlas_dock.show()
    wf.atlas_dock.raise_()
    spin(20)
    wf.atlas_browser.resize(500, 700)
    wf.atlas_browser.grab().save(str(OUT / "threats-panel-atlas.png"))
    ed = open_rule_editor(w)
    ed.include.setPlainText("element is 'ai.model_registry' and not element.artifacts_signed "
                            "is 'Yes'")
    ed.title.setText("Unsigned artifacts in {element.name}")
    ed.update_preview()
    spin(10)
    ed.grab().save(str(OUT / "threats-panel-rule-editor.png"))
    ed.include.setPlainText("element is 'ai.model_registry' and not element.artifacts_signed is")
    spin(5)
    ed.grab().save(str(OUT / "threats-panel-rule-error.png"))
    ed.close()
    w.close()


if __name__ == "__main__":
    main()
