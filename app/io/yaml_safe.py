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


class SafeModelLoader(yaml.SafeLoader):
    """SafeLoader minus everything a model file never needs and an attacker might use."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, AliasEvent):
            raise _Refused(line, f"aliases (*{event.anchor}) are not allowed")
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise _Refused(line, f"anchors (&{event.anchor}) are not allowed")
        tag = getattr(event, "tag", None)
        if (isinstance(event, ScalarEvent | CollectionStartEvent)
                and tag not in (None, "!") and tag not in _ALLOWED_TAGS):
            raise _Refused(line, f"tags such as {tag!r} are not allowed")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(line, f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# Timestamps stay text (ISO strings are kept verbatim); everything else is YAML 1.1 as usual.
SafeModelLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _CORE + "timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_map(loader: SafeModelLoader, node: yaml.MappingNode) -> LineDict:
    out = LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if key_node.tag == _CORE + "merge":
            raise _Refused(line, "merge keys (<<) are not allowed")
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused(line, "a key must be plain text")
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise _Refused(line, f"duplicate key {key!r}")
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = line
    return out


def _construct_seq(loader: SafeModelLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList()
    out.line = node.start_mark.line + 1
    for item in node.value:
        out.append(loader.construct_object(item, deep=True))
        out.lines.append(item.start_mark.line + 1)
    return out


SafeModelLoader.add_constructor(_CORE + "map", _construct_map)
SafeModelLoader.add_constructor(_CORE + "seq", _construct_seq)


def load_data(text: str, path: object) -> Any:
    """Parse YAML text into LineDict/LineList/scalars; any problem is a ModelFormatError."""
    if len(text) > MAX_CHARS:
        raise ModelFormatError(path, f"file is larger than {MAX_CHARS // (1024 * 1024)} MB")
    loader = SafeModelLoader(text)
    try:
        return loader.get_single_data()
    except _Refused as err:
        raise ModelFormatError(path, err.reason, err.line) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = " ".join(str(x) for x in (err.context, err.problem) if x) or "invalid YAML"
        raise ModelFormatError(path, f"invalid YAML: {what}",
                               mark.line + 1 if mark else None) from None
    except yaml.YAMLError as err:
        raise ModelFormatError(path, f"invalid YAML: {err}") from None
    except RecursionError:
        raise ModelFormatError(path, "nested too deeply") from None
    finally:
        loader.dispose()


def plain(value: Any) -> Any:
    """The same data with LineDict/LineList turned into plain dicts and lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
