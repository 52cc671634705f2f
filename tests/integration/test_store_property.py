"""Property test: any project the domain accepts comes back from a .tcm unchanged."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from app.domain import Project
from app.store import read, write
from tests.data.make_store_fixtures import structure
from tests.strategies import projects


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_any_project_round_trips(p: Project) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.tcm"
        write(p, path)
        assert structure(read(path)) == structure(p)
