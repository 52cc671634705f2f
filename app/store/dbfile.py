"""The SQLite file itself: checks before and right after SQLite opens it, connections
with the durability settings, error translation, and the steps of an atomic save.

We never open a project file with our own file descriptor while SQLite may have it open
(closing one would drop SQLite's POSIX locks on it); only files too small to be a
database are read directly.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import stat
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from app.domain import FileError
from app.store import schema

MAGIC = b"SQLite format 3\x00"
MIN_SIZE = 512  # the smallest page: no database is shorter
NOT_SQLITE = "not a ThreatCanvas project (not an SQLite database file)"

#: Durability. While a store has the file open for editing it runs in WAL mode with
#: synchronous=FULL: every commit appends to the -wal file and fsyncs it before returning
#: (one flush per edit, where a rollback journal needs five), so a SIGKILL or power cut
#: never loses a committed edit; the next open replays the -wal. fullfsync and
#: checkpoint_fullfsync ask macOS for a real flush (its plain fsync is weaker).
#: At close the WAL is folded back in and the file returns to rollback-journal mode, so a
#: closed project is ONE self-contained file to copy or mail, and it opens on read-only
#: media without -wal/-shm files. The journal mode is switched only after a file passed
#: every check, so a file we refuse is never modified.
WRITE_PRAGMAS: tuple[str, ...] = (
    "synchronous=FULL",
    "fullfsync=ON",
    "checkpoint_fullfsync=ON",
)
COMMON_PRAGMAS: tuple[str, ...] = ("busy_timeout=2000", "foreign_keys=ON")
#: A brand-new temporary file is fsynced by us and renamed into place as a whole, so it
#: needs no journal and no syncs of its own.
NEW_FILE_PRAGMAS: tuple[str, ...] = ("journal_mode=OFF", "synchronous=OFF")


class StoreError(FileError):
    """A .tcm file that cannot be opened or saved; `str()` names the file and the reason."""


def precheck(path: Path) -> None:
    """Refuse what cannot be a project before SQLite opens it: a missing file, a folder,
    an empty file or one too small to be a database. Reads only."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise StoreError(path, "file not found") from None
    except OSError as err:
        raise StoreError(path, f"cannot read: {os_reason(err)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise StoreError(path, "is a folder, not a project file")
    if not os.access(path, os.R_OK):
        raise StoreError(path, "permission denied (cannot read the file)")
    if st.st_size == 0:
        raise StoreError(path, "the file is empty, not a ThreatCanvas project")
    if st.st_size >= MIN_SIZE:
        return
    try:
        head = path.read_bytes()[:100]
    except OSError as err:
        raise StoreError(path, f"cannot read: {os_reason(err)}") from None
    if head.startswith(MAGIC) or MAGIC.startswith(head):
        raise StoreError(path, "the file is truncated (only a few bytes are left)")
    raise StoreError(path, NOT_SQLITE)


def check_size(path: Path, page_size: int, pages: int) -> None:
    """Refuse a file shorter than its own header says (cut off in a copy or download)."""
    if has_wal(path):  # the newest pages may still be in the -wal
        return
    size = path.stat().st_size
    if size < pages * page_size:
        raise StoreError(path, f"the file is truncated ({size} of {pages * page_size} bytes)")
    if size % page_size:
        raise StoreError(path, "the file is truncated or damaged (size is not whole pages)")


def explain_damage(path: Path) -> StoreError | None:
    """After SQLite called a file corrupt: a clearer reason when its header shows it was
    cut short. (Reading it ourselves is safe here: the open has already failed.)"""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError:
        return None
    if len(head) < 100 or not head.startswith(MAGIC):
        return None
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    valid = head[24:28] == head[92:96]  # the in-header size is current
    if valid and size < pages * page_size:
        return StoreError(path, f"the file is truncated ({size} of {pages * page_size} bytes)")
    return None


def check_ids(path: Path, app_id: int, version: int) -> None:
    """Refuse a foreign database, or a schema this version cannot read."""
    if app_id != schema.APPLICATION_ID:
        raise StoreError(path, "an SQLite database from another program, not a ThreatCanvas "
                               f"project (application id {app_id:#010x})")
    if version > schema.SCHEMA_VERSION:
        raise StoreError(path, f"made by a newer ThreatCanvas (schema {version}); "
                               f"this version reads up to {schema.SCHEMA_VERSION}")
    if version < 1:
        raise StoreError(path, "damaged: no schema version (the file was never completed)")


def wal_file(path: Path) -> Path:
    return Path(str(path) + "-wal")


def has_wal(path: Path) -> bool:
    """True when edits may sit in a -wal file (the file is open, or a session crashed)."""
    try:
        return wal_file(path).stat().st_size > 0
    except OSError:
        return False


def begin_editing(conn: sqlite3.Connection) -> None:
    """Switch a checked file to WAL for fast durable commits (outside any transaction).
    If another program holds the file, stay with the rollback journal, made durable
    against power loss by also syncing the folder after each commit (EXTRA)."""
    try:
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchall()[0][0]  # all: resets it
    except sqlite3.Error:
        mode = ""
    if str(mode).lower() != "wal":
        conn.execute("PRAGMA synchronous=EXTRA").fetchall()


def settle(conn: sqlite3.Connection) -> None:
    """Fold the WAL into the file and return it to a single rollback-journal file; a
    no-op while another program still has the file open."""
    with contextlib.suppress(sqlite3.Error):
        # A read first: right after a quick_check and the switch to WAL, SQLite 3.40
        # otherwise refuses the checkpoint with "database table is locked".
        conn.execute("PRAGMA user_version").fetchall()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        conn.execute("PRAGMA journal_mode=DELETE").fetchall()


def hot_journal(path: Path) -> bool:
    """True when a crash left a rollback journal that SQLite must replay before reading."""
    j = Path(str(path) + "-journal")
    try:
        return j.stat().st_size > 0
    except OSError:
        return False


def writable(path: Path) -> bool:
    """Whether both the file and its folder (for the journal) can be written."""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def make_engine(path: Path, mode: str) -> Engine:
    """An engine on `path` with our pragmas and real transactions (BEGIN IMMEDIATE for
    writers). Modes: "ro", "rw" (never creates a file), "new" (a fresh temporary file) or
    "copy" (a private in-memory snapshot: read-only opens never hold or change the file,
    and an old schema is upgraded in the copy)."""
    uri_mode = {"new": "rwc", "copy": "ro"}.get(mode, mode)
    uri = path.resolve().as_uri() + f"?mode={uri_mode}"  # any path: spaces, ?, #, %, ü

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        if mode != "copy":
            return conn
        try:
            mem = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            conn.backup(mem)
            return mem
        finally:
            conn.close()

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)
    pragmas = COMMON_PRAGMAS + {"ro": (), "copy": (), "rw": WRITE_PRAGMAS,
                                      "new": NEW_FILE_PRAGMAS}[mode]

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        cur = dbapi_conn.cursor()
        for pragma in pragmas:
            cur.execute("PRAGMA " + pragma).fetchall()
        cur.close()

    begin = "BEGIN" if mode == "ro" else "BEGIN IMMEDIATE"  # writers lock up front

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        conn.exec_driver_sql(begin)  # type: ignore[attr-defined]

    return engine


