"""A small layered (Sugiyama-style) left-to-right layout for data-flow diagrams."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import networkx as nx

Size = tuple[float, float]


def _acyclic(g: nx.DiGraph, order: list[str]) -> nx.DiGraph:
    """A copy with the back edges of a depth-first search reversed, so layering works."""
    dag = nx.DiGraph()
    dag.add_nodes_from(g.nodes)
    state: dict[str, int] = {}  # 1 on the stack, 2 finished
    for root in order:
        if root in state:
            continue
        stack = [(root, iter(sorted(g.successors(root), key=order.index)))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                continue
            if state.get(nxt) == 1:
                dag.add_edge(nxt, node)  # back edge: reverse it
            else:
                dag.add_edge(node, nxt)
                if nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(sorted(g.successors(nxt), key=order.index))))
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
                   groups: Mapping[str, str] | None = None) -> dict[str, tuple[float, float]]:
    """Top-left positions placing nodes in columns by flow depth, left to right.

    `initial` (current centres) breaks ties and keeps the user's rough order; `groups`
    (e.g. the innermost boundary of each node) keeps members of one group together.
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
    roots = [n for n in order if g.in_degree(n) == 0] + order
    dag = _acyclic(g, roots)
    layer = _layers(dag)
    grp = dict(groups or {})
    rows = _order(dag, layer, lambda n: init.get(n, (0, 0))[1], lambda n: grp.get(n, ""))
    out: dict[str, tuple[float, float]] = {}
    x = origin[0]
    heights = [sum(sizes[n][1] for n in row) + v_gap * max(len(row) - 1, 0) for row in rows]
    tallest = max(heights, default=0.0)
    for row, height in zip(rows, heights, strict=True):
        width = max((sizes[n][0] for n in row), default=0.0)
        y = origin[1] + (tallest - height) / 2
        for n in row:
            w, h = sizes[n]
            out[n] = (x + (width - w) / 2, y)
            y += h + v_gap
        x += width + h_gap
    return out
