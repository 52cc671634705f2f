"""Store scale: open, full save and one-edit incremental save of a 5,000-element project.

Usage: python benchmarks/store_scale.py [--nodes 5000] [--flows 7500] [--repeat 9]
Targets: open ≤ 0.5 s, one-edit save ≤ 20 ms (medians). Peak memory is traced during an
open (tracemalloc, Python allocations) and reported as the process's peak RSS too.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from app.domain import Diagram, ElementKind, Project, Rect, make_box, make_flow
from app.domain import events as ev
from app.store import ProjectStore

OPEN_TARGET_S = 0.5
EDIT_TARGET_S = 0.020
KINDS = (ElementKind.PROCESS, ElementKind.DATA_STORE, ElementKind.EXTERNAL_ENTITY)
TYPES = {ElementKind.PROCESS: "ai.inference_service", ElementKind.DATA_STORE: "ai.model_registry",
         ElementKind.EXTERNAL_ENTITY: "actor.end_user"}


def big_project(nodes: int, flows: int, seed: int = 7) -> Project:
    """One diagram: `nodes` entities/processes/stores with properties, `flows` flows
    between random pairs, and a few trust boundaries."""
    rng = random.Random(seed)
    p = Project("Scale test")
    d = Diagram("Everything")
    p.add_diagram(d)
    for b in range(4):
        d.add(make_box(ElementKind.BOUNDARY_BOX, "GE.TB.B", f"Zone {b}",
                       Rect(b * 2500, 0, 2400, 6000), {"trust_level": "internal"}))
    ids = []
    for i in range(nodes):
        kind = KINDS[i % 3]
        e = make_box(kind, TYPES[kind], f"{kind.value} {i}",
                     Rect((i % 100) * 100.0, (i // 100) * 80.0, 80, 50),
                     {"authenticates": i % 2 == 0, "exposure": "internal", "replicas": i % 5})
        d.add(e)
        ids.append(e.id)
    for j in range(flows):
        a, b = rng.sample(ids, 2)
        d.add(make_flow(a, b, f"flow {j}", properties={"encrypted": j % 3 == 0}))
    return p


def median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--flows", type=int, default=7500)
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args(argv)
    project = big_project(args.nodes, args.flows)
    total = sum(len(d) for d in project.diagrams)
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent) as folder:
        path = Path(folder) / "scale.tcm"
        save_s = median(lambda: ProjectStore.save_as(project, path), args.repeat)

        def timed_open(read_only: bool) -> float:
            t = time.perf_counter()
            store, _ = ProjectStore.open(path, read_only=read_only)
            took = time.perf_counter() - t
            store.close()  # not timed: folds the WAL back in
            return took

        open_s = statistics.median(timed_open(False) for _ in range(args.repeat))
        open_ro_s = statistics.median(timed_open(True) for _ in range(args.repeat))
        tracemalloc.start()
        store, loaded = ProjectStore.open(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        d = loaded.diagrams[0]
        nodes = [e.id for e in d if e.kind.is_node]
        edits = iter(range(10**9))

        def one_edit() -> None:
            i = next(edits)
            eid = nodes[i % len(nodes)]
            d.set_property(eid, "replicas", i)
            store.apply(loaded, [ev.PropertyChanged(d.id, eid, "replicas", None, i)])

        def one_move() -> None:
            eid = nodes[next(edits) % len(nodes)]
            d.translate(eid, 5, 5)
            store.apply(loaded, [ev.ElementMoved(d.id, eid)])

        def bring_to_front() -> None:
            order = list(d.elements)
            order.append(order.pop(next(edits) % 1000))
            d.reorder(order)  # emits an event for every element; one row moves
            store.apply(loaded, [ev.ElementMoved(d.id, eid) for eid in order])

        edit_s = median(one_edit, args.repeat * 5)
        move_s = median(one_move, args.repeat * 5)
        front_s = median(bring_to_front, args.repeat)
        store.close()
        size = path.stat().st_size
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{len(__import__('os').sched_getaffinity(0))} cores")
    print(f"project: {args.nodes} nodes + {args.flows} flows + 4 boundaries = {total} elements,"
          f" file {size / 1e6:.1f} MB")
    print(f"full save (atomic save-as): {save_s * 1000:8.1f} ms")
    print(f"open for editing:           {open_s * 1000:8.1f} ms   (target ≤ "
          f"{OPEN_TARGET_S * 1000:.0f} ms)")
    print(f"open read-only (info):      {open_ro_s * 1000:8.1f} ms")
    print(f"one-edit save (property):   {edit_s * 1000:8.2f} ms   (target ≤ "
          f"{EDIT_TARGET_S * 1000:.0f} ms)")
    print(f"one-edit save (move):       {move_s * 1000:8.2f} ms")
    print(f"bring to front (reorder):   {front_s * 1000:8.2f} ms")
    print(f"peak traced memory during open: {peak / 1e6:.1f} MB; peak RSS {rss_mb:.0f} MB")
    ok = open_s <= OPEN_TARGET_S and max(edit_s, move_s) <= EDIT_TARGET_S
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
