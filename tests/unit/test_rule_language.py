"""The rule expression language: TMT filters parse, errors point at the column, fuzzing."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.language import And, Atom, Not, Or, RuleSyntaxError, atoms, parse, to_text

_FILTER = re.compile(r"<(?:\w+:)?(Include|Exclude)>(.*?)</(?:\w+:)?\1>", re.S)


def corpus_filters(shared: Path) -> list[tuple[str, str]]:
    """Every generation filter (include and exclude) in the shared .tm7/.tb7 corpus."""
    out: dict[str, str] = {}
    files = sorted((shared / "corpus" / "tm7").glob("*.tm7"))
    files += sorted((shared / "corpus" / "tb7").glob("*.tb7"))
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        for m in _FILTER.finditer(text):
            expr = html.unescape(m.group(2))
            if expr.strip():
                out.setdefault(expr, f.name)
    return sorted((v, k) for k, v in out.items())


def test_every_filter_in_the_tmt_corpus_parses(shared_dir: Path) -> None:
    filters = corpus_filters(shared_dir)
    if not filters:
        pytest.skip("no .tm7/.tb7 files in the shared corpus")
    assert len(filters) > 100
    failures = []
    for name, expr in filters:
        try:
            ast = parse(expr)
        except RuleSyntaxError as err:
            failures.append(f"{name}: {err}")
            continue
        # Writing back and parsing again gives the same tree.
        assert parse(to_text(ast)) == ast
    assert not failures, "\n".join(failures[:5])


def test_tmt_forms() -> None:
    ast = parse("(source is 'GE.EI' or source is 'GE.P') and target is 'SE.P.TMCore.WebApp' "
                "and flow crosses 'GE.TB.B'")
    assert ast == And((
        Or((Atom("is_type", "source", "GE.EI"), Atom("is_type", "source", "GE.P"))),
        Atom("is_type", "target", "SE.P.TMCore.WebApp"),
        Atom("crosses", "flow", "GE.TB.B"),
    ))
    assert parse("flow.isEncrypted is 'No'") == Atom("prop_is", "flow", "No", "isEncrypted")
    guid = "target.Azure_Cosmos.d69db950-2372-4bd3-8328-f751f0b04c03"
    assert parse(f"{guid} is 'False'") == Atom(
        "prop_is", "target", "False", "Azure_Cosmos.d69db950-2372-4bd3-8328-f751f0b04c03")


def test_keywords_are_case_insensitive_and_whitespace_is_free() -> None:
    a = parse("source is 'A' OR\n\t target IS 'B'   AND  NOT flow.x Is 'y'")
    b = parse("source is 'A' or (target is 'B' and not flow.x is 'y')")
    assert a == b
    assert parse("Source is 'A'") == Atom("is_type", "source", "A")


def test_precedence_not_over_and_over_or() -> None:
    ast = parse("not source is 'A' and target is 'B' or flow is 'C'")
    assert isinstance(ast, Or)
    assert isinstance(ast.items[0], And)
    assert isinstance(ast.items[0].items[0], Not)


def test_values_with_spaces_and_parentheses() -> None:
    ast = parse("not target.p is 'Allow access from selected networks (excluding Azure)'")
    assert ast == Not(Atom("prop_is", "target", "Allow access from selected networks "
                                                 "(excluding Azure)", "p"))
    assert parse('element.x is "a \'quoted\' b"') == Atom("prop_is", "element", "a 'quoted' b",
                                                          "x")


def test_extension_atoms() -> None:
    text = ("element receives from 'ai.data_source.public' and element sends to 'GE.DS' and "
            "element fed by 'GE.EI' and element feeds 'ai.llm' and element reachable from "
            "untrusted and element receives across boundary and upstream.validates_input is "
            "'No' and downstream.x is set and element.y is not set and element.z is not 'q' "
            "and element inside 'GE.TB.B' and element inside trusted and element is not 'GE.DS'")
    ops = [a.op for a in atoms(parse(text))]
    assert ops == ["receives_from", "sends_to", "fed_by", "feeds", "reachable_untrusted",
                   "receives_across", "prop_is", "prop_set", "prop_set", "prop_is", "inside",
                   "inside_trusted", "is_type"]
    assert parse("flow crosses boundary") == Atom("crosses_any", "flow")


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("source is", 10, "end of expression"),
        ("source iz 'x'", 8, "unexpected character"),
        ("(source is 'a'", 15, "end of expression"),
        ("source is 'a' and and target is 'b'", 19, "unexpected"),
        ("source is 'a' target is 'b'", 15, "unexpected"),
        ("source is 'unterminated", 11, "unexpected character"),
        ("   ", 1, "empty"),
    ],
)
def test_syntax_errors_give_the_column_and_a_caret(text: str, column: int, words: str) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        parse(text)
    err = info.value
    assert err.column == column
    assert words in str(err)
    lines = str(err).splitlines()
    assert lines[-1].index("^") - 2 == column - 1  # caret under the column


def test_multiline_errors_name_the_line() -> None:
    with pytest.raises(RuleSyntaxError) as info:
        parse("source is 'a' and\n  target 'b'")
    assert info.value.line == 2 and info.value.column == 10
    assert "line 2" in str(info.value)


_VOCAB = st.sampled_from([
    "source", "target", "flow", "element", "is", "not", "and", "or", "OR", "(", ")",
    "'GE.P'", "'x y'", "crosses", "boundary", "fed", "by", "from", "untrusted", "source.p",
    "upstream.q", "set", "'", '"', "reachable", "inside", "\n", "é", "\x00",
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_VOCAB, max_size=12).map(" ".join)))
def test_fuzz_parse_gives_a_tree_or_a_syntax_error(text: str) -> None:
    try:
        ast = parse(text)
    except RuleSyntaxError as err:
        assert 1 <= err.column <= len(text) + 1
        return
    assert isinstance(ast, Atom | And | Or | Not)
    assert parse(to_text(ast)) == ast
