"""Read an official MITRE ATLAS release (ATLAS.yaml) into an AtlasCatalog, and install one
into the user's data folder (`threatcanvas atlas import`)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from app.domain import FileError
from app.domain.atlas import AtlasCatalog, AtlasMitigation, AtlasTactic, AtlasTechnique

DATA_DIR_ENV = "THREATCANVAS_DATA_DIR"
ATLAS_FILE = "ATLAS.yaml"
_ID = {"tactic": re.compile(r"^AML\.TA\d{4}$"), "technique": re.compile(r"^AML\.T\d{4}(\.\d{3})?$"),
       "mitigation": re.compile(r"^AML\.M\d{4}$")}


class AtlasError(FileError):
    """An ATLAS file that cannot be used, with the reason."""


def user_data_dir() -> Path:
    """Where ThreatCanvas keeps user data ($THREATCANVAS_DATA_DIR overrides, for tests)."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("ThreatCanvas", appauthor=False))


def installed_atlas_path() -> Path:
    return user_data_dir() / "atlas" / ATLAS_FILE


def _items(path: Path, node: Any, key: str, kind: str) -> list[dict[str, Any]]:
    items = node.get(key) or []
    if not isinstance(items, list):
        raise AtlasError(path, f"'{key}' must be a list")
    out = []
    for i, it in enumerate(items):
        if not isinstance(it, dict) or not isinstance(it.get("id"), str) or not isinstance(
                it.get("name"), str):
            raise AtlasError(path, f"{key}[{i}]: each {kind} needs an 'id' and a 'name'")
        if not _ID[kind].match(it["id"]):
            raise AtlasError(path, f"{key}[{i}]: {it['id']!r} is not an ATLAS {kind} id")
        out.append(it)
    return out


def _technique_refs(m: dict[str, Any]) -> tuple[str, ...]:
    refs: list[str] = []
    # Some releases put a technique reference inside `ml-lifecycle`; accept it there too.
    for key in ("techniques", "ml-lifecycle"):
        for r in m.get(key) or []:
            rid = r.get("id") if isinstance(r, dict) else None
            if isinstance(rid, str):
                refs.append(rid)
    return tuple(refs)


def parse_atlas(data: Any, path: Path) -> AtlasCatalog:
    """Validate parsed ATLAS YAML and build the catalog (raises AtlasError)."""
    if not isinstance(data, dict) or not isinstance(data.get("matrices"), list) or not data[
            "matrices"]:
        raise AtlasError(path, "not an ATLAS data file (no 'matrices' list)")
    tactics: dict[str, AtlasTactic] = {}
    techniques: dict[str, AtlasTechnique] = {}
    mitigations: dict[str, AtlasMitigation] = {}
    for mx in data["matrices"]:
        if not isinstance(mx, dict):
            raise AtlasError(path, "each matrix must be a mapping")
        for t in _items(path, mx, "tactics", "tactic"):
            tactics[t["id"]] = AtlasTactic(t["id"], t["name"].strip())
        for t in _items(path, mx, "techniques", "technique"):
            techniques[t["id"]] = AtlasTechnique(
                t["id"], t["name"].strip(), tuple(str(x) for x in t.get("tactics") or ()),
                str(t.get("subtechnique-of") or ""))
        for m in _items(path, mx, "mitigations", "mitigation"):
            mitigations[m["id"]] = AtlasMitigation(m["id"], m["name"].strip(),
                                                   _technique_refs(m))
    if not techniques or not tactics:
        raise AtlasError(path, "no tactics or techniques found")
    return AtlasCatalog(str(data.get("version") or ""), tactics, techniques, mitigations)


def load_atlas(path: str | os.PathLike[str]) -> AtlasCatalog:
    """Read and validate an ATLAS.yaml file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AtlasError(p, "file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise AtlasError(p, f"cannot read: {err}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise AtlasError(p, f"not valid YAML: {where}{getattr(err, 'problem', err)}") from None
    return parse_atlas(data, p)


def installed_atlas() -> AtlasCatalog | None:
    """The ATLAS release the user imported, or None."""
    p = installed_atlas_path()
    return load_atlas(p) if p.is_file() else None


def import_atlas(path: str | os.PathLike[str]) -> tuple[AtlasCatalog, Path]:
    """Validate an ATLAS.yaml and copy it (atomically) into the user data folder."""
    catalog = load_atlas(path)
    dest = installed_atlas_path()
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, suffix=".tmp")
        os.close(fd)
        shutil.copyfile(path, tmp)
        os.replace(tmp, dest)
    except OSError as err:
        raise AtlasError(dest, f"cannot write: {err}") from None
    return catalog, dest
