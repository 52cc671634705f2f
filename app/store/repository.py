"""`ProjectStore`: one open `.tcm` file — open, save as, and incremental saves of edits."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from app.common import atomic
from app.domain import DomainError, Project
from app.domain import events as ev
from app.store import dbfile, schema, sync
from app.store.dbfile import StoreError
from app.store.mapping import BadRowError


class ProjectStore:
    """A repository over one project file. Two stores may be open at once; none is global.

    `apply` writes what a batch of edits touched in one transaction; `save` rewrites the
    whole file atomically. A failed write raises StoreError and leaves the last good
    commit on disk; failed events are kept and written with the next `apply`.
    """

    def __init__(self, path: Path, conn: Connection, positions: sync.Positions,
                 read_only: bool) -> None:
        self.path = path
        self.read_only = read_only
        self._conn: Connection | None = conn
        self._positions = positions
        self._pending: list[ev.Event] = []

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False
             ) -> tuple[ProjectStore, Project]:
        """Open a project file; StoreError (naming the file) when it cannot be used.

        A file we refuse is never modified. A file or folder we may not write (or
        `read_only=True`) is read into a private in-memory snapshot. An older schema is
        upgraded in one transaction. Open for editing, the file runs in WAL mode until
        `close()` folds it back into one file.
        """
        p = Path(path)
        dbfile.precheck(p)
        writable = dbfile.writable(p)
        if dbfile.hot_journal(p):  # a crash mid-commit: restore the last commit first
            if not writable:
                raise StoreError(p, "a crash left unfinished changes that must be rolled "
                                    "back, but the file is read-only; copy it (with its "
                                    "-journal file) to a writable folder to open it")
            _recover(p)
        read_only = read_only or not writable
        # Writable: SQLite replays a crash's journal or WAL at the first read.
        engine = dbfile.make_engine(p, "copy" if read_only else "rw")
        conn: Connection | None = None
        try:
            conn = engine.connect()
            with conn.begin():
                version = _check(conn, p)
                if version < schema.SCHEMA_VERSION:
                    upgrade(conn, p, version)
                project, positions = sync.read_all(conn)
            if not read_only:
                dbfile.begin_editing(_raw(conn))
        except (BadRowError, DomainError, ValueError, TypeError) as err:  # rows we cannot map
            _close(conn)
            raise StoreError(p, f"damaged: {err}") from None
        except (DBAPIError, sqlite3.Error, OSError, StoreError) as err:
            _close(conn)
            error = dbfile.translate(err, p, "open the file")
            if (dbfile.sqlite_code(err) == sqlite3.SQLITE_ERROR  # e.g. a missing column
                    or "decode" in dbfile.short(err)):  # text that is not UTF-8
                error = StoreError(p, f"damaged: {dbfile.short(err)}")
            if "damaged" in error.reason:
                error = dbfile.explain_damage(p) or error
            raise error from None
        return cls(p, conn, positions, read_only), project

    # -- saving --------------------------------------------------------------------------
    @staticmethod
    def save_as(project: Project, path: str | os.PathLike[str]) -> None:
        """Write the whole project to `path` atomically: a temporary file in the same
        folder, fsynced, then renamed over the target. A failure leaves `path` as it was."""
        p = Path(path)
        folder = p.parent if str(p.parent) else Path(".")
        tmp: Path | None = None
        try:
            tmp = atomic.new_temp_file(p)
            engine = dbfile.make_engine(tmp, "new")
            try:
                with engine.connect() as conn, conn.begin():
                    schema.create_current(conn)
                    sync.write_all(conn, project)
                    conn.exec_driver_sql(f"PRAGMA application_id={schema.APPLICATION_ID}")
                    conn.exec_driver_sql(f"PRAGMA user_version={schema.SCHEMA_VERSION}")
            finally:
                engine.dispose()
            atomic.fsync_path(tmp)
            _drop_journal(p)
            os.replace(tmp, p)
            tmp = None
            atomic.fsync_dir(folder)
        except (DBAPIError, OSError) as err:
            raise dbfile.translate(err, p, "save") from None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    tmp.unlink()

    @classmethod
    def create(cls, project: Project, path: str | os.PathLike[str]) -> ProjectStore:
        """Save a project as a new file and keep it open for incremental saves."""
        cls.save_as(project, path)
        store, _ = cls.open(path)
        return store

    def save(self, project: Project) -> None:
        """Rewrite this store's whole file atomically (e.g. to compact it) and reopen it."""
        self._writable()
        self.close()
        try:
            self.save_as(project, self.path)
        finally:
            self._reopen()
        self._pending.clear()

    def watch(self, project: Project) -> Callable[[], None]:
        """Queue the project's events from now on, for the next `apply`; returns a function
        that stops watching. (A window calls `apply(project)` on save or after a pause.)"""
        return project.subscribe(self._pending.append)

    def apply(self, project: Project, events: Iterable[ev.Event] = ()) -> None:
        """Write only the rows the queued and given events touched, in one transaction."""
        self._writable()
        batch = [*self._pending, *events]
        if not batch:
            return
        conn = self._connection()
        try:
            with conn.begin():
                positions = sync.apply_events(conn, project, batch, self._positions)
        except (DBAPIError, OSError) as err:
            self._pending[:] = batch  # kept, and written with the next apply
            raise dbfile.translate(err, self.path, "save") from None
        self._positions = positions
        self._pending.clear()

    @property
    def has_unsaved(self) -> bool:
        """True while watched edits, or those of a failed `apply`, wait to be written."""
        return bool(self._pending)

    # -- lifetime ------------------------------------------------------------------------
    def close(self) -> None:
        """Fold the WAL back in (one self-contained file again) and close."""
        conn, self._conn = self._conn, None
        if conn is not None and not self.read_only:
            with contextlib.suppress(Exception):
                if conn.in_transaction():
                    conn.rollback()
                dbfile.settle(_raw(conn))
        _close(conn)

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _connection(self) -> Connection:
        if self._conn is None:
            raise StoreError(self.path, "the project file is closed")
        return self._conn

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(self.path, "opened read-only (the file or its folder cannot be "
                                        "written); save it under another name")

    def _reopen(self) -> None:
        store, _ = ProjectStore.open(self.path)
        self._conn, store._conn = store._conn, None
        self._positions = store._positions


