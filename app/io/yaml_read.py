"""`.tc.yaml` data → Project, checking every field and naming the line of each problem."""

from __future__ import annotations

import math
from typing import Any

from app.domain import (
    Diagram,
    DomainError,
    Element,
    ElementKind,
    MitigationItem,
    Point,
    Project,
    Rect,
    ThreatRecord,
    ThreatState,
    Triage,
    new_id,
)
from app.io.yaml_safe import LineDict, LineList, ModelFormatError, plain

FORMAT = "threatcanvas/1"

_PROJECT_TEXT = ("name", "description", "owner", "version", "scope", "classification",
                 "created", "modified")
_PROJECT_LISTS = ("reviewers", "contributors", "assumptions", "external_dependencies")
_ELEMENT_KEYS = ("id", "kind", "type", "name", "rect", "source", "source_point", "target",
                 "target_point", "waypoints", "label_pos", "routing", "points", "properties",
                 "notes", "extra")
_THREAT_KEYS = ("key", "title", "category", "description", "element_ids", "diagram_id",
                "rule_id", "pack", "origin", "likelihood", "impact", "atlas", "owasp", "extra")
_TRIAGE_KEYS = ("state", "justification", "likelihood", "impact", "mitigations", "owner",
                "notes", "modified")
_MITIGATION_KEYS = ("text", "source", "ref", "done")


