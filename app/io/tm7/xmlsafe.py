"""Hardened XML reading for Threat Modeling Tool files: no DTDs, no entities, no network,
capped size and depth, UTF-8 or UTF-16 only; elements are matched by local name."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from app.domain import FileError

#: Largest file we read; real models are a few MB (the biggest corpus file is ~1.5 MB).
MAX_BYTES = 64 * 1024 * 1024
#: Deepest element nesting we accept (TMT writes about 12 levels; libxml2 caps at 256).
MAX_DEPTH = 64

_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
_DTD_RE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)
_DTD_TEXT_RE = re.compile(r"<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)
_DECL_RE = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_OK_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "utf-16le", "utf-16be", "us-ascii", "ascii"}
_OLD_FORMATS = {
    ".tm4": "a Threat Modeling Tool 2014 model (.tm4)",
    ".tms": "an SDL Threat Modeling Tool 3 model (.tms)",
    ".tm3": "an SDL Threat Modeling Tool 3 model (.tm3)",
}


class Tm7Error(FileError):
    """A Threat Modeling Tool file (.tm7 or .tb7) that cannot be imported, and why."""


def local(tag: object) -> str:
    """The local name of an element tag ('{ns}Name' → 'Name'); '' for comments and PIs."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def kids(el: etree._Element) -> dict[str, etree._Element]:
    """The element's children by local name (the first of each name wins)."""
    out: dict[str, etree._Element] = {}
    for c in el:
        name = local(c.tag)
        if name and name not in out:
            out[name] = c
    return out


def children(el: etree._Element | None, name: str | None = None) -> Iterator[etree._Element]:
    """Child elements, optionally only those with the given local name."""
    if el is None:
        return
    for c in el:
        n = local(c.tag)
        if n and (name is None or n == name):
            yield c


def text(el: etree._Element | None, strip: bool = True) -> str:
    """The element's text ('' when absent or xsi:nil); stripped unless asked not to."""
    if el is None or el.get(_XSI_NIL) == "true":
        return ""
    t = el.text or ""
    return t.strip() if strip else t


def is_nil(el: etree._Element | None) -> bool:
    return el is None or el.get(_XSI_NIL) == "true"


def xsi_type(el: etree._Element) -> str:
    """The xsi:type of an element without its prefix ('b:ListDisplayAttribute' → 'List…')."""
    return (el.get(_XSI_TYPE) or "").rpartition(":")[2]


def _decode_check(path: Path, data: bytes) -> bytes:
    """Refuse DTD markup and unsupported encodings before the parser sees a byte; returns
    the bytes for the parser (UTF-16 without a byte-order mark gets one)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2] in (b"<\x00", b"\x00<"):
        if data.startswith(b"\xff\xfe") or data[:2] == b"<\x00":
            codec = "utf-16-le"
        else:
            codec = "utf-16-be"
        body = data[2:] if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data
        try:
            textual = body.decode(codec)
        except UnicodeDecodeError:
            raise Tm7Error(path, "is not valid UTF-16 text") from None
        if _DTD_TEXT_RE.search(textual):
            raise Tm7Error(path, "contains a DOCTYPE or entity declaration, which is refused")
        if body is data:
            return (b"\xff\xfe" if codec == "utf-16-le" else b"\xfe\xff") + data
        return data
    if data.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        raise Tm7Error(path, "is UTF-32 encoded; only UTF-8 and UTF-16 are supported")
    if _DTD_RE.search(data):
        raise Tm7Error(path, "contains a DOCTYPE or entity declaration, which is refused")
    head = data[:200].lstrip(b"\xef\xbb\xbf").decode("latin-1")
    m = _DECL_RE.match(head)
    if m and m.group(1).lower() not in _OK_ENCODINGS:
        raise Tm7Error(path, f"declares encoding {m.group(1)!r}; only UTF-8 and UTF-16 "
                             "are supported")
    return data


def _sniff(path: Path, data: bytes) -> None:
    """Name the common wrong inputs: empty, ZIP archives, binary files, non-XML text."""
    if not data.strip():
        raise Tm7Error(path, "is empty")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        raise Tm7Error(path, "is a ZIP archive, not a Threat Modeling Tool XML file "
                             "(was it renamed?)")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Tm7Error(path, "is an OLE/binary document, not a Threat Modeling Tool XML file")


def read_bytes(path: str | os.PathLike[str]) -> tuple[Path, bytes]:
    """Read a file with the size cap; unreadable files raise Tm7Error."""
    p = Path(path)
    old = _OLD_FORMATS.get(p.suffix.lower())
    if old:
        raise Tm7Error(p, f"is {old}, an older format that cannot be imported; open it in "
                          "Threat Modeling Tool 2016 or later and save it as .tm7")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise Tm7Error(p, f"is {size / 1e6:.0f} MB; the limit is {MAX_BYTES // 2**20} MB")
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except Tm7Error:
        raise
    except IsADirectoryError:
        raise Tm7Error(p, "is a folder, not a file") from None
    except FileNotFoundError:
        raise Tm7Error(p, "does not exist") from None
    except OSError as err:
        raise Tm7Error(p, f"cannot be read ({err.strerror or err})") from None
    if len(data) > MAX_BYTES:
        raise Tm7Error(p, f"is larger than {MAX_BYTES // 2**20} MB")
    return p, data


def _depth_ok(root: etree._Element) -> bool:
    """True when no element is nested deeper than MAX_DEPTH (one XPath walk, in C)."""
    return not root.xpath("boolean(" + "/*" * (MAX_DEPTH + 1) + ")")


def parse(path: str | os.PathLike[str], data: bytes | None = None,
          roots: tuple[str, ...] = ("ThreatModel",)) -> etree._Element:
    """Parse a TMT file safely and return its root element, whose local name must be one
    of `roots`; any problem raises one Tm7Error naming the file and the reason."""
    if data is None:
        p, data = read_bytes(path)
    else:
        p = Path(path)
    _sniff(p, data)
    data = _decode_check(p, data)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True, collect_ids=False,
        recover=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        line = getattr(err, "lineno", None)
        where = f" (line {line})" if line else ""
        msg = str(err.msg if getattr(err, "msg", None) else err).split(", line")[0].strip()
        if data.lstrip()[:1] not in (b"<", b"\xef", b"\xff", b"\xfe") and b"<" not in data[:64]:
            raise Tm7Error(p, "is not XML (not a Threat Modeling Tool file)") from None
        raise Tm7Error(p, f"is not well-formed XML{where}: {msg} — truncated or damaged?") from None
    except (ValueError, etree.LxmlError) as err:
        raise Tm7Error(p, f"cannot be parsed as XML: {err}") from None
    doc = root.getroottree().docinfo
    if doc.internalDTD is not None or doc.externalDTD is not None or doc.doctype:
        raise Tm7Error(p, "contains a DOCTYPE or entity declaration, which is refused")
    if not _depth_ok(root):
        raise Tm7Error(p, f"nests elements deeper than {MAX_DEPTH} levels, which is refused")
    name = local(root.tag)
    if name not in roots:
        want = " or ".join(f"<{r}>" for r in roots)
        raise Tm7Error(p, f"is XML but its root element is <{name}>, not {want}: "
                          "not a Threat Modeling Tool file of this kind")
    return root
