"""The engine's entry points: `analyze` (one full run) and `Analyzer`, which keeps the last
result and re-evaluates only what an edit can affect."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain, repeat
from typing import Any

from app.domain import Finding, ProjectSnapshot, TypeHierarchy
from app.engine.delta import apply_changes
from app.engine.evaluate import RuleIndex, subject_findings
from app.engine.facts import Defaults, ModelFacts
from app.engine.merge import finish
from app.engine.packs import RulePack, compile_pack, pack_hierarchy
from app.engine.paths import PATH_PACK, PathIndex


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Defer the cyclic garbage collector while findings are built: a run allocates ~10^5
    long-lived objects, and the collections they trigger cost a third of the run time.
    Nothing here makes cycles; the collector resumes (if it was on) as soon as we return."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _distinct_ids(snapshot: ProjectSnapshot) -> int:
    if len(snapshot.diagrams) == 1:
        return len(snapshot.diagrams[0].elements)
    return len({eid for d in snapshot.diagrams for eid in d.elements})


class Analyzer:
    """Runs rule packs over snapshots; `update` after an edit re-evaluates only the rules and
    subjects the changed elements can affect, with the same result as a full run."""

    def __init__(self, packs: Sequence[RulePack], hierarchy: TypeHierarchy | None = None,
                 defaults: Defaults | None = None, attack_paths: bool = True) -> None:
        self.builtin = list(packs)
        self.base_hierarchy = hierarchy if hierarchy is not None else TypeHierarchy.generic()
        self.defaults: Defaults = defaults or {}
        self.attack_paths = attack_paths
        self.facts: ModelFacts | None = None
        self.rules = RuleIndex([])
        self.by_subject: dict[str, list[Finding]] = {}
        self.paths: list[Finding] = []
        self.path_index: PathIndex | None = None
        self.findings: list[Finding] = []
        self._ordered: list[str] = []
        self._lock = threading.Lock()
        self._pack_docs: Mapping[str, dict[str, Any]] | None = None
        self._disabled: frozenset[str] | None = None
        self._project_packs: list[RulePack] = []

    # -- packs ---------------------------------------------------------------------------
    def packs_for(self, snapshot: ProjectSnapshot) -> list[RulePack]:
        """Built-in packs plus the project's own (compiled once), minus disabled ones."""
        if self._pack_docs is None or dict(snapshot.rule_packs) != dict(self._pack_docs):
            self._project_packs = [
                compile_pack(doc, f"project pack {pid!r}", builtin=False)
                for pid, doc in snapshot.rule_packs.items()
            ]
            self._pack_docs = dict(snapshot.rule_packs)
        return [p for p in [*self.builtin, *self._project_packs]
                if p.id not in snapshot.disabled_packs]

    def _same_packs(self, snapshot: ProjectSnapshot) -> bool:
        return (self._pack_docs is not None and dict(snapshot.rule_packs) == self._pack_docs
                and snapshot.disabled_packs == self._disabled)

    # -- running -------------------------------------------------------------------------
    def run(self, snapshot: ProjectSnapshot) -> list[Finding]:
        """A full analysis of the snapshot."""
        with self._lock, _gc_paused():
            return self._run(snapshot)

    def _run(self, snapshot: ProjectSnapshot) -> list[Finding]:
        packs = self.packs_for(snapshot)
        self._disabled = snapshot.disabled_packs
        self.rules = RuleIndex(packs)
        facts = ModelFacts(snapshot, pack_hierarchy(self.base_hierarchy, packs), self.defaults)
        self.facts = facts
        self.by_subject = {}
        for eid in facts.elements:
            found = subject_findings(self.rules, facts, eid)
            if found:
                self.by_subject[eid] = found
        self._paths()
        self._order(snapshot)
        return self._finish(snapshot)

    def update(self, snapshot: ProjectSnapshot, changed_ids: Iterable[str]) -> list[Finding]:
        """Re-analyse after the elements `changed_ids` were added, edited or removed.

        `changed_ids` must cover every element that differs from the snapshot of the
        previous `run`/`update` (the union, when edits were coalesced). Calls are serialised;
        a snapshot whose element count does not add up falls back to a full run."""
        with self._lock, _gc_paused():
            return self._update(snapshot, changed_ids)

    def _update(self, snapshot: ProjectSnapshot, changed_ids: Iterable[str]) -> list[Finding]:
        if self.facts is None or not self._same_packs(snapshot):
            return self._run(snapshot)
        facts = self.facts
        delta = apply_changes(facts, snapshot, changed_ids)
        if delta.full or len(facts.elements) != _distinct_ids(snapshot):
            return self._run(snapshot)  # a missed addition or removal: start over
        if delta.order:
            self._order(snapshot)
        for eid in delta.dirty:
            found = subject_findings(self.rules, facts, eid)
            if found:
                self.by_subject[eid] = found
            else:
                self.by_subject.pop(eid, None)
        rebuild = delta.structure or delta.status  # the graph, entry points or jewels moved
        index = self.path_index
        if rebuild and not delta.status and index is not None and (
                (delta.added_flows and index.unchanged_by(delta.added_flows))
                or (delta.removed_flows and index.unchanged_without(delta.removed_flows))):
            rebuild = False  # flows that neither reach new nodes nor change a path
        if rebuild:
            self._paths()
        elif self.path_index is not None and not self.path_index.members.keys().isdisjoint(
                delta.dirty):
            if self.path_index.refresh(delta.dirty):  # names, props, crossings on paths
                self.paths = self.path_index.findings()
            else:
                self._paths()
        return self._finish(snapshot)

    def _paths(self) -> None:
        assert self.facts is not None
        on = self.attack_paths and PATH_PACK not in self.facts.snapshot.disabled_packs
        self.path_index = PathIndex(self.facts) if on else None
        self.paths = self.path_index.findings() if self.path_index is not None else []

    def _order(self, snapshot: ProjectSnapshot) -> None:
        """Subjects in output order: diagrams, then drawing order (an id once)."""
        assert self.facts is not None
        diagram_of = self.facts.diagram_of
        self._ordered = [eid for d in snapshot.diagrams for eid in d.elements
                         if diagram_of.get(eid) == d.id]

    def _finish(self, snapshot: ProjectSnapshot) -> list[Finding]:
        assert self.facts is not None
        # C-level concatenation of the per-subject lists, in model order.
        engine = list(chain.from_iterable(map(self.by_subject.get, self._ordered,
                                              repeat(()))))
        engine.extend(self.paths)
        self.findings = finish(engine, snapshot, self.rules.by_key, self.facts.elements,
                               self.facts.diagram_of)
        return self.findings


def analyze(snapshot: ProjectSnapshot, packs: Sequence[RulePack],
            hierarchy: TypeHierarchy | None = None, defaults: Defaults | None = None,
            attack_paths: bool = True) -> list[Finding]:
    """Every finding for the snapshot: rule findings in model order (element, then pack and
    rule order), attack paths, stored threats, then triaged findings that no longer apply."""
    return Analyzer(packs, hierarchy, defaults, attack_paths).run(snapshot)