class _Reader:
    """Walks the parsed data; `fail` raises a ModelFormatError at a line."""

    def __init__(self, path: object) -> None:
        self.path = path

    def fail(self, line: int | None, what: str) -> ModelFormatError:
        return ModelFormatError(self.path, what, line)

    # -- typed accessors -------------------------------------------------------------------
    def mapping(self, value: Any, line: int, what: str, keys: tuple[str, ...] | None = None,
                ) -> LineDict:
        if not isinstance(value, LineDict):
            raise self.fail(line, f"{what} must be a mapping (key: value lines)")
        if keys is not None:
            for k in value:
                if k not in keys:
                    raise self.fail(value.line_of(k), f"{what}: unknown key {k!r}")
        return value

    def seq(self, value: Any, line: int, what: str) -> LineList:
        if not isinstance(value, LineList):
            raise self.fail(line, f"{what} must be a list")
        return value

    def text(self, m: LineDict, key: str, what: str, default: str | None = None) -> str:
        if key not in m or (m[key] is None and default is not None):
            if default is None:
                raise self.fail(m.line, f"{what}: missing {key!r}")
            return default
        v = m[key]
        if isinstance(v, str):
            return v
        if isinstance(v, int | float) and not isinstance(v, bool):
            return str(v)
        raise self.fail(m.line_of(key), f"{what}: {key} must be text")

    def text_list(self, m: LineDict, key: str, what: str) -> list[str]:
        if key not in m or m[key] is None:
            return []
        items = self.seq(m[key], m.line_of(key), f"{what}: {key}")
        out = []
        for i, v in enumerate(items):
            if isinstance(v, bool) or not isinstance(v, str | int | float):
                raise self.fail(items.line_of(i), f"{what}: {key} must be a list of text")
            out.append(str(v))
        return out

    def integer(self, m: LineDict, key: str, what: str, default: int | None) -> int | None:
        """A whole number; null only where the default is null (not set)."""
        v = m.get(key, default)
        if (v is None and default is None) or (isinstance(v, int) and not isinstance(v, bool)):
            return v
        raise self.fail(m.line_of(key), f"{what}: {key} must be a whole number")

    def level(self, m: LineDict, key: str, what: str) -> int:
        """A threat's likelihood or impact: a whole number, 3 when absent."""
        v = self.integer(m, key, what, 3)
        return 3 if v is None else v

    def number(self, v: Any, line: int, what: str) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise self.fail(line, f"{what} must be numbers")
        return v

    def point(self, v: Any, line: int, what: str) -> Point:
        if not isinstance(v, list) or len(v) != 2:
            raise self.fail(line, f"{what} must be a pair of numbers [x, y]")
        return Point(self.number(v[0], line, what), self.number(v[1], line, what))

    def opt_point(self, m: LineDict, key: str, what: str) -> Point | None:
        return None if m.get(key) is None else self.point(m[key], m.line_of(key),
                                                            f"{what}: {key}")

    def opt_ref(self, m: LineDict, key: str, what: str) -> str | None:
        return None if m.get(key) is None else self.text(m, key, what)

    def point_list(self, m: LineDict, key: str, what: str) -> tuple[Point, ...]:
        if m.get(key) is None:
            return ()
        items = self.seq(m[key], m.line_of(key), f"{what}: {key}")
        return tuple(self.point(v, items.line_of(i), f"{what}: each of {key}")
                     for i, v in enumerate(items))

    def str_map(self, m: LineDict, key: str, what: str) -> dict[str, str]:
        if m.get(key) is None:
            return {}
        d = self.mapping(m[key], m.line_of(key), f"{what}: {key}")
        return {str(k): self.text(d, k, f"{what}: {key}") for k in d}

    # -- sections --------------------------------------------------------------------------
    def project(self, doc: Any) -> Project:
        if doc is None:
            raise self.fail(None, "the file is empty")
        doc = self.mapping(doc, 1, "the file", ("format", "project", "diagrams", "threats",
                                                 "triage", "rule_packs", "disabled_packs"))
        if "format" not in doc:
            raise self.fail(doc.line, f"missing 'format: {FORMAT}' at the top")
        if doc["format"] != FORMAT:
            raise self.fail(doc.line_of("format"),
                            f"unsupported format {doc['format']!r} (this version reads {FORMAT})")
        info = self.mapping(doc.get("project") or LineDict(), doc.line_of("project"), "project",
                            ("id", *_PROJECT_TEXT, *_PROJECT_LISTS))
        p = Project(self.text(info, "name", "project", "Untitled project"),
                    self.text(info, "id", "project", new_id()))
        for key in _PROJECT_TEXT[1:]:
            setattr(p, key, self.text(info, key, "project", getattr(p, key)))
        for key in _PROJECT_LISTS:
            setattr(p, key, self.text_list(info, key, "project"))
        if doc.get("diagrams") is not None:
            diagrams = self.seq(doc["diagrams"], doc.line_of("diagrams"), "diagrams")
            for i, d in enumerate(diagrams):
                self.diagram(p, d, diagrams.line_of(i))
        self.threats(p, doc)
        self.triage(p, doc)
        if doc.get("rule_packs") is not None:
            packs = self.mapping(doc["rule_packs"], doc.line_of("rule_packs"), "rule_packs")
            for pack_id, body in packs.items():
                self.mapping(body, packs.line_of(pack_id), f"rule pack {pack_id!r}")
                p.rule_packs[str(pack_id)] = plain(body)
        p.disabled_packs = set(self.text_list(doc, "disabled_packs", "disabled_packs"))
        return p

    def diagram(self, p: Project, raw: Any, line: int) -> None:
        m = self.mapping(raw, line, "diagram", ("id", "name", "elements"))
        d = Diagram(self.text(m, "name", "diagram", "Diagram"),
                    self.text(m, "id", "diagram", new_id()))
        what = f"diagram {d.name!r}"
        if any(other.id == d.id for other in p.diagrams):
            raise self.fail(m.line_of("id"), f"duplicate diagram id {d.id!r}")
        items = self.seq(m.get("elements") or LineList(), m.line_of("elements"),
                         f"{what}: elements")
        elements: list[tuple[Element, LineDict]] = []
        seen: dict[str, Element] = {}
        for i, raw_e in enumerate(items):
            e, em = self.element(raw_e, items.line_of(i))
            if e.id in seen:
                raise self.fail(em.line_of("id"), f"duplicate element id {e.id!r} in {what}")
            seen[e.id] = e
            elements.append((e, em))
        for e, em in elements:
            if e.is_flow:
                self.check_flow_ends(e, em, seen, what)
        try:
            for e, _ in sorted(elements, key=lambda pair: pair[0].is_flow):
                d.add(e)
            d.reorder([e.id for e, _ in elements])
        except DomainError as err:  # pragma: no cover - checks above come first
            raise self.fail(m.line, f"{what}: {err}") from None
        p.add_diagram(d)

    def check_flow_ends(self, e: Element, em: LineDict, seen: dict[str, Element],
                        where: str) -> None:
        label = f"flow {e.name or e.id!r}" if e.name else f"flow {e.id!r}"
        for end, ref, point in (("source", e.source_id, e.source_point),
                                ("target", e.target_id, e.target_point)):
            if ref is None:
                if point is None:
                    raise self.fail(em.line, f"{label}: needs a {end} (an element id) "
                                             f"or a {end}_point")
                continue
            other = seen.get(ref)
            if other is None:
                raise self.fail(em.line_of(end), f"{label}: {end} {ref!r} not found in {where}")
            if not other.kind.is_node:
                raise self.fail(em.line_of(end), f"{label}: {end} {ref!r} is a "
                                f"{other.kind.value.replace('_', ' ')}, not an entity, "
                                "process or data store")

    def element(self, raw: Any, line: int) -> tuple[Element, LineDict]:
        m = self.mapping(raw, line, "element")
        eid = self.text(m, "id", "element")
        what = f"element {eid!r}"
        self.mapping(m, line, what, _ELEMENT_KEYS)
        kind_text = self.text(m, "kind", what)
        try:
            kind = ElementKind(kind_text)
        except ValueError:
            choices = ", ".join(k.value for k in ElementKind)
            raise self.fail(m.line_of("kind"),
                            f"{what}: unknown kind {kind_text!r} (expected one of {choices})"
                            ) from None
        rect = None
        if m.get("rect") is not None:
            r = m["rect"]
            rline = m.line_of("rect")
            if not isinstance(r, list) or len(r) != 4:
                raise self.fail(rline, f"{what}: rect must be 4 numbers [x, y, width, height]")
            nums = [self.number(v, rline, f"{what}: rect") for v in r]
            if nums[2] < 0 or nums[3] < 0:
                raise self.fail(rline, f"{what}: rect width and height must not be negative")
            rect = Rect(*nums)
        elif kind.is_box:
            raise self.fail(m.line, f"{what}: a {kind.value.replace('_', ' ')} needs "
                                    "rect: [x, y, width, height]")
        props: dict[str, Any] = {}
        if m.get("properties") is not None:
            pm = self.mapping(m["properties"], m.line_of("properties"), f"{what}: properties")
            for k, v in pm.items():
                if not isinstance(v, str | bool | int | float):
                    raise self.fail(pm.line_of(k), f"{what}: property {k!r} must be text, a "
                                                   "number or true/false")
                props[str(k)] = v
        e = Element(
            id=eid, kind=kind, type_id=self.text(m, "type", what, kind.generic_type),
            name=self.text(m, "name", what, ""), properties=props,
            notes=self.text(m, "notes", what, ""), rect=rect,
            source_id=self.opt_ref(m, "source", what), target_id=self.opt_ref(m, "target", what),
            source_point=self.opt_point(m, "source_point", what),
            target_point=self.opt_point(m, "target_point", what),
            waypoints=self.point_list(m, "waypoints", what),
            label_pos=self.opt_point(m, "label_pos", what),
            routing=self.text(m, "routing", what, "straight"),
            points=self.point_list(m, "points", what), extra=self.str_map(m, "extra", what),
        )
        if kind is ElementKind.BOUNDARY_LINE and len(e.points) < 2:
            raise self.fail(m.line_of("points"), f"{what}: a boundary line needs at least "
                                                 "2 points")
        return e, m

    def threats(self, p: Project, doc: LineDict) -> None:
        if doc.get("threats") is None:
            return
        items = self.seq(doc["threats"], doc.line_of("threats"), "threats")
        for i, raw in enumerate(items):
            m = self.mapping(raw, items.line_of(i), "threat", _THREAT_KEYS)
            key = self.text(m, "key", "threat")
            what = f"threat {key!r}"
            if key in p.threats:
                raise self.fail(m.line_of("key"), f"duplicate threat key {key!r}")
            p.put_threat(ThreatRecord(
                key=key, title=self.text(m, "title", what),
                category=self.text(m, "category", what, ""),
                description=self.text(m, "description", what, ""),
                element_ids=tuple(self.text_list(m, "element_ids", what)),
                diagram_id=self.text(m, "diagram_id", what, ""),
                rule_id=self.text(m, "rule_id", what, ""), pack=self.text(m, "pack", what, ""),
                origin=self.text(m, "origin", what, "custom"),
                likelihood=self.level(m, "likelihood", what),
                impact=self.level(m, "impact", what),
                atlas=tuple(self.text_list(m, "atlas", what)),
                owasp=tuple(self.text_list(m, "owasp", what)),
                extra=self.str_map(m, "extra", what),
            ))

    def triage(self, p: Project, doc: LineDict) -> None:
        if doc.get("triage") is None:
            return
        entries = self.mapping(doc["triage"], doc.line_of("triage"), "triage")
        for key, raw in entries.items():
            what = f"triage of {key!r}"
            m = self.mapping(raw, entries.line_of(key), what, _TRIAGE_KEYS)
            state_text = self.text(m, "state", what, ThreatState.NOT_STARTED.value)
            try:
                state = ThreatState(state_text)
            except ValueError:
                choices = ", ".join(s.value for s in ThreatState)
                raise self.fail(m.line_of("state"), f"{what}: unknown state {state_text!r} "
                                                    f"(expected one of {choices})") from None
            mitigations = []
            if m.get("mitigations") is not None:
                ms = self.seq(m["mitigations"], m.line_of("mitigations"), f"{what}: mitigations")
                for j, raw_m in enumerate(ms):
                    mm = self.mapping(raw_m, ms.line_of(j), f"{what}: mitigation",
                                      _MITIGATION_KEYS)
                    done = mm.get("done", False)
                    if not isinstance(done, bool):
                        raise self.fail(mm.line_of("done"), f"{what}: done must be true/false")
                    mitigations.append(MitigationItem(
                        self.text(mm, "text", f"{what}: mitigation"),
                        self.text(mm, "source", what, "custom"),
                        self.text(mm, "ref", what, ""), done))
            p.set_triage(str(key), Triage(
                state=state, justification=self.text(m, "justification", what, ""),
                likelihood=self.integer(m, "likelihood", what, None),
                impact=self.integer(m, "impact", what, None),
                mitigations=tuple(mitigations), owner=self.text(m, "owner", what, ""),
                notes=self.text(m, "notes", what, ""),
                modified=self.text(m, "modified", what, ""),
            ))


def project_from_data(doc: Any, path: object) -> Project:
    """Build a Project from parsed `.tc.yaml` data; raises ModelFormatError."""
    return _Reader(path).project(doc)
