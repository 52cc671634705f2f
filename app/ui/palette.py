"""The stencil palette: categories, search, icons; drag to the canvas or click to place."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.stencil_library import StencilLibrary
from app.ui.view import STENCIL_MIME

ROLE_STENCIL = Qt.ItemDataRole.UserRole + 1


class StencilTree(QTreeWidget):
    """A tree of stencils whose drags carry the stencil id under our MIME type."""

    def mimeTypes(self) -> list[str]:
        return [STENCIL_MIME]

    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:
        md = QMimeData()
        for it in items:
            sid = it.data(0, ROLE_STENCIL)
            if sid:
                md.setData(STENCIL_MIME, str(sid).encode())
                md.setText(it.text(0))
                break
        return md


class PalettePanel(QWidget):
    """Search field over a categorised stencil tree."""

    sig_place_requested = Signal(str)  # click: place the stencil with the next canvas click
    sig_insert_requested = Signal(str)  # double-click / Enter: insert at the view centre

    def __init__(self, library: StencilLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search stencils…")
        self.search.setClearButtonEnabled(True)
        self.tree = StencilTree()
        self.tree.setObjectName("stencilTree")
        self.tree.setHeaderHidden(True)
        self.tree.setIconSize(QSize(24, 24))
        self.tree.setIndentation(10)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self._insert_first)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._activated)
        self.populate()

    def populate(self) -> None:
        self.tree.clear()
        for category, stencils in self.library.categories():
            top = QTreeWidgetItem([category])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            f = top.font(0)
            f.setBold(True)
            top.setFont(0, f)
            for s in stencils:
                child = QTreeWidgetItem([s.name])
                child.setIcon(0, self.library.icon(s))
                child.setData(0, ROLE_STENCIL, s.id)
                tip = s.description or s.name
                child.setToolTip(0, f"{tip}\n{s.id}")
                child.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                               | Qt.ItemFlag.ItemIsDragEnabled)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()

    def stencil_item(self, stencil_id: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                if top.child(j).data(0, ROLE_STENCIL) == stencil_id:
                    return top.child(j)
        return None

    def filter(self, text: str) -> None:
        """Show only stencils matching every word of `text`."""
        hits = {s.id for s in self.library.search(text)}
        first = None
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            shown = 0
            for j in range(top.childCount()):
                ch = top.child(j)
                ok = ch.data(0, ROLE_STENCIL) in hits
                ch.setHidden(not ok)
                shown += ok
                if ok and first is None:
                    first = ch
            top.setHidden(shown == 0)
        if first is not None and text:
            self.tree.setCurrentItem(first)

    def visible_stencils(self) -> list[str]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                if not top.child(j).isHidden() and not top.isHidden():
                    out.append(top.child(j).data(0, ROLE_STENCIL))
        return out

    def _clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        sid = item.data(0, ROLE_STENCIL)
        if sid:
            self.sig_place_requested.emit(sid)

    def _activated(self, item: QTreeWidgetItem, _col: int) -> None:
        sid = item.data(0, ROLE_STENCIL)
        if sid:
            self.sig_insert_requested.emit(sid)

    def _insert_first(self) -> None:
        visible = self.visible_stencils()
        if visible:
            self.sig_insert_requested.emit(visible[0])
