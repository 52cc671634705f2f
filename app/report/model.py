"""The `Report` value: everything an auditor reads, as plain immutable data (no reportlab)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from app.domain import Element, Severity, ThreatState

STRIDE_ORDER: tuple[str, ...] = (
    "Spoofing",
    "Tampering",
    "Repudiation",
    "Information Disclosure",
    "Denial of Service",
    "Elevation of Privilege",
)


@dataclass(frozen=True, slots=True)
class PackInfo:
    """One rule pack the analysis used (or that was switched off), for the appendix."""

    id: str
    name: str
    version: str = ""
    source: str = "built-in"  # "built-in", "project" (imported or custom)
    enabled: bool = True
    rules: int = 0


@dataclass(frozen=True, slots=True)
class AtlasTechnique:
    """An ATLAS technique (or sub-technique) with the tactics it serves."""

    id: str
    name: str
    tactics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AtlasCatalog:
    """The slice of MITRE ATLAS the report needs: tactics in matrix order, techniques by id."""

    version: str = ""
    tactics: tuple[tuple[str, str], ...] = ()
    techniques: Mapping[str, AtlasTechnique] = field(default_factory=dict)

    def technique(self, technique_id: str) -> AtlasTechnique | None:
        """A technique by id; a sub-technique falls back to its parent's tactics."""
        found = self.techniques.get(technique_id)
        parent = self.techniques.get(technique_id.rsplit(".", 1)[0]) if technique_id.count(
            ".") >= 2 else None
        if parent is None:
            return found
        name = f"{parent.name}: {found.name}" if found is not None else parent.name
        tactics = found.tactics if found is not None and found.tactics else parent.tactics
        return AtlasTechnique(technique_id, name, tactics)


@dataclass(frozen=True, slots=True)
class Meta:
    """Cover-page facts."""

    project_name: str
    project_id: str
    version: str
    owner: str
    reviewers: tuple[str, ...]
    contributors: tuple[str, ...]
    date: str
    created: str
    classification: str
    tool_version: str
    model_sha256: str
    source_file: str = ""
    source_sha256: str = ""


@dataclass(frozen=True, slots=True)
class ThreatRow:
    """One line of the threat register."""

    ref: str
    key: str
    title: str
    category: str
    target: str
    element_ids: tuple[str, ...]
    diagram: str
    atlas: tuple[str, ...]
    owasp: tuple[str, ...]
    likelihood: int
    impact: int
    severity: Severity
    state: ThreatState
    applies: bool
    justification: str
    mitigations: tuple[str, ...]
    owner: str
    description: str
    notes: str
    rule_id: str
    pack: str
    origin: str
    path: tuple[str, ...] = ()  # names along an attack path (nodes and flows)
    controls: tuple[str, ...] = ()  # settings that would remove or downgrade the threat
    references: tuple[str, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.applies and self.state.is_open


@dataclass(frozen=True, slots=True)
class ElementRow:
    """One line of the element inventory."""

    id: str
    name: str
    kind: str
    type_id: str
    type_name: str
    diagram: str
    boundaries: tuple[str, ...]
    properties: tuple[tuple[str, str], ...]
    notes: str
    connects: str = ""  # flows: "source → target"
    threats: int = 0


@dataclass(frozen=True, slots=True)
class DiagramView:
    """A diagram to draw: its elements in drawing order, with their bounds."""

    id: str
    name: str
    elements: tuple[Element, ...]
    bounds: tuple[float, float, float, float]  # x, y, width, height in scene units


@dataclass(frozen=True, slots=True)
class TacticColumn:
    """One column of the ATLAS coverage matrix: a tactic and the techniques found under it."""

    id: str
    name: str
    techniques: tuple[tuple[str, str, int], ...]  # (technique id, name, number of threats)


@dataclass(frozen=True, slots=True)
class Summary:
    """Executive-summary figures."""

    total: int
    open: int
    by_severity: tuple[tuple[Severity, int, int], ...]  # severity, all, open
    by_state: tuple[tuple[ThreatState, int], ...]
    heat: tuple[tuple[int, ...], ...]  # heat[likelihood-1][impact-1], threats not ruled out
    by_stride: tuple[tuple[str, int, int], ...]  # category, all, open
    by_tactic: tuple[tuple[str, int], ...]  # tactic name, threats
    top_risks: tuple[ThreatRow, ...]


@dataclass(frozen=True, slots=True)
class ValidationRow:
    """One validation message with the names of the elements it concerns."""

    level: str
    code: str
    message: str
    where: str


@dataclass(frozen=True, slots=True)
class Report:
    """The whole report, built purely from a project and its analysis results."""

    meta: Meta
    description: str
    scope: str
    assumptions: tuple[str, ...]
    dependencies: tuple[str, ...]
    summary: Summary
    diagrams: tuple[DiagramView, ...]
    elements: tuple[ElementRow, ...]
    threats: tuple[ThreatRow, ...]
    atlas: tuple[TacticColumn, ...]
    atlas_version: str
    unmapped_atlas: tuple[str, ...]
    validation: tuple[ValidationRow, ...]
    packs: tuple[PackInfo, ...]
    icons: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    type_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def mitigation_plan(self) -> tuple[ThreatRow, ...]:
        """Open threats, most severe first: what still needs doing and by whom."""
        return tuple(t for t in self.threats if t.is_open)

    @property
    def ruled_out(self) -> tuple[ThreatRow, ...]:
        """Threats marked not applicable or accepted, which must carry a justification."""
        return tuple(
            t for t in self.threats
            if t.applies and t.state in (ThreatState.NOT_APPLICABLE, ThreatState.ACCEPTED)
        )

    @property
    def stale(self) -> tuple[ThreatRow, ...]:
        """Threats triaged earlier whose rule no longer matches the model."""
        return tuple(t for t in self.threats if not t.applies)
