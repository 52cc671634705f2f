"""Run compiled threat rules on one subject (a node or a flow) and build its findings."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain import Element, Finding, threat_key
from app.domain.threats import clamp_level
from app.engine.facts import ModelFacts
from app.engine.packs import RulePack, ThreatType
from app.engine.predicates import AtomP, Ctx


class RuleIndex:
    """The rules of all packs, split by scope, with candidates cached per subject type so a
    subject is only tested against rules whose type gates it can pass."""

    def __init__(self, packs: Sequence[RulePack]) -> None:
        self.packs = tuple(packs)
        rules = [t for p in packs for t in p.threats]
        self.element_rules = [t for t in rules if t.scope == "element"]
        self.flow_rules = [t for t in rules if t.scope == "interaction"]
        self.by_key = {t.key_rule: t for t in rules}
        self._node_cache: dict[frozenset[str], list[ThreatType]] = {}
        self._flow_cache: dict[tuple[frozenset[str], ...], list[ThreatType]] = {}
        self.graph_keys_used = False

    def for_node(self, anc: frozenset[str]) -> list[ThreatType]:
        c = self._node_cache.get(anc)
        if c is None:
            c = [t for t in self.element_rules
                 if "element" not in t.gates or not t.gates["element"].isdisjoint(anc)]
            self._node_cache[anc] = c
        return c

    def for_flow(self, fa: frozenset[str], sa: frozenset[str],
                 ta: frozenset[str]) -> list[ThreatType]:
        key = (fa, sa, ta)
        c = self._flow_cache.get(key)
        if c is None:
            c = [t for t in self.flow_rules if _passes(t, "flow", fa)
                 and _passes(t, "source", sa) and _passes(t, "target", ta)]
            self._flow_cache[key] = c
        return c


def _passes(t: ThreatType, role: str, anc: frozenset[str]) -> bool:
    g = t.gates.get(role)
    return g is None or not g.isdisjoint(anc)


def _title(t: ThreatType, ctx: Ctx) -> str:
    parts = t.title_parts
    if len(parts) == 1:
        return parts[0][0]
    out = []
    for literal, role, attr in parts:
        out.append(literal)
        if role:
            e: Element | None = getattr(ctx, role)
            if e is None:
                out.append("{" + role + "." + attr + "}")
            elif attr == "name":
                out.append(e.name or e.id)
            else:
                v = ctx.facts.prop(e, attr)
                out.append("" if v is None else str(v))
    return "".join(out)


_ALWAYS = {"element": "applies to every element", "interaction": "applies to every flow"}


def _remover_text(r: AtomP, ctx: Ctx) -> str:
    key = ("remove", r.key_pos[0])
    text = ctx.memo.get(key)  # type: ignore[call-overload]
    if text is None:
        e = r.subject(ctx)
        name = (e.name or e.id) if e is not None else r.atom.role
        text = f"set {r.atom.prop} = {r.atom.arg} on '{name}' (removes this threat)"
        ctx.memo[key] = text  # type: ignore[index]
    return text


def evaluate(t: ThreatType, ctx: Ctx, ids: tuple[str, ...], diagram_id: str) -> Finding | None:
    """The finding of one rule on one subject, or None when the rule does not apply."""
    test = t.test
    if test is not None and not test.test(ctx):  # type gates were checked by the caller
        return None
    exclude = t.exclude
    if exclude is not None and exclude.test(ctx):
        return None
    reasons: list[str] = []
    include = t.include
    if include is not None:
        include.explain(ctx, reasons)
    else:
        reasons.append(_ALWAYS[t.scope])
    likelihood, impact = t.likelihood, t.impact
    controls: list[str] = []
    for r in t.removers:
        if not r.fn(ctx):
            controls.append(_remover_text(r, ctx))
    for c in t.controls:
        if c.when.test(ctx):
            likelihood += c.likelihood
            impact += c.impact
            reasons.append(c.applied_text)
        else:
            controls.append(c.text)
    # Positional arguments, in Finding's field order (measurably faster than keywords).
    return Finding(
        threat_key(t.key_rule, ids), t.id, t.pack, _title(t, ctx), t.category, ids,
        diagram_id, likelihood if 1 <= likelihood <= 5 else clamp_level(likelihood),
        impact if 1 <= impact <= 5 else clamp_level(impact), t.description, t.atlas,
        t.atlas_mitigations, t.owasp, t.mitigations, t.references, tuple(reasons),
        tuple(controls),
    )


def subject_findings(rules: RuleIndex, facts: ModelFacts, eid: str) -> list[Finding]:
    """Every finding of every rule on one node or flow (empty for other kinds)."""
    e = facts.elements.get(eid)
    if e is None:
        return []
    diagram_id = facts.diagram_of[eid]
    out: list[Finding] = []
    if e.kind.is_node:
        cands = rules.for_node(facts.anc[eid])
        if not cands:
            return out
        ctx = Ctx(facts, element=e)
        ids = (eid,)
        props = ctx.p_element
        for t in cands:
            pg = t.pgate
            if pg is not None and props.get(pg[1]) != pg[2]:
                continue
            f = evaluate(t, ctx, ids, diagram_id)
            if f is not None:
                out.append(f)
    elif e.is_flow:
        s = facts.elements.get(e.source_id or "")
        g = facts.elements.get(e.target_id or "")
        if s is None or g is None:
            return out
        cands = rules.for_flow(facts.anc[eid], facts.anc[s.id], facts.anc[g.id])
        if not cands:
            return out
        ctx = Ctx(facts, flow=e, source=s, target=g)
        ids = (s.id, eid, g.id)
        by_role = {"flow": ctx.p_flow, "source": ctx.p_source, "target": ctx.p_target}
        for t in cands:
            pg = t.pgate
            if pg is not None and by_role[pg[0]].get(pg[1]) != pg[2]:
                continue
            f = evaluate(t, ctx, ids, diagram_id)
            if f is not None:
                out.append(f)
    return out
