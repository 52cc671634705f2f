"""The properties panel: name, type, notes and typed property editors for the selection."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.commands import Rename, RenameDiagram, ReplaceElement, SetNotes, SetProperty
from app.domain import Element, PropertySpec, PropertyType, PropertyValue
from app.ui.bridge import ModelBridge
from app.ui.scene import DiagramScene

UNSET = "(not set)"


def editor_for(spec: PropertySpec) -> QWidget:
    """The editor widget chosen by a property's semantic type (never by stencil)."""
    if spec.type is PropertyType.BOOL:
        w = QComboBox()
        w.addItems([UNSET, "Yes", "No"])
        return w
    if spec.type is PropertyType.CHOICE:
        w = QComboBox()
        w.addItems([UNSET, *spec.choices])
        return w
    e = QLineEdit()
    if spec.type is PropertyType.NUMBER:
        e.setValidator(QDoubleValidator())
    if spec.default is not None:
        e.setPlaceholderText(f"default: {spec.default}")
    return e


def show_value(w: QWidget, spec: PropertySpec, value: PropertyValue | None) -> None:
    w.blockSignals(True)
    if isinstance(w, QComboBox):
        if value is None:
            w.setCurrentIndex(0)
        elif spec.type is PropertyType.BOOL:
            w.setCurrentIndex(1 if value is True else 2)
        else:
            i = w.findText(str(value))
            if i < 0:
                w.addItem(str(value))
                i = w.count() - 1
            w.setCurrentIndex(i)
    elif isinstance(w, QLineEdit) and w.text() != ("" if value is None else str(value)):
        w.setText("" if value is None else str(value))
    w.blockSignals(False)


def read_value(w: QWidget, spec: PropertySpec) -> PropertyValue | None:
    if isinstance(w, QComboBox):
        if w.currentIndex() == 0:
            return None
        if spec.type is PropertyType.BOOL:
            return w.currentIndex() == 1
        return w.currentText()
    text = w.text().strip()  # type: ignore[attr-defined]
    if not text:
        return None
    try:
        return spec.coerce(text)
    except ValueError:
        return None


