"""The Report value and the CSV, JSON and SARIF exports built from it."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from app.domain import Severity, ThreatRecord, ThreatState
from app.report.atlas import load_atlas
from app.report.build import build_report, model_sha256
from app.report.exports import CSV_COLUMNS, dumps_json, to_csv, to_json
from app.report.sarif import report_to_sarif, to_sarif
from tests.integration.test_report_support import ATLAS, PACKS, small_project


@pytest.fixture
def report():
    p, findings, messages = small_project()
    return build_report(p, findings, messages, PACKS, atlas=ATLAS, tool_version="9.9")


def test_register_is_sorted_and_numbered(report) -> None:
    refs = [t.ref for t in report.threats]
    assert refs == [f"T-{i:03d}" for i in range(1, len(refs) + 1)]
    ranks = [t.severity.rank for t in report.threats if t.applies]
    assert ranks == sorted(ranks, reverse=True)
    first = report.threats[0]
    assert first.title.startswith("Spoofing of external entity Merchant")
    assert first.target == "Payment (Merchant → Scoring API)"
    assert first.diagram == "Production"
    assert first.mitigations == ("[suggested] Authenticate callers",)


def test_triage_is_merged(report) -> None:
    by_key = {t.key: t for t in report.threats}
    mi = by_key["AIML-001@e-1"]
    assert mi.state is ThreatState.NEEDS_INVESTIGATION and mi.owner == "Ana Owner"
    assert mi.mitigations[0] == "[planned] Round scores"
    assert "[suggested] Return labels only" in mi.mitigations
    accepted = by_key["STRIDE-T02@s-1"]
    assert accepted.state is ThreatState.ACCEPTED
    assert accepted.justification.startswith("Registry is write-once")
    assert [t.key for t in report.ruled_out] == ["STRIDE-T02@s-1", "STRIDE-D01@e-1"]
    assert [t.key for t in report.stale] == ["STRIDE-R01@e-1"]
    assert {t.key for t in report.mitigation_plan} == {"AIML-001@e-1", "STRIDE-S01@u-1,f-1,e-1"}


def test_summary_counts(report) -> None:
    s = report.summary
    assert s.total == 4 and s.open == 2
    assert sum(n for _, n, _ in s.by_severity) == 4
    assert sum(n for _, n in s.by_state) == 4
    assert dict((k, (n, o)) for k, n, o in s.by_stride)["Spoofing"] == (1, 1)
    # the not-applicable threat is left out of the heat map
    assert sum(map(sum, s.heat)) == 3
    assert s.heat[3][2] == 1  # likelihood 4, impact 3
    assert [t.key for t in s.top_risks] == ["STRIDE-S01@u-1,f-1,e-1", "AIML-001@e-1"]
    assert ("Exfiltration", 1) in s.by_tactic


def test_atlas_matrix_uses_parent_tactics(report) -> None:
    cols = {c.name: c for c in report.atlas}
    assert cols["Exfiltration"].techniques == (
        ("AML.T0024.000", "Exfiltration via AI Inference API: Infer Training Data Membership",
         1),)
    assert cols["Initial Access"].techniques == (("AML.T0010", "AI Supply Chain Compromise", 1),)
    assert report.unmapped_atlas == ()


def test_inventory_and_validation(report) -> None:
    rows = {e.name: e for e in report.elements}
    assert rows["Scoring API"].boundaries == ("Cloud VPC",)
    assert rows["Merchant"].boundaries == ()
    assert rows["Payment"].connects == "Merchant → Scoring API"
    assert rows["Payment"].boundaries == ("Cloud VPC",)  # the flow crosses it
    assert ("returns_confidence_scores", "yes") in rows["Scoring API"].properties
    assert rows["Scoring API"].threats == 3
    assert report.validation[0].where == "Reviewed in design session 3"
    assert [p.id for p in report.packs] == ["ai-ml", "stride-core", "tmt-import"]


def test_meta_and_hash() -> None:
    p, f, v = small_project()
    r = build_report(p, f, v, tool_version="1.2")
    assert r.meta.reviewers == ("Rui Reviewer", "Zoë Ångström")
    assert r.meta.date == "2026-01-02T03:04:05+00:00"
    assert r.meta.model_sha256 == model_sha256(p) and len(r.meta.model_sha256) == 64
    p.modified = "2030-01-01T00:00:00+00:00"
    assert model_sha256(p) == r.meta.model_sha256  # the save time is not content
    p.diagrams[0].rename("u-1", "Merchant 2")
    assert model_sha256(p) != r.meta.model_sha256


def test_stored_threats_without_findings_are_listed() -> None:
    p, f, v = small_project()
    p.put_threat(ThreatRecord("custom:1", "Insider copies the model", "Information Disclosure",
                              element_ids=("s-1",), diagram_id="d-1", likelihood=5, impact=5))
    r = build_report(p, f, v)
    row = next(t for t in r.threats if t.key == "custom:1")
    assert row.severity is Severity.CRITICAL and row.ref == "T-001"
    assert row.origin == "custom" and row.target == "Model registry"


def test_real_atlas_index_knows_the_techniques_rules_use() -> None:
    catalog = load_atlas()
    assert len(catalog.tactics) >= 14
    for tid in ("AML.T0024.000", "AML.T0020", "AML.T0051.000", "AML.T0010"):
        assert catalog.technique(tid) is not None and catalog.technique(tid).tactics


def test_csv_round_trip_and_formula_guard(report) -> None:
    p, f, v = small_project()
    f = [replace(f[0], title='=HYPERLINK("http://x")'), *f[1:]]
    r = build_report(p, f, v)
    rows = list(csv.DictReader(io.StringIO(to_csv(r))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(r.threats)
    hostile = next(x for x in rows if x["key"] == "AIML-001@e-1")
    assert hostile["title"] == "'=HYPERLINK(\"http://x\")"
    assert hostile["atlas"] == "AML.T0024.000" and hostile["owner"] == "Ana Owner"
    assert rows[0]["applies"] in ("yes", "no")


def test_json_export(report) -> None:
    data = json.loads(dumps_json(to_json(report)))
    assert data["format"] == "threatcanvas-threat-register"
    assert data["project"]["reviewers"] == ["Rui Reviewer", "Zoë Ångström"]
    assert data["summary"]["open"] == 2
    assert len(data["threats"]) == 5
    assert data["threats"][0]["element_ids"] == ["u-1", "f-1", "e-1"]
    assert "Zoë" in dumps_json(to_json(report))  # UTF-8 kept, not \\u-escaped


def test_sarif_has_open_findings_only(report) -> None:
    log = report_to_sarif(report, "model.tc.yaml")
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    results = run["results"]
    assert {r["partialFingerprints"]["threatKey/v1"] for r in results} == {
        "AIML-001@e-1", "STRIDE-S01@u-1,f-1,e-1"}
    rules = run["tool"]["driver"]["rules"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] == "error"  # both are high
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
            "model.tc.yaml"
    assert rules[0]["properties"]["security-severity"] == "8.0"


def test_to_sarif_hook_takes_either_argument_order() -> None:
    p, f, _ = small_project()
    a = to_sarif(f, p, tool_version="1")
    b = to_sarif(p, f, tool_version="1")
    assert a == b and len(a["runs"][0]["results"]) == 2
