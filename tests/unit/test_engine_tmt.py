"""TMT models run through our engine reproduce the threats TMT itself generated."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.analysis import make_analyzer
from app.services.files import load_project


@pytest.fixture(scope="module")
def analyzer():  # type: ignore[no-untyped-def]
    return make_analyzer()


def _tm7(shared: Path) -> list[Path]:
    files = sorted((shared / "corpus" / "tm7").glob("*.tm7"))
    if not files:
        pytest.skip("no .tm7 files in the shared corpus")
    return files


def test_engine_reproduces_tmt_generated_threats(shared_dir: Path, analyzer) -> None:  # type: ignore[no-untyped-def]
    total = both = 0
    exact = []
    for path in _tm7(shared_dir):
        project = load_project(path)
        findings = analyzer.run(project.snapshot())
        keys = [f.key for f in findings]
        assert len(keys) == len(set(keys)), f"{path.name}: a key is listed twice"
        engine = {f.key for f in findings if f.pack.startswith("tmt") and f.applies
                  and f.reasons and "no longer applies" not in f.reasons[0]}
        # TMT's own threat instances on interactions that still exist as recorded (same
        # flow between the same two ends; TMT keeps threats of deleted ones too).
        live = set()
        for rec in project.threats.values():
            found = [project.find_element(i) for i in rec.element_ids]
            if len(found) == 3 and all(found):
                flow = found[1][1]  # type: ignore[index]
                if (flow.source_id, flow.target_id) == (rec.element_ids[0], rec.element_ids[2]):
                    live.add(rec.key)
        total += len(live)
        both += len(live & engine)
        if live == engine:
            exact.append(path.name)
        # Imported threats the engine also finds are shown once, with the stored text and
        # the engine's reasons.
        for f in findings:
            if f.key in live & engine:
                assert f.origin == "engine" and f.reasons
                assert f.title == project.threats[f.key].title
    assert total > 400
    assert both == total, f"{both} of {total}"  # measured: 514 of 514
    assert "OWASP__threat-dragon__Sample_Threat_Model.tm7" in exact
    assert len(exact) >= 10
