"""Rule-pack subcommands: import a TMT template (.tb7) or a model's knowledge base, list packs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import CliError, print_json
from app.common.atomic import write_text_atomic


def register(sub: Any) -> None:
    """Add `pack import` and `pack list` to the CLI."""
    pack = sub.add_parser("pack", help="import and list rule packs")
    psub = pack.add_subparsers(dest="pack_command", metavar="ACTION")

    p = psub.add_parser("import", help="turn a TMT template (.tb7) or a .tm7's knowledge base "
                                       "into a rule pack")
    p.add_argument("file", metavar="FILE", help=".tb7 template or .tm7 model")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="write the pack document here (YAML); default: standard output")
    p.add_argument("--into", metavar="PROJECT",
                   help="also store the pack in this project file (saved in place)")
    p.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    p.set_defaults(func=cmd_import)

    p = psub.add_parser("list", help="list built-in rule packs and those stored in a project")
    p.add_argument("file", metavar="PROJECT", nargs="?", help="also list this project's packs")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_list)
    pack.set_defaults(func=lambda _a: _usage(pack))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def dump_pack(doc: dict[str, Any]) -> str:
    """A pack document as YAML, in the order docs/rule-packs.md shows."""
    import yaml

    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def cmd_import(args: argparse.Namespace) -> int:
    from app.io.tm7 import read_tb7

    src = Path(args.file)
    if src.suffix.lower() not in (".tb7", ".tm7"):
        raise CliError(f"{src}: expected a .tb7 template or a .tm7 model")
    out = Path(args.output) if args.output else None
    if out is not None and out.exists() and not args.force:
        raise CliError(f"{out} already exists (use --force to overwrite)")
    doc = read_tb7(src)
    if args.into:
        from app.services.files import load_project, save_project

        project = load_project(args.into)
        project.put_rule_pack(doc["id"], doc)
        save_project(project, args.into)
    text = dump_pack(doc)
    if out is None:
        if not args.into:
            sys.stdout.write(text)
    else:
        try:
            write_text_atomic(out, text)
        except OSError as err:
            raise CliError(f"{out}: cannot write ({err.strerror or err})") from None
    where = f" -> {out}" if out else ""
    into = f" (stored in {args.into})" if args.into else ""
    if out is not None or args.into:
        print(f"pack {doc['id']}: {len(doc['threats'])} threat types, "
              f"{len(doc['types'])} element types{where}{into}")
    return 0


def _builtin_packs() -> list[dict[str, Any]]:
    import yaml

    from app.catalog.paths import rules_dir

    folder = rules_dir()
    out: list[dict[str, Any]] = []
    if not folder.is_dir():
        return out
    for f in sorted(folder.glob("*.y*ml")):
        try:
            doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            out.append({"id": f.stem, "name": "(unreadable)", "version": "", "threats": 0,
                        "source": str(f)})
            continue
        if isinstance(doc, dict):
            out.append({"id": str(doc.get("id", f.stem)), "name": str(doc.get("name", "")),
                        "version": str(doc.get("version", "")),
                        "threats": len(doc.get("threats") or []), "source": "built-in"})
    return out


def cmd_list(args: argparse.Namespace) -> int:
    rows = _builtin_packs()
    if args.file:
        from app.services.files import load_project

        project = load_project(args.file)
        for pid, doc in sorted(project.rule_packs.items()):
            rows.append({"id": pid, "name": str(doc.get("name", "")),
                         "version": str(doc.get("version", "")),
                         "threats": len(doc.get("threats") or []), "source": "project",
                         "enabled": pid not in project.disabled_packs})
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no rule packs")
    for r in rows:
        state = "" if r.get("enabled", True) else "  (disabled)"
        print(f"{r['id']:<40} {r['threats']:>4} threats  {r['version']:<12} "
              f"{r['source']:<9} {r['name']}{state}")
    return 0
