"""Atomic file replacement: write beside the target, flush, rename, flush the folder.

Shared by the store (.tcm) and the text formats, so a failed save never destroys the
previous good file and a new file gets the target's permissions (or the usual umask ones).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import sys
from pathlib import Path


def new_temp_file(target: Path) -> Path:
    """An empty file beside `target` for an atomic save: same folder (so the rename is
    atomic), the target's permissions when it exists, else the usual ones (umask)."""
    folder = target.parent if str(target.parent) else Path(".")
    while True:
        tmp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        break
    try:
        if hasattr(os, "fchmod"):  # not on Windows
            with contextlib.suppress(OSError):
                os.fchmod(fd, stat.S_IMODE(target.stat().st_mode))
    finally:
        os.close(fd)
    return tmp


def fsync_path(path: Path) -> None:
    """Flush a file's data to the device (F_FULLFSYNC on macOS, where fsync is weaker)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        if sys.platform == "darwin":
            import fcntl

            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
        else:
            os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where folders cannot be opened)."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_text_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8, LF) in one rename; raises OSError on failure and
    then leaves any previous file untouched."""
    tmp = new_temp_file(path)
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent if str(path.parent) else Path("."))
