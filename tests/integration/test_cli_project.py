"""`threatcanvas new/import/export/info`: exit codes, one-line errors, no Qt imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.cmd_project import examples
from app.cli.main import main
from app.io import yaml_format as yf

from .test_yaml_roundtrip import full_project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def model(tmp_path: Path) -> Path:
    path = tmp_path / "model.tc.yaml"
    yf.write(full_project(), path)
    return path


def test_new_empty_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "fresh.tc.yaml"
    code, stdout, _ = run(capsys, "new", str(out))
    assert code == 0 and "created" in stdout
    p = yf.read(out)
    assert p.name == "fresh" and [d.name for d in p.diagrams] == ["Main"]
    assert run(capsys, "new", str(out), "--name", "Other", "--force")[0] == 0
    assert yf.read(out).name == "Other"


def test_new_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.tc.yaml"
    out.write_text("precious")
    code, _, err = run(capsys, "new", str(out))
    assert code == 2 and err.startswith("error: ") and "--force" in err
    assert out.read_text() == "precious"


def test_new_from_unknown_example_lists_them(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "new", str(tmp_path / "x.tc.yaml"), "--example", "nope")
    assert code == 2 and "unknown example 'nope'; available: " in err
    for name in examples():
        assert name in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("name", sorted(examples()))
def test_new_from_each_example(name: str, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "copy.tc.yaml"
    assert run(capsys, "new", str(out), "--example", name, "--name", "Mine")[0] == 0
    original, copy = yf.read(examples()[name]), yf.read(out)
    assert copy.name == "Mine" and copy.id != original.id
    assert [list(d.elements.items()) for d in copy.diagrams] == [
        list(d.elements.items()) for d in original.diagrams]


def test_import_and_export_round_trip(model: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    a = tmp_path / "a.yml"
    b = tmp_path / "b.tc.yaml"
    assert run(capsys, "import", str(model), "-o", str(a))[0] == 0
    assert run(capsys, "export", str(a), "-o", str(b))[0] == 0
    assert b.read_bytes() == model.read_bytes()
    code, _, err = run(capsys, "export", str(a), "-o", str(b))
    assert code == 2 and "already exists" in err
    assert run(capsys, "export", str(a), "-o", str(b), "--force")[0] == 0


def test_export_to_standard_output(model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", str(model), "-o", "-")
    assert code == 0 and out == model.read_text(encoding="utf-8")


def test_info_json_counts(model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", str(model), "--json")
    assert code == 0
    assert json.loads(out) == {
        "diagrams": 2,
        "elements": {"external_entity": 1, "process": 1, "data_store": 1, "annotation": 1},
        "flows": 2,
        "boundaries": {"box": 1, "line": 1},
        "threats": {"total": 2, "by_state": {"accepted_risk": 1, "mitigated": 1}},
    }


def test_info_text(model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", str(model))
    assert code == 0
    assert "diagrams:    2 (Main, Second)" in out and "flows:       2" in out
    assert "1 mitigated" in out


@pytest.mark.parametrize(("args", "needle"), [
    (["info", "missing.tc.yaml"], "missing.tc.yaml: file not found"),
    (["info", "model.docx"], "unknown file type; supported: .tc.yaml"),
    (["import", "bad.tc.yaml", "-o", "out.tc.yaml"], "bad.tc.yaml: line 3: "),
    (["export", "bad.tc.yaml", "-o", "out.tc.yaml"], "bad.tc.yaml: line 3: "),
    (["import", "good.tc.yaml", "-o", "out.pdf"], "out.pdf: unknown file type"),
])
def test_bad_input_exits_2_with_one_line(args: list[str], needle: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bad.tc.yaml").write_text("format: threatcanvas/1\ndiagrams:\n  - [oops]\n")
    yf.write(full_project(), Path("good.tc.yaml"))
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and needle in err and err.count("\n") == 1
    assert not Path("out.tc.yaml").exists()


@pytest.mark.parametrize(("args", "needle"), [
    (["import", "a.tc.yaml"], "error: threatcanvas import: the following arguments are "
                              "required: -o/--output"),
    (["info"], "error: threatcanvas info: the following arguments are required: FILE"),
    (["new"], "error: threatcanvas new: the following arguments are required: OUT"),
])
def test_usage_mistakes_are_one_line(args: list[str], needle: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.startswith(needle) and err.count("\n") == 1


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, timeout=60)


QT_PROBE = """
import sys
from app.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit_:
    code = exit_.code
qt = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6")))
print("QT:" + ",".join(qt))
sys.exit(code)
"""


@pytest.mark.parametrize("args", [["--version"], ["info", "{model}", "--json"],
                                  ["info", "{model}"]])
def test_version_and_info_never_import_qt(args: list[str], model: Path) -> None:
    proc = _python(QT_PROBE, *[a.format(model=model) for a in args])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("QT:"), proc.stdout


def test_console_script_reports_errors_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tc.yaml"
    bad.write_text("format: threatcanvas/1\nproject: {name: [x]}\n")
    proc = _python("import sys; from app.main import main; sys.exit(main(sys.argv[1:]))",
                   "import", str(bad), "-o", str(tmp_path / "o.tc.yaml"))
    assert proc.returncode == 2
    assert proc.stderr == f"error: {bad}: line 2: project: name must be text\n"
    assert "Traceback" not in proc.stderr
