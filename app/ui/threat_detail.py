"""The threat detail editor: the analyst's triage of one finding. Every edit is one undoable
SetTriage command; typing into one field merges into a single undo step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.commands import RemoveThreat, SetTriage
from app.domain import Finding, MitigationItem, Project, ThreatState, Triage, now_iso
from app.domain import severity_for as _severity_for
from app.domain.atlas import AtlasCatalog
from app.ui.threats_model import SEVERITY_COLORS
from app.ui.undo import UndoController

SOURCE_ROLE = Qt.ItemDataRole.UserRole + 2


def _set_text(w: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Show model text without firing an edit, and without moving the cursor needlessly."""
    current = w.text() if isinstance(w, QLineEdit) else w.toPlainText()
    if current != text:
        w.blockSignals(True)
        if isinstance(w, QLineEdit):
            w.setText(text)
        else:
            w.setPlainText(text)
        w.blockSignals(False)


def checklist(f: Finding, t: Triage, atlas: AtlasCatalog | None) -> list[MitigationItem]:
    """The rule's mitigations, the ATLAS mitigations and the analyst's own, with ticks."""
    done = {(m.source, m.ref or m.text): m.done for m in t.mitigations}
    items = [MitigationItem(text, "rule", "", done.get(("rule", text), False))
             for text in f.mitigations]
    for mid in f.atlas_mitigations:
        name = atlas.name(mid) if atlas is not None else ""
        items.append(MitigationItem(f"{mid} {name}".strip(), "atlas", mid,
                                    done.get(("atlas", mid), False)))
    items.extend(m for m in t.mitigations if m.source == "custom")
    return items


