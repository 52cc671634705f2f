"""Open findings as SARIF 2.1.0, for code-scanning tools in CI."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.domain import Finding, Project, Severity
from app.report.build import build_report
from app.report.model import Report, ThreatRow

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "note"}
#: GitHub code scanning reads "security-severity" (0–10) to rank security results.
_SCORE = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
          Severity.LOW: "3.0"}


def _rule_id(t: ThreatRow) -> str:
    return t.rule_id or f"{t.origin}-threat"


def _result(t: ThreatRow, rule_index: int, source_uri: str) -> dict[str, Any]:
    location: dict[str, Any] = {
        "logicalLocations": [
            {"name": t.target, "fullyQualifiedName": f"{t.diagram}/{t.target}",
             "kind": "element"}
        ],
    }
    if source_uri:
        location["physicalLocation"] = {"artifactLocation": {"uri": source_uri}}
    text = t.title if not t.description else f"{t.title}. {t.description}"
    return {
        "ruleId": _rule_id(t),
        "ruleIndex": rule_index,
        "level": _LEVEL[t.severity],
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"threatKey/v1": t.key},
        "properties": {
            "ref": t.ref, "severity": t.severity.value, "likelihood": t.likelihood,
            "impact": t.impact, "state": t.state.value, "stride": t.category,
            "atlas": list(t.atlas), "owasp": list(t.owasp), "elementIds": list(t.element_ids),
            "owner": t.owner, "mitigations": list(t.mitigations),
        },
    }


def report_to_sarif(report: Report, source_uri: str = "") -> dict[str, Any]:
    """SARIF log with one run: one rule per rule id, one result per open threat."""
    open_threats = [t for t in report.threats if t.is_open]
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for t in sorted(open_threats, key=lambda t: (_rule_id(t), t.key)):
        rid = _rule_id(t)
        if rid in index:
            continue
        index[rid] = len(rules)
        rules.append({
            "id": rid,
            "name": rid.replace("-", "").replace(".", ""),
            "shortDescription": {"text": t.title},
            "fullDescription": {"text": t.description or t.title},
            "defaultConfiguration": {"level": _LEVEL[t.severity]},
            "properties": {"pack": t.pack, "category": t.category,
                           "security-severity": _SCORE[t.severity],
                           "tags": ["security", "threat-model", t.category, *t.atlas,
                                    *t.owasp]},
        })
    results = [_result(t, index[_rule_id(t)], source_uri) for t in open_threats]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "ThreatCanvas",
            "version": report.meta.tool_version or "0",
            "rules": rules,
        }},
        "results": results,
        "properties": {"project": report.meta.project_name,
                       "modelSha256": report.meta.model_sha256},
    }
    if source_uri:
        run["artifacts"] = [{"location": {"uri": source_uri}}]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def to_sarif(findings: Iterable[Finding] | Project, project: Project | Iterable[Finding], *,
             tool_version: str = "", source_uri: str = "") -> dict[str, Any]:
    """The engine CLI's hook (`analyze --format sarif`): open findings of a project.

    Takes (findings, project) or (project, findings), as callers have used both orders.
    """
    if isinstance(findings, Project):
        findings, project = project, findings  # type: ignore[assignment]
    assert isinstance(project, Project)
    if not tool_version:
        import app

        tool_version = app.__version__
    report = build_report(project, findings, tool_version=tool_version)  # type: ignore[arg-type]
    return report_to_sarif(report, source_uri)
