"""Read a whole .tm7 model: metadata, notes, diagrams, threats and its knowledge base."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from lxml import etree

from app.domain import DomainError, Project
from app.io.tm7.diagrams import read_surface
from app.io.tm7.kb import kinds_by_type, pack_from_kb
from app.io.tm7.threats import read_threats
from app.io.tm7.xmlsafe import Tm7Error, children, kids, parse, read_bytes, text


def _notes(notes: etree._Element | None) -> list[str]:
    """Model notes as lines '[date, author] message'."""
    out: list[str] = []
    for note in children(notes, "Note"):
        k = kids(note)
        who = ", ".join(x for x in (text(k.get("Date")), text(k.get("AddedBy"))) if x)
        msg = text(k.get("Message"), strip=False)
        out.append(f"[{who}] {msg}" if who else msg)
    return out


def _metadata(project: Project, root_kids: dict[str, etree._Element], path: Path) -> None:
    meta = kids(root_kids["MetaInformation"]) if "MetaInformation" in root_kids else {}

    def field(name: str) -> str:
        return text(meta.get(name), strip=False).strip()

    project.name = field("ThreatModelName") or path.stem
    project.owner = field("Owner")
    for attr, tag in (("reviewers", "Reviewer"), ("contributors", "Contributors"),
                      ("assumptions", "Assumptions"),
                      ("external_dependencies", "ExternalDependencies")):
        value = field(tag)
        setattr(project, attr, [value] if value else [])
    description = field("HighLevelSystemDescription")
    notes = _notes(root_kids.get("Notes"))
    if notes:
        # The project has no notes field: TMT notes travel in the description, marked.
        block = "Notes (Microsoft Threat Modeling Tool):\n" + "\n".join(f"- {n}" for n in notes)
        description = f"{description}\n\n{block}" if description else block
    project.description = description


def _declare_used_types(project: Project, pack: dict[str, Any]) -> None:
    """Give every type the diagrams use a place in the pack's hierarchy (parent: its
    generic type), so `is 'GE.P'` still matches a type the knowledge base forgot."""
    types = pack["types"]
    for _, e in project.iter_elements():
        if e.type_id not in types and e.type_id != e.kind.generic_type:
            types[e.type_id] = {"parent": e.kind.generic_type,
                                "name": e.extra.get("tmt.type_name", e.type_id)}


def read_tm7_root(path: Path, root: etree._Element) -> Project:
    """Map a parsed ThreatModel element to a Project (the pack travels in rule_packs)."""
    rk = kids(root)
    kb = rk.get("KnowledgeBase")
    pack: dict[str, Any] | None = pack_from_kb(kb, "model") if kb is not None else None
    kb_kinds = kinds_by_type(kb)
    project = Project(path.stem)
    _metadata(project, rk, path)
    seen: set[str] = set()
    for i, surface in enumerate(children(rk.get("DrawingSurfaceList"), "DrawingSurfaceModel")):
        diagram = read_surface(path, surface, i, kb_kinds)
        if diagram.id in seen:
            raise Tm7Error(path, f"two diagrams share the id {diagram.id!r}")
        seen.add(diagram.id)
        project.add_diagram(diagram)
    pack_id = pack["id"] if pack else ""
    if pack is not None:
        _declare_used_types(project, pack)
        project.put_rule_pack(pack_id, pack)
    for record, triage in read_threats(path, rk.get("ThreatInstances"), pack_id):
        project.put_threat(record)
        if not triage.is_default:
            project.set_triage(record.key, triage)
    return project


def read_tm7(path: str | os.PathLike[str]) -> Project:
    """Import a Microsoft Threat Modeling Tool model (.tm7) as a Project.

    Raises Tm7Error (a FileError) naming the file and the reason for anything unreadable.
    """
    p, data = read_bytes(path)
    root = parse(p, data, roots=("ThreatModel",))
    try:
        project = read_tm7_root(p, root)
    except DomainError as err:
        raise Tm7Error(p, str(err)) from None
    project.modified = project.created
    return project


def read_tb7(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Import a Threat Modeling Tool template (.tb7), or the KB of a .tm7, as a rule pack."""
    p, data = read_bytes(path)
    root = parse(p, data, roots=("KnowledgeBase", "ThreatModel"))
    if root.tag.rpartition("}")[2] == "ThreatModel":
        kb = kids(root).get("KnowledgeBase")
        if kb is None:
            raise Tm7Error(p, "has no knowledge base to import")
        return pack_from_kb(kb, "model")
    return pack_from_kb(root, "template")
