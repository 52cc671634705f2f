"""A hardened YAML reader: no tags, anchors, aliases or merge keys; size and depth caps;
every mapping and list remembers the line of each of its entries for error messages."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, NodeEvent, ScalarEvent

from app.domain import FileError

#: Largest model file we read, in characters (a huge diagram is a few megabytes).
MAX_CHARS = 32 * 1024 * 1024
#: Deepest nesting of lists and mappings we accept (a model file needs under 20).
MAX_DEPTH = 64

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}


class ModelFormatError(FileError):
    """A model file that is not valid: names the file, the line and what is wrong."""

    def __init__(self, path: object, reason: str, line: int | None = None) -> None:
        reason = " ".join(reason.split())  # always one line
        super().__init__(path, f"line {line}: {reason}" if line else reason)
        self.line = line


class LineDict(dict):
    """A mapping read from YAML: `line` of the mapping, `lines[key]` of each entry."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    """A list read from YAML: `line` of the list, `lines[i]` of each item."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class _Refused(yaml.YAMLError):
    """A construct this loader refuses, with its line."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


class _Resolver(yaml.resolver.Resolver):
    """YAML 1.1 implicit types, except that timestamps stay text (kept verbatim)."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _CORE + "timestamp"]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}


def _events(text: str) -> Any:
    """An event source: libyaml's parser when present (fast), else PyYAML's own."""
    try:
        from yaml.cyaml import CParser
    except ImportError:
        return yaml.SafeLoader(text)
    return CParser(text)


class _Builder:
    """Builds LineDict/LineList/scalars from parser events, refusing what we do not allow.

    Working on events (never on a composed node graph) means an alias is refused before
    anything is expanded, and nesting depth is checked as it grows.
    """

    def __init__(self) -> None:
        self.resolver = _Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        # Each open collection with, for mappings, the key waiting for its value.
        self.stack: list[tuple[LineDict | LineList, list[Any]]] = []

    def scalar(self, event: yaml.ScalarEvent, line: int) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag not in _ALLOWED_TAGS and tag != _CORE + "merge":
            raise _Refused(line, f"tags such as {tag!r} are not allowed")
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                               event.style)
        if tag == _CORE + "merge":
            return _MERGE
        return self.constructor.yaml_constructors[tag](self.constructor, node)

    def add(self, value: Any, line: int, is_scalar: bool) -> None:
        container, pending = self.stack[-1]
        if isinstance(container, LineList):
            container.append(value)
            container.lines.append(line)
            return
        if not pending:
            if value is _MERGE:
                raise _Refused(line, "merge keys (<<) are not allowed")
            if not is_scalar:
                raise _Refused(line, "a key must be plain text")
            if value in container:
                raise _Refused(line, f"duplicate key {value!r}")
            pending.append((value, line))
            return
        key, key_line = pending.pop()
        if value is _MERGE:
            value = "<<"
        container[key] = value
        container.lines[key] = key_line

    def build(self, source: Any) -> Any:
        result: Any = None
        documents = 0
        while source.check_event():
            event = source.get_event()
            line = event.start_mark.line + 1 if event.start_mark else 0
            if isinstance(event, AliasEvent):
                raise _Refused(line, f"aliases (*{event.anchor}) are not allowed")
            if isinstance(event, NodeEvent) and event.anchor is not None:
                raise _Refused(line, f"anchors (&{event.anchor}) are not allowed")
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Refused(line, "more than one YAML document (---) in the file")
                continue
            if isinstance(event, CollectionStartEvent):
                if event.tag not in (None, "!") and event.tag not in _ALLOWED_TAGS:
                    raise _Refused(line, f"tags such as {event.tag!r} are not allowed")
                if len(self.stack) >= MAX_DEPTH:
                    raise _Refused(line, f"nested more than {MAX_DEPTH} levels deep")
                coll: LineDict | LineList = (
                    LineDict() if isinstance(event, yaml.MappingStartEvent) else LineList())
                coll.line = line
                self.stack.append((coll, []))
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                done, _ = self.stack.pop()
                if self.stack:
                    self.add(done, done.line, False)
                else:
                    result = done
                continue
            if isinstance(event, ScalarEvent):
                value = self.scalar(event, line)
                if self.stack:
                    self.add(value, line, True)
                else:
                    result = None if value is _MERGE else value
        return result


_MERGE = object()


def load_data(text: str, path: object) -> Any:
    """Parse YAML text into LineDict/LineList/scalars; any problem is a ModelFormatError."""
    if len(text) > MAX_CHARS:
        raise ModelFormatError(path, f"file is larger than {MAX_CHARS // (1024 * 1024)} MB")
    source = None
    try:
        source = _events(text)
        return _Builder().build(source)
    except _Refused as err:
        raise ModelFormatError(path, err.reason, err.line) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = " ".join(str(x) for x in (err.context, err.problem) if x) or "invalid YAML"
        raise ModelFormatError(path, f"invalid YAML: {what}",
                               mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as err:
        line = text[: err.position].count("\n") + 1 if isinstance(err.position, int) else None
        raise ModelFormatError(path, f"character {err.character!r} is not allowed in YAML "
                                     f"({err.reason})", line) from None
    except (yaml.YAMLError, ValueError, TypeError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ModelFormatError(path, f"invalid YAML: {first}") from None
    finally:
        dispose = getattr(source, "dispose", None)
        if dispose is not None:
            dispose()


def plain(value: Any) -> Any:
    """The same data with LineDict/LineList turned into plain dicts and lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