class PropertiesPanel(QScrollArea):
    """Follows the current scene's selection; every edit is a command."""

    def __init__(self, bridge: ModelBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.scene: DiagramScene | None = None
        self.element_id: str | None = None
        self.editors: dict[str, tuple[QWidget, PropertySpec]] = {}
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._body = QWidget()
        self.setWidget(self._body)
        self._outer = QVBoxLayout(self._body)
        self._outer.setContentsMargins(8, 8, 8, 8)
        self._outer.addStretch(1)
        self._form_host: QWidget | None = None
        bridge.sig_element_changed.connect(self._on_changed)
        bridge.sig_element_removed.connect(self._on_removed)
        bridge.sig_diagram_renamed.connect(self.refresh)
        self.refresh()

    def set_scene(self, scene: DiagramScene | None) -> None:
        if self.scene is not None:
            self.scene.selectionChanged.disconnect(self.refresh)
        self.scene = scene
        if scene is not None:
            scene.selectionChanged.connect(self.refresh)
        self.refresh()

    # -- building ------------------------------------------------------------------------
    def _new_form(self) -> QFormLayout:
        if self._form_host is not None:
            self._form_host.hide()
            self._form_host.deleteLater()
        self._form_host = QWidget()
        form = QFormLayout(self._form_host)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._outer.insertWidget(0, self._form_host)
        self.editors = {}
        return form

    @staticmethod
    def _compact(box: QComboBox) -> QComboBox:
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(6)
        return box

    def refresh(self, *_args: object) -> None:
        """Rebuild the form for the current selection."""
        sc = self.scene
        if not isValid(self) or (sc is not None and not isValid(sc)):
            return
        form = self._new_form()
        self.element_id = None
        if sc is None:
            form.addRow(QLabel("No diagram"))
            return
        ids = sc.selected_ids()
        if len(ids) == 1:
            self._build_element(form, sc, sc.diagram.get(ids[0]))
            return
        if ids:
            form.addRow(QLabel(f"<b>{len(ids)} elements selected</b>"))
            return
        title = QLabel("<b>Diagram</b>")
        form.addRow(title)
        name = QLineEdit(sc.diagram.name)
        name.setObjectName("diagramName")
        name.editingFinished.connect(lambda: name.text().strip() and name.text() != sc.diagram.name
                                     and sc.push(RenameDiagram(sc.project, sc.diagram_id,
                                                               name.text().strip())))
        form.addRow("Name", name)
        d = sc.diagram
        nodes = sum(1 for e in d if e.kind.is_node)
        form.addRow("Elements", QLabel(str(nodes)))
        form.addRow("Flows", QLabel(str(len(d.flows()))))
        form.addRow("Boundaries", QLabel(str(sum(1 for e in d if e.is_boundary))))

    def _build_element(self, form: QFormLayout, sc: DiagramScene, e: Element) -> None:
        self.element_id = e.id
        st = sc.library.for_element(e.type_id, e.kind)
        form.addRow(QLabel(f"<b>{e.kind.value.replace('_', ' ').capitalize()}</b>"))
        kinds = [s for s in sc.library.stencils.values() if s.kind is e.kind]
        type_box = self._compact(QComboBox())
        type_box.setObjectName("typeEditor")
        for s in kinds:
            type_box.addItem(s.name, s.id)
        i = type_box.findData(e.type_id)
        if i < 0:
            type_box.addItem(e.type_id, e.type_id)
            i = type_box.count() - 1
        type_box.setCurrentIndex(i)
        type_box.currentIndexChanged.connect(lambda _i: self._set_type(type_box.currentData()))
        form.addRow("Type", type_box)
        name = QLineEdit(e.name)
        name.setObjectName("nameEditor")
        name.textEdited.connect(lambda t: sc.push(Rename(sc.project, sc.diagram_id, e.id, t)))
        form.addRow("Name", name)
        self.editors["__name__"] = (name, PropertySpec("__name__", "Name", PropertyType.TEXT))
        if e.is_flow:
            d = sc.diagram
            src = d.elements.get(e.source_id or "")
            tgt = d.elements.get(e.target_id or "")
            form.addRow("From", QLabel(src.name if src else "—"))
            form.addRow("To", QLabel(tgt.name if tgt else "—"))
            routing = self._compact(QComboBox())
            routing.setObjectName("routingEditor")
            routing.addItems(["straight", "orthogonal"])
            routing.setCurrentText(e.routing)
            routing.currentTextChanged.connect(lambda r: sc.push(ReplaceElement(
                sc.project, sc.diagram_id, sc.diagram.get(e.id).with_changes(routing=r),
                "Change routing")))
            form.addRow("Routing", routing)
        specs = list(st.properties) if st is not None else []
        known = {s.key for s in specs}
        specs += [PropertySpec(k, k.replace("_", " "), PropertyType.TEXT)
                  for k in e.properties if k not in known]
        for spec in specs:
            w = editor_for(spec)
            w.setObjectName(f"prop:{spec.key}")
            if isinstance(w, QComboBox):
                self._compact(w)
            if spec.help:
                w.setToolTip(spec.help)
            show_value(w, spec, e.properties.get(spec.key))
            self.editors[spec.key] = (w, spec)
            if isinstance(w, QComboBox):
                w.currentIndexChanged.connect(lambda _i, k=spec.key: self._commit(k))
            else:
                w.editingFinished.connect(lambda k=spec.key: self._commit(k))
            form.addRow(spec.label or spec.key, w)
        notes = QPlainTextEdit(e.notes)
        notes.setObjectName("notesEditor")
        notes.setMaximumHeight(110)
        notes.textChanged.connect(lambda: sc.push(SetNotes(sc.project, sc.diagram_id, e.id,
                                                           notes.toPlainText())))
        form.addRow("Notes", notes)
        self._notes = notes

    # -- committing and following the model -----------------------------------------------
    def _commit(self, key: str) -> None:
        sc = self.scene
        if sc is None or self.element_id is None or self.element_id not in sc.diagram:
            return
        w, spec = self.editors[key]
        value = read_value(w, spec)
        if sc.diagram.get(self.element_id).properties.get(key) != value:
            sc.push(SetProperty(sc.project, sc.diagram_id, self.element_id, key, value))

    def _set_type(self, type_id: str) -> None:
        sc = self.scene
        if sc is None or self.element_id is None:
            return
        e = sc.diagram.get(self.element_id)
        if type_id and type_id != e.type_id:
            st = sc.library.get(type_id)
            props = {**(st.defaults() if st else {}), **e.properties}
            sc.push(ReplaceElement(sc.project, sc.diagram_id,
                                   e.with_changes(type_id=type_id, properties=props),
                                   "Change type"))
            self.refresh()

    def _on_changed(self, diagram_id: str, element_id: str) -> None:
        sc = self.scene
        if sc is None or diagram_id != sc.diagram_id or element_id != self.element_id:
            return
        e = sc.diagram.get(element_id)
        for key, (w, spec) in self.editors.items():
            if w.hasFocus():
                continue
            value = e.name if key == "__name__" else e.properties.get(key)
            show_value(w, spec, value)
        if not self._notes.hasFocus() and self._notes.toPlainText() != e.notes:
            self._notes.blockSignals(True)
            self._notes.setPlainText(e.notes)
            self._notes.blockSignals(False)

    def _on_removed(self, diagram_id: str, element_id: str) -> None:
        if element_id == self.element_id:
            self.refresh()
