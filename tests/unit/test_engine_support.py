"""Helpers shared by the engine tests: build small models and load the real rule packs."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from app.domain import (
    Diagram,
    ElementKind,
    Project,
    Rect,
    TypeHierarchy,
    make_box,
    make_flow,
)
from app.engine.packs import RulePack, compile_pack

ROOT = Path(__file__).resolve().parents[2]
KINDS = {
    "GE.EI": ElementKind.EXTERNAL_ENTITY, "GE.P": ElementKind.PROCESS,
    "GE.DS": ElementKind.DATA_STORE, "GE.TB.B": ElementKind.BOUNDARY_BOX,
    "GE.A": ElementKind.ANNOTATION,
}


@lru_cache(maxsize=1)
def hierarchy() -> TypeHierarchy:
    """The stencil hierarchy of the shared vocabulary (docs/vocabulary.md, the contract)."""
    parents: dict[str, str] = {}
    names: dict[str, str] = {}
    text = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    for m in re.finditer(r"^\| `([\w.]+)` \| (GE\.\w+) \| ([^|]+)\|", text, re.M):
        parents[m.group(1)] = m.group(2)
        names[m.group(1)] = m.group(3).strip().split(" (")[0]
    return TypeHierarchy.generic().merged([TypeHierarchy(parents, names)])


@lru_cache(maxsize=1)
def real_packs() -> tuple[RulePack, ...]:
    """The built-in packs from templates/rules."""
    out = []
    for path in sorted((ROOT / "templates" / "rules").glob("*.yaml")):
        out.append(compile_pack(yaml.safe_load(path.read_text(encoding="utf-8")), str(path)))
    return tuple(out)


class ModelBuilder:
    """Builds a one-diagram project: nodes in a row, boundaries as boxes, flows by name."""

    def __init__(self) -> None:
        self.project = Project("test")
        self.diagram = Diagram("Main", diagram_id="d1")
        self.project.add_diagram(self.diagram)
        self.x = 0.0

    def node(self, eid: str, type_id: str, parent: str = "GE.P", name: str | None = None,
             at: tuple[float, float] | None = None, **props: object) -> str:
        x, y = at if at is not None else (self.x, 0.0)
        self.x += 200
        kind = KINDS[parent]
        self.diagram.add(make_box(kind, type_id, eid if name is None else name,
                                  Rect(x, y, 100, 50), dict(props), element_id=eid))
        return eid

    def box(self, eid: str, rect: tuple[float, float, float, float], **props: object) -> str:
        self.diagram.add(make_box(ElementKind.BOUNDARY_BOX, "GE.TB.B", eid, Rect(*rect),
                                  dict(props), element_id=eid))
        return eid

    def flow(self, eid: str, src: str, dst: str, name: str | None = None, **props: object) -> str:
        self.diagram.add(make_flow(src, dst, eid if name is None else name,
                                   properties=dict(props), element_id=eid))
        return eid

    def snapshot(self):  # type: ignore[no-untyped-def]
        return self.project.snapshot()


def pack(*threats: dict, pack_id: str = "t", **extra: object) -> RulePack:
    """A compiled test pack from threat dicts (scope element unless given)."""
    docs = []
    for i, t in enumerate(threats):
        d = {"id": f"T{i + 1}", "title": "T", "category": "Tampering", "scope": "element",
             "likelihood": 3, "impact": 3}
        d.update(t)
        docs.append(d)
    return compile_pack({"id": pack_id, "threats": docs, **extra}, "test pack")
