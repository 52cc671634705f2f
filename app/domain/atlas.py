"""MITRE ATLAS reference data as plain values: technique, tactic and mitigation names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class AtlasTactic:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class AtlasTechnique:
    """A technique or sub-technique (`parent` set); sub-techniques share the parent's
    tactics."""

    id: str
    name: str
    tactics: tuple[str, ...] = ()
    parent: str = ""


@dataclass(frozen=True, slots=True)
class AtlasMitigation:
    id: str
    name: str
    techniques: tuple[str, ...] = ()


@dataclass(frozen=True)
class AtlasCatalog:
    """One ATLAS release: look up names, tactics and mitigations by id."""

    version: str = ""
    tactics: Mapping[str, AtlasTactic] = field(default_factory=dict)
    techniques: Mapping[str, AtlasTechnique] = field(default_factory=dict)
    mitigations: Mapping[str, AtlasMitigation] = field(default_factory=dict)

    def __contains__(self, atlas_id: object) -> bool:
        return atlas_id in self.techniques or atlas_id in self.mitigations or (
            atlas_id in self.tactics)

    def name(self, atlas_id: str) -> str:
        """The name of a technique, mitigation or tactic ('' when unknown)."""
        for table in (self.techniques, self.mitigations, self.tactics):
            item = table.get(atlas_id)
            if item is not None:
                return item.name
        return ""

    def tactics_of(self, technique_id: str) -> tuple[AtlasTactic, ...]:
        """The tactics a technique serves (a sub-technique's come from its parent)."""
        t = self.techniques.get(technique_id)
        if t is None:
            return ()
        ids = t.tactics or (self.techniques[t.parent].tactics
                            if t.parent in self.techniques else ())
        return tuple(self.tactics[i] for i in ids if i in self.tactics)

    def mitigations_for(self, technique_id: str) -> tuple[AtlasMitigation, ...]:
        """Mitigations that list the technique (or, for a sub-technique, its parent)."""
        parent = self.techniques[technique_id].parent if technique_id in self.techniques else ""
        return tuple(m for m in self.mitigations.values()
                     if technique_id in m.techniques or (parent and parent in m.techniques))

    def unknown(self, ids: tuple[str, ...] | list[str]) -> list[str]:
        """The ids this release does not define."""
        return [i for i in ids if i not in self]
