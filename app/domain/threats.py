"""Threat values: states, risk and severity, the analyst's triage, stored and computed threats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class ThreatState(StrEnum):
    """Where the analyst's triage of a threat stands."""

    NOT_STARTED = "not_started"
    NEEDS_INVESTIGATION = "needs_investigation"
    MITIGATED = "mitigated"
    NOT_APPLICABLE = "not_applicable"
    ACCEPTED = "accepted_risk"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Open threats still need action: not started or needing investigation."""
        return self in (ThreatState.NOT_STARTED, ThreatState.NEEDS_INVESTIGATION)


_STATE_LABELS = {
    ThreatState.NOT_STARTED: "Not started",
    ThreatState.NEEDS_INVESTIGATION: "Needs investigation",
    ThreatState.MITIGATED: "Mitigated",
    ThreatState.NOT_APPLICABLE: "Not applicable",
    ThreatState.ACCEPTED: "Accepted risk",
}


class Severity(StrEnum):
    """Severity derived from likelihood × impact; ordered by `rank`."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """4 for critical down to 1 for low, so severities sort and compare."""
        return {"critical": 4, "high": 3, "medium": 2, "low": 1}[self.value]

    @property
    def label(self) -> str:
        return self.value.capitalize()


def clamp_level(value: int) -> int:
    """Likelihood and impact are levels 1 (lowest) to 5 (highest)."""
    return max(1, min(5, int(value)))


def severity_for(likelihood: int, impact: int) -> Severity:
    """OWASP-risk-rating style: the product of two 1–5 levels, banded into four severities."""
    score = clamp_level(likelihood) * clamp_level(impact)
    if score >= 20:
        return Severity.CRITICAL
    if score >= 12:
        return Severity.HIGH
    if score >= 6:
        return Severity.MEDIUM
    return Severity.LOW


def threat_key(rule_id: str, element_ids: Sequence[str]) -> str:
    """The stable key of a threat: its rule id and the ids of the elements it concerns."""
    return rule_id + "@" + ",".join(element_ids)


@dataclass(frozen=True, slots=True)
class MitigationItem:
    """One line of a threat's mitigation checklist."""

    text: str
    source: str = "custom"  # "rule", "atlas" or "custom"
    ref: str = ""  # e.g. an ATLAS mitigation id such as AML.M0015
    done: bool = False


@dataclass(frozen=True, slots=True)
class Triage:
    """The analyst's decisions about one threat; the only part of a finding that is stored."""

    state: ThreatState = ThreatState.NOT_STARTED
    justification: str = ""
    likelihood: int | None = None
    impact: int | None = None
    mitigations: tuple[MitigationItem, ...] = ()
    owner: str = ""
    notes: str = ""
    modified: str = ""

    @property
    def is_default(self) -> bool:
        """True when nothing was decided: such a triage need not be stored."""
        return self == Triage(modified=self.modified)


@dataclass(frozen=True, slots=True)
class ThreatRecord:
    """A threat stored in the project: added by hand, or imported with its text (e.g. TMT)."""

    key: str
    title: str
    category: str = ""
    description: str = ""
    element_ids: tuple[str, ...] = ()
    diagram_id: str = ""
    rule_id: str = ""
    pack: str = ""
    origin: str = "custom"  # "custom" or "imported"
    likelihood: int = 3
    impact: int = 3
    atlas: tuple[str, ...] = ()
    owasp: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return severity_for(self.likelihood, self.impact)


@dataclass(frozen=True, slots=True)
class Finding:
    """A threat the engine found (or a stored one presented alike), with triage merged in."""

    key: str
    rule_id: str
    pack: str
    title: str
    category: str
    element_ids: tuple[str, ...]
    diagram_id: str
    likelihood: int
    impact: int
    description: str = ""
    atlas: tuple[str, ...] = ()
    atlas_mitigations: tuple[str, ...] = ()
    owasp: tuple[str, ...] = ()
    mitigations: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()  # controls that would remove or downgrade this threat
    path: tuple[str, ...] = ()  # element ids of an attack path, for path findings
    state: ThreatState = ThreatState.NOT_STARTED
    applies: bool = True  # False: triaged earlier, but the rule no longer matches
    origin: str = "engine"  # "engine", "custom" or "imported"

    @property
    def severity(self) -> Severity:
        return severity_for(self.likelihood, self.impact)

    @property
    def is_open(self) -> bool:
        return self.applies and self.state.is_open


@dataclass(frozen=True, slots=True)
class ValidationMessage:
    """One diagram-lint message: what is wrong (or odd), where, and how serious."""

    code: str  # stable id, e.g. "unconnected-element"
    level: str  # "error", "warning" or "info"
    message: str
    element_ids: tuple[str, ...] = ()
    diagram_id: str = ""
