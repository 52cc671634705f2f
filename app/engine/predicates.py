"""Compile a parsed expression into predicate objects: plain closures over `Ctx`, never eval.
Each predicate can also explain, in words, why it held for a given subject."""

from __future__ import annotations

from collections.abc import Callable

from app.domain import Element
from app.engine.facts import ModelFacts, norm_value, value_matches
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
    """The subject a rule is tested on: one node (element scope) or one flow with its ends."""

    __slots__ = ("element", "facts", "flow", "source", "target")

    def __init__(self, facts: ModelFacts, element: Element | None = None,
                 flow: Element | None = None, source: Element | None = None,
                 target: Element | None = None) -> None:
        self.facts = facts
        self.element = element
        self.flow = flow
        self.source = source
        self.target = target


class ExprError(ValueError):
    """An expression that parses but cannot be used where it is (e.g. a role out of scope)."""


class Pred:
    """A compiled expression: `test(ctx)` says whether it holds, `explain` why."""

    __slots__ = ()

    def test(self, ctx: Ctx) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def explain(self, ctx: Ctx, out: list[str]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class AllP(Pred):
    __slots__ = ("items",)

    def __init__(self, items: tuple[Pred, ...]) -> None:
        self.items = items

    def test(self, ctx: Ctx) -> bool:
        for p in self.items:  # noqa: SIM110 - a plain loop is faster than all(genexpr)
            if not p.test(ctx):
                return False
        return True

    def explain(self, ctx: Ctx, out: list[str]) -> None:
        for p in self.items:
            p.explain(ctx, out)


class AnyP(Pred):
    __slots__ = ("items",)

    def __init__(self, items: tuple[Pred, ...]) -> None:
        self.items = items

    def test(self, ctx: Ctx) -> bool:
        for p in self.items:  # noqa: SIM110 - a plain loop is faster than any(genexpr)
            if p.test(ctx):
                return True
        return False

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

    def test(self, ctx: Ctx) -> bool:
        return not self.item.test(ctx)

    def explain(self, ctx: Ctx, out: list[str]) -> None:
        inner = self.item
        if isinstance(inner, AtomP):
            out.append(inner.describe(ctx, negated=True))
        else:
            out.append(f"not ({self.text})")


class AtomP(Pred):
    __slots__ = ("atom", "fn", "subject")

    def __init__(self, atom: Atom, fn: Callable[[Ctx], bool],
                 subject: Callable[[Ctx], Element | None]) -> None:
        self.atom = atom
        self.fn = fn
        self.subject = subject

    def test(self, ctx: Ctx) -> bool:
        return self.fn(ctx)

    def explain(self, ctx: Ctx, out: list[str]) -> None:
        out.append(self.describe(ctx, negated=False))

    def describe(self, ctx: Ctx, negated: bool) -> str:
        """The atom in words, about the subject it was tested on."""
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
            names = [f.name(b) for b in f.crossings.get(e.id, ()) if e is not None]
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
    """The closure that tests one atom."""
    op, arg, prop = a.op, a.arg, a.prop
    if a.role in ("upstream", "downstream"):
        key = (a.role, prop, arg if op == "prop_is" else "")

        def reach(c: Ctx) -> bool:
            e = get(c)
            return e is not None and e.id in c.facts.reach(key)
        return reach
    if op == "is_type":
        return lambda c: (e := get(c)) is not None and arg in c.facts.ancestors(e)
    if op == "prop_is":
        text, as_bool = norm_value(arg)
        return lambda c: (e := get(c)) is not None and value_matches(
            c.facts.prop(e, prop), text, as_bool)
    if op == "prop_set":
        return lambda c: (e := get(c)) is not None and c.facts.prop(e, prop) not in (None, "")
    if op == "crosses":
        return lambda c: (e := get(c)) is not None and any(
            arg in c.facts.ancestors(c.facts.elements[b]) for b in c.facts.crossings.get(e.id, ()))
    if op == "crosses_any":
        return lambda c: (e := get(c)) is not None and bool(c.facts.crossings.get(e.id))
    if op == "receives_from":
        return lambda c: (e := get(c)) is not None and any(
            arg in c.facts.ancestors(c.facts.elements[c.facts.elements[f].source_id])
            for f in c.facts.in_flows.get(e.id, ()))
    if op == "sends_to":
        return lambda c: (e := get(c)) is not None and any(
            arg in c.facts.ancestors(c.facts.elements[c.facts.elements[f].target_id])
            for f in c.facts.out_flows.get(e.id, ()) if c.facts.elements[f].target_id
            in c.facts.elements)
    if op == "receives_across":
        return lambda c: (e := get(c)) is not None and any(
            c.facts.crossings.get(f) for f in c.facts.in_flows.get(e.id, ()))
    if op == "inside":
        return lambda c: (e := get(c)) is not None and any(
            arg in c.facts.ancestors(c.facts.elements[b]) for b in c.facts.containers.get(e.id, ()))
    if op == "inside_trusted":
        return lambda c: (e := get(c)) is not None and any(
            c.facts.is_trusted_boundary(b) for b in c.facts.containers.get(e.id, ()))
    if op in ("fed_by", "feeds"):
        key = (op, arg)
    else:  # reachable_untrusted
        key = ("untrusted",)

    def graph(c: Ctx) -> bool:
        e = get(c)
        return e is not None and e.id in c.facts.reach(key)
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
