"""Moving a project between domain and tables: read it all, write it all, or write only
what a batch of events touched. Every function runs inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from app.domain import Diagram, DomainError, Element, Project
from app.domain import events as ev
from app.store import mapping as m
from app.store import order
from app.store import schema as s


@dataclass
class Stored:
    """What one diagram's element rows hold: drawing positions, and the element values
    last written (values are immutable, so `is` tells an unchanged element)."""

    pos: dict[str, float] = field(default_factory=dict)
    value: dict[str, Element] = field(default_factory=dict)

    def copy(self) -> Stored:
        return Stored(dict(self.pos), dict(self.value))


#: Per diagram id, what is on disk.
Positions = dict[str, Stored]


# -- reading -------------------------------------------------------------------------------
def read_all(conn: Connection) -> tuple[Project, Positions]:
    """The whole project, and the stored drawing positions; BadRowError when a row is invalid."""
    p = m.project_from_info(conn.execute(select(s.project_info)).mappings())
    positions: Positions = {}
    by_diagram: dict[str, list[Any]] = {}
    for r in conn.execute(select(s.elements).order_by(s.elements.c.diagram_id,
                                                      s.elements.c.position)).all():
        by_diagram.setdefault(r.diagram_id, []).append(r)
    for dr in conn.execute(select(s.diagrams).order_by(s.diagrams.c.position)).mappings():
        d = Diagram(dr["name"], dr["id"])
        rows = by_diagram.pop(d.id, [])
        values = [m.element_from_row(r) for r in rows]
        positions[d.id] = Stored({r.id: r.position for r in rows},
                                 {e.id: e for e in values})
        _fill(d, values)
        p.add_diagram(d)
    if by_diagram:
        raise m.BadRowError(f"elements of a missing diagram {next(iter(by_diagram))!r}")
    for r in conn.execute(select(s.threats).order_by(s.threats.c.key)).mappings():
        p.put_threat(m.threat_from_row(r))
    items: dict[str, list[Any]] = {}
    for r in conn.execute(select(s.mitigations).order_by(s.mitigations.c.triage_key,
                                                         s.mitigations.c.position)).mappings():
        items.setdefault(r["triage_key"], []).append(r)
    for r in conn.execute(select(s.triage).order_by(s.triage.c.key)).mappings():
        p.set_triage(r["key"], m.triage_from_rows(r, items.get(r["key"], [])))
    for r in conn.execute(select(s.rule_packs).order_by(s.rule_packs.c.pack_id)).mappings():
        doc = m.loads(r["document"], None, f"rule pack {r['pack_id']!r}")
        if not isinstance(doc, dict):
            raise m.BadRowError(f"rule pack {r['pack_id']!r} is not a document")
        p.rule_packs[r["pack_id"]] = doc
    p.disabled_packs = set(conn.execute(select(s.disabled_packs.c.pack_id)).scalars())
    return p, positions


def _fill(d: Diagram, elements: list[Any]) -> None:
    """Add elements in drawing order (flows after the nodes they connect)."""
    try:
        for e in sorted(elements, key=lambda e: e.is_flow):
            d.add(e)
        ids = [e.id for e in elements]
        if list(d.elements) != ids:
            d.reorder(ids)
    except DomainError as err:
        raise m.BadRowError(f"diagram {d.name!r}: {err}") from None


# -- writing everything --------------------------------------------------------------------
def write_all(conn: Connection, p: Project) -> Positions:
    """Replace every row with the project's content; returns the drawing positions."""
    for table in reversed(s.metadata.sorted_tables):
        conn.execute(delete(table))
    conn.execute(insert(s.project_info), m.info_rows(p))
    positions: Positions = {}
    for i, d in enumerate(p.diagrams):
        positions[d.id] = _write_diagram(conn, d, i)
    for key in p.threats:
        _write_threat(conn, p, key)
    for key in p.triage:
        _write_triage(conn, p, key)
    _write_settings(conn, p, "all")
    return positions


def _write_diagram(conn: Connection, d: Diagram, index: int) -> Stored:
    conn.execute(insert(s.diagrams), {"id": d.id, "position": index, "name": d.name})
    rows = [m.element_row(d.id, e, float(i)) for i, e in enumerate(d)]
    if rows:
        conn.execute(insert(s.elements), rows)
    return Stored({r["id"]: r["position"] for r in rows}, dict(d.elements))


def _write_threat(conn: Connection, p: Project, key: str) -> None:
    conn.execute(delete(s.threats).where(s.threats.c.key == key))
    record = p.threats.get(key)
    if record is not None:
        conn.execute(insert(s.threats), m.threat_row(record))


def _write_triage(conn: Connection, p: Project, key: str) -> None:
    conn.execute(delete(s.mitigations).where(s.mitigations.c.triage_key == key))
    conn.execute(delete(s.triage).where(s.triage.c.key == key))
    t = p.triage.get(key)
    if t is not None:
        row, items = m.triage_rows(key, t)
        conn.execute(insert(s.triage), row)
        if items:
            conn.execute(insert(s.mitigations), items)


