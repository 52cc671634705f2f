"""Menus of the analyst's workflow: New from example, Open Recent, Recover, Import/Export,
and the Project menu (properties, rule packs, custom rules, panels)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu

from app.domain import DomainError, FileError
from app.ui.window_ops import load_or_report, show_error

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
    from app.ui.workflow import Workflow

REPORT_FORMATS = {"pdf": "PDF report", "csv": "Threats as CSV", "json": "Threats as JSON",
                  "sarif": "Threats as SARIF"}


def _file_menu(win: MainWindow) -> QMenu | None:
    for a in win.menuBar().actions():
        if a.menu() is not None and a.text().replace("&", "") == "File":
            return a.menu()
    return None


def examples() -> list[Path]:
    from app.catalog.paths import examples_dir

    folder = examples_dir()
    return sorted(folder.glob("*.tc.yaml")) if folder.is_dir() else []


def new_from_example(win: MainWindow, path: Path) -> MainWindow | None:
    """An untitled copy of an example (the template itself is never overwritten)."""
    from app.services.files import load_project

    try:
        project = load_project(path)
    except (FileError, DomainError) as err:
        show_error(win, "Cannot open example", err)
        return None
    return win.new_window(project, None)


def import_file(win: MainWindow, path: str | Path) -> MainWindow | None:
    """Import a YAML or TMT model into a new untitled window (saved as .tcm on Save)."""

    project = load_or_report(win, path, "Cannot import file")
    return None if project is None else win.new_window(project, None)


def open_recovery_targets() -> set[Path]:
    """Recovery files that windows of this process are writing."""
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow

    out = set()
    for w in QApplication.topLevelWidgets():
        wf = getattr(w, "workflow", None) if isinstance(w, MainWindow) else None
        if wf is not None and wf.autosave.is_recovery and wf.autosave.target is not None:
            out.add(wf.autosave.target)
    return out


def recover(win: MainWindow, path: Path) -> MainWindow | None:
    """Open a recovery file as untitled work; it keeps autosaving into that same file."""
    if Path(path) in open_recovery_targets():
        win.statusBar().showMessage("That work is open in another window", 5000)
        return None
    new = import_file(win, path)
    if new is not None:
        new.workflow.autosave.adopt(Path(path))
    return new


def export_yaml(win: MainWindow, path: str | Path) -> bool:
    from app.services.files import save_project

    try:
        save_project(win.project, path)
    except (FileError, DomainError) as err:
        show_error(win, "Cannot export", err)
        return False
    win.statusBar().showMessage(f"Exported {path}", 4000)
    return True


def export_report(win: MainWindow, fmt: str, path: str | Path) -> bool:
    """Build the report from the current project and write one format."""
    from app.services.report import export_all, make_report

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        report = make_report(win.project, source=win.path)
        target = Path(path)
        export_all(report, *(target if fmt == f else None
                             for f in ("pdf", "csv", "json", "sarif")))
    except (FileError, DomainError, OSError) as err:
        show_error(win, "Cannot export", err if isinstance(err, FileError | DomainError)
               else FileError(path, str(err)))
        return False
    finally:
        QGuiApplication.restoreOverrideCursor()
    win.statusBar().showMessage(f"Exported {path}", 4000)
    return True


def _ask_save(win: MainWindow, title: str, default: str, pattern: str) -> str:
    path, _ = QFileDialog.getSaveFileName(win, title, default, pattern)
    return path


def build_workflow_menus(win: MainWindow, wf: Workflow) -> None:
    from app.ui.recent import recent_files

    file_menu = _file_menu(win)
    if file_menu is None:
        file_menu = win.menuBar().addMenu("&File")
    after_open = next((a for a in file_menu.actions()
                       if a.text().replace("&", "").startswith("Save")), None)
    ex_menu = QMenu("New from &Example", win)
    for p in examples():
        name = p.name.removesuffix(".tc.yaml").replace("-", " ").capitalize()
        ex_menu.addAction(name, lambda p=p: new_from_example(win, p))
    acts = file_menu.actions()
    if len(acts) > 1:
        file_menu.insertMenu(acts[1], ex_menu)
    else:
        file_menu.addMenu(ex_menu)
    recent_menu = QMenu("Open &Recent", win)
    recover_menu = QMenu("Recover Unsaved &Work", win)

    def fill_recent() -> None:
        recent_menu.clear()
        for p in recent_files():
            recent_menu.addAction(str(p), lambda p=p: win.open_file(p))
        if recent_menu.isEmpty():
            recent_menu.addAction("(none)").setEnabled(False)

    def fill_recover() -> None:
        from app.ui.autosave import recovery_files

        recover_menu.clear()
        busy = open_recovery_targets()
        for p in recovery_files():
            if p in busy:
                continue
            recover_menu.addAction(p.stem, lambda p=p: recover(win, p))
        if recover_menu.isEmpty():
            recover_menu.addAction("(nothing to recover)").setEnabled(False)

    recent_menu.aboutToShow.connect(fill_recent)
    recover_menu.aboutToShow.connect(fill_recover)
    if after_open is not None:
        file_menu.insertMenu(after_open, recent_menu)
        file_menu.insertMenu(after_open, recover_menu)
        file_menu.insertSeparator(after_open)
    io_menu = QMenu("&Import / Export", win)
    io_menu.addAction("Import YAML Model…", lambda: _import_dialog(win, "YAML models "
                                                                      "(*.tc.yaml *.yaml *.yml)"))
    io_menu.addAction("Import Threat Modeling Tool Model (.tm7)…",
                      lambda: _import_dialog(win, "TMT models (*.tm7)"))
    io_menu.addSeparator()
    io_menu.addAction("Export as YAML…", lambda: (p := _ask_save(
        win, "Export as YAML", f"{win.project.name}.tc.yaml", "YAML models (*.tc.yaml)"))
        and export_yaml(win, p))
    for fmt, label in REPORT_FORMATS.items():
        io_menu.addAction(f"Export {label}…", lambda f=fmt, lab=label: (p := _ask_save(
            win, f"Export {lab}", f"{win.project.name}.{f}", f"{lab} (*.{f})"))
            and export_report(win, f, p))
    export_anchor = next((a for a in file_menu.actions()
                          if a.text().replace("&", "").startswith("Export Diagram")), None)
    if export_anchor is not None:
        file_menu.insertMenu(export_anchor, io_menu)
    else:
        file_menu.addMenu(io_menu)
    project = QMenu("&Project", win)
    win.menuBar().insertMenu(win.menuBar().actions()[-1], project)
    wf.actions = {
        "properties": project.addAction("Project &Properties…", lambda: open_properties(win)),
        "packs": project.addAction("Rule &Packs…", lambda: open_packs(win)),
        "new_rule": project.addAction("New Custom &Rule…", lambda: open_rule_editor(win)),
        "add_threat": project.addAction("Add Custom &Threat…",
                                        wf.threats.add_custom_dialog),
    }
    project.addSeparator()
    for dock in (wf.threats_dock, wf.validation_dock, wf.atlas_dock):
        project.addAction(dock.toggleViewAction())
        win.view_menu.addAction(dock.toggleViewAction())


def _import_dialog(win: MainWindow, pattern: str) -> None:
    path, _ = QFileDialog.getOpenFileName(win, "Import model", "", pattern)
    if path:
        import_file(win, path)


def open_properties(win: MainWindow):  # type: ignore[no-untyped-def]
    from app.ui.project_dialog import ProjectDialog

    dlg = ProjectDialog(win.project, win.undo, win)
    dlg.open()
    return dlg


def open_packs(win: MainWindow):  # type: ignore[no-untyped-def]
    from app.ui.packs_dialog import PacksDialog

    dlg = PacksDialog(win.project, win.undo, win)
    dlg.open()
    return dlg


def open_rule_editor(win: MainWindow, rule_id: str = ""):  # type: ignore[no-untyped-def]
    from app.ui.rule_editor import RuleEditor

    dlg = RuleEditor(win.project, win.undo, rule_id, win)
    dlg.open()
    return dlg

