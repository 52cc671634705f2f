"""Drawing positions: edits move as few rows as possible and order is always kept."""

from __future__ import annotations

import random
from itertools import pairwise

from app.store.order import increasing_run, place, reposition


def positions_follow(order: list[str], pos: dict[str, float]) -> bool:
    values = [pos[e] for e in order]
    return all(a < b for a, b in pairwise(values))


def test_insertions_take_room_between_neighbours() -> None:
    pos = {"a": 0.0, "b": 1.0, "c": 2.0}
    assert place(["x", "a", "y", "z", "b", "c", "w"], pos) == {
        "x": -1.0, "y": 1 / 3, "z": 2 / 3, "w": 3.0}
    assert place(["b", "a"], pos) is None  # existing ids out of order
    assert place(["p", "q"], {}) == {"p": 0.0, "q": 1.0}


def test_bring_to_front_moves_one_row() -> None:
    order = [f"e{i}" for i in range(1000)]
    pos = {e: float(i) for i, e in enumerate(order)}
    order.append(order.pop(10))
    assert reposition(order, pos) == {"e10": 1000.0}
    order.insert(0, order.pop())
    assert set(reposition(order, pos)) == {"e10"}


def test_random_reorders_move_only_what_must_move() -> None:
    rng = random.Random(5)
    order = [f"e{i}" for i in range(300)]
    pos = {e: float(i) for i, e in enumerate(order)}
    for _ in range(50):
        for _ in range(rng.randint(1, 5)):
            order.insert(rng.randrange(len(order)), order.pop(rng.randrange(len(order))))
        if rng.random() < 0.3:
            new = f"n{rng.random()}"
            order.insert(rng.randrange(len(order)), new)
        keep = increasing_run(order, pos)
        moved = reposition(order, pos)
        assert len(moved) == len(order) - len(keep)
        pos.update(moved)
        assert positions_follow(order, pos)


def test_running_out_of_room_renumbers() -> None:
    pos = {"a": 0.0, "b": 5e-324}  # no float between these two
    moved = reposition(["a", "x", "b"], pos)
    pos.update(moved)
    assert positions_follow(["a", "x", "b"], pos)
