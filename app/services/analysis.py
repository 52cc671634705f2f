"""Analysis as the CLI and the window use it: built-in rule packs from templates/rules,
stencil types and defaults from the catalog, ATLAS names from the user's imported release."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from app.catalog import load_stencils
from app.catalog.atlas import installed_atlas
from app.catalog.paths import rules_dir
from app.domain import DomainError, Finding, Project, ProjectSnapshot, TypeHierarchy
from app.domain.atlas import AtlasCatalog
from app.engine import Analyzer, PackError, RulePack, compile_pack
from app.engine.facts import Defaults
from app.engine.paths import PATH_PACK


def read_pack_file(path: str | os.PathLike[str], builtin: bool = True) -> RulePack:
    """Load and compile one rule-pack YAML file (PackError names the file and the problem)."""
    p = Path(path)
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(p, "file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise PackError(p, f"cannot read: {err}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise PackError(p, f"not valid YAML: {where}{getattr(err, 'problem', err)}") from None
    return compile_pack(doc, str(p), builtin=builtin)


def builtin_packs(folder: str | os.PathLike[str] | None = None) -> list[RulePack]:
    """Every built-in pack (templates/rules/*.yaml), in file-name order."""
    root = Path(folder) if folder is not None else rules_dir()
    if not root.is_dir():
        return []
    return [read_pack_file(p) for p in sorted(root.glob("*.yaml"))]


def stencil_types() -> tuple[TypeHierarchy, Defaults]:
    """The type hierarchy and per-type property defaults of the stencil catalog."""
    registry = load_stencils()
    return registry.hierarchy(), {s.id: s.defaults() for s in registry}


def pack_ids(packs: Iterable[RulePack], snapshot: ProjectSnapshot) -> list[str]:
    """Ids of every pack that can run on the snapshot (built-in, project, and 'graph')."""
    return [*(p.id for p in packs), *snapshot.rule_packs, PATH_PACK]


def select_packs(snapshot: ProjectSnapshot, packs: Sequence[RulePack],
                 only: Sequence[str]) -> ProjectSnapshot:
    """A snapshot whose disabled packs leave only `only` running (DomainError if unknown)."""
    known = pack_ids(packs, snapshot)
    unknown = [p for p in only if p not in known]
    if unknown:
        raise DomainError(f"unknown rule pack {', '.join(map(repr, unknown))}; "
                          f"available: {', '.join(known)}")
    off = frozenset(p for p in known if p not in only) | snapshot.disabled_packs
    return replace(snapshot, disabled_packs=off)


def make_analyzer(packs: Sequence[RulePack] | None = None) -> Analyzer:
    """An Analyzer with the built-in packs and the stencil catalog's types and defaults."""
    hierarchy, defaults = stencil_types()
    return Analyzer(builtin_packs() if packs is None else packs, hierarchy, defaults)


def analyze_project(project: Project | ProjectSnapshot,
                    only_packs: Sequence[str] = ()) -> list[Finding]:
    """All findings for a project (optionally only from the packs named)."""
    snap = project.snapshot() if isinstance(project, Project) else project
    analyzer = make_analyzer()
    if only_packs:
        snap = select_packs(snap, analyzer.builtin, only_packs)
    return analyzer.run(snap)


def atlas_catalog() -> AtlasCatalog | None:
    """The ATLAS release imported with `threatcanvas atlas import`, if any."""
    return installed_atlas()


def finding_record(f: Finding, atlas: AtlasCatalog | None = None) -> dict[str, Any]:
    """A finding as plain JSON data (the `analyze --json` row)."""
    row: dict[str, Any] = {
        "key": f.key, "rule_id": f.rule_id, "pack": f.pack, "title": f.title,
        "category": f.category, "element_ids": list(f.element_ids),
        "diagram_id": f.diagram_id, "atlas": list(f.atlas),
        "atlas_mitigations": list(f.atlas_mitigations), "owasp": list(f.owasp),
        "likelihood": f.likelihood, "impact": f.impact, "severity": f.severity.value,
        "state": f.state.value, "applies": f.applies, "origin": f.origin,
        "reasons": list(f.reasons), "controls": list(f.controls), "path": list(f.path),
        "description": f.description, "mitigations": list(f.mitigations),
        "references": list(f.references),
    }
    if atlas is not None:
        row["atlas_techniques"] = [
            {"id": t, "name": atlas.name(t), "tactics": [x.name for x in atlas.tactics_of(t)]}
            for t in f.atlas]
        row["atlas_mitigation_names"] = {m: atlas.name(m) for m in f.atlas_mitigations}
    return row
