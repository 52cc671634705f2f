"""Bad .tc.yaml input: one clear ModelFormatError naming the file, the line and the problem."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from app.domain import FileError, Rect
from app.io import yaml_format as yf
from app.io.yaml_safe import MAX_DEPTH, ModelFormatError

HEAD = """\
format: threatcanvas/1
project: {id: p, name: P}
diagrams:
  - id: d1
    name: Main
    elements:
"""
NODE = """\
      - id: a
        kind: process
        rect: [0, 0, 10, 10]
"""


@pytest.fixture(autouse=True, params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every check runs with both event sources: libyaml's parser and PyYAML's own."""
    if request.param == "pure-python":
        monkeypatch.setattr("app.io.yaml_safe._events", yaml.SafeLoader)
    return str(request.param)


def fails(body: str, path: str = "model.tc.yaml") -> ModelFormatError:
    with pytest.raises(ModelFormatError) as info:
        yf.loads(textwrap.dedent(body) if not body.startswith("format") else body, path)
    return info.value


@pytest.mark.parametrize(("body", "line", "needle"), [
    (HEAD + NODE + "      - id: x\n        kind: process\n        rect: [1, 2, 3]\n",
     12, "element 'x': rect must be 4 numbers"),
    (HEAD + "      - id: x\n        kind: blob\n        rect: [1, 2, 3, 4]\n",
     8, "element 'x': unknown kind 'blob'"),
    (HEAD + NODE + NODE, 10, "duplicate element id 'a'"),
    (HEAD + NODE + "      - id: f\n        kind: data_flow\n        source: a\n"
     "        target: zz\n", 13, "flow 'f': target 'zz' not found"),
    (HEAD + "      - id: b\n        kind: boundary_box\n        rect: [0, 0, 1, 1]\n"
     + NODE + "      - id: f\n        kind: data_flow\n        source: b\n        target: a\n",
     15, "source 'b' is a boundary box"),
    (HEAD + NODE + "      - id: f\n        kind: data_flow\n        target: a\n",
     10, "flow 'f': needs a source"),
    (HEAD + "      - id: x\n        kind: process\n", 7, "needs rect"),
    (HEAD + "      - id: x\n        kind: process\n        rect: [0, 0, -1, 4]\n", 9,
     "must not be negative"),
    (HEAD + "      - id: x\n        kind: process\n        rect: [0, 0, true, 4]\n", 9,
     "rect must be numbers"),
    (HEAD + "      - id: x\n        kind: process\n        rect: [0, 0, .nan, 4]\n", 9,
     "rect must be numbers"),
    (HEAD + NODE + "        rects: [1, 2, 3, 4]\n", 10, "element 'a': unknown key 'rects'"),
    (HEAD + NODE + "        properties: {x: [1]}\n", 10, "property 'x' must be text"),
    (HEAD + "      - id: l\n        kind: boundary_line\n        points: [[0, 0]]\n", 9,
     "at least 2 points"),
    (HEAD + "      - id: l\n        kind: boundary_line\n        points: [[0, 0], [1]]\n", 9,
     "pair of numbers"),
    (HEAD + "      - kind: process\n", 7, "missing 'id'"),
    (HEAD + "      - just text\n", 7, "element must be a mapping"),
    ("format: threatcanvas/9\n", 1, "unsupported format 'threatcanvas/9'"),
    ("project: {}\n", 1, "missing 'format: threatcanvas/1'"),
    ("format: threatcanvas/1\nfoo: 1\n", 2, "unknown key 'foo'"),
    ("format: threatcanvas/1\nformat: threatcanvas/1\n", 2, "duplicate key 'format'"),
    ("format: threatcanvas/1\ndiagrams: {}\n", 2, "diagrams must be a list"),
    ("format: threatcanvas/1\ndiagrams:\n  - id: d\n  - id: d\n", 4, "duplicate diagram id"),
    ("format: threatcanvas/1\nproject:\n  name: [a]\n", 3, "project: name must be text"),
    ("format: threatcanvas/1\nproject:\n  reviewers: a\n", 3, "reviewers must be a list"),
    ("format: threatcanvas/1\nthreats:\n  - key: k\n", 3, "threat 'k': missing 'title'"),
    ("format: threatcanvas/1\nthreats:\n  - {key: k, title: t}\n  - {key: k, title: u}\n", 4,
     "duplicate threat key 'k'"),
    ("format: threatcanvas/1\nthreats:\n  - {key: k, title: t, impact: high}\n", 3,
     "impact must be a whole number"),
    ("format: threatcanvas/1\ntriage:\n  k:\n    state: done\n", 4, "unknown state 'done'"),
    ("format: threatcanvas/1\ntriage:\n  k:\n    mitigations:\n      - {text: a, done: 1}\n",
     5, "done must be true/false"),
    ("format: threatcanvas/1\nrule_packs:\n  p: [1]\n", 3, "rule pack 'p' must be a mapping"),
    ("format: threatcanvas/1\nproject: [\n", 3, "invalid YAML"),
    ("format: threatcanvas/1\n  bad indent: 1\n", 2, "invalid YAML"),
    ("- a\n- b\n", 1, "the file must be a mapping"),
])
def test_error_names_file_line_and_problem(body: str, line: int, needle: str) -> None:
    err = fails(body)
    assert isinstance(err, FileError)
    assert str(err).startswith(f"model.tc.yaml: line {line}: "), str(err)
    assert needle in str(err)
    assert "\n" not in str(err)


