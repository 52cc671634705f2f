"""The `.tc.yaml` model format (docs/model-format.md): read, write, lossless round trip.

Export → import → export is byte-identical. Reading refuses tags, anchors, aliases and
oversized files, and every error names the file, the line and what is wrong.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.common.atomic import write_text_atomic
from app.domain import DomainError, FileError, Project
from app.io.yaml_read import FORMAT, project_from_data
from app.io.yaml_safe import MAX_CHARS, ModelFormatError, load_data
from app.io.yaml_write import dump_text, project_data

__all__ = ["FORMAT", "ModelFormatError", "dumps", "loads", "read", "write"]


def dumps(project: Project) -> str:
    """The project as `.tc.yaml` text (deterministic: the same model gives the same bytes)."""
    return dump_text(project_data(project))


def loads(text: str, path: object = "<text>") -> Project:
    """A project from `.tc.yaml` text; `path` names the source in error messages."""
    return project_from_data(load_data(text, path), path)


def read(path: str | os.PathLike[str]) -> Project:
    """Read a `.tc.yaml` file; raises FileError (ModelFormatError for bad content)."""
    p = Path(path)
    try:
        if p.is_dir():
            raise FileError(p, "is a folder, not a model file")
        if p.stat().st_size > MAX_CHARS * 4:
            raise ModelFormatError(p, f"file is larger than {MAX_CHARS // (1024 * 1024)} MB")
        data = p.read_bytes()
    except FileNotFoundError:
        raise FileError(p, "file not found") from None
    except PermissionError:
        raise FileError(p, "permission denied") from None
    except OSError as err:
        raise FileError(p, f"cannot read: {err.strerror or err}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ModelFormatError(p, "not UTF-8 text (is this a YAML model file?)", line) from None
    if "\x00" in text:
        raise ModelFormatError(p, "binary data, not a YAML model file")
    return loads(text, p)


def write(project: Project, path: str | os.PathLike[str]) -> None:
    """Write atomically: a temporary file beside the target, then one rename.

    A failure leaves any previous file at `path` untouched.
    """
    p = Path(path)
    try:
        text = dumps(project)
    except DomainError as err:
        raise FileError(p, f"cannot save: {err}") from None
    try:
        write_text_atomic(p, text)
    except FileNotFoundError:
        raise FileError(p, "folder does not exist") from None
    except PermissionError:
        raise FileError(p, "permission denied") from None
    except OSError as err:
        raise FileError(p, f"cannot write: {err.strerror or err}") from None
