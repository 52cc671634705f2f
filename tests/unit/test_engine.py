"""Engine semantics: atoms, findings (keys, reasons, controls, risk), triage and attack paths."""

from __future__ import annotations

import pytest

from app.domain import Finding, Severity, ThreatRecord, ThreatState, Triage, TypeHierarchy
from app.engine import analyze
from tests.unit.test_engine_support import ModelBuilder, hierarchy, pack


def run(b: ModelBuilder, *threats: dict, **kw: object) -> list[Finding]:
    return analyze(b.snapshot(), [pack(*threats)], hierarchy(), attack_paths=False, **kw)


def keys(findings: list[Finding]) -> list[str]:
    return [f.key for f in findings]


def pipeline() -> ModelBuilder:
    """public source → lake → train → registry → server ← user; lake inside a trusted box."""
    b = ModelBuilder()
    b.box("corp", (150, -100, 1000, 300), trust_level="trusted")
    b.node("web", "ai.data_source.public", "GE.EI", name="Web", at=(-300, 0))
    b.node("lake", "ai.training_data_store", "GE.DS", name="Lake", at=(200, 0))
    b.node("train", "ai.training_job", name="Train", at=(400, 0))
    b.node("reg", "ai.model_registry", "GE.DS", name="Registry", at=(600, 0),
           artifact_format="pickle")
    b.node("srv", "ai.model_server", name="Server", at=(800, 0), authenticates=True)
    b.node("user", "actor.end_user", "GE.EI", name="User", at=(1400, 0))
    b.flow("f1", "web", "lake", "scrape")
    b.flow("f2", "lake", "train", "data")
    b.flow("f3", "train", "reg", "model", encrypts_in_transit=True)
    b.flow("f4", "reg", "srv", "load")
    b.flow("f5", "user", "srv", "query")
    return b


def test_type_atoms_follow_the_hierarchy() -> None:
    b = pipeline()
    b.node("x", "vendor.Thing", "GE.P", name="Foreign")  # unknown type: its DFD kind still counts
    found = run(b, {"include": "element is 'GE.P'"})
    assert keys(found) == ["T1@train", "T1@srv", "T1@x"]
    assert run(b, {"include": "element is 'ai.model_server'"})[0].element_ids == ("srv",)
    assert keys(run(b, {"include": "element is not 'GE.DS' and element is 'GE.EI'"})) == [
        "T1@web", "T1@user"]


def test_property_atoms_bools_text_unset_and_defaults() -> None:
    b = pipeline()
    assert keys(run(b, {"include": "element.authenticates is 'Yes'"})) == ["T1@srv"]
    assert keys(run(b, {"include": "element.authenticates is 'TRUE'"})) == ["T1@srv"]
    assert run(b, {"include": "element.authenticates is 'No'"}) == []  # unset matches nothing
    assert len(run(b, {"include": "not element.authenticates is 'Yes'"})) == 5
    assert keys(run(b, {"include": "element.artifact_format is 'PICKLE'"})) == ["T1@reg"]
    assert keys(run(b, {"include": "element.artifact_format is set"})) == ["T1@reg"]
    defaults = {"ai.training_job": {"authenticates": False}}
    assert keys(run(b, {"include": "element.authenticates is 'No'"}, defaults=defaults)) == [
        "T1@train"]


def test_interaction_scope_keys_crossings_and_titles() -> None:
    b = pipeline()
    t = {"scope": "interaction", "title": "{flow.name}: {source.Name} → {target.name} "
         "({flow.encrypts_in_transit})", "include": "flow crosses 'GE.TB.B'"}
    found = run(b, t)
    assert keys(found) == ["T1@web,f1,lake", "T1@user,f5,srv"]
    assert found[0].title == "scrape: Web → Lake ()"
    assert found[0].element_ids == ("web", "f1", "lake")
    assert "'scrape' crosses trust boundary corp" in found[0].reasons
    assert keys(run(b, {"scope": "interaction", "include": "flow crosses boundary and "
                        "source is 'GE.EI' and target.authenticates is 'Yes'"})) == [
        "T1@user,f5,srv"]
    enc = run(b, {"scope": "interaction", "title": "{flow.encrypts_in_transit}",
                  "include": "flow.encrypts_in_transit is 'yes'"})
    assert [f.title for f in enc] == ["True"]


