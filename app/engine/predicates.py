"""Compile a parsed expression into predicate objects: plain closures over `Ctx`, never eval.
Each predicate can also explain, in words, why it held for a given subject."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from app.domain import Element
from app.engine.facts import ModelFacts, norm
from app.engine.language import And, Atom, Expr, Not, to_text

#: Which roles an expression may name in each scope.
SCOPE_ROLES = {
    "element": frozenset({"element", "upstream", "downstream"}),
    "interaction": frozenset({"flow", "source", "target", "upstream", "downstream"}),
}
GRAPH_OPS = frozenset({"fed_by", "feeds", "reachable_untrusted"})
NEIGHBOUR_OPS = frozenset({"receives_from", "sends_to", "receives_across"})
_NODE_ONLY = GRAPH_OPS | NEIGHBOUR_OPS | {"inside", "inside_trusted"}


class Ctx:
    """The subject a rule is tested on: one node (element scope) or one flow with its ends,
    with each role's ancestor types (`a_ROLE`) and normalised properties (`p_ROLE`) at hand.
    `memo` caches atom explanations across the rules tested on the same subject."""

    __slots__ = ("a_element", "a_flow", "a_source", "a_target", "element", "facts", "flow",
                 "memo", "p_element", "p_flow", "p_source", "p_target", "source", "target")

    def __init__(self, facts: ModelFacts, element: Element | None = None,
                 flow: Element | None = None, source: Element | None = None,
                 target: Element | None = None) -> None:
        self.facts = facts
        self.memo: dict[tuple[str, bool], str] = {}
        anc, props = facts.anc, facts.nprops
        self.element = element
        self.flow = flow
        self.source = source
        self.target = target
        self.a_element = anc[element.id] if element is not None else _NONE
        self.p_element = props[element.id] if element is not None else _EMPTY
        self.a_flow = anc[flow.id] if flow is not None else _NONE
        self.p_flow = props[flow.id] if flow is not None else _EMPTY
        self.a_source = anc[source.id] if source is not None else _NONE
        self.p_source = props[source.id] if source is not None else _EMPTY
        self.a_target = anc[target.id] if target is not None else _NONE
        self.p_target = props[target.id] if target is not None else _EMPTY


_NONE: frozenset[str] = frozenset()
_EMPTY: dict[str, str] = {}


class ExprError(ValueError):
    """An expression that parses but cannot be used where it is (e.g. a role out of scope)."""


class Pred:
    """A compiled expression: `test(ctx)` says whether it holds, `explain` why.

    `test` is a plain closure stored on the object (no method dispatch per call)."""

    __slots__ = ("test",)

    def explain(self, ctx: Ctx, out: list[str]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def _all(tests: tuple[Callable[[Ctx], bool], ...]) -> Callable[[Ctx], bool]:
    if len(tests) == 2:
        a, b = tests
        return lambda c: a(c) and b(c)
    if len(tests) == 3:
        a, b, d = tests
        return lambda c: a(c) and b(c) and d(c)

    def every(c: Ctx) -> bool:
        for t in tests:  # noqa: SIM110 - a plain loop is faster than all(genexpr)
            if not t(c):
                return False
        return True
    return every


def _any(tests: tuple[Callable[[Ctx], bool], ...]) -> Callable[[Ctx], bool]:
    if len(tests) == 2:
        a, b = tests
        return lambda c: a(c) or b(c)

    def some(c: Ctx) -> bool:
        for t in tests:  # noqa: SIM110 - a plain loop is faster than any(genexpr)
            if t(c):
                return True
        return False
    return some


class AllP(Pred):
    __slots__ = ("items",)

    def __init__(self, items: tuple[Pred, ...]) -> None:
        self.items = items
        self.test = _all(tuple(p.test for p in items))

    def explain(self, ctx: Ctx, out: list[str]) -> None:
        for p in self.items:
            p.explain(ctx, out)


class AnyP(Pred):
    __slots__ = ("items",)

    def __init__(self, items: tuple[Pred, ...]) -> None:
        self.items = items
        self.test = _any(tuple(p.test for p in items))

    def explain(self, ctx: Ctx, out: list[str]) -> None:
        for p in self.items:
            if p.test(ctx):
                p.explain(ctx, out)
                return


class NotP(Pred):
    __slots__ = ("item", "text")

    def __init__(self, item: Pred, text: str) -> None:
        self.item = item
        self.text = text
        inner = item.test
        self.test = lambda c: not inner(c)

    def explain(self, ctx: Ctx, out: list[str]) -> None:
        inner = self.item
        if isinstance(inner, AtomP):
            out.append(inner.describe(ctx, negated=True))
        else:
            out.append(f"not ({self.text})")


class AtomP(Pred):
    __slots__ = ("atom", "fn", "key_neg", "key_pos", "subject")

    def __init__(self, atom: Atom, fn: Callable[[Ctx], bool],
                 subject: Callable[[Ctx], Element | None]) -> None:
        self.atom = atom
        self.fn = fn
        self.test = fn
        self.subject = subject
        text = atom.text()  # equal atoms of different rules share one explanation
        self.key_pos = (text, False)
        self.key_neg = (text, True)

    def explain(self, ctx: Ctx, out: list[str]) -> None:
        text = ctx.memo.get(self.key_pos)
        if text is None:
            text = ctx.memo[self.key_pos] = self._describe(ctx, False)
        out.append(text)

    def describe(self, ctx: Ctx, negated: bool) -> str:
        """The atom in words, about the subject it was tested on (memoised per subject)."""
        key = self.key_neg if negated else self.key_pos
        text = ctx.memo.get(key)
        if text is None:
            text = ctx.memo[key] = self._describe(ctx, negated)
        return text

    def _describe(self, ctx: Ctx, negated: bool) -> str:
        a = self.atom
        e = self.subject(ctx)
        f = ctx.facts
        who = f"'{(e.name or e.id) if e is not None else '?'}'"
        no = " not" if negated else ""
        tname = f.hierarchy.names.get(a.arg, a.arg)
        art = "an" if tname[:1].lower() in "aeiou" else "a"
        if a.op == "is_type":
            return f"{who} is{no} {art} {tname}"
        some = "no" if negated else "an"
        if a.op == "prop_is":
            if a.role in ("upstream", "downstream"):
                return f"{some} element {a.role} of {who} has {a.prop} = {a.arg}"
            return f"{who}: {a.prop} is{no} {a.arg}"
        if a.op == "prop_set":
            if a.role in ("upstream", "downstream"):
                return f"{some} element {a.role} of {who} sets {a.prop}"
            return f"{who}: {a.prop} is{no} set"
        if a.op in ("crosses", "crosses_any"):
            names = [f.name(b) for b in f.crossings.get(e.id, ())] if e is not None else []
            if negated or not names:
                what = "a trust boundary" if a.op == "crosses_any" else tname
                return f"{who} does{no} cross {what}"
            return f"{who} crosses trust boundary {', '.join(names)}"
        phrase = {
            "receives_from": f"receives data directly from {art} {tname}",
            "sends_to": f"sends data directly to {art} {tname}",
            "fed_by": f"is fed (upstream lineage) by {art} {tname}",
            "feeds": f"feeds (downstream lineage) {art} {tname}",
            "reachable_untrusted": "is reachable from an untrusted entry point",
            "receives_across": "receives data across a trust boundary",
            "inside": f"is inside {art} {tname}",
            "inside_trusted": "is inside a trusted boundary",
        }[a.op]
        return f"{who} {'does not satisfy: ' if negated else ''}{phrase}"


def _getter(role: str) -> Callable[[Ctx], Element | None]:
    if role == "upstream":
        return lambda c: c.element or c.source
    if role == "downstream":
        return lambda c: c.element or c.target
    return {
        "element": lambda c: c.element,
        "flow": lambda c: c.flow,
        "source": lambda c: c.source,
        "target": lambda c: c.target,
    }[role]


def _atom_fn(a: Atom, get: Callable[[Ctx], Element | None]) -> Callable[[Ctx], bool]:
    """The closure that tests one atom. The scope check guarantees the role is present."""
    op, arg, prop, role = a.op, a.arg, a.prop, a.role
    if role in ("upstream", "downstream"):
        key = (role, prop, arg if op == "prop_is" else "")

        def reach(c: Ctx) -> bool:
            e = get(c)
            return e is not None and e.id in c.facts.reach(key)
        return reach
    if op == "is_type":
        return {
            "element": lambda c: arg in c.a_element, "flow": lambda c: arg in c.a_flow,
            "source": lambda c: arg in c.a_source, "target": lambda c: arg in c.a_target,
        }[role]
    if op == "prop_is":
        want = norm(arg)
        return {
            "element": lambda c: c.p_element.get(prop) == want,
            "flow": lambda c: c.p_flow.get(prop) == want,
            "source": lambda c: c.p_source.get(prop) == want,
            "target": lambda c: c.p_target.get(prop) == want,
        }[role]
    props = attrgetter("p_" + role)
    if op == "prop_set":
        return lambda c: props(c).get(prop) not in (None, "")
    if op == "crosses":
        return lambda c: any(arg in c.facts.anc[b] for b in c.facts.crossings.get(c.flow.id, ()))
    if op == "crosses_any":
        return lambda c: bool(c.facts.crossings.get(c.flow.id))
    if op == "receives_from":
        return lambda c: any(
            arg in c.facts.anc[c.facts.elements[f].source_id]  # type: ignore[index]
            for f in c.facts.in_flows.get(get(c).id, ()))  # type: ignore[union-attr]
    if op == "sends_to":
        return lambda c: any(
            arg in c.facts.anc[c.facts.elements[f].target_id]  # type: ignore[index]
            for f in c.facts.out_flows.get(get(c).id, ()))  # type: ignore[union-attr]
    if op == "receives_across":
        return lambda c: any(c.facts.crossings.get(f)
                             for f in c.facts.in_flows.get(get(c).id, ()))  # type: ignore[union-attr]
    if op == "inside":
        return lambda c: any(arg in c.facts.anc[b]
                             for b in c.facts.containers.get(get(c).id, ()))  # type: ignore[union-attr]
    if op == "inside_trusted":
        return lambda c: any(c.facts.is_trusted_boundary(b)
                             for b in c.facts.containers.get(get(c).id, ()))  # type: ignore[union-attr]
    key = (op, arg) if op in ("fed_by", "feeds") else ("untrusted",)

    def graph(c: Ctx) -> bool:
        return get(c).id in c.facts.reach(key)  # type: ignore[union-attr]
    return graph


def check_atom(a: Atom, scope: str) -> None:
    """Refuse atoms that make no sense in the scope (raises ExprError)."""
    if a.role not in SCOPE_ROLES[scope]:
        raise ExprError(f"'{a.text()}': {a.role!r} is not available in {scope} scope "
                        f"(use {', '.join(sorted(SCOPE_ROLES[scope]))})")
    if a.op in ("crosses", "crosses_any") and a.role != "flow":
        raise ExprError(f"'{a.text()}': only a flow crosses boundaries")
    if a.role == "flow" and a.op in _NODE_ONLY:
        raise ExprError(f"'{a.text()}': {a.op.replace('_', ' ')} applies to nodes, not flows")
    if a.role in ("upstream", "downstream") and a.op not in ("prop_is", "prop_set"):
        raise ExprError(f"'{a.text()}': {a.role} takes a property, e.g. {a.role}.PROP is 'V'")


def compile_expr(expr: Expr, scope: str) -> Pred:
    """Turn an AST into a predicate, checking every atom against the scope."""
    if isinstance(expr, Atom):
        check_atom(expr, scope)
        get = _getter(expr.role)
        return AtomP(expr, _atom_fn(expr, get), get)
    if isinstance(expr, Not):
        return NotP(compile_expr(expr.item, scope), to_text(expr.item))
    items = tuple(compile_expr(i, scope) for i in expr.items)
    return AllP(items) if isinstance(expr, And) else AnyP(items)
