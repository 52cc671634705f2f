"""The rule editor: add or edit a custom rule in the project's own pack, with live validation
of its expressions (the error's column marked) and a preview of what it matches now."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from app.commands import PutRulePack
from app.domain import DomainError, FileError, Finding, Project
from app.ui.custom_threat import STRIDE
from app.ui.undo import UndoController

CUSTOM_PACK = "custom"


def custom_pack(project: Project) -> dict[str, Any]:
    """A copy of the project's own rule pack document (an empty one when absent)."""
    doc = project.rule_packs.get(CUSTOM_PACK)
    if doc is None:
        return {"id": CUSTOM_PACK, "name": "Project rules", "version": "1", "threats": []}
    return copy.deepcopy(doc)


def check_expression(text: str, scope: str) -> tuple[str, int]:
    """('', -1) when the expression is valid for the scope, else (message, position)."""
    from app.engine.language import RuleSyntaxError, parse
    from app.engine.predicates import ExprError, compile_expr

    if not text.strip():
        return "", -1
    try:
        compile_expr(parse(text), scope)
    except RuleSyntaxError as err:
        return f"{err.reason} at column {err.column}", err.pos
    except ExprError as err:
        return str(err), -1
    return "", -1


def _lines(text: str) -> list[str]:
    return [x.strip() for x in text.splitlines() if x.strip()]


def _ids(text: str) -> list[str]:
    return [x.strip() for x in text.replace(",", " ").split() if x.strip()]


