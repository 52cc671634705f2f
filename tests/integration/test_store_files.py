"""Versions and bad files: each refusal is one clear message, and nothing on disk is lost."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Connection

from app.common import atomic
from app.domain import ElementKind, Project, Rect, make_box
from app.domain import events as ev
from app.store import ProjectStore, StoreError, dbfile, read, schema, write
from tests.data.make_store_fixtures import HERE, sample_project, structure

FIXTURE_V1 = HERE / "project-v1.tcm"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def fingerprint(path: Path) -> tuple[str, int]:
    """Content hash and modification time, to prove a file was not touched."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def refused(path: Path, *words: str) -> StoreError:
    """Open must fail naming the file and the reason, and leave the file untouched."""
    before = fingerprint(path) if path.is_file() else None
    with pytest.raises(StoreError) as info:
        ProjectStore.open(path)
    err = info.value
    assert str(path) in str(err)
    for w in words:
        assert w in err.reason
    if before is not None:
        assert fingerprint(path) == before
    assert sorted(f.name for f in path.parent.iterdir()) == sorted(
        f.name for f in path.parent.iterdir() if not f.name.endswith("-journal"))
    return err


def sql(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path)
    for s in statements:
        db.execute(s)
    db.commit()
    db.close()


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.tcm"
    write(sample_project(), path)
    return path


# -- versions ------------------------------------------------------------------------------
def test_v1_fixture_opens(tmp_path: Path) -> None:
    path = tmp_path / "old.tcm"
    shutil.copy2(FIXTURE_V1, path)
    before = fingerprint(path)
    assert structure(read(path)) == structure(sample_project())
    assert fingerprint(path) == before  # reading never writes
    store, p = ProjectStore.open(path)
    store.close()
    assert structure(p) == structure(sample_project())
    assert structure(read(path)) == structure(sample_project())


def test_newer_schema_is_refused_naming_the_version(tmp_path: Path) -> None:
    path = tmp_path / "future.tcm"
    shutil.copy2(FIXTURE_V1, path)
    sql(path, "PRAGMA user_version=7")
    err = refused(path)
    assert err.reason == ("made by a newer ThreatCanvas (schema 7); "
                          f"this version reads up to {schema.SCHEMA_VERSION}")


def _v2_step(conn: Connection) -> None:
    conn.exec_driver_sql("CREATE TABLE v2_marker (note TEXT)")
    conn.exec_driver_sql("INSERT INTO v2_marker VALUES ('upgraded')")


