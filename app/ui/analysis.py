"""Live threat analysis for the badges: debounced, run in a worker on a snapshot, stale
results dropped by generation number, so the window never stalls."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from app.domain import Finding, Project, ProjectSnapshot
from app.ui.items import Badge

Analyze = Callable[[ProjectSnapshot], Sequence[Finding]]


def resolve_analyzer() -> Analyze | None:
    """The analysis service's snapshot → findings function, or None until it exists."""
    try:
        mod = importlib.import_module("app.services.analysis")
    except ImportError:
        return None
    for name in ("analyze_snapshot", "analyze_project", "analyze", "run_analysis"):
        fn = getattr(mod, name, None)
        if callable(fn):
            return fn  # type: ignore[return-value]
    return None


def badges_from(findings: Sequence[Finding]) -> dict[str, Badge]:
    """Open-threat count and highest open severity per element (its primary subject)."""
    counts: dict[str, int] = {}
    worst: dict[str, Finding] = {}
    for f in findings:
        if not f.is_open or not f.element_ids:
            continue
        eid = f.element_ids[0]
        counts[eid] = counts.get(eid, 0) + 1
        if eid not in worst or f.severity.rank > worst[eid].severity.rank:
            worst[eid] = f
    return {eid: Badge(n, worst[eid].severity) for eid, n in counts.items()}


class _Signals(QObject):
    done = Signal(int, object, str)  # generation, findings, error


class _Job(QRunnable):
    def __init__(self, generation: int, snapshot: ProjectSnapshot, analyze: Analyze) -> None:
        super().__init__()
        self.generation = generation
        self.snapshot = snapshot
        self.analyze = analyze
        self.signals = _Signals()

    def run(self) -> None:
        try:
            findings = list(self.analyze(self.snapshot))
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
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._jobs: dict[int, _Job] = {}
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.run_now)

    @property
    def enabled(self) -> bool:
        return self.analyze is not None

    def schedule(self) -> None:
        """Restart the debounce timer (called on every model change)."""
        if self.analyze is not None:
            self.timer.start()

    def run_now(self) -> None:
        if self.analyze is None:
            return
        self.generation += 1
        job = _Job(self.generation, self.project.snapshot(), self.analyze)
        job.setAutoDelete(False)
        job.signals.done.connect(self._done)
        self._jobs[self.generation] = job
        self.pool.start(job)

    def _done(self, generation: int, findings: list[Finding], error: str) -> None:
        self._jobs.pop(generation, None)
        if generation != self.generation:
            return  # an edit happened meanwhile: a newer result is on its way
        if error:
            self.sig_failed.emit(error)
            return
        self.findings = findings
        self.badges = badges_from(findings)
        self.sig_findings.emit(findings)

    def findings_for(self, element_id: str) -> list[Finding]:
        return [f for f in self.findings if f.element_ids and f.element_ids[0] == element_id]

    def shutdown(self) -> None:
        self.timer.stop()
        self.generation += 1
        self.pool.waitForDone(5000)
