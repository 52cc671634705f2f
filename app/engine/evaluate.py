"""Run compiled threat rules on one subject (a node or a flow) and build its findings.

Each rule becomes one `Runner` closure holding everything it needs in local variables: the
hot loop (tens of thousands of rule × subject tests per analysis) then does no attribute
lookups on the rule at all."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter

from app.domain import Finding, threat_key
from app.domain.threats import clamp_level
from app.engine.facts import ModelFacts
from app.engine.packs import RulePack, ThreatType
from app.engine.predicates import AllP, AtomP, Ctx, NotP, Pred

#: runner(ctx, ids, key_suffix, diagram_id) -> Finding | None
Runner = Callable[[Ctx, tuple[str, ...], str, str], Finding | None]
Candidate = tuple[tuple[str, str, str] | None, Callable[[Ctx], bool] | None, Runner]
_ALWAYS = {"element": "applies to every element", "interaction": "applies to every flow"}


def _title_fn(t: ThreatType) -> Callable[[Ctx], str]:
    parts = t.title_parts
    if len(parts) == 1:
        text = parts[0][0]
        return lambda _c: text
    if len(parts) == 2 and parts[0][2].lower() == "name":  # the common "… {ROLE.name} …"
        (head, role, _n), (tail, _r, _a) = parts
        get = attrgetter(role)

        def named(ctx: Ctx) -> str:
            e = get(ctx)
            return head + (e.name or e.id) + tail
        return named

    def title(ctx: Ctx) -> str:
        out = []
        for literal, role, attr in parts:
            out.append(literal)
            if role:
                e = getattr(ctx, role)
                if e is None:
                    out.append("{" + role + "." + attr + "}")
                elif attr.lower() == "name":  # TMT writes {source.Name}
                    out.append(e.name or e.id)
                else:
                    v = ctx.facts.prop(e, attr)
                    out.append("" if v is None else str(v))
        return "".join(out)
    return title


PlanStep = tuple[tuple[str, bool], AtomP | None, bool, Callable[[Ctx, list[str]], None] | None]


def _explain_plan(include: Pred | None) -> tuple[PlanStep, ...] | None:
    """A top-level conjunction's explanation, flattened: atom (or negated atom) steps read
    the per-subject memo directly; anything else calls its own explain."""
    if not isinstance(include, AllP):
        return None
    steps: list[PlanStep] = []
    for item in include.items:
        if isinstance(item, AtomP):
            steps.append((item.key_pos, item, False, None))
        elif isinstance(item, NotP) and isinstance(item.item, AtomP):
            steps.append((item.item.key_neg, item.item, True, None))
        else:
            steps.append((("", False), None, False, item.explain))
    return tuple(steps)


def make_runner(t: ThreatType) -> Runner:
    """The rule as one closure: test, explain, downgrade, and build the finding."""
    exclude = t.exclude.test if t.exclude is not None else None
    explain = t.include.explain if t.include is not None else None
    plan = _explain_plan(t.include)
    always = _ALWAYS[t.scope]
    removers = tuple((r.fn, ("remove", r.key_pos[0]), r.subject,
                      f"set {r.atom.prop} = {r.atom.arg} on '",
                      "' (removes this threat)") for r in t.removers)
    controls = tuple((c.when.test, c.likelihood, c.impact, c.applied_text, c.text)
                     for c in t.controls)
    base_l, base_i = t.likelihood, t.impact
    key_prefix = threat_key(t.key_rule, ())  # "RULE@"; the ids follow
    rid, pack, category, description = t.id, t.pack, t.category, t.description
    atlas, atlas_m, owasp, mitigations, refs = (t.atlas, t.atlas_mitigations, t.owasp,
                                                t.mitigations, t.references)
    title = _title_fn(t)

    def run(ctx: Ctx, ids: tuple[str, ...], id_text: str, diagram_id: str) -> Finding | None:
        # The caller has checked the gates and `test` (the include minus its gates).
        if exclude is not None and exclude(ctx):
            return None
        reasons: list[str] = []
        if plan is not None:
            memo = ctx.memo
            for key, atom, negated, other in plan:
                if other is not None:
                    other(ctx, reasons)
                    continue
                text = memo.get(key)
                if text is None:
                    text = memo[key] = atom._describe(ctx, negated)
                reasons.append(text)
        elif explain is not None:
            explain(ctx, reasons)
        else:
            reasons.append(always)
        lik, imp = base_l, base_i
        found: list[str] = []
        for fn, key, subject, pre, post in removers:
            if not fn(ctx):
                text = ctx.memo.get(key)  # type: ignore[call-overload]
                if text is None:
                    e = subject(ctx)
                    text = pre + (e.name or e.id) + post  # type: ignore[union-attr]
                    ctx.memo[key] = text  # type: ignore[index]
                found.append(text)
        for when, dl, di, applied, text in controls:
            if when(ctx):
                lik += dl
                imp += di
                reasons.append(applied)
            else:
                found.append(text)
        # Positional arguments, in Finding's field order (measurably faster than keywords).
        return Finding(
            key_prefix + id_text, rid, pack, title(ctx), category, ids, diagram_id,
            lik if 1 <= lik <= 5 else clamp_level(lik), imp if 1 <= imp <= 5 else clamp_level(imp),
            description, atlas, atlas_m, owasp, mitigations, refs, tuple(reasons), tuple(found),
        )
    return run


def evaluate(t: ThreatType, ctx: Ctx, ids: tuple[str, ...], diagram_id: str) -> Finding | None:
    """The finding of one rule on one subject, or None (type gates are checked here too)."""
    for role, types in t.gates.items():
        if types.isdisjoint(getattr(ctx, "a_" + role)):
            return None
    pg = t.pgate
    if pg is not None and getattr(ctx, "p_" + pg[0]).get(pg[1]) != pg[2]:
        return None
    if t.test is not None and not t.test.test(ctx):
        return None
    return make_runner(t)(ctx, ids, ",".join(ids), diagram_id)


class RuleIndex:
    """The rules of all packs, split by scope, with candidates cached per subject type so a
    subject is only tested against rules whose type gates it can pass."""

    def __init__(self, packs: Sequence[RulePack]) -> None:
        self.packs = tuple(packs)
        rules = [t for p in packs for t in p.threats]
        self.element_rules = [(t, make_runner(t)) for t in rules if t.scope == "element"]
        self.flow_rules = [(t, make_runner(t)) for t in rules if t.scope == "interaction"]
        self.by_key = {t.key_rule: t for t in rules}
        self._node_cache: dict[frozenset[str], list[Candidate]] = {}
        self._flow_cache: dict[tuple[frozenset[str], ...], list[Candidate]] = {}

    def for_node(self, anc: frozenset[str]) -> list[Candidate]:
        c = self._node_cache.get(anc)
        if c is None:
            c = [(t.pgate, _test(t), run) for t, run in self.element_rules
                 if "element" not in t.gates or not t.gates["element"].isdisjoint(anc)]
            self._node_cache[anc] = c
        return c

    def for_flow(self, fa: frozenset[str], sa: frozenset[str],
                 ta: frozenset[str]) -> list[Candidate]:
        key = (fa, sa, ta)
        c = self._flow_cache.get(key)
        if c is None:
            c = [(t.pgate, _test(t), run) for t, run in self.flow_rules if _passes(t, "flow", fa)
                 and _passes(t, "source", sa) and _passes(t, "target", ta)]
            self._flow_cache[key] = c
        return c


def _test(t: ThreatType) -> Callable[[Ctx], bool] | None:
    return t.test.test if t.test is not None else None


def _passes(t: ThreatType, role: str, anc: frozenset[str]) -> bool:
    g = t.gates.get(role)
    return g is None or not g.isdisjoint(anc)


def subject_findings(rules: RuleIndex, facts: ModelFacts, eid: str) -> list[Finding]:
    """Every finding of every rule on one node or flow (empty for other kinds)."""
    e = facts.elements.get(eid)
    if e is None:
        return []
    out: list[Finding] = []
    if e.kind.is_node:
        cands = rules.for_node(facts.anc[eid])
        if not cands:
            return out
        ctx = Ctx(facts, element=e)
        ids: tuple[str, ...] = (eid,)
        props = ctx.p_element
        diagram_id = facts.diagram_of[eid]
        for pg, test, run in cands:
            if pg is not None and props.get(pg[1]) != pg[2]:
                continue
            if test is not None and not test(ctx):
                continue
            f = run(ctx, ids, eid, diagram_id)
            if f is not None:
                out.append(f)
    elif e.is_flow:
        s = facts.elements.get(e.source_id or "")
        g = facts.elements.get(e.target_id or "")
        if s is None or g is None or not (s.kind.is_node and g.kind.is_node):
            return out
        cands = rules.for_flow(facts.anc[eid], facts.anc[s.id], facts.anc[g.id])
        if not cands:
            return out
        ctx = Ctx(facts, flow=e, source=s, target=g)
        ids = (s.id, eid, g.id)
        id_text = ",".join(ids)
        by_role = {"flow": ctx.p_flow, "source": ctx.p_source, "target": ctx.p_target}
        diagram_id = facts.diagram_of[eid]
        for pg, test, run in cands:
            if pg is not None and by_role[pg[0]].get(pg[1]) != pg[2]:
                continue
            if test is not None and not test(ctx):
                continue
            f = run(ctx, ids, id_text, diagram_id)
            if f is not None:
                out.append(f)
    return out