def test_ladder_upgrades_an_old_file_in_one_step(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(schema, "UPGRADES", {1: _v2_step})
    path = tmp_path / "old.tcm"
    shutil.copy2(FIXTURE_V1, path)
    # Read-only (e.g. `export`): upgraded in a private copy; the file stays version 1.
    before = fingerprint(path)
    assert structure(read(path)) == structure(sample_project())
    assert fingerprint(path) == before
    store, p = ProjectStore.open(path)
    store.close()
    assert structure(p) == structure(sample_project())
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert db.execute("SELECT note FROM v2_marker").fetchone()[0] == "upgraded"
    db.close()


def test_failed_upgrade_leaves_the_file_as_it_was(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(conn: Connection) -> None:
        _v2_step(conn)
        raise ValueError("step failed half way")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(schema, "UPGRADES", {1: broken})
    path = tmp_path / "old.tcm"
    shutil.copy2(FIXTURE_V1, path)
    err = refused(path, "cannot upgrade from schema 1 to 2", "half way")
    assert err.path == str(path)
    monkeypatch.setattr(schema, "UPGRADES", {})
    refused(path, "schema 1 cannot be upgraded")


# -- bad files -----------------------------------------------------------------------------
def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.tcm"
    path.write_text("hello, not a database\n")
    refused(path, "not a ThreatCanvas project", "not an SQLite database")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.tcm"
    path.touch()
    refused(path, "empty")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="file not found"):
        ProjectStore.open(tmp_path / "nope.tcm")
    (tmp_path / "dir.tcm").mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        ProjectStore.open(tmp_path / "dir.tcm")


def test_foreign_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "other.tcm"
    sql(path, "CREATE TABLE t (x)", "INSERT INTO t VALUES (1)")
    refused(path, "another program")


@pytest.mark.parametrize("keep", [0.5, 0.9, 60 / 73728])
def test_truncated_file(good: Path, keep: float) -> None:
    data = good.read_bytes()
    good.write_bytes(data[: int(len(data) * keep)])
    refused(good, "truncated")


def test_corrupt_pages(good: Path) -> None:
    data = bytearray(good.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for n in range(1, len(data) // page):  # scribble over every b-tree page header
        data[n * page: n * page + 12] = b"\xa5" * 12
    good.write_bytes(bytes(data))
    refused(good, "damaged")


def test_corrupt_header(good: Path) -> None:
    data = bytearray(good.read_bytes())
    data[16:18] = b"\x03\x00"  # page size 768: not a power of two
    good.write_bytes(bytes(data))
    refused(good, "damaged")


@pytest.mark.parametrize(("statement", "words"), [
    ("UPDATE elements SET kind='bogus' WHERE id='e1'", "unknown kind 'bogus'"),
    ("UPDATE elements SET properties='{not json' WHERE id='e1'", "not valid JSON"),
    ("DELETE FROM elements WHERE id='e2'", "is not on diagram"),
    ("DROP TABLE elements", "table 'elements' is missing"),
    ("UPDATE triage SET state='maybe'", "unknown state"),
    ("UPDATE threats SET likelihood='high'", "invalid literal"),
    ("UPDATE elements SET geometry='{\"rect\":[1,2]}' WHERE id='e1'", "rect is malformed"),
    ("UPDATE elements SET source_id='zz' WHERE id='f1'", "'zz' is not on diagram"),
])
def test_damaged_rows(good: Path, statement: str, words: str) -> None:
    sql(good, "PRAGMA foreign_keys=OFF", statement)
    refused(good, "damaged", words)


# -- read-only files and folders -----------------------------------------------------------
def test_read_only_file_opens_read_only(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, who can write anything: simulate the permission check.
    monkeypatch.setattr(dbfile, "writable", lambda _p: False)
    before = fingerprint(good)
    store, p = ProjectStore.open(good)
    with store:
        assert store.read_only
        assert structure(p) == structure(sample_project())
        p.set_info("owner", "x")
        with pytest.raises(StoreError, match="opened read-only"):
            store.apply(p, [ev.ProjectInfoChanged("owner", "", "x")])
        with pytest.raises(StoreError, match="opened read-only"):
            store.save(p)
    assert fingerprint(good) == before


@pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions")
def test_read_only_file_for_real(good: Path) -> None:
    good.chmod(0o444)
    store, p = ProjectStore.open(good)
    with store:
        assert store.read_only
        with pytest.raises(StoreError, match="read-only"):
            store.apply(p, [])


@pytest.mark.skipif(IS_ROOT, reason="root ignores folder permissions")
def test_save_into_read_only_folder_for_real(good: Path) -> None:
    before = fingerprint(good)
    good.parent.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="permission denied"):
            write(Project("x"), good)
    finally:
        good.parent.chmod(0o755)
    assert fingerprint(good) == before


def test_save_into_read_only_folder(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(_target: Path) -> Path:
        raise PermissionError(errno.EACCES, "Permission denied")

    before = fingerprint(good)
    monkeypatch.setattr(atomic, "new_temp_file", denied)
    with pytest.raises(StoreError) as info:
        write(Project("x"), good)
    assert str(info.value) == f"{good}: cannot save: permission denied"
    assert fingerprint(good) == before


def test_save_into_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="the folder does not exist"):
        write(Project("x"), tmp_path / "no" / "x.tcm")


# -- full disk -----------------------------------------------------------------------------
def test_disk_full_during_incremental_save(good: Path) -> None:
    store, p = ProjectStore.open(good)
    events: list[ev.Event] = []
    p.subscribe(events.append)
    with store:
        conn = store._conn
        assert conn is not None
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        conn.exec_driver_sql(f"PRAGMA max_page_count={pages}")  # the disk holds no more
        conn.commit()
        saved = structure(p)
        p.diagram("d1").add(make_box(ElementKind.PROCESS, "GE.P", "big", Rect(0, 0, 1, 1),
                                     element_id="big").with_changes(notes="x" * 200_000))
        with pytest.raises(StoreError) as info:
            store.apply(p, events)
        assert info.value.reason == "cannot save: the disk is full"
        assert store.has_unsaved
        assert structure(read(good)) == saved  # the last commit is intact
        events.clear()
        conn.exec_driver_sql("PRAGMA max_page_count=1073741823")  # space freed
        conn.commit()
        store.apply(p, events)  # the failed batch is written now
        assert not store.has_unsaved
    assert read(good).diagram("d1").get("big").notes == "x" * 200_000


def test_disk_full_during_save_as_keeps_the_old_file(good: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    before = fingerprint(good)
    big = sample_project()
    big.description = "y" * 100_000
    monkeypatch.setattr(dbfile, "NEW_FILE_PRAGMAS", (*dbfile.NEW_FILE_PRAGMAS,
                                                     "max_page_count=20"))
    with pytest.raises(StoreError, match="cannot save: the disk is full"):
        write(big, good)
    assert fingerprint(good) == before
    assert [f.name for f in good.parent.iterdir()] == ["good.tcm"]  # no temp file left


def test_os_error_during_save_as_keeps_the_old_file(good: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    before = fingerprint(good)
    monkeypatch.setattr(atomic, "fsync_path", full)
    with pytest.raises(StoreError, match="the disk is full"):
        write(Project("new"), good)
    assert fingerprint(good) == before
    assert [f.name for f in good.parent.iterdir()] == ["good.tcm"]


def test_failed_full_save_keeps_the_store_usable(good: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    store, p = ProjectStore.open(good)
    with store:
        monkeypatch.setattr(atomic, "fsync_path", lambda _p: (_ for _ in ()).throw(
            OSError(errno.ENOSPC, "No space left on device")))
        with pytest.raises(StoreError, match="disk is full"):
            store.save(p)
        monkeypatch.undo()
        p.set_info("owner", "after")
        store.apply(p, [ev.ProjectInfoChanged("owner", "", "after")])
    assert read(good).owner == "after"


def _leave_hot_journal(path: Path) -> None:
    """Crash (os._exit) in the middle of a big write, leaving a hot rollback journal."""
    code = ("import os, sqlite3, sys\n"
            "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "db.execute('PRAGMA cache_size=1')\n"  # spill changed pages into the file early
            "db.execute('BEGIN IMMEDIATE')\n"
            "db.execute('UPDATE elements SET notes = hex(randomblob(3000))')\n"
            "os._exit(0)\n")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    assert dbfile.hot_journal(path)


def test_read_only_open_recovers_a_hot_journal(good: Path) -> None:
    _leave_hot_journal(good)
    assert structure(read(good)) == structure(sample_project())
    assert not Path(str(good) + "-journal").exists()


def test_open_recovers_a_hot_journal(good: Path) -> None:
    _leave_hot_journal(good)
    store, p = ProjectStore.open(good)
    store.close()
    assert structure(p) == structure(sample_project())
    assert not Path(str(good) + "-journal").exists()


def test_save_as_over_a_crashed_file_drops_its_stale_journal(good: Path) -> None:
    _leave_hot_journal(good)
    fresh = Project("Fresh", "fresh-1")
    write(fresh, good)
    assert not dbfile.hot_journal(good)
    assert structure(read(good)) == structure(fresh)


def _crash_after_commit(path: Path) -> None:
    """A session that commits an edit (to the WAL) and dies without closing."""
    code = ("import os, sys\n"
            "from app.store import ProjectStore\n"
            "from app.domain import events as ev\n"
            "store, p = ProjectStore.open(sys.argv[1])\n"
            "p.set_info('owner', 'committed before the crash')\n"
            "store.apply(p, [ev.ProjectInfoChanged('owner', '', '')])\n"
            "os._exit(0)\n")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True,
                   cwd=Path(__file__).resolve().parents[2])
    assert dbfile.has_wal(path)


def test_edits_in_a_crashed_wal_are_read_and_kept(good: Path) -> None:
    _crash_after_commit(good)
    before = fingerprint(good)
    assert read(good).owner == "committed before the crash"  # read-only: through the WAL
    assert fingerprint(good) == before
    store, p = ProjectStore.open(good)
    store.close()
    assert p.owner == "committed before the crash"
    assert [f.name for f in good.parent.iterdir()] == ["good.tcm"]
    assert read(good).owner == "committed before the crash"


def test_save_as_over_a_crashed_file_drops_its_stale_wal(good: Path) -> None:
    _crash_after_commit(good)
    fresh = Project("Fresh", "fresh-1")
    write(fresh, good)
    assert [f.name for f in good.parent.iterdir()] == ["good.tcm"]
    assert structure(read(good)) == structure(fresh)


def test_random_damage_never_crashes(good: Path) -> None:
    """Flipped bytes anywhere: the open succeeds or raises one StoreError, nothing else."""
    rng = random.Random(99)
    data = good.read_bytes()
    outcomes = {"opened": 0, "refused": 0}
    for n in range(150):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 30)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        path = good.parent / f"d{n}.tcm"
        path.write_bytes(bytes(damaged))
        try:
            read(path)
            outcomes["opened"] += 1
        except StoreError as err:
            assert str(path) in str(err) and "\n" not in str(err)
            assert err.reason.startswith(("damaged", "the file is truncated", "not a ThreatCanvas",
                                          "an SQLite database from another", "made by a newer")
                                         ), err.reason
            outcomes["refused"] += 1
    assert outcomes["refused"] > 0