_SQLITE_REASONS = {
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_READONLY: "the file is read-only",
    sqlite3.SQLITE_CANTOPEN: "cannot open the file (check that it and its folder exist "
                             "and are writable)",
    sqlite3.SQLITE_BUSY: "the file is in use by another program",
    sqlite3.SQLITE_LOCKED: "the file is in use by another program",
    sqlite3.SQLITE_NOTADB: "not a ThreatCanvas project: not an SQLite database file, or its "
                           "header is damaged",
    sqlite3.SQLITE_CORRUPT: "damaged: the database is corrupt",
    sqlite3.SQLITE_PERM: "permission denied",
    sqlite3.SQLITE_IOERR: "input/output error while accessing the file",
}


def translate(err: BaseException, path: Path, doing: str) -> StoreError:
    """One clear StoreError for an SQLite or OS error raised while `doing` something."""
    if isinstance(err, StoreError):
        return err
    if isinstance(err, DBAPIError):
        err = err.orig or err
    if isinstance(err, sqlite3.Error):
        code = getattr(err, "sqlite_errorcode", 0) & 0xFF
        reason = _SQLITE_REASONS.get(code, str(err))
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return StoreError(path, reason)  # the file's state, whatever we were doing
        return StoreError(path, f"cannot {doing}: {reason}")
    if isinstance(err, OSError):
        return StoreError(path, f"cannot {doing}: {os_reason(err)}")
    return StoreError(path, f"cannot {doing}: {err}")


def sqlite_code(err: BaseException) -> int:
    """The primary SQLite result code behind an error (0 when it is not SQLite's)."""
    if isinstance(err, DBAPIError):
        err = err.orig or err
    return getattr(err, "sqlite_errorcode", 0) & 0xFF if isinstance(err, sqlite3.Error) else 0


def short(err: BaseException) -> str:
    """An SQLite error's own message, first line, at most 100 characters."""
    if isinstance(err, DBAPIError):
        err = err.orig or err
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text if len(text) <= 100 else text[:97] + "..."


def os_reason(err: OSError) -> str:
    if err.errno == errno.ENOSPC:
        return "the disk is full"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if err.errno == errno.EROFS:
        return "the disk is read-only"
    if err.errno == errno.ENOENT:
        return "the folder does not exist"
    return err.strerror or str(err)


