"""Errors the catalog raises: a broken stencil file, an unknown stencil, a bad value."""

from __future__ import annotations

from app.domain import DomainError, FileError


class StencilError(FileError):
    """A stencil file that cannot be used: names the file, the line and the field."""

    def __init__(self, path: object, reason: str, line: int | None = None) -> None:
        super().__init__(path, f"line {line}: {reason}" if line else reason)
        self.line = line


class UnknownStencilError(DomainError, KeyError):
    """No stencil with that id in the registry."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown stencil"


class PropertyValueError(DomainError, ValueError):
    """Property values that do not fit a stencil's schema; `problems` lists each one."""

    def __init__(self, type_id: str, problems: list[str]) -> None:
        super().__init__(f"{type_id}: " + "; ".join(problems))
        self.type_id = type_id
        self.problems = problems
