"""app.services.files: format chosen by file name, clear errors, one-line extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain import FileError, Project
from app.services import files
from app.services.files import FileFormat, format_for, load_project, save_project

from .test_yaml_roundtrip import full_project, structure


@pytest.mark.parametrize("name", ["m.tc.yaml", "m.yaml", "M.YML", "dir.v2/m.TC.YAML"])
def test_yaml_names_round_trip(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    save_project(full_project(), path)
    assert structure(load_project(path)) == structure(full_project())
    assert format_for(path).name == "ThreatCanvas YAML model"


def test_unknown_extension_names_file_and_formats(tmp_path: Path) -> None:
    with pytest.raises(FileError) as info:
        load_project(tmp_path / "model.docx")
    assert str(info.value) == (f"{tmp_path / 'model.docx'}: unknown file type; supported: "
                               + ", ".join(files.all_suffixes()))
    assert ".tc.yaml" in str(info.value)
    with pytest.raises(FileError, match="unknown file type"):
        save_project(Project(), tmp_path / "model")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="file not found"):
        load_project(tmp_path / "gone.tc.yaml")


def test_table_extends_by_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = FileFormat("Imported thing", (".thing", ".tc.thing"), "pathlib:Path", None)
    monkeypatch.setattr(files, "FORMATS", (*files.FORMATS, extra))
    assert format_for("a.TC.THING") is extra  # the longest matching ending wins
    assert ".thing" in files.all_suffixes() and ".thing" not in files.writable_suffixes()
    with pytest.raises(FileError, match="can be imported but not written; save as one of"):
        save_project(Project(), tmp_path / "x.thing")
