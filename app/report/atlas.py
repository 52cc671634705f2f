"""The MITRE ATLAS index the report uses: tactics in matrix order, techniques with tactics.

Reads either the official `ATLAS.yaml` release or the compact index bundled in
`templates/report/atlas-index.yaml` (ids, names and tactic links only).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

import app
from app.domain import FileError
from app.report.model import AtlasCatalog, AtlasTechnique


def index_path() -> Path:
    """The bundled compact index, beside the report template."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(app.__file__).resolve().parent.parent
    return root / "templates" / "report" / "atlas-index.yaml"


def atlas_from_document(doc: Any) -> AtlasCatalog:
    """An AtlasCatalog from an ATLAS release document or a compact index (ValueError if
    it is neither)."""
    if not isinstance(doc, dict):
        raise ValueError("not a mapping")
    version = str(doc.get("version", ""))
    if "matrices" in doc:
        matrix = doc["matrices"][0]
        tactics_doc = matrix.get("tactics", [])
        techniques_doc = matrix.get("techniques", [])
    else:
        tactics_doc = doc.get("tactics", [])
        techniques_doc = doc.get("techniques", [])
    tactics = tuple((str(t["id"]), str(t["name"])) for t in tactics_doc)
    techniques: dict[str, AtlasTechnique] = {}
    for t in techniques_doc:
        tid = str(t["id"])
        techniques[tid] = AtlasTechnique(tid, str(t["name"]),
                                         tuple(str(x) for x in t.get("tactics") or ()))
    if not tactics:
        raise ValueError("no tactics")
    return AtlasCatalog(version, tactics, techniques)


def compact(catalog: AtlasCatalog) -> dict[str, Any]:
    """The compact index document for a catalog (what atlas-index.yaml holds)."""
    return {
        "version": catalog.version,
        "tactics": [{"id": i, "name": n} for i, n in catalog.tactics],
        "techniques": [
            {"id": t.id, "name": t.name, **({"tactics": list(t.tactics)} if t.tactics else {})}
            for t in sorted(catalog.techniques.values(), key=lambda t: t.id)
        ],
    }


def load_atlas(path: Path | None = None) -> AtlasCatalog:
    """Read an ATLAS file (default: the bundled index); a bad file is a FileError."""
    src = path or index_path()
    try:
        doc = yaml.safe_load(src.read_text(encoding="utf-8"))
        return atlas_from_document(doc)
    except (OSError, yaml.YAMLError, KeyError, IndexError, TypeError, ValueError) as err:
        raise FileError(src, f"cannot read ATLAS data: {err}") from None
