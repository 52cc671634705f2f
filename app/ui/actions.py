"""The window's actions with their standard shortcuts, and the menus and toolbar holding them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from app.catalog import resources_dir
from app.ui import edit_ops, window_ops

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

SK = QKeySequence.StandardKey


def _act(win: MainWindow, text: str, slot: Callable[[], object], shortcut=None,
         tip: str = "", checkable: bool = False, icon: str = "") -> QAction:
    a = QAction(text, win)
    if shortcut is not None:
        if isinstance(shortcut, list):
            a.setShortcuts([QKeySequence(s) for s in shortcut])
        else:
            a.setShortcut(QKeySequence(shortcut))
    if tip:
        a.setStatusTip(tip)
        a.setToolTip(tip)
    if icon:
        a.setIcon(action_icon(icon))
    a.setCheckable(checkable)
    if checkable:
        a.toggled.connect(lambda on: slot(on))  # type: ignore[call-arg]
    else:
        a.triggered.connect(lambda _=False: slot())
    win.addAction(a)
    return a


def action_icon(name: str) -> QIcon:
    """A toolbar icon from resources/icons/actions (SVG, sharp at any device ratio)."""
    path = resources_dir() / "icons" / "actions" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


TOOLBAR_ICONS = {
    "open": "open", "save": "save", "undo": "undo", "redo": "redo", "connect": "connect",
    "layout": "layout", "zoom_in": "zoom_in", "zoom_out": "zoom_out", "zoom_fit": "zoom_fit",
    "zoom_100": "zoom_100", "snap": "snap", "present": "present",
}


def _on_scene(win: MainWindow, fn: Callable) -> Callable[[], None]:
    def run() -> None:
        sc = win.current_scene()
        if sc is not None:
            fn(sc)
    return run


def build_actions(win: MainWindow) -> dict[str, QAction]:
    """Every window action by name."""
    a: dict[str, QAction] = {}
    s = _on_scene
    a["new"] = _act(win, "&New Project", win.new_window, SK.New, "Start a new threat model")
    a["open"] = _act(win, "&Open…", win.open_dialog, SK.Open, "Open a model file")
    a["save"] = _act(win, "&Save", win.save, SK.Save, "Save the model")
    a["save_as"] = _act(win, "Save &As…", win.save_as_dialog, SK.SaveAs)
    a["export_png"] = _act(win, "Export Diagram as &PNG…", lambda: win.export_dialog("png"),
                           "Ctrl+E")
    a["export_svg"] = _act(win, "Export Diagram as S&VG…", lambda: win.export_dialog("svg"),
                           "Ctrl+Shift+E")
    a["close"] = _act(win, "&Close Window", win.close, SK.Close)
    a["quit"] = _act(win, "&Quit", win.quit_all, SK.Quit)
    a["undo"] = win.undo.stack.createUndoAction(win, "&Undo")
    a["undo"].setShortcut(SK.Undo)
    a["redo"] = win.undo.stack.createRedoAction(win, "&Redo")
    a["redo"].setShortcuts([QKeySequence(SK.Redo), QKeySequence("Ctrl+Y")])
    win.addAction(a["undo"])
    win.addAction(a["redo"])
    a["cut"] = _act(win, "Cu&t", s(win, edit_ops.cut), SK.Cut)
    a["copy"] = _act(win, "&Copy", s(win, edit_ops.copy), SK.Copy)
    a["paste"] = _act(win, "&Paste", s(win, edit_ops.paste), SK.Paste)
    a["duplicate"] = _act(win, "D&uplicate", s(win, edit_ops.duplicate), "Ctrl+D")
    a["delete"] = _act(win, "&Delete", s(win, edit_ops.delete), [QKeySequence(SK.Delete),
                                                                 QKeySequence("Backspace")])
    a["select_all"] = _act(win, "Select &All", s(win, edit_ops.select_all), SK.SelectAll)
    a["rename"] = _act(win, "Re&name", win.rename_selected, "F2")
    for how, key in (("left", "Ctrl+Alt+Left"), ("center", ""), ("right", "Ctrl+Alt+Right"),
                     ("top", "Ctrl+Alt+Up"), ("middle", ""), ("bottom", "Ctrl+Alt+Down")):
        a[f"align_{how}"] = _act(win, f"Align {how.capitalize()}",
                                 s(win, lambda sc, h=how: edit_ops.align(sc, h)), key or None)
    a["distribute_h"] = _act(win, "Distribute Horizontally",
                             s(win, lambda sc: edit_ops.distribute(sc, "horizontal")))
    a["distribute_v"] = _act(win, "Distribute Vertically",
                             s(win, lambda sc: edit_ops.distribute(sc, "vertical")))
    a["layout"] = _act(win, "Auto-&Layout", s(win, edit_ops.auto_layout), "Ctrl+L",
                       "Arrange the diagram left to right (one undo step)")
    a["straight"] = _act(win, "Straight Flow", s(win, lambda sc: edit_ops.set_routing(
        sc, "straight")))
    a["orthogonal"] = _act(win, "Orthogonal Flow", s(win, lambda sc: edit_ops.set_routing(
        sc, "orthogonal")))
    a["connect"] = _act(win, "&Connect Tool", win.set_connect_mode, "C",
                        "Drag from one element to another to draw a data flow", checkable=True)
    a["zoom_in"] = _act(win, "Zoom &In", lambda: win.zoom_by(1.25), SK.ZoomIn)
    a["zoom_out"] = _act(win, "Zoom &Out", lambda: win.zoom_by(0.8), SK.ZoomOut)
    a["zoom_fit"] = _act(win, "Zoom to &Fit", win.zoom_to_fit, ["Ctrl+9", "Shift+1"])
    a["zoom_100"] = _act(win, "Actual Size (100 %)", win.zoom_to_100, ["Ctrl+0", "Shift+0"])
    a["snap"] = _act(win, "&Snap to Grid", win.set_snap, "Ctrl+'", checkable=True)
    a["snap"].setChecked(True)
    a["present"] = _act(win, "&Presentation Mode", win.toggle_presentation, "F5",
                        "Full-screen canvas with larger labels for design reviews")
    a["present_exit"] = _act(win, "Leave Presentation Mode", win.toggle_presentation, "Esc")
    a["present_exit"].setEnabled(False)
    group = QActionGroup(win)
    for name, label in (("system", "Follow System"), ("light", "Light"), ("dark", "Dark")):
        act = _act(win, label, lambda on, n=name: on and win.set_theme_mode(n), checkable=True)
        group.addAction(act)
        a[f"theme_{name}"] = act
    a["theme_system"].setChecked(True)
    a["new_diagram"] = _act(win, "&New Diagram", win.tabs.add_diagram, SK.AddTab)
    a["rename_diagram"] = _act(win, "&Rename Diagram…", win.rename_diagram_dialog)
    a["remove_diagram"] = _act(win, "Re&move Diagram", win.remove_current_diagram)
    a["next_diagram"] = _act(win, "Next Diagram", lambda: win.cycle_diagram(1), SK.NextChild)
    a["prev_diagram"] = _act(win, "Previous Diagram", lambda: win.cycle_diagram(-1),
                             SK.PreviousChild)
    a["shortcuts"] = _act(win, "&Keyboard and Mouse", lambda: window_ops.shortcuts(win),
                          SK.HelpContents)
    a["about"] = _act(win, "&About ThreatCanvas", win.about)
    for name, icon in TOOLBAR_ICONS.items():
        a[name].setIcon(action_icon(icon))
        if not a[name].toolTip() or a[name].toolTip() == a[name].text().replace("&", ""):
            keys = a[name].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            label = a[name].text().replace("&", "")
            a[name].setToolTip(f"{label} ({keys})" if keys else label)
    return a


def build_menus(win: MainWindow, a: dict[str, QAction]) -> None:
    mb = win.menuBar()

    def menu(title: str, names: list[str | None]) -> QMenu:
        m = mb.addMenu(title)
        for n in names:
            if n is None:
                m.addSeparator()
            else:
                m.addAction(a[n])
        return m

    menu("&File", ["new", "open", None, "save", "save_as", None, "export_png", "export_svg",
                   None, "close", "quit"])
    edit = menu("&Edit", ["undo", "redo", None, "cut", "copy", "paste", "duplicate", "delete",
                          None, "select_all", "rename"])
    edit.addSeparator()
    align = edit.addMenu("A&lign")
    for n in ("align_left", "align_center", "align_right", None, "align_top", "align_middle",
              "align_bottom", None, "distribute_h", "distribute_v"):
        if n is None:
            align.addSeparator()
        else:
            align.addAction(a[n])
    flows = edit.addMenu("&Flow Routing")
    flows.addAction(a["straight"])
    flows.addAction(a["orthogonal"])
    edit.addAction(a["layout"])
    edit.addAction(a["connect"])
    view = menu("&View", ["zoom_in", "zoom_out", "zoom_fit", "zoom_100", None, "snap",
                          None, "present"])
    theme = view.addMenu("&Theme")
    for n in ("theme_system", "theme_light", "theme_dark"):
        theme.addAction(a[n])
    view.addSeparator()
    win.view_menu = view
    menu("&Diagram", ["new_diagram", "rename_diagram", "remove_diagram", None, "next_diagram",
                      "prev_diagram"])
    menu("&Help", ["shortcuts", None, "about"])


def build_toolbar(win: MainWindow, a: dict[str, QAction]) -> QToolBar:
    tb = QToolBar("Main toolbar", win)
    tb.setObjectName("mainToolbar")
    tb.setMovable(False)
    tb.setIconSize(QSize(20, 20))
    for n in ("open", "save", None, "undo", "redo", None, "connect", "layout", None,
              "zoom_out", "zoom_in", "zoom_fit", "zoom_100", None, "snap", None, "present"):
        if n is None:
            tb.addSeparator()
        else:
            tb.addAction(a[n])
    win.addToolBar(tb)
    return tb
