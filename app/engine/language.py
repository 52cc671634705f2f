"""The rule expression language: a lark LALR grammar (a superset of TMT generation filters)
parsed into a small immutable AST. Nothing here is ever evaluated as Python."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lark import Lark, Transformer, v_args
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

ROLES = ("element", "source", "target", "flow", "upstream", "downstream")

_GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr (OR and_expr)*
?and_expr: not_expr (AND not_expr)*
?not_expr: NOT not_expr -> neg
         | "(" or_expr ")"
         | atom
atom: ROLE IS STRING                      -> is_type
    | ROLE IS NOT STRING                  -> is_not_type
    | ROLE CROSSES STRING                 -> crosses
    | ROLE CROSSES BOUNDARY               -> crosses_any
    | PROPREF IS STRING                   -> prop_is
    | PROPREF IS NOT STRING               -> prop_is_not
    | PROPREF IS SET                      -> prop_set
    | PROPREF IS NOT SET                  -> prop_not_set
    | ROLE RECEIVES FROM STRING           -> receives_from
    | ROLE SENDS TO STRING                -> sends_to
    | ROLE FED BY STRING                  -> fed_by
    | ROLE FEEDS STRING                   -> feeds
    | ROLE REACHABLE FROM UNTRUSTED       -> reachable_untrusted
    | ROLE RECEIVES ACROSS BOUNDARY       -> receives_across
    | ROLE INSIDE STRING                  -> inside
    | ROLE INSIDE TRUSTED                 -> inside_trusted

PROPREF.3: /(?i:element|source|target|flow|upstream|downstream)\.[A-Za-z0-9_][A-Za-z0-9_.\-]*/
ROLE.2: /(?i:element|source|target|flow|upstream|downstream)\b/
OR.2: /(?i:or)\b/
AND.2: /(?i:and)\b/
NOT.2: /(?i:not)\b/
IS.2: /(?i:is)\b/
CROSSES.2: /(?i:crosses)\b/
BOUNDARY.2: /(?i:boundary)\b/
SET.2: /(?i:set)\b/
RECEIVES.2: /(?i:receives)\b/
SENDS.2: /(?i:sends)\b/
FROM.2: /(?i:from)\b/
TO.2: /(?i:to)\b/
FED.2: /(?i:fed)\b/
BY.2: /(?i:by)\b/
FEEDS.2: /(?i:feeds)\b/
REACHABLE.2: /(?i:reachable)\b/
UNTRUSTED.2: /(?i:untrusted)\b/
ACROSS.2: /(?i:across)\b/
INSIDE.2: /(?i:inside)\b/
TRUSTED.2: /(?i:trusted)\b/
STRING: /'[^']*'/ | /"[^"]*"/
WS: /[\s\u00a0\ufeff]+/
%ignore WS
"""


class RuleSyntaxError(ValueError):
    """An expression that does not parse, with the 1-based column and a caret snippet."""

    def __init__(self, text: str, message: str, pos: int) -> None:
        pos = max(0, min(pos, len(text)))
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        self.text = text
        self.pos = pos
        self.line = text.count("\n", 0, pos) + 1
        self.column = pos - line_start + 1
        self.snippet = text[line_start:line_end].replace("\t", " ")
        where = f"column {self.column}" + (f" of line {self.line}" if "\n" in text else "")
        super().__init__(f"{message} at {where}\n  {self.snippet}\n  {' ' * (self.column - 1)}^")
        self.reason = message


@dataclass(frozen=True, slots=True)
class Atom:
    """One test: `op` names the form, `role` the element it looks at; `arg` is the quoted
    value or type id (without quotes), `prop` the property key for property forms."""

    op: str
    role: str
    arg: str = ""
    prop: str = ""

    def text(self) -> str:
        """The atom written back in the language."""
        subject = f"{self.role}.{self.prop}" if self.prop else self.role
        return _TEMPLATES[self.op].format(s=subject, a=self.arg)


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Expr


Expr = Atom | And | Or | Not

_TEMPLATES = {
    "is_type": "{s} is '{a}'",
    "crosses": "{s} crosses '{a}'",
    "crosses_any": "{s} crosses boundary",
    "prop_is": "{s} is '{a}'",
    "prop_set": "{s} is set",
    "receives_from": "{s} receives from '{a}'",
    "sends_to": "{s} sends to '{a}'",
    "fed_by": "{s} fed by '{a}'",
    "feeds": "{s} feeds '{a}'",
    "reachable_untrusted": "{s} reachable from untrusted",
    "receives_across": "{s} receives across boundary",
    "inside": "{s} inside '{a}'",
    "inside_trusted": "{s} inside trusted",
}


def _unquote(token: str) -> str:
    return str(token)[1:-1]