def test_graph_atoms() -> None:
    b = pipeline()
    assert keys(run(b, {"include": "element fed by 'ai.data_source.public'"})) == [
        "T1@lake", "T1@train", "T1@reg", "T1@srv"]
    assert keys(run(b, {"include": "element feeds 'ai.model_server'"})) == [
        "T1@web", "T1@lake", "T1@train", "T1@reg", "T1@user"]
    assert keys(run(b, {"include": "element receives from 'GE.EI'"})) == ["T1@lake", "T1@srv"]
    assert keys(run(b, {"include": "element sends to 'GE.DS'"})) == ["T1@web", "T1@train"]
    assert keys(run(b, {"include": "element receives across boundary"})) == [
        "T1@lake", "T1@srv"]
    assert keys(run(b, {"include": "element inside trusted"})) == [
        "T1@lake", "T1@train", "T1@reg", "T1@srv"]
    assert keys(run(b, {"include": "element inside 'GE.TB.B' and element is 'GE.P'"})) == [
        "T1@train", "T1@srv"]
    assert keys(run(b, {"include": "upstream.artifact_format is 'pickle'"})) == ["T1@srv"]
    assert keys(run(b, {"include": "upstream.encrypts_in_transit is 'Yes'"})) == [
        "T1@reg", "T1@srv"]
    assert keys(run(b, {"include": "downstream.authenticates is set"})) == [
        "T1@web", "T1@lake", "T1@train", "T1@reg", "T1@user"]


def test_untrusted_reachability_respects_trusted_boundaries() -> None:
    b = pipeline()
    rule = {"include": "element reachable from untrusted"}
    assert keys(run(b, rule)) == ["T1@web", "T1@lake", "T1@train", "T1@reg", "T1@srv",
                                  "T1@user"]
    b2 = ModelBuilder()
    b2.box("corp", (-50, -100, 1000, 300), trust_level="trusted")
    b2.node("admin", "actor.admin", "GE.EI", at=(0, 0))
    b2.node("app", "generic.web_app", at=(300, 0))
    b2.node("pub", "generic.web_app", at=(2000, 0), exposure="internet")
    b2.node("db", "generic.database", "GE.DS", at=(2300, 0))
    b2.flow("f1", "admin", "app")
    b2.flow("f2", "pub", "db")
    assert keys(run(b2, rule)) == ["T1@pub", "T1@db"]


def test_exclude_controls_reasons_and_risk() -> None:
    b = pipeline()
    rule = {
        "title": "Pickle in {element.name}", "likelihood": 4, "impact": 5,
        "include": "element is 'ai.model_registry' and element.artifact_format is 'pickle'",
        "exclude": "element.artifacts_signed is 'Yes'",
        "controls": [{"when": "element.authorizes is 'Yes'", "likelihood": -2,
                      "label": "write access control"}],
    }
    (f,) = run(b, rule)
    assert f.title == "Pickle in Registry"
    assert f.reasons == ("'Registry' is a model registry", "'Registry': artifact_format is pickle")
    assert f.controls == ("set artifacts_signed = Yes on 'Registry' (removes this threat)",
                          "write access control (likelihood -2)")
    assert (f.likelihood, f.impact, f.severity) == (4, 5, Severity.CRITICAL)
    b.project.diagram("d1").set_property("reg", "authorizes", True)
    (g,) = run(b, rule)
    assert (g.likelihood, g.severity) == (2, Severity.MEDIUM)
    assert "downgraded by write access control (likelihood -2)" in g.reasons
    assert g.controls == ("set artifacts_signed = Yes on 'Registry' (removes this threat)",)
    b.project.diagram("d1").set_property("reg", "artifacts_signed", True)
    assert run(b, rule) == []


def test_triage_merge_stale_findings_and_stored_threats() -> None:
    b = pipeline()
    rule = {"include": "element.artifact_format is 'pickle'", "title": "P {element.name}"}
    b.project.set_triage("T1@reg", Triage(ThreatState.MITIGATED, likelihood=1, impact=2))
    b.project.set_triage("T1@train", Triage(ThreatState.ACCEPTED, justification="ok"))
    b.project.set_triage("T1@srv", Triage())  # nothing decided: not kept once stale
    b.project.put_threat(ThreatRecord(key="custom-1", title="Insider", element_ids=("lake",),
                                      origin="custom", likelihood=2, impact=5))
    b.project.set_triage("custom-1", Triage(ThreatState.NEEDS_INVESTIGATION))
    found = run(b, rule)
    assert keys(found) == ["T1@reg", "custom-1", "T1@train"]
    reg, custom, stale = found
    assert (reg.state, reg.likelihood, reg.impact, reg.applies) == (
        ThreatState.MITIGATED, 1, 2, True)
    assert not reg.is_open
    assert (custom.origin, custom.state, custom.impact) == ("custom", "needs_investigation", 5)
    assert (stale.applies, stale.state, stale.title, stale.rule_id, stale.pack) == (
        False, ThreatState.ACCEPTED, "P Train", "T1", "t")
    assert "no longer applies" in stale.reasons[0]


