"""Where the bundled data folders live, found from the installed package, never the cwd."""

from __future__ import annotations

import sys
from pathlib import Path

import app


def data_root() -> Path:
    """The folder holding `stencils/`, `templates/` and `resources/`.

    In a source checkout or editable install it is the project root (the parent of the
    `app` package); in a PyInstaller bundle it is the bundle's data folder.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(app.__file__).resolve().parent.parent


def stencils_dir() -> Path:
    return data_root() / "stencils"


def templates_dir() -> Path:
    return data_root() / "templates"


def resources_dir() -> Path:
    return data_root() / "resources"


def examples_dir() -> Path:
    return templates_dir() / "examples"


def rules_dir() -> Path:
    return templates_dir() / "rules"
