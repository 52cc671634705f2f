"""The bundled example projects: they load, use known stencils and valid properties, and are
neatly laid out (on a grid, no overlaps, boxes clearly inside or outside each boundary)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.catalog import StencilRegistry, examples_dir, load_stencils
from app.domain import Element, ElementKind, Project, Rect
from app.domain.geometry import Point, segments_intersect
from app.domain.topology import flow_path

yaml_format = pytest.importorskip("app.io.yaml_format")

NAMES = ["classification-pipeline", "recommender", "federated-learning", "credit-scoring",
         "rag-chatbot"]
GRID = 20
MARGIN = 20  # space between a boundary box's edge and what it holds
ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def reg() -> StencilRegistry:
    return load_stencils()


class _Examples(dict):
    """Example projects by name, each read on first use."""

    def __missing__(self, name: str) -> Project:
        self[name] = project = yaml_format.read(examples_dir() / f"{name}.tc.yaml")
        return project


@pytest.fixture(scope="module")
def projects() -> dict[str, Project]:
    return _Examples()


def _boxes(p: Project) -> list[Element]:
    return [e for d in p.diagrams for e in d if e.rect is not None]


def _nodes(p: Project) -> list[Element]:
    return [e for d in p.diagrams for e in d if e.kind.is_node]


def test_the_five_examples_are_bundled() -> None:
    found = sorted(f.name for f in examples_dir().glob("*.tc.yaml"))
    assert found == sorted(f"{n}.tc.yaml" for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_metadata_is_realistic(projects: dict[str, Project], name: str) -> None:
    p = projects[name]
    assert p.name and len(p.description) > 80
    assert p.owner and p.reviewers and p.scope
    assert len(p.assumptions) >= 2 and len(p.external_dependencies) >= 1
    assert len(p.diagrams) == 1
    nodes = _nodes(p)
    assert 8 <= len(nodes) <= 20
    flows = [e for d in p.diagrams for e in d.flows()]
    assert len(flows) >= len(nodes) - 1
    assert any(e.kind is ElementKind.BOUNDARY_BOX for d in p.diagrams for e in d)


@pytest.mark.parametrize("name", NAMES)
def test_types_and_properties_fit_the_stencils(reg: StencilRegistry,
                                               projects: dict[str, Project], name: str) -> None:
    ids: set[str] = set()
    for d in projects[name].diagrams:
        for e in d:
            assert ID.match(e.id), e.id
            assert e.id not in ids
            ids.add(e.id)
            stencil = reg.get(e.type_id)
            assert stencil is not None, f"{e.id}: unknown type {e.type_id}"
            assert stencil.kind is e.kind, e.id
            assert reg.coerce_properties(e.type_id, e.properties, strict=True) == e.properties
            if e.is_flow:
                assert e.name, e.id
                assert {"payload", "protocol"} <= set(e.properties), e.id
            elif e.kind.is_node:
                assert e.name and len(e.properties) >= 2, e.id
            elif e.kind is ElementKind.BOUNDARY_BOX:
                assert e.properties.get("trust_level"), e.id


@pytest.mark.parametrize("name", NAMES)
def test_boxes_sit_on_the_grid_without_overlap(projects: dict[str, Project], name: str) -> None:
    boxes = _boxes(projects[name])
    for e in boxes:
        assert e.rect is not None
        assert e.rect.x % GRID == 0 and e.rect.y % GRID == 0, e.id
        assert e.rect.x >= 0 and e.rect.y >= 0, e.id
    solid = [e for e in boxes if e.kind is not ElementKind.BOUNDARY_BOX]
    for i, a in enumerate(solid):
        for b in solid[i + 1:]:
            assert not a.rect.intersects(b.rect), f"{a.id} overlaps {b.id}"  # type: ignore[union-attr]


def _inside(outer: Rect, inner: Rect, margin: float) -> bool:
    return (outer.x + margin <= inner.x and outer.y + margin <= inner.y
            and inner.right <= outer.right - margin and inner.bottom <= outer.bottom - margin)


@pytest.mark.parametrize("name", NAMES)
def test_elements_are_fully_inside_or_outside_each_boundary(projects: dict[str, Project],
                                                            name: str) -> None:
    boxes = _boxes(projects[name])
    for b in (e for e in boxes if e.kind is ElementKind.BOUNDARY_BOX):
        assert b.rect is not None
        for e in boxes:
            if e is b or e.rect is None:
                continue
            inside = _inside(b.rect, e.rect, MARGIN)
            outside = not b.rect.intersects(e.rect) or _inside(e.rect, b.rect, MARGIN)
            assert inside or outside, f"{e.id} straddles boundary {b.id}"


def _cuts(path: list[Point], rect: Rect) -> bool:
    """True when the polyline passes through (or touches) the rectangle."""
    if any(rect.contains_point(p) for p in path):
        return True
    return any(segments_intersect(path[i], path[i + 1], a, b)
               for i in range(len(path) - 1) for a, b in rect.edges())


@pytest.mark.parametrize("name", NAMES)
def test_flows_and_lines_do_not_run_through_other_elements(projects: dict[str, Project],
                                                           name: str) -> None:
    for d in projects[name].diagrams:
        solid = [e for e in d if e.rect is not None and e.kind is not ElementKind.BOUNDARY_BOX]
        for f in d.flows():
            path = flow_path(d.elements, f)
            assert len(path) >= 2
            for e in solid:
                if e.id not in (f.source_id, f.target_id):
                    assert not _cuts(path, e.rect), f"flow {f.id} runs through {e.id}"  # type: ignore[arg-type]
        for line in (e for e in d if e.kind is ElementKind.BOUNDARY_LINE):
            for e in solid:
                assert not _cuts(list(line.points), e.rect), f"{line.id} cuts {e.id}"  # type: ignore[arg-type]


def test_examples_show_nesting_and_boundary_lines(projects: dict[str, Project]) -> None:
    loaded = [projects[n] for n in NAMES]
    kinds = [e.kind for p in loaded for d in p.diagrams for e in d]
    assert ElementKind.BOUNDARY_LINE in kinds
    nested = 0
    for p in loaded:
        for d in p.diagrams:
            bxs = [e for e in d if e.kind is ElementKind.BOUNDARY_BOX]
            nested += sum(1 for a in bxs for b in bxs
                          if a is not b and _inside(a.rect, b.rect, MARGIN))  # type: ignore[arg-type]
    assert nested >= 3


def test_federated_example_has_three_hospitals_and_phi(projects: dict[str, Project]) -> None:
    p = projects["federated-learning"]
    clients = [e for e in _nodes(p) if e.type_id == "ai.federated_client"]
    assert len(clients) >= 3
    assert any(e.properties.get("data_classification") == "phi"
               for d in p.diagrams for e in d)


@pytest.mark.parametrize("name", NAMES)
def test_round_trip_keeps_the_model(projects: dict[str, Project], name: str,
                                    tmp_path: Path) -> None:
    text = (examples_dir() / f"{name}.tc.yaml").read_text(encoding="utf-8")
    again = yaml_format.loads(yaml_format.dumps(projects[name]))
    assert yaml_format.dumps(again) == yaml_format.dumps(projects[name])
    assert "format: threatcanvas/1" in text.splitlines()[0]
