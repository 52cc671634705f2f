"""Domain errors: raised when an edit would break a model invariant."""

from __future__ import annotations


class DomainError(Exception):
    """An edit that the model refuses, with a message fit for the user."""


class UnknownElementError(DomainError, KeyError):
    """No element with that id on the diagram."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown element"


class UnknownDiagramError(DomainError, KeyError):
    """No diagram with that id in the project."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown diagram"


class InvalidFlowError(DomainError):
    """A flow whose ends do not exist on its diagram, or that is not a flow."""


class FileError(Exception):
    """A file that cannot be read or written, with its path and a reason fit for the user.

    Every layer that touches files raises a subclass; the CLI and the UI show `str(err)`.
    """

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