def upgrade(conn: Connection, path: Path, version: int) -> None:
    """Climb the schema ladder from `version` inside the caller's transaction."""
    try:
        steps = schema.ladder(version)
    except KeyError:
        raise StoreError(path, f"schema {version} cannot be upgraded by this version") from None
    for number, step in enumerate(steps, version):
        try:
            step(conn)
        except DBAPIError:
            raise
        except Exception as err:  # a failed step rolls back: the file stays as it was
            raise StoreError(path, f"cannot upgrade from schema {number} to {number + 1}: "
                                   f"{err}") from None
    conn.exec_driver_sql(f"PRAGMA user_version={schema.SCHEMA_VERSION}")


def _check(conn: Connection, path: Path) -> int:
    """Refuse a foreign, newer, truncated or damaged file before reading it (quick_check
    reads every page once); returns its schema version. Reads only."""
    def pragma(name: str) -> int:  # `.all()`: a half-read PRAGMA would keep a lock
        return int(conn.exec_driver_sql(f"PRAGMA {name}").all()[0][0] or 0)

    version = pragma("user_version")
    dbfile.check_ids(path, pragma("application_id"), version)
    dbfile.check_size(path, pragma("page_size"), pragma("page_count"))
    result = "\n".join(str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check(1)").all())
    if result != "ok":
        detail = "; ".join(line for line in result.splitlines() if "***" not in line)
        raise StoreError(path, f"damaged: the database is corrupt ({detail})")
    names = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
                .scalars())
    missing = [t for t in ("project_info", "diagrams", "elements") if t not in names]
    if missing:
        raise StoreError(path, f"damaged: table {missing[0]!r} is missing")
    return int(version)


def _recover(path: Path) -> None:
    """Let SQLite roll back the journal (or replay the WAL) a crash left behind, restoring
    the last commit, and leave one rollback-mode file."""
    engine = dbfile.make_engine(path, "rw")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA schema_version").all()
            conn.rollback()
            dbfile.settle(_raw(conn))
    except DBAPIError as err:
        raise dbfile.translate(err, path, "recover the file after a crash") from None
    finally:
        engine.dispose()


def _drop_journal(path: Path) -> None:
    """Before a file is replaced, settle a journal or WAL a crash left beside it: SQLite
    would otherwise replay the stale one into the new file and corrupt it."""
    if not (dbfile.hot_journal(path) or dbfile.has_wal(path)):
        return
    with contextlib.suppress(StoreError):
        _recover(path)  # restores the old file's last commit and removes the journal
    for suffix in ("-journal", "-wal", "-shm"):  # not recoverable: the file is replaced
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


def _raw(conn: Connection) -> sqlite3.Connection:
    """The driver connection, for pragmas that must run outside any transaction."""
    return conn.connection.dbapi_connection  # type: ignore[return-value]


def _close(conn: Connection | None) -> None:
    if conn is not None:
        with contextlib.suppress(Exception):
            conn.close()