def test_empty_file() -> None:
    assert str(fails("")) == "model.tc.yaml: the file is empty"


@pytest.mark.parametrize(("body", "needle"), [
    ("a: &x [1]\nb: *x\n", "anchors (&x) are not allowed"),
    ("format: !!python/object:os.system ls\n", "tags such as"),
    ("format: !custom threatcanvas/1\n", "tags such as '!custom'"),
    ("x: !!binary aGVsbG8=\n", "tags such as"),
    ("x:\n  <<: {a: 1}\n", "merge keys"),
])
def test_refuses_tags_anchors_aliases_and_merges(body: str, needle: str) -> None:
    assert needle in str(fails(body))


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    err = fails("\n".join(lines) + "\n")
    assert "line 1:" in str(err) and "not allowed" in str(err)


def test_deep_nesting_is_refused() -> None:
    err = fails("x: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    assert "nested more than" in str(err)


def test_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.io.yaml_safe.MAX_CHARS", 100)
    assert "larger than" in str(fails("format: threatcanvas/1\n" + "#" * 200 + "\n"))


def test_more_than_one_document() -> None:
    assert "more than one YAML document" in str(fails("format: threatcanvas/1\n---\na: 1\n"))


def test_round_trip_with_either_parser() -> None:
    from .test_yaml_roundtrip import full_project, structure

    p = full_project()
    assert structure(yf.loads(yf.dumps(p))) == structure(p)


def test_timestamps_and_numbers_in_text_fields_stay_text() -> None:
    p = yf.loads("format: threatcanvas/1\nproject:\n  name: 2024\n  version: 1.5\n"
                 "  created: 2026-11-25T10:00:00+00:00\n")
    assert (p.name, p.version, p.created) == ("2024", "1.5", "2026-11-25T10:00:00+00:00")


def test_minimal_hand_written_file_gets_defaults() -> None:
    p = yf.loads(HEAD + NODE)
    e = p.diagrams[0].get("a")
    assert e.type_id == "GE.P" and e.name == "" and e.routing == "straight"
    assert p.version == "1.0" and p.classification == "Internal"


def test_flow_listed_before_its_ends_keeps_file_order() -> None:
    body = HEAD + "      - {id: f, kind: data_flow, source: a, target: b}\n" + NODE + (
        "      - {id: b, kind: data_store, rect: [50, 0, 10, 10]}\n")
    assert list(yf.loads(body).diagrams[0].elements) == ["f", "a", "b"]


def test_read_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.tc.yaml"
    with pytest.raises(FileError, match=r"nope\.tc\.yaml: file not found"):
        yf.read(missing)
    binary = tmp_path / "bin.tc.yaml"
    binary.write_bytes(b"format: x\n\xff\xfe\x00garbage")
    with pytest.raises(ModelFormatError, match=r"bin.tc.yaml: line 2: not UTF-8"):
        yf.read(binary)
    with pytest.raises(FileError, match="is a folder"):
        yf.read(tmp_path)


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    target = tmp_path / "m.tc.yaml"
    target.write_text("old content\n")
    p = yf.loads(HEAD + NODE)

    def boom(*_a: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("app.io.yaml_format.os.replace", boom)
    with pytest.raises(FileError, match="No space left"):
        yf.write(p, target)
    assert target.read_text() == "old content\n"
    assert [f.name for f in tmp_path.iterdir()] == ["m.tc.yaml"]


def test_write_into_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="folder does not exist"):
        yf.write(yf.loads(HEAD + NODE), tmp_path / "no" / "m.tc.yaml")


def test_non_finite_values(tmp_path: Path) -> None:
    p = yf.loads(HEAD + NODE + "        properties: {budget: .inf}\n")
    assert p.diagrams[0].get("a").properties["budget"] == float("inf")
    assert yf.dumps(yf.loads(yf.dumps(p))) == yf.dumps(p)
    d = p.diagrams[0]
    d.set_rect("a", Rect(float("nan"), 0, 1, 1))
    target = tmp_path / "m.tc.yaml"
    target.write_text("old\n")
    with pytest.raises(FileError, match="cannot save: element 'a': coordinate nan is not"):
        yf.write(p, target)
    assert target.read_text() == "old\n"