def test_project_packs_are_key_qualified_and_can_be_disabled() -> None:
    b = pipeline()
    doc = {"id": "tmt", "threats": [{"id": "S1", "title": "Spoof {target.name}",
                                     "category": "Spoofing", "scope": "interaction",
                                     "include": "source is 'GE.EI' and flow crosses 'GE.TB.B'"}]}
    b.project.put_rule_pack("tmt", doc)
    found = analyze(b.snapshot(), [], hierarchy(), attack_paths=False)
    assert keys(found) == ["tmt:S1@web,f1,lake", "tmt:S1@user,f5,srv"]
    assert found[0].pack == "tmt" and found[0].rule_id == "S1"
    b.project.set_pack_enabled("tmt", False)
    assert analyze(b.snapshot(), [], hierarchy(), attack_paths=False) == []
    assert analyze(b.snapshot(), [], hierarchy()) != []
    b.project.set_pack_enabled("graph", False)  # attack paths are the built-in "graph" pack
    assert analyze(b.snapshot(), [], hierarchy()) == []


def test_attack_paths_from_entry_points_to_crown_jewels() -> None:
    b = pipeline()
    b.node("vault", "generic.database", "GE.DS", name="Vault", at=(2000, 0), holds_secrets=True)
    b.node("pii", "generic.database", "GE.DS", name="PII", at=(2200, 0),
           data_classification="pii")
    b.flow("f6", "srv", "pii", "write")
    found = analyze(b.snapshot(), [], hierarchy())
    by = {f.key: f for f in found}
    assert list(by) == ["PATH-001@lake", "PATH-001@reg", "PATH-001@pii"]
    lake = by["PATH-001@lake"]
    assert lake.path == ("web", "f1", "lake") and lake.rule_id == "PATH-001"
    assert lake.pack == "graph" and lake.element_ids == ("lake",)
    assert by["PATH-001@reg"].path == ("web", "f1", "lake", "f2", "train", "f3", "reg")
    pii = by["PATH-001@pii"]
    assert pii.path == ("user", "f5", "srv", "f6", "pii")  # the nearest entry point
    assert pii.impact == 5 and pii.category == "Information Disclosure"
    assert any("PII" in r for r in pii.reasons)
    assert "Vault" not in " ".join(f.title for f in found)  # unreachable: no path


def test_results_are_deterministic_and_pure() -> None:
    b = pipeline()
    snap = b.snapshot()
    rules = [{"include": "element is 'GE.P'"}, {"scope": "interaction", "include": ""}]
    first = analyze(snap, [pack(*rules)], hierarchy())
    assert first == analyze(snap, [pack(*rules)], hierarchy())
    assert snap == b.snapshot()  # the engine never writes to the model
    # Empty include applies to every connected flow, after element rules, in model order.
    assert [f.key for f in first if f.rule_id == "T2"][:2] == ["T2@web,f1,lake",
                                                                "T2@lake,f2,train"]


def test_generic_hierarchy_is_enough_for_tmt_types() -> None:
    b = ModelBuilder()
    b.node("a", "SE.EI.TMCore.Browser", "GE.EI")
    b.node("w", "SE.P.TMCore.WebApp", "GE.P")
    b.flow("f", "a", "w")
    p = pack({"scope": "interaction", "include": "source is 'SE.EI.TMCore.Browser' and "
              "target is 'GE.P'"}, types={"SE.P.TMCore.WebApp": {"parent": "GE.P"}})
    assert len(analyze(b.snapshot(), [p], TypeHierarchy.generic())) == 1


@pytest.mark.parametrize("scope", ["element", "interaction"])
def test_rules_without_candidates_are_cheap_noops(scope: str) -> None:
    b = pipeline()
    assert run(b, {"scope": scope, "include": f"{'element' if scope == 'element' else 'source'}"
                   " is 'no.such.type'"}) == []


def test_keys_are_domain_threat_keys() -> None:
    from app.domain import threat_key

    b = pipeline()
    b.project.put_rule_pack("tmt", {"id": "tmt", "threats": [
        {"id": "S1", "title": "x", "scope": "interaction", "include": ""}]})
    found = analyze(b.snapshot(), [pack({"include": ""})], hierarchy())
    assert {f.pack for f in found} == {"t", "tmt", "graph"}
    for f in found:
        rule = f"{f.pack}:{f.rule_id}" if f.pack == "tmt" else f.rule_id
        assert f.key == threat_key(rule, f.element_ids)


def test_an_id_reused_on_another_diagram_is_analysed_once() -> None:
    from app.domain import Diagram, ElementKind, Rect, make_box

    b = pipeline()
    copy = Diagram("Copy", diagram_id="d2")
    b.project.add_diagram(copy)
    copy.add(make_box(ElementKind.PROCESS, "ai.training_job", "Train copy", Rect(0, 0, 9, 9),
                      element_id="train"))
    found = run(b, {"include": "element is 'ai.training_job'", "title": "{element.name}"})
    assert [(f.key, f.title, f.diagram_id) for f in found] == [("T1@train", "Train", "d1")]
