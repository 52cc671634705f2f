"""Mutation fuzzing of a real .tm7: any damage gives a clean Tm7Error, never a crash or hang."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from app.domain import Project
from app.io.tm7 import Tm7Error, read_tm7

SAMPLE = "tris790__tm8__dummy.tm7"
SNIPPETS = [b"<", b">", b"&", b"&amp;", b"<!DOCTYPE x>", b"<!ENTITY a 'b'>", b"]]>", b"\x00",
            b"\xff\xfe", b"</a:Value>", b"<a:Value>", b"-1", b"NaN", b"1e999", b"\xc3\x28",
            b"00000000-0000-0000-0000-000000000000", b"GE.TB.L", b"StencilEllipse"]


class Sample:
    """The sample file's bytes and tree (with a short repr for hypothesis reports)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.root = etree.fromstring(data)

    def __repr__(self) -> str:
        return f"<{SAMPLE}>"


@pytest.fixture
def sample(shared_dir: Path) -> Sample:
    """Built once per test function; hypothesis then runs every example against it."""
    path = shared_dir / "corpus" / "tm7" / SAMPLE
    if not path.exists():
        pytest.skip("no tm7 corpus")
    return Sample(path.read_bytes())


def _import(tmp: Path, data: bytes) -> None:
    f = tmp / "fuzz.tm7"
    f.write_bytes(data)
    start = time.perf_counter()
    try:
        result = read_tm7(f)
        assert isinstance(result, Project)
    except Tm7Error as err:
        assert str(err).startswith(str(f))
    assert time.perf_counter() - start < 5.0


byte_edits = st.lists(
    st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate"]),
              st.floats(0, 1), st.integers(0, 255), st.sampled_from(SNIPPETS)),
    min_size=1, max_size=4,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(edits=byte_edits)
def test_byte_mutations(sample, tmp_path: Path, edits) -> None:
    data = bytearray(sample.data)
    for op, where, byte, snippet in edits:
        if not data:
            break
        i = int(where * (len(data) - 1))
        if op == "flip":
            data[i] = byte
        elif op == "insert":
            data[i:i] = snippet
        elif op == "delete":
            del data[i:i + byte + 1]
        else:
            del data[i:]
    _import(tmp_path, bytes(data))


tree_edits = st.lists(
    st.tuples(st.sampled_from(["text", "drop", "dup", "swap"]), st.floats(0, 1),
              st.text(max_size=12),
              st.sampled_from(["DrawingSurfaceList", "ThreatInstances", "KnowledgeBase",
                               "MetaInformation", None])),
    min_size=1, max_size=5,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(edits=tree_edits)
def test_structure_mutations(sample, tmp_path: Path, edits) -> None:
    """Well-formed but wrong: replaced texts, dropped or duplicated elements."""
    root = copy.deepcopy(sample.root)
    for op, where, value, area in edits:
        top = next((c for c in root if etree.QName(c).localname == area), root)
        nodes = list(top.iter())
        node = nodes[int(where * (len(nodes) - 1))]
        parent = node.getparent()
        clean = "".join(c for c in value if c.isprintable())
        if op == "text" or parent is None:
            node.text = clean
        elif op == "drop":
            parent.remove(node)
        elif op == "dup":
            parent.insert(parent.index(node), copy.deepcopy(node))
        else:
            sibling = node.getnext()
            if sibling is not None:
                parent.insert(parent.index(node), sibling)
    _import(tmp_path, etree.tostring(root))
