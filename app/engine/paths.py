"""Attack paths: from untrusted entry points to crown-jewel assets, over the flow graph."""

from __future__ import annotations

import itertools

from app.domain import Element, Finding, threat_key
from app.domain.threats import clamp_level
from app.engine.facts import SENSITIVE_CLASSES, ModelFacts

PATH_RULE = "PATH-001"
PATH_PACK = "graph"
_DESCRIPTION = (
    "Data sent by an untrusted party can travel along these flows to a crown-jewel asset "
    "(training data, features, model artefacts, secrets or sensitive records). Each hop is a "
    "place where the asset can be poisoned, stolen or tampered with if it trusts its input."
)
_MITIGATIONS = (
    "Authenticate and authorize every flow that reaches the asset",
    "Validate and sanitise data at each hop before it is stored or used for training",
    "Keep the asset inside a trusted boundary and break direct paths from untrusted parties",
    "Log and monitor access to the asset",
)


def nearest_entries(facts: ModelFacts) -> tuple[dict[str, str | None], dict[str, int]]:
    """For every node reachable from an untrusted entry: its BFS parent (None for entries)
    and its distance in flows.

    Layers are visited in element order, so the answer does not depend on how the graph
    was built (full run or incremental updates)."""
    order = facts.order
    entries = sorted((n for n in facts.graph.nodes if facts.is_entry(facts.elements[n])),
                     key=order.__getitem__)
    parent: dict[str, str | None] = dict.fromkeys(entries)
    dist = dict.fromkeys(entries, 0)
    layer = entries
    succ = facts.graph._succ  # networkx adjacency dict, read only
    depth = 0
    while layer:
        depth += 1
        nxt: list[str] = []
        for n in layer:
            for m in sorted(succ[n], key=order.__getitem__):
                if m not in parent:
                    parent[m] = n
                    dist[m] = depth
                    nxt.append(m)
        layer = sorted(nxt, key=order.__getitem__)
    return parent, dist


def _jewel_why(facts: ModelFacts, e: Element) -> str:
    cls = facts.nprops[e.id].get("data_classification", "")
    if cls in SENSITIVE_CLASSES:
        return f"holds {cls.upper() if cls != 'confidential' else cls} data"
    if facts.nprops[e.id].get("holds_secrets") == "yes":
        return "holds secrets"
    return "is a " + facts.hierarchy.names.get(e.type_id, e.type_id)


def jewel_finding(facts: ModelFacts, parent: dict[str, str | None], jid: str) -> Finding | None:
    """The PATH-001 finding of one node, or None when it is no reachable crown jewel."""
    j = facts.elements[jid]
    if jid not in parent or j.kind.value == "external_entity" or not facts.is_jewel(j):
        return None
    nodes = [jid]
    while (p := parent[nodes[-1]]) is not None:
        nodes.append(p)
    nodes.reverse()
    path: list[str] = [nodes[0]]
    crossed = 0
    for a, b in itertools.pairwise(nodes):
        fid = min((f for f in facts.out_flows[a] if facts.elements[f].target_id == b),
                  key=facts.order.__getitem__)
        crossed += bool(facts.crossings.get(fid))
        path += [fid, b]
    hops = len(nodes) - 1
    entry = facts.elements[nodes[0]]
    sensitive = facts.is_sensitive(j)
    likelihood = 4 if hops <= 2 else 3
    controls = []
    for prop in ("authenticates", "authorizes"):
        if facts.nprops[jid].get(prop) == "yes":
            likelihood -= 1
        else:
            controls.append(f"set {prop} = Yes on '{j.name or j.id}' (lowers likelihood)")
    why_entry = ("is an external entity" if entry.kind.value == "external_entity"
                 else "is exposed to the internet")
    route = " → ".join(facts.name(n) for n in nodes)
    reasons = [
        f"'{entry.name or entry.id}' {why_entry} outside any trusted boundary",
        f"'{j.name or j.id}' {_jewel_why(facts, j)} (a crown-jewel asset)",
        f"path: {route} ({hops} flow{'s' if hops != 1 else ''}, "
        f"{crossed} crossing a trust boundary)" if hops else
        f"'{j.name or j.id}' is itself an untrusted entry point",
    ]
    return Finding(
        key=threat_key(PATH_RULE, (jid,)), rule_id=PATH_RULE, pack=PATH_PACK,
        title=f"Attack path from '{entry.name or entry.id}' to '{j.name or j.id}'",
        category="Information Disclosure" if sensitive else "Tampering",
        element_ids=(jid,), diagram_id=facts.diagram_of[jid],
        likelihood=clamp_level(likelihood), impact=5 if sensitive else 4,
        description=_DESCRIPTION, mitigations=_MITIGATIONS, reasons=tuple(reasons),
        controls=tuple(controls), path=tuple(path),
    )


class PathIndex:
    """Attack-path findings by crown jewel, with which elements each path runs through, so
    an edit that leaves the graph and entry points alone rebuilds only the paths it touches."""

    def __init__(self, facts: ModelFacts) -> None:
        self.facts = facts
        self.parent, self.dist = nearest_entries(facts)
        self.by_jewel: dict[str, Finding] = {}
        self.members: dict[str, set[str]] = {}
        for jid in sorted(self.parent, key=facts.order.__getitem__):
            f = jewel_finding(facts, self.parent, jid)
            if f is not None:
                self.by_jewel[jid] = f
                for i in f.path:
                    self.members.setdefault(i, set()).add(jid)

    def refresh(self, dirty: set[str]) -> bool:
        """Rebuild the findings whose path runs through a dirty element; False when one no
        longer has the same path (the caller then rebuilds everything)."""
        touched: set[str] = set()
        for i in dirty:
            touched |= self.members.get(i, set())
        for jid in touched:
            f = jewel_finding(self.facts, self.parent, jid)
            if f is None or f.path != self.by_jewel[jid].path:
                return False
            self.by_jewel[jid] = f
        return True

    def unchanged_by(self, flows: list[Element]) -> bool:
        """Whether adding these flows leaves every attack path as it is: no new node is
        reached, no distance shrinks, and no tie is won by an earlier-drawn parent."""
        parent, dist, order = self.parent, self.dist, self.facts.order
        for f in flows:
            s, t = f.source_id, f.target_id
            if s not in parent:
                continue
            if t not in parent or parent[t] == s or dist[s] + 1 < dist[t]:
                return False
            p = parent[t]
            if dist[s] + 1 == dist[t] and p is not None and order[s] < order[p]:
                return False
        return True

    def unchanged_without(self, flows: list[Element]) -> bool:
        """Whether removing these flows leaves every attack path as it is: none of them
        was an edge of the breadth-first tree."""
        parent = self.parent
        return not any(f.target_id in parent and parent[f.target_id] == f.source_id  # type: ignore[index]
                       for f in flows)

    def findings(self) -> list[Finding]:
        return list(self.by_jewel.values())


def path_findings(facts: ModelFacts) -> list[Finding]:
    """One PATH-001 finding per crown jewel reachable from an untrusted entry point."""
    return PathIndex(facts).findings()
