"""docs/tc-yaml.schema.json describes what the exporter writes and the examples hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.catalog.paths import examples_dir
from app.io import yaml_format as yf
from app.io.yaml_safe import load_data, plain

from .test_yaml_roundtrip import full_project

jsonschema = pytest.importorskip("jsonschema")

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "tc-yaml.schema.json"


@pytest.fixture(scope="module")
def validator() -> object:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator: object, text: str) -> list[str]:
    return [e.message for e in validator.iter_errors(plain(load_data(text, "x")))]  # type: ignore[attr-defined]


def test_exported_project_is_valid(validator: object) -> None:
    assert errors(validator, yf.dumps(full_project())) == []


@pytest.mark.parametrize("example", sorted(examples_dir().glob("*.tc.yaml")), ids=lambda p: p.name)
def test_examples_are_valid(validator: object, example: Path) -> None:
    assert errors(validator, example.read_text(encoding="utf-8")) == []
    text = yf.dumps(yf.read(example))  # the loader agrees, and export is stable
    assert errors(validator, text) == []
    assert yf.dumps(yf.loads(text)) == text


@pytest.mark.parametrize("bad", [
    "format: threatcanvas/2\n",
    "format: threatcanvas/1\ndiagrams:\n  - elements:\n      - {id: a, kind: process}\n",
    "format: threatcanvas/1\ndiagrams:\n  - elements:\n      - {id: a, kind: blob}\n",
    "format: threatcanvas/1\ndiagrams:\n  - elements:\n"
    "      - {id: a, kind: process, rect: [0, 0, 1]}\n",
    "format: threatcanvas/1\ndiagrams:\n  - elements:\n"
    "      - {id: f, kind: data_flow, source: null, target: a}\n",
    "format: threatcanvas/1\ntriage:\n  k: {state: done}\n",
    "format: threatcanvas/1\nthreats:\n  - {key: k}\n",
])
def test_schema_rejects_what_the_loader_rejects(validator: object, bad: str) -> None:
    assert errors(validator, bad)
    with pytest.raises(yf.ModelFormatError):
        yf.loads(bad)
