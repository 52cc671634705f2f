"""The SQLite file itself: header checks before SQLite touches it, connections with the
durability settings, error translation, and the fsync/rename steps of an atomic save.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import sqlite3
import stat
import sys
import urllib.parse
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from app.domain import FileError
from app.store import schema

MAGIC = b"SQLite format 3\x00"

#: Durability, chosen for a document that is closed, copied and mailed as ONE file:
#: a rollback journal (DELETE mode), not WAL. Each commit is complete inside the .tcm
#: itself when it returns, so no -wal file can hold edits the mailed copy lacks, and a
#: file on read-only media opens without -shm. synchronous=EXTRA is FULL (journal and
#: database fsynced at every commit, so a power cut cannot tear a commit) plus an fsync of
#: the folder after the journal is deleted, so a committed edit cannot reappear as a hot
#: journal and be rolled back after power loss. fullfsync asks macOS for a real flush.
#: Measured cost: under 1 ms per one-edit commit on an SSD (benchmarks/RESULTS.md).
WRITE_PRAGMAS: tuple[str, ...] = (
    "journal_mode=DELETE",
    "synchronous=EXTRA",
    "fullfsync=ON",
)
COMMON_PRAGMAS: tuple[str, ...] = ("busy_timeout=2000", "foreign_keys=ON")
#: A brand-new temporary file is fsynced by us and renamed into place as a whole, so it
#: needs no journal and no syncs of its own.
NEW_FILE_PRAGMAS: tuple[str, ...] = ("journal_mode=OFF", "synchronous=OFF")


class StoreError(FileError):
    """A .tcm file that cannot be opened or saved; `str()` names the file and the reason."""


def _u32(data: bytes, offset: int) -> int:
    return int.from_bytes(data[offset:offset + 4], "big")


def check_header(path: Path) -> int:
    """Check a file is a whole ThreatCanvas project before SQLite opens it; returns its
    schema version. Reads only: a file we refuse is never modified."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(100)
    except FileNotFoundError:
        raise StoreError(path, "file not found") from None
    except IsADirectoryError:
        raise StoreError(path, "is a folder, not a project file") from None
    except PermissionError:
        raise StoreError(path, "permission denied (cannot read the file)") from None
    except OSError as err:
        raise StoreError(path, f"cannot read: {err.strerror or err}") from None
    if size == 0:
        raise StoreError(path, "the file is empty, not a ThreatCanvas project")
    if not head.startswith(MAGIC):
        if MAGIC.startswith(head):
            raise StoreError(path, "the file is truncated (only a few bytes are left)")
        raise StoreError(path, "not a ThreatCanvas project (not an SQLite database file)")
    if len(head) < 100:
        raise StoreError(path, "the file is truncated (its header is incomplete)")
    app_id = _u32(head, 68)
    if app_id != schema.APPLICATION_ID:
        raise StoreError(path, "an SQLite database from another program, not a ThreatCanvas "
                               f"project (application id {app_id:#010x})")
    version = _u32(head, 60)
    if version > schema.SCHEMA_VERSION:
        raise StoreError(path, f"made by a newer ThreatCanvas (schema {version}); "
                               f"this version reads up to {schema.SCHEMA_VERSION}")
    if version < 1:
        raise StoreError(path, "damaged: no schema version (the file was never completed)")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise StoreError(path, "damaged: the database header is corrupt")
    pages = _u32(head, 28)
    if pages and _u32(head, 24) == _u32(head, 92) and size < pages * page_size:
        raise StoreError(path, f"the file is truncated ({size} of {pages * page_size} bytes)")
    if size % page_size:
        raise StoreError(path, "the file is truncated or damaged (size is not whole pages)")
    return version


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
    "copy" (a private in-memory copy of the file, e.g. to upgrade an old read-only file)."""
    uri_mode = {"new": "rwc", "copy": "ro"}.get(mode, mode)
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + f"?mode={uri_mode}"

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
    sqlite3.SQLITE_NOTADB: "damaged: not a valid database file",
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
        return StoreError(path, f"cannot {doing}: {reason}")
    if isinstance(err, OSError):
        return StoreError(path, f"cannot {doing}: {os_reason(err)}")
    return StoreError(path, f"cannot {doing}: {err}")


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


def new_temp_file(target: Path) -> Path:
    """An empty file beside `target` for an atomic save: same folder (so the rename is
    atomic), the target's permissions when it exists, else the usual ones (umask)."""
    folder = target.parent if str(target.parent) else Path(".")
    while True:
        tmp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        break
    try:
        with contextlib.suppress(OSError):
            os.fchmod(fd, stat.S_IMODE(target.stat().st_mode))
    finally:
        os.close(fd)
    return tmp


def fsync_path(path: Path) -> None:
    """Flush a file's data to the device (F_FULLFSYNC on macOS, where fsync is weaker)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        if sys.platform == "darwin":
            import fcntl

            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
        else:
            os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where folders cannot be opened)."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
