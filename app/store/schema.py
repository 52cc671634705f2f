"""The `.tcm` schema as SQLAlchemy Core tables, and the ladder of schema upgrades.

Version 1 is current. New files are created from the tables below; an older file climbs
the ladder one step at a time: `UPGRADES[n]` takes a database from version n to n + 1
(so schema v2 is one function `_v1_to_v2` added under key 1, plus the table changes).
Every released version keeps a fixture file in tests/data/ and a test that opens it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
)

#: `PRAGMA application_id` of every ThreatCanvas project file: ASCII "TCvs".
APPLICATION_ID = 0x54437673
#: The schema version this code writes (`PRAGMA user_version`).
SCHEMA_VERSION = 1

metadata = MetaData()

#: Project metadata and identity, one row per field; values are JSON text.
project_info = Table(
    "project_info",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

diagrams = Table(
    "diagrams",
    metadata,
    Column("id", Text, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
)

#: One row per element. `position` orders drawing (z-order) within a diagram; it is a
#: sparse real number so an insertion or removal rewrites only the rows it touches.
#: Geometry, properties and foreign metadata are JSON text (NULL when empty).
elements = Table(
    "elements",
    metadata,
    Column("diagram_id", Text, ForeignKey("diagrams.id", ondelete="CASCADE"),
           primary_key=True),
    Column("id", Text, primary_key=True),
    Column("position", Float, nullable=False),
    Column("kind", Text, nullable=False),
    Column("type_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("notes", Text, nullable=False),
    Column("source_id", Text),
    Column("target_id", Text),
    Column("geometry", Text),
    Column("properties", Text),
    Column("extra", Text),
)
Index("elements_order", elements.c.diagram_id, elements.c.position)

#: Custom and imported threats, keyed by the stable threat key.
threats = Table(
    "threats",
    metadata,
    Column("key", Text, primary_key=True),
    Column("title", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("element_ids", Text, nullable=False),
    Column("diagram_id", Text, nullable=False),
    Column("rule_id", Text, nullable=False),
    Column("pack", Text, nullable=False),
    Column("origin", Text, nullable=False),
    Column("likelihood", Integer, nullable=False),
    Column("impact", Integer, nullable=False),
    Column("atlas", Text, nullable=False),
    Column("owasp", Text, nullable=False),
    Column("extra", Text),
)

#: The analyst's triage of any threat (engine finding, custom or imported) by threat key.
triage = Table(
    "triage",
    metadata,
    Column("key", Text, primary_key=True),
    Column("state", Text, nullable=False),
    Column("justification", Text, nullable=False),
    Column("likelihood", Integer),
    Column("impact", Integer),
    Column("owner", Text, nullable=False),
    Column("notes", Text, nullable=False),
    Column("modified", Text, nullable=False),
)

#: A triage's mitigation checklist, in order.
mitigations = Table(
    "mitigations",
    metadata,
    Column("triage_key", Text, ForeignKey("triage.key", ondelete="CASCADE"),
           primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("ref", Text, nullable=False),
    Column("done", Boolean, nullable=False),
)

#: Rule packs that travel with the project: pack id → rule-pack document (JSON).
rule_packs = Table(
    "rule_packs",
    metadata,
    Column("pack_id", Text, primary_key=True),
    Column("document", Text, nullable=False),
)

disabled_packs = Table(
    "disabled_packs",
    metadata,
    Column("pack_id", Text, primary_key=True),
)

Upgrade = Callable[[Connection], None]

#: Upgrade steps: UPGRADES[n] turns a version-n database into version n + 1, inside the
#: caller's transaction (the caller then sets user_version). Empty while v1 is current.
UPGRADES: dict[int, Upgrade] = {}


def create_current(conn: Connection) -> None:
    """Create the current schema in an empty database (inside the caller's transaction)."""
    metadata.create_all(conn)


def ladder(from_version: int) -> list[Upgrade]:
    """The steps that take a `from_version` database to SCHEMA_VERSION; KeyError if a
    rung is missing."""
    return [UPGRADES[v] for v in range(from_version, SCHEMA_VERSION)]
