"""Helpers shared by the subcommands."""

from __future__ import annotations

import json
import sys
from typing import Any


class CliError(Exception):
    """A usage or input problem reported as one `error: …` line with exit status 2."""


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
