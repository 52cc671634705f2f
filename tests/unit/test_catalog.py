"""The bundled stencils and the StencilRegistry API."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.catalog import (
    PropertyValueError,
    StencilRegistry,
    UnknownStencilError,
    load_stencils,
    stencils_dir,
)
from app.domain import GENERIC_TYPES, DomainError, ElementKind, Point, PropertyType, Rect

ROOT = Path(__file__).resolve().parents[2]
VOCAB = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
# Risky capabilities may default to "yes"; every control (other bools) defaults to false.
RISKY_TRUE = {"returns_confidence_scores", "tools_can_write", "holds_secrets"}


@pytest.fixture(scope="module")
def reg() -> StencilRegistry:
    return load_stencils()


def _vocab_stencils() -> dict[str, str]:
    """id → parent from the stencil table of docs/vocabulary.md."""
    return dict(re.findall(r"^\| `((?:ai|actor|generic)\.[\w.]+)` \| (GE\.\w+) \|", VOCAB, re.M))


def _vocab_properties() -> dict[str, str]:
    """key → type from the property table of docs/vocabulary.md."""
    rows = re.findall(r"^\| `(\w+)` \| (bool|choice|text|number)\b", VOCAB, re.M)
    return dict(rows)


def test_every_vocabulary_stencil_is_defined_with_its_parent(reg: StencilRegistry) -> None:
    wanted = _vocab_stencils()
    assert len(wanted) >= 36
    for sid, parent in wanted.items():
        s = reg.get(sid)
        assert s is not None, sid
        assert s.parent == parent, sid
        assert s.kind is ElementKind(_kind_of(parent)), sid
    for kind, gid in GENERIC_TYPES.items():
        assert reg[gid].kind is kind and reg[gid].parent == ""


def _kind_of(generic: str) -> str:
    return {v: k.value for k, v in GENERIC_TYPES.items()}[generic]


def test_each_stencil_is_complete_and_uses_vocabulary_keys(reg: StencilRegistry) -> None:
    vocab = _vocab_properties()
    for s in reg.all():
        assert s.name and s.description and s.category, s.id
        w, h = s.default_size
        assert w > 0 and h >= 0
        if s.kind.is_box:
            assert h > 0, s.id
        for p in s.properties:
            assert p.key in vocab, f"{s.id}: {p.key} missing from docs/vocabulary.md"
            assert p.type.value == vocab[p.key], f"{s.id}: {p.key}"
            assert p.label and p.help, f"{s.id}: {p.key}"
            if p.type is PropertyType.BOOL:
                assert isinstance(p.default, bool), f"{s.id}: {p.key} default"
                assert not p.default or p.key in RISKY_TRUE, f"{s.id}: {p.key} default"
            if p.type is PropertyType.CHOICE:
                assert p.default in p.choices, f"{s.id}: {p.key}"
        if s.kind in (ElementKind.PROCESS, ElementKind.DATA_STORE) and s.id not in GENERIC_TYPES:
            assert len(s.properties) >= 4, s.id


def test_flows_and_boundaries_offer_their_keys(reg: StencilRegistry) -> None:
    flow = {p.key for p in reg["GE.DF"].properties}
    assert {"payload", "protocol", "encrypts_in_transit", "authenticates",
            "data_classification"} <= flow
    assert reg["GE.TB.B"].spec("trust_level") is not None
    assert reg["GE.TB.B"].spec("trust_level").default == "untrusted"  # type: ignore[union-attr]


def test_stencils_offer_the_properties_rules_test(reg: StencilRegistry) -> None:
    def keys(sid: str) -> set[str]:
        return {p.key for p in reg[sid].properties}

    assert {"exposure", "authenticates", "rate_limited", "returns_confidence_scores",
            "output_perturbation", "validates_input", "logs_and_monitors",
            "anomaly_detection"} <= keys("ai.inference_endpoint")
    assert {"artifact_format", "artifacts_signed", "authorizes",
            "encrypts_at_rest"} <= keys("ai.model_registry")
    assert {"tools_can_write", "human_approval_for_actions"} <= keys("ai.agent")
    assert {"robust_aggregation", "secure_aggregation"} <= keys("ai.federated_aggregator")
    assert reg["ai.inference_endpoint"].defaults()["exposure"] == "internet"
    assert reg["ai.model_registry"].defaults()["artifact_format"] == "pickle"
    assert reg["ai.federated_aggregator"].spec("min_clients_per_round").type is (  # type: ignore[union-attr]
        PropertyType.NUMBER)


def test_icons_are_distinct_48px_svgs(reg: StencilRegistry) -> None:
    seen: dict[bytes, str] = {}
    for s in reg.all():
        path = reg.icon_path(s.id)
        assert path.is_file() and path.suffix == ".svg"
        assert path.parent == stencils_dir() / "icons"
        root = ET.fromstring(path.read_bytes())
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("viewBox") == "0 0 48 48"
        body = b"".join(ET.tostring(child) for child in root
                        if not child.tag.endswith("title"))
        assert body not in seen, f"{s.id} draws the same icon as {seen.get(body)}"
        seen[body] = s.id


def test_categories_keep_catalog_order(reg: StencilRegistry) -> None:
    cats = reg.categories()
    assert next(iter(cats)) == "Generic"
    assert [s.id for s in cats["Generic"]][:3] == ["GE.EI", "GE.P", "GE.DS"]
    assert sum(len(v) for v in cats.values()) == len(reg) == len(reg.all())
    assert len(cats) >= 6
    assert {"Data", "Training", "Serving", "LLM and agents"} <= set(cats)


def test_for_kind_and_hierarchy(reg: StencilRegistry) -> None:
    stores = reg.for_kind(ElementKind.DATA_STORE)
    assert "ai.vector_store" in {s.id for s in stores}
    assert all(s.kind is ElementKind.DATA_STORE for s in stores)
    h = reg.hierarchy()
    assert h.is_a("ai.llm", "GE.P")
    assert not h.is_a("ai.llm", "GE.DS")
    assert h.ancestors("ai.model_registry") == ["ai.model_registry", "GE.DS"]
    assert h.names["ai.vector_store"] == "Vector store"


def test_lookup_and_generic_fallback(reg: StencilRegistry) -> None:
    assert reg.get("nope") is None
    assert "ai.llm" in reg and "nope" not in reg
    with pytest.raises(UnknownStencilError):
        reg["nope"]
    assert reg.get_or_generic("ai.llm", ElementKind.PROCESS).id == "ai.llm"
    assert reg.get_or_generic("SE.P.TMCore.WebApp", ElementKind.PROCESS).id == "GE.P"
    # a known id drawn as another kind (e.g. from a foreign file) gets that kind's generic
    assert reg.get_or_generic("ai.llm", ElementKind.DATA_STORE).id == "GE.DS"
    assert reg.defaults("foreign", ElementKind.DATA_FLOW)["payload"] == "other"


def test_search(reg: StencilRegistry) -> None:
    assert reg.search("Vector")[0].id == "ai.vector_store"
    assert "ai.federated_client" in {s.id for s in reg.search("HOSPITAL")}  # tags
    assert {s.id for s in reg.search("hugging face")} == {"ai.model_hub"}
    assert reg.search("model registry")[0].id == "ai.model_registry"
    assert reg.search("  ") == reg.all()
    assert reg.search("no such thing at all") == []


def test_new_element_boxes_flows_and_lines(reg: StencilRegistry) -> None:
    e = reg.new_element("ai.inference_endpoint", 40, 60)
    assert e.kind is ElementKind.PROCESS and e.type_id == "ai.inference_endpoint"
    assert e.rect == Rect(40, 60, 140, 60)
    assert e.name == "Inference endpoint"
    assert e.properties["returns_confidence_scores"] is True
    assert e.properties["authenticates"] is False
    other = reg.new_element("ai.inference_endpoint", 0, 0, name="Scoring API")
    assert other.id != e.id and other.name == "Scoring API"
    other.properties["authenticates"] = True
    assert reg.new_element("ai.inference_endpoint", 0, 0).properties["authenticates"] is False
    flow = reg.new_element("GE.DF", 10, 20)
    assert flow.is_flow and flow.source_point == Point(10, 20)
    assert flow.target_point == Point(130, 20) and flow.properties["payload"] == "other"
    line = reg.new_element("GE.TB.L", 0, 100)
    assert line.points == (Point(0, 100), Point(240, 100))
    with pytest.raises(UnknownStencilError):
        reg.new_element("ai.nope", 0, 0)


def test_coerce_properties(reg: StencilRegistry) -> None:
    out = reg.coerce_properties("ai.inference_endpoint",
                                {"authenticates": "Yes", "exposure": "partner",
                                 "tmt-guid-1": "kept"})
    assert out == {"authenticates": True, "exposure": "partner", "tmt-guid-1": "kept"}
    assert reg.coerce_properties("ai.llm", {"exposure": None}) == {}
    assert reg.coerce_properties("ai.federated_aggregator",
                                 {"min_clients_per_round": "10"}) == {
        "min_clients_per_round": 10}
    with pytest.raises(PropertyValueError) as err:
        reg.coerce_properties("ai.inference_endpoint",
                              {"exposure": "everyone", "rate_limited": "maybe"})
    assert len(err.value.problems) == 2
    assert "everyone" in str(err.value) and "ai.inference_endpoint" in str(err.value)
    assert isinstance(err.value, DomainError)
    with pytest.raises(PropertyValueError, match="not a property"):
        reg.coerce_properties("ai.llm", {"tools_can_write": True}, strict=True)
    generic = reg.coerce_properties("Foreign.Type", {"encrypts_in_transit": "no"},
                                    kind=ElementKind.DATA_FLOW)
    assert generic == {"encrypts_in_transit": False}
    with pytest.raises(UnknownStencilError):
        reg.coerce_properties("Foreign.Type", {})


def test_loads_fast_and_independently() -> None:
    start = time.perf_counter()
    a = load_stencils()
    elapsed = time.perf_counter() - start
    b = load_stencils(stencils_dir())
    assert a is not b and a.all() == b.all()
    assert elapsed < 1.0
