"""The project: metadata, diagrams in order, stored threats and triage, rule-pack settings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from app.domain import events as ev
from app.domain.diagram import Diagram
from app.domain.elements import Element, ElementKind, new_id
from app.domain.errors import DomainError, UnknownDiagramError
from app.domain.threats import ThreatRecord, Triage

#: Metadata fields a user edits, with their value type (str or list of str).
INFO_FIELDS: dict[str, type] = {
    "name": str,
    "description": str,
    "owner": str,
    "reviewers": list,
    "contributors": list,
    "version": str,
    "scope": str,
    "assumptions": list,
    "external_dependencies": list,
    "classification": str,
}


def now_iso() -> str:
    """The current UTC time as an ISO-8601 string with second precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Project(ev.Observable):
    """A threat model: what the analyst draws, decides and carries around as one file."""

    def __init__(self, name: str = "Untitled project", project_id: str | None = None) -> None:
        super().__init__()
        self.id: str = project_id or new_id()
        self.name: str = name
        self.description: str = ""
        self.owner: str = ""
        self.reviewers: list[str] = []
        self.contributors: list[str] = []
        self.version: str = "1.0"
        self.scope: str = ""
        self.assumptions: list[str] = []
        self.external_dependencies: list[str] = []
        self.classification: str = "Internal"
        self.created: str = now_iso()
        self.modified: str = self.created
        self._diagrams: list[Diagram] = []
        self._threats: dict[str, ThreatRecord] = {}
        self._triage: dict[str, Triage] = {}
        #: Rule packs that travel with the project (imported from TMT, custom rules), as
        #: plain data in the rule-pack document format: pack id → document.
        self.rule_packs: dict[str, dict[str, Any]] = {}
        #: Ids of rule packs switched off for this project.
        self.disabled_packs: set[str] = set()

    # -- metadata ------------------------------------------------------------------------
    def set_info(self, field_name: str, value: Any) -> Any:
        """Change one metadata field; returns the old value."""
        kind = INFO_FIELDS.get(field_name)
        if kind is None:
            raise DomainError(f"unknown project field {field_name!r}")
        if kind is list:
            value = [str(v) for v in value]
        elif not isinstance(value, str):
            raise DomainError(f"project field {field_name!r} takes text")
        old = getattr(self, field_name)
        setattr(self, field_name, value)
        self.emit(ev.ProjectInfoChanged(field_name, old, value))
        return old

    def info(self) -> dict[str, Any]:
        """All metadata as plain data (lists copied)."""
        out: dict[str, Any] = {}
        for k, kind in INFO_FIELDS.items():
            v = getattr(self, k)
            out[k] = list(v) if kind is list else v
        out["created"] = self.created
        out["modified"] = self.modified
        return out

    def emit(self, event: ev.Event) -> None:
        super().emit(event)

    def touch(self) -> None:
        """Record that the project was modified now."""
        self.modified = now_iso()

    # -- diagrams ------------------------------------------------------------------------
    @property
    def diagrams(self) -> tuple[Diagram, ...]:
        return tuple(self._diagrams)

    def diagram(self, diagram_id: str) -> Diagram:
        for d in self._diagrams:
            if d.id == diagram_id:
                return d
        raise UnknownDiagramError(f"no diagram {diagram_id!r} in project {self.name!r}")

    def add_diagram(self, diagram: Diagram, index: int | None = None) -> None:
        if any(d.id == diagram.id for d in self._diagrams):
            raise DomainError(f"a diagram with id {diagram.id!r} is already in the project")
        index = len(self._diagrams) if index is None else max(0, min(index, len(self._diagrams)))
        self._diagrams.insert(index, diagram)
        diagram._emit = self.emit
        self.emit(ev.DiagramAdded(diagram.id, index))

    def remove_diagram(self, diagram_id: str) -> tuple[int, Diagram]:
        d = self.diagram(diagram_id)
        index = self._diagrams.index(d)
        del self._diagrams[index]
        d._emit = lambda _e: None
        self.emit(ev.DiagramRemoved(diagram_id, index))
        return index, d

    def rename_diagram(self, diagram_id: str, name: str) -> str:
        d = self.diagram(diagram_id)
        old = d.name
        d.name = name
        self.emit(ev.DiagramRenamed(diagram_id, old, name))
        return old

    def move_diagram(self, diagram_id: str, new_index: int) -> int:
        d = self.diagram(diagram_id)
        old = self._diagrams.index(d)
        new_index = max(0, min(new_index, len(self._diagrams) - 1))
        del self._diagrams[old]
        self._diagrams.insert(new_index, d)
        self.emit(ev.DiagramMoved(diagram_id, old, new_index))
        return old

    def find_element(self, element_id: str) -> tuple[Diagram, Element] | None:
        """The diagram holding an element id, and the element; None when absent."""
        for d in self._diagrams:
            e = d.elements.get(element_id)
            if e is not None:
                return d, e
        return None

    def iter_elements(self) -> Iterator[tuple[Diagram, Element]]:
        for d in self._diagrams:
            for e in d:
                yield d, e

    # -- stored threats and triage -------------------------------------------------------
    @property
    def threats(self) -> Mapping[str, ThreatRecord]:
        """Custom and imported threats by key (engine findings are recomputed, not stored)."""
        return MappingProxyType(self._threats)

    @property
    def triage(self) -> Mapping[str, Triage]:
        """The analyst's triage by threat key."""
        return MappingProxyType(self._triage)

    def put_threat(self, record: ThreatRecord) -> ThreatRecord | None:
        old = self._threats.get(record.key)
        self._threats[record.key] = record
        self.emit(ev.ThreatRecordChanged(record.key))
        return old

    def remove_threat(self, key: str) -> ThreatRecord | None:
        old = self._threats.pop(key, None)
        if old is not None:
            self.emit(ev.ThreatRecordRemoved(key))
        return old

    def set_triage(self, key: str, triage: Triage | None) -> Triage | None:
        """Store (or with None, clear) the triage of a threat; returns the old one."""
        old = self._triage.get(key)
        if triage is None:
            self._triage.pop(key, None)
        else:
            self._triage[key] = triage
        self.emit(ev.TriageChanged(key))
        return old

    # -- rule-pack settings --------------------------------------------------------------
    def set_pack_enabled(self, pack_id: str, enabled: bool) -> bool:
        was = pack_id not in self.disabled_packs
        if enabled:
            self.disabled_packs.discard(pack_id)
        else:
            self.disabled_packs.add(pack_id)
        self.emit(ev.ProjectSettingsChanged("disabled_packs"))
        return was

    def put_rule_pack(self, pack_id: str, document: dict[str, Any] | None) -> dict | None:
        old = self.rule_packs.get(pack_id)
        if document is None:
            self.rule_packs.pop(pack_id, None)
        else:
            self.rule_packs[pack_id] = document
        self.emit(ev.ProjectSettingsChanged("rule_packs"))
        return old

    # -- analysis input ------------------------------------------------------------------
    def snapshot(self) -> ProjectSnapshot:
        """An immutable view for the background engine; cheap, as elements are values."""
        return ProjectSnapshot(
            project_id=self.id,
            name=self.name,
            diagrams=tuple(
                DiagramSnapshot(d.id, d.name, MappingProxyType(dict(d.elements)))
                for d in self._diagrams
            ),
            rule_packs=MappingProxyType(dict(self.rule_packs)),
            disabled_packs=frozenset(self.disabled_packs),
            threats=MappingProxyType(dict(self._threats)),
            triage=MappingProxyType(dict(self._triage)),
        )

    def counts(self) -> dict[str, Any]:
        """Element, flow, boundary and threat counts (the shape `info --json` prints)."""
        kinds = {k: 0 for k in ("external_entity", "process", "data_store", "annotation")}
        flows = 0
        boxes = 0
        lines = 0
        for _, e in self.iter_elements():
            if e.kind is ElementKind.DATA_FLOW:
                flows += 1
            elif e.kind is ElementKind.BOUNDARY_BOX:
                boxes += 1
            elif e.kind is ElementKind.BOUNDARY_LINE:
                lines += 1
            else:
                kinds[e.kind.value] += 1
        by_state: dict[str, int] = {}
        for key in self._threats:
            state = self._triage.get(key, Triage()).state.value
            by_state[state] = by_state.get(state, 0) + 1
        return {
            "diagrams": len(self._diagrams),
            "elements": kinds,
            "flows": flows,
            "boundaries": {"box": boxes, "line": lines},
            "threats": {"total": len(self._threats), "by_state": dict(sorted(by_state.items()))},
        }


@dataclass(frozen=True, slots=True)
class DiagramSnapshot:
    """A frozen copy of one diagram's elements."""

    id: str
    name: str
    elements: Mapping[str, Element]


@dataclass(frozen=True, slots=True)
class ProjectSnapshot:
    """What the engine analyses: frozen diagrams plus the project's rule-pack settings."""

    project_id: str
    name: str
    diagrams: tuple[DiagramSnapshot, ...]
    rule_packs: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    disabled_packs: frozenset[str] = frozenset()
    threats: Mapping[str, ThreatRecord] = field(default_factory=dict)
    triage: Mapping[str, Triage] = field(default_factory=dict)
