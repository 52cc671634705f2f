"""Window-level operations kept out of the main window: files, export, presentation mode."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMenu, QMessageBox

import app
from app.domain import DomainError, FileError, Project

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

PRESENT_SCALE = 1.3


def show_error(win: MainWindow, title: str, err: Exception) -> None:
    win.statusBar().showMessage(str(err), 10000)
    if win.isVisible() and win.ask_before_close:
        QMessageBox.warning(win, title, str(err))


def load(path: str | Path) -> Project:
    """Read a model file (FileError with the reason when it cannot be read)."""
    from app.services.files import load_project

    return load_project(path)


def load_or_report(win: MainWindow, path: str | Path, title: str) -> Project | None:
    """Read a model file; on failure show one message naming the file, and return None."""
    try:
        return load(path)
    except (FileError, DomainError) as err:
        show_error(win, title, err)
    except Exception as err:  # a reader bug must not lose the user's other work
        show_error(win, title, FileError(path, f"unexpected error: {err}"))
    return None


def open_file(win: MainWindow, path: str | Path) -> MainWindow | None:
    """Open a model: into this window when it is untouched and empty, else a new one."""
    project = load_or_report(win, path, "Cannot open file")
    if project is None:
        return None
    untouched = win.undo.stack.count() == 0 and not any(len(d) for d in win.project.diagrams)
    if untouched and win.path is None:
        from app.ui.main_window import MainWindow

        new = MainWindow(project, path, library=win.library)
        new.setGeometry(win.geometry())
        new.show()
        win.children_windows.append(new)
        win.ask_before_close = False
        win.close()
        return new
    return win.new_window(project, Path(path))


def open_dialog(win: MainWindow) -> None:
    from app.services.files import all_suffixes

    patterns = " ".join(f"*{s}" for s in all_suffixes())
    path, _ = QFileDialog.getOpenFileName(win, "Open threat model", "",
                                          f"Threat models ({patterns});;All files (*)")
    if path:
        open_file(win, path)


def save_to(win: MainWindow, path: str | Path) -> bool:
    from app.services.files import save_project

    try:
        wf = getattr(win, "workflow", None)
        wf.save_to(path) if wf is not None else save_project(win.project, path)
    except (FileError, DomainError) as err:
        show_error(win, "Cannot save", err)
        return False
    win.path = Path(path)
    win.undo.stack.setClean()
    win._update_title()
    win.statusBar().showMessage(f"Saved {path}", 4000)
    return True


def save(win: MainWindow) -> bool:
    from app.services.files import writable_suffixes

    if win.path is not None and any(win.path.name.endswith(s) for s in writable_suffixes()):
        return save_to(win, win.path)
    return save_as_dialog(win)


def save_as_dialog(win: MainWindow) -> bool:
    """Save As offers the project file (.tcm) first; the text format stays one click away."""
    from app.services.files import writable_suffixes

    filters = {"ThreatCanvas project (*.tcm)": ".tcm",
               "Model as code (*.tc.yaml)": ".tc.yaml"}
    if win.path is not None:
        folder = win.path.parent
        stem = win.path.name.removesuffix(".tc.yaml").removesuffix(win.path.suffix)
    else:
        folder = Path.home()
        stem = "".join(c if c.isalnum() or c in "-_ " else "-" for c in win.project.name)
    start = str(folder / f"{stem.strip() or 'model'}.tcm")
    path, chosen = QFileDialog.getSaveFileName(win, "Save threat model", start,
                                               ";;".join(filters))
    if not path:
        return False
    if not path.endswith(tuple(writable_suffixes())):
        path += filters.get(chosen, ".tcm")
    return save_to(win, path)


def export_dialog(win: MainWindow, fmt: str) -> None:
    from app.ui.export import export_png, export_svg

    sc = win.current_scene()
    if sc is None:
        return
    default = f"{sc.diagram.name or 'diagram'}.{fmt}"
    path, _ = QFileDialog.getSaveFileName(win, f"Export diagram as {fmt.upper()}", default,
                                          f"{fmt.upper()} files (*.{fmt})")
    if not path:
        return
    try:
        (export_png if fmt == "png" else export_svg)(sc, path)
    except FileError as err:
        show_error(win, "Cannot export", err)
        return
    win.statusBar().showMessage(f"Exported {path}", 4000)


def confirm_discard(win: MainWindow) -> bool:
    """True when the window may close: nothing unsaved, or the user chose."""
    if win.undo.stack.isClean():
        return True
    answer = QMessageBox.question(
        win, "Unsaved changes", "Save changes to this threat model before closing?",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel)
    if answer == QMessageBox.StandardButton.Save:
        return win.save()
    return answer == QMessageBox.StandardButton.Discard


def toggle_presentation(win: MainWindow) -> None:
    """Full-screen canvas, larger labels, panels hidden; the same key brings them back."""
    if not win.presenting:
        win._saved_state = (bytes(win.saveState().data()), win.isFullScreen())
        for dock in win.findChildren(QDockWidget):  # every panel, ours or not
            dock.hide()
        win.toolbar.hide()
        win.menuBar().hide()
        win.statusBar().hide()
        win.tabs.tabBar().hide()
        win.tabs.cornerWidget().hide()
        win.presenting = True
        win.theme = win.theme.with_label_scale(PRESENT_SCALE)
        win.showFullScreen()
    else:
        state, was_full = win._saved_state or (b"", False)
        win.toolbar.show()
        win.menuBar().show()
        win.statusBar().show()
        win.tabs.tabBar().show()
        win.tabs.cornerWidget().show()
        if state:
            from PySide6.QtCore import QByteArray

            win.restoreState(QByteArray(state))
        win.presenting = False
        win.theme = win.theme.with_label_scale(1.0)
        if not was_full:
            win.showNormal()
    exit_action = win.actions_by_name.get("present_exit")
    if exit_action is not None:
        exit_action.setEnabled(win.presenting)  # Esc leaves, only while presenting
    bars = Qt.ScrollBarPolicy.ScrollBarAlwaysOff if win.presenting \
        else Qt.ScrollBarPolicy.ScrollBarAsNeeded
    for view in win.tabs.views.values():
        view.setHorizontalScrollBarPolicy(bars)
        view.setVerticalScrollBarPolicy(bars)
    for sc in win.scenes():
        sc.set_theme(win.theme)
    v = win.current_view()
    if v is not None:
        v.zoom_to_fit()
        v.setFocus()
        QTimer.singleShot(60, v.zoom_to_fit)  # again once the window has its new size


def context_menu(win: MainWindow, pos: QPoint) -> None:
    a = win.actions_by_name
    m = QMenu(win)
    for n in ("cut", "copy", "paste", "duplicate", "delete", None, "rename", None,
              "straight", "orthogonal", None, "layout"):
        if n is None:
            m.addSeparator()
        else:
            m.addAction(a[n])
    m.popup(pos)


def shortcuts(win: MainWindow) -> None:
    from app.ui.shortcuts import ShortcutsDialog

    dialog = ShortcutsDialog(win.actions_by_name, win)
    win._shortcuts_dialog = dialog
    dialog.show()


def settle_gc() -> None:
    """After a model is open: collect once, then move every object alive now out of the
    cyclic collector's reach (gc.freeze), so later full collections take microseconds
    instead of 35–50 ms with a 2,000-element diagram open (no frame hitches while editing)."""
    gc.collect()
    gc.freeze()


def release_gc() -> None:
    """A window closed: let the collector see the frozen objects again."""
    gc.unfreeze()


def about(win: MainWindow) -> None:
    QMessageBox.about(win, "About ThreatCanvas",
                      f"<b>ThreatCanvas {app.__version__}</b><br>Data-flow-diagram threat "
                      "modeling for AI/ML systems: STRIDE, MITRE ATLAS, OWASP ML/LLM Top 10.")


def escape_presentation_key() -> Qt.Key:
    return Qt.Key.Key_Escape
