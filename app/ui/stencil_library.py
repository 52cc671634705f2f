"""The stencils the palette offers: the catalog's registry when present, else the generics."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.catalog import resources_dir, stencils_dir
from app.domain import ElementKind, PropertySpec, PropertyType, StencilDef

_GENERIC_ICONS = {
    ElementKind.EXTERNAL_ENTITY: "entity.svg",
    ElementKind.PROCESS: "process.svg",
    ElementKind.DATA_STORE: "store.svg",
    ElementKind.DATA_FLOW: "flow.svg",
    ElementKind.BOUNDARY_BOX: "boundary_box.svg",
    ElementKind.BOUNDARY_LINE: "boundary_line.svg",
    ElementKind.ANNOTATION: "annotation.svg",
}

_FLOW_PROPS = (
    PropertySpec("payload", "Payload", PropertyType.CHOICE, None,
                 ("training_data", "features", "model_artifact", "predictions", "prompts",
                  "retrieved_content", "credentials", "telemetry", "tool_calls",
                  "model_updates", "other")),
    PropertySpec("protocol", "Protocol", PropertyType.TEXT),
    PropertySpec("encrypts_in_transit", "Encrypted in transit", PropertyType.BOOL),
    PropertySpec("authenticates", "Authenticated", PropertyType.BOOL),
)
_NODE_PROPS = (
    PropertySpec("exposure", "Exposure", PropertyType.CHOICE, None,
                 ("internet", "partner", "internal")),
    PropertySpec("authenticates", "Authenticates", PropertyType.BOOL),
    PropertySpec("validates_input", "Validates input", PropertyType.BOOL),
    PropertySpec("logs_and_monitors", "Logs and monitors", PropertyType.BOOL),
)
_BOUNDARY_PROPS = (
    PropertySpec("trust_level", "Trust level", PropertyType.CHOICE, None,
                 ("untrusted", "partner", "trusted")),
)


def generic_stencils() -> list[StencilDef]:
    """One stencil per DFD kind, used until (or when) the catalog offers none."""
    g = "Generic"
    return [
        StencilDef("GE.P", "Process", ElementKind.PROCESS, "", g, "A process",
                   properties=_NODE_PROPS, default_size=(140, 70)),
        StencilDef("GE.EI", "External entity", ElementKind.EXTERNAL_ENTITY, "", g,
                   "Someone or something outside the system", properties=_NODE_PROPS,
                   default_size=(140, 70)),
        StencilDef("GE.DS", "Data store", ElementKind.DATA_STORE, "", g, "Stored data",
                   properties=_NODE_PROPS[1:], default_size=(140, 60)),
        StencilDef("GE.DF", "Data flow", ElementKind.DATA_FLOW, "", g, "Data in motion",
                   properties=_FLOW_PROPS),
        StencilDef("GE.TB.B", "Trust boundary (box)", ElementKind.BOUNDARY_BOX, "", g,
                   "A trust zone", properties=_BOUNDARY_PROPS, default_size=(360, 240)),
        StencilDef("GE.TB.L", "Trust boundary (line)", ElementKind.BOUNDARY_LINE, "", g,
                   "A trust border", default_size=(240, 0)),
        StencilDef("GE.A", "Annotation", ElementKind.ANNOTATION, "", g, "A note",
                   default_size=(160, 60)),
    ]


def _load_catalog() -> tuple[object | None, str]:
    """The catalog's stencil registry, or None and the reason it could not be loaded."""
    try:
        from app.catalog import load_stencils
    except ImportError:
        return None, "stencil catalog not available"
    try:
        return load_stencils(), ""
    except Exception as err:  # a broken stencils folder must not stop the window
        return None, str(err)


