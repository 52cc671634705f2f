"""SIGKILL at random moments while a child process saves edits: nothing committed is lost.

The child opens the file, then loops: make the edits of revision i (deterministic in i),
save them (incrementally, or every 25th revision as a full atomic save-as), and only then
print i. So when the parent kills it, the file holds either the last revision printed
(killed before that commit finished) or the one after it (killed between the commit and
the print) — never anything else, and never a damaged file.

TC_STORE_KILLS sets the number of kills (default 50).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.domain import (
    Diagram,
    ElementKind,
    MitigationItem,
    Project,
    Rect,
    ThreatRecord,
    ThreatState,
    Triage,
    make_box,
    make_flow,
)
from app.domain import events as ev
from app.store import ProjectStore, dbfile
from tests.data.make_store_fixtures import structure

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("TC_STORE_KILLS", "50"))


def initial_project() -> Project:
    p = Project("Crash test", "crash-1")
    p.created = p.modified = "2026-01-01T00:00:00+00:00"
    p.version = "0"
    d1 = Diagram("Main", "d1")
    p.add_diagram(d1)
    p.add_diagram(Diagram("Bulk", "d2"))
    d1.add(make_box(ElementKind.BOUNDARY_BOX, "GE.TB.B", "Zone", Rect(0, 0, 300, 300),
                    element_id="zone"))
    return p


def edit(p: Project, i: int) -> None:
    """The edits of revision i: every kind of event, small and large transactions."""
    d1, d2 = p.diagram("d1"), p.diagram("d2")
    p.set_info("version", str(i))
    d1.add(make_box(ElementKind.PROCESS, "GE.P", f"p{i}", Rect(i % 50 * 10, i % 7 * 10, 40, 30),
                    {"rev": i}, f"p{i}"), (i * 7) % (len(d1) + 1))
    if f"p{i - 1}" in d1:
        d1.add(make_flow(f"p{i - 1}", f"p{i}", f"f{i}", element_id=f"f{i}"))
    if f"p{i - 8}" in d1:
        d1.remove([f"p{i - 8}"])
    if f"p{i - 2}" in d1:
        d1.set_property(f"p{i - 2}", "touched", i)
    if i % 5 == 0:
        for k in range(100):
            d2.add(make_box(ElementKind.ANNOTATION, "GE.A", f"bulk {i}.{k}", Rect(k, i, 5, 5),
                            element_id=f"b{i}.{k}").with_changes(notes=f"{i}" * 1000))
    elif i % 5 == 1 and len(d2):
        d2.remove(list(d2.elements))
    if i % 7 == 0:
        p.set_triage(f"R@p{i}", Triage(ThreatState.MITIGATED, f"rev {i}",
                                       mitigations=(MitigationItem(f"m{i}"),)))
        p.set_triage(f"R@p{i - 70}", None)
    if i % 11 == 0:
        p.put_threat(ThreatRecord(f"T{i}", f"threat {i}", element_ids=(f"p{i}",)))
        p.remove_threat(f"T{i - 11}")
    if i % 13 == 0:
        d1.reorder(list(reversed(list(d1.elements))))
    if i % 17 == 0:
        p.move_diagram("d2", 0 if p.diagrams[0].id == "d1" else 1)
        p.rename_diagram("d1", f"Main {i}")
    if i % 19 == 0:
        p.set_pack_enabled("stride", i % 2 == 0)


def child(path: str) -> None:
    """Edit and save forever, printing each revision once it is committed."""
    store, p = ProjectStore.open(path)
    events: list[ev.Event] = []
    p.subscribe(events.append)
    i = int(p.version)
    print("ready", i, flush=True)
    while True:
        i += 1
        edit(p, i)
        if i % 25 == 0:
            store.save(p)
        else:
            store.apply(p, events)
        events.clear()
        print(i, flush=True)


def _spawn(path: Path, log: Path) -> subprocess.Popen[str]:
    code = "import sys; from tests.integration.test_store_crash import child; child(sys.argv[1])"
    with log.open("a") as err:
        return subprocess.Popen([sys.executable, "-c", code, str(path)], cwd=ROOT, text=True,
                                stdout=subprocess.PIPE, stderr=err)


@pytest.mark.slow
def test_sigkill_never_loses_a_committed_save(tmp_path: Path) -> None:
    path = tmp_path / "crash.tcm"
    log = tmp_path / "child.log"
    ProjectStore.save_as(initial_project(), path)
    expected, at = initial_project(), 0
    rng = random.Random(20261125)
    outcomes = {"printed": 0, "one more": 0, "hot journal": 0, "wal replayed": 0}
    for n in range(KILLS):
        proc = _spawn(path, log)
        try:
            assert proc.stdout is not None
            if n % 10 == 9:  # now and then, kill it while it opens (and recovers) the file
                time.sleep(rng.uniform(0, 0.3))
            else:
                first = proc.stdout.readline()
                assert first.startswith("ready"), log.read_text()
                assert int(first.split()[1]) == at
                time.sleep(rng.uniform(0, 0.12))
        finally:
            proc.send_signal(signal.SIGKILL)
            out, _ = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, log.read_text()
        done = [int(x) for x in out.splitlines() if x.isdigit()]
        reported = done[-1] if done else at
        outcomes["hot journal"] += dbfile.hot_journal(path)  # killed inside a commit
        outcomes["wal replayed"] += dbfile.has_wal(path)  # committed edits only in -wal
        db = sqlite3.connect(path)  # replays a hot journal, as any open does
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        db.close()
        store, p = ProjectStore.open(path)
        store.close()
        rev = int(p.version)
        assert rev in (reported, reported + 1), f"kill {n}: file at {rev}, child said {reported}"
        outcomes["printed" if rev == reported else "one more"] += 1
        while at < rev:
            at += 1
            edit(expected, at)
        assert structure(p) == structure(expected), f"kill {n} at revision {rev}"
    assert at > KILLS, "the child made too few saves to test anything"
    # A kill can leave a temporary file of an unfinished save-as, and an emptied journal
    # that is not hot; neither is ever read as the project.  (Opening and closing the
    # store folded every -wal back into the file.)
    leftovers = {f.name for f in tmp_path.iterdir()} - {"crash.tcm", "child.log"}
    assert all(name.startswith(".crash.tcm.") or name == "crash.tcm-journal"
               for name in leftovers), leftovers
    print(f"{KILLS} kills up to revision {at}: {outcomes}")
