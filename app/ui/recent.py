"""Recently opened files, kept as a small JSON list in the user data folder."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

MAX_RECENT = 10


def _file() -> Path:
    from app.catalog.atlas import user_data_dir

    return user_data_dir() / "recent.json"


def recent_files() -> list[Path]:
    """The recent files that still exist, most recent first (a damaged list is empty)."""
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    return [Path(p) for p in data if isinstance(p, str) and Path(p).exists()][:MAX_RECENT]


def add_recent(path: str | os.PathLike[str]) -> list[Path]:
    """Put a file at the top of the list; returns the new list."""
    p = Path(path).resolve()
    items = [p, *(q for q in recent_files() if q.resolve() != p)][:MAX_RECENT]
    target = _file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps([str(q) for q in items], indent=1), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only profile only loses the list, never the user's work
    return items


def clear_recent() -> None:
    with contextlib.suppress(OSError):
        _file().unlink(missing_ok=True)
