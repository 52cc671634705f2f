"""The domain model: plain values and invariants shared by every other layer.

Standard library only: no Qt, no database, no parsers.
"""

from app.domain.diagram import Diagram
from app.domain.elements import (
    GENERIC_TYPES,
    KIND_BY_GENERIC_TYPE,
    NODE_KINDS,
    Element,
    ElementKind,
    PropertyValue,
    make_box,
    make_flow,
    make_line,
    new_id,
)
from app.domain.errors import (
    DomainError,
    FileError,
    InvalidFlowError,
    UnknownDiagramError,
    UnknownElementError,
)
from app.domain.geometry import Point, Rect
from app.domain.project import DiagramSnapshot, Project, ProjectSnapshot, now_iso
from app.domain.stencils import PropertySpec, PropertyType, StencilDef, TypeHierarchy
from app.domain.threats import (
    Finding,
    MitigationItem,
    Severity,
    ThreatRecord,
    ThreatState,
    Triage,
    ValidationMessage,
    severity_for,
    threat_key,
)

__all__ = [
    "GENERIC_TYPES",
    "KIND_BY_GENERIC_TYPE",
    "NODE_KINDS",
    "Diagram",
    "DiagramSnapshot",
    "DomainError",
    "Element",
    "ElementKind",
    "FileError",
    "Finding",
    "InvalidFlowError",
    "MitigationItem",
    "Point",
    "Project",
    "ProjectSnapshot",
    "PropertySpec",
    "PropertyType",
    "PropertyValue",
    "Rect",
    "Severity",
    "StencilDef",
    "ThreatRecord",
    "ThreatState",
    "Triage",
    "TypeHierarchy",
    "UnknownDiagramError",
    "UnknownElementError",
    "ValidationMessage",
    "make_box",
    "make_flow",
    "make_line",
    "new_id",
    "now_iso",
    "severity_for",
    "threat_key",
]
