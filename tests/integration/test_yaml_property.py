"""Hypothesis: any project the domain can hold survives dumps → loads → dumps unchanged."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from app.domain import Project
from app.io import yaml_format as yf
from tests.data.make_store_fixtures import structure
from tests.strategies import projects


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_any_project_round_trips(p: Project) -> None:
    text_1 = yf.dumps(p)
    q = yf.loads(text_1, "rt.tc.yaml")
    assert structure(q) == structure(p)
    assert yf.dumps(q) == text_1
