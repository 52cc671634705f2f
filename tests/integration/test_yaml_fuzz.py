"""Fuzzing: whatever the text, loads() returns a Project or raises ModelFormatError."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app.io.yaml_safe as yaml_safe
from app.domain import Project
from app.io import yaml_format as yf

from .test_yaml_roundtrip import full_project

VALID = yf.dumps(full_project())
LINES = VALID.splitlines(keepends=True)
SNIPPETS = ["", " ", "  ", "- ", ": ", "null", "~", "[", "]", "{", "}", "&a ", "*a", "!t ",
            "'", '"', "|", ">", "#", "\t", "\n", "---\n", "1e5", "-1", "true", "<<: ",
            "kind: data_flow", "kind: process", "rect: [1]", "source: zz", "id: d1"]


@contextmanager
def pure_python_parser() -> Iterator[None]:
    """Use PyYAML's own parser instead of libyaml's for the duration."""
    saved = yaml_safe._events
    yaml_safe._events = yaml.SafeLoader  # type: ignore[assignment]
    try:
        yield
    finally:
        yaml_safe._events = saved


def load_or_refuse(text: str) -> None:
    for pure in (False, True):
        try:
            if pure:
                with pure_python_parser():
                    project = yf.loads(text, "fuzz.tc.yaml")
            else:
                project = yf.loads(text, "fuzz.tc.yaml")
            assert isinstance(project, Project)
        except yf.ModelFormatError as err:
            assert str(err).startswith("fuzz.tc.yaml: ") and "\n" not in str(err)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["drop", "dup", "insert", "cut", "swap"]))
        if how == "drop":
            del lines[i]
        elif how == "dup":
            lines.insert(i, lines[i])
        elif how == "insert":
            j = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:j] + draw(st.sampled_from(SNIPPETS)) + lines[i][j:]
        elif how == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))] + "\n"
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            break
    return "".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_files_load_or_fail_cleanly(text: str) -> None:
    load_or_refuse(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_loads_or_fails_cleanly(text: str) -> None:
    load_or_refuse("format: threatcanvas/1\n" + text)
    load_or_refuse(text)