def _write_settings(conn: Connection, p: Project, what: str) -> None:
    if what != "disabled_packs":
        conn.execute(delete(s.rule_packs))
        if p.rule_packs:
            conn.execute(insert(s.rule_packs), [{"pack_id": k, "document": m.dumps(v)}
                                                for k, v in p.rule_packs.items()])
    if what != "rule_packs":
        conn.execute(delete(s.disabled_packs))
        if p.disabled_packs:
            conn.execute(insert(s.disabled_packs),
                         [{"pack_id": k} for k in sorted(p.disabled_packs)])


def _put_info(conn: Connection, p: Project, key: str) -> None:
    conn.execute(insert(s.project_info).prefix_with("OR REPLACE"),
                 {"key": key, "value": m.info_value(p, key)})


# -- writing what events touched -----------------------------------------------------------
def apply_events(conn: Connection, p: Project, events: Iterable[ev.Event],
                 positions: Positions) -> Positions:
    """Write only the rows the events touched, reading their current state from `p`.

    Events name what changed, never the values, so a batch (or a retried batch) is
    applied by re-reading the model: idempotent and order-independent. Returns the new
    drawing positions; `positions` itself is left untouched for a rollback.
    """
    info: set[str] = set()
    settings: set[str] = set()
    diagrams_moved = False
    whole: set[str] = set()  # diagrams rewritten in full
    touched: dict[str, set[str]] = {}
    renamed: set[str] = set()
    threats: set[str] = set()
    triage: set[str] = set()
    for e in events:
        if isinstance(e, ev.ElementEvent):
            touched.setdefault(e.diagram_id, set()).add(e.element_id)
        elif isinstance(e, ev.ProjectInfoChanged):
            info.add(e.field)
        elif isinstance(e, ev.DiagramAdded | ev.DiagramRemoved):
            whole.add(e.diagram_id)
            diagrams_moved = True
        elif isinstance(e, ev.DiagramRenamed):
            renamed.add(e.diagram_id)
        elif isinstance(e, ev.DiagramMoved):
            diagrams_moved = True
        elif isinstance(e, ev.ThreatRecordChanged | ev.ThreatRecordRemoved):
            threats.add(e.key)
        elif isinstance(e, ev.TriageChanged):
            triage.add(e.key)
        elif isinstance(e, ev.ProjectSettingsChanged):
            settings.add(e.what)
        else:  # an event this schema does not know: rewrite everything, lose nothing
            return write_all(conn, p)

    new = dict(positions)
    current = {d.id: (i, d) for i, d in enumerate(p.diagrams)}
    for key in sorted(info | {"modified"}):
        _put_info(conn, p, key)
    for did in whole:
        conn.execute(delete(s.elements).where(s.elements.c.diagram_id == did))
        conn.execute(delete(s.diagrams).where(s.diagrams.c.id == did))
        new.pop(did, None)
        if did in current:
            index, d = current[did]
            new[did] = _write_diagram(conn, d, index)
    if diagrams_moved:
        conn.execute(update(s.diagrams).where(s.diagrams.c.id == bindparam("did"))
                     .values(position=bindparam("pos")),
                     [{"did": did, "pos": i} for did, (i, _) in current.items()])
    for did in renamed - whole:
        if did in current:
            conn.execute(update(s.diagrams).where(s.diagrams.c.id == did)
                         .values(name=current[did][1].name))
    for did, ids in touched.items():
        if did not in whole and did in current:
            new[did] = _sync_elements(conn, current[did][1], ids,
                                      positions.get(did) or Stored())
    for key in threats:
        _write_threat(conn, p, key)
    for key in triage:
        _write_triage(conn, p, key)
    if settings:
        _write_settings(conn, p, settings.pop() if len(settings) == 1 else "all")
    return new


def _sync_elements(conn: Connection, d: Diagram, ids: set[str], stored: Stored) -> Stored:
    """Upsert or delete the touched elements of one diagram and keep drawing order; an
    element whose value and position are unchanged is not written."""
    st = stored.copy()
    gone = [eid for eid in ids if eid not in d]
    if gone:
        for i in range(0, len(gone), 500):  # stay far below SQLite's bound-variable limit
            conn.execute(delete(s.elements).where(s.elements.c.diagram_id == d.id,
                                                  s.elements.c.id.in_(gone[i:i + 500])))
        for eid in gone:
            st.pos.pop(eid, None)
            st.value.pop(eid, None)
    moved = order.reposition(list(d.elements), st.pos)
    st.pos.update(moved)
    elements = d.elements
    changed = [eid for eid in ids if eid in elements and elements[eid] is not st.value.get(eid)]
    if changed:
        conn.execute(insert(s.elements).prefix_with("OR REPLACE"),
                     [m.element_row(d.id, elements[eid], st.pos[eid]) for eid in changed])
        st.value.update((eid, elements[eid]) for eid in changed)
    written = set(changed)
    only_moved = [{"eid": k, "pos": v} for k, v in moved.items() if k not in written]
    if only_moved:
        conn.execute(update(s.elements)
                     .where(s.elements.c.diagram_id == d.id, s.elements.c.id == bindparam("eid"))
                     .values(position=bindparam("pos")), only_moved)
    return st
