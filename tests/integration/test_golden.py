"""Golden threats for the example projects (issue 4, item 8).

Each `tests/data/golden/<example>.yaml` lists, written from the example's scenario, the threats
a senior AI security reviewer expects and on which elements (by the example's stable ids),
plus the control property that should remove or downgrade each. These tests check that the
engine finds every one, that the control works, and that the listed non-threats stay absent.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.domain import Finding, Project

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden"
EXAMPLES = ROOT / "templates" / "examples"
GOLDEN_FILES = sorted(GOLDEN.glob("*.yaml"))
EFFECTS = ("removed", "downgraded")
RANKS = {"low": 1, "medium": 2, "high": 3, "critical": 4}


def _golden(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict) and doc.get("example") and doc.get("expected"), path.name
    return doc


def _example_path(doc: dict[str, Any]) -> Path:
    path = EXAMPLES / f"{doc['example']}.tc.yaml"
    if not path.is_file():
        pytest.skip(f"example {path.name} is not written yet")
    return path


def _load(path: Path) -> Project:
    files = importlib.import_module("app.services.files")
    return files.format_for(path).load(path)  # type: ignore[no-any-return]


@cache
def _runner() -> Any:
    """The analysis entry point: app.services.analysis when present, else the same
    composition by hand (built-in packs + stencil hierarchy and defaults + engine)."""
    try:
        analysis = importlib.import_module("app.services.analysis")
    except ModuleNotFoundError:
        analysis = None
    if analysis is not None and hasattr(analysis, "make_analyzer"):
        analyzer = analysis.make_analyzer()  # packs and stencils loaded once

        def run_service(project: Project) -> list[Finding]:
            return list(analyzer.run(project.snapshot()))

        return run_service
    engine = pytest.importorskip("app.engine", reason="engine not built yet")
    catalog = pytest.importorskip("app.catalog", reason="stencil catalog not built yet")
    registry = catalog.load_stencils()
    packs = [
        engine.compile_pack(yaml.safe_load(p.read_text(encoding="utf-8")), str(p))
        for p in sorted(catalog.rules_dir().glob("*.yaml"))
    ]
    hierarchy = registry.hierarchy()
    defaults = {s.id: s.defaults() for s in registry}

    def run(project: Project) -> list[Finding]:
        return list(engine.analyze(project.snapshot(), packs, hierarchy, defaults))

    return run


def _analyze(project: Project) -> list[Finding]:
    return [f for f in _runner()(project) if f.applies]


def _matches(f: Finding, rule: str, ids: list[str]) -> bool:
    return f.rule_id == rule and set(ids) <= set(f.element_ids)


def _find(findings: list[Finding], rule: str, ids: list[str]) -> Finding | None:
    return next((f for f in findings if _matches(f, rule, ids)), None)


def _ids(entry: dict[str, Any]) -> list[str]:
    ids = entry.get("elements") or []
    return [ids] if isinstance(ids, str) else list(ids)


def _apply(project: Project, control: dict[str, Any]) -> None:
    """Set the control's properties on its element(s)."""
    targets = control["element"]
    for eid in [targets] if isinstance(targets, str) else targets:
        found = project.find_element(eid)
        assert found is not None, f"control names unknown element {eid!r}"
        diagram, _element = found
        for key, value in control["set"].items():
            diagram.set_property(eid, key, value)


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.stem)
def test_golden_file_is_well_formed(path: Path) -> None:
    doc = _golden(path)
    assert path.stem == doc["example"]
    assert len(doc["expected"]) >= 8, "a reviewer expects more than a handful of threats"
    for entry in doc["expected"]:
        assert entry.get("rule") and _ids(entry) and entry.get("why"), entry
        control = entry.get("control")
        assert control and control.get("element") and control.get("set"), entry
        assert control.get("effect") in EFFECTS, entry
        assert entry.get("min_severity", "low") in RANKS, entry
    for entry in doc.get("absent") or []:
        assert entry.get("rule") and entry.get("why"), entry


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.stem)
def test_engine_finds_every_expected_threat(path: Path) -> None:
    doc = _golden(path)
    project = _load(_example_path(doc))
    known = {e.id for _d, e in project.iter_elements()}
    findings = _analyze(project)
    missing = []
    for entry in doc["expected"]:
        unknown = set(_ids(entry)) - known
        assert not unknown, f"{entry['rule']}: no element {sorted(unknown)} in the example"
        found = _find(findings, entry["rule"], _ids(entry))
        if found is None:
            missing.append(f"{entry['rule']} on {_ids(entry)} ({entry['why']})")
        elif not found.controls:
            missing.append(f"{entry['rule']} on {_ids(entry)}: the finding names no control")
        elif entry.get("min_severity") and found.severity.rank < RANKS[entry["min_severity"]]:
            missing.append(f"{entry['rule']} on {_ids(entry)}: {found.severity.value}, "
                           f"a reviewer rates it at least {entry['min_severity']}")
    assert not missing, "expected threats not found:\n  " + "\n  ".join(missing)


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.stem)
def test_listed_non_threats_stay_absent(path: Path) -> None:
    doc = _golden(path)
    project = _load(_example_path(doc))
    findings = _analyze(project)
    wrong = [
        f"{e['rule']} on {_ids(e) or 'any element'} ({e['why']})"
        for e in doc.get("absent") or []
        if _find(findings, e["rule"], _ids(e)) is not None
    ]
    assert not wrong, "threats a reviewer would not raise here:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.stem)
def test_each_control_removes_or_downgrades_its_threat(path: Path) -> None:
    doc = _golden(path)
    example = _example_path(doc)
    before_all = _analyze(_load(example))
    failures = []
    for entry in doc["expected"]:
        rule, ids, control = entry["rule"], _ids(entry), entry["control"]
        before = _find(before_all, rule, ids)
        if before is None:
            continue  # reported by test_engine_finds_every_expected_threat
        project = _load(example)
        _apply(project, control)
        after = _find(_analyze(project), rule, ids)
        what = f"{rule} on {ids} after setting {control['set']} on {control['element']}"
        if control["effect"] == "removed" and after is not None:
            failures.append(f"{what}: still present")
        elif control["effect"] == "downgraded" and (
            after is None or after.likelihood * after.impact >= before.likelihood * before.impact
        ):
            failures.append(f"{what}: not downgraded ({'removed' if after is None else 'same'})")
    assert not failures, "controls that do not work:\n  " + "\n  ".join(failures)
