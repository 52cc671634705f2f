"""Microsoft Threat Modeling Tool import: models (.tm7) and templates (.tb7), hardened.

`read_tm7(path) -> Project` and `read_tb7(path) -> rule-pack document`; anything unreadable
raises `Tm7Error` (a FileError naming the file and the reason). What lands where:

- diagrams: one per DrawingSurfaceModel, in file order, id = its GUID, name = its Name.
- stencils: id = TMT GUID; kind from the generic type (GE.*, or a template's own generic
  type via its shape); type_id = TMT's specific type id (its KB entry gives the parent chain,
  through a ThreatCanvas stencil where a clear one exists); geometry as floats; properties
  keyed by the attribute's Name (or DisplayName), value = selected list entry or text,
  verbatim. `extra`: `tmt.type_name`, `tmt.shape`, `tmt.generic_type`, `tmt.attributes`
  (JSON of every attribute with its choices and selected index), other TMT fields as
  `tmt.<Field>`.
- flows: source/target GUIDs; TMT's curve handle is the one waypoint; an end that is unset,
  absent from the diagram or not an entity/process/store stays dangling at its point (the
  GUID in `tmt.source_guid`/`tmt.target_guid`). Line boundaries: source, handle, target.
- metadata: name, owner, reviewer, contributors, assumptions, external dependencies and
  description verbatim; TMT notes are appended to the description, marked.
- threats: ThreatRecord(origin "imported", rule_id = threat type id, pack = imported pack,
  element_ids = (source, flow, target), key = PACK:TYPE@ids like the engine's) + Triage
  (state, justification); TMT's id, key, priority and extra properties in `extra`.
- knowledge base: a rule pack `tmt-<name slug>` in `project.rule_packs`.
"""

from app.io.tm7.model import read_tb7, read_tm7
from app.io.tm7.xmlsafe import MAX_BYTES, MAX_DEPTH, Tm7Error

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Tm7Error", "read_tb7", "read_tm7"]
