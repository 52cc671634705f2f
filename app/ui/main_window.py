"""The main window: wires the canvas tabs, docks, status bar, menus and actions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QUndoView, QWidget

import app
from app.catalog import resources_dir
from app.domain import Diagram, Project
from app.ui import window_ops
from app.ui.actions import build_actions, build_menus, build_toolbar
from app.ui.analysis import AnalysisRunner, resolve_analyzer
from app.ui.bridge import ModelBridge
from app.ui.minimap import MiniMapPanel
from app.ui.palette import PalettePanel
from app.ui.properties import PropertiesPanel
from app.ui.scene import DiagramScene
from app.ui.status import StatusPanel
from app.ui.stencil_library import StencilLibrary
from app.ui.tabs import DiagramTabs
from app.ui.theme import make_theme
from app.ui.threat_popup import ThreatPopup
from app.ui.undo import UndoController
from app.ui.view import CanvasView

_DEFAULT = object()


def new_project() -> Project:
    """A fresh project with one empty diagram."""
    p = Project("Untitled threat model")
    p.add_diagram(Diagram("Main"))
    return p


class MainWindow(QMainWindow):
    """One open project. Behaviour lives in the panels, gestures and window_ops."""

    def __init__(self, project: Project | None = None, path: str | Path | None = None,
                 analyze: object = _DEFAULT, library: StencilLibrary | None = None) -> None:
        super().__init__()
        self.project = project or new_project()
        self.path: Path | None = Path(path) if path else None
        self.ask_before_close = True
        self.children_windows: list[MainWindow] = []
        self.theme_mode = "system"
        self.theme = make_theme()
        self._system_palette = QApplication.palette()
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._system_scheme_changed)
        self.snap_enabled = True
        self.presenting = False
        self._saved_state: tuple[bytes, bool] | None = None
        self.library = library or StencilLibrary()
        self.bridge = ModelBridge(self.project, self)
        self.undo = UndoController(self)
        self.undo.sig_failed.connect(self.show_message)
        self.analysis = AnalysisRunner(
            self.project, resolve_analyzer() if analyze is _DEFAULT else analyze,  # type: ignore
            parent=self)
        self.analysis.sig_findings.connect(self._apply_findings)
        self.analysis.sig_failed.connect(self.show_message)
        b = self.bridge
        for sig in (b.sig_element_added, b.sig_element_removed, b.sig_element_changed):
            sig.connect(self._element_edited)
        for sig in (b.sig_diagram_added, b.sig_diagram_removed, b.sig_threats_changed,
                    b.sig_project_changed):
            sig.connect(self._model_edited)
        self.bridge.sig_model_changed.connect(self._update_status)
        self.setWindowIcon(QIcon(str(resources_dir() / "icons" / "app.svg")))
        self.setDockNestingEnabled(True)
        self.tabs = DiagramTabs(self.project, self.bridge, self.undo, self._make_view, self)
        self.setCentralWidget(self.tabs)
        self._build_docks()
        self.status = StatusPanel(self)
        self.actions_by_name = build_actions(self)
        build_menus(self, self.actions_by_name)
        self.toolbar = build_toolbar(self, self.actions_by_name)
        for dock in (self.palette_dock, self.properties_dock, self.history_dock,
                     self.overview_dock):
            self.view_menu.addAction(dock.toggleViewAction())
        self.undo.stack.cleanChanged.connect(self._update_title)
        self.tabs.sig_view_changed.connect(self._view_changed)
        self._view_changed(self.tabs.current_view())
        self._update_title()
        self.resize(1400, 880)
        if self.library.error:
            self.statusBar().showMessage(f"Stencils: {self.library.error}", 10000)
        from app.ui.workflow import Workflow  # threats, validation, ATLAS, autosave

        self.workflow = Workflow(self)
        self.analysis.schedule()
        QTimer.singleShot(0, window_ops.settle_gc)  # once shown: see window_ops.settle_gc

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _element_edited(self, _diagram_id: str, element_id: str) -> None:
        self.analysis.schedule(element_id)

    def _model_edited(self, *_args: object) -> None:
        self.analysis.schedule()

    # -- construction --------------------------------------------------------------------
    def _dock(self, title: str, name: str, widget: QWidget,
              area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.palette = PalettePanel(self.library)
        self.palette.sig_place_requested.connect(self._place_mode)
        self.palette.sig_insert_requested.connect(self._insert_at_centre)
        self.palette_dock = self._dock("Stencils", "paletteDock", self.palette, left)
        self.properties = PropertiesPanel(self.bridge)
        self.properties_dock = self._dock("Properties", "propertiesDock", self.properties, right)
        self.history = QUndoView(self.undo.stack)
        self.history.setEmptyLabel("Opened")
        self.history_dock = self._dock("History", "historyDock", self.history, right)
        self.overview = MiniMapPanel()
        self.overview_dock = self._dock("Overview", "overviewDock", self.overview, left)
        self.resizeDocks([self.palette_dock, self.properties_dock], [250, 300],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.palette_dock, self.overview_dock], [600, 180],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.properties_dock, self.history_dock], [560, 220],
                         Qt.Orientation.Vertical)

    def _make_view(self, diagram_id: str) -> CanvasView:
        scene = DiagramScene(self.project, diagram_id, self.bridge, self.undo, self.library,
                             self.theme)
        scene.snap_enabled = self.snap_enabled
        scene.set_badges(dict(self.analysis.badges))
        scene.sig_badge_clicked.connect(self.show_threats)
        scene.sig_mode_changed.connect(self._mode_changed)
        scene.selectionChanged.connect(self._update_status)
        scene.sig_context_menu.connect(self._context_menu)
        view = CanvasView(scene)
        view.sig_zoom_changed.connect(self._update_status)
        return view

    # -- current canvas ------------------------------------------------------------------
    def current_view(self) -> CanvasView | None:
        return self.tabs.current_view()

    def current_scene(self) -> DiagramScene | None:
        v = self.current_view()
        return v.canvas if v is not None else None

    def scenes(self) -> list[DiagramScene]:
        return [v.canvas for v in self.tabs.views.values()]

    def _view_changed(self, view: CanvasView | None) -> None:
        self.properties.set_scene(view.canvas if view else None)
        self.overview.set_view(view)
        if view is not None:
            view.setFocus()
            a = self.actions_by_name.get("connect") if hasattr(self, "actions_by_name") else None
            if a is not None:
                view.canvas.set_connect_mode(a.isChecked())
        self._update_status()

    def _update_status(self, *_args: object) -> None:
        if hasattr(self, "status"):
            self.status.refresh()

    def _update_title(self, *_args: object) -> None:
        name = self.path.name if self.path else self.project.name
        self.setWindowTitle(f"{name}[*] — ThreatCanvas {app.__version__}")
        self.setWindowModified(not self.undo.stack.isClean())

    # -- palette, modes and in-place actions ---------------------------------------------
    def _place_mode(self, stencil_id: str) -> None:
        sc = self.current_scene()
        if sc is not None:
            sc.set_place_stencil(stencil_id)
            self.statusBar().showMessage("Click on the canvas to place it (Esc cancels)", 4000)

    def _insert_at_centre(self, stencil_id: str) -> None:
        v = self.current_view()
        if v is not None:
            v.canvas.set_place_stencil(None)
            v.setFocus()
            v.canvas.add_stencil_at(stencil_id, v.mapToScene(v.viewport().rect().center()),
                                    rename=True)

    def _mode_changed(self) -> None:
        sc = self.current_scene()
        a = self.actions_by_name["connect"]
        if sc is not None and a.isChecked() != sc.connect_mode:
            a.blockSignals(True)
            a.setChecked(sc.connect_mode)
            a.blockSignals(False)
        if sc is not None:
            v = self.current_view()
            cursor = Qt.CursorShape.CrossCursor if (sc.connect_mode or sc.place_stencil) \
                else Qt.CursorShape.ArrowCursor
            if v is not None:
                v.viewport().setCursor(cursor)

    def set_connect_mode(self, on: bool) -> None:
        sc = self.current_scene()
        if sc is not None:
            sc.set_connect_mode(on)

    def rename_selected(self) -> None:
        v = self.current_view()
        if v is not None and len(v.canvas.selected_ids()) == 1:
            v.start_rename(v.canvas.selected_ids()[0])

    def _context_menu(self, pos: QPoint) -> None:
        window_ops.context_menu(self, pos)

    # -- threats -------------------------------------------------------------------------
    def _apply_findings(self, _findings: object) -> None:
        for sc in self.scenes():
            sc.set_badges(dict(self.analysis.badges))
        self._update_status()

    def show_threats(self, element_id: str, pos: QPoint) -> ThreatPopup:
        sc = self.current_scene()
        name = sc.diagram.get(element_id).name if sc and element_id in sc.diagram else ""
        popup = ThreatPopup(name or "Element", self.analysis.findings_for(element_id), self)
        popup.show_at(pos)
        self._popup = popup
        return popup

    # -- view ----------------------------------------------------------------------------
    def zoom_by(self, f: float) -> None:
        v = self.current_view()
        if v is not None:
            v.zoom_by(f)

    def zoom_to_fit(self) -> None:
        v = self.current_view()
        if v is not None:
            v.zoom_to_fit()

    def zoom_to_100(self) -> None:
        v = self.current_view()
        if v is not None:
            v.zoom_to_100()

    def set_snap(self, on: bool) -> None:
        self.snap_enabled = on
        for sc in self.scenes():
            sc.snap_enabled = on

    def set_theme_mode(self, mode: str) -> None:
        from app.ui.style import set_palette_mode

        qapp = QApplication.instance()
        if isinstance(qapp, QApplication):
            set_palette_mode(qapp, mode, self._system_palette)
        self.theme_mode = mode
        dark = None if mode == "system" else mode == "dark"
        self.theme = make_theme(dark).with_label_scale(self.theme.label_scale)
        for sc in self.scenes():
            sc.set_theme(self.theme)
        self.overview.render_scene()

    def _system_scheme_changed(self, *_args: object) -> None:
        """The OS switched between light and dark: follow it unless the user chose."""
        if self.theme_mode == "system":
            self._system_palette = QApplication.palette()
            self.set_theme_mode("system")

    def toggle_presentation(self) -> None:
        window_ops.toggle_presentation(self)

    def cycle_diagram(self, step: int) -> None:
        n = self.tabs.count()
        if n:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % n)

    def rename_diagram_dialog(self) -> None:
        self.tabs._rename_dialog(self.tabs.currentIndex())

    def remove_current_diagram(self) -> None:
        sc = self.current_scene()
        if sc is not None:
            self.tabs.remove_diagram(sc.diagram_id)

    # -- files and windows (window_ops does the work) ------------------------------------
    def new_window(self, project: Project | None = None, path: Path | None = None) -> MainWindow:
        w = MainWindow(project, path, library=self.library)
        self.children_windows.append(w)
        w.show()
        return w

    def open_dialog(self) -> None:
        window_ops.open_dialog(self)

    def open_file(self, path: str | Path) -> MainWindow | None:
        return window_ops.open_file(self, path)

    def save(self) -> bool:
        return window_ops.save(self)

    def save_as_dialog(self) -> bool:
        return window_ops.save_as_dialog(self)

    def save_to(self, path: str | Path) -> bool:
        return window_ops.save_to(self, path)

    def export_dialog(self, fmt: str) -> None:
        window_ops.export_dialog(self, fmt)

    def about(self) -> None:
        window_ops.about(self)

    def quit_all(self) -> None:
        QApplication.closeAllWindows()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.workflow.before_close()
        if self.ask_before_close and not window_ops.confirm_discard(self):
            event.ignore()
            return
        self.workflow.shutdown()
        self.analysis.shutdown()
        self.bridge.detach()
        window_ops.release_gc()
        event.accept()
