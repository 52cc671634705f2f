"""A small YAML reader for catalog files: safe types only, no aliases, duplicate keys
refused, and every mapping remembers the line of each key for error messages."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, SequenceNode


class LineMap(dict):
    """A mapping read from YAML: `line` of the mapping and `key_lines[key]` of each key."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineSeq(list):
    """A list read from YAML: `line` of the list and `item_lines[i]` of each item."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class YamlSyntaxError(Exception):
    """Why a text is not acceptable YAML, with the 1-based line when known."""

    def __init__(self, reason: str, line: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses ~7x faster


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that refuses aliases (catalog files never need them).

    An alias makes the composer hand the same node to the constructor twice; our
    constructors are not generators, so a second visit can only be an alias.
    """

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            raise YamlSyntaxError("aliases (*name) are not allowed", node.start_mark.line + 1)
        return super().construct_object(node, deep)


def _construct_map(loader: _Loader, node: MappingNode) -> LineMap:
    out = LineMap(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, Hashable) or isinstance(key, LineMap | LineSeq):
            raise YamlSyntaxError("a mapping key must be plain text", line)
        if key in out:
            raise YamlSyntaxError(f"duplicate key {key!r}", line)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = line
    return out


def _construct_seq(loader: _Loader, node: SequenceNode) -> LineSeq:
    out = LineSeq(node.start_mark.line + 1)
    for item in node.value:
        out.append(loader.construct_object(item, deep=True))
        out.item_lines.append(item.start_mark.line + 1)
    return out


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def parse_text(text: str) -> Any:
    """Parse one YAML document; raises YamlSyntaxError with the line of the first error."""
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except YamlSyntaxError:
        raise
    except ConstructorError as err:
        mark = err.problem_mark
        raise YamlSyntaxError(f"unsupported YAML: {err.problem}", mark.line + 1 if mark else None
                          ) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = err.problem or err.context or "not valid YAML"
        raise YamlSyntaxError(f"YAML syntax error: {what}", mark.line + 1 if mark else None
                          ) from None
    except yaml.YAMLError as err:
        raise YamlSyntaxError(f"YAML error: {err}", None) from None


def read_text(path: Path) -> str:
    """A file's text as UTF-8; raises YamlSyntaxError (line None) when it cannot be read."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise YamlSyntaxError("not UTF-8 text", None) from None
    except OSError as err:
        raise YamlSyntaxError(f"cannot read: {err.strerror or err}", None) from None
