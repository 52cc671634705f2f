"""Projects and findings built in code for the report tests and the report benchmark."""

from __future__ import annotations

import random

from app.domain import (
    Diagram,
    ElementKind,
    Finding,
    MitigationItem,
    Project,
    Rect,
    ThreatState,
    Triage,
    ValidationMessage,
    make_box,
    make_flow,
)
from app.report.model import AtlasCatalog, AtlasTechnique, PackInfo

CATEGORIES = ("Spoofing", "Tampering", "Repudiation", "Information Disclosure",
              "Denial of Service", "Elevation of Privilege")
TECHNIQUES = ("AML.T0024.000", "AML.T0020", "AML.T0051.000", "AML.T0043", "AML.T0010")

ATLAS = AtlasCatalog(
    version="test",
    tactics=(("AML.TA0002", "Reconnaissance"), ("AML.TA0004", "Initial Access"),
             ("AML.TA0000", "AI Model Access"), ("AML.TA0007", "Defense Evasion"),
             ("AML.TA0010", "Exfiltration"), ("AML.TA0011", "Impact")),
    techniques={
        "AML.T0024": AtlasTechnique("AML.T0024", "Exfiltration via AI Inference API",
                                    ("AML.TA0010",)),
        "AML.T0024.000": AtlasTechnique("AML.T0024.000", "Infer Training Data Membership"),
        "AML.T0020": AtlasTechnique("AML.T0020", "Poison Training Data", ("AML.TA0003",
                                                                          "AML.TA0006")),
        "AML.T0051": AtlasTechnique("AML.T0051", "LLM Prompt Injection",
                                    ("AML.TA0004", "AML.TA0007")),
        "AML.T0043": AtlasTechnique("AML.T0043", "Craft Adversarial Data", ("AML.TA0001",)),
        "AML.T0010": AtlasTechnique("AML.T0010", "AI Supply Chain Compromise", ("AML.TA0004",)),
    },
)
PACKS = (PackInfo("stride-core", "STRIDE core", "1.0.0", rules=30),
         PackInfo("ai-ml", "AI/ML threats", "1.2.0", rules=40),
         PackInfo("tmt-import", "Imported TMT template", "", "project", False, 12))


def small_project(name: str = "Fraud scoring") -> tuple[Project, list[Finding],
                                                         list[ValidationMessage]]:
    """A hand-made model: boundary, user, endpoint, model store, flows, mixed triage."""
    p = Project(name, project_id="p-1")
    p.created = p.modified = "2026-01-02T03:04:05+00:00"
    p.owner = "Ana Owner"
    p.reviewers = ["Rui Reviewer", "Zoë Ångström"]
    p.description = "Scores card payments for fraud in real time."
    p.scope = "The scoring API, its model registry and the training pipeline."
    p.assumptions = ["The cloud provider's IAM is trusted.", "Payments arrive over TLS."]
    p.external_dependencies = ["Card network feed", "Hosted LLM provider"]
    p.classification = "Confidential"
    d = Diagram("Production", diagram_id="d-1")
    p.add_diagram(d)
    d.add(make_box(ElementKind.BOUNDARY_BOX, "GE.TB.B", "Cloud VPC", Rect(200, 0, 520, 320),
                   {"trust_level": "trusted"}, element_id="b-1"))
    d.add(make_box(ElementKind.EXTERNAL_ENTITY, "actor.end_user", "Merchant",
                   Rect(20, 120, 120, 60), element_id="u-1"))
    d.add(make_box(ElementKind.PROCESS, "ai.inference_endpoint", "Scoring API",
                   Rect(260, 120, 140, 60), {"returns_confidence_scores": True,
                                             "exposure": "internet"}, element_id="e-1"))
    d.add(make_box(ElementKind.DATA_STORE, "ai.model_registry", "Model registry",
                   Rect(500, 220, 160, 60), {"encrypts_at_rest": False}, element_id="s-1"))
    d.add(make_box(ElementKind.ANNOTATION, "GE.A", "Reviewed in design session 3",
                   Rect(500, 40, 160, 50), element_id="a-1"))
    d.add(make_flow("u-1", "e-1", "Payment", properties={"protocol": "HTTPS"},
                    element_id="f-1"))
    d.add(make_flow("s-1", "e-1", "Model weights", element_id="f-2"))
    findings = [
        Finding("AIML-001@e-1", "AIML-001", "ai-ml", "Membership inference against Scoring API",
                "Information Disclosure", ("e-1",), "d-1", 3, 4,
                description="Confidence scores leak membership.",
                atlas=("AML.T0024.000",), owasp=("ML04:2023",),
                mitigations=("Return labels only",)),
        Finding("STRIDE-S01@u-1,f-1,e-1", "STRIDE-S01", "stride-core",
                "Spoofing of external entity Merchant towards Scoring API", "Spoofing",
                ("u-1", "f-1", "e-1"), "d-1", 4, 3, mitigations=("Authenticate callers",)),
        Finding("STRIDE-T02@s-1", "STRIDE-T02", "stride-core", "Tampering with Model registry",
                "Tampering", ("s-1",), "d-1", 2, 5, atlas=("AML.T0010",)),
        Finding("STRIDE-D01@e-1", "STRIDE-D01", "stride-core", "Flooding of Scoring API",
                "Denial of Service", ("e-1",), "d-1", 2, 2),
        Finding("STRIDE-R01@e-1", "STRIDE-R01", "stride-core", "Repudiation at Scoring API",
                "Repudiation", ("e-1",), "d-1", 2, 2, applies=False),
    ]
    p.set_triage("AIML-001@e-1", Triage(ThreatState.NEEDS_INVESTIGATION, owner="Ana Owner",
                                        mitigations=(MitigationItem("Round scores", "custom"),)))
    p.set_triage("STRIDE-T02@s-1", Triage(ThreatState.ACCEPTED,
                                          justification="Registry is write-once; risk "
                                                        "accepted until Q3."))
    p.set_triage("STRIDE-D01@e-1", Triage(ThreatState.NOT_APPLICABLE))
    p.set_triage("STRIDE-R01@e-1", Triage(ThreatState.MITIGATED, justification="Audit log"))
    findings = [f if f.key not in p.triage else _with_state(f, p.triage[f.key].state)
                for f in findings]
    messages = [ValidationMessage("unconnected-element", "warning",
                                  "Annotation is not connected", ("a-1",), "d-1")]
    return p, findings, messages


