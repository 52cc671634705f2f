"""Live threat analysis for the badges: debounced, run in a worker on a snapshot, stale
results dropped by generation number, so the window never stalls."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence, Set

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from app.domain import Finding, Project, ProjectSnapshot
from app.ui.items import Badge

Analyze = Callable[[ProjectSnapshot], Sequence[Finding]]


class EngineAnalysis:
    """The rule engine behind the badges: built lazily in the worker thread (so startup
    stays fast) and re-run incrementally on the element ids that changed."""

    incremental = True

    def __init__(self) -> None:
        self._analyzer = None

    def __call__(self, snapshot: ProjectSnapshot,
                 changed: frozenset[str] | None = None) -> list[Finding]:
        if self._analyzer is None:
            from app.services.analysis import make_analyzer

            self._analyzer = make_analyzer()
            return self._analyzer.run(snapshot)
        if changed is None:
            return self._analyzer.run(snapshot)
        return self._analyzer.update(snapshot, changed)


def resolve_analyzer() -> Analyze | None:
    """The engine's analysis when the analysis service is installed, else None."""
    if importlib.util.find_spec("app.services.analysis") is None:
        return None
    return EngineAnalysis()


def subject_of(f: Finding, flow_ids: Set[str]) -> str | None:
    """The element a finding is shown on: the flow for flow threats (source, flow, target),
    else the first element it concerns."""
    for eid in f.element_ids:
        if eid in flow_ids:
            return eid
    return f.element_ids[0] if f.element_ids else None


def badges_from(findings: Sequence[Finding], flow_ids: Set[str] = frozenset()) -> dict[str, Badge]:
    """Open-threat count and highest open severity per element."""
    counts: dict[str, int] = {}
    worst: dict[str, Finding] = {}
    for f in findings:
        eid = subject_of(f, flow_ids)
        if not f.is_open or eid is None:
            continue
        counts[eid] = counts.get(eid, 0) + 1
        if eid not in worst or f.severity.rank > worst[eid].severity.rank:
            worst[eid] = f
    return {eid: Badge(n, worst[eid].severity) for eid, n in counts.items()}


class _Signals(QObject):
    done = Signal(int, object, str)  # generation, findings, error


class _Job(QRunnable):
    def __init__(self, generation: int, snapshot: ProjectSnapshot, analyze: Analyze,
                 changed: frozenset[str] | None) -> None:
        super().__init__()
        self.generation = generation
        self.snapshot = snapshot
        self.analyze = analyze
        self.changed = changed
        self.flow_ids: set[str] | None = None
        self.badges: dict[str, Badge] | None = None
        self.signals = _Signals()

    def run(self) -> None:
        try:
            if getattr(self.analyze, "incremental", False):
                found = self.analyze(self.snapshot, self.changed)  # type: ignore[call-arg]
            else:
                found = self.analyze(self.snapshot)
            findings = list(found)
            # badges are computed here too, so a 5,000-element result never stalls the GUI
            self.flow_ids = {e.id for d in self.snapshot.diagrams
                             for e in d.elements.values() if e.is_flow}
            self.badges = badges_from(findings, self.flow_ids)
            self.signals.done.emit(self.generation, findings, "")
        except Exception as err:  # the engine must never take the window down
            self.signals.done.emit(self.generation, [], f"analysis failed: {err}")


class AnalysisRunner(QObject):
    """Schedules analysis after edits; `sig_findings` carries only current results."""

    sig_findings = Signal(object)  # list[Finding]
    sig_failed = Signal(str)

    def __init__(self, project: Project, analyze: Analyze | None, delay_ms: int = 350,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.analyze = analyze
        self.generation = 0
        self.findings: list[Finding] = []
        self.badges: dict[str, Badge] = {}
        self._flow_ids: set[str] = set()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._jobs: dict[int, _Job] = {}
        self._changed: set[str] | None = None  # None: everything (first run, packs, triage)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.run_now)

    @property
    def enabled(self) -> bool:
        return self.analyze is not None

    def schedule(self, element_id: str | None = None) -> None:
        """Restart the debounce timer; `element_id` names what changed (None: anything)."""
        if self.analyze is None:
            return
        if element_id is None:
            self._changed = None
        elif self._changed is not None:
            self._changed.add(element_id)
        self.timer.start()

    def run_now(self) -> None:
        if self.analyze is None:
            return
        self.generation += 1
        changed = None if self._changed is None else frozenset(self._changed)
        self._changed = set()
        job = _Job(self.generation, self.project.snapshot(), self.analyze, changed)
        job.setAutoDelete(False)
        job.signals.done.connect(self._done)
        self._jobs[self.generation] = job
        self.pool.start(job)

    def _done(self, generation: int, findings: list[Finding], error: str) -> None:
        job = self._jobs.pop(generation, None)
        if generation != self.generation or self.timer.isActive():
            return  # an edit happened meanwhile: a newer result is on its way
        if error:
            self.sig_failed.emit(error)
            return
        self.findings = findings
        if job is not None and job.badges is not None and job.flow_ids is not None:
            self._flow_ids, self.badges = job.flow_ids, job.badges
        else:
            self._flow_ids = {e.id for _d, e in self.project.iter_elements() if e.is_flow}
            self.badges = badges_from(findings, self._flow_ids)
        self.sig_findings.emit(findings)

    def findings_for(self, element_id: str) -> list[Finding]:
        return [f for f in self.findings if subject_of(f, self._flow_ids) == element_id]

    def shutdown(self) -> None:
        self.timer.stop()
        self.generation += 1
        self.pool.waitForDone(5000)
