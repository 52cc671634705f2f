"""What the rules look at, computed once per snapshot: elements by id, the flow graph
(networkx), boundary containment and crossings, and lazily cached reachability sets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from app.domain import Element, ElementKind, ProjectSnapshot, PropertyValue, TypeHierarchy
from app.domain.geometry import polylines_intersect
from app.domain.topology import flow_end, flow_path

Defaults = Mapping[str, Mapping[str, PropertyValue]]
SetKey = tuple[str, ...]

#: Types whose elements are crown-jewel assets for attack-path analysis.
JEWEL_TYPES = ("ai.training_data_store", "ai.feature_store", "ai.model_registry",
               "ai.artifact_store")
SENSITIVE_CLASSES = frozenset({"pii", "phi", "confidential"})
_TRUE = frozenset({"yes", "true", "1"})
_FALSE = frozenset({"no", "false", "0"})


def norm(value: PropertyValue | None) -> str | None:
    """A value as rules compare it: lower-case text; yes/true/1 → "yes", no/false/0 → "no"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return "yes"
    if text in _FALSE:
        return "no"
    return text


class ModelFacts:
    """Indexes over one snapshot; `sets` caches reachability sets keyed by what they mean."""

    def __init__(self, snapshot: ProjectSnapshot, hierarchy: TypeHierarchy,
                 defaults: Defaults | None = None) -> None:
        self.hierarchy = hierarchy
        self.defaults: Defaults = defaults or {}
        self._ancestors: dict[tuple[str, ElementKind], frozenset[str]] = {}
        self._norms: dict[tuple[type, PropertyValue], str | None] = {}
        self._type_defaults: dict[str, dict[str, str]] = {}
        self.load(snapshot)

    # -- building ----------------------------------------------------------------------
    def load(self, snapshot: ProjectSnapshot) -> None:
        """Index every diagram of the snapshot from scratch."""
        self.snapshot = snapshot
        self.elements: dict[str, Element] = {}
        self.diagram_of: dict[str, str] = {}
        self.diagram_maps: dict[str, Mapping[str, Element]] = {}
        self.graph: nx.DiGraph = nx.DiGraph()
        self.in_flows: dict[str, list[str]] = {}
        self.out_flows: dict[str, list[str]] = {}
        self.containers: dict[str, tuple[str, ...]] = {}
        self.crossings: dict[str, tuple[str, ...]] = {}
        self.sets: dict[SetKey, frozenset[str]] = {}
        for d in snapshot.diagrams:
            self.diagram_maps[d.id] = d.elements
            for eid, e in d.elements.items():
                if eid in self.elements:
                    continue  # an id reused on a later diagram: the first one counts (lint)
                self.elements[eid] = e
                self.diagram_of[eid] = d.id
                if e.kind.is_node:
                    self.graph.add_node(eid)
                    self.in_flows[eid] = []
                    self.out_flows[eid] = []
        self.order: dict[str, int] = {eid: i for i, eid in enumerate(self.elements)}
        self.anc: dict[str, frozenset[str]] = {}
        self.nprops: dict[str, dict[str, str]] = {}
        for e in self.elements.values():
            self.index_element(e)
        for e in self.elements.values():
            if e.is_flow:
                self._link(e)
        for d in snapshot.diagrams:
            self.index_geometry(d.id)

    def index_element(self, e: Element) -> None:
        """Cache the element's ancestor types and normalised properties (with defaults)."""
        self.anc[e.id] = self.ancestors(e)
        own = self._normalised(e.properties)
        d = self._type_defaults.get(e.type_id)
        if d is None:
            d = self._type_defaults[e.type_id] = self._normalised(
                self.defaults.get(e.type_id) or {})
        self.nprops[e.id] = {**d, **own} if d else own

    def _normalised(self, props: Mapping[str, PropertyValue]) -> dict[str, str]:
        cache = self._norms
        out: dict[str, str] = {}
        for k, v in props.items():
            key = (v.__class__, v)  # the class keeps True apart from 1
            n = cache.get(key)
            if n is None:
                n = cache[key] = norm(v)  # type: ignore[assignment]
            if n is not None:
                out[k] = n
        return out

    def forget_element(self, eid: str) -> None:
        self.anc.pop(eid, None)
        self.nprops.pop(eid, None)

    def _link(self, flow: Element) -> None:
        """Record a flow whose two ends are nodes (flows with a missing end link nothing)."""
        s, t = flow.source_id, flow.target_id
        if s in self.out_flows and t in self.in_flows:
            self.out_flows[s].append(flow.id)
            self.in_flows[t].append(flow.id)
            if self.graph.has_edge(s, t):
                self.graph[s][t]["n"] += 1
            else:
                self.graph.add_edge(s, t, n=1)

    def _unlink(self, flow: Element) -> None:
        s, t = flow.source_id, flow.target_id
        if s in self.out_flows and flow.id in self.out_flows[s]:
            self.out_flows[s].remove(flow.id)
        if t in self.in_flows and flow.id in self.in_flows[t]:
            self.in_flows[t].remove(flow.id)
        if self.graph.has_edge(s, t):
            data = self.graph[s][t]
            data["n"] -= 1
            if data["n"] <= 0:
                self.graph.remove_edge(s, t)

    def boundaries(self, diagram_id: str) -> tuple[list[Element], list[Element]]:
        """The boundary boxes and boundary lines of a diagram, in drawing order."""
        els = self.diagram_maps[diagram_id].values()
        boxes = [e for e in els if e.kind is ElementKind.BOUNDARY_BOX and e.rect is not None]
        lines = [e for e in els if e.kind is ElementKind.BOUNDARY_LINE and len(e.points) >= 2]
        return boxes, lines

    def index_geometry(self, diagram_id: str, only: Iterable[str] | None = None) -> None:
        """(Re)compute containment of nodes and crossings of flows, for all or `only` ids."""
        boxes, lines = self.boundaries(diagram_id)
        elements = self.diagram_maps[diagram_id]
        ids = list(elements) if only is None else [i for i in only if i in elements]
        # Largest first, so containers come out outermost first (as in app.domain.topology).
        spans = sorted(((b.rect.x, b.rect.y, b.rect.right, b.rect.bottom,  # type: ignore[union-attr]
                         -b.rect.area(), i, b.id) for i, b in enumerate(boxes)),  # type: ignore[union-attr]
                       key=lambda t: (t[4], t[5]))
        for eid in ids:
            e = elements[eid]
            if e.kind.is_node and e.rect is not None:
                r = e.rect
                cx, cy = r.x + r.width / 2, r.y + r.height / 2
                self.containers[eid] = tuple(
                    bid for x0, y0, x1, y1, _a, _i, bid in spans
                    if x0 <= cx <= x1 and y0 <= cy <= y1)
        for eid in ids:
            e = elements[eid]
            if e.is_flow:
                self.crossings[eid] = self._crossed(elements, e, boxes, lines)

    def _crossed(self, elements: Mapping[str, Element], flow: Element,
                 boxes: list[Element], lines: list[Element]) -> tuple[str, ...]:
        """Same answer as app.domain.topology.crossed_boundaries, from cached containment."""
        out: list[str] = []
        if boxes:
            s, t = flow.source_id, flow.target_id
            if s in self.containers and t in self.containers:
                differ = set(self.containers[s]) ^ set(self.containers[t])
                out.extend(b.id for b in boxes if b.id in differ)
            else:
                start = flow_end(elements, flow, "source")
                end = flow_end(elements, flow, "target")
                if start is not None and end is not None:
                    out.extend(b.id for b in boxes  # type: ignore[union-attr]
                               if b.rect.contains_point(start) != b.rect.contains_point(end))
        if lines:
            path = flow_path(elements, flow)
            out.extend(b.id for b in lines if polylines_intersect(path, b.points))
        if boxes and lines:
            order = {b.id: i for i, b in enumerate(elements.values()) if b.is_boundary}
            out.sort(key=order.__getitem__)
        return tuple(out)

    # -- element questions ---------------------------------------------------------------
    def ancestors(self, e: Element) -> frozenset[str]:
        """The element's type, its ancestors, and its generic DFD type."""
        key = (e.type_id, e.kind)
        anc = self._ancestors.get(key)
        if anc is None:
            anc = frozenset([*self.hierarchy.ancestors(e.type_id), e.kind.generic_type])
            self._ancestors[key] = anc
        return anc

    def is_a(self, e: Element, type_id: str) -> bool:
        return type_id in self.ancestors(e)

    def prop(self, e: Element, key: str) -> PropertyValue | None:
        """A property value, falling back to the stencil default."""
        v = e.properties.get(key)
        if v is None:
            d = self.defaults.get(e.type_id)
            if d is not None:
                v = d.get(key)
        return v

    def name(self, element_id: str | None) -> str:
        """The element's name for messages (its id when unnamed)."""
        e = self.elements.get(element_id or "")
        if e is None:
            return "(none)"
        return e.name or e.id

    def is_trusted_boundary(self, boundary_id: str) -> bool:
        p = self.nprops.get(boundary_id)
        return p is not None and p.get("trust_level") == "trusted"

    def is_entry(self, e: Element) -> bool:
        """An untrusted entry point: an external entity or internet-exposed element that no
        trusted boundary contains."""
        if not (e.kind is ElementKind.EXTERNAL_ENTITY
                or self.nprops[e.id].get("exposure") == "internet"):
            return False
        return not any(self.is_trusted_boundary(b) for b in self.containers.get(e.id, ()))

    def is_jewel(self, e: Element) -> bool:
        """A crown-jewel asset: training data, features, models, secrets, sensitive data."""
        if not e.kind.is_node:
            return False
        anc = self.anc[e.id]
        if any(t in anc for t in JEWEL_TYPES):
            return True
        return self.is_sensitive(e)

    def is_sensitive(self, e: Element) -> bool:
        """Holds PII/PHI/confidential data or secrets."""
        p = self.nprops[e.id]
        return p.get("data_classification") in SENSITIVE_CLASSES or p.get("holds_secrets") == "yes"

    # -- reachability sets ---------------------------------------------------------------
    def reach(self, key: SetKey) -> frozenset[str]:
        """A cached node-id set: ("untrusted",), ("fed_by", T), ("feeds", T),
        ("upstream", PROP, VALUE|""), ("downstream", PROP, VALUE|"")."""
        s = self.sets.get(key)
        if s is None:
            s = self.compute(key)
            self.sets[key] = s
        return s

    def compute(self, key: SetKey) -> frozenset[str]:
        kind = key[0]
        if kind == "untrusted":
            els = self.elements
            return self._walk([n for n in self.in_flows if self.is_entry(els[n])], True, True)
        anc, nprops = self.anc, self.nprops
        if kind in ("fed_by", "feeds"):
            t = key[1]
            return self._walk([n for n in self.in_flows if t in anc[n]], kind == "fed_by", False)
        forward = kind == "upstream"
        prop, value = key[1], key[2]
        want = norm(value)
        if value:
            seeds = [n for n in self.in_flows if nprops[n].get(prop) == want]
            flows = [f for f in self.crossings if nprops[f].get(prop) == want]
        else:
            seeds = [n for n in self.in_flows if nprops[n].get(prop) not in (None, "")]
            flows = [f for f in self.crossings if nprops[f].get(prop) not in (None, "")]
        ends: list[str] = []
        for fid in flows:  # a matching flow counts for the node it leads into (or out of)
            f = self.elements[fid]
            end = f.target_id if forward else f.source_id
            if end in self.in_flows:
                ends.append(end)  # type: ignore[arg-type]
        return self._walk(seeds, forward, False) | self._walk(ends, forward, True)

    def grow(self, key: SetKey, old: frozenset[str], flows: list[Element]) -> frozenset[str]:
        """The set `key` after adding `flows` (node to node) to the graph, from its old
        value: additions only ever extend reachability, so walk on from the new edges."""
        kind = key[0]
        forward = kind in ("untrusted", "fed_by", "upstream")
        value = key[2] if len(key) > 2 else ""
        want = norm(value) if value else None

        def hit(eid: str) -> bool:  # a seed of `key` (entries are in `old` already)
            if kind in ("fed_by", "feeds"):
                return key[1] in self.anc[eid]
            if kind == "untrusted":
                return False
            v = self.nprops[eid].get(key[1])
            return v == want if value else v not in (None, "")

        starts: list[str] = []
        for f in flows:
            a, b = ((f.source_id, f.target_id) if forward else (f.target_id, f.source_id))
            if b in old:
                continue
            if a in old or hit(a) or (kind in ("upstream", "downstream") and hit(f.id)):  # type: ignore[arg-type]
                starts.append(b)  # type: ignore[arg-type]
        if not starts:
            return old
        adj = self.graph._succ if forward else self.graph._pred
        seen = set(old)
        stack = [b for b in starts if b not in seen]
        seen.update(stack)
        while stack:
            for m in adj[stack.pop()]:
                if m not in seen:
                    seen.add(m)
                    stack.append(m)
        return frozenset(seen)

    def _walk(self, seeds: list[str], forward: bool, inclusive: bool) -> frozenset[str]:
        """Nodes reached from `seeds` along (or against) flow direction; seeds themselves
        only when `inclusive` or when a cycle leads back to them."""
        # networkx's own adjacency dicts, read only: no view object per lookup.
        adj = self.graph._succ if forward else self.graph._pred
        seen: set[str] = set()
        stack: list[str] = []
        if inclusive:
            seen.update(seeds)
            stack.extend(seen)
        else:
            for s in seeds:
                for m in adj[s]:
                    if m not in seen:
                        seen.add(m)
                        stack.append(m)
        while stack:
            for m in adj[stack.pop()]:
                if m not in seen:
                    seen.add(m)
                    stack.append(m)
        return frozenset(seen)