class StencilLibrary:
    """Stencils by id with their icons; one per window (no module state)."""

    def __init__(self, stencils: Iterable[StencilDef] | None = None) -> None:
        self.registry: object | None = None
        self.error = ""
        if stencils is None:
            self.registry, self.error = _load_catalog()
            stencils = list(self.registry) if self.registry is not None else []  # type: ignore
        by_id = {s.id: s for s in generic_stencils()}
        for s in stencils:
            by_id[s.id] = s
        self.stencils: dict[str, StencilDef] = by_id
        self._renderers: dict[str, QSvgRenderer | None] = {}
        self._icons: dict[str, QIcon] = {}
        self._pixmaps: dict[tuple[str, int], QPixmap | None] = {}

    def get(self, type_id: str) -> StencilDef | None:
        return self.stencils.get(type_id)

    def for_element(self, type_id: str, kind: ElementKind) -> StencilDef | None:
        """The element's stencil, else the generic stencil of its kind."""
        s = self.stencils.get(type_id)
        if s is None or s.kind is not kind:
            s = self.stencils.get(kind.generic_type)
        return s

    def categories(self) -> list[tuple[str, list[StencilDef]]]:
        """Stencils grouped by category in catalog order, Generic first."""
        groups: dict[str, list[StencilDef]] = {}
        for s in self.stencils.values():
            groups.setdefault(s.category or "Other", []).append(s)
        order = sorted(groups, key=lambda c: c != "Generic")
        return [(c, groups[c]) for c in order]

    def search(self, text: str) -> list[StencilDef]:
        """Stencils whose name, id, category, description or tags hold every word."""
        words = text.lower().split()
        out = []
        for s in self.stencils.values():
            hay = " ".join((s.id, s.name, s.description, s.category, *s.tags)).lower()
            if all(w in hay for w in words):
                out.append(s)
        return out

    def _icon_path(self, stencil: StencilDef) -> Path | None:
        reg = self.registry
        if reg is not None and stencil.id in reg:  # type: ignore[operator]
            p = reg.icon_path(stencil.id)  # type: ignore[attr-defined]
            if p.is_file():
                return p
        if stencil.icon:
            p = stencils_dir() / stencil.icon
            if p.is_file():
                return p
            p = stencils_dir() / "icons" / stencil.icon
            if p.is_file():
                return p
        generic = resources_dir() / "icons" / _GENERIC_ICONS[stencil.kind]
        return generic if generic.is_file() else None

    def renderer(self, type_id: str, kind: ElementKind) -> QSvgRenderer | None:
        """A cached SVG renderer for the stencil's icon, or None without one."""
        key = f"{type_id}|{kind.value}"
        if key not in self._renderers:
            s = self.for_element(type_id, kind)
            path = self._icon_path(s) if s else None
            r = None
            if path is not None:
                r = QSvgRenderer(QByteArray(path.read_bytes()))
                if not r.isValid():
                    r = None
            self._renderers[key] = r
        return self._renderers[key]

    def pixmap(self, type_id: str, kind: ElementKind, px: int) -> QPixmap | None:
        """The element's icon rendered at exactly `px` device pixels (cached), so canvas
        icons are crisp at every zoom and cost one blit to draw."""
        px = max(4, min(px, 256))
        key = (f"{type_id}|{kind.value}", px)
        if key not in self._pixmaps:
            r = self.renderer(type_id, kind)
            pm = None
            if r is not None:
                pm = QPixmap(QSize(px, px))
                pm.fill(Qt.GlobalColor.transparent)
                p = QPainter(pm)
                p.setRenderHint(QPainter.RenderHint.Antialiasing)
                r.render(p, QRectF(0, 0, px, px))
                p.end()
            self._pixmaps[key] = pm
        return self._pixmaps[key]

    def icon(self, stencil: StencilDef, size: int = 32) -> QIcon:
        """A palette icon rendered from the stencil's SVG."""
        if stencil.id not in self._icons:
            pm = QPixmap(QSize(size, size))
            pm.fill(Qt.GlobalColor.transparent)
            r = self.renderer(stencil.id, stencil.kind)
            if r is not None:
                p = QPainter(pm)
                p.setRenderHint(QPainter.RenderHint.Antialiasing)
                r.render(p, QRectF(2, 2, size - 4, size - 4))
                p.end()
            self._icons[stencil.id] = QIcon(pm)
        return self._icons[stencil.id]
