"""Qt item models over the analysis findings: a table model, and a filter proxy whose
filters are computed in one Python pass (so 10,000 findings filter and sort quickly)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from app.domain import Finding, Severity, ThreatState

COLUMNS = ("Severity", "State", "Threat", "Category", "Element", "ATLAS", "OWASP", "Rule")
SEV, STATE, TITLE, CATEGORY, ELEMENT, ATLAS, OWASP, RULE = range(len(COLUMNS))
FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
SEVERITY_COLORS = {Severity.CRITICAL: "#b71c1c", Severity.HIGH: "#e65100",
                   Severity.MEDIUM: "#b8860b", Severity.LOW: "#2e7d32"}
_Index = QModelIndex | QPersistentModelIndex


def element_label(f: Finding, names: Mapping[str, str]) -> str:
    """The elements a finding concerns, by name (a flow threat: 'source → target')."""
    labels = [names.get(i) or i for i in f.element_ids]
    if len(labels) == 3:
        return f"{labels[0]} → {labels[2]} ({labels[1]})"
    return ", ".join(labels)


class ThreatsModel(QAbstractTableModel):
    """One row per finding; `FINDING_ROLE` returns the Finding itself."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.findings: list[Finding] = []
        self.names: dict[str, str] = {}
        self._element_text: list[str] = []

    def set_findings(self, findings: Sequence[Finding], names: Mapping[str, str]) -> None:
        """Replace the rows (the panel restores the selection by key)."""
        self.beginResetModel()
        self.findings = list(findings)
        self.names = dict(names)
        self._element_text = [element_label(f, self.names) for f in self.findings]
        self.endResetModel()

    def finding(self, row: int) -> Finding:
        return self.findings[row]

    def row_of(self, key: str) -> int:
        for i, f in enumerate(self.findings):
            if f.key == key:
                return i
        return -1

    def element_text(self, row: int) -> str:
        return self._element_text[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.findings)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        f = self.findings[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(f, index.row(), col)
        if role == FINDING_ROLE:
            return f
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == SEV:
                return QColor(SEVERITY_COLORS[f.severity])
            if not f.is_open:
                return QColor("#808080")
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == TITLE:
                return f.description or f.title
            if col == ELEMENT:
                return self._element_text[index.row()]
            if not f.applies and col == STATE:
                return "The rule no longer matches the model; the triage is kept."
        return None

    def _text(self, f: Finding, row: int, col: int) -> str:
        if col == SEV:
            return f"{f.severity.label} ({f.likelihood}×{f.impact})"
        if col == STATE:
            return f.state.label + ("" if f.applies else " (stale)")
        if col == TITLE:
            return f.title
        if col == CATEGORY:
            return f.category
        if col == ELEMENT:
            return self._element_text[row]
        if col == ATLAS:
            return ", ".join(f.atlas)
        if col == OWASP:
            return ", ".join(f.owasp)
        return f.rule_id or f.origin

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python with one key per row (severity sorts by rank, then likelihood)."""
        keys: dict[int, Callable[[int], object]] = {
            SEV: lambda i: (self.findings[i].severity.rank,
                            self.findings[i].likelihood * self.findings[i].impact),
            STATE: lambda i: list(ThreatState).index(self.findings[i].state),
        }
        key = keys.get(column, lambda i: self._text(self.findings[i], i, column).lower())
        rows = sorted(range(len(self.findings)), key=key,
                      reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        self.findings = [self.findings[i] for i in rows]
        self._element_text = [self._element_text[i] for i in rows]
        where = {r: n for n, r in enumerate(rows)}
        self.changePersistentIndexList(
            old, [self.index(where[i.row()], i.column()) for i in old])
        self.layoutChanged.emit()


@dataclass
class ThreatFilter:
    """What the filter bar asks for; empty fields match everything."""

    severity: str = ""
    state: str = ""  # a ThreatState value, or "open"
    category: str = ""
    tactic: str = ""  # an ATLAS tactic id (needs `technique_tactics`)
    technique: str = ""
    owasp: str = ""
    text: str = ""
    element_ids: frozenset[str] = frozenset()
    technique_tactics: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def accepts(self, f: Finding, element_text: str) -> bool:
        if self.severity and f.severity.value != self.severity:
            return False
        if self.state == "open":
            if not f.is_open:
                return False
        elif self.state and f.state.value != self.state:
            return False
        if self.category and f.category != self.category:
            return False
        if self.technique and not any(t == self.technique or t.startswith(self.technique + ".")
                                      for t in f.atlas):
            return False
        if self.tactic and not any(self.tactic in self.technique_tactics.get(t, ())
                                   for t in f.atlas):
            return False
        if self.owasp and self.owasp not in f.owasp:
            return False
        if self.element_ids and self.element_ids.isdisjoint(f.element_ids):
            return False
        if self.text:
            hay = " ".join((f.title, f.description, f.category, f.rule_id, element_text,
                            *f.atlas, *f.owasp)).lower()
            return all(word in hay for word in self.text.lower().split())
        return True


class ThreatsFilterProxy(QSortFilterProxyModel):
    """Filters a ThreatsModel; sorting is delegated to the source model's fast sort."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.filter = ThreatFilter()
        self._accepted: list[bool] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_filter(self, flt: ThreatFilter) -> None:
        self.filter = flt
        self.refilter()

    def refilter(self) -> None:
        """Recompute which rows pass (one pass in Python), then let Qt re-map."""
        src = self.sourceModel()
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+
            self.beginFilterChange()
        if isinstance(src, ThreatsModel):
            flt = self.filter
            self._accepted = [flt.accepts(f, src.element_text(i))
                              for i, f in enumerate(src.findings)]
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def setSourceModel(self, model: QAbstractTableModel) -> None:  # type: ignore[override]
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self._before_reset)
        model.modelReset.connect(self._after_reset)

    def _before_reset(self) -> None:
        self._accepted = []

    def _after_reset(self) -> None:
        src = self.sourceModel()
        if self._sort is not None and isinstance(src, ThreatsModel):
            src.sort(*self._sort)
        self.refilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        acc = self._accepted
        return acc[source_row] if source_row < len(acc) else True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        src = self.sourceModel()
        if column < 0 or not isinstance(src, ThreatsModel):
            return
        self._sort = (column, order)
        src.sort(column, order)
        self.refilter()

    def visible_findings(self) -> list[Finding]:
        src = self.sourceModel()
        assert isinstance(src, ThreatsModel)
        return [src.finding(self.mapToSource(self.index(r, 0)).row())
                for r in range(self.rowCount())]
