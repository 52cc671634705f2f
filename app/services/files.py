"""Open and save projects in any supported file format, chosen by the file name's ending.

Each format is one row of FORMATS; the reader and writer are named as "module:function"
and imported only when used, so `info model.tc.yaml` never loads SQLAlchemy or lxml.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain import FileError, Project


@dataclass(frozen=True, slots=True)
class FileFormat:
    """One file format: its name, file-name endings, and reader/writer ("module:function")."""

    name: str
    suffixes: tuple[str, ...]
    reader: str
    writer: str | None = None  # None: import only

    def load(self, path: Path) -> Project:
        return _resolve(self.reader)(path)

    def save(self, project: Project, path: Path) -> None:
        if self.writer is None:
            raise FileError(path, f"{self.name} files can be imported but not written; "
                                  f"save as one of: {', '.join(writable_suffixes())}")
        _resolve(self.writer)(project, path)


#: Supported formats; add one line per format (reader(path) -> Project, writer(project, path)).
FORMATS: tuple[FileFormat, ...] = (
    FileFormat("ThreatCanvas YAML model", (".tc.yaml", ".yaml", ".yml"),
               "app.io.yaml_format:read", "app.io.yaml_format:write"),
    FileFormat("ThreatCanvas project", (".tcm",), "app.store:read", "app.store:write"),
    FileFormat("Microsoft Threat Modeling Tool model", (".tm7",), "app.io.tm7:read_tm7"),
)


def _resolve(ref: str) -> Callable[..., Any]:
    module, _, func = ref.partition(":")
    return getattr(importlib.import_module(module), func)


def all_suffixes() -> list[str]:
    return [s for f in FORMATS for s in f.suffixes]


def writable_suffixes() -> list[str]:
    return [s for f in FORMATS if f.writer is not None for s in f.suffixes]


def format_for(path: str | os.PathLike[str]) -> FileFormat:
    """The format a file name asks for (longest matching ending); FileError when none."""
    name = Path(path).name.lower()
    best: tuple[int, FileFormat] | None = None
    for fmt in FORMATS:
        for suffix in fmt.suffixes:
            if name.endswith(suffix) and (best is None or len(suffix) > best[0]):
                best = (len(suffix), fmt)
    if best is None:
        raise FileError(path, f"unknown file type; supported: {', '.join(all_suffixes())}")
    return best[1]


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read a project from any supported file; raises FileError with a clear reason."""
    p = Path(path)
    fmt = format_for(p)
    if not p.exists():
        raise FileError(p, "file not found")
    return fmt.load(p)


def save_project(project: Project, path: str | os.PathLike[str]) -> None:
    """Write a project in the format its file name asks for (atomically, per format)."""
    p = Path(path)
    format_for(p).save(project, p)
