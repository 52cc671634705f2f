"""Hostile input: DTDs, entities, odd encodings, deep nesting, huge files — refused fast."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.io.tm7 import Tm7Error, read_tb7, read_tm7, xmlsafe

DATA = Path(__file__).resolve().parent.parent / "data" / "tm7"


@pytest.fixture
def no_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the XML parser is ever reached."""
    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("the parser must not see this file")

    monkeypatch.setattr(xmlsafe.etree, "fromstring", boom)


@pytest.mark.parametrize("name", ["xxe.tm7", "billion_laughs.tm7"])
@pytest.mark.parametrize("reader", [read_tm7, read_tb7])
def test_dtd_files_refused_fast_before_parsing(name: str, reader, no_parser) -> None:
    start = time.perf_counter()
    with pytest.raises(Tm7Error, match="DOCTYPE or entity declaration"):
        reader(DATA / name)
    assert time.perf_counter() - start < 1.0


def test_xxe_in_utf16_is_refused(tmp_path: Path, no_parser) -> None:
    f = tmp_path / "xxe16.tm7"
    f.write_bytes(b"\xff\xfe" + (DATA / "xxe.tm7").read_text().encode("utf-16-le"))
    with pytest.raises(Tm7Error, match="DOCTYPE"):
        read_tm7(f)


def test_other_declared_encodings_are_refused(tmp_path: Path, no_parser) -> None:
    f = tmp_path / "utf7.tm7"
    f.write_bytes(b'<?xml version="1.0" encoding="UTF-7"?>'
                  b"+ADw-!DOCTYPE x+AD4-<ThreatModel/>")
    with pytest.raises(Tm7Error, match="encoding 'UTF-7'"):
        read_tm7(f)


def test_parser_itself_never_expands_entities(tmp_path: Path, monkeypatch) -> None:
    """Defence in depth: with the text check switched off the parser still reads nothing."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CANARY")
    f = tmp_path / "xxe.tm7"
    f.write_text(f'<?xml version="1.0"?><!DOCTYPE ThreatModel [<!ENTITY s SYSTEM '
                 f'"file://{secret}">]><ThreatModel><MetaInformation><ThreatModelName>&s;'
                 f"</ThreatModelName></MetaInformation></ThreatModel>")
    monkeypatch.setattr(xmlsafe, "_decode_check", lambda _p, d: d)
    with pytest.raises(Tm7Error) as info:
        read_tm7(f)
    assert "DOCTYPE" in str(info.value) and "CANARY" not in str(info.value)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    for depth in (xmlsafe.MAX_DEPTH + 5, 100_000):
        f = tmp_path / f"deep{depth}.tm7"
        f.write_text("<ThreatModel>" + "<a>" * depth + "</a>" * depth + "</ThreatModel>")
        start = time.perf_counter()
        with pytest.raises(Tm7Error):
            read_tm7(f)
        assert time.perf_counter() - start < 1.0


def test_size_cap(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(xmlsafe, "MAX_BYTES", 1024)
    with pytest.raises(Tm7Error, match="limit is"):
        read_tm7(DATA / "minimal.tm7")


def test_undefined_entity_reference_is_a_clean_error(tmp_path: Path) -> None:
    f = tmp_path / "ent.tm7"
    f.write_text("<ThreatModel><Notes>&lol9;</Notes></ThreatModel>")
    with pytest.raises(Tm7Error, match="not well-formed"):
        read_tm7(f)
