"""The analyst's workflow in one window: threats, ATLAS and validation docks, autosave,
recent files, and the selection sync between threats and the canvas. The main window
creates one `Workflow`; menus live in workflow_menus."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from shiboken6 import isValid

from app.domain import Finding, ValidationMessage
from app.ui.atlas_browser import AtlasBrowser, load_atlas_index
from app.ui.autosave import Autosaver, recovery_files
from app.ui.recent import add_recent
from app.ui.threats_panel import ThreatsPanel
from app.ui.validation_panel import ValidationPanel

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class _LintSignals(QObject):
    done = Signal(int, object)


class Workflow(QObject):
    """Owns the workflow panels and the autosaver of one window."""

    def __init__(self, win: MainWindow, autosave_ms: int | None = None) -> None:
        super().__init__(win)
        # Workers (analysis, autosave, lint) run Python too: hand the GIL back to the GUI
        # thread every millisecond rather than every 5, so painting never waits long.
        sys.setswitchinterval(min(sys.getswitchinterval(), 0.001))
        self.win = win
        self.project = win.project
        self.atlas = load_atlas_index()
        self.threats = ThreatsPanel(self.project, win.undo, self.atlas, self._selection, win)
        self.atlas_browser = AtlasBrowser(self.atlas, win)
        self.validation = ValidationPanel(self.project, win)
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.threats_dock = win._dock("Threats", "threatsDock", self.threats, bottom)
        self.validation_dock = win._dock("Validation", "validationDock", self.validation, bottom)
        win.tabifyDockWidget(self.threats_dock, self.validation_dock)
        self.threats_dock.raise_()
        self.atlas_dock = win._dock("MITRE ATLAS", "atlasDock", self.atlas_browser,
                                    Qt.DockWidgetArea.RightDockWidgetArea)
        win.tabifyDockWidget(win.history_dock, self.atlas_dock)
        win.history_dock.raise_()
        self.atlas_dock.visibilityChanged.connect(self.atlas_browser.set_active)
        win.resizeDocks([self.threats_dock], [330], Qt.Orientation.Vertical)
        kwargs = {} if autosave_ms is None else {"delay_ms": autosave_ms}
        path = win.path
        if path is not None and _autosaved_elsewhere(Path(path), win):
            path = None  # two windows must never write one file: this one keeps a recovery
            win.statusBar().showMessage(f"{Path(win.path).name} is also open in another "
                                        "window: use Save As to keep this copy", 15000)
        self.autosave = Autosaver(self.project, path, parent=self, **kwargs)
        self.autosave.sig_saved.connect(self._autosaved)
        self.autosave.sig_failed.connect(win.show_message)
        self._lint_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lint")
        self._lint_generation = 0
        self._lint_signals = _LintSignals()
        self._lint_signals.done.connect(self._linted)
        self.lint_timer = QTimer(self)
        self.lint_timer.setSingleShot(True)
        self.lint_timer.setInterval(400)
        self.lint_timer.timeout.connect(self.run_lint)
        win.analysis.sig_findings.connect(self.apply_findings)
        b = win.bridge
        for sig in (b.sig_element_added, b.sig_element_removed, b.sig_element_changed,
                    b.sig_diagram_added, b.sig_diagram_removed, b.sig_diagram_renamed):
            sig.connect(self.lint_timer.start)  # lint depends on the drawing only
        win.bridge.sig_threats_changed.connect(self.threats.detail.refresh)
        win.bridge.sig_project_changed.connect(lambda _f: win._update_title())
        self.threats.sig_reveal.connect(self.reveal)
        self.validation.sig_select.connect(self.reveal)
        self.atlas_browser.sig_threat_activated.connect(self._show_threat)
        win.tabs.sig_view_changed.connect(self._watch_view)
        self._watched: set[int] = set()
        self._watch_view(win.current_view())
        if win.analysis.findings:
            self.apply_findings(win.analysis.findings)
        if win.path is not None and Path(win.path).exists():
            add_recent(win.path)
        self.run_lint()
        n = len(recovery_files())
        if n and win.path is None:
            win.statusBar().showMessage(
                f"{n} unsaved project(s) can be recovered: File → Recover Unsaved Work", 15000)
        from app.ui.workflow_menus import build_workflow_menus

        build_workflow_menus(win, self)

    # -- analysis results ----------------------------------------------------------------
    def names(self) -> dict[str, str]:
        return {e.id: e.name for _d, e in self.project.iter_elements()}

    def apply_findings(self, findings: list[Finding]) -> None:
        names = self.names()
        self.threats.set_findings(findings, names)
        self.threats.focus_pending()
        QTimer.singleShot(0, self.atlas_browser,
                          lambda: self.atlas_browser.set_findings(findings, names))

    def run_lint(self) -> None:
        """Lint a snapshot on a worker; only the newest result is shown."""
        self._lint_generation += 1
        gen, snap = self._lint_generation, self.project.snapshot()
        sig = self._lint_signals

        def work() -> None:
            from app.engine.lint import lint

            try:
                sig.done.emit(gen, lint(snap))
            except Exception as err:  # lint must never take the window down
                sig.done.emit(gen, [ValidationMessage("lint-failed", "error", str(err))])

        self._lint_pool.submit(work)

    def _linted(self, generation: int, messages: list[ValidationMessage]) -> None:
        if generation == self._lint_generation:
            self.validation.set_messages(messages)

    # -- selection sync ------------------------------------------------------------------
    def _selection(self) -> tuple[str, list[str]]:
        sc = self.win.current_scene()
        return (sc.diagram_id, sc.selected_ids()) if sc is not None else ("", [])

    def _watch_view(self, view: object) -> None:
        sc = self.win.current_scene()
        if sc is None:
            return
        if id(sc) not in self._watched:
            self._watched.add(id(sc))
            sc.selectionChanged.connect(lambda s=sc: self._canvas_selected(s))
        self.threats.set_canvas_selection(sc.selected_ids())

    def _canvas_selected(self, sc: object) -> None:
        if not isValid(self.win) or not isValid(self.win.tabs) or not isValid(self.threats):
            return
        cur = self.win.current_scene()
        if cur is not None and sc is cur:
            try:
                ids = cur.selected_ids()
            except RuntimeError:  # the scene is being torn down
                return
            self.threats.set_canvas_selection(ids)

    def reveal(self, diagram_id: str, element_ids: list[str]) -> None:
        """Show the diagram, select the elements and scroll them into view."""
        if diagram_id:
            self.win.tabs.show_diagram(diagram_id)
        view = self.win.current_view()
        if view is None:
            return
        sc = view.canvas
        ids = [i for i in element_ids if i in sc.element_items]
        sc.select_ids(ids)
        rect = QRectF()
        for i in ids:
            rect = rect.united(sc.element_items[i].sceneBoundingRect())
        if not rect.isNull():
            view.ensureVisible(rect, 40, 40)

    def _show_threat(self, key: str) -> None:
        self.threats_dock.show()
        self.threats_dock.raise_()
        self.threats.search.clear()
        self.threats.proxy.set_filter(self.threats.current_filter())
        self.threats.select_key(key)

    # -- saving and closing --------------------------------------------------------------
    def _autosaved(self, path: str) -> None:
        a = self.autosave
        if a.is_recovery or a.pending or a.timer.isActive():
            return
        if self.win.path is not None and Path(path) == Path(self.win.path):
            self.win.undo.stack.setClean()

    def save_to(self, path: str | Path) -> None:
        """An explicit save (File → Save / Save As); FileError when it fails."""
        from app.services.files import save_project

        self.autosave.save_with(Path(path), lambda: save_project(self.project, path))
        add_recent(path)

    def before_close(self) -> None:
        """Write pending edits; a `.tcm` window then has nothing unsaved."""
        if self.autosave.flush() and not self.autosave.is_recovery:
            self.win.undo.stack.setClean()

    def shutdown(self) -> None:
        self.lint_timer.stop()
        self._lint_generation += 1
        self.autosave.shutdown(discard_recovery=True)
        self._lint_pool.shutdown(wait=True)


def _autosaved_elsewhere(path: Path, win: MainWindow) -> bool:
    """True when another window of this process autosaves into `path`."""
    from PySide6.QtWidgets import QApplication

    for w in QApplication.topLevelWidgets():
        wf = getattr(w, "workflow", None)
        if w is not win and isinstance(wf, Workflow) and not wf.autosave.is_recovery \
                and wf.autosave.target is not None \
                and wf.autosave.target.resolve() == path.resolve():
            return True
    return False
