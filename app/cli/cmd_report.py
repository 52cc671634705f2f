"""`threatcanvas report FILE -o report.pdf [--csv X] [--json Y] [--sarif Z]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import CliError


def register(sub: Any) -> None:
    """Add the `report` subcommand."""
    p = sub.add_parser("report", help="write the PDF threat report (and CSV/JSON/SARIF)")
    p.add_argument("file", metavar="FILE", help="project or model file")
    p.add_argument("-o", "--output", metavar="PDF", help="PDF report to write")
    p.add_argument("--csv", metavar="CSV", help="also write the threat register as CSV")
    p.add_argument("--json", metavar="JSON", help="also write the threat register as JSON")
    p.add_argument("--sarif", metavar="SARIF", help="also write open findings as SARIF 2.1.0")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from app.services.files import load_project
    from app.services.report import export_all, make_report

    outputs = [args.output, args.csv, args.json, args.sarif]
    if not any(outputs):
        raise CliError("nothing to write: give -o report.pdf and/or --csv/--json/--sarif")
    src = Path(args.file)
    for out in outputs:
        if out and Path(out).resolve() == src.resolve():
            raise CliError(f"{out}: refusing to overwrite the model file with the report")
    project = load_project(src)
    report = make_report(project, source=src)
    missing = export_all(
        report,
        Path(args.output) if args.output else None,
        Path(args.csv) if args.csv else None,
        Path(args.json) if args.json else None,
        Path(args.sarif) if args.sarif else None,
    )
    if missing:
        codes = ", ".join(f"U+{ord(c):04X}" for c in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        print(f"warning: no font has a glyph for {codes}{more}; shown as [U+XXXX] markers "
              f"and listed under 'Rendering notes'", file=sys.stderr)
    s = report.summary
    written = ", ".join(str(o) for o in outputs if o)
    print(f"wrote {written}: {s.total} threats ({s.open} open), {len(report.elements)} elements")
    return 0
