"""The rule packs on small hand-built diagrams: each precision example fires where a reviewer
would raise it, stays quiet where it should, and its control removes or downgrades it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.domain import Diagram, ElementKind, Finding, Project, Rect, TypeHierarchy, make_box
from app.domain import make_flow as _make_flow

engine = pytest.importorskip("app.engine", reason="engine not built yet")

ROOT = Path(__file__).resolve().parents[2]
KIND_OF = {"GE.EI": ElementKind.EXTERNAL_ENTITY, "GE.P": ElementKind.PROCESS,
           "GE.DS": ElementKind.DATA_STORE}


@cache
def _catalog() -> tuple[TypeHierarchy, dict[str, dict[str, Any]]]:
    """Type hierarchy and default properties from the real stencils (the insecure defaults)."""
    catalog = pytest.importorskip("app.catalog", reason="stencil catalog not built yet")
    registry = catalog.load_stencils()
    return registry.hierarchy(), {s.id: s.defaults() for s in registry}


def _hierarchy() -> TypeHierarchy:
    return _catalog()[0]


@cache
def _packs() -> tuple[Any, ...]:
    out = []
    for name in ("stride-core", "ai-ml"):
        doc = yaml.safe_load((ROOT / "templates" / "rules" / f"{name}.yaml").read_text("utf-8"))
        out.append(engine.compile_pack(doc, name))
    return tuple(out)


@dataclass
class Model:
    """A tiny diagram builder: nodes outside (x < 1000) or inside one trusted boundary."""

    project: Project = field(default_factory=lambda: Project("precision"))
    diagram: Diagram = field(default_factory=lambda: Diagram("Main", diagram_id="d1"))
    rows: int = 0

    def __post_init__(self) -> None:
        self.project.add_diagram(self.diagram)
        box = make_box(ElementKind.BOUNDARY_BOX, "GE.TB.B", "Trusted zone",
                       Rect(1000, -100, 2000, 10000), {"trust_level": "trusted"}, "zone")
        self.diagram.add(box)

    def node(self, type_id: str, eid: str, inside: bool = True, **props: Any) -> str:
        kind = KIND_OF[_hierarchy().ancestors(type_id)[-1]]
        self.rows += 1
        x = 1500 if inside else 200
        self.diagram.add(make_box(kind, type_id, eid.replace("_", " "),
                                  Rect(x, self.rows * 150, 100, 60), props, eid))
        return eid

    def flow(self, source: str, target: str, eid: str | None = None, **props: Any) -> str:
        eid = eid or f"{source}->{target}"
        self.diagram.add(_make_flow(source, target, eid, properties=props, element_id=eid))
        return eid

    def set(self, eid: str, **props: Any) -> None:
        for key, value in props.items():
            self.diagram.set_property(eid, key, value)

    def findings(self) -> list[Finding]:
        return engine.analyze(self.project.snapshot(), _packs(), _hierarchy(), _catalog()[1],
                              attack_paths=False)


def _find(findings: list[Finding], rule: str, *ids: str) -> Finding | None:
    for f in findings:
        if f.rule_id == rule and set(ids) <= set(f.element_ids):
            return f
    return None


def _check(model: Model, rule: str, ids: tuple[str, ...], control: Callable[[Model], None],
           removes: bool) -> Finding:
    """The rule fires on ids; after `control` it is gone (removes) or has lower risk."""
    before = _find(model.findings(), rule, *ids)
    assert before is not None, f"{rule} did not fire on {ids}"
    assert before.controls, f"{rule}: the finding names no control"
    control(model)
    after = _find(model.findings(), rule, *ids)
    if removes:
        assert after is None, f"{rule} still fires after its control"
    else:
        assert after is not None, f"{rule}: a downgrade control should not remove it"
        assert after.likelihood * after.impact < before.likelihood * before.impact
    return before


def _endpoint(**props: Any) -> Model:
    m = Model()
    m.node("actor.end_user", "user", inside=False)
    m.node("ai.training_job", "train")
    m.node("ai.inference_endpoint", "api", **props)
    m.flow("user", "api")
    m.flow("train", "api", payload="model_artifact")
    return m


def test_membership_inference_needs_scores_and_exposure_and_perturbation_downgrades() -> None:
    m = _endpoint(returns_confidence_scores=True)
    f = _check(m, "AIML-013", ("api",), lambda m: m.set("api", output_perturbation=True), False)
    assert "AML.T0024.000" in f.atlas and "ML04:2023" in f.owasp
    _check(_endpoint(returns_confidence_scores=True), "AIML-013", ("api",),
           lambda m: m.set("train", differential_privacy=True), True)
    labels_only = _endpoint(returns_confidence_scores=False).findings()
    assert _find(labels_only, "AIML-013", "api") is None
    internal = Model()
    internal.node("ai.batch_scoring", "batch")
    internal.node("ai.inference_endpoint", "api", exposure="internal")
    internal.flow("batch", "api")
    assert _find(internal.findings(), "AIML-013", "api") is None  # not reachable from outside


def _poisoning() -> Model:
    m = Model()
    m.node("ai.data_source.public", "scrape", inside=False)
    m.node("ai.ingestion", "ingest")
    m.node("ai.training_data_store", "lake")
    m.node("ai.training_job", "train")
    m.node("ai.training_job", "train_b")
    m.flow("scrape", "ingest", payload="training_data")
    m.flow("ingest", "lake")
    m.flow("lake", "train")
    m.flow("lake", "train_b")
    return m


def test_poisoning_reaches_the_store_and_every_model_trained_from_it() -> None:
    found = _poisoning().findings()
    assert _find(found, "AIML-001", "lake")
    assert _find(found, "AIML-002", "train") and _find(found, "AIML-002", "train_b")
    _check(_poisoning(), "AIML-001", ("lake",), lambda m: m.set("ingest", validates_input=True),
           True)
    _check(_poisoning(), "AIML-002", ("train_b",),
           lambda m: m.set("ingest", validates_input=True), True)
    clean = Model()
    clean.node("ai.data_source.internal", "warehouse")
    clean.node("ai.training_data_store", "lake")
    clean.flow("warehouse", "lake")
    assert _find(clean.findings(), "AIML-001", "lake") is None


def _registry(fmt: str) -> Model:
    m = Model()
    m.node("ai.model_registry", "registry", artifact_format=fmt)
    m.node("ai.model_server", "server")
    m.flow("registry", "server", payload="model_artifact")
    return m


def test_malicious_artifact_when_unsigned_pickle_is_loaded_by_a_server() -> None:
    _check(_registry("pickle"), "AIML-034", ("registry", "server"),
           lambda m: m.set("registry", artifacts_signed=True), True)
    _check(_registry("joblib"), "AIML-034", ("registry", "server"),
           lambda m: m.set("server", sandboxed=True), False)
    assert _find(_registry("safetensors").findings(), "AIML-034", "registry") is None


def _rag() -> Model:
    m = Model()
    m.node("actor.end_user", "user", inside=False)
    m.node("ai.vector_store", "vectors")
    m.node("ai.llm", "llm")
    m.flow("user", "llm", payload="prompts")
    m.flow("vectors", "llm", payload="retrieved_content")
    m.flow("llm", "user")
    return m


def test_prompt_injection_direct_and_indirect() -> None:
    _check(_rag(), "AIML-069", ("llm",), lambda m: m.set("llm", input_filtering=True), True)
    _check(_rag(), "AIML-070", ("llm",), lambda m: m.set("llm", input_filtering=True), False)
    _check(_rag(), "AIML-071", ("vectors", "llm"), lambda m: m.set("llm", input_filtering=True),
           True)
    _check(_rag(), "AIML-074", ("llm",), lambda m: m.set("llm", output_filtering=True), True)
    _check(_rag(), "AIML-080", ("llm",), lambda m: m.set("llm", rate_limited=True), True)


def _agent(write: bool) -> Model:
    m = Model()
    m.node("actor.end_user", "user", inside=False)
    m.node("ai.agent", "agent", tools_can_write=write)
    m.node("ai.agent_tool", "tool", tools_can_write=write)
    m.flow("user", "agent")
    m.flow("agent", "tool", payload="tool_calls")
    return m


def test_excessive_agency_only_for_writing_tools_without_approval() -> None:
    _check(_agent(True), "AIML-084", ("agent",),
           lambda m: m.set("agent", human_approval_for_actions=True), True)
    _check(_agent(True), "AIML-085", ("tool",),
           lambda m: m.set("agent", human_approval_for_actions=True), True)
    found = _agent(False).findings()
    assert _find(found, "AIML-084", "agent") is None and _find(found, "AIML-085", "tool") is None


def _federated() -> Model:
    m = Model()
    m.node("ai.federated_client", "client", inside=False)
    m.node("ai.federated_aggregator", "aggregator")
    m.flow("client", "aggregator", payload="model_updates")
    return m


def test_federated_poisoning_and_update_leakage() -> None:
    _check(_federated(), "AIML-095", ("aggregator",),
           lambda m: m.set("aggregator", robust_aggregation=True), True)
    _check(_federated(), "AIML-096", ("aggregator",),
           lambda m: m.set("aggregator", secure_aggregation=True), True)
    _check(_federated(), "AIML-098", ("client", "aggregator"),
           lambda m: m.set("client->aggregator", encrypts_in_transit=True), True)


def test_model_extraction_and_evasion_on_an_exposed_endpoint() -> None:
    _check(_endpoint(), "AIML-020", ("api",), lambda m: m.set("api", rate_limited=True), True)
    _check(_endpoint(), "AIML-025", ("api",), lambda m: m.set("api", adversarial_training=True),
           True)


def test_stride_boundary_awareness() -> None:
    m = _endpoint()
    found = m.findings()
    assert _find(found, "STRIDE-T01", "user", "api")  # crosses into the trusted zone
    assert _find(found, "STRIDE-T01", "train", "api") is None  # stays inside it
    _check(_endpoint(), "STRIDE-S01", ("user", "api"), lambda m: m.set("api", authenticates=True),
           True)
    _check(_endpoint(), "STRIDE-E01", ("user", "api"), lambda m: m.set("api", authorizes=True),
           True)
    _check(_endpoint(), "STRIDE-R01", ("api",), lambda m: m.set("api", logs_and_monitors=True),
           True)


def _chain(*nodes: tuple[str, str, dict[str, Any]], outside: tuple[str, ...] = ()) -> Model:
    """Nodes (type, id, props) connected in a line, in order."""
    m = Model()
    for type_id, eid, props in nodes:
        m.node(type_id, eid, inside=eid not in outside, **props)
    for (_t1, a, _p1), (_t2, b, _p2) in pairwise(nodes):
        m.flow(a, b)
    return m


def test_label_flipping_needs_crowd_or_outside_labelers() -> None:
    def build(crowd: bool) -> Model:
        return _chain(("ai.data_source.internal", "db", {}),
                      ("ai.labeling", "labels", {"crowd_sourced": crowd}),
                      ("ai.training_data_store", "lake", {}))
    _check(build(True), "AIML-003", ("labels",),
           lambda m: m.set("labels", validates_input=True), True)
    assert _find(build(False).findings(), "AIML-003", "labels") is None
    _check(build(True), "AIML-103", ("labels",),
           lambda m: m.set("labels", output_filtering=True), True)


def test_lifecycle_stores_pipelines_and_trackers() -> None:
    m = _chain(("ai.preprocessing", "prep", {}), ("ai.feature_store", "fs", {}),
               ("ai.training_job", "train", {}), ("ai.experiment_tracker", "tracker", {}))
    _check(m, "AIML-006", ("fs",), lambda m: m.set("fs", authorizes=True), True)
    _check(m, "AIML-061", ("tracker",), lambda m: m.set("tracker", authorizes=True), True)
    ci = _chain(("ai.cicd_pipeline", "ci", {}), ("ai.model_server", "server", {}))
    _check(ci, "AIML-040", ("ci",), lambda m: m.set("ci", authorizes=True), True)
    _check(ci, "AIML-041", ("ci",), lambda m: m.set("ci", sandboxed=True), True)  # holds secrets
    _check(ci, "AIML-042", ("ci", "server"), lambda m: m.set("ci", artifacts_signed=True), True)


def test_model_hub_supply_chain_and_transfer_learning() -> None:
    def build() -> Model:
        return _chain(("ai.model_hub", "hub", {}), ("ai.fine_tuning_job", "tune", {}),
                      outside=("hub",))
    pin = {"dependencies_pinned": True}
    _check(build(), "AIML-036", ("hub", "tune"), lambda m: m.set("tune", **pin), True)
    _check(build(), "AIML-037", ("tune",), lambda m: m.set("tune", **pin), False)
    _check(build(), "AIML-043", ("hub",), lambda m: m.set("hub", **pin), True)


def test_monitoring_gap_disappears_when_the_endpoint_feeds_a_monitor() -> None:
    _check(_endpoint(), "AIML-054", ("api",), lambda m: m.set("api", logs_and_monitors=True),
           True)
    watched = _endpoint()
    watched.node("ai.monitoring", "monitor")
    watched.flow("api", "monitor", payload="telemetry")
    assert _find(watched.findings(), "AIML-054", "api") is None


def test_llm_output_handling_misinformation_and_vector_leaks() -> None:
    def build() -> Model:
        m = _rag()
        m.node("generic.database", "orders")
        m.flow("llm", "orders")
        return m
    _check(build(), "AIML-076", ("llm", "orders"),
           lambda m: m.set("orders", validates_input=True), True)
    _check(build(), "AIML-078", ("llm",), lambda m: m.set("llm", output_filtering=True), False)
    _check(build(), "AIML-016", ("vectors",), lambda m: m.set("vectors", authorizes=True), True)
    _check(build(), "AIML-077", ("llm", "user"), lambda m: m.set("llm", output_filtering=True),
           True)
