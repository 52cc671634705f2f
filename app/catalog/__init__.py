"""Loads stencils/ and templates/ as validated data."""

from app.catalog.paths import (
    data_root,
    examples_dir,
    resources_dir,
    rules_dir,
    stencils_dir,
    templates_dir,
)

__all__ = [
    "data_root",
    "examples_dir",
    "resources_dir",
    "rules_dir",
    "stencils_dir",
    "templates_dir",
]
