"""Project files (`.tcm`): one SQLite file per project, crash-safe, incremental, versioned.

The only package that imports SQLAlchemy. `ProjectStore` is the repository; `read` and
`write` are the plain load/save pair used by the file-format dispatch table.

A window typically does::

    store, project = ProjectStore.open(path)     # StoreError: one clear message
    store.watch(project)                         # queue the project's events
    ...                                          # edits through commands
    store.apply(project)                         # on save / after a pause: one transaction
    store.close()                                # one self-contained file again

and `ProjectStore.save_as(project, other_path)` (atomic) for "Save as", then
`ProjectStore.open(other_path)`. `store.read_only` says whether edits can be saved.
"""

from __future__ import annotations

import os

from app.domain import Project
from app.store.dbfile import StoreError
from app.store.repository import ProjectStore
from app.store.schema import APPLICATION_ID, SCHEMA_VERSION

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "ProjectStore", "StoreError", "read", "write"]


def read(path: str | os.PathLike[str]) -> Project:
    """Load a whole project from a `.tcm` file (opened read-only, then closed)."""
    store, project = ProjectStore.open(path, read_only=True)
    store.close()
    return project


def write(project: Project, path: str | os.PathLike[str]) -> None:
    """Save a whole project as a `.tcm` file, atomically."""
    ProjectStore.save_as(project, path)
