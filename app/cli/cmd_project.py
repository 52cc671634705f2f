"""Project subcommands: new, import, export, info."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import CliError, print_json
from app.domain import Diagram, Project, new_id, now_iso

EXAMPLE_SUFFIX = ".tc.yaml"


def _one_line_errors(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Usage mistakes print one `error: …` line (no usage dump) and exit 2, like bad input."""
    def error(message: str) -> Any:
        parser.exit(2, f"error: {parser.prog}: {message}\n")

    parser.error = error  # type: ignore[method-assign]
    return parser


def register(sub: Any) -> None:
    """Add `new`, `import`, `export` and `info` to the CLI."""
    p = _one_line_errors(sub.add_parser("new", help="create a project file, empty or from "
                                                    "an example"))
    p.add_argument("out", metavar="OUT", help="file to create (.tc.yaml, …)")
    p.add_argument("--example", metavar="NAME", help="start from a bundled example project")
    p.add_argument("--name", help="project name (default: from the file name or example)")
    p.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    p.set_defaults(func=cmd_new)

    p = _one_line_errors(sub.add_parser("import", help="convert a model file into a "
                                                       "ThreatCanvas project"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", metavar="OUT", required=True)
    p.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    p.set_defaults(func=cmd_convert, verb="imported")

    p = _one_line_errors(sub.add_parser("export", help="write a project as a .tc.yaml "
                                                       "model file"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", metavar="OUT", required=True,
                   help="file to write, or - for .tc.yaml text on standard output")
    p.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    p.set_defaults(func=cmd_convert, verb="exported")

    p = _one_line_errors(sub.add_parser("info", help="show what a project contains"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="machine-readable counts")
    p.set_defaults(func=cmd_info)


def examples() -> dict[str, Path]:
    """Bundled example projects by name (file name without .tc.yaml)."""
    from app.catalog.paths import examples_dir

    folder = examples_dir()
    if not folder.is_dir():
        return {}
    return {f.name[: -len(EXAMPLE_SUFFIX)]: f
            for f in sorted(folder.glob("*" + EXAMPLE_SUFFIX))}


def _check_out(out: Path, force: bool) -> None:
    from app.services.files import format_for

    format_for(out)
    if out.exists() and not force:
        raise CliError(f"{out} already exists (use --force to overwrite)")


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".tc.yaml", ".yaml", ".yml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def cmd_new(args: argparse.Namespace) -> int:
    from app.services.files import load_project, save_project

    out = Path(args.out)
    _check_out(out, args.force)
    if args.example:
        found = examples()
        if args.example not in found:
            names = ", ".join(found) or "none installed"
            raise CliError(f"unknown example {args.example!r}; available: {names}")
        project = load_project(found[args.example])
        project.id = new_id()
        project.created = project.modified = now_iso()
    else:
        project = Project(_stem(out))
        project.add_diagram(Diagram("Main"))
    if args.name:
        project.name = args.name
    save_project(project, out)
    print(f"created {out}")
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    from app.services.files import load_project, save_project

    src = Path(args.file)
    if args.output == "-" and args.verb == "exported":
        from app.io.yaml_format import dumps

        sys.stdout.write(dumps(load_project(src)))
        return 0
    out = Path(args.output)
    _check_out(out, args.force)
    project = load_project(src)
    save_project(project, out)
    print(f"{args.verb} {src} -> {out}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from app.services.files import load_project

    project = load_project(Path(args.file))
    counts = project.counts()
    if args.json:
        print_json(counts)
        return 0
    el = counts["elements"]
    b = counts["boundaries"]
    t = counts["threats"]
    names = ", ".join(d.name for d in project.diagrams)
    lines = [
        f"project:     {project.name}",
        f"version:     {project.version}",
        f"owner:       {project.owner or '-'}",
        f"modified:    {project.modified}",
        f"diagrams:    {counts['diagrams']}" + (f" ({names})" if names else ""),
        f"elements:    {el['external_entity']} external entities, {el['process']} processes, "
        f"{el['data_store']} data stores, {el['annotation']} annotations",
        f"flows:       {counts['flows']}",
        f"boundaries:  {b['box']} boxes, {b['line']} lines",
        f"threats:     {t['total']} stored"
        + "".join(f", {n} {state.replace('_', ' ')}" for state, n in t["by_state"].items()),
    ]
    print("\n".join(lines))
    return 0
