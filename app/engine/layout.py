"""A small layered (Sugiyama-style) left-to-right layout for data-flow diagrams."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import networkx as nx

Size = tuple[float, float]


def _acyclic(g: nx.DiGraph, rank: Callable[[str], tuple]) -> nx.DiGraph:
    """A copy with a small set of edges reversed so no cycle remains (the Eades–Lin–Smyth
    greedy heuristic; ties go to the node that `rank` puts first, e.g. external entities)."""
    work = g.copy()
    left: list[str] = []
    right: list[str] = []
    while work.number_of_nodes():
        changed = True
        while changed:
            changed = False
            sinks = sorted((n for n in work if work.out_degree(n) == 0), key=rank)
            for n in sinks:
                right.insert(0, n)
                work.remove_node(n)
                changed = True
            sources = sorted((n for n in work if work.in_degree(n) == 0), key=rank)
            for n in sources:
                left.append(n)
                work.remove_node(n)
                changed = True
        if work.number_of_nodes():
            best = min(work, key=lambda n: (rank(n)[0], work.in_degree(n) - work.out_degree(n),
                                            rank(n)))
            left.append(best)
            work.remove_node(best)
    pos = {n: i for i, n in enumerate(left + right)}
    dag = nx.DiGraph()
    dag.add_nodes_from(g.nodes)
    for s, t in g.edges:
        dag.add_edge(s, t) if pos[s] < pos[t] else dag.add_edge(t, s)
    return dag


def _layers(dag: nx.DiGraph) -> dict[str, int]:
    layer: dict[str, int] = {}
    for n in nx.topological_sort(dag):
        preds = list(dag.predecessors(n))
        layer[n] = max((layer[p] + 1 for p in preds), default=0)
    return layer


def _order(dag: nx.DiGraph, layer: dict[str, int], initial: Callable[[str], float],
           group: Callable[[str], str]) -> list[list[str]]:
    """Nodes of each layer ordered by barycentre sweeps (grouped by `group` first)."""
    count = max(layer.values(), default=-1) + 1
    rows: list[list[str]] = [[] for _ in range(count)]
    for n in sorted(layer, key=initial):
        rows[layer[n]].append(n)
    und = dag.to_undirected()
    for sweep in range(6):
        rng = range(1, count) if sweep % 2 == 0 else range(count - 2, -1, -1)
        for i in rng:
            ref = rows[i - 1] if sweep % 2 == 0 else rows[i + 1]
            pos = {n: k for k, n in enumerate(ref)}

            def bary(n: str, pos: dict[str, int] = pos, row: list[str] = rows[i]) -> float:
                near = [pos[m] for m in und.neighbors(n) if m in pos]
                return sum(near) / len(near) if near else float(row.index(n))

            scores = {n: bary(n) for n in rows[i]}
            groups: dict[str, list[float]] = {}
            for n in rows[i]:
                groups.setdefault(group(n), []).append(scores[n])
            gscore = {k: sum(v) / len(v) for k, v in groups.items()}
            rows[i].sort(key=lambda n, s=scores: (gscore[group(n)], group(n), s[n]))
    return rows


def layered_layout(sizes: Mapping[str, Size], edges: Iterable[tuple[str, str]],
                   origin: tuple[float, float] = (0.0, 0.0), h_gap: float = 110.0,
                   v_gap: float = 60.0, initial: Mapping[str, tuple[float, float]] | None = None,
                   groups: Mapping[str, str] | None = None,
                   first: Iterable[str] = ()) -> dict[str, tuple[float, float]]:
    """Top-left positions placing nodes in columns by flow depth, left to right.

    `initial` (current centres) breaks ties and keeps the user's rough order; `groups`
    (e.g. the innermost boundary of each node) keeps members of one group together;
    nodes in `first` (e.g. external entities) win ties for the leftmost columns.
    """
    if not sizes:
        return {}
    init = dict(initial or {})
    names = list(sizes)
    order = sorted(names, key=lambda n: (init.get(n, (0, 0))[0], init.get(n, (0, 0))[1],
                                         names.index(n)))
    g = nx.DiGraph()
    g.add_nodes_from(order)
    for s, t in edges:
        if s in sizes and t in sizes and s != t:
            g.add_edge(s, t)
    early = set(first)
    index = {n: i for i, n in enumerate(order)}
    dag = _acyclic(g, lambda n: (0 if n in early else 1, index[n]))
    layer = _layers(dag)
    grp = dict(groups or {})
    rows = _order(dag, layer, lambda n: init.get(n, (0, 0))[1], lambda n: grp.get(n, ""))
    column = {n: i for i, row in enumerate(rows) for n in row}
    rank = {n: k for row in rows for k, n in enumerate(row)}
    xs: list[float] = []
    x = origin[0]
    widths = [max((sizes[n][0] for n in row), default=0.0) for row in rows]
    for w in widths:
        xs.append(x)
        x += w + h_gap
    out: dict[str, tuple[float, float]] = {}
    paths = {n: tuple(p for p in grp.get(n, "").split("/") if p) for n in sizes}
    _band(list(sizes), (), origin[1], paths, column, rank, sizes, v_gap, out)
    for n, (_x, y) in list(out.items()):
        c = column[n]
        out[n] = (xs[c] + (widths[c] - sizes[n][0]) / 2, y)
    return out


BAND_TOP, BAND_BOTTOM = 50.0, 40.0  # room for a boundary's title and border


def _band(nodes: list[str], prefix: tuple[str, ...], y0: float,
          paths: Mapping[str, tuple[str, ...]], column: Mapping[str, int],
          rank: Mapping[str, int], sizes: Mapping[str, Size], v_gap: float,
          out: dict[str, tuple[float, float]]) -> float:
    """Place the nodes of one group: each nested group is a block spanning its columns;
    blocks whose columns overlap go in separate lanes, stacked vertically, so boundary boxes
    drawn around groups never cover another group's nodes. Returns the group's height."""
    depth = len(prefix)
    parts: dict[tuple[str, int], list[str]] = {}
    for n in nodes:
        key = (paths[n][depth], -1) if len(paths[n]) > depth else ("", column[n])
        parts.setdefault(key, []).append(n)
    order = sorted(parts, key=lambda k: sum(rank[n] for n in parts[k]) / len(parts[k]))
    blocks: list[tuple[int, int, float, dict[str, tuple[float, float]]]] = []
    for key in order:
        members = parts[key]
        local: dict[str, tuple[float, float]] = {}
        if key[0] == "":
            y = 0.0
            for n in sorted(members, key=lambda n: rank[n]):
                local[n] = (0.0, y)
                y += sizes[n][1] + v_gap
            h = y - v_gap
        else:
            h = _band(members, (*prefix, key[0]), 0.0, paths, column, rank, sizes, v_gap, local)
        cols = [column[n] for n in members]
        blocks.append((min(cols), max(cols), h, local))
    lanes: list[list[tuple[int, int, float, dict[str, tuple[float, float]]]]] = []
    # Widest blocks claim lanes first; narrow ones (single columns) fill in beside them.
    for b in sorted(blocks, key=lambda b: b[0] - b[1]):
        for lane in lanes:
            if all(b[1] < o[0] or b[0] > o[1] for o in lane):
                lane.append(b)
                break
        else:
            lanes.append([b])
    y = y0 + (BAND_TOP if prefix else 0.0)
    for lane in lanes:
        h = max(b[2] for b in lane)
        for _lo, _hi, bh, local in lane:
            dy = y + (h - bh) / 2
            for n, (x, ly) in local.items():
                out[n] = (x, ly + dy)
        y += h + v_gap
    y -= v_gap
    return y - y0 + (BAND_BOTTOM if prefix else 0.0)
