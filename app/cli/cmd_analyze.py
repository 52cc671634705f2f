"""`threatcanvas analyze`: run the threat engine on a model file, for people and CI gates."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli.common import CliError, print_json
from app.domain import Finding, Severity

FORMATS = ("text", "json", "sarif")
SEVERITIES = [s.value for s in Severity]


def register(sub: Any) -> None:
    """Add `analyze` to the CLI."""
    p = sub.add_parser("analyze", help="list the threats the rule packs find in a model")
    p.add_argument("file", metavar="FILE", help="a model file (.tc.yaml, .tcm, .tm7)")
    p.add_argument("--json", action="store_true", help="same as --format json")
    p.add_argument("--format", choices=FORMATS, default=None, help="output format (text)")
    p.add_argument("--pack", metavar="ID", action="append", default=[],
                   help="run only this rule pack (repeatable; 'graph' = attack paths)")
    p.add_argument("--fail-on", metavar="SEVERITY", choices=SEVERITIES,
                   help="exit 1 when an open finding at or above this severity exists")
    p.add_argument("--lint", action="store_true", help="also print diagram lint messages")
    p.set_defaults(func=cmd_analyze)


def _text(findings: list[Finding], names: dict[str, str], out: Any) -> None:
    if not findings:
        out.write("no threats found\n")
        return
    for f in findings:
        where = ", ".join(names.get(i, i) for i in f.element_ids)
        flag = "" if f.applies else " [no longer applies]"
        out.write(f"{f.severity.value.upper():8} {f.state.value:19} {f.key}{flag}\n")
        out.write(f"         {f.title} — {f.category} ({where})\n")
        for r in f.reasons:
            out.write(f"           because {r}\n")
    by = {s: sum(1 for f in findings if f.applies and f.severity is s) for s in Severity}
    summary = ", ".join(f"{n} {s.value}" for s, n in by.items() if n)
    out.write(f"{len(findings)} findings ({summary})\n")


def _sarif(project: Any, findings: list[Finding], source: str) -> dict[str, Any]:
    """The SARIF log, written by the report layer (app.report.sarif.to_sarif)."""
    import app

    try:
        from app.report import sarif
    except ImportError:
        raise CliError("SARIF output is not available in this build") from None
    return sarif.to_sarif(findings, project, tool_version=app.__version__, source_uri=source)


def cmd_analyze(args: argparse.Namespace) -> int:
    from app.services.analysis import analyze_project, atlas_catalog, finding_record
    from app.services.files import load_project

    fmt = "json" if args.json and args.format in (None, "json") else (args.format or "text")
    if args.json and args.format not in (None, "json"):
        raise CliError("--json and --format disagree")
    project = load_project(args.file)
    findings = analyze_project(project, args.pack)
    if fmt == "json":
        atlas = atlas_catalog()
        print_json([finding_record(f, atlas) for f in findings])
    elif fmt == "sarif":
        json.dump(_sarif(project, findings, str(args.file)), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        names = {e.id: e.name or e.id for _, e in project.iter_elements()}
        _text(findings, names, sys.stdout)
    if args.lint:
        from app.engine.lint import lint

        for m in lint(project.snapshot()):
            print(f"{m.level}: {m.code}: {m.message}", file=sys.stderr)
    if args.fail_on:
        floor = Severity(args.fail_on).rank
        if any(f.is_open and f.severity.rank >= floor for f in findings):
            return 1
    return 0