class ThreatDetail(QWidget):
    """Edits the triage of the finding shown; `sig_delete` asks to remove a custom threat."""

    sig_changed = Signal()

    def __init__(self, project: Project, undo: UndoController,
                 atlas: Callable[[], AtlasCatalog | None] = lambda: None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo = undo
        self.atlas = atlas
        self.finding: Finding | None = None
        self._base: dict[str, tuple[int, int]] = {}
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state = QComboBox()
        for s in ThreatState:
            self.state.addItem(s.label, s.value)
        self.justification = QPlainTextEdit()
        self.justification.setPlaceholderText("Why this state? (evidence, ticket, decision)")
        self.justification.setFixedHeight(60)
        self.likelihood = self._level_box()
        self.impact = self._level_box()
        self.severity = QLabel()
        self.mitigations = QListWidget()
        self.mitigations.setMinimumHeight(110)
        self.mitigations.setWordWrap(True)
        self.new_mitigation = QLineEdit()
        self.new_mitigation.setPlaceholderText("Add a mitigation and press Enter")
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("Who acts on it")
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Notes")
        self.notes.setFixedHeight(60)
        self.delete_button = QPushButton("Delete custom threat")
        self.delete_button.clicked.connect(self._delete)
        risk = QHBoxLayout()
        for label, box in (("Likelihood", self.likelihood), ("Impact", self.impact)):
            risk.addWidget(QLabel(label))
            risk.addWidget(box)
        risk.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("State", self.state)
        form.addRow("Justification", self.justification)
        form.addRow("Risk", risk)
        form.addRow("Severity", self.severity)
        form.addRow("Mitigations", self.mitigations)
        form.addRow("", self.new_mitigation)
        form.addRow("Owner", self.owner)
        form.addRow("Notes", self.notes)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.header)
        lay.addLayout(form)
        lay.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignRight)
        self.state.currentIndexChanged.connect(self._state_edited)
        self.justification.textChanged.connect(
            lambda: self._edit("justification", justification=self.justification.toPlainText()))
        self.owner.textEdited.connect(lambda text: self._edit("owner", owner=text))
        self.notes.textChanged.connect(
            lambda: self._edit("notes", notes=self.notes.toPlainText()))
        self.likelihood.valueChanged.connect(self._risk_edited)
        self.impact.valueChanged.connect(self._risk_edited)
        self.mitigations.itemChanged.connect(self._mitigations_edited)
        self.new_mitigation.returnPressed.connect(self._add_mitigation)
        self.show_finding(None)

    @staticmethod
    def _level_box() -> QSpinBox:
        box = QSpinBox()
        box.setRange(0, 5)
        box.setSpecialValueText("rule")
        box.setToolTip("Override the rule's level (1–5); 'rule' keeps the rule's")
        return box

    # -- showing -------------------------------------------------------------------------
    def triage(self) -> Triage:
        f = self.finding
        return self.project.triage.get(f.key, Triage()) if f is not None else Triage()

    def show_finding(self, f: Finding | None) -> None:
        self.finding = f
        for w in self.findChildren(QWidget):
            if w is not self.header:
                w.setEnabled(f is not None)
        if f is None:
            self.header.setText("<i>Select a threat to triage it.</i>")
            self.delete_button.hide()
            for w in (self.justification, self.owner, self.notes):
                _set_text(w, "")
            self.mitigations.clear()
            self.severity.clear()
            return
        self.delete_button.setVisible(f.origin == "custom")
        self._remember_base(f)
        self.refresh()

    def refresh(self) -> None:
        """Show the stored triage (after an edit, an undo or a re-analysis)."""
        f = self.finding
        if f is None:
            return
        t = self.triage()
        self.header.setText(self._header_html(f))
        self.state.blockSignals(True)
        self.state.setCurrentIndex(self.state.findData(t.state.value))
        self.state.blockSignals(False)
        _set_text(self.justification, t.justification)
        _set_text(self.owner, t.owner)
        _set_text(self.notes, t.notes)
        for box, value in ((self.likelihood, t.likelihood), (self.impact, t.impact)):
            box.blockSignals(True)
            box.setValue(value or 0)
            box.blockSignals(False)
        self._show_severity()
        self.mitigations.blockSignals(True)
        self.mitigations.clear()
        for m in checklist(f, t, self.atlas()):
            prefix = {"rule": "", "atlas": "ATLAS: ", "custom": "Own: "}.get(m.source, "")
            it = QListWidgetItem(prefix + m.text)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if m.done else Qt.CheckState.Unchecked)
            it.setData(SOURCE_ROLE, m)
            self.mitigations.addItem(it)
        self.mitigations.blockSignals(False)

    def _remember_base(self, f: Finding) -> None:
        """Keep the rule's levels (a finding without an override carries them)."""
        t = self.triage()
        lk, im = self._base.get(f.key, (f.likelihood, f.impact))
        self._base[f.key] = (f.likelihood if t.likelihood is None else lk,
                             f.impact if t.impact is None else im)

    def _show_severity(self) -> None:
        f = self.finding
        assert f is not None
        t = self.triage()
        base_lk, base_im = self._base.get(f.key, (f.likelihood, f.impact))
        lk = t.likelihood or base_lk
        im = t.impact or base_im
        sev = _severity_for(lk, im)
        self.severity.setText(f"→ <b style='color:{SEVERITY_COLORS[sev]}'>{sev.label}</b> "
                              f"({lk} × {im})")

    def _header_html(self, f: Finding) -> str:
        atlas = self.atlas()
        sev = f.severity
        grey = "color:#6b7280"
        bits = [f"<div style='font-size:11pt; font-weight:600'>{escape(f.title)}</div>",
                f"<div><span style='color:{SEVERITY_COLORS[sev]}; font-weight:600'>"
                f"{sev.label}</span> · {escape(f.category or 'Uncategorised')} · "
                f"<span style='{grey}'>{escape(f.rule_id or f.origin)}"
                f"{' · ' + escape(f.pack) if f.pack else ''}</span></div>"]
        if f.description:
            bits.append(f"<p style='margin-top:4px'>{escape(f.description)}</p>")
        refs = []
        if f.atlas:
            names = [f"{t} {atlas.name(t)}".strip() if atlas else t for t in f.atlas]
            refs.append("<b>ATLAS</b> " + escape(", ".join(names)))
        if f.owasp:
            refs.append("<b>OWASP</b> " + escape(", ".join(f.owasp)))
        if refs:
            bits.append("<div>" + "<br>".join(refs) + "</div>")
        if f.reasons:
            bits.append(f"<div style='{grey}'><i>Why: " + escape("; ".join(f.reasons))
                        + "</i></div>")
        if f.controls:
            bits.append(f"<div style='{grey}'>Controls: " + escape("; ".join(f.controls))
                        + "</div>")
        return "".join(bits)

    # -- editing -------------------------------------------------------------------------
    def _edit(self, hint: str, **changes: object) -> None:
        f = self.finding
        if f is None:
            return
        new = replace(self.triage(), **changes, modified=now_iso())  # type: ignore[arg-type]
        if new != self.triage():
            self.undo.push(SetTriage(self.project, f.key, new, hint))
            self.sig_changed.emit()

    def _state_edited(self, _index: int) -> None:
        self._edit("state", state=ThreatState(self.state.currentData()))

    def _risk_edited(self, _value: int) -> None:
        self._edit("risk", likelihood=self.likelihood.value() or None,
                   impact=self.impact.value() or None)
        if self.finding is not None:
            self._show_severity()

    def _items(self) -> list[MitigationItem]:
        out = []
        for i in range(self.mitigations.count()):
            it = self.mitigations.item(i)
            m: MitigationItem = it.data(SOURCE_ROLE)
            out.append(replace(m, done=it.checkState() == Qt.CheckState.Checked))
        return out

    def _stored(self, items: list[MitigationItem]) -> tuple[MitigationItem, ...]:
        """What the triage keeps: ticked items and every custom one."""
        return tuple(m for m in items if m.done or m.source == "custom")

    def _mitigations_edited(self, _item: QListWidgetItem) -> None:
        self._edit("mitigations", mitigations=self._stored(self._items()))

    def _add_mitigation(self) -> None:
        text = self.new_mitigation.text().strip()
        if not text or self.finding is None:
            return
        items = [*self._items(), MitigationItem(text, "custom")]
        self.new_mitigation.clear()
        self._edit("mitigation_added", mitigations=self._stored(items))
        self.refresh()

    def _delete(self) -> None:
        f = self.finding
        if f is not None and f.key in self.project.threats:
            self.undo.push(RemoveThreat(self.project, f.key))
            self.show_finding(None)
