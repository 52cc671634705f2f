"""Past-tense events the model emits after each change, and the tiny observer behind them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every model event."""


@dataclass(frozen=True, slots=True)
class ProjectInfoChanged(Event):
    """A project metadata field (name, owner, scope, …) changed."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class ProjectSettingsChanged(Event):
    """Enabled rule packs or the project's own rule packs changed."""

    what: str


@dataclass(frozen=True, slots=True)
class DiagramAdded(Event):
    diagram_id: str
    index: int


@dataclass(frozen=True, slots=True)
class DiagramRemoved(Event):
    diagram_id: str
    index: int


@dataclass(frozen=True, slots=True)
class DiagramRenamed(Event):
    diagram_id: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class DiagramMoved(Event):
    diagram_id: str
    old_index: int
    new_index: int


@dataclass(frozen=True, slots=True)
class ElementEvent(Event):
    """Base of events about one element; consumers that only re-read can match on it."""

    diagram_id: str
    element_id: str


@dataclass(frozen=True, slots=True)
class ElementAdded(ElementEvent):
    pass


@dataclass(frozen=True, slots=True)
class ElementRemoved(ElementEvent):
    pass


@dataclass(frozen=True, slots=True)
class ElementMoved(ElementEvent):
    """Geometry changed: position, size, waypoints, label position, routing or line points."""


@dataclass(frozen=True, slots=True)
class ElementRenamed(ElementEvent):
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class PropertyChanged(ElementEvent):
    key: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class NotesChanged(ElementEvent):
    pass


@dataclass(frozen=True, slots=True)
class FlowReconnected(ElementEvent):
    """A flow's source or target changed."""


@dataclass(frozen=True, slots=True)
class ElementReplaced(ElementEvent):
    """Several fields changed at once (type change, undo of a compound edit)."""


@dataclass(frozen=True, slots=True)
class ThreatRecordChanged(Event):
    """A custom or imported threat was added or edited."""

    key: str


@dataclass(frozen=True, slots=True)
class ThreatRecordRemoved(Event):
    key: str


@dataclass(frozen=True, slots=True)
class TriageChanged(Event):
    """The analyst's triage of one threat changed (or was cleared)."""

    key: str


Listener = Callable[[Event], None]


class Observable:
    """Keeps listeners and calls each with every emitted event, in subscription order."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Register `listener`; returns a function that unsubscribes it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: Event) -> None:
        for listener in list(self._listeners):
            listener(event)
