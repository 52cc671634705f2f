"""Rule packs: validate a pack document (plain data from YAML or a project) and compile its
expressions once into predicates, with errors that name the pack, the threat and the field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain import FileError, TypeHierarchy
from app.engine.facts import norm
from app.engine.language import And, Atom, Expr, Not, Or, RuleSyntaxError, parse
from app.engine.predicates import AtomP, ExprError, Pred, compile_expr

SCOPES = ("element", "interaction")
THREAT_FIELDS = frozenset({
    "id", "title", "category", "scope", "include", "exclude", "likelihood", "impact",
    "description", "mitigations", "atlas", "atlas_mitigations", "owasp", "references",
    "controls", "extra",
})
PACK_FIELDS = frozenset({"id", "name", "version", "description", "types", "categories",
                         "threats", "extra", "source"})
_ATLAS_T = re.compile(r"^AML\.T\d{4}(\.\d{3})?$")
_ATLAS_M = re.compile(r"^AML\.M\d{4}$")
_OWASP = re.compile(r"^(ML|LLM)\d{2}:\d{4}$")
_PLACEHOLDER = re.compile(r"\{(element|source|target|flow)\.([A-Za-z0-9_.\-]+)\}")


class PackError(FileError):
    """A rule pack that cannot be used; the message names the pack, threat and field."""


@dataclass(frozen=True)
class Control:
    """A property setting that downgrades a threat when `when` holds."""

    when: Pred
    when_text: str
    label: str
    likelihood: int = 0
    impact: int = 0
    text: str = ""  # as a finding lists it, e.g. "rate limiting (likelihood -1)"
    applied_text: str = ""  # as a reason, when in effect


def _control(pred: Pred, when: str, label: str, dl: int, di: int) -> Control:
    bits = [f"{n} {d:+d}" for n, d in (("likelihood", dl), ("impact", di)) if d]
    text = f"{label} ({', '.join(bits)})" if bits else label
    return Control(pred, when, label, dl, di, text, "downgraded by " + text)


@dataclass(frozen=True)
class ThreatType:
    """One compiled threat rule of a pack."""

    pack: str
    id: str
    key_rule: str  # the rule part of finding keys: id, or "pack:id" for project packs
    title: str
    category: str
    scope: str
    include: Pred | None  # the whole include, for explanations
    exclude: Pred | None
    likelihood: int
    impact: int
    description: str = ""
    mitigations: tuple[str, ...] = ()
    atlas: tuple[str, ...] = ()
    atlas_mitigations: tuple[str, ...] = ()
    owasp: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    controls: tuple[Control, ...] = ()
    removers: tuple[AtomP, ...] = ()  # exclude atoms that, set, would remove the threat
    gates: Mapping[str, frozenset[str]] = field(default_factory=dict)  # role → any-of types
    title_parts: tuple[tuple[str, str, str], ...] = ()  # (literal, role, attribute)
    include_text: str = ""
    exclude_text: str = ""
    test: Pred | None = None  # the include minus the gates checked before it
    pgate: tuple[str, str, str] | None = None  # (role, property, value) the include needs


@dataclass(frozen=True)
class RulePack:
    """A validated, compiled rule pack."""

    id: str
    name: str
    threats: tuple[ThreatType, ...]
    version: str = ""
    description: str = ""
    types: TypeHierarchy = field(default_factory=TypeHierarchy)
    categories: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    builtin: bool = True


def _text_list(value: Any, where: str, source: str, pattern: re.Pattern[str] | None = None,
               what: str = "") -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise PackError(source, f"{where}: expected a list of text")
    for i, v in enumerate(value):
        if isinstance(v, dict):
            raise PackError(source, f"{where}, item {i + 1}: expected text, got a mapping "
                                    "(quote text that contains ': ')")
        if not isinstance(v, str | int | float):
            raise PackError(source, f"{where}, item {i + 1}: expected text, got {v!r}")
    items = tuple(str(v).strip() for v in value)
    if pattern is not None:
        for v in items:
            if not pattern.match(v):
                raise PackError(source, f"{where}: {v!r} is not a valid {what} id")
    return items


def _level(value: Any, where: str, source: str, lo: int = 1, hi: int = 5) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise PackError(source, f"{where}: expected a whole number from {lo} to {hi}, "
                                f"got {value!r}")
    return value


def _expr(text: Any, scope: str, where: str, source: str) -> tuple[Pred | None, Expr | None, str]:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None, None, ""
    if not isinstance(text, str):
        raise PackError(source, f"{where}: expected an expression as text, got {text!r}")
    try:
        ast = parse(text)
        return compile_expr(ast, scope), ast, " ".join(text.split())
    except RuleSyntaxError as err:
        raise PackError(source, f"{where}: {err}") from None
    except ExprError as err:
        raise PackError(source, f"{where}: {err}") from None


PropGate = tuple[str, str, str]


def _gates(ast: Expr | None) -> tuple[dict[str, frozenset[str]], PropGate | None, Expr | None]:
    """Types a subject must have for the include to hold (from its top-level conjunction),
    one required property value (role, prop, normalised value), and what is left of the
    include to test once the evaluator has checked those."""
    if ast is None:
        return {}, None, None
    items = ast.items if isinstance(ast, And) else (ast,)
    gates: dict[str, frozenset[str]] = {}
    pgate: PropGate | None = None
    rest: list[Expr] = []
    for it in items:
        if (pgate is None and isinstance(it, Atom) and it.op == "prop_is"
                and it.role in ("element", "flow", "source", "target")):
            pgate = (it.role, it.prop, norm(it.arg) or "")
            continue
        alts = it.items if isinstance(it, Or) else (it,)
        if all(isinstance(a, Atom) and a.op == "is_type" for a in alts):
            roles = {a.role for a in alts}  # type: ignore[union-attr]
            if len(roles) == 1 and (role := roles.pop()) not in gates:
                gates[role] = frozenset(a.arg for a in alts)  # type: ignore[union-attr]
                continue
        rest.append(it)
    if not rest:
        return gates, pgate, None
    return gates, pgate, rest[0] if len(rest) == 1 else And(tuple(rest))


def _positive_atoms(pred: Pred | None, ast: Expr | None) -> tuple[AtomP, ...]:
    """Property atoms of an exclude that, made true, would remove the threat."""
    if pred is None or ast is None:
        return ()
    out: list[AtomP] = []

    def walk(p: Pred) -> None:
        if isinstance(p, AtomP):
            if p.atom.op == "prop_is" and p.atom.role in ("element", "source", "target", "flow"):
                out.append(p)
        elif hasattr(p, "items"):
            for i in p.items:  # type: ignore[attr-defined]
                walk(i)

    walk(pred)
    return tuple(out)


def _title_parts(title: str) -> tuple[tuple[str, str, str], ...]:
    parts: list[tuple[str, str, str]] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(title):
        parts.append((title[pos:m.start()], m.group(1), m.group(2)))
        pos = m.end()
    parts.append((title[pos:], "", ""))
    return tuple(parts)


def _controls(value: Any, scope: str, where: str, source: str) -> tuple[Control, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise PackError(source, f"{where}: expected a list of {{when, label, likelihood, impact}}")
    out = []
    for i, c in enumerate(value):
        w = f"{where}[{i}]"
        if not isinstance(c, dict) or "when" not in c:
            raise PackError(source, f"{w}: a control needs 'when' (and a 'label')")
        unknown = set(c) - {"when", "label", "likelihood", "impact"}
        if unknown:
            raise PackError(source, f"{w}: unknown field(s) {', '.join(sorted(unknown))}")
        pred, _ast, text = _expr(c["when"], scope, f"{w}.when", source)
        if pred is None:
            raise PackError(source, f"{w}.when: empty expression")
        dl = _level(c.get("likelihood", 0), f"{w}.likelihood", source, -4, 4)
        di = _level(c.get("impact", 0), f"{w}.impact", source, -4, 4)
        out.append(_control(pred, text, str(c.get("label") or text), dl, di))
    return tuple(out)


def compile_threat(doc: Any, pack_id: str, source: str, builtin: bool) -> ThreatType:
    """Validate and compile one threat entry of a pack."""
    if not isinstance(doc, dict):
        raise PackError(source, f"pack {pack_id!r}: each threat must be a mapping")
    tid = doc.get("id")
    if not isinstance(tid, str | int) or not str(tid).strip():
        raise PackError(source, f"pack {pack_id!r}: a threat has no 'id'")
    tid = str(tid).strip()
    where = f"pack {pack_id!r}, threat {tid!r}"
    unknown = set(doc) - THREAT_FIELDS
    if unknown:
        raise PackError(source, f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    for req in ("title", "scope"):
        if not isinstance(doc.get(req), str) or not doc[req].strip():
            raise PackError(source, f"{where}, field '{req}': required text is missing")
    scope = doc["scope"].strip().lower()
    if scope not in SCOPES:
        raise PackError(source, f"{where}, field 'scope': {doc['scope']!r} is not one of "
                                f"{', '.join(SCOPES)}")
    inc, inc_ast, inc_text = _expr(doc.get("include"), scope, f"{where}, field 'include'", source)
    gates, pgate, rest = _gates(inc_ast)
    exc, exc_ast, exc_text = _expr(doc.get("exclude"), scope, f"{where}, field 'exclude'", source)
    return ThreatType(
        pack=pack_id, id=tid, key_rule=tid if builtin else f"{pack_id}:{tid}",
        title=doc["title"].strip(), category=str(doc.get("category") or "").strip(),
        scope=scope, include=inc, exclude=exc,
        likelihood=_level(doc.get("likelihood", 3), f"{where}, field 'likelihood'", source),
        impact=_level(doc.get("impact", 3), f"{where}, field 'impact'", source),
        description=str(doc.get("description") or "").strip(),
        mitigations=_text_list(doc.get("mitigations"), f"{where}, field 'mitigations'", source),
        atlas=_text_list(doc.get("atlas"), f"{where}, field 'atlas'", source, _ATLAS_T,
                         "ATLAS technique"),
        atlas_mitigations=_text_list(doc.get("atlas_mitigations"),
                                     f"{where}, field 'atlas_mitigations'", source, _ATLAS_M,
                                     "ATLAS mitigation"),
        owasp=_text_list(doc.get("owasp"), f"{where}, field 'owasp'", source, _OWASP, "OWASP"),
        references=_text_list(doc.get("references"), f"{where}, field 'references'", source),
        controls=_controls(doc.get("controls"), scope, f"{where}, field 'controls'", source),
        removers=_positive_atoms(exc, exc_ast), gates=gates,
        title_parts=_title_parts(doc["title"].strip()),
        include_text=inc_text, exclude_text=exc_text,
        test=compile_expr(rest, scope) if rest is not None else None, pgate=pgate,
    )


def _types(value: Any, where: str, source: str) -> TypeHierarchy:
    if value is None:
        return TypeHierarchy()
    if not isinstance(value, dict):
        raise PackError(source, f"{where}, field 'types': expected id → {{parent, name}}")
    parents: dict[str, str] = {}
    names: dict[str, str] = {}
    for tid, spec in value.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("parent"), str):
            raise PackError(source, f"{where}, field 'types', {tid!r}: needs a 'parent' id")
        parents[str(tid)] = spec["parent"]
        if spec.get("name"):
            names[str(tid)] = str(spec["name"])
    return TypeHierarchy(parents, names)


def compile_pack(doc: Any, source: str = "", builtin: bool = True) -> RulePack:
    """Validate a pack document and compile all its expressions (raises PackError)."""
    source = source or "rule pack"
    if not isinstance(doc, dict):
        raise PackError(source, "a rule pack must be a mapping with 'id' and 'threats'")
    pid = doc.get("id")
    if not isinstance(pid, str) or not pid.strip():
        raise PackError(source, "the pack has no 'id'")
    pid = pid.strip()
    where = f"pack {pid!r}"
    unknown = set(doc) - PACK_FIELDS
    if unknown:
        raise PackError(source, f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    threats_doc = doc.get("threats")
    if not isinstance(threats_doc, list):
        raise PackError(source, f"{where}, field 'threats': expected a list of threats")
    threats = [compile_threat(t, pid, source, builtin) for t in threats_doc]
    seen: set[str] = set()
    for t in threats:
        if t.id in seen:
            raise PackError(source, f"{where}: threat id {t.id!r} is used more than once")
        seen.add(t.id)
    cats = doc.get("categories") or {}
    if not isinstance(cats, dict):
        raise PackError(source, f"{where}, field 'categories': expected id → name")
    return RulePack(
        id=pid, name=str(doc.get("name") or pid), threats=tuple(threats),
        version=str(doc.get("version") or ""), description=str(doc.get("description") or ""),
        types=_types(doc.get("types"), where, source),
        categories={str(k): str(v) for k, v in cats.items()}, source=source, builtin=builtin,
    )


def pack_hierarchy(base: TypeHierarchy, packs: list[RulePack]) -> TypeHierarchy:
    """The stencil hierarchy extended with every pack's own types."""
    return base.merged(p.types for p in packs)


__all__ = ["Control", "Not", "PackError", "RulePack", "ThreatType", "compile_pack",
           "pack_hierarchy"]
