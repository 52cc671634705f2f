"""Drawing order on disk: sparse real positions, so an edit rewrites as few rows as it can.

An insertion takes a position between its neighbours; a removal shifts nothing; a reorder
keeps the longest run of elements already in increasing order and moves only the rest
(bring-to-front of one element rewrites one row, not the whole diagram).
"""

from __future__ import annotations

import bisect
import math
import operator


def place(order: list[str], pos: dict[str, float]) -> dict[str, float] | None:
    """Positions for the ids of `order` missing from `pos`, between their neighbours;
    None when the ids that have positions are not in increasing order, or no room is left."""
    out: dict[str, float] = {}
    prev = -math.inf
    pending: list[str] = []
    for eid in order:
        p = pos.get(eid)
        if p is None:
            pending.append(eid)
            continue
        if p <= prev:
            return None
        if pending:
            lo = p - len(pending) - 1 if prev == -math.inf else prev
            step = (p - lo) / (len(pending) + 1)
            last = lo
            for k, pid in enumerate(pending, 1):
                out[pid] = lo + step * k
                if not last < out[pid] < p:  # floating point ran out of room
                    return None
                last = out[pid]
            pending = []
        prev = p
    start = 0.0 if prev == -math.inf else math.floor(prev) + 1.0
    for k, pid in enumerate(pending):
        out[pid] = start + k
    return out


def increasing_run(order: list[str], pos: dict[str, float]) -> set[str]:
    """The ids of a longest subsequence of `order` whose stored positions increase."""
    ids = [eid for eid in order if eid in pos]
    tails: list[float] = []  # tails[k]: smallest last position of a run of length k + 1
    tail_index: list[int] = []
    parent: list[int] = [-1] * len(ids)
    for i, eid in enumerate(ids):
        p = pos[eid]
        k = bisect.bisect_left(tails, p)
        if k == len(tails):
            tails.append(p)
            tail_index.append(i)
        else:
            tails[k] = p
            tail_index[k] = i
        parent[i] = tail_index[k - 1] if k else -1
    keep: set[str] = set()
    i = tail_index[-1] if tail_index else -1
    while i >= 0:
        keep.add(ids[i])
        i = parent[i]
    return keep


def reposition(order: list[str], pos: dict[str, float]) -> dict[str, float]:
    """New positions for every id of `order` that must move (or is new) so that positions
    follow `order`; ids left out keep theirs."""
    values = list(map(pos.get, order))  # the common case, checked at C speed: nothing moved
    if None not in values and all(map(operator.lt, values, values[1:])):
        return {}
    placed = place(order, pos)
    if placed is None:
        keep = increasing_run(order, pos)
        placed = place(order, {eid: pos[eid] for eid in keep})
        if placed is None:  # no room between neighbours: renumber everything
            placed = {eid: float(i) for i, eid in enumerate(order)}
    return {eid: p for eid, p in placed.items() if pos.get(eid) != p}
