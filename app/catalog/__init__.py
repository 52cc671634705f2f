"""Loads stencils/ and templates/ as validated data."""

from app.catalog.errors import PropertyValueError, StencilError, UnknownStencilError
from app.catalog.loader import load_stencils
from app.catalog.paths import (
    data_root,
    examples_dir,
    resources_dir,
    rules_dir,
    stencils_dir,
    templates_dir,
)
from app.catalog.registry import StencilRegistry

__all__ = [
    "PropertyValueError",
    "StencilError",
    "StencilRegistry",
    "UnknownStencilError",
    "data_root",
    "examples_dir",
    "load_stencils",
    "resources_dir",
    "rules_dir",
    "stencils_dir",
    "templates_dir",
]
