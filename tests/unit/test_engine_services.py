"""Composition around the engine: pack files, ATLAS catalog, gate equivalence, re-runs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from app.catalog.atlas import AtlasError, load_atlas
from app.domain import ThreatState, Triage
from app.engine import Analyzer, PackError, analyze
from app.services.analysis import builtin_packs, read_pack_file, select_packs
from tests.unit.test_engine_incremental import EVERY_ATOM, base_model
from tests.unit.test_engine_support import hierarchy, real_packs


def test_pack_file_errors_name_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nthreats:\n  - id: [\n")
    with pytest.raises(PackError, match=r"bad.yaml: not valid YAML: line \d"):
        read_pack_file(bad)
    with pytest.raises(PackError, match="file not found"):
        read_pack_file(tmp_path / "none.yaml")
    (tmp_path / "ok.yaml").write_text(
        "id: ok\nthreats:\n  - {id: A, title: t, scope: element, include: \"element is 'GE.P'\"}\n")
    assert [p.id for p in builtin_packs(tmp_path / "nowhere")] == []
    bad.unlink()
    assert [p.id for p in builtin_packs(tmp_path)] == ["ok"]


def test_gates_do_not_change_results() -> None:
    """Type/property gates are an optimisation: without them the findings are the same."""
    packs = [*real_packs(), EVERY_ATOM]
    ungated = [dataclasses.replace(p, threats=tuple(
        dataclasses.replace(t, test=t.include, gates={}, pgate=None) for t in p.threats))
        for p in packs]
    snap = base_model().snapshot()
    gated = analyze(snap, packs, hierarchy())
    assert len(gated) > 50
    assert gated == analyze(snap, ungated, hierarchy())


def test_analyzer_reruns_fully_when_packs_or_settings_change() -> None:
    b = base_model()
    an = Analyzer([EVERY_ATOM], hierarchy())
    an.run(b.snapshot())
    b.project.put_rule_pack("mine", {"id": "mine", "threats": [
        {"id": "M1", "title": "m", "scope": "element", "include": "element is 'GE.DS'"}]})
    got = an.update(b.snapshot(), [])
    assert any(f.key.startswith("mine:M1@") for f in got)
    assert got == analyze(b.snapshot(), [EVERY_ATOM], hierarchy())
    b.project.set_pack_enabled("mine", False)
    assert not any(f.pack == "mine" for f in an.update(b.snapshot(), []))


def test_stale_attack_path_is_kept_when_triaged() -> None:
    b = base_model()
    snap = b.snapshot()
    paths = [f for f in analyze(snap, [], hierarchy()) if f.rule_id == "PATH-001"]
    assert paths
    key = paths[0].key
    jewel = paths[0].element_ids[0]
    b.project.set_triage(key, Triage(ThreatState.MITIGATED, justification="segmented"))
    b.diagram.remove([f.id for f in b.diagram.flows() if f.target_id == jewel])
    found = {f.key: f for f in analyze(b.snapshot(), [], hierarchy())}
    assert found[key].applies is False and found[key].pack == "graph"
    assert found[key].state is ThreatState.MITIGATED


def test_select_packs_unknown_and_known() -> None:
    snap = base_model().snapshot()
    sel = select_packs(snap, [EVERY_ATOM], ["graph"])
    assert "t" in sel.disabled_packs and "graph" not in sel.disabled_packs
    from app.domain import DomainError

    with pytest.raises(DomainError, match="unknown rule pack 'x'"):
        select_packs(snap, [EVERY_ATOM], ["x"])


def test_atlas_catalog_from_the_official_release(shared_dir: Path) -> None:
    cat = load_atlas(shared_dir / "data" / "atlas" / "ATLAS.yaml")
    assert cat.version == "5.6.0"
    assert (len(cat.tactics), len(cat.techniques), len(cat.mitigations)) == (16, 170, 35)
    assert cat.name("AML.T0024.000") == "Infer Training Data Membership"
    assert [t.name for t in cat.tactics_of("AML.T0024.000")] == ["Exfiltration"]
    assert "AML.M0002" in [m.id for m in cat.mitigations_for("AML.T0024.000")]
    # The 5.6.0 quirk: a technique reference inside ml-lifecycle still counts.
    assert "AML.T0052.001" in cat.mitigations["AML.M0018"].techniques
    ids = {i for p in real_packs() for t in p.threats for i in t.atlas + t.atlas_mitigations}
    assert cat.unknown(sorted(ids)) == []


def test_atlas_errors(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(AtlasError, match="cannot read"):
        load_atlas(f)
    f.write_text("matrices: [{tactics: [], techniques: []}]\n")
    with pytest.raises(AtlasError, match="no tactics or techniques"):
        load_atlas(f)
