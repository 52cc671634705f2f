"""The ATLAS browser: tactics → techniques → where they occur in this model, with the ATLAS
mitigations. Names come from the ATLAS release the user imported, else the bundled index."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import DomainError, FileError, Finding
from app.domain.atlas import AtlasCatalog, AtlasTactic, AtlasTechnique
from app.ui.threats_model import element_label

KEY_ROLE = Qt.ItemDataRole.UserRole + 3
MAX_LEAVES = 25  # threats listed per technique (a 5,000-element model has thousands)


def load_atlas_index() -> AtlasCatalog | None:
    """The imported ATLAS release (with mitigations), else the bundled compact index."""
    from app.catalog.atlas import installed_atlas

    try:
        found = installed_atlas()
    except (FileError, DomainError):
        found = None
    if found is not None:
        return found
    from app.report.atlas import load_atlas

    try:
        idx = load_atlas()
    except FileError:
        return None
    techniques = {}
    for t in idx.techniques.values():
        parent = t.id.rsplit(".", 1)[0] if t.id.count(".") == 2 else ""
        techniques[t.id] = AtlasTechnique(t.id, t.name, tuple(t.tactics), parent)
    return AtlasCatalog(idx.version, {i: AtlasTactic(i, n) for i, n in idx.tactics}, techniques)


def technique_tactics(catalog: AtlasCatalog | None) -> dict[str, tuple[str, ...]]:
    """Technique id → tactic ids (sub-techniques inherit their parent's)."""
    if catalog is None:
        return {}
    return {tid: tuple(t.id for t in catalog.tactics_of(tid)) for tid in catalog.techniques}


class AtlasBrowser(QWidget):
    """A tree of tactics and techniques; leaves are the threats of this model.
    Activating a threat emits `sig_threat_activated(key)`."""

    sig_threat_activated = Signal(str)

    def __init__(self, catalog: AtlasCatalog | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.only_present = QCheckBox("Only techniques found in this model")
        self.only_present.setChecked(True)
        self.only_present.toggled.connect(lambda _on: self._rebuild())
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["ATLAS", "Threats"])
        self.tree.setColumnWidth(0, 340)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setStyleSheet("color: palette(placeholder-text)")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.only_present)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.source)
        self.findings: list[Finding] = []
        self.names: Mapping[str, str] = {}
        self._dirty = True
        self.active = False

    def set_findings(self, findings: Sequence[Finding], names: Mapping[str, str]) -> None:
        """New results; a hidden browser rebuilds only when it is shown again."""
        self.findings = [f for f in findings if f.atlas]
        self.names = names
        self._dirty = True
        if self.active:
            self._rebuild()

    def set_active(self, on: bool) -> None:
        """The dock became the front tab (or was hidden): rebuild only while it is seen."""
        self.active = on
        if on and self._dirty:
            self._rebuild()

    def _rebuild(self) -> None:
        self._dirty = False
        cat = self.catalog
        self.tree.clear()
        by_tech: dict[str, list[Finding]] = {}
        for f in self.findings:
            for t in f.atlas:
                by_tech.setdefault(t, []).append(f)
        bold = QFont()
        bold.setBold(True)
        if cat is None:
            self.source.setText("No ATLAS data: import a release with "
                                "`threatcanvas atlas import ATLAS.yaml`.")
            tactics: dict[str, list[str]] = {"": sorted(by_tech)}
        else:
            has_mitigations = bool(cat.mitigations)
            self.source.setText(f"MITRE ATLAS {cat.version}" + (
                "" if has_mitigations else " (bundled index; import a release for "
                "mitigation names)"))
            tactics = {tid: [] for tid in cat.tactics}
            present = set(by_tech) if self.only_present.isChecked() else set(cat.techniques)
            for tid in sorted(present):
                for tac in (cat.tactics_of(tid) or ()):
                    tactics[tac.id].append(tid)
                if not cat.tactics_of(tid):
                    tactics.setdefault("", []).append(tid)
        for tac_id, techs in tactics.items():
            if not techs and self.only_present.isChecked():
                continue
            name = cat.name(tac_id) if cat is not None and tac_id else "Other techniques"
            count = sum(len(by_tech.get(t, ())) for t in techs)
            top = QTreeWidgetItem([f"{tac_id} {name}".strip(), str(count) if count else ""])
            top.setFont(0, bold)
            self.tree.addTopLevelItem(top)
            for tid in techs:
                found = by_tech.get(tid, [])
                tname = cat.name(tid) if cat is not None else ""
                it = QTreeWidgetItem([f"{tid} {tname}".strip(), str(len(found)) if found else ""])
                if not found:
                    it.setForeground(0, QColor("#888888"))
                top.addChild(it)
                for f in found[:MAX_LEAVES]:
                    leaf = QTreeWidgetItem([f"{f.title}", f.severity.label])
                    leaf.setToolTip(0, element_label(f, self.names))
                    leaf.setData(0, KEY_ROLE, f.key)
                    it.addChild(leaf)
                if len(found) > MAX_LEAVES:
                    it.addChild(QTreeWidgetItem([f"… and {len(found) - MAX_LEAVES} more "
                                                 "(filter the threats panel by technique)", ""]))
                if cat is not None:
                    for m in cat.mitigations_for(tid):
                        mit = QTreeWidgetItem([f"Mitigation {m.id} {m.name}", ""])
                        mit.setForeground(0, QColor("#2e7d32"))
                        it.addChild(mit)
            top.setExpanded(bool(count))

    def _activated(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        key = item.data(0, KEY_ROLE)
        if key:
            self.sig_threat_activated.emit(str(key))