@v_args(inline=True)
class _ToAst(Transformer):
    """Builds the AST while the LALR parser reduces (no parse tree is kept)."""

    def or_expr(self, *items: object) -> Expr:
        return Or(tuple(i for i in items if isinstance(i, Atom | And | Or | Not)))

    def and_expr(self, *items: object) -> Expr:
        return And(tuple(i for i in items if isinstance(i, Atom | And | Or | Not)))

    def neg(self, _kw: object, item: Expr) -> Expr:
        return Not(item)

    def _role(self, op: str, role: object, arg: str = "") -> Atom:
        return Atom(op, str(role).lower(), arg)

    def _prop(self, op: str, ref: object, arg: str = "") -> Atom:
        role, _, prop = str(ref).partition(".")
        return Atom(op, role.lower(), arg, prop)

    def is_type(self, r, _is, s):  # type: ignore[no-untyped-def]
        return self._role("is_type", r, _unquote(s))

    def is_not_type(self, r, _is, _not, s):  # type: ignore[no-untyped-def]
        return Not(self._role("is_type", r, _unquote(s)))

    def crosses(self, r, _c, s):  # type: ignore[no-untyped-def]
        return self._role("crosses", r, _unquote(s))

    def crosses_any(self, r, _c, _b):  # type: ignore[no-untyped-def]
        return self._role("crosses_any", r)

    def prop_is(self, p, _is, s):  # type: ignore[no-untyped-def]
        return self._prop("prop_is", p, _unquote(s))

    def prop_is_not(self, p, _is, _not, s):  # type: ignore[no-untyped-def]
        return Not(self._prop("prop_is", p, _unquote(s)))

    def prop_set(self, p, _is, _set):  # type: ignore[no-untyped-def]
        return self._prop("prop_set", p)

    def prop_not_set(self, p, _is, _not, _set):  # type: ignore[no-untyped-def]
        return Not(self._prop("prop_set", p))

    def receives_from(self, r, _a, _b, s):  # type: ignore[no-untyped-def]
        return self._role("receives_from", r, _unquote(s))

    def sends_to(self, r, _a, _b, s):  # type: ignore[no-untyped-def]
        return self._role("sends_to", r, _unquote(s))

    def fed_by(self, r, _a, _b, s):  # type: ignore[no-untyped-def]
        return self._role("fed_by", r, _unquote(s))

    def feeds(self, r, _a, s):  # type: ignore[no-untyped-def]
        return self._role("feeds", r, _unquote(s))

    def reachable_untrusted(self, r, _a, _b, _c):  # type: ignore[no-untyped-def]
        return self._role("reachable_untrusted", r)

    def receives_across(self, r, _a, _b, _c):  # type: ignore[no-untyped-def]
        return self._role("receives_across", r)

    def inside(self, r, _a, s):  # type: ignore[no-untyped-def]
        return self._role("inside", r, _unquote(s))

    def inside_trusted(self, r, _a, _b):  # type: ignore[no-untyped-def]
        return self._role("inside_trusted", r)


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(_GRAMMAR, parser="lalr", lexer="contextual", transformer=_ToAst(),
                maybe_placeholders=False)


def _describe(err: UnexpectedInput) -> str:
    if isinstance(err, UnexpectedEOF):
        return "unexpected end of expression"
    if isinstance(err, UnexpectedCharacters):
        return f"unexpected character {err.char!r}"
    token = getattr(err, "token", None)
    if token is not None and getattr(token, "type", "") == "$END":
        return "unexpected end of expression"
    expected = sorted(getattr(err, "expected", ()) or ())
    found = f"unexpected {str(token)!r}" if token is not None else "unexpected input"
    if expected and len(expected) <= 6:
        readable = ", ".join(_TOKEN_NAMES.get(e, e.lower()) for e in expected)
        return f"{found}; expected {readable}"
    return found


_TOKEN_NAMES = {"STRING": "a quoted value", "LPAR": "'('", "RPAR": "')'", "ROLE": "a role",
                "PROPREF": "ROLE.PROPERTY"}


def parse(text: str) -> Expr:
    """Parse one expression into its AST, or raise RuleSyntaxError saying where and why."""
    if not isinstance(text, str):
        raise RuleSyntaxError(str(text), "an expression must be text", 0)
    if not text.strip():
        raise RuleSyntaxError(text, "empty expression", 0)
    try:
        return _parser().parse(text)  # type: ignore[no-any-return]
    except UnexpectedInput as err:
        pos = getattr(err, "pos_in_stream", None)
        token = getattr(err, "token", None)
        if isinstance(err, UnexpectedEOF) or getattr(token, "type", "") == "$END":
            pos = len(text.rstrip())
        elif pos is None:
            token = getattr(err, "token", None)
            pos = getattr(token, "start_pos", None)
        raise RuleSyntaxError(text, _describe(err), len(text) if pos is None else pos) from None
    except LarkError as err:  # any other parser failure is still a syntax error
        raise RuleSyntaxError(text, f"cannot parse ({err.__class__.__name__})", 0) from None


def atoms(expr: Expr) -> list[Atom]:
    """Every atom of an expression, left to right."""
    if isinstance(expr, Atom):
        return [expr]
    if isinstance(expr, Not):
        return atoms(expr.item)
    out: list[Atom] = []
    for item in expr.items:
        out.extend(atoms(item))
    return out


def to_text(expr: Expr) -> str:
    """The expression written back in the language (fully parenthesised where needed)."""
    if isinstance(expr, Atom):
        return expr.text()
    if isinstance(expr, Not):
        inner = to_text(expr.item)
        return f"not {inner}" if isinstance(expr.item, Atom | Not) else f"not ({inner})"
    joiner = " and " if isinstance(expr, And) else " or "
    return joiner.join(
        f"({to_text(i)})" if isinstance(i, And | Or) else to_text(i) for i in expr.items
    )
