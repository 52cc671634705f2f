"""The threats panel: counts, a filter bar, the sortable findings table and the triage editor.
Selecting a threat asks the window to reveal its elements; canvas selection filters rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.commands import PutThreat
from app.domain import (
    Finding,
    Project,
    Severity,
    ThreatRecord,
    ThreatState,
    new_id,
    severity_for,
    threat_key,
)
from app.domain.atlas import AtlasCatalog
from app.ui.custom_threat import STRIDE, CustomThreatDialog
from app.ui.threat_detail import ThreatDetail
from app.ui.threats_model import (
    ELEMENT,
    SEVERITY_COLORS,
    ThreatFilter,
    ThreatsFilterProxy,
    ThreatsModel,
)
from app.ui.undo import UndoController

ALL = ""
_OPEN = frozenset(s for s in ThreatState if s.is_open)
_SEV_BY_SCORE = {lk * im: severity_for(lk, im) for lk in range(1, 6) for im in range(1, 6)}


def _combo(tip: str, items: Sequence[tuple[str, str]]) -> QComboBox:
    box = QComboBox()
    box.setToolTip(tip)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    box.setMinimumContentsLength(8)
    for label, data in items:
        box.addItem(label, data)
    return box


def _refill(box: QComboBox, first: str, values: Sequence[tuple[str, str]]) -> None:
    """Replace a combo's choices, keeping the current one when it is still offered."""
    keep = box.currentData()
    box.blockSignals(True)
    box.clear()
    box.addItem(first, ALL)
    for label, data in values:
        box.addItem(label, data)
    i = box.findData(keep)
    box.setCurrentIndex(max(0, i))
    box.blockSignals(False)


