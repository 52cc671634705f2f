"""Commands on diagrams, project metadata, rule-pack settings, stored threats and triage."""

from __future__ import annotations

from typing import Any

from app.commands.base import Command
from app.domain import Diagram, Project, ThreatRecord, Triage


class AddDiagram(Command):
    def __init__(self, project: Project, diagram: Diagram, index: int | None = None) -> None:
        self.project = project
        self.diagram = diagram
        self.index = index
        self.label = f"Add diagram {diagram.name!r}"

    def do(self) -> None:
        self.project.add_diagram(self.diagram, self.index)

    def undo(self) -> None:
        self.project.remove_diagram(self.diagram.id)


class RemoveDiagram(Command):
    def __init__(self, project: Project, diagram_id: str) -> None:
        self.project = project
        self.diagram_id = diagram_id
        self.index = 0
        self.diagram: Diagram | None = None
        self.label = f"Remove diagram {project.diagram(diagram_id).name!r}"

    def do(self) -> None:
        self.index, self.diagram = self.project.remove_diagram(self.diagram_id)

    def undo(self) -> None:
        assert self.diagram is not None
        self.project.add_diagram(self.diagram, self.index)


class RenameDiagram(Command):
    def __init__(self, project: Project, diagram_id: str, name: str) -> None:
        self.project = project
        self.diagram_id = diagram_id
        self.name = name
        self.old: str | None = None
        self.label = f"Rename diagram to {name!r}"

    def do(self) -> None:
        old = self.project.rename_diagram(self.diagram_id, self.name)
        if self.old is None:
            self.old = old

    def undo(self) -> None:
        self.project.rename_diagram(self.diagram_id, self.old or "")


class MoveDiagram(Command):
    def __init__(self, project: Project, diagram_id: str, new_index: int) -> None:
        self.project = project
        self.diagram_id = diagram_id
        self.new_index = new_index
        self.old_index = 0
        self.label = "Reorder diagrams"

    def do(self) -> None:
        self.old_index = self.project.move_diagram(self.diagram_id, self.new_index)

    def undo(self) -> None:
        self.project.move_diagram(self.diagram_id, self.old_index)


class SetProjectInfo(Command):
    """Edit one metadata field; typing into the same field merges."""

    def __init__(self, project: Project, field_name: str, value: Any) -> None:
        self.project = project
        self.field_name = field_name
        self.value = value
        self.old: Any = None
        self._has_old = False
        self.merge_id = f"info:{field_name}"
        self.label = f"Edit {field_name.replace('_', ' ')}"

    def do(self) -> None:
        old = self.project.set_info(self.field_name, self.value)
        if not self._has_old:
            self.old, self._has_old = old, True

    def undo(self) -> None:
        self.project.set_info(self.field_name, self.old)

    def merge_with(self, other: Command) -> bool:
        if not isinstance(other, SetProjectInfo) or other.field_name != self.field_name:
            return False
        self.value = other.value
        return True


class SetPackEnabled(Command):
    def __init__(self, project: Project, pack_id: str, enabled: bool) -> None:
        self.project = project
        self.pack_id = pack_id
        self.enabled = enabled
        self.was = True
        self.label = f"{'Enable' if enabled else 'Disable'} rule pack {pack_id}"

    def do(self) -> None:
        self.was = self.project.set_pack_enabled(self.pack_id, self.enabled)

    def undo(self) -> None:
        self.project.set_pack_enabled(self.pack_id, self.was)


class PutRulePack(Command):
    """Add, replace or (with None) remove one of the project's own rule packs."""

    def __init__(self, project: Project, pack_id: str, document: dict | None,
                 label: str = "Edit rule pack") -> None:
        self.project = project
        self.pack_id = pack_id
        self.document = document
        self.old: dict | None = None
        self.label = label

    def do(self) -> None:
        self.old = self.project.put_rule_pack(self.pack_id, self.document)

    def undo(self) -> None:
        self.project.put_rule_pack(self.pack_id, self.old)


class PutThreat(Command):
    """Add or edit a custom threat."""

    def __init__(self, project: Project, record: ThreatRecord, label: str = "Edit threat") -> None:
        self.project = project
        self.record = record
        self.old: ThreatRecord | None = None
        self.label = label

    def do(self) -> None:
        self.old = self.project.put_threat(self.record)

    def undo(self) -> None:
        if self.old is None:
            self.project.remove_threat(self.record.key)
        else:
            self.project.put_threat(self.old)


class RemoveThreat(Command):
    def __init__(self, project: Project, key: str) -> None:
        self.project = project
        self.key = key
        self.old: ThreatRecord | None = None
        self.old_triage: Triage | None = None
        self.label = "Delete threat"

    def do(self) -> None:
        self.old_triage = self.project.triage.get(self.key)
        self.old = self.project.remove_threat(self.key)
        if self.old_triage is not None:
            self.project.set_triage(self.key, None)

    def undo(self) -> None:
        if self.old is not None:
            self.project.put_threat(self.old)
        if self.old_triage is not None:
            self.project.set_triage(self.key, self.old_triage)


class SetTriage(Command):
    """Change the triage of one threat; edits of the same threat's same field merge."""

    def __init__(self, project: Project, key: str, triage: Triage,
                 field_hint: str = "triage") -> None:
        self.project = project
        self.key = key
        self.triage = triage
        self.old: Triage | None = None
        self._has_old = False
        self.merge_id = f"triage:{key}:{field_hint}"
        self.label = f"Triage: {field_hint.replace('_', ' ')}"

    def do(self) -> None:
        old = self.project.set_triage(self.key, self.triage)
        if not self._has_old:
            self.old, self._has_old = old, True

    def undo(self) -> None:
        self.project.set_triage(self.key, self.old)

    def merge_with(self, other: Command) -> bool:
        if not isinstance(other, SetTriage) or other.merge_id != self.merge_id:
            return False
        self.triage = other.triage
        return True
