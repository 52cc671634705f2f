"""Run compiled threat rules on one subject (a node or a flow) and build its findings."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain import Element, Finding, threat_key
from app.domain.threats import clamp_level
from app.engine.facts import ModelFacts
from app.engine.packs import RulePack, ThreatType
from app.engine.predicates import Ctx


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


def _control_text(label: str, dl: int, di: int) -> str:
    bits = [f"{n} {d:+d}" for n, d in (("likelihood", dl), ("impact", di)) if d]
    return f"{label} ({', '.join(bits)})" if bits else label


def evaluate(t: ThreatType, ctx: Ctx, ids: tuple[str, ...], diagram_id: str) -> Finding | None:
    """The finding of one rule on one subject, or None when the rule does not apply."""
    if t.include is not None and not t.include.test(ctx):
        return None
    if t.exclude is not None and t.exclude.test(ctx):
        return None
    reasons: list[str] = []
    if t.include is not None:
        t.include.explain(ctx, reasons)
    else:
        reasons.append("applies to every " + ("element" if t.scope == "element" else "flow"))
    likelihood, impact = t.likelihood, t.impact
    controls: list[str] = []
    for r in t.removers:
        if not r.fn(ctx):
            e = r.subject(ctx)
            name = (e.name or e.id) if e is not None else r.atom.role
            controls.append(f"set {r.atom.prop} = {r.atom.arg} on '{name}' (removes this threat)")
    for c in t.controls:
        if c.when.test(ctx):
            likelihood += c.likelihood
            impact += c.impact
            reasons.append("downgraded by " + _control_text(c.label, c.likelihood, c.impact))
        else:
            controls.append(_control_text(c.label, c.likelihood, c.impact))
    return Finding(
        key=threat_key(t.key_rule, ids), rule_id=t.id, pack=t.pack, title=_title(t, ctx),
        category=t.category, element_ids=ids, diagram_id=diagram_id,
        likelihood=clamp_level(likelihood), impact=clamp_level(impact),
        description=t.description, atlas=t.atlas, atlas_mitigations=t.atlas_mitigations,
        owasp=t.owasp, mitigations=t.mitigations, references=t.references,
        reasons=tuple(reasons), controls=tuple(controls),
    )


def subject_findings(rules: RuleIndex, facts: ModelFacts, eid: str) -> list[Finding]:
    """Every finding of every rule on one node or flow (empty for other kinds)."""
    e = facts.elements.get(eid)
    if e is None:
        return []
    diagram_id = facts.diagram_of[eid]
    out: list[Finding] = []
    if e.kind.is_node:
        cands = rules.for_node(facts.ancestors(e))
        if not cands:
            return out
        ctx = Ctx(facts, element=e)
        ids = (eid,)
        for t in cands:
            f = evaluate(t, ctx, ids, diagram_id)
            if f is not None:
                out.append(f)
    elif e.is_flow:
        s = facts.elements.get(e.source_id or "")
        g = facts.elements.get(e.target_id or "")
        if s is None or g is None:
            return out
        cands = rules.for_flow(facts.ancestors(e), facts.ancestors(s), facts.ancestors(g))
        if not cands:
            return out
        ctx = Ctx(facts, flow=e, source=s, target=g)
        ids = (s.id, eid, g.id)
        for t in cands:
            f = evaluate(t, ctx, ids, diagram_id)
            if f is not None:
                out.append(f)
    return out
