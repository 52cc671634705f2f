"""The layered left-to-right layout: columns follow flows, cycles are broken, groups kept
in their own lanes."""

from __future__ import annotations

from app.engine.layout import layered_layout

SIZE = (100.0, 50.0)


def _boxes(pos, sizes):
    return {n: (x, y, x + sizes[n][0], y + sizes[n][1]) for n, (x, y) in pos.items()}


def test_chain_goes_left_to_right():
    sizes = {n: SIZE for n in "abcd"}
    pos = layered_layout(sizes, [("a", "b"), ("b", "c"), ("c", "d")])
    xs = [pos[n][0] for n in "abcd"]
    assert xs == sorted(xs) and len(set(xs)) == 4


def test_cycle_is_broken_and_entities_come_first():
    sizes = {n: SIZE for n in ("user", "web", "db")}
    edges = [("user", "web"), ("web", "user"), ("web", "db"), ("db", "web")]
    pos = layered_layout(sizes, edges, first=["user"])
    assert pos["user"][0] < pos["web"][0] < pos["db"][0]


def test_no_overlaps_and_origin_respected():
    sizes = {f"n{i}": (80.0 + i * 5, 40.0 + i) for i in range(12)}
    edges = [(f"n{i}", f"n{(i * 7 + 3) % 12}") for i in range(12)]
    pos = layered_layout(sizes, edges, origin=(100.0, 200.0))
    boxes = list(_boxes(pos, sizes).values())
    assert min(b[0] for b in boxes) >= 100.0 and min(b[1] for b in boxes) >= 200.0
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_groups_get_separate_lanes_when_their_columns_overlap():
    sizes = {n: SIZE for n in ("a", "b", "c", "d")}
    edges = [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]
    groups = {"b": "zone1", "c": "zone2"}
    pos = layered_layout(sizes, edges, groups=groups)
    b, c = _boxes(pos, sizes)["b"], _boxes(pos, sizes)["c"]
    assert pos["b"][0] == pos["c"][0]  # same column
    assert abs(b[1] - c[1]) >= SIZE[1] + 50 + 40  # room for two boundary boxes between


def test_empty_and_deterministic():
    assert layered_layout({}, []) == {}
    sizes = {n: SIZE for n in "abcdef"}
    edges = [("a", "b"), ("b", "c"), ("a", "d"), ("d", "e"), ("e", "c"), ("f", "a")]
    assert layered_layout(sizes, edges) == layered_layout(sizes, edges)
