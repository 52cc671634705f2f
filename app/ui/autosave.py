"""Autosave: within 2 s of the last edit, the edits are written to the project's `.tcm` file
with the store's incremental `apply(events)`, on a worker thread so typing never waits.
Projects without a `.tcm` file (new, or opened from YAML/TMT) autosave to a recovery file
in the user data folder, removed when the window closes normally."""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from app.domain import Diagram, DomainError, FileError, Project
from app.domain import events as ev

DELAY_MS = 1000  # quiet time before writing; the write itself takes milliseconds


def recovery_dir() -> Path:
    """Where untitled work is kept until it is saved ($THREATCANVAS_DATA_DIR for tests)."""
    from app.catalog.atlas import user_data_dir

    return user_data_dir() / "recovery"


def recovery_files() -> list[Path]:
    """Recovery files left by windows that did not close normally, newest first."""
    folder = recovery_dir()
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.tcm"), key=lambda p: p.stat().st_mtime, reverse=True)


def frozen_copy(p: Project) -> Project:
    """A detached copy the worker may read while the GUI keeps editing the original
    (elements are immutable values, so copying the containers is enough)."""
    c = copy.copy(p)
    c._listeners = []
    c._threats = dict(p._threats)
    c._triage = dict(p._triage)
    c.rule_packs = dict(p.rule_packs)
    c.disabled_packs = set(p.disabled_packs)
    for name in ("reviewers", "contributors", "assumptions", "external_dependencies"):
        setattr(c, name, list(getattr(p, name)))
    diagrams = []
    for d in p.diagrams:
        dc = Diagram.__new__(Diagram)
        dc.id, dc.name = d.id, d.name
        dc._elements = dict(d._elements)
        dc._emit = lambda _e: None
        diagrams.append(dc)
    c._diagrams = diagrams
    return c


class Autosaver(QObject):
    """Watches one project; `target` is its `.tcm` file or a recovery file."""

    sig_saved = Signal(str)  # path written
    sig_failed = Signal(str)

    def __init__(self, project: Project, path: Path | None, delay_ms: int = DELAY_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        self._store = None  # a ProjectStore, touched only on the worker thread
        self._store_path: Path | None = None
        self._events: list[ev.Event] = []
        self._future: Future[None] | None = None
        self.saves = 0
        self.is_recovery = False
        self.target: Path | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.flush_async)
        self._unsubscribe: Callable[[], None] | None = project.subscribe(self._on_event)
        self.set_path(path)

    # -- where to ------------------------------------------------------------------------
    def set_path(self, path: Path | None) -> None:
        """The window's file changed: autosave into it when it is a `.tcm`, else recover."""
        if path is not None and path.name.lower().endswith(".tcm"):
            target, recovery = Path(path), False
        else:
            target, recovery = recovery_dir() / f"{self.project.id}.tcm", True
        if target == self.target:
            return
        old_recovery = self.target if self.is_recovery else None
        self.target, self.is_recovery = target, recovery
        self._submit(self._switch_store, target, recovery, old_recovery)

    def adopt(self, recovery_file: Path) -> None:
        """Keep autosaving into a recovery file this window was recovered from."""
        self.timer.stop()
        self.target, self.is_recovery = Path(recovery_file), True
        self._submit(self._switch_store, self.target, True, None)

    def _switch_store(self, target: Path, recovery: bool, old_recovery: Path | None) -> None:
        """Worker: close the old file; open a `.tcm` now (a recovery file is created by the
        first write, so an untouched window leaves nothing behind)."""
        from app.store import ProjectStore

        self._close_store()
        if old_recovery is not None and old_recovery != target:
            _unlink(old_recovery)
            _unlink(old_recovery.with_suffix(".json"))
        self._store_path = target
        if not recovery:
            self._store, _ = ProjectStore.open(target)

    def save_with(self, path: Path, save: Callable[[], None]) -> None:
        """An explicit full save to `path` (run by `save`): the open file is closed first,
        and autosaving continues into `path` when it is a `.tcm`."""
        self.flush()
        self.release()
        old = self.target
        try:
            save()
        except BaseException:
            self.target = None
            self.set_path(old if old is not None and not self.is_recovery else None)
            raise
        self._events.clear()
        self.target = None if Path(path) == old else self.target
        self.set_path(Path(path))

    # -- writing -------------------------------------------------------------------------
    def _on_event(self, event: ev.Event) -> None:
        self._events.append(event)
        self.timer.start()

    @property
    def pending(self) -> bool:
        return bool(self._events)

    def flush_async(self) -> Future[None] | None:
        """Hand the queued edits, with a detached copy of the model, to the worker."""
        self.timer.stop()
        if not self._events:
            return self._future
        batch, self._events = self._events, []
        self.project.touch()
        return self._submit(self._write, batch, frozen_copy(self.project))

    def flush(self, timeout: float = 10.0) -> bool:
        """Write everything now and wait (closing, explicit save); False when it failed."""
        fut = self.flush_async()
        if fut is None:
            return True
        try:
            fut.result(timeout)
        except Exception:
            return False
        return True

    def _write(self, batch: list[ev.Event], snapshot: Project) -> None:
        from app.store import ProjectStore

        if self._store is None:
            assert self.target is not None
            self.target.parent.mkdir(parents=True, exist_ok=True)
            if self.is_recovery:
                self._store = ProjectStore.create(snapshot, self.target)
                self._write_note(self.target)
                self._store_path = self.target
                return
            self._store, _ = ProjectStore.open(self.target)
            self._store_path = self.target
        self._store.apply(snapshot, batch)

    def _write_note(self, target: Path) -> None:
        """A side file naming the project, for the recovery list."""
        note = target.with_suffix(".json")
        note.write_text(json.dumps({"name": self.project.name}), encoding="utf-8")

    def _submit(self, fn: Callable[..., None], *args: object) -> Future[None]:
        fut = self.pool.submit(fn, *args)
        fut.add_done_callback(self._done)
        self._future = fut
        return fut

    def _done(self, fut: Future[None]) -> None:
        """Runs on the worker: report through queued signals, unless the window is gone."""
        if not isValid(self):
            return
        err = fut.exception()
        if err is None:
            self.saves += 1
            self.sig_saved.emit(str(self._store_path or ""))
        elif isinstance(err, FileError | DomainError | OSError):
            self.sig_failed.emit(f"Autosave failed: {err}")
        else:
            self.sig_failed.emit(f"Autosave failed: {err!r}")

    # -- lifetime ------------------------------------------------------------------------
    def _close_store(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            store.close()

    def release(self, wait: bool = True) -> None:
        """Close the file (before an explicit full save rewrites it)."""
        self.timer.stop()
        fut = self.pool.submit(self._close_store)
        if wait:
            fut.result()

    def shutdown(self, discard_recovery: bool) -> None:
        """Stop watching and close; a recovery file is removed when its work is safe."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.timer.stop()
        if not discard_recovery:
            self.flush()
        target = self.target if self.is_recovery and discard_recovery else None

        def finish() -> None:
            self._close_store()
            if target is not None:
                _unlink(target)
                _unlink(target.with_suffix(".json"))

        self.pool.submit(finish).result()
        self.pool.shutdown(wait=True)


def _unlink(p: Path) -> None:
    with contextlib.suppress(OSError):
        p.unlink(missing_ok=True)
