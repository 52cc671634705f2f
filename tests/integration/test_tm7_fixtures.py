"""The importer on small hand-written fixtures: every mapped field, and clean refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain import ElementKind, Point, Rect, Severity, ThreatState
from app.io.tm7 import Tm7Error, read_tb7, read_tm7

DATA = Path(__file__).resolve().parent.parent / "data" / "tm7"
PACK = "tmt-tiny-kb"
EI, P, BOX, NOTE = (f"e0000000-0000-0000-0000-00000000000{c}" for c in "abcd")
F1, F2, LINE = (f"f0000000-0000-0000-0000-00000000000{c}" for c in "123")


@pytest.fixture(scope="module")
def project():
    return read_tm7(DATA / "minimal.tm7")


def test_metadata_and_notes(project) -> None:
    assert project.name == "Web shop"
    assert project.owner == "Ann"
    assert project.reviewers == ["Carol"]
    assert project.contributors == ["Ann, Bob"]
    assert project.assumptions == ["Users have modern browsers."]
    assert project.external_dependencies == ["Payment provider"]
    assert project.description.startswith("A small web shop.")
    assert "[2024-01-02T03:04:05, ann] First draft" in project.description


def test_diagram_and_drawing_order(project) -> None:
    (d,) = project.diagrams
    assert d.id == "d0000000-0000-0000-0000-000000000001"
    assert d.name == "Context diagram"
    assert list(d.elements) == [EI, P, BOX, NOTE, F1, F2, LINE]


def test_stencils_types_geometry_and_properties(project) -> None:
    d = project.diagrams[0]
    ei, p = d.get(EI), d.get(P)
    assert ei.kind is ElementKind.EXTERNAL_ENTITY and ei.type_id == "SE.EI.TMCore.Browser"
    assert ei.rect == Rect(10.5, 20.0, 110.25, 100.0)
    assert ei.name == "Customer browser"
    assert ei.properties == {"71f3d9aa-b8ef-4e54-8126-607a1d903103": "false",
                             "authenticatesItself": "Yes"}
    assert ei.extra["tmt.type_name"] == "Browser"
    raw = json.loads(ei.extra["tmt.attributes"])
    assert ["ListDisplayAttribute", "Authenticates Itself", "authenticatesItself",
            ["Not Applicable", "No", "Yes"], "2"] in raw
    # whitespace around values (pretty-printed files) is not part of the value
    assert p.kind is ElementKind.PROCESS and p.name == "Shop web app"
    assert p.type_id == "SE.P.TMCore.WebApp" and p.properties == {"codeType": "Managed"}
    assert d.get(BOX).kind is ElementKind.BOUNDARY_BOX
    assert d.get(NOTE).kind is ElementKind.ANNOTATION and d.get(NOTE).name == "TLS everywhere"


def test_flows_connected_and_dangling(project) -> None:
    d = project.diagrams[0]
    f1, f2 = d.get(F1), d.get(F2)
    assert (f1.source_id, f1.target_id) == (EI, P)
    assert f1.source_point is None and f1.target_point is None
    assert f1.waypoints == (Point(200.0, 60.0),)
    assert f1.type_id == "SE.DF.TMCore.HTTPS" and f1.properties == {"authenticatesSource": "No"}
    assert f1.extra["tmt.PortSource"] == "East"
    assert f2.source_id == P and f2.target_id is None
    assert f2.target_point == Point(400.5, 380.0)


def test_line_boundary(project) -> None:
    line = project.diagrams[0].get(LINE)
    assert line.kind is ElementKind.BOUNDARY_LINE and line.type_id == "SE.TB.L.TMCore.Internet"
    assert line.points == (Point(180, 0), Point(180, 150), Point(180, 300))


def test_threats_and_triage(project) -> None:
    ids = (EI, F1, P)
    s1 = project.threats[f"{PACK}:S1@" + ",".join(ids)]
    assert s1.rule_id == "S1" and s1.pack == PACK and s1.origin == "imported"
    assert s1.element_ids == ids and s1.diagram_id == project.diagrams[0].id
    assert s1.title == "Spoofing of Customer browser" and s1.category == "Spoofing"
    assert s1.description == "Customer browser may be spoofed."
    assert s1.severity is Severity.HIGH and s1.extra["tmt.id"] == "7"
    tri = project.triage[s1.key]
    assert tri.state is ThreatState.MITIGATED and tri.justification == "Login with MFA."
    t1 = project.threats[f"{PACK}:T1@" + ",".join(ids)]
    assert t1.severity is Severity.LOW
    assert project.triage[t1.key].state is ThreatState.NEEDS_INVESTIGATION


def test_knowledge_base_pack(project) -> None:
    pack = project.rule_packs[PACK]
    assert pack["id"] == PACK and pack["name"] == "Tiny KB" and pack["version"] == "1.2.3"
    # a TMT type with a clear ThreatCanvas stencil descends from it (and so from GE.P)
    assert pack["types"]["SE.P.TMCore.WebApp"] == {"parent": "generic.web_app",
                                                   "name": "Web Application"}
    assert pack["types"]["SE.EI.TMCore.Browser"] == {"parent": "GE.EI", "name": "Browser"}
    assert "GE.P" not in pack["types"]  # generic types are built in everywhere
    # a type the model uses but the KB forgot still descends from its generic type
    assert pack["types"]["SE.DF.TMCore.HTTPS"]["parent"] == "GE.DF"
    assert pack["categories"] == {"S": "Spoofing", "T": "Tampering"}
    s1, t1 = pack["threats"]
    assert s1 == {
        "id": "S1", "title": "Spoofing of {source.name}", "category": "Spoofing",
        "scope": "interaction", "include": "source is 'GE.EI' and flow crosses 'GE.TB.B'",
        "exclude": "flow.authenticatesSource is 'Yes'", "likelihood": 4, "impact": 4,
        "description": "{source.name} may be spoofed.",
    }
    assert t1["title"] == "Tampering with {flow.name}" and "exclude" not in t1


def test_utf16_imports_like_utf8(project) -> None:
    other = read_tm7(DATA / "utf16.tm7")
    assert other.counts() == project.counts()
    assert [e for _, e in other.iter_elements()] == [e for _, e in project.iter_elements()]


def test_read_tb7_accepts_a_model(project) -> None:
    assert read_tb7(DATA / "minimal.tm7")["threats"] == project.rule_packs[PACK]["threats"]


@pytest.mark.parametrize(("name", "reason"), [
    ("truncated.tm7", "not well-formed XML"),
    ("zipped.tm7", "ZIP archive"),
    ("old_format.tm4", "older format"),
    ("not_xml.tm7", "not XML"),
    ("wrong_root.tm7", "root element is <svg>"),
    ("missing.tm7", "does not exist"),
])
def test_bad_files_raise_one_clear_error(name: str, reason: str) -> None:
    with pytest.raises(Tm7Error) as info:
        read_tm7(DATA / name)
    assert reason in str(info.value)
    assert str(info.value).startswith(str(DATA / name))


def test_empty_file_and_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty.tm7"
    empty.write_bytes(b"")
    with pytest.raises(Tm7Error, match="is empty"):
        read_tm7(empty)
    with pytest.raises(Tm7Error, match="folder"):
        read_tm7(tmp_path)


def test_tms_is_named_as_older_format(tmp_path: Path) -> None:
    old = tmp_path / "model.tms"
    old.write_bytes(b"<ThreatModel/>")
    with pytest.raises(Tm7Error, match=r"SDL Threat Modeling Tool 3 model \(\.tms\)"):
        read_tm7(old)


def test_bad_numbers_and_types_are_clean_errors(tmp_path: Path) -> None:
    src = (DATA / "minimal.tm7").read_text(encoding="utf-8")
    cases = {
        "<Left>10.5</Left>": ("<Left>ten</Left>", "not a number"),
        "<Width>110.25</Width>": ("<Width>-5</Width>", "negative size"),
        "<Top>20</Top><Width>110.25": ("<Top>nan</Top><Width>110.25", "not a finite number"),
        "<b:State>Mitigated</b:State>": ("<b:State>Pondering</b:State>", "unknown state"),
        'i:type="StencilEllipse">\n<GenericTypeId xmlns="http://schemas.datacontract.org/'
        '2004/07/ThreatModeling.Model.Abstracts">\n   GE.P':
        ('i:type="Blob">\n<GenericTypeId xmlns="http://schemas.datacontract.org/'
         '2004/07/ThreatModeling.Model.Abstracts">\n   XX', "unknown type"),
    }
    for old, (new, reason) in cases.items():
        assert old in src
        bad = tmp_path / "bad.tm7"
        bad.write_text(src.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(Tm7Error, match=reason):
            read_tm7(bad)


@pytest.mark.parametrize(("bom", "codec"), [(b"\xfe\xff", "utf-16-be"), (b"\xef\xbb\xbf", "utf-8"),
                                            (b"", "utf-16-le")])
def test_other_unicode_forms(tmp_path: Path, project, bom: bytes, codec: str) -> None:
    text = (DATA / "minimal.tm7").read_text(encoding="utf-8")
    f = tmp_path / "enc.tm7"
    f.write_bytes(bom + text.encode(codec))
    assert read_tm7(f).counts() == project.counts()


def test_dangling_ends_are_flagged_by_validation(project) -> None:
    lint = pytest.importorskip("app.engine.lint")
    flagged = {e for m in lint.lint(project.snapshot()) for e in m.element_ids
               if m.code == "flow-missing-end"}
    assert F2 in flagged and F1 not in flagged
