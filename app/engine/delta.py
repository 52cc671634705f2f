"""Bring ModelFacts up to date after an edit of a few elements, and say which subjects
(nodes and flows) the edit can have affected: the changed elements, their neighbourhood,
containment/crossing changes, and nodes whose reachability-set membership changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.domain import Element, ElementKind, ProjectSnapshot
from app.engine.facts import ModelFacts, SetKey


@dataclass
class Delta:
    """What an update touched: subjects to re-evaluate and whether attack paths may move."""

    dirty: set[str] = field(default_factory=set)
    structure: bool = False  # flows or nodes added, removed or reconnected
    status: bool = False  # some node's entry-point or crown-jewel status changed
    sets_changed: bool = False
    full: bool = False  # everything was rebuilt
    order: bool = False  # elements came or went, or drawing order changed
    added_flows: list[Element] = field(default_factory=list)  # when only new flows came
    removed_flows: list[Element] = field(default_factory=list)  # when only flows went


def _find(snapshot: ProjectSnapshot, eid: str, hint: str | None) -> tuple[Element | None, str]:
    if hint is not None:
        for d in snapshot.diagrams:
            if d.id == hint:
                e = d.elements.get(eid)
                if e is not None:
                    return e, d.id
    for d in snapshot.diagrams:
        e = d.elements.get(eid)
        if e is not None:
            return e, d.id
    return None, ""


def _key_affected(facts: ModelFacts, key: SetKey, old: Element | None,
                  new: Element | None) -> bool:
    """Whether one changed element can change the set `key` (structure aside)."""
    kind = key[0]
    if kind == "untrusted":
        return False  # entry status is compared separately
    if kind in ("fed_by", "feeds"):
        t = key[1]
        return (old is not None and old.kind.is_node and facts.is_a(old, t)) != (
            new is not None and new.kind.is_node and facts.is_a(new, t))
    prop = key[1]
    before = facts.prop(old, prop) if old is not None else None
    after = facts.prop(new, prop) if new is not None else None
    return before != after or type(before) is not type(after)


def apply_changes(facts: ModelFacts, snapshot: ProjectSnapshot,
                  changed: Iterable[str]) -> Delta:
    """Update `facts` in place to `snapshot`, given the ids of every changed element."""
    delta = Delta()
    if [d.id for d in snapshot.diagrams] != [d for d in facts.diagram_maps]:
        facts.load(snapshot)
        delta.full = True
        return delta
    changed = set(changed)
    olds: dict[str, Element | None] = {i: facts.elements.get(i) for i in changed}
    news: dict[str, tuple[Element | None, str]] = {
        i: _find(snapshot, i, facts.diagram_of.get(i)) for i in changed}
    old_status = {i: (facts.is_entry(e), facts.is_jewel(e))
                  for i, e in olds.items() if e is not None and e.kind.is_node}
    old_trusted = None
    if any(e is not None and e.is_boundary for e in olds.values()):
        old_trusted = {b for b, e in facts.elements.items()
                       if e.is_boundary and facts.is_trusted_boundary(b)}
    # Neighbours through the flows as they were, before anything moves.
    for i, e in olds.items():
        if e is None:
            continue
        if e.kind.is_node:
            for f in facts.in_flows.get(i, ()) + facts.out_flows.get(i, ()):
                fe = facts.elements[f]
                delta.dirty.update((f, fe.source_id or "", fe.target_id or ""))
        elif e.is_flow:
            delta.dirty.update((e.source_id or "", e.target_id or ""))
    facts.snapshot = snapshot
    facts.diagram_maps = {d.id: d.elements for d in snapshot.diagrams}
    boundary_diagrams: set[str] = set()
    for i in changed:  # unlink old flows
        o = olds[i]
        if o is not None and o.is_flow:
            facts._unlink(o)
    for i in changed:  # drop removed elements, update kept ones
        o, (n, did) = olds[i], news[i]
        if o is not None and (o.is_boundary or (n is not None and n.is_boundary)):
            boundary_diagrams.add(facts.diagram_of[i])
        if n is None and o is not None:
            if o.kind.is_node:
                facts.graph.remove_node(i)
                facts.in_flows.pop(i, None)
                facts.out_flows.pop(i, None)
                facts.containers.pop(i, None)
                delta.structure = True
            facts.crossings.pop(i, None)
            facts.forget_element(i)
            del facts.elements[i]
            del facts.diagram_of[i]
        elif n is not None:
            if n.is_boundary:
                boundary_diagrams.add(did)
            if o is None and n.kind.is_node:
                facts.graph.add_node(i)
                facts.in_flows[i] = []
                facts.out_flows[i] = []
                delta.structure = True
            facts.elements[i] = n
            facts.diagram_of[i] = did
            facts.index_element(n)
    for i in changed:  # link new flows
        o, (n, _did) = olds[i], news[i]
        if n is not None and n.is_flow:
            facts._link(n)
            if o is None or (o.source_id, o.target_id) != (n.source_id, n.target_id):
                delta.structure = True
        elif o is not None and o.is_flow:
            delta.structure = True
    if len(changed) > 1 or any(olds[i] is None or news[i][0] is None for i in changed):
        # Drawing order only moves when elements come and go, or on a reorder (which
        # reports every element of the diagram as changed).
        delta.order = True
        facts.order = {eid: k for k, eid in enumerate(
            eid for d in snapshot.diagrams for eid in d.elements)}
    if all(olds[i] is None and (n := news[i][0]) is not None and n.is_flow
           and n.source_id in facts.in_flows and n.target_id in facts.in_flows
           for i in changed):
        delta.added_flows = [news[i][0] for i in changed]  # type: ignore[misc]
    elif all(news[i][0] is None and (o := olds[i]) is not None and o.is_flow
             and o.source_id in facts.in_flows and o.target_id in facts.in_flows
             for i in changed):
        delta.removed_flows = [olds[i] for i in changed]  # type: ignore[misc]
    _geometry(facts, olds, news, boundary_diagrams, old_trusted, delta)
    for i, (n, _did) in news.items():
        if n is None:
            continue
        delta.dirty.add(i)
        if n.kind.is_node:
            status = (facts.is_entry(n), facts.is_jewel(n))
            if status != old_status.get(i, (False, False)):
                delta.status = True
            for f in facts.in_flows[i] + facts.out_flows[i]:
                fe = facts.elements[f]
                delta.dirty.update((f, fe.source_id or "", fe.target_id or ""))
        elif n.is_flow:
            delta.dirty.update((n.source_id or "", n.target_id or ""))
    for i, o in olds.items():
        if o is not None and o.kind.is_node and news[i][0] is None and old_status.get(i) != (
                False, False):
            delta.status = True
    _sets(facts, olds, news, delta, False)  # boundaries reach the sets only via `status`
    delta.dirty.discard("")
    # Interaction rules read their ends' neighbourhood (e.g. `source receives from 'T'`):
    # every flow touching a dirty node is dirty too.
    for n in [d for d in delta.dirty if d in facts.in_flows]:
        delta.dirty.update(facts.in_flows[n])
        delta.dirty.update(facts.out_flows[n])
    return delta


def _geometry(facts: ModelFacts, olds: dict[str, Element | None],
              news: dict[str, tuple[Element | None, str]], boundary_diagrams: set[str],
              old_trusted: set[str] | None, delta: Delta) -> None:
    """Recompute containment and crossings where the edit can have moved them: around the
    changed elements, and inside the old and new rectangles of changed boundary boxes."""
    touched: dict[str, set[str]] = {}
    if boundary_diagrams:
        changed_b = [e for i in news for e in (olds[i], news[i][0])
                     if e is not None and e.is_boundary]
        rects = [e.rect for e in changed_b if e.rect is not None]
        lines = any(e.kind is ElementKind.BOUNDARY_LINE for e in changed_b)
        for did in boundary_diagrams:
            elements = facts.diagram_maps[did]
            ids = touched.setdefault(did, set())
            for eid, e in elements.items():
                if e.kind.is_node and e.rect is not None:
                    c = e.rect.center
                    if lines or any(r.contains_point(c) for r in rects):  # type: ignore[union-attr]
                        ids.add(eid)
                        ids.update(facts.in_flows[eid])
                        ids.update(facts.out_flows[eid])
                elif e.is_flow and (lines or e.source_id not in facts.in_flows
                                    or e.target_id not in facts.in_flows):
                    ids.add(eid)  # lines cut any flow; a dangling end is its own point
    for i, (n, did) in news.items():
        if n is None:
            continue
        ids = touched.setdefault(did, set())
        ids.add(i)
        if n.kind.is_node:
            ids.update(facts.in_flows[i])
            ids.update(facts.out_flows[i])
    before_c: dict[str, tuple[str, ...]] = {}
    before_x: dict[str, tuple[str, ...]] = {}
    for did, ids in touched.items():
        for i in ids:
            if facts.elements[i].kind.is_node:
                before_c[i] = facts.containers.get(i, ())
            else:
                before_x[i] = facts.crossings.get(i, ())
        facts.index_geometry(did, ids)
    trusted = (old_trusted.__contains__ if old_trusted is not None
               else facts.is_trusted_boundary)
    for i, old in before_c.items():
        new = facts.containers.get(i, ())
        if new != old:
            delta.dirty.add(i)
            delta.dirty.update(facts.in_flows.get(i, ()))
            delta.dirty.update(facts.out_flows.get(i, ()))
        if i not in news:  # an untouched node: did its entry-point status move with it?
            e = facts.elements[i]
            base = (e.kind is ElementKind.EXTERNAL_ENTITY
                    or facts.nprops[i].get("exposure") == "internet")
            if base and any(map(trusted, old)) != any(map(facts.is_trusted_boundary, new)):
                delta.status = True
    for i, old in before_x.items():
        if facts.crossings.get(i, ()) != old and i in facts.elements:
            f = facts.elements[i]
            delta.dirty.update((i, f.source_id or "", f.target_id or ""))
    if boundary_diagrams:
        # A boundary's own type, properties and name matter to `inside`/`crosses` atoms and
        # reasons; a pure move matters only where containment or crossings changed (above).
        ids_b = set()
        for i in news:
            o, n = olds[i], news[i][0]
            if ((o is not None and o.is_boundary) or (n is not None and n.is_boundary)) and (
                    o is None or n is None or (o.type_id, o.name, o.properties)
                    != (n.type_id, n.name, n.properties)):
                ids_b.add(i)
        for i, old in before_c.items():
            if not ids_b.isdisjoint(old) or not ids_b.isdisjoint(facts.containers.get(i, ())):
                delta.dirty.add(i)
        for i, old in before_x.items():
            if i in facts.elements and (not ids_b.isdisjoint(old) or not ids_b.isdisjoint(
                    facts.crossings.get(i, ()))):
                f = facts.elements[i]
                delta.dirty.update((i, f.source_id or "", f.target_id or ""))


def _sets(facts: ModelFacts, olds: dict[str, Element | None],
          news: dict[str, tuple[Element | None, str]], delta: Delta, boundaries: bool) -> None:
    """Recompute the cached reachability sets the edit can change; dirty what moved."""
    grow = bool(delta.added_flows) and not boundaries and not delta.status
    shrink = bool(delta.removed_flows) and not boundaries and not delta.status
    for key, old in list(facts.sets.items()):
        if grow:  # only new flows: walk on from them instead of starting over
            new = facts.grow(key, old, delta.added_flows)
            if new is old:
                continue
        elif shrink:  # only flows went: a set can only lose what lay beyond them
            forward = key[0] in ("untrusted", "fed_by", "upstream")
            if not any((f.target_id if forward else f.source_id) in old
                       for f in delta.removed_flows):
                continue
            new = facts.compute(key)
        else:
            redo = delta.structure or boundaries or (key[0] == "untrusted" and delta.status)
            if not redo:
                redo = any(_key_affected(facts, key, olds[i], news[i][0]) for i in olds)
            if not redo:
                continue
            new = facts.compute(key)
        facts.sets[key] = new
        moved = old ^ new
        if moved:
            delta.sets_changed = True
            for n in moved:
                if n in facts.elements:
                    delta.dirty.add(n)
                    delta.dirty.update(facts.in_flows.get(n, ()))
                    delta.dirty.update(facts.out_flows.get(n, ()))
