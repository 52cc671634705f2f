"""app.commands commands wrapped for QUndoStack, so the undo view and Qt actions work."""

from __future__ import annotations

import zlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.commands import Command
from app.domain import DomainError


class QtCommand(QUndoCommand):
    """Adapts one pure command; it was already done by `UndoController.push`."""

    def __init__(self, command: Command) -> None:
        super().__init__(command.label)
        self.command = command
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.command.do()

    def undo(self) -> None:
        self.command.undo()

    def id(self) -> int:
        mid = self.command.merge_id
        return -1 if mid is None else zlib.crc32(mid.encode()) & 0x7FFFFFFF

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, QtCommand) or other.command.merge_id != self.command.merge_id:
            return False
        merged = self.command.merge_with(other.command)
        if merged:
            self.setText(self.command.label)
        return merged


class UndoController(QObject):
    """Runs commands (errors surface here, not inside Qt) and records them on a QUndoStack."""

    sig_failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = QUndoStack(self)

    def push(self, command: Command) -> bool:
        """Do `command` and record it; a refused edit emits `sig_failed` and returns False."""
        try:
            command.do()
        except DomainError as err:
            self.sig_failed.emit(str(err))
            return False
        self.stack.push(QtCommand(command))
        return True

    def undo(self) -> None:
        self.stack.undo()

    def redo(self) -> None:
        self.stack.redo()

    def labels(self) -> list[str]:
        return [self.stack.text(i) for i in range(self.stack.count())]
