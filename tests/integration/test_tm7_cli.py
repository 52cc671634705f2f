"""`threatcanvas import X.tm7`, `info`, `pack import` and `pack list` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from app.cli.main import main
from app.io.tm7 import read_tb7, read_tm7

DATA = Path(__file__).resolve().parent.parent / "data" / "tm7"


def test_info_reads_a_tm7_directly(capsys) -> None:
    assert main(["info", str(DATA / "minimal.tm7"), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts == read_tm7(DATA / "minimal.tm7").counts()
    assert counts["threats"]["by_state"] == {"mitigated": 1, "needs_investigation": 1}


def test_import_to_yaml_keeps_everything(tmp_path: Path, capsys) -> None:
    out = tmp_path / "shop.tc.yaml"
    assert main(["import", str(DATA / "minimal.tm7"), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["info", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == read_tm7(DATA / "minimal.tm7").counts()
    from app.services.files import load_project

    again = load_project(out)
    original = read_tm7(DATA / "minimal.tm7")
    assert [e for _, e in again.iter_elements()] == [e for _, e in original.iter_elements()]
    assert dict(again.threats) == dict(original.threats)
    assert dict(again.triage) == dict(original.triage)
    assert again.rule_packs == original.rule_packs


@pytest.mark.parametrize("name", ["xxe.tm7", "truncated.tm7", "zipped.tm7"])
def test_bad_tm7_exits_2_with_one_line(tmp_path: Path, capsys, name: str) -> None:
    out = tmp_path / "x.tc.yaml"
    assert main(["import", str(DATA / name), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and name in err
    assert not out.exists()


def test_pack_import_writes_yaml(tmp_path: Path, capsys) -> None:
    out = tmp_path / "pack.yaml"
    assert main(["pack", "import", str(DATA / "minimal.tm7"), "-o", str(out)]) == 0
    assert "tmt-tiny-kb: 2 threat types" in capsys.readouterr().out
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == read_tb7(DATA / "minimal.tm7")
    assert main(["pack", "import", str(DATA / "minimal.tm7"), "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_pack_import_to_stdout_and_into_project(tmp_path: Path, capsys) -> None:
    assert main(["pack", "import", str(DATA / "minimal.tm7")]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["id"] == "tmt-tiny-kb"
    project = tmp_path / "p.tc.yaml"
    assert main(["new", str(project)]) == 0
    assert main(["pack", "import", str(DATA / "minimal.tm7"), "--into", str(project)]) == 0
    capsys.readouterr()
    assert main(["pack", "list", str(project), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    mine = [r for r in rows if r["source"] == "project"]
    assert mine == [{"id": "tmt-tiny-kb", "name": "Tiny KB", "version": "1.2.3", "threats": 2,
                     "source": "project", "enabled": True}]


def test_pack_import_refuses_other_files(capsys) -> None:
    assert main(["pack", "import", str(DATA / "old_format.tm4")]) == 2
    assert "expected a .tb7" in capsys.readouterr().err
    assert main(["pack", "import", str(DATA / "billion_laughs.tm7")]) == 2
    assert "DOCTYPE" in capsys.readouterr().err


def test_pack_import_real_template(shared_dir: Path, tmp_path: Path, capsys) -> None:
    tb7 = shared_dir / "corpus" / "tb7" / "microsoft__threat-modeling-templates__default.tb7"
    out = tmp_path / "sdl.yaml"
    assert main(["pack", "import", str(tb7), "-o", str(out)]) == 0
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert doc["id"] == "tmt-sdl-tm-knowledge-base-core" and len(doc["threats"]) == 47


@pytest.mark.parametrize("suffix", [".tcm", ".tc.yaml"])
def test_import_survives_saving_and_reopening(shared_dir: Path, tmp_path: Path,
                                               suffix: str) -> None:
    from app.io.yaml_format import dumps
    from app.services.files import all_suffixes, load_project, save_project

    if suffix not in all_suffixes():
        pytest.skip(f"{suffix} not supported in this checkout")
    for src in (DATA / "minimal.tm7",
                shared_dir / "corpus" / "tm7" / "tris790__tm8__aws-example.tm7"):
        project = read_tm7(src)
        out = tmp_path / ("p" + suffix)
        save_project(project, out)
        assert dumps(load_project(out)) == dumps(project)
        out.unlink()
