"""Diagram lint: structural problems an analyst wants fixed before trusting the analysis."""

from __future__ import annotations

from collections.abc import Mapping

from app.domain import Element, ElementKind, ProjectSnapshot, ValidationMessage

EE, PROC, STORE = ElementKind.EXTERNAL_ENTITY, ElementKind.PROCESS, ElementKind.DATA_STORE


def _label(e: Element) -> str:
    kind = e.kind.value.replace("_", " ")
    return f"{kind} '{e.name}'" if e.name else f"unnamed {kind} ({e.id})"


def _diagram(did: str, dname: str, elements: Mapping[str, Element]) -> list[ValidationMessage]:
    out: list[ValidationMessage] = []

    def msg(code: str, level: str, text: str, *ids: str) -> None:
        out.append(ValidationMessage(code, level, text, tuple(ids), did))

    nodes = [e for e in elements.values() if e.kind.is_node]
    boxes = [e for e in elements.values()
             if e.kind is ElementKind.BOUNDARY_BOX and e.rect is not None]
    ins: dict[str, int] = {n.id: 0 for n in nodes}
    outs: dict[str, int] = {n.id: 0 for n in nodes}
    for f in (e for e in elements.values() if e.is_flow):
        label = _label(f)
        ends = []
        for end, ref in (("source", f.source_id), ("target", f.target_id)):
            if ref is None:
                msg("flow-missing-end", "error", f"{label} has no {end}: connect it", f.id)
                continue
            other = elements.get(ref)
            if other is None:
                msg("flow-dangling-end", "error",
                    f"{label}: its {end} {ref!r} is not on this diagram", f.id)
            elif not other.kind.is_node:
                msg("flow-to-non-node", "error", f"{label}: its {end} is a "
                    f"{other.kind.value.replace('_', ' ')}, not an entity, process or store",
                    f.id, other.id)
            else:
                ends.append(other)
        if not f.name.strip():
            msg("unnamed-flow", "warning", f"a flow from {_label(elements[f.source_id])} to "
                f"{_label(elements[f.target_id])} has no name" if len(ends) == 2
                else f"{label} has no name", f.id)
        if len(ends) != 2:
            continue
        s, t = ends
        outs[s.id] += 1
        ins[t.id] += 1
        if s.id == t.id:
            msg("self-loop", "warning", f"{label} starts and ends at {_label(s)}", f.id, s.id)
        elif s.kind is STORE and t.kind is STORE:
            msg("store-to-store", "warning", f"{label} moves data between two stores with no "
                "process in between", f.id, s.id, t.id)
        elif s.kind is EE and t.kind is EE:
            msg("entity-to-entity", "info", f"{label} connects two external entities: out of "
                "the system's scope", f.id, s.id, t.id)
        elif {s.kind, t.kind} == {EE, STORE}:
            msg("entity-store-direct", "warning", f"{label} connects an external entity "
                "directly to a data store (no process mediates it)", f.id, s.id, t.id)
    names: dict[str, list[str]] = {}
    for n in nodes:
        if not n.name.strip():
            msg("unnamed-element", "warning", f"{_label(n)} has no name", n.id)
        else:
            names.setdefault(n.name.strip().lower(), []).append(n.id)
        if ins[n.id] + outs[n.id] == 0:
            msg("unconnected-element", "warning", f"{_label(n)} has no data flows", n.id)
        elif n.kind is STORE:
            if ins[n.id] == 0:
                msg("store-never-written", "warning", f"{_label(n)} is never written", n.id)
            if outs[n.id] == 0:
                msg("store-never-read", "warning", f"{_label(n)} is never read", n.id)
        elif n.kind is PROC:
            if ins[n.id] == 0:
                msg("process-no-input", "warning", f"{_label(n)} receives no data", n.id)
            if outs[n.id] == 0:
                msg("process-no-output", "warning", f"{_label(n)} sends no data", n.id)
        if n.rect is not None:
            if n.rect.width <= 0 or n.rect.height <= 0:
                msg("zero-size", "warning", f"{_label(n)} has no area", n.id)
            for b in boxes:
                if b.rect.straddles(n.rect):  # type: ignore[union-attr]
                    msg("straddles-boundary", "warning", f"{_label(n)} straddles the edge of "
                        f"{_label(b)}: move it fully inside or outside", n.id, b.id)
    for ids in names.values():
        if len(ids) > 1:
            msg("duplicate-name", "warning", f"{len(ids)} elements are named "
                f"'{elements[ids[0]].name.strip()}' on diagram '{dname}'", *ids)
    for b in boxes:
        if not any(b.rect.contains_point(n.rect.center)  # type: ignore[union-attr]
                   for n in nodes if n.rect is not None):
            msg("empty-boundary", "info", f"{_label(b)} contains no element", b.id)
        if not b.name.strip():
            msg("unnamed-boundary", "info", f"{_label(b)} has no name", b.id)
    for e in elements.values():
        if e.kind is ElementKind.BOUNDARY_LINE and len(e.points) < 2:
            msg("short-boundary-line", "error", f"{_label(e)} needs at least two points", e.id)
    return out


def lint(snapshot: ProjectSnapshot) -> list[ValidationMessage]:
    """Every lint message for every diagram, in diagram and element order."""
    out: list[ValidationMessage] = []
    first: dict[str, str] = {}
    for d in snapshot.diagrams:
        for eid in d.elements:
            if eid in first:
                out.append(ValidationMessage(
                    "duplicate-id", "error", f"element id {eid!r} is used on diagrams "
                    f"{first[eid]!r} and {d.name!r}; threat keys cannot tell them apart",
                    (eid,), d.id))
            else:
                first[eid] = d.name
    for d in snapshot.diagrams:
        if not d.elements:
            out.append(ValidationMessage("empty-diagram", "info",
                                         f"diagram '{d.name}' is empty", (), d.id))
            continue
        out.extend(_diagram(d.id, d.name, d.elements))
    return out
