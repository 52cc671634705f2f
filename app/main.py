"""Entry point: no arguments opens the window, a subcommand runs headless."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the desktop window or the headless CLI without importing Qt needlessly."""
    args = sys.argv[1:] if argv is None else argv
    if not args or (len(args) == 1 and not args[0].startswith("-") and _is_openable(args[0])):
        from app.ui.application import run_gui

        return run_gui(args)
    from app.cli.main import main as cli_main

    return cli_main(args)


def _is_openable(arg: str) -> bool:
    """A lone argument that names a project file opens it in the window."""
    return arg.endswith((".tcm", ".tc.yaml", ".tm7"))


if __name__ == "__main__":
    sys.exit(main())
