"""Regenerating TMT's threats: our engine, run on each corpus file with the file's own
knowledge base as a rule pack, reproduces what TMT stored (see benchmarks/RESULTS.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.io.tm7 import read_tm7

analysis = pytest.importorskip("app.services.analysis")

# file → (stored by TMT, matched by the engine, engine-only); every difference is explained
# in benchmarks/RESULTS.md ("TMT import") and by benchmarks/tm7_agreement.py.
EXPECTED = {
    "MohamedMostafa010__SecurePortalModeling__ThreatModel.tm7": (113, 111, 0),
    "OWASP__threat-dragon__Sample_Threat_Model.tm7": (29, 29, 0),
    "SeaSharpe__Design__ThreatModel.tm7": (45, 45, 0),
    "iriusrisk__startleft__MTMT_example.tm7": (43, 43, 0),
    "iriusrisk__startleft__MTMT_example_coordinates.tm7": (105, 105, 0),
    "iriusrisk__startleft__MTMT_nested_tz.tm7": (16, 16, 0),
    "iriusrisk__startleft__SDL_all_components.tm7": (0, 0, 0),
    "iriusrisk__startleft__lineboundaries_inheritance.tm7": (0, 0, 0),
    "iriusrisk__startleft__mtmt-mobile-custom-api.tm7": (55, 43, 0),
    "iriusrisk__startleft__test_model_lines.tm7": (1, 0, 0),
    "matthiasrohr__OTMT__Complex_Threat_Model_with_security_gateway.tm7": (43, 43, 2),
    "matthiasrohr__OTMT__Simple_Threat_Model_https.tm7": (10, 10, 0),
    "moni12334__kruthivarshi__Threat_Model.tm7": (33, 33, 0),
    "stevespringett__threatmodel-sdk__mstam2016.tm7": (13, 13, 0),
    "tris790__tm8__aws-example.tm7": (21, 21, 6),
    "tris790__tm8__dummy.tm7": (2, 2, 0),
}


@pytest.fixture(scope="module")
def analyzer():
    return analysis.make_analyzer(packs=[])


def regenerate(analyzer, path: Path) -> tuple[set, set, object]:
    project = read_tm7(path)
    pack_id = next(iter(project.rule_packs))
    snap = analysis.select_packs(project.snapshot(), analyzer.builtin, [pack_id])
    findings = analyzer.run(snap)
    engine = {(f.rule_id, *f.element_ids) for f in findings if f.origin == "engine"}
    stored = {(r.rule_id, *r.element_ids) for r in project.threats.values()}
    return engine, stored, (project, findings)


def test_agreement_over_the_corpus(shared_dir: Path, analyzer) -> None:
    corpus = shared_dir / "corpus" / "tm7"
    if not corpus.is_dir():
        pytest.skip("no tm7 corpus")
    both_total = either_total = 0
    for name, (n_stored, n_both, n_engine_only) in EXPECTED.items():
        engine, stored, _ = regenerate(analyzer, corpus / name)
        assert len(stored) == n_stored, name
        assert len(engine & stored) >= n_both, name
        assert len(engine - stored) <= n_engine_only, name
        both_total += len(engine & stored)
        either_total += len(engine | stored)
    assert both_total / either_total >= 0.95


def test_regenerated_findings_carry_the_imported_triage(shared_dir: Path, analyzer) -> None:
    """Imported keys equal the engine's keys, so TMT's states apply to the findings."""
    path = shared_dir / "corpus" / "tm7" / "SeaSharpe__Design__ThreatModel.tm7"
    _engine, _stored, (project, findings) = regenerate(analyzer, path)
    by_key = {f.key: f for f in findings if f.origin == "engine"}
    assert set(by_key) == set(project.threats)
    for key, tri in project.triage.items():
        assert by_key[key].state is tri.state
