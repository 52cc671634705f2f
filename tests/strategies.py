"""Hypothesis strategies shared by the format round-trip tests: any project the domain can
hold, with every field, odd text, dangling flow ends and arbitrary rule-pack documents."""

from __future__ import annotations

from hypothesis import strategies as st

from app.domain import (
    Diagram,
    Element,
    ElementKind,
    MitigationItem,
    Point,
    Project,
    Rect,
    ThreatRecord,
    ThreatState,
    Triage,
)

text = st.text(max_size=12)
ident = st.text(min_size=1, max_size=8)
coord = st.one_of(st.integers(-10**6, 10**6),
                  st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False))
size = st.one_of(st.integers(0, 10**4), st.floats(0, 1e6, allow_nan=False))
point = st.builds(Point, coord, coord)
prop_value = st.one_of(text, st.booleans(), st.integers(-(2**63), 2**63 - 1),
                       st.floats(allow_nan=False))
props = st.dictionaries(text, prop_value, max_size=4)
extra = st.dictionaries(text, text, max_size=2)
box_kinds = [k for k in ElementKind if k.is_box]
node_kinds = [ElementKind.EXTERNAL_ENTITY, ElementKind.PROCESS, ElementKind.DATA_STORE]


@st.composite
def diagrams(draw: st.DrawFn, diagram_id: str) -> Diagram:
    d = Diagram(draw(text), diagram_id)
    ids = draw(st.lists(ident, unique=True, max_size=7))
    nodes: list[str] = []
    for eid in ids:
        kind = draw(st.sampled_from([*box_kinds, ElementKind.BOUNDARY_LINE, ElementKind.DATA_FLOW]))
        common = {"id": eid, "name": draw(text), "type_id": draw(text), "notes": draw(text),
                  "properties": draw(props), "extra": draw(extra)}
        if kind.is_box:
            d.add(Element(kind=kind, rect=Rect(draw(coord), draw(coord), draw(size), draw(size)),
                          **common))
            if kind in node_kinds:
                nodes.append(eid)
        elif kind is ElementKind.BOUNDARY_LINE:
            d.add(Element(kind=kind, points=tuple(draw(st.lists(point, min_size=2, max_size=4))),
                          **common))
        else:
            ends = {}
            for end in ("source", "target"):
                if nodes and draw(st.booleans()):
                    ends[end + "_id"] = draw(st.sampled_from(nodes))
                else:
                    ends[end + "_point"] = draw(point)
            d.add(Element(kind=kind, waypoints=tuple(draw(st.lists(point, max_size=3))),
                          label_pos=draw(st.none() | point),
                          routing=draw(st.sampled_from(["straight", "orthogonal", ""])),
                          **common, **ends))
    order = draw(st.permutations(list(d.elements)))
    d.reorder(list(order))
    return d


triages = st.builds(
    Triage, st.sampled_from(list(ThreatState)), text, st.none() | st.integers(1, 5),
    st.none() | st.integers(1, 5),
    st.lists(st.builds(MitigationItem, text, text, text, st.booleans()), max_size=2)
    .map(tuple), text, text, text)
threats = st.builds(
    ThreatRecord, ident, text, text, text, st.lists(text, max_size=2).map(tuple), text, text,
    text, text, st.integers(-3, 9), st.integers(-3, 9), st.lists(text, max_size=2).map(tuple),
    st.lists(text, max_size=2).map(tuple), extra)
json_leaf = st.none() | st.booleans() | st.integers() | text | st.floats(allow_nan=False)
documents = st.dictionaries(text, st.recursive(
    json_leaf, lambda kids: st.lists(kids, max_size=3) | st.dictionaries(text, kids, max_size=3),
    max_leaves=6), max_size=3)


@st.composite
def projects(draw: st.DrawFn) -> Project:
    p = Project(draw(text), draw(ident))
    for key in ("description", "owner", "version", "scope", "classification", "created",
                "modified"):
        setattr(p, key, draw(text))
    for key in ("reviewers", "contributors", "assumptions", "external_dependencies"):
        setattr(p, key, draw(st.lists(text, max_size=3)))
    for did in draw(st.lists(ident, unique=True, max_size=3)):
        p.add_diagram(draw(diagrams(did)))
    for t in draw(st.lists(threats, max_size=3, unique_by=lambda t: t.key)):
        p.put_threat(t)
    for key, tr in draw(st.dictionaries(ident, triages, max_size=3)).items():
        p.set_triage(key, tr)
    for key, doc in draw(st.dictionaries(ident, documents, max_size=2)).items():
        p.rule_packs[key] = doc
    p.disabled_packs = draw(st.sets(text, max_size=3))
    return p
