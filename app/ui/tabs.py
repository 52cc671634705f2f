"""Diagram tabs: one canvas per diagram; add, rename, reorder and remove as commands."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QInputDialog, QTabWidget, QToolButton, QWidget

from app.commands import AddDiagram, MoveDiagram, RemoveDiagram, RenameDiagram
from app.domain import Diagram, Project
from app.ui.bridge import ModelBridge
from app.ui.undo import UndoController
from app.ui.view import CanvasView


class DiagramTabs(QTabWidget):
    """Tabs mirror the project's diagram list; user changes become undoable commands."""

    sig_view_changed = Signal(object)  # CanvasView or None

    def __init__(self, project: Project, bridge: ModelBridge, undo: UndoController,
                 make_view: Callable[[str], CanvasView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo = undo
        self.make_view = make_view
        self.views: dict[str, CanvasView] = {}
        self._syncing = False
        self.setDocumentMode(True)
        self.setMovable(True)
        self.setTabsClosable(True)
        self.setObjectName("diagramTabs")
        add = QToolButton()
        add.setText("+")
        add.setToolTip("New diagram")
        add.setAutoRaise(True)
        add.clicked.connect(self.add_diagram)
        self.add_button = add
        self.setCornerWidget(add)
        bridge.sig_diagram_added.connect(self._on_added)
        bridge.sig_diagram_removed.connect(self._on_removed)
        bridge.sig_diagram_renamed.connect(self._on_renamed)
        bridge.sig_diagram_moved.connect(self._on_moved)
        self.tabBar().tabMoved.connect(self._tab_moved)
        self.tabCloseRequested.connect(self._close_requested)
        self.tabBarDoubleClicked.connect(self._rename_dialog)
        self.currentChanged.connect(self._current_changed)
        for i, d in enumerate(project.diagrams):
            self._on_added(d.id, i)

    def _current_changed(self, _index: int) -> None:
        self.sig_view_changed.emit(self.current_view())

    def current_view(self) -> CanvasView | None:
        w = self.currentWidget()
        return w if isinstance(w, CanvasView) else None

    def diagram_id_at(self, index: int) -> str:
        w = self.widget(index)
        assert isinstance(w, CanvasView)
        return w.canvas.diagram_id

    def show_diagram(self, diagram_id: str) -> None:
        if diagram_id in self.views:
            self.setCurrentWidget(self.views[diagram_id])

    # -- user actions --------------------------------------------------------------------
    def add_diagram(self) -> str:
        names = {d.name for d in self.project.diagrams}
        n = len(self.project.diagrams) + 1
        while f"Diagram {n}" in names:
            n += 1
        d = Diagram(f"Diagram {n}")
        self.undo.push(AddDiagram(self.project, d))
        self.show_diagram(d.id)
        return d.id

    def rename_diagram(self, diagram_id: str, name: str) -> None:
        name = name.strip()
        if name and name != self.project.diagram(diagram_id).name:
            self.undo.push(RenameDiagram(self.project, diagram_id, name))

    def remove_diagram(self, diagram_id: str) -> bool:
        if len(self.project.diagrams) <= 1:
            return False
        return self.undo.push(RemoveDiagram(self.project, diagram_id))

    def _rename_dialog(self, index: int) -> None:
        if index < 0:
            return
        did = self.diagram_id_at(index)
        name, ok = QInputDialog.getText(self, "Rename diagram", "Name:",
                                        text=self.project.diagram(did).name)
        if ok:
            self.rename_diagram(did, name)

    def _close_requested(self, index: int) -> None:
        self.remove_diagram(self.diagram_id_at(index))

    def _tab_moved(self, _from: int, to: int) -> None:
        if self._syncing:
            return
        did = self.diagram_id_at(to)
        if self.project.diagrams[to].id != did:
            self._syncing = True
            try:
                self.undo.push(MoveDiagram(self.project, did, to))
            finally:
                self._syncing = False

    # -- following the model -------------------------------------------------------------
    def _on_added(self, diagram_id: str, index: int) -> None:
        view = self.make_view(diagram_id)
        self.views[diagram_id] = view
        self.insertTab(index, view, self.project.diagram(diagram_id).name)

    def _on_removed(self, diagram_id: str, _index: int) -> None:
        view = self.views.pop(diagram_id, None)
        if view is None:
            return
        self.removeTab(self.indexOf(view))
        view.canvas.clearSelection()
        view.deleteLater()

    def _on_renamed(self, diagram_id: str, name: str) -> None:
        view = self.views.get(diagram_id)
        if view is not None:
            self.setTabText(self.indexOf(view), name)

    def _on_moved(self, diagram_id: str, _old: int, new: int) -> None:
        view = self.views.get(diagram_id)
        if view is None or self._syncing:
            return
        current = self.indexOf(view)
        if current != new:
            self._syncing = True
            try:
                self.tabBar().moveTab(current, new)
            finally:
                self._syncing = False
