"""The CLI on .tcm files: new, import, export, info; YAML → .tcm → YAML is identical."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main
from app.io import yaml_format
from app.store import read, write
from tests.data.make_store_fixtures import sample_project, structure


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_new_tcm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "X.tcm"
    code, stdout, _ = run(capsys, "new", str(out))
    assert code == 0 and stdout == f"created {out}\n"
    p = read(out)
    assert p.name == "X" and [d.name for d in p.diagrams] == ["Main"]
    code, _, err = run(capsys, "new", str(out))
    assert code == 2 and "already exists" in err


def test_yaml_to_tcm_to_yaml_is_identical(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "model.tc.yaml"
    yaml_format.write(sample_project(), src)
    tcm = tmp_path / "model.tcm"
    back = tmp_path / "back.tc.yaml"
    assert run(capsys, "import", str(src), "-o", str(tcm))[0] == 0
    assert run(capsys, "export", str(tcm), "-o", str(back))[0] == 0
    assert back.read_bytes() == src.read_bytes()
    assert structure(read(tcm)) == structure(sample_project())


def test_examples_round_trip_through_tcm(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    examples = sorted((Path(__file__).resolve().parents[2] / "templates" / "examples")
                      .glob("*.tc.yaml"))
    if not examples:
        pytest.skip("no bundled examples")
    for src in examples:
        tcm = tmp_path / (src.name + ".tcm")
        back = tmp_path / src.name
        assert run(capsys, "import", str(src), "-o", str(tcm))[0] == 0
        assert run(capsys, "export", str(tcm), "-o", str(back))[0] == 0
        assert back.read_text() == yaml_format.dumps(yaml_format.read(src))


def test_info_json_on_tcm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.tcm"
    p = sample_project()
    write(p, path)
    code, stdout, _ = run(capsys, "info", str(path), "--json")
    assert code == 0
    assert json.loads(stdout) == p.counts()
    code, stdout, _ = run(capsys, "info", str(path))
    assert code == 0 and "project:     Fixture" in stdout


def test_bad_tcm_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tcm"
    bad.write_text("not a project")
    code, stdout, err = run(capsys, "info", str(bad))
    assert code == 2 and stdout == ""
    assert err == f"error: {bad}: not a ThreatCanvas project (not an SQLite database file)\n"
    code, _, err = run(capsys, "export", str(bad), "-o", str(tmp_path / "x.tc.yaml"))
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1
    assert not (tmp_path / "x.tc.yaml").exists()
