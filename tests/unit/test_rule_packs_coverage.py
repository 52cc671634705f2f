"""No dead rules: every threat type of the built-in packs fires on at least one of a few
weakness-rich diagrams built here, so a typo in a type id, a property key or a condition
that can never hold is caught."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.unit.test_rule_packs_precision import Model

ROOT = Path(__file__).resolve().parents[2]


def _lifecycle() -> Model:
    """Every ML lifecycle stencil, with the weak settings a first draft would have."""
    m = Model()
    m.node("ai.data_source.public", "scrape", inside=False)
    m.node("ai.model_hub", "hub", inside=False)
    m.node("actor.end_user", "user", inside=False)
    m.node("actor.admin", "admin", inside=False)
    m.node("ai.labeling", "labels", crowd_sourced=True)
    m.node("ai.ingestion", "ingest")
    m.node("ai.training_data_store", "lake", data_classification="pii")
    m.node("ai.feature_store", "features", data_classification="pii")
    m.node("ai.training_job", "train", holds_secrets=True, retrains_automatically=True)
    m.node("ai.fine_tuning_job", "tune")
    m.node("ai.evaluation_job", "eval")
    m.node("ai.model_registry", "registry")
    m.node("ai.artifact_store", "artifacts", exposure="internet")
    m.node("ai.experiment_tracker", "tracker", exposure="internet", holds_secrets=True)
    m.node("ai.cicd_pipeline", "ci")
    m.node("ai.container_registry", "images")
    m.node("ai.model_server", "server", holds_secrets=True)
    m.node("ai.batch_scoring", "batch")
    m.node("generic.database", "scores")
    m.node("ai.monitoring", "monitor", inside=False)
    m.node("generic.web_app", "web", exposure="internet")
    m.node("generic.queue", "queue")
    m.node("generic.database", "public_db", exposure="internet", data_classification="pii")
    m.node("generic.database", "partner_db", inside=False)
    m.node("GE.EI", "partner", inside=False)
    m.node("ai.data_source.user_generated", "clicks", inside=False)
    m.node("ai.data_source.internal", "crm")
    m.node("ai.inference_endpoint", "api")
    for src, dst, props in [
        ("scrape", "labels", {}), ("labels", "ingest", {}), ("ingest", "lake", {}),
        ("user", "features", {}), ("lake", "train", {}), ("features", "train", {}),
        ("hub", "tune", {}), ("user", "tune", {}), ("tune", "eval", {}),
        ("train", "registry", {"payload": "model_artifact"}), ("eval", "registry", {}),
        ("ci", "server", {"payload": "model_artifact"}), ("ci", "images", {}),
        ("registry", "server", {"payload": "model_artifact"}), ("train", "tracker", {}),
        ("artifacts", "batch", {"payload": "model_artifact"}), ("batch", "scores", {}),
        ("server", "monitor", {}), ("user", "web", {"payload": "credentials"}),
        ("admin", "web", {}), ("web", "queue", {}), ("web", "server", {}),
        ("public_db", "web", {}), ("web", "user", {}), ("web", "public_db", {}),
        ("partner_db", "train", {}), ("web", "partner", {"data_classification": "pii"}),
        ("clicks", "ingest", {}), ("crm", "labels", {}), ("user", "api", {}),
        ("api", "user", {"payload": "predictions"}), ("train", "api", {}),
    ]:
        m.flow(src, dst, **props)
    return m


def _llm_app() -> Model:
    """An LLM assistant, RAG and agents with tools, before any controls."""
    m = Model()
    m.node("actor.end_user", "user", inside=False)
    m.node("ai.data_source.public", "web_pages", inside=False)
    m.node("ai.agent_tool", "plugin", inside=False, data_provenance="third_party")
    m.node("GE.EI", "mailbox", inside=False)
    m.node("ai.training_data_store", "corpus", data_classification="pii")
    m.node("ai.llm", "llm", holds_secrets=True)
    m.node("ai.guardrail", "guard")
    m.node("ai.agent", "agent")
    m.node("ai.agent_tool", "shell")
    m.node("generic.database", "memory")
    m.node("ai.vector_store", "vectors", exposure="internet", data_classification="confidential")
    m.node("ai.data_source.user_generated", "uploads", inside=False)
    m.node("ai.embedding_service", "embed")
    m.node("ai.cicd_pipeline", "ci")
    for src, dst, props in [
        ("user", "llm", {}), ("corpus", "llm", {}), ("llm", "user", {}), ("user", "guard", {}),
        ("guard", "llm", {}), ("user", "agent", {}), ("agent", "llm", {}),
        ("llm", "shell", {}), ("agent", "shell", {"payload": "tool_calls"}),
        ("agent", "plugin", {}), ("mailbox", "agent", {}), ("agent", "mailbox", {}),
        ("memory", "agent", {}), ("agent", "memory", {}), ("web_pages", "embed", {}),
        ("embed", "vectors", {}), ("vectors", "llm", {"payload": "retrieved_content"}),
        ("agent", "ci", {}), ("memory", "llm", {}), ("llm", "memory", {}),
        ("uploads", "embed", {}),
    ]:
        m.flow(src, dst, **props)
    return m


def _federation() -> Model:
    m = Model()
    m.node("ai.federated_client", "client", inside=False)
    m.node("ai.federated_aggregator", "aggregator", min_clients_per_round=2)
    m.flow("client", "aggregator", payload="model_updates")
    m.flow("aggregator", "client", payload="model_artifact")
    return m


def test_every_rule_fires_somewhere() -> None:
    fired = {f.rule_id for build in (_lifecycle, _llm_app, _federation)
             for f in build().findings()}
    if not fired:
        pytest.skip("engine produced no findings")
    rules = [t["id"] for name in ("stride-core", "ai-ml")
             for t in yaml.safe_load((ROOT / "templates" / "rules" / f"{name}.yaml")
                                     .read_text(encoding="utf-8"))["threats"]]
    dead = [r for r in rules if r not in fired]
    assert not dead, f"rules that never fire: {dead}"
