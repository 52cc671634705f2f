"""Broken stencil folders: every problem is a StencilError naming the file, line and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from app.catalog import StencilError, load_stencils
from app.domain import FileError

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"/>'
GENERICS = [("GE.EI", "external_entity"), ("GE.P", "process"), ("GE.DS", "data_store"),
            ("GE.DF", "data_flow"), ("GE.TB.B", "boundary_box"), ("GE.TB.L", "boundary_line"),
            ("GE.A", "annotation")]


def make_folder(tmp_path: Path, extra: str = "", name: str = "extra.yaml",
                generics: list[tuple[str, str]] | None = None) -> Path:
    """A valid minimal stencils folder, plus one more file with `extra` as its text."""
    folder = tmp_path / "stencils"
    (folder / "icons").mkdir(parents=True)
    (folder / "icons" / "x.svg").write_text(SVG)
    lines = ["category: Generic", "order: 1", "property_definitions:",
             "  trust_level: {type: choice, choices: [untrusted, trusted],",
             "                default: untrusted, label: Trust level, help: Trust.}",
             "stencils:"]
    for sid, kind in GENERICS if generics is None else generics:
        lines.append(f"  - {{id: {sid}, name: {sid}, kind: {kind}, icon: icons/x.svg}}")
    (folder / "generic.yaml").write_text("\n".join(lines) + "\n")
    if extra:
        (folder / name).write_bytes(textwrap.dedent(extra).encode("utf-8"))
    return folder


def broken(tmp_path: Path, extra: str, **kw: object) -> StencilError:
    folder = make_folder(tmp_path, extra, **kw)  # type: ignore[arg-type]
    with pytest.raises(StencilError) as err:
        load_stencils(folder)
    assert isinstance(err.value, FileError)
    return err.value


ONE = """\
category: Test
stencils:
  - id: t.one
    name: One
    kind: {kind}
    parent: {parent}
    icon: {icon}
"""


def one(kind: str = "process", parent: str = "GE.P", icon: str = "icons/x.svg") -> str:
    return ONE.format(kind=kind, parent=parent, icon=icon)


def test_minimal_folder_loads(tmp_path: Path) -> None:
    reg = load_stencils(make_folder(tmp_path, one()))
    assert reg["t.one"].category == "Test"
    assert reg["GE.TB.B"].properties == ()
    assert list(reg.categories()) == ["Generic", "Test"]


def test_unknown_kind(tmp_path: Path) -> None:
    err = broken(tmp_path, one(kind="proces"))
    assert err.path.endswith("extra.yaml") and err.line == 5
    assert "field 'kind'" in str(err) and "'proces'" in str(err)
    assert "data_store" in str(err)  # lists the valid kinds


def test_missing_icon_file(tmp_path: Path) -> None:
    err = broken(tmp_path, one(icon="icons/missing.svg"))
    assert err.line == 7 and "field 'icon'" in str(err) and "missing.svg" in str(err)


def test_icon_must_be_svg_inside_the_folder(tmp_path: Path) -> None:
    assert "not an .svg" in str(broken(tmp_path / "a", one(icon="icons/x.png")))
    outside = tmp_path / "b" / "evil.svg"
    outside.parent.mkdir(parents=True)
    outside.write_text(SVG)
    err = broken(tmp_path / "b", one(icon="../evil.svg"))
    assert "field 'icon'" in str(err) and "not found" in str(err)


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, one())
    (folder / "more.yaml").write_text(one())
    with pytest.raises(StencilError) as err:
        load_stencils(folder)
    assert err.value.path.endswith("more.yaml") and err.value.line == 3
    assert "duplicate id" in str(err.value) and "extra.yaml" in str(err.value)


def test_unknown_parent(tmp_path: Path) -> None:
    err = broken(tmp_path, one(parent="GE.Nope"))
    assert err.line == 6 and "field 'parent'" in str(err) and "GE.Nope" in str(err)


def test_parent_cycle(tmp_path: Path) -> None:
    err = broken(tmp_path, """\
        stencils:
          - {id: t.a, name: A, kind: process, parent: t.b, icon: icons/x.svg}
          - {id: t.b, name: B, kind: process, parent: t.a, icon: icons/x.svg}
        """)
    assert "parent cycle" in str(err) and "t.a → t.b → t.a" in str(err) and err.line == 2


def test_kind_must_match_parent(tmp_path: Path) -> None:
    err = broken(tmp_path, one(kind="data_store", parent="GE.P"))
    assert "field 'kind'" in str(err) and "GE.P" in str(err)
    err = broken(tmp_path / "g", "", generics=[*GENERICS[:1], ("GE.P", "data_store"),
                                               *GENERICS[2:]])
    assert "generic type GE.P is a process" in str(err)


def test_generic_types_are_required(tmp_path: Path) -> None:
    err = broken(tmp_path, "", generics=GENERICS[:-1])
    assert "GE.A" in str(err) and err.line is None


def test_bad_choice_default(tmp_path: Path) -> None:
    err = broken(tmp_path, one() + """\
    properties:
      - {key: exposure, type: choice, choices: [internet, internal], default: everyone}
