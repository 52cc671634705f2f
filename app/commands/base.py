"""Undoable commands and a plain (Qt-free) undo stack."""

from __future__ import annotations

from collections.abc import Callable, Sequence


class Command:
    """One user edit: `do` applies it (also as redo), `undo` reverts it exactly."""

    label: str = "Edit"
    #: Commands with the same non-None merge id may fold into one undo step.
    merge_id: str | None = None

    def do(self) -> None:
        raise NotImplementedError

    def undo(self) -> None:
        raise NotImplementedError

    def merge_with(self, other: Command) -> bool:
        """Absorb `other` (already done) into this step; True when merged."""
        return False


class CompositeCommand(Command):
    """Several commands applied as one undo step (paste, auto-layout, align, …)."""

    def __init__(self, label: str, children: Sequence[Command]) -> None:
        self.label = label
        self.children = list(children)

    def do(self) -> None:
        done: list[Command] = []
        try:
            for c in self.children:
                c.do()
                done.append(c)
        except Exception:
            for c in reversed(done):
                c.undo()
            raise

    def undo(self) -> None:
        for c in reversed(self.children):
            c.undo()


class UndoStack:
    """A linear history of commands with an index; what QUndoStack does, minus Qt.

    `on_change` is called after every push, undo or redo (the UI refreshes its actions).
    """

    def __init__(self, limit: int = 0, on_change: Callable[[], None] | None = None) -> None:
        self._commands: list[Command] = []
        self._index = 0
        self._limit = limit
        self._clean_index: int | None = 0
        self._on_change = on_change
        self._merge_open = True

    def push(self, command: Command) -> None:
        """Do a command and record it, merging into the previous step when allowed."""
        command.do()
        del self._commands[self._index :]
        if self._clean_index is not None and self._clean_index > self._index:
            self._clean_index = None
        top = self._commands[-1] if self._commands else None
        if (
            self._merge_open
            and top is not None
            and command.merge_id is not None
            and top.merge_id == command.merge_id
            and self._clean_index != self._index
            and top.merge_with(command)
        ):
            pass
        else:
            self._commands.append(command)
            self._index += 1
            if self._limit and len(self._commands) > self._limit:
                self._commands.pop(0)
                self._index -= 1
                if self._clean_index is not None:
                    self._clean_index -= 1
                    if self._clean_index < 0:
                        self._clean_index = None
        self._merge_open = True
        self._changed()

    def break_merge(self) -> None:
        """End the current merge run (e.g. when a field loses focus)."""
        self._merge_open = False

    def undo(self) -> bool:
        if self._index == 0:
            return False
        self._index -= 1
        self._commands[self._index].undo()
        self._merge_open = False
        self._changed()
        return True

    def redo(self) -> bool:
        if self._index >= len(self._commands):
            return False
        self._commands[self._index].do()
        self._index += 1
        self._merge_open = False
        self._changed()
        return True

    def can_undo(self) -> bool:
        return self._index > 0

    def can_redo(self) -> bool:
        return self._index < len(self._commands)

    def undo_label(self) -> str:
        return self._commands[self._index - 1].label if self._index > 0 else ""

    def redo_label(self) -> str:
        return self._commands[self._index].label if self.can_redo() else ""

    @property
    def index(self) -> int:
        return self._index

    def __len__(self) -> int:
        return len(self._commands)

    def labels(self) -> list[str]:
        return [c.label for c in self._commands]

    def set_clean(self) -> None:
        self._clean_index = self._index
        self._changed()

    def is_clean(self) -> bool:
        return self._clean_index == self._index

    def clear(self) -> None:
        self._commands.clear()
        self._index = 0
        self._clean_index = 0
        self._changed()

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()
