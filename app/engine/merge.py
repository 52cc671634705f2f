"""Merge the analyst's triage into findings; keep stored threats and stale triaged ones."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from app.domain import Element, Finding, ProjectSnapshot, ThreatRecord, Triage
from app.engine.packs import ThreatType

STALE_REASON = "no longer applies: the rule's conditions are not met in the current model"


def apply_triage(f: Finding, t: Triage | None) -> Finding:
    """The finding with the analyst's state and risk overrides."""
    if t is None:
        return f
    return dataclasses.replace(
        f, state=t.state,
        likelihood=f.likelihood if t.likelihood is None else t.likelihood,
        impact=f.impact if t.impact is None else t.impact,
    )


def record_finding(rec: ThreatRecord) -> Finding:
    """A stored custom or imported threat, presented as a finding."""
    return Finding(
        key=rec.key, rule_id=rec.rule_id, pack=rec.pack, title=rec.title,
        category=rec.category, element_ids=tuple(rec.element_ids), diagram_id=rec.diagram_id,
        likelihood=rec.likelihood, impact=rec.impact, description=rec.description,
        atlas=tuple(rec.atlas), owasp=tuple(rec.owasp),
        origin=rec.origin if rec.origin in ("custom", "imported") else "custom",
    )


def stale_finding(key: str, rules: Mapping[str, ThreatType], elements: Mapping[str, Element],
                  diagram_of: Mapping[str, str]) -> Finding:
    """A triaged engine finding whose rule no longer matches: kept, marked not applying."""
    rule_part, _, id_part = key.partition("@")
    ids = tuple(i for i in id_part.split(",") if i)
    t = rules.get(rule_part)
    pack, _, rule_id = rule_part.rpartition(":") if ":" in rule_part else ("", "", rule_part)
    if t is not None:
        title = t.title
        for role, eid in zip(_roles(t.scope, len(ids)), ids, strict=False):
            e = elements.get(eid)
            title = title.replace("{" + role + ".name}", (e.name or e.id) if e else "(deleted)")
        pack = t.pack
    else:
        title = rule_part
        if rule_id.startswith("PATH-"):
            pack = "graph"
    return Finding(
        key=key, rule_id=rule_id, pack=pack, title=title,
        category=t.category if t else "", element_ids=ids,
        diagram_id=next((diagram_of[i] for i in ids if i in diagram_of), ""),
        likelihood=t.likelihood if t else 3, impact=t.impact if t else 3,
        description=t.description if t else "", atlas=t.atlas if t else (),
        atlas_mitigations=t.atlas_mitigations if t else (), owasp=t.owasp if t else (),
        mitigations=t.mitigations if t else (), references=t.references if t else (),
        reasons=(STALE_REASON,), applies=False,
    )


def _roles(scope: str, n: int) -> tuple[str, ...]:
    return ("element",) if scope == "element" else ("source", "flow", "target")[:n]


def finish(engine: Iterable[Finding], snapshot: ProjectSnapshot,
           rules: Mapping[str, ThreatType], elements: Mapping[str, Element],
           diagram_of: Mapping[str, str]) -> list[Finding]:
    """Engine findings with triage, then stored threats, then stale triaged keys (sorted).

    A stored threat with the key of an engine finding (e.g. a TMT threat instance that our
    run of the same TMT rule reproduces) is shown once, where the engine put it: the stored
    text, with the engine's reasons and controls (origin "engine": it still applies)."""
    triage = snapshot.triage
    records = snapshot.threats
    out = list(engine)
    if records:
        for i, f in enumerate(out):
            rec = records.get(f.key)
            if rec is not None:
                out[i] = dataclasses.replace(
                    record_finding(rec), reasons=f.reasons, controls=f.controls,
                    atlas_mitigations=f.atlas_mitigations, mitigations=f.mitigations,
                    references=f.references, path=f.path, origin="engine")
    seen = {f.key for f in out} if (triage or records) else set()
    if triage:
        out = [apply_triage(f, triage.get(f.key)) for f in out]
    for rec in records.values():
        if rec.key not in seen:
            out.append(apply_triage(record_finding(rec), triage.get(rec.key)))
            seen.add(rec.key)
    for key in sorted(k for k in triage if k not in seen):
        t = triage[key]
        if t.is_default:
            continue
        out.append(apply_triage(stale_finding(key, rules, elements, diagram_of), t))
    return out