""")
    assert err.line == 9 and "field 'default'" in str(err) and "'everyone'" in str(err)
    assert "exposure" in str(err)


def test_override_of_a_shared_default_is_checked(tmp_path: Path) -> None:
    err = broken(tmp_path, one() + """\
    properties:
      - {key: trust_level, default: partner}
""")
    assert err.line == 9 and "'partner' is not one of untrusted, trusted" in str(err)


@pytest.mark.parametrize(("prop", "message"), [
    ("{key: p, type: bool, default: 'no'}", "is not true or false"),
    ("{key: p, type: number, default: ten}", "is not a number"),
    ("{key: p, type: choice}", "needs field 'choices'"),
    ("{key: p, type: text, choices: [a]}", "only for choice"),
    ("{key: p, type: colour}", "unknown type 'colour'"),
    ("{key: p, type: text, widget: big}", "unknown field 'widget'"),
    ("undefined_key", "not in any property_definitions"),
    ("{type: text}", "missing field 'key'"),
])
def test_bad_property_schema(tmp_path: Path, prop: str, message: str) -> None:
    err = broken(tmp_path, one() + f"    properties:\n      - {prop}\n")
    assert message in str(err) and err.line == 9


def test_property_listed_twice(tmp_path: Path) -> None:
    err = broken(tmp_path, one() + "    properties: [trust_level, trust_level]\n")
    assert "listed twice" in str(err)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    err = broken(tmp_path, "stencils:\n  - id: t.x\n    name: [unclosed\n  - id: t.y\n")
    assert "YAML syntax error" in str(err) and err.line is not None and err.line >= 3
    assert "extra.yaml" in str(err)


@pytest.mark.parametrize(("text", "message"), [
    ("a: &x 1\nb: *x\n", "aliases"),
    ("category: A\ncategory: B\n", "duplicate key 'category'"),
    ("- just\n- a list\n", "the file must be a mapping"),
    ("stencil: []\n", "unknown field 'stencil'"),
    ("stencils: {id: x}\n", "stencils must be a list"),
    ("order: soon\n", "field 'order' must be a number"),
    ("x: !!python/object:os.system ls\n", "unsupported YAML"),
])
def test_bad_file_structure(tmp_path: Path, text: str, message: str) -> None:
    assert message in str(broken(tmp_path, text))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("size", "[0, 10]", "field 'size'"),
    ("size", "big", "field 'size'"),
    ("tags", "solo", "field 'tags' must be a list"),
    ("colour", "red", "unknown field 'colour'"),
])
def test_bad_stencil_fields(tmp_path: Path, field: str, value: str, message: str) -> None:
    assert message in str(broken(tmp_path, one() + f"    {field}: {value}\n"))


def test_bad_id_and_missing_fields(tmp_path: Path) -> None:
    assert "field 'id'" in str(broken(tmp_path / "a", one().replace("t.one", "'1 bad'")))
    err = broken(tmp_path / "b", one().replace("    parent: GE.P\n", ""))
    assert "missing field 'parent'" in str(err)
    err = broken(tmp_path / "c", one().replace("name: One", "name: ''"))
    assert "field 'name' must be non-empty text" in str(err) and err.line == 4
    err = broken(tmp_path / "d", one() + "    parent_of: x\n")
    assert "unknown field 'parent_of'" in str(err) and err.line == 8


def test_not_utf8_and_missing_folder(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (folder / "bad.yaml").write_bytes(b"category: \xff\xfe\n")
    with pytest.raises(StencilError, match=r"bad\.yaml: not UTF-8"):
        load_stencils(folder)
    with pytest.raises(StencilError, match="not found"):
        load_stencils(tmp_path / "nowhere")


def test_property_definitions_are_checked(tmp_path: Path) -> None:
    err = broken(tmp_path / "a", """\
        property_definitions:
          trust_level: {type: bool, label: Again, help: Twice.}
        """)
    assert "'trust_level' is already defined in generic.yaml" in str(err) and err.line == 2
    err = broken(tmp_path / "b", "property_definitions: [a, b]\n")
    assert "property_definitions must be a mapping" in str(err)
    err = broken(tmp_path / "c", """\
        property_definitions:
          level: {type: choice, choices: [low, high], default: medium}
        """)
    assert "property definition 'level'" in str(err) and "'medium'" in str(err)
    assert err.path.endswith("extra.yaml") and err.line == 2
