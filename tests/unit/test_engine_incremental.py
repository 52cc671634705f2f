"""Incremental re-analysis gives exactly the full run's result after random edits."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import Diagram, ElementKind, Rect, ThreatState, Triage, make_box, make_flow
from app.domain.events import ElementEvent
from app.engine import Analyzer, analyze
from app.engine.packs import PackError
from tests.unit.test_engine_support import ModelBuilder, hierarchy, pack, real_packs

TYPES = [("ai.data_source.public", "GE.EI"), ("actor.end_user", "GE.EI"),
         ("ai.training_data_store", "GE.DS"), ("ai.training_job", "GE.P"),
         ("ai.model_registry", "GE.DS"), ("ai.inference_endpoint", "GE.P"),
         ("ai.llm", "GE.P"), ("generic.database", "GE.DS"), ("ai.preprocessing", "GE.P")]
KIND = {"GE.EI": ElementKind.EXTERNAL_ENTITY, "GE.P": ElementKind.PROCESS,
        "GE.DS": ElementKind.DATA_STORE}
PROPS = {"authenticates": [True, False], "artifact_format": ["pickle", "onnx"],
         "exposure": ["internet", "internal"], "validates_input": [True, False],
         "data_classification": ["pii", "public"], "holds_secrets": [True],
         "encrypts_in_transit": [True, False], "trust_level": ["trusted", "untrusted"]}

EVERY_ATOM = pack(
    {"include": "element is 'GE.P' and element.authenticates is 'No'",
     "exclude": "element.validates_input is 'Yes'", "title": "{element.name}",
     "controls": [{"when": "element.exposure is 'internal'", "likelihood": -1, "label": "c"}]},
    {"include": "element fed by 'ai.data_source.public' and not element inside trusted"},
    {"include": "element feeds 'ai.inference_endpoint' or element sends to 'GE.DS'"},
    {"include": "element reachable from untrusted and element is 'ai.model_registry'"},
    {"include": "element receives across boundary or element receives from 'GE.EI'"},
    {"include": "upstream.artifact_format is 'pickle' or downstream.holds_secrets is set"},
    {"include": "upstream.encrypts_in_transit is 'Yes' and element is 'GE.DS'"},
    {"include": "element inside 'GE.TB.B' and element.data_classification is 'pii'"},
    {"scope": "interaction", "title": "{source.name}→{target.name} {flow.name}",
     "include": "flow crosses boundary and not flow.encrypts_in_transit is 'Yes'"},
    {"scope": "interaction", "include": "source is 'GE.EI' and target reachable from untrusted"},
    {"scope": "interaction", "include": "upstream.exposure is 'internet' and target is 'GE.DS'"},
    {"scope": "interaction", "include": "target fed by 'ai.training_job' or source inside "
     "trusted"},
)


def base_model() -> ModelBuilder:
    b = ModelBuilder()
    b.box("outer", (100, -200, 1400, 600), trust_level="trusted")
    b.box("inner", (500, -100, 600, 300))
    for i, (t, parent) in enumerate(TYPES):
        b.node(f"n{i}", t, parent, name=f"N{i}", at=(i * 180.0, (i % 3) * 120.0))
    for i, (s, d) in enumerate([(0, 2), (2, 3), (3, 4), (4, 5), (1, 5), (1, 6), (6, 7),
                                (8, 2), (0, 8), (5, 7)]):
        b.flow(f"f{i}", f"n{s}", f"n{d}", name=f"F{i}")
    other = Diagram("Other", diagram_id="d2")  # a second page, analysed alongside
    b.project.add_diagram(other)
    other.add(make_box(ElementKind.EXTERNAL_ENTITY, "actor.end_user", "U2",
                       Rect(0, 0, 100, 50), element_id="o1"))
    other.add(make_box(ElementKind.DATA_STORE, "ai.model_registry", "Reg2",
                       Rect(300, 0, 100, 50), element_id="o2"))
    other.add(make_flow("o1", "o2", "upload", element_id="of"))
    return b


@st.composite
def edits(draw: st.DrawFn) -> list[tuple]:
    ops = []
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["prop", "prop", "rename", "add_node", "add_flow", "remove",
                                   "move", "boundary", "trust", "retype", "reconnect",
                                   "triage"]))
        ops.append((op, draw(st.integers(0, 10_000)), draw(st.integers(0, 10_000)),
                    draw(st.integers(-400, 400)), draw(st.integers(-300, 300))))
    return ops


def apply_edit(b: ModelBuilder, edit: tuple, serial: int) -> None:
    op, a, c, dx, dy = edit
    d = b.diagram
    nodes = [e for e in d if e.kind.is_node]
    flows = [e for e in d if e.is_flow]
    boxes = [e for e in d if e.kind is ElementKind.BOUNDARY_BOX]
    if op == "prop" and nodes + flows + boxes:
        e = (nodes + flows + boxes)[a % len(nodes + flows + boxes)]
        key = sorted(PROPS)[c % len(PROPS)]
        values = [*PROPS[key], None]
        d.set_property(e.id, key, values[(a + c) % len(values)])
    elif op == "rename" and nodes + flows:
        e = (nodes + flows)[a % len(nodes + flows)]
        d.rename(e.id, f"R{serial}")
    elif op == "add_node":
        t, parent = TYPES[a % len(TYPES)]
        d.add(make_box(KIND[parent], t, f"A{serial}", Rect(dx + 600, dy, 100, 50),
                       element_id=f"a{serial}"))
    elif op == "add_flow" and nodes:
        s, t = nodes[a % len(nodes)], nodes[c % len(nodes)]
        key = sorted(PROPS)[(a + c) % len(PROPS)]  # sometimes a property upstream atoms see
        props = {key: PROPS[key][0]} if c % 2 else {}
        d.add(make_flow(s.id, t.id, f"AF{serial}", properties=props, element_id=f"af{serial}"))
    elif op == "remove" and nodes + flows:
        d.remove([(nodes + flows)[a % len(nodes + flows)].id])
    elif op == "move" and nodes:
        d.translate(nodes[a % len(nodes)].id, dx, dy)
    elif op == "boundary" and boxes:
        box = boxes[a % len(boxes)]
        r = box.rect
        d.set_rect(box.id, Rect(r.x + dx, r.y + dy, max(50, r.width - dx), r.height))
    elif op == "trust" and boxes:
        d.set_property(boxes[a % len(boxes)].id, "trust_level",
                       ["trusted", "untrusted", None][c % 3])
    elif op == "retype" and nodes:
        e = nodes[a % len(nodes)]
        same = [t for t, p in TYPES if KIND[p] is e.kind]
        d.replace(e.with_changes(type_id=same[c % len(same)]))
    elif op == "reconnect" and flows and nodes:
        f = flows[a % len(flows)]
        d.reconnect(f.id, nodes[c % len(nodes)].id, None)
    elif op == "triage" and nodes:
        b.project.set_triage(f"T1@{nodes[a % len(nodes)].id}",
                             Triage(ThreatState.MITIGATED) if c % 2 else None)



def check(packs: list, ops: list[tuple]) -> None:
    b = base_model()
    changed: set[str] = set()
    b.project.subscribe(lambda ev: changed.add(ev.element_id)
                        if isinstance(ev, ElementEvent) else None)
    analyzer = Analyzer(packs, hierarchy())
    analyzer.run(b.snapshot())
    for serial, edit in enumerate(ops):
        changed.clear()
        apply_edit(b, edit, serial)
        snap = b.snapshot()
        incremental = analyzer.update(snap, changed)
        full = analyze(snap, packs, hierarchy())
        assert incremental == full, f"after {edit}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_incremental_equals_full_run_synthetic_pack(ops: list[tuple]) -> None:
    check([EVERY_ATOM], ops)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_incremental_equals_full_run_real_packs(ops: list[tuple]) -> None:
    try:
        packs = list(real_packs())
    except PackError as err:  # the packs' own tests report this
        import pytest

        pytest.skip(f"built-in packs do not compile: {err}")
    check(packs, ops)


def test_update_without_a_previous_run_is_a_full_run() -> None:
    b = base_model()
    analyzer = Analyzer([EVERY_ATOM], hierarchy())
    assert analyzer.update(b.snapshot(), ["n1"]) == analyze(b.snapshot(), [EVERY_ATOM],
                                                            hierarchy())


def test_update_with_a_missed_addition_falls_back_to_a_full_run() -> None:
    b = base_model()
    analyzer = Analyzer([EVERY_ATOM], hierarchy())
    analyzer.run(b.snapshot())
    b.diagram.add(make_flow("n1", "n3", "unreported", element_id="x1"))
    snap = b.snapshot()
    assert analyzer.update(snap, []) == analyze(snap, [EVERY_ATOM], hierarchy())
    empty = ModelBuilder().project
    empty.remove_diagram("d1")
    assert analyzer.update(empty.snapshot(), []) == []
