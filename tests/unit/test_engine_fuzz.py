"""Robustness: arbitrary pack documents and arbitrary property values never crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import Element, ElementKind, Point
from app.engine import Analyzer, PackError, RulePack, compile_pack, lint
from tests.unit.test_engine_incremental import EVERY_ATOM, base_model
from tests.unit.test_engine_support import hierarchy, real_packs

_TEXT = st.text(max_size=12)
_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-9, 9), st.floats(allow_nan=True),
                    _TEXT, st.sampled_from(["element is 'GE.P'", "element", "interaction",
                                            "AML.T0000", "ML01:2023", "source is 'GE.EI'"]))
_VALUE = st.recursive(_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)), max_leaves=8)
_FIELDS = st.sampled_from(["id", "title", "category", "scope", "include", "exclude",
                           "likelihood", "impact", "controls", "atlas", "owasp", "mitigations",
                           "types", "threats", "name"])


@settings(max_examples=200, deadline=None)
@given(st.one_of(_VALUE, st.dictionaries(_FIELDS, _VALUE, max_size=6),
                 st.fixed_dictionaries({"id": _TEXT, "threats": st.lists(
                     st.dictionaries(_FIELDS, _VALUE, max_size=8), max_size=3)})))
def test_any_pack_document_compiles_or_raises_pack_error(doc: object) -> None:
    try:
        pack = compile_pack(doc, "fuzz.yaml")
    except PackError as err:
        assert str(err).startswith("fuzz.yaml: ")
        return
    assert isinstance(pack, RulePack)


_PROP_VALUES = st.one_of(st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True,
                         allow_infinity=True), st.text(max_size=8),
                         st.sampled_from(["pickle", "internet", "pii", "trusted", "Yes", "1"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 30), st.sampled_from(
    ["authenticates", "exposure", "data_classification", "holds_secrets", "artifact_format",
     "trust_level", "payload", "validates_input", "weird-key.1"]), _PROP_VALUES), max_size=12),
       st.booleans())
def test_any_property_values_and_dangling_flows_analyse(props: list, dangling: bool) -> None:
    b = base_model()
    ids = [e.id for e in b.diagram]
    for i, key, value in props:
        b.diagram.set_property(ids[i % len(ids)], key, value)
    if dangling:
        b.diagram.add(Element("dang", ElementKind.DATA_FLOW, "GE.DF", "", source_id="n0",
                              target_point=Point(1, 1)))
    snap = b.snapshot()
    found = Analyzer([*real_packs(), EVERY_ATOM], hierarchy()).run(snap)
    assert len({f.key for f in found}) == len(found)
    assert all(1 <= f.likelihood <= 5 and 1 <= f.impact <= 5 for f in found)
    lint(snap)
