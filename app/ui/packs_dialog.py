"""The rule-pack manager: enable or disable packs for this project and see their rules;
custom rules of the project's own pack are added and edited in the rule editor."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.commands import PutRulePack, SetPackEnabled
from app.domain import DomainError, FileError, Project
from app.ui.rule_editor import CUSTOM_PACK, RuleEditor, custom_pack
from app.ui.undo import UndoController

PACK_ROLE = Qt.ItemDataRole.UserRole + 5


@dataclass(frozen=True)
class PackRow:
    """What the manager shows for one pack."""

    id: str
    name: str
    origin: str  # "built-in", "project" or "graph"
    rules: tuple[tuple[str, str, str, str], ...]  # id, title, category, scope


def pack_rows(project: Project) -> list[PackRow]:
    """Built-in packs, the project's own packs, and the graph analysis."""
    from app.engine import compile_pack
    from app.services.analysis import builtin_packs

    rows: list[PackRow] = []
    try:
        packs = builtin_packs()
    except (FileError, DomainError):
        packs = []
    for p in packs:
        rows.append(PackRow(p.id, p.name, "built-in",
                            tuple((t.id, t.title, t.category, t.scope) for t in p.threats)))
    for pid, doc in project.rule_packs.items():
        try:
            p = compile_pack(doc, f"project pack {pid!r}", builtin=False)
            rules = tuple((t.id, t.title, t.category, t.scope) for t in p.threats)
            name = p.name
        except (FileError, DomainError, ValueError) as err:
            rules, name = (("", f"cannot compile: {err}", "", ""),), pid
        rows.append(PackRow(pid, name, "project", rules))
    rows.append(PackRow("graph", "Attack paths (graph analysis)", "graph",
                        (("PATH-001", "Untrusted entry point reaches a crown-jewel asset",
                          "Elevation of Privilege", "model"),)))
    return rows


class PacksDialog(QDialog):
    """Ticking a pack is one undoable SetPackEnabled; the window re-analyses."""

    def __init__(self, project: Project, undo: UndoController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rule packs")
        self.resize(980, 600)
        self.project = project
        self.undo = undo
        self.packs = QListWidget()
        self.packs.setWordWrap(True)
        self.packs.setSpacing(2)
        self.rules = QTreeWidget()
        self.rules.setHeaderLabels(["Rule", "Title", "Category", "Scope"])
        self.rules.setRootIsDecorated(False)
        for col, w in enumerate((90, 420, 160, 80)):
            self.rules.setColumnWidth(col, w)
        self.new_rule = QPushButton("New rule…")
        self.edit_rule = QPushButton("Edit rule…")
        self.delete_rule = QPushButton("Delete rule")
        self.import_pack = QPushButton("Import TMT template…")
        self.import_pack.setToolTip("Add the threat types of a Threat Modeling Tool template "
                                    "(.tb7) or model (.tm7) as a rule pack of this project")
        self.import_pack.clicked.connect(self._import_dialog)
        self.new_rule.clicked.connect(lambda: self.open_editor(""))
        self.edit_rule.clicked.connect(lambda: self.open_editor(self._current_rule()))
        self.delete_rule.clicked.connect(self._delete_rule)
        self.rules.itemDoubleClicked.connect(lambda *_: self._double_clicked())
        self.rules.currentItemChanged.connect(lambda *_: self._update_buttons())
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.pack_info = QLabel()
        rl.addWidget(self.pack_info)
        rl.addWidget(self.rules, 1)
        row = QHBoxLayout()
        for b in (self.new_rule, self.edit_rule, self.delete_rule):
            row.addWidget(b)
        row.addStretch(1)
        rl.addLayout(row)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.packs, 1)
        ll.addWidget(self.import_pack)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([300, 680])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Untick a pack to switch it off for this project."))
        lay.addWidget(split, 1)
        lay.addWidget(buttons)
        self.packs.currentRowChanged.connect(lambda _r: self._show_rules())
        self.packs.itemChanged.connect(self._toggled)
        self.editor: RuleEditor | None = None
        self.reload()

    def reload(self) -> None:
        current = self.current_pack()
        self.rows = pack_rows(self.project)
        self.packs.blockSignals(True)
        self.packs.clear()
        for r in self.rows:
            it = QListWidgetItem(f"{r.name}\n{r.id} · {r.origin} · {len(r.rules)} rules")
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            on = r.id not in self.project.disabled_packs
            it.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            it.setData(PACK_ROLE, r.id)
            self.packs.addItem(it)
        self.packs.blockSignals(False)
        ids = [r.id for r in self.rows]
        self.packs.setCurrentRow(ids.index(current) if current in ids else 0)
        self._show_rules()

    def current_pack(self) -> str:
        it = self.packs.currentItem()
        return str(it.data(PACK_ROLE)) if it is not None else ""

    def _show_rules(self) -> None:
        pid = self.current_pack()
        row = next((r for r in self.rows if r.id == pid), None)
        self.rules.clear()
        if row is None:
            return
        self.pack_info.setText(f"<b>{row.name}</b> ({row.origin})")
        for rule in row.rules:
            self.rules.addTopLevelItem(QTreeWidgetItem(list(rule)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        own = self.current_pack() == CUSTOM_PACK
        has = self.rules.currentItem() is not None
        self.edit_rule.setEnabled(own and has)
        self.delete_rule.setEnabled(own and has)

    def _current_rule(self) -> str:
        it = self.rules.currentItem()
        return it.text(0) if it is not None else ""

    def _toggled(self, item: QListWidgetItem) -> None:
        pid = str(item.data(PACK_ROLE))
        on = item.checkState() == Qt.CheckState.Checked
        if on != (pid not in self.project.disabled_packs):
            self.undo.push(SetPackEnabled(self.project, pid, on))

    def _double_clicked(self) -> None:
        if self.current_pack() == CUSTOM_PACK:
            self.open_editor(self._current_rule())

    def open_editor(self, rule_id: str) -> RuleEditor:
        self.editor = RuleEditor(self.project, self.undo, rule_id, self)
        self.editor.accepted.connect(self._rule_saved)
        self.editor.open()
        return self.editor

    def _rule_saved(self) -> None:
        self.reload()
        ids = [r.id for r in self.rows]
        if CUSTOM_PACK in ids:
            self.packs.setCurrentRow(ids.index(CUSTOM_PACK))

    def _import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import TMT template", "", "TMT templates and models (*.tb7 *.tm7)")
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> bool:
        """Add a .tb7/.tm7 knowledge base as one of the project's packs (one undo step)."""
        from app.io.tm7 import read_tb7

        try:
            doc = read_tb7(path)
        except (FileError, DomainError) as err:
            QMessageBox.warning(self, "Cannot import template", str(err))
            return False
        self.undo.push(PutRulePack(self.project, doc["id"], doc,
                                   f"Import rule pack {doc.get('name') or doc['id']}"))
        self.reload()
        ids = [r.id for r in self.rows]
        if doc["id"] in ids:
            self.packs.setCurrentRow(ids.index(doc["id"]))
        return True

    def _delete_rule(self) -> None:
        rid = self._current_rule()
        doc = custom_pack(self.project)
        doc["threats"] = [t for t in doc["threats"] if t.get("id") != rid]
        self.undo.push(PutRulePack(self.project, CUSTOM_PACK, doc if doc["threats"] else None,
                                   f"Delete rule {rid}"))
        self.reload()
