"""`threatcanvas analyze` and `threatcanvas atlas` end to end on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main
from app.domain import ThreatState, Triage
from app.services.files import load_project, save_project
from tests.unit.test_engine_support import ModelBuilder

ROW_KEYS = {"key", "rule_id", "pack", "title", "category", "element_ids", "atlas", "owasp",
            "likelihood", "impact", "severity", "state", "reasons"}


@pytest.fixture
def model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("THREATCANVAS_DATA_DIR", str(tmp_path / "data"))
    b = ModelBuilder()
    b.box("corp", (150, -100, 900, 300), name="Corp", trust_level="trusted")
    b.node("web", "ai.data_source.public", "GE.EI", name="Web", at=(-300, 0))
    b.node("lake", "ai.training_data_store", "GE.DS", name="Lake", at=(200, 0))
    b.node("train", "ai.training_job", name="Train", at=(400, 0))
    b.node("reg", "ai.model_registry", "GE.DS", name="Registry", at=(600, 0),
           artifact_format="pickle")
    b.flow("f1", "web", "lake", "scrape")
    b.flow("f2", "lake", "train", "data")
    b.flow("f3", "train", "reg", "model")
    b.project.set_triage("PATH-001@reg", Triage(ThreatState.MITIGATED))
    path = tmp_path / "m.tc.yaml"
    save_project(b.project, path)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_json_rows(model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyze", str(model), "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows and all(set(r) >= ROW_KEYS for r in rows)
    by = {r["key"]: r for r in rows}
    path = by["PATH-001@lake"]
    assert path["path"] == ["web", "f1", "lake"] and path["pack"] == "graph"
    assert by["PATH-001@reg"]["state"] == "mitigated"
    assert {r["pack"] for r in rows} >= {"stride-core", "ai-ml", "graph"}
    poison = [r for r in rows if r["element_ids"] == ["lake"] and "ML02:2023" in r["owasp"]]
    assert poison and poison[0]["reasons"] and poison[0]["severity"] in ("high", "critical")


def test_pack_filter_and_fail_on(model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyze", str(model), "--format", "json", "--pack", "graph")
    assert code == 0
    assert {r["pack"] for r in json.loads(out)} == {"graph"}
    code, out, _ = run(capsys, "analyze", str(model), "--pack", "graph", "--fail-on", "high")
    assert code == 1  # PATH-001@lake is open and high
    assert "PATH-001@lake" in out and "because" in out
    # Stencil default: a training data store holds confidential data → impact 5, critical.
    code, out, _ = run(capsys, "analyze", str(model), "--pack", "graph", "--fail-on", "critical")
    assert code == 1 and "CRITICAL not_started         PATH-001@lake" in out
    project = load_project(model)
    project.set_triage("PATH-001@lake", Triage(ThreatState.ACCEPTED))
    save_project(project, model)
    code, _, _ = run(capsys, "analyze", str(model), "--pack", "graph", "--fail-on", "low")
    assert code == 0  # nothing open any more


def test_errors_exit_2(model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "analyze", str(model), "--pack", "nope")
    assert code == 2 and "unknown rule pack 'nope'" in err and "stride-core" in err
    code, _, err = run(capsys, "analyze", str(tmp_path / "missing.tc.yaml"))
    assert code == 2 and err.startswith("error: ") and "not found" in err
    bad = tmp_path / "bad.tc.yaml"
    bad.write_text("format: threatcanvas/1\nrule_packs: {x: {id: x, threats: [{id: 1}]}}\n")
    code, _, err = run(capsys, "analyze", str(bad))
    assert code == 2 and err.startswith("error: ")


def test_sarif_hook(model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyze", str(model), "--format", "sarif")
    assert code == 0
    assert json.loads(out)["version"] == "2.1.0"


def test_lint_flag(model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "analyze", str(model), "--pack", "graph", "--lint")
    assert code == 0 and "store-never-read" in err


def test_atlas_import_then_names_in_json(model: Path, shared_dir: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "atlas", "info")
    assert code == 0 and "no ATLAS release installed" in out
    code, out, _ = run(capsys, "atlas", "import", str(shared_dir / "data/atlas/ATLAS.yaml"))
    assert code == 0 and "imported ATLAS 5.6.0: 16 tactics, 170 techniques" in out
    assert (tmp_path / "data" / "atlas" / "ATLAS.yaml").is_file()
    code, out, _ = run(capsys, "atlas", "info", "--json")
    assert json.loads(out)["techniques"] == 170
    code, out, _ = run(capsys, "analyze", str(model), "--json", "--pack", "ai-ml")
    rows = [r for r in json.loads(out) if r["atlas"]]
    assert rows
    tech = rows[0]["atlas_techniques"][0]
    assert tech["id"] == rows[0]["atlas"][0] and tech["name"] and tech["tactics"]


def test_atlas_import_rejects_bad_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("THREATCANVAS_DATA_DIR", str(tmp_path / "data"))
    for name, text, words in [
        ("a.yaml", "id: x\n", "no 'matrices' list"),
        ("b.yaml", "matrices: [{tactics: [{id: AML.X, name: y}]}]\n", "not an ATLAS tactic id"),
        ("c.yaml", "matrices: [\n", "not valid YAML: line"),
    ]:
        (tmp_path / name).write_text(text)
        code, _, err = run(capsys, "atlas", "import", str(tmp_path / name))
        assert code == 2 and words in err
    code, _, err = run(capsys, "atlas", "import", str(tmp_path / "none.yaml"))
    assert code == 2 and "file not found" in err
    assert not (tmp_path / "data" / "atlas" / "ATLAS.yaml").exists()
