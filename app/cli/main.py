"""The `threatcanvas` command line: headless subcommands on the same engine as the window."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

import app
from app.cli.common import CliError
from app.domain import DomainError, FileError

#: Modules that each define `register(subparsers)`; a subcommand sets `func(args) -> int`.
SUBCOMMAND_MODULES: tuple[str, ...] = (
    "app.cli.cmd_project",
    "app.cli.cmd_pack",
    "app.cli.cmd_analyze",
    "app.cli.cmd_atlas",
    "app.cli.cmd_report",
)


class _Parser(argparse.ArgumentParser):
    """Reports a usage mistake as one `error: …` line (exit 2), like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="threatcanvas",
        description="Threat modeling for AI/ML systems. With no arguments, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"threatcanvas {app.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; bad input exits 2 with one `error: …` line, never a traceback."""
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except (CliError, FileError, DomainError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
