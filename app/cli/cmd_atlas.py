"""`threatcanvas atlas`: install an official MITRE ATLAS release and show what is installed."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import print_json


def register(sub: Any) -> None:
    """Add `atlas import` and `atlas info` to the CLI."""
    p = sub.add_parser("atlas", help="MITRE ATLAS reference data")
    asub = p.add_subparsers(dest="atlas_command", metavar="ACTION")
    imp = asub.add_parser("import", help="validate an ATLAS.yaml and install it for findings")
    imp.add_argument("file", metavar="FILE", help="ATLAS.yaml from mitre-atlas/atlas-data")
    imp.set_defaults(func=cmd_import)
    info = asub.add_parser("info", help="show the installed ATLAS release")
    info.add_argument("--json", action="store_true")
    info.set_defaults(func=cmd_info)
    p.set_defaults(func=lambda _args: (p.print_help(), 2)[1])


def _counts(catalog: Any) -> dict[str, Any]:
    return {"version": catalog.version, "tactics": len(catalog.tactics),
            "techniques": len(catalog.techniques), "mitigations": len(catalog.mitigations)}


def cmd_import(args: argparse.Namespace) -> int:
    from app.catalog.atlas import import_atlas

    catalog, dest = import_atlas(args.file)
    c = _counts(catalog)
    print(f"imported ATLAS {c['version'] or '(no version)'}: {c['tactics']} tactics, "
          f"{c['techniques']} techniques, {c['mitigations']} mitigations → {dest}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from app.catalog.atlas import installed_atlas, installed_atlas_path

    catalog = installed_atlas()
    data = {"installed": catalog is not None, "path": str(installed_atlas_path()),
            **(_counts(catalog) if catalog is not None else {})}
    if args.json:
        print_json(data)
    elif catalog is None:
        print(f"no ATLAS release installed (expected at {data['path']}); "
              "use `threatcanvas atlas import ATLAS.yaml`")
    else:
        print(f"ATLAS {data['version']}: {data['tactics']} tactics, {data['techniques']} "
              f"techniques, {data['mitigations']} mitigations ({data['path']})")
    return 0