class ThreatsPanel(QWidget):
    """Findings table + filters + detail; emits `sig_reveal(diagram_id, element_ids)`."""

    sig_reveal = Signal(str, object)

    def __init__(self, project: Project, undo: UndoController,
                 atlas: AtlasCatalog | None = None,
                 selected_elements: Callable[[], tuple[str, list[str]]] = lambda: ("", []),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo = undo
        self.atlas = atlas
        self.selected_elements = selected_elements
        self._tactics_of: dict[str, tuple[str, ...]] = {}
        if atlas is not None:
            from app.ui.atlas_browser import technique_tactics

            self._tactics_of = technique_tactics(atlas)
        self._syncing = False
        self._key = ""
        self._keep = ""
        self._quiet = False
        self._pending_select = ""
        self._canvas_ids: frozenset[str] = frozenset()
        self.model = ThreatsModel(self)
        self.detail = ThreatDetail(project, undo, lambda: self.atlas, self)
        self.proxy = ThreatsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.model.modelAboutToBeReset.connect(self._before_reset)
        self.model.modelReset.connect(self._after_reset)
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.counts.setWordWrap(True)
        self.severity = _combo("Severity", [("All severities", ALL)]
                               + [(s.label, s.value) for s in Severity])
        self.state = _combo("Triage state", [("All states", ALL), ("Open", "open")]
                            + [(s.label, s.value) for s in ThreatState])
        self.category = _combo("STRIDE or pack category", [("All categories", ALL)])
        self.tactic = _combo("ATLAS tactic", [("All tactics", ALL)])
        self.technique = _combo("ATLAS technique", [("All techniques", ALL)])
        self.owasp = _combo("OWASP ML/LLM Top 10 id", [("All OWASP", ALL)])
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search threats…")
        self.search.setClearButtonEnabled(True)
        self.follow = QCheckBox("Selected elements only")
        self.follow.setToolTip("Show only threats of the elements selected on the canvas")
        self.follow.setChecked(True)
        self.add_button = QPushButton("Add threat…")
        self.add_button.setToolTip("Add a custom threat to the selected elements")
        self.add_button.clicked.connect(self.add_custom_dialog)
        bar1 = QHBoxLayout()
        for w in (self.search, self.severity, self.state, self.category):
            bar1.addWidget(w)
        bar1.setStretch(0, 1)
        bar2 = QHBoxLayout()
        for w in (self.tactic, self.technique, self.owasp, self.follow):
            bar2.addWidget(w)
        bar2.addStretch(1)
        bar2.addWidget(self.add_button)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        for col, width in enumerate((112, 124, 330, 150, 210, 120, 100, 80)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(bar1)
        ll.addLayout(bar2)
        ll.addWidget(self.table, 1)
        split.addWidget(left)
        scroll = QScrollArea()
        scroll.setWidget(self.detail)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setMinimumWidth(380)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.counts)
        lay.addWidget(split, 1)
        for box in (self.severity, self.state, self.category, self.tactic, self.technique,
                    self.owasp):
            box.currentIndexChanged.connect(self._filters_changed)
        self.search.textChanged.connect(self._filters_changed)
        self.follow.toggled.connect(self._filters_changed)
        self._update_counts()

    # -- data ----------------------------------------------------------------------------
    def set_findings(self, findings: Sequence[Finding], names: Mapping[str, str]) -> None:
        """New analysis results; the selected threat stays selected (by key)."""
        self.model.set_findings(findings, names)
        self._update_counts()
        # the filter choices follow on the next turn of the event loop (a 5,000-element
        # model has 17,000 findings: splitting the work keeps each step short)
        QTimer.singleShot(0, self, lambda fs=findings: self._refill_filters(fs))

    def _before_reset(self) -> None:
        self._keep = self._key

    def _after_reset(self) -> None:
        """Rows were replaced (results, filter or sort): keep the threat selected."""
        key, self._keep = self._keep, ""
        if key and self.select_key(key, reveal=False):
            f = self.current_finding()
            if f is not None and (self.detail.finding is None or self.detail.finding != f):
                self.detail.show_finding(f)
            return
        self._key = ""
        self.detail.show_finding(None)

    def _refill_filters(self, findings: Sequence[Finding]) -> None:
        cats = sorted({f.category for f in findings if f.category},
                      key=lambda c: (c not in STRIDE, STRIDE.index(c) if c in STRIDE else 0, c))
        _refill(self.category, "All categories", [(c, c) for c in cats])
        techs = sorted({t for f in findings for t in f.atlas})
        cat = self.atlas
        _refill(self.technique, "All techniques",
                [(f"{t} {cat.name(t)}".strip() if cat else t, t) for t in techs])
        tactics = [tid for tid in (cat.tactics if cat else {})
                   if any(tid in self._tactics_of.get(t, ()) for t in techs)]
        _refill(self.tactic, "All tactics",
                [(f"{cat.name(t)}" if cat else t, t) for t in tactics])
        _refill(self.owasp, "All OWASP",
                [(o, o) for o in sorted({o for f in findings for o in f.owasp})])

    def current_filter(self) -> ThreatFilter:
        return ThreatFilter(
            severity=self.severity.currentData() or "", state=self.state.currentData() or "",
            category=self.category.currentData() or "", tactic=self.tactic.currentData() or "",
            technique=self.technique.currentData() or "", owasp=self.owasp.currentData() or "",
            text=self.search.text().strip(),
            element_ids=self._canvas_ids if self.follow.isChecked() else frozenset(),
            technique_tactics=self._tactics_of)

    def _filters_changed(self, *_args: object) -> None:
        self.proxy.set_filter(self.current_filter())
        self._update_counts()

    def set_canvas_selection(self, ids: Sequence[str]) -> None:
        """The canvas selection changed: filter by it when following it."""
        if self._syncing:
            return
        self._canvas_ids = frozenset(ids)
        if self.follow.isChecked():
            self._filters_changed()

    def _update_counts(self) -> None:
        fs = self.model.findings
        by_state = {s: 0 for s in ThreatState}
        by_sev = {s: 0 for s in Severity}
        for f in fs:
            by_state[f.state] += 1
            if f.applies and f.state in _OPEN:
                by_sev[_SEV_BY_SCORE.get(f.likelihood * f.impact) or f.severity] += 1
        sev = " ".join(f"<span style='color:{SEVERITY_COLORS[s]}'>■</span> {s.label} "
                       f"<b>{n}</b>&nbsp;&nbsp;" for s, n in by_sev.items())
        st = " · ".join(f"{s.label} <b>{n}</b>" for s, n in by_state.items())
        shown = self.proxy.rowCount()
        self.counts.setText(f"<b>{len(fs)}</b> threats ({shown} shown) — open by severity: "
                            f"{sev}<br>{st}")

    # -- selection -----------------------------------------------------------------------
    def current_finding(self) -> Finding | None:
        idx = self.table.selectionModel().currentIndex()
        if not idx.isValid() or not self.table.selectionModel().isSelected(idx):
            return None
        return self.model.finding(self.proxy.mapToSource(idx).row())

    def current_key(self) -> str:
        f = self.current_finding()
        return f.key if f is not None else ""

    def select_key(self, key: str, reveal: bool = True) -> bool:
        row = self.model.row_of(key)
        if row < 0:
            return False
        idx = self.proxy.mapFromSource(self.model.index(row, 0))
        if not idx.isValid():
            return False
        self._quiet = True
        try:
            flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                     | QItemSelectionModel.SelectionFlag.Rows)
            self.table.selectionModel().setCurrentIndex(idx, flags)
            self.table.scrollTo(idx)
        finally:
            self._quiet = False
        self._key = key
        if reveal:
            self._activate(self.current_finding())
        return True

    def _row_changed(self, current, _previous) -> None:  # type: ignore[no-untyped-def]
        f = self.model.finding(self.proxy.mapToSource(current).row()) \
            if current.isValid() else None
        self._key = f.key if f is not None else ""
        if not self._quiet:
            self._activate(f)

    def _activate(self, f: Finding | None) -> None:
        """Show a threat in the editor and reveal its elements on the canvas."""
        self.detail.show_finding(f)
        if f is not None:
            self._syncing = True
            try:
                self.sig_reveal.emit(f.diagram_id, list(f.path or f.element_ids))
            finally:
                self._syncing = False

    # -- custom threats ------------------------------------------------------------------
    def add_custom_dialog(self) -> CustomThreatDialog:
        diagram_id, ids = self.selected_elements()
        names = ", ".join(self.model.names.get(i, i) for i in ids)
        dlg = CustomThreatDialog(self, names)
        dlg.accepted.connect(lambda: self.add_custom(
            dlg.title.text().strip() or "Custom threat", dlg.category.currentText(),
            dlg.description.toPlainText(), dlg.likelihood.value(), dlg.impact.value(),
            diagram_id, ids))
        dlg.open()
        return dlg

    def add_custom(self, title: str, category: str, description: str, likelihood: int,
                   impact: int, diagram_id: str, element_ids: Sequence[str]) -> str:
        key = threat_key(f"CUSTOM-{new_id()[:8]}", list(element_ids))
        rec = ThreatRecord(key=key, title=title, category=category, description=description,
                           element_ids=tuple(element_ids), diagram_id=diagram_id,
                           pack="custom", origin="custom", likelihood=likelihood,
                           impact=impact)
        self.undo.push(PutThreat(self.project, rec, f"Add threat {title!r}"))
        self._pending_select = key
        return key

    def focus_pending(self) -> None:
        """After re-analysis, select a threat just added by hand."""
        key = self._pending_select
        if key and self.select_key(key):
            self._pending_select = ""

    def element_column_text(self, row: int) -> str:
        return str(self.proxy.index(row, ELEMENT).data())
