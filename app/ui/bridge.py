"""The one place where domain events become Qt signals; every view listens here."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.domain import Project
from app.domain import events as ev


class ModelBridge(QObject):
    """Subscribes to a project's observer and re-emits each event as a typed Qt signal."""

    sig_element_added = Signal(str, str)  # diagram id, element id
    sig_element_removed = Signal(str, str)
    sig_element_changed = Signal(str, str)  # moved, renamed, property, notes, reconnected
    sig_diagram_added = Signal(str, int)
    sig_diagram_removed = Signal(str, int)
    sig_diagram_renamed = Signal(str, str)
    sig_diagram_moved = Signal(str, int, int)
    sig_threats_changed = Signal()
    sig_project_changed = Signal(str)  # info field or settings
    sig_model_changed = Signal()  # anything the analysis depends on

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._unsubscribe = project.subscribe(self._on_event)

    def detach(self) -> None:
        """Stop listening (the window is closing or the project is replaced)."""
        self._unsubscribe()

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.ElementAdded):
            self.sig_element_added.emit(event.diagram_id, event.element_id)
        elif isinstance(event, ev.ElementRemoved):
            self.sig_element_removed.emit(event.diagram_id, event.element_id)
        elif isinstance(event, ev.ElementEvent):
            self.sig_element_changed.emit(event.diagram_id, event.element_id)
        elif isinstance(event, ev.DiagramAdded):
            self.sig_diagram_added.emit(event.diagram_id, event.index)
        elif isinstance(event, ev.DiagramRemoved):
            self.sig_diagram_removed.emit(event.diagram_id, event.index)
        elif isinstance(event, ev.DiagramRenamed):
            self.sig_diagram_renamed.emit(event.diagram_id, event.new)
        elif isinstance(event, ev.DiagramMoved):
            self.sig_diagram_moved.emit(event.diagram_id, event.old_index, event.new_index)
        elif isinstance(event, ev.ThreatRecordChanged | ev.ThreatRecordRemoved | ev.TriageChanged):
            self.sig_threats_changed.emit()
        elif isinstance(event, ev.ProjectInfoChanged):
            self.sig_project_changed.emit(event.field)
        elif isinstance(event, ev.ProjectSettingsChanged):
            self.sig_project_changed.emit(event.what)
        self.sig_model_changed.emit()
