"""The .tcm store keeps every part of a project; incremental saves write only what changed."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain import (
    Diagram,
    ElementKind,
    MitigationItem,
    Point,
    Project,
    Rect,
    ThreatRecord,
    ThreatState,
    Triage,
    make_box,
    make_flow,
)
from app.domain import events as ev
from app.store import APPLICATION_ID, SCHEMA_VERSION, ProjectStore, read, write
from tests.data.make_store_fixtures import sample_project, structure


@pytest.fixture
def opened(tmp_path: Path) -> Iterator[tuple[ProjectStore, Project, list[ev.Event]]]:
    """The sample project saved, reopened, and recording its events."""
    path = tmp_path / "m.tcm"
    ProjectStore.save_as(sample_project(), path)
    store, project = ProjectStore.open(path)
    events: list[ev.Event] = []
    project.subscribe(events.append)
    yield store, project, events
    store.close()


def flush(store: ProjectStore, project: Project, events: list[ev.Event]) -> None:
    store.apply(project, events)
    events.clear()


def changes(store: ProjectStore) -> int:
    """Rows changed so far on the store's connection (white-box: SQLite's counter)."""
    return store._conn.connection.dbapi_connection.total_changes  # type: ignore[union-attr]


def test_save_as_then_read_gives_the_same_project(tmp_path: Path) -> None:
    p = sample_project()
    write(p, tmp_path / "m.tcm")
    assert structure(read(tmp_path / "m.tcm")) == structure(p)
    assert [f.name for f in tmp_path.iterdir()] == ["m.tcm"]


def test_wal_while_editing_one_file_when_closed(tmp_path: Path) -> None:
    path = tmp_path / "m.tcm"
    write(sample_project(), path)
    store, p = ProjectStore.open(path)
    with store:
        p.set_info("owner", "wal")
        store.apply(p, [ev.ProjectInfoChanged("owner", "", "wal")])
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.close()
        assert (tmp_path / "m.tcm-wal").exists()
    assert [f.name for f in tmp_path.iterdir()] == ["m.tcm"]
    assert path.read_bytes()[18:20] == b"\x01\x01"  # rollback-journal mode at rest
    assert read(path).owner == "wal"


def test_file_is_marked_and_versioned(tmp_path: Path) -> None:
    write(sample_project(), tmp_path / "m.tcm")
    with sqlite3.connect(tmp_path / "m.tcm") as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()
    assert APPLICATION_ID.to_bytes(4, "big") == b"TCvs"


def test_types_survive(tmp_path: Path) -> None:
    write(sample_project(), tmp_path / "m.tcm")
    e1 = read(tmp_path / "m.tcm").diagrams[0].get("e1")
    assert type(e1.properties["n"]) is int and type(e1.properties["x"]) is float
    assert e1.properties["authenticates"] is False and e1.properties["s"] == "true"
    assert e1.properties["big"] == 1e300


def test_every_kind_of_edit_is_saved_incrementally(
    opened: tuple[ProjectStore, Project, list[ev.Event]],
) -> None:
    store, p, events = opened
    d = p.diagram("d1")
    d.set_property("e1", "exposure", "internal")
    d.set_property("e1", "n", None)
    d.rename("e2", "Features DB")
    d.set_notes("007", "watch out")
    d.set_rect("n", Rect(5, 5, 50, 50))
    d.set_waypoints("f1", (Point(1, 2), Point(3, 4)))
    d.reconnect("f0", "e1", None)
    d.add(make_box(ElementKind.PROCESS, "GE.P", "Inserted", Rect(0, 0, 1, 1),
                   element_id="mid"), index=3)
    d.add(make_flow("mid", "e2", "x", element_id="fx"), index=0)
    d.remove(["007"])
    p.set_info("owner", "Zed")
    p.set_info("reviewers", ["Q"])
    p.rename_diagram("d2", "Renamed")
    p.move_diagram("d3", 0)
    p.put_threat(ThreatRecord("new@e1", "New", element_ids=("e1",), atlas=("AML.T0001",)))
    p.remove_threat("custom-1")
    p.set_triage("R1@e1", Triage(ThreatState.NEEDS_INVESTIGATION, mitigations=(
        MitigationItem("a"), MitigationItem("b", done=True))))
    p.set_triage("custom-1", None)
    p.set_pack_enabled("stride", True)
    p.put_rule_pack("extra", {"id": "extra", "rules": []})
    p.touch()
    flush(store, p, events)
    assert structure(read(store.path)) == structure(p)


def test_diagram_add_remove_and_undo(opened: tuple[ProjectStore, Project, list[ev.Event]],
                                     ) -> None:
    store, p, events = opened
    _, removed = p.remove_diagram("d1")
    flush(store, p, events)
    assert structure(read(store.path)) == structure(p)
    p.add_diagram(removed, 1)
    flush(store, p, events)
    assert structure(read(store.path)) == structure(p)
    p.add_diagram(Diagram("Fresh", "d9"))
    p.remove_diagram("d9")  # added and removed in one batch
    flush(store, p, events)
    assert structure(read(store.path)) == structure(p)


def test_one_edit_writes_only_its_rows(opened: tuple[ProjectStore, Project, list[ev.Event]],
                                       ) -> None:
    store, p, events = opened
    d = p.diagram("d1")
    for i in range(200):
        d.add(make_box(ElementKind.PROCESS, "GE.P", f"p{i}", Rect(i, 0, 1, 1)))
    flush(store, p, events)
    before = changes(store)
    d.set_property("e1", "exposure", "internal")
    flush(store, p, events)
    assert changes(store) - before == 2  # the element row and the `modified` row
    before = changes(store)
    d.remove(["n"])
    flush(store, p, events)
    assert changes(store) - before == 2  # removing shifts no other row
    before = changes(store)
    d.add(make_box(ElementKind.PROCESS, "GE.P", "mid", Rect(0, 0, 1, 1), element_id="m"), 4)
    flush(store, p, events)
    assert changes(store) - before == 2  # inserting mid-order takes a position in between
    before = changes(store)
    order = list(d.elements)
    order.append(order.pop(3))
    d.reorder(order)  # bring to front: an event for every element, one row moves
    flush(store, p, events)
    assert changes(store) - before == 2
    assert structure(read(store.path)) == structure(p)


def test_reorder_and_restore_keep_drawing_order(
    opened: tuple[ProjectStore, Project, list[ev.Event]],
) -> None:
    store, p, events = opened
    d = p.diagram("d1")
    d.reorder(list(reversed(list(d.elements))))
    flush(store, p, events)
    assert list(read(store.path).diagram("d1").elements) == list(d.elements)
    removed = d.remove(["e1"])  # cascades to f1 and f0 ends
    flush(store, p, events)
    d.restore(removed)  # undo: back at the same positions
    flush(store, p, events)
    assert structure(read(store.path)) == structure(p)


def test_random_edit_sessions_match_a_full_read(tmp_path: Path) -> None:
    """Many random batches of edits: after each, the file equals the model."""
    rng = random.Random(1234)
    path = tmp_path / "r.tcm"
    ProjectStore.save_as(sample_project(), path)
    store, p, = ProjectStore.open(path)
    events: list[ev.Event] = []
    p.subscribe(events.append)
    serial = 0
    with store:
        for _batch in range(40):
            for _ in range(rng.randint(1, 8)):
                serial += 1
                _random_edit(rng, p, serial)
            flush(store, p, events)
            assert structure(read(path)) == structure(p)


def _random_edit(rng: random.Random, p: Project, serial: int) -> None:
    d = rng.choice(p.diagrams)
    ids = list(d.elements)
    nodes = [e.id for e in d if e.kind.is_node]
    op = rng.randrange(9)
    if op == 0 or not ids:
        d.add(make_box(ElementKind.PROCESS, "GE.P", f"n{serial}", Rect(serial, 0, 5, 5),
                       element_id=f"n{serial}"), rng.randint(0, len(ids)))
    elif op == 1 and len(nodes) >= 2:
        a, b = rng.sample(nodes, 2)
        d.add(make_flow(a, b, f"f{serial}", element_id=f"f{serial}"), rng.randint(0, len(ids)))
    elif op == 2:
        d.remove([rng.choice(ids)])
    elif op == 3:
        removed = d.remove([rng.choice(ids)])
        d.restore(removed)
    elif op == 4:
        order = list(ids)
        rng.shuffle(order)
        d.reorder(order)
    elif op == 5:
        d.set_property(rng.choice(ids), rng.choice("abc"), rng.choice([1, 2.5, True, "v", None]))
    elif op == 6:
        d.translate(rng.choice(ids), rng.uniform(-5, 5), 1)
    elif op == 7:
        key = rng.choice(["k1", "k2", "custom-1"])
        p.set_triage(key, rng.choice([None, Triage(ThreatState.MITIGATED, str(serial))]))
    else:
        p.move_diagram(d.id, rng.randrange(len(p.diagrams)))


def test_full_save_rewrites_and_reopens(opened: tuple[ProjectStore, Project, list[ev.Event]],
                                        ) -> None:
    store, p, events = opened
    p.description = "changed without an event"
    store.save(p)
    events.clear()
    p.diagram("d1").rename("e1", "after save")
    flush(store, p, events)
    assert structure(read(store.path)) == structure(p)
    assert {f.name for f in store.path.parent.iterdir()} <= {"m.tcm", "m.tcm-wal", "m.tcm-shm"}
    store.close()  # a closed project is one file again
    assert [f.name for f in store.path.parent.iterdir()] == ["m.tcm"]
    assert structure(read(store.path)) == structure(p)


def test_two_stores_at_once(tmp_path: Path) -> None:
    a, b = Project("A"), Project("B")
    with ProjectStore.create(a, tmp_path / "a.tcm") as sa, \
            ProjectStore.create(b, tmp_path / "b.tcm") as sb:
        a.set_info("owner", "x")
        sa.apply(a, [ev.ProjectInfoChanged("owner", "", "x")])
        sb.apply(b, [])
    assert read(tmp_path / "a.tcm").owner == "x" and read(tmp_path / "b.tcm").owner == ""


def test_watch_queues_edits_until_apply(tmp_path: Path) -> None:
    path = tmp_path / "w.tcm"
    ProjectStore.save_as(sample_project(), path)
    store, p = ProjectStore.open(path)
    with store:
        stop = store.watch(p)
        assert not store.has_unsaved
        p.diagram("d1").rename("e1", "watched")
        p.set_info("scope", "watched scope")
        assert store.has_unsaved
        assert read(path).scope != "watched scope"  # nothing written before apply
        store.apply(p)
        assert not store.has_unsaved
        stop()
        p.set_info("scope", "not watched")
        assert not store.has_unsaved
    assert structure(read(path))[2] == structure(p)[2]
    assert read(path).scope == "watched scope"


def test_large_removal_and_unknown_events(tmp_path: Path) -> None:
    path = tmp_path / "big.tcm"
    p = sample_project()
    d = p.diagram("d2")
    for i in range(1200):
        d.add(make_box(ElementKind.ANNOTATION, "GE.A", f"a{i}", Rect(i, 0, 1, 1)))
    with ProjectStore.create(p, path) as store:
        stop = store.watch(p)
        d.remove(list(d.elements))  # more ids than one IN (...) list may hold
        store.apply(p)
        stop()
        p.description = "changed behind the events' back"
        store.apply(p, [ev.Event()])  # an event the store does not know: full rewrite
    assert structure(read(path)) == structure(p)


def test_awkward_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "Ünïcode ?#% folder"
    folder.mkdir()
    path = folder / "my model?#%20.tcm"
    with ProjectStore.create(sample_project(), path) as store:
        assert not store.read_only
    assert structure(read(path)) == structure(sample_project())
    assert sorted(f.name for f in folder.iterdir()) == ["my model?#%20.tcm"]


def test_save_keeps_the_files_permissions(tmp_path: Path) -> None:
    path = tmp_path / "m.tcm"
    write(sample_project(), path)
    path.chmod(0o640)
    write(sample_project(), path)
    assert path.stat().st_mode & 0o777 == 0o640
