"""`load_stencils`: read and cross-check a whole stencils folder into a StencilRegistry."""

from __future__ import annotations

from pathlib import Path

from app.catalog.errors import StencilError
from app.catalog.paths import stencils_dir
from app.catalog.registry import StencilRegistry
from app.catalog.stencil_files import Definitions, Loaded, file_order, read_file
from app.domain import GENERIC_TYPES, KIND_BY_GENERIC_TYPE


def load_stencils(folder: Path | None = None) -> StencilRegistry:
    """Every stencil in `folder` (default: the bundled `stencils/`), validated.

    Raises StencilError naming the file, the line and the field of the first problem.
    Nothing is cached: the caller keeps the registry.
    """
    root = Path(folder) if folder is not None else stencils_dir()
    if not root.is_dir():
        raise StencilError(root, "stencils folder not found")
    files = sorted((read_file(p) for p in sorted(root.glob("*.yaml"))), key=file_order)
    defs: Definitions = {}
    for f in files:
        for key, (body, owner) in f.definitions().items():
            if key in defs:
                raise f.fail(body.line, f"property definition {key!r} is already defined in "
                                        f"{defs[key][1].path.name}")
            defs[key] = (body, owner)
    loaded: dict[str, Loaded] = {}
    for f in files:
        for item in f.stencils(root, defs):
            sid = item.stencil.id
            if sid in loaded:
                first = loaded[sid]
                raise StencilError(f.path, f"stencil {sid!r}: field 'id': duplicate id (first "
                                           f"defined in {first.path.name} line {first.line})",
                                   item.line)
            loaded[sid] = item
    _check_generics(root, loaded)
    _check_parents(loaded)
    return StencilRegistry([i.stencil for i in loaded.values()], root,
                           {sid: i.icon_file for sid, i in loaded.items()})


def _check_generics(root: Path, loaded: dict[str, Loaded]) -> None:
    missing = [t for t in GENERIC_TYPES.values() if t not in loaded]
    if missing:
        raise StencilError(root, "no stencil for the generic type(s) " + ", ".join(missing)
                           + " (every stencils folder defines all seven GE.* types)")


def _check_parents(loaded: dict[str, Loaded]) -> None:
    """Each parent exists, chains end at a generic type, and that type's kind matches."""
    for sid, item in loaded.items():
        s = item.stencil
        if not s.parent:
            continue
        chain = [sid]
        cur = s.parent
        while cur:
            if cur in chain:
                loop = " → ".join([*chain, cur])
                raise StencilError(item.path, f"stencil {sid!r}: field 'parent': parent cycle "
                                              f"{loop}", item.parent_line)
            parent = loaded.get(cur)
            if parent is None:
                raise StencilError(item.path, f"stencil {sid!r}: field 'parent': unknown "
                                              f"parent {cur!r}", item.parent_line)
            chain.append(cur)
            cur = parent.stencil.parent
        root_kind = KIND_BY_GENERIC_TYPE[chain[-1]]
        if root_kind is not s.kind:
            raise StencilError(item.path, f"stencil {sid!r}: field 'kind': {s.kind.value} does "
                                          f"not match its parent {s.parent!r} (a "
                                          f"{root_kind.value})", item.line)
