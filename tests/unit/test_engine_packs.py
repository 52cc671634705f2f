"""Rule-pack validation: clear errors naming the pack, threat and field."""

from __future__ import annotations

import pytest

from app.domain import FileError
from app.engine.packs import PackError, compile_pack


def doc(**threat: object) -> dict:
    t = {"id": "X-1", "title": "T", "category": "Spoofing", "scope": "element",
         "include": "element is 'GE.P'", "likelihood": 3, "impact": 3}
    t.update(threat)
    return {"id": "p", "threats": [{k: v for k, v in t.items() if v is not None}]}


@pytest.mark.parametrize(
    ("threat", "words"),
    [
        ({"title": None}, "threat 'X-1', field 'title': required"),
        ({"scope": "global"}, "field 'scope': 'global' is not one of element, interaction"),
        ({"likelihood": 0}, "field 'likelihood': expected a whole number from 1 to 5"),
        ({"impact": 6}, "field 'impact'"),
        ({"impact": True}, "field 'impact'"),
        ({"include": "element is"}, "field 'include': unexpected end of expression at column 11"),
        ({"exclude": "source is 'GE.P'"}, "'source' is not available in element scope"),
        ({"scope": "interaction", "include": "element is 'GE.P'"}, "not available in interaction"),
        ({"include": "element crosses 'GE.TB.B'"}, "only a flow crosses boundaries"),
        ({"include": "upstream is 'GE.P'"}, "upstream takes a property"),
        ({"atlas": ["T0001"]}, "'T0001' is not a valid ATLAS technique id"),
        ({"atlas_mitigations": ["AML.T0001"]}, "not a valid ATLAS mitigation id"),
        ({"owasp": ["LLM1:2025"]}, "not a valid OWASP id"),
        ({"mitigations": [{"Do": "this"}]}, "item 1: expected text, got a mapping"),
        ({"exlude": "x"}, "unknown field(s) exlude"),
        ({"controls": [{"label": "x"}]}, "field 'controls'[0]: a control needs 'when'"),
        ({"controls": [{"when": "element.a is 'b'", "likelihood": -9}]}, "from -4 to 4"),
        ({"id": None}, "a threat has no 'id'"),
    ],
)
def test_threat_errors(threat: dict, words: str) -> None:
    with pytest.raises(PackError) as info:
        compile_pack(doc(**threat), "rules/p.yaml")
    assert isinstance(info.value, FileError)
    message = str(info.value)
    assert message.startswith("rules/p.yaml: pack 'p'")
    assert words in message


def test_pack_level_errors() -> None:
    for bad, words in [
        ([], "must be a mapping"),
        ({"threats": []}, "has no 'id'"),
        ({"id": "p"}, "field 'threats': expected a list"),
        ({"id": "p", "threats": [], "colour": 1}, "unknown field(s) colour"),
        ({"id": "p", "threats": [], "types": {"A": {}}}, "needs a 'parent'"),
    ]:
        with pytest.raises(PackError, match=words.replace("(", r"\(").replace(")", r"\)")):
            compile_pack(bad, "x.yaml")
    two = doc()
    two["threats"].append(dict(two["threats"][0]))
    with pytest.raises(PackError, match="threat id 'X-1' is used more than once"):
        compile_pack(two, "x.yaml")


def test_valid_pack_compiles_with_metadata() -> None:
    p = compile_pack({
        "id": "ai", "name": "AI", "version": "1.0", "categories": {"S": "Spoofing"},
        "types": {"SE.P.X": {"parent": "GE.P", "name": "X"}},
        "threats": [{"id": "A1", "title": "{element.name} at risk", "category": "S",
                     "scope": "element", "include": "element is 'SE.P.X'", "exclude": "",
                     "likelihood": 2, "impact": 5, "atlas": ["AML.T0024.000"],
                     "atlas_mitigations": ["AML.M0002"], "owasp": ["ML04:2023", "LLM01:2025"],
                     "mitigations": ["m"], "references": ["https://example.org"],
                     "controls": [{"when": "element.x is 'Yes'", "impact": -1, "label": "x"}]}],
    }, "ai.yaml")
    (t,) = p.threats
    assert (p.id, p.name, p.builtin, t.key_rule, t.exclude) == ("ai", "AI", True, "A1", None)
    assert p.types.parents == {"SE.P.X": "GE.P"}
    assert t.gates == {"element": frozenset({"SE.P.X"})}
    assert t.atlas == ("AML.T0024.000",) and t.owasp == ("ML04:2023", "LLM01:2025")
    assert compile_pack({"id": "tmt", "threats": [dict(doc()["threats"][0])]},
                        builtin=False).threats[0].key_rule == "tmt:X-1"
