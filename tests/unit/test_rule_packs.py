"""The built-in rule packs as data: structure, counts, ids, vocabulary and framework coverage."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "templates" / "rules"
VOCABULARY = ROOT / "docs" / "vocabulary.md"

OWASP_ML = {f"ML{n:02d}:2023" for n in range(1, 11)}
OWASP_LLM = {f"LLM{n:02d}:2025" for n in range(1, 11)}
#: ATLAS tactics that apply to a system under design; every one must be covered.
TACTICS = {
    "Reconnaissance", "Resource Development", "Initial Access", "AI Model Access", "Execution",
    "Persistence", "Privilege Escalation", "Defense Evasion", "Credential Access", "Discovery",
    "Collection", "AI Attack Staging", "Exfiltration", "Impact",
}
REQUIRED = ("id", "title", "category", "scope", "likelihood", "impact", "description",
            "mitigations")
STRIDE = {"Spoofing", "Tampering", "Repudiation", "Information Disclosure",
          "Denial of Service", "Elevation of Privilege"}
ROLES_BY_SCOPE = {
    "element": {"element", "upstream", "downstream"},
    "interaction": {"flow", "source", "target", "upstream", "downstream"},
}
_ROLE_REF = re.compile(r"\b(element|source|target|flow|upstream|downstream)\b(?:\.([\w.\-]+))?")
_TYPE_ATOM = re.compile(
    r"\b(?:is|is not|receives from|sends to|fed by|feeds|crosses|inside)\s+'([^']+)'",
    re.IGNORECASE,
)
_PROP_VALUE = re.compile(
    r"\b(?:element|source|target|flow|upstream|downstream)\.(\w+) is (?:not )?'([^']+)'"
)
_PLACEHOLDER = re.compile(r"\{(\w+)\.(\w+)\}")


@cache
def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((RULES / f"{name}.yaml").read_text(encoding="utf-8"))


def _threats(name: str) -> list[dict[str, Any]]:
    return list(_load(name)["threats"])


def _all() -> list[tuple[str, dict[str, Any]]]:
    return [(p, t) for p in ("stride-core", "ai-ml") for t in _threats(p)]


def _expressions(threat: dict[str, Any]) -> list[str]:
    out = [threat[k] for k in ("include", "exclude") if threat.get(k)]
    out += [c["when"] for c in threat.get("controls") or []]
    return out


@cache
def _vocabulary() -> tuple[frozenset[str], dict[str, str]]:
    """Stencil ids and property keys → type, from the tables of docs/vocabulary.md."""
    types: set[str] = set()
    props: dict[str, str] = {}
    for line in VOCABULARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[0].startswith("`"):
            continue
        key = cells[0].strip("`")
        if key.startswith(("GE.", "ai.", "actor.", "generic.")):
            types.add(key)
        elif cells[1].startswith(("bool", "choice", "text", "number")):
            props[key] = cells[1] + " " + (cells[2] if len(cells) > 2 else "")
    return frozenset(types), props


class _StrictLoader(yaml.SafeLoader):
    """Safe loading that refuses a key given twice (plain YAML keeps the last silently)."""


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise AssertionError(f"key {key!r} given twice (line {key_node.start_mark.line + 1})")
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


@pytest.mark.parametrize("name", ["stride-core", "ai-ml"])
def test_pack_files_have_no_duplicate_keys(name: str) -> None:
    text = (RULES / f"{name}.yaml").read_text(encoding="utf-8")
    assert yaml.load(text, Loader=_StrictLoader) == _load(name)  # a SafeLoader subclass


def test_pack_headers_and_counts() -> None:
    assert _load("stride-core")["id"] == "stride-core"
    assert _load("ai-ml")["id"] == "ai-ml"
    assert len(_threats("stride-core")) >= 40
    assert len(_threats("ai-ml")) >= 80


@pytest.mark.parametrize("pack", ["stride-core", "ai-ml"])
def test_threat_ids_are_unique(pack: str) -> None:
    ids = [t["id"] for t in _threats(pack)]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]


def test_every_threat_has_the_required_fields_with_sane_values() -> None:
    for pack, t in _all():
        where = f"{pack}/{t.get('id')}"
        for key in REQUIRED:
            assert t.get(key) not in (None, "", []), f"{where}: {key} missing"
        assert t["scope"] in ROLES_BY_SCOPE, where
        assert t["category"] in STRIDE, where
        for level in ("likelihood", "impact"):
            assert isinstance(t[level], int) and 1 <= t[level] <= 5, where
        assert all(isinstance(m, str) and m.strip() for m in t["mitigations"]), where
        assert all(str(r).startswith("https://") for r in t.get("references") or []), where
        assert len(t["description"].split()) >= 8, f"{where}: description too thin"


def test_every_threat_can_be_removed_or_downgraded_by_a_control() -> None:
    """A control property in `exclude` (removes) or in `controls` (downgrades)."""
    for pack, t in _all():
        props_in_exclude = _PROP_VALUE.findall(t.get("exclude") or "")
        controls = t.get("controls") or []
        assert props_in_exclude or controls, f"{pack}/{t['id']} names no control"
        for c in controls:
            assert c.get("label") and (c.get("likelihood") or c.get("impact")), t["id"]
            assert all(-4 <= c.get(k, 0) < 0 for k in ("likelihood", "impact") if k in c)


def test_excludes_are_alternatives_so_each_named_control_removes_on_its_own() -> None:
    """The engine reports each property of an exclude as removing the threat by itself."""
    for pack, t in _all():
        assert " and " not in (t.get("exclude") or "").lower(), f"{pack}/{t['id']}"


def test_titles_name_the_roles_of_their_scope() -> None:
    for pack, t in _all():
        roles = {m.group(1) for m in _PLACEHOLDER.finditer(t["title"])}
        allowed = {"element"} if t["scope"] == "element" else {"source", "target", "flow"}
        assert roles and roles <= allowed, f"{pack}/{t['id']}: {t['title']!r}"


def test_expressions_only_use_roles_allowed_by_scope() -> None:
    for pack, t in _all():
        allowed = ROLES_BY_SCOPE[t["scope"]]
        for text in _expressions(t):
            for m in _ROLE_REF.finditer(text):
                assert m.group(1) in allowed, f"{pack}/{t['id']}: {m.group(0)} in {text!r}"


def test_expressions_use_known_stencil_ids_and_property_keys() -> None:
    types, props = _vocabulary()
    assert "ai.llm" in types and "exposure" in props  # the vocabulary table was read
    for pack, t in _all():
        for text in _expressions(t):
            for type_id in _TYPE_ATOM.findall(text):
                if type_id in ("Yes", "No") or not re.match(r"^(GE|ai|actor|generic)\.", type_id):
                    continue
                assert type_id in types, f"{pack}/{t['id']}: unknown stencil {type_id!r}"
            for prop, value in _PROP_VALUE.findall(text):
                assert prop in props, f"{pack}/{t['id']}: unknown property {prop!r}"
                spec = props[prop]
                if spec.startswith("number"):
                    assert value.isdigit(), f"{pack}/{t['id']}: {prop} is {value!r}"
                elif spec.startswith("bool"):
                    assert value in ("Yes", "No"), f"{pack}/{t['id']}: {prop} is {value!r}"
                elif spec.startswith("choice"):
                    assert f"`{value}`" in spec, f"{pack}/{t['id']}: {prop} has no {value!r}"


def test_every_expression_parses_and_each_pack_compiles() -> None:
    language = pytest.importorskip("app.engine.language", reason="engine not built yet")
    for _pack, t in _all():
        for text in _expressions(t):
            language.parse(text)  # raises RuleSyntaxError with its position
    packs = pytest.importorskip("app.engine.packs", reason="pack compiler not built yet")
    for name, minimum in (("stride-core", 40), ("ai-ml", 80)):
        compiled = packs.compile_pack(_load(name), str(RULES / f"{name}.yaml"))
        assert compiled.id == name and len(compiled.threats) >= minimum


def test_ai_pack_covers_all_owasp_ml_2023_and_llm_2025() -> None:
    used = {o for t in _threats("ai-ml") for o in t.get("owasp") or []}
    assert used >= OWASP_ML, sorted(OWASP_ML - used)
    assert used >= OWASP_LLM, sorted(OWASP_LLM - used)
    assert used <= OWASP_ML | OWASP_LLM, sorted(used - OWASP_ML - OWASP_LLM)
    assert all(t.get("atlas") and t.get("owasp") for t in _threats("ai-ml"))


@cache
def _atlas(path: Path) -> dict[str, Any]:
    matrix = yaml.safe_load(path.read_text(encoding="utf-8"))["matrices"][0]
    return {
        "techniques": {t["id"]: t for t in matrix["techniques"]},
        "mitigations": {m["id"] for m in matrix["mitigations"]},
        "tactics": {t["id"]: t["name"] for t in matrix["tactics"]},
    }


def test_every_atlas_id_exists_in_atlas_yaml(shared_dir: Path) -> None:
    atlas = _atlas(shared_dir / "data" / "atlas" / "ATLAS.yaml")
    for pack, t in _all():
        for tid in t.get("atlas") or []:
            assert tid in atlas["techniques"], f"{pack}/{t['id']}: unknown technique {tid}"
        for mid in t.get("atlas_mitigations") or []:
            assert mid in atlas["mitigations"], f"{pack}/{t['id']}: unknown mitigation {mid}"


def test_ai_pack_covers_every_applicable_atlas_tactic(shared_dir: Path) -> None:
    atlas = _atlas(shared_dir / "data" / "atlas" / "ATLAS.yaml")
    techniques = atlas["techniques"]
    covered: set[str] = set()
    for t in _threats("ai-ml"):
        for tid in t["atlas"]:
            tech = techniques[tid]
            parent = tech.get("subtechnique-of")
            inherited = techniques[parent].get("tactics") if parent else []
            tactic_ids = tech.get("tactics") or inherited
            covered |= {atlas["tactics"][x] for x in tactic_ids or []}
    assert covered >= TACTICS, sorted(TACTICS - covered)