def _with_state(f: Finding, state: ThreatState) -> Finding:
    from dataclasses import replace

    return replace(f, state=state)


def big_project(elements: int, threats: int, seed: int = 7) -> tuple[Project, list[Finding]]:
    """A synthetic model: `elements` nodes in a grid (with flows) and `threats` findings."""
    rnd = random.Random(seed)
    p = Project(f"Synthetic {elements}/{threats}", project_id="big")
    p.created = p.modified = "2026-01-01T00:00:00+00:00"
    per_diagram = 250
    ids: list[str] = []
    for di in range(max(1, (elements + per_diagram - 1) // per_diagram)):
        d = Diagram(f"Area {di + 1}", diagram_id=f"d{di}")
        p.add_diagram(d)
        prev = None
        for i in range(min(per_diagram, elements - di * per_diagram)):
            kind = (ElementKind.PROCESS, ElementKind.DATA_STORE,
                    ElementKind.EXTERNAL_ENTITY)[i % 3]
            eid = f"n{di}-{i}"
            d.add(make_box(kind, kind.generic_type, f"Node {di}-{i}",
                           Rect((i % 20) * 180, (i // 20) * 120, 120, 60),
                           {"exposure": "internal", "authenticates": bool(i % 2)},
                           element_id=eid))
            ids.append(eid)
            if prev is not None and i % 20:
                d.add(make_flow(prev, eid, f"flow {i}", element_id=f"f{di}-{i}"))
            prev = eid
    findings = []
    states = list(ThreatState)
    for t in range(threats):
        eid = ids[t % len(ids)]
        key = f"R{t % 50:03d}@{eid}#{t}"
        state = states[t % len(states)]
        findings.append(Finding(
            key, f"R{t % 50:03d}", "synthetic", f"Threat {t} against {eid}",
            CATEGORIES[t % 6], (eid,), f"d{ids.index(eid) // per_diagram}",
            rnd.randint(1, 5), rnd.randint(1, 5), atlas=(TECHNIQUES[t % 5],),
            owasp=("LLM01:2025",), mitigations=("Do the right thing", "Log it"), state=state))
        if state in (ThreatState.ACCEPTED, ThreatState.NOT_APPLICABLE):
            p.set_triage(key, Triage(state, justification=f"Reason {t}"))
    return p, findings