class RuleEditor(QDialog):
    """OK stores the rule in the project's own pack with one undoable PutRulePack."""

    def __init__(self, project: Project, undo: UndoController, rule_id: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit custom rule" if rule_id else "New custom rule")
        self.resize(720, 760)
        self.project = project
        self.undo = undo
        self.original_id = rule_id
        self._types: Any = None
        self.rule_id = QLineEdit()
        self.title = QLineEdit()
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(STRIDE)
        self.scope = QComboBox()
        self.scope.addItems(["element", "interaction"])
        self.include = QPlainTextEdit()
        self.include.setPlaceholderText("e.g. element is 'GE.P' and not element.signed is 'Yes'")
        self.exclude = QPlainTextEdit()
        for w in (self.include, self.exclude):
            w.setFixedHeight(64)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.likelihood, self.impact = QSpinBox(), QSpinBox()
        for box in (self.likelihood, self.impact):
            box.setRange(1, 5)
            box.setValue(3)
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(60)
        self.mitigations = QPlainTextEdit()
        self.mitigations.setPlaceholderText("One mitigation per line")
        self.mitigations.setFixedHeight(60)
        self.atlas = QLineEdit()
        self.atlas.setPlaceholderText("AML.T0010, AML.T0018")
        self.owasp = QLineEdit()
        self.owasp.setPlaceholderText("ML06:2023, LLM03:2025")
        self.preview = QListWidget()
        self.preview_label = QLabel("Preview")
        form = QFormLayout(self)
        for label, w in (("Rule id", self.rule_id), ("Title", self.title),
                         ("Category", self.category), ("Scope", self.scope),
                         ("Applies when", self.include), ("Unless", self.exclude),
                         ("", self.status), ("Likelihood", self.likelihood),
                         ("Impact", self.impact), ("Description", self.description),
                         ("Mitigations", self.mitigations), ("ATLAS techniques", self.atlas),
                         ("OWASP ids", self.owasp), (self.preview_label, self.preview)):
            form.addRow(label, w)  # type: ignore[arg-type]
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self.update_preview)
        self._load(rule_id)
        for sig in (self.include.textChanged, self.exclude.textChanged, self.title.textChanged,
                    self.rule_id.textChanged, self.atlas.textChanged, self.owasp.textChanged,
                    self.scope.currentIndexChanged):
            sig.connect(self._edited)
        self._edited()

    def _load(self, rule_id: str) -> None:
        doc = custom_pack(self.project)
        rule = next((t for t in doc["threats"] if t.get("id") == rule_id), None)
        if rule is None:
            n = len(doc["threats"]) + 1
            taken = {t.get("id") for t in doc["threats"]}
            while f"CUSTOM-{n:03d}" in taken:
                n += 1
            self.rule_id.setText(f"CUSTOM-{n:03d}")
            self.title.setText("Custom threat to {element.name}")
            return
        self.rule_id.setText(str(rule.get("id", "")))
        self.title.setText(str(rule.get("title", "")))
        self.category.setCurrentText(str(rule.get("category", "")))
        self.scope.setCurrentText(str(rule.get("scope", "element")))
        self.include.setPlainText(str(rule.get("include", "")))
        self.exclude.setPlainText(str(rule.get("exclude", "")))
        self.likelihood.setValue(int(rule.get("likelihood", 3)))
        self.impact.setValue(int(rule.get("impact", 3)))
        self.description.setPlainText(str(rule.get("description", "")))
        self.mitigations.setPlainText("\n".join(rule.get("mitigations", []) or []))
        self.atlas.setText(", ".join(rule.get("atlas", []) or []))
        self.owasp.setText(", ".join(rule.get("owasp", []) or []))

    # -- the rule as data ----------------------------------------------------------------
    def rule(self) -> dict[str, Any]:
        r: dict[str, Any] = {
            "id": self.rule_id.text().strip(), "title": self.title.text().strip(),
            "category": self.category.currentText().strip(), "scope": self.scope.currentText(),
            "include": self.include.toPlainText().strip(),
            "likelihood": self.likelihood.value(), "impact": self.impact.value(),
        }
        for key, value in (("exclude", self.exclude.toPlainText().strip()),
                           ("description", self.description.toPlainText().strip())):
            if value:
                r[key] = value
        for key, items in (("mitigations", _lines(self.mitigations.toPlainText())),
                           ("atlas", _ids(self.atlas.text())), ("owasp", _ids(self.owasp.text()))):
            if items:
                r[key] = items
        return r

    def pack_document(self) -> dict[str, Any]:
        """The project's pack with this rule added or replacing the one being edited."""
        doc = custom_pack(self.project)
        rule = self.rule()
        threats = [t for t in doc["threats"] if t.get("id") not in (self.original_id, rule["id"])]
        doc["threats"] = [*threats, rule]
        return doc

    def validate(self) -> str:
        """'' when the rule compiles; else the first problem (expression positions marked)."""
        scope = self.scope.currentText()
        problems = []
        for name, w in (("Applies when", self.include), ("Unless", self.exclude)):
            msg, pos = check_expression(w.toPlainText(), scope)
            self._mark(w, pos)
            if msg:
                problems.append(f"{name}: {msg}")
        if problems:
            return problems[0]
        if not self.rule_id.text().strip():
            return "The rule needs an id."
        from app.engine import compile_pack

        try:
            compile_pack(self.pack_document(), "project pack 'custom'", builtin=False)
        except (FileError, DomainError, ValueError) as err:
            return str(err)
        return ""

    @staticmethod
    def _mark(w: QPlainTextEdit, pos: int) -> None:
        if pos < 0:
            w.setExtraSelections([])
            return
        sel = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#ffcdd2"))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor("#c62828"))
        sel.format = fmt  # type: ignore[attr-defined]
        cur = QTextCursor(w.document())
        n = len(w.toPlainText())
        start = max(0, min(pos, n - 1))
        cur.setPosition(start)
        cur.setPosition(min(n, start + 1), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cur  # type: ignore[attr-defined]
        w.setExtraSelections([sel])

    def _edited(self, *_args: object) -> None:
        self.error = self.validate()
        ok = not self.error
        self.status.setText("✔ The rule is valid." if ok else f"✖ {self.error}")
        self.status.setStyleSheet(f"color: {'#2e7d32' if ok else '#c62828'}")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        if ok:
            self.timer.start()
        else:
            self.timer.stop()
            self.preview.clear()
            self.preview_label.setText("Preview")

    # -- preview -------------------------------------------------------------------------
    def matches(self) -> list[Finding]:
        """What this rule alone finds on the project as it is now."""
        from app.engine import Analyzer, compile_pack
        from app.services.analysis import stencil_types

        if self._types is None:
            self._types = stencil_types()
        hierarchy, defaults = self._types
        doc = self.pack_document()
        doc["threats"] = [self.rule()]
        pack = compile_pack(doc, "rule preview", builtin=False)
        snap = replace(self.project.snapshot(), rule_packs={}, disabled_packs=frozenset(),
                       threats={}, triage={})
        return Analyzer([pack], hierarchy, defaults, attack_paths=False).run(snap)

    def update_preview(self) -> None:
        self.preview.clear()
        if self.validate():
            return
        try:
            found = self.matches()
        except (FileError, DomainError, ValueError) as err:
            self.preview_label.setText("Preview")
            self.preview.addItem(f"cannot preview: {err}")
            return
        self.preview_label.setText(f"Matches now ({len(found)})")
        for f in found[:500]:
            self.preview.addItem(f"{f.title}   [{f.severity.label}]")
        if not found:
            self.preview.addItem("(nothing in the current model)")

    def accept(self) -> None:
        if self.validate():
            return
        label = f"Edit rule {self.rule_id.text().strip()}" if self.original_id else \
            f"Add rule {self.rule_id.text().strip()}"
        self.undo.push(PutRulePack(self.project, CUSTOM_PACK, self.pack_document(), label))
        super().accept()

