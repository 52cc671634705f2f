"""The threat engine: rule language, rule packs, graph analysis, findings and diagram lint.

The only user of lark and networkx; pure functions over app.domain snapshots.

- `analyze(snapshot, packs, hierarchy, defaults)` — every finding, one full run.
- `Analyzer(packs, hierarchy, defaults)` — `run(snapshot)`, then `update(snapshot,
  changed_ids)` after each edit: re-evaluates only what the edit can affect.
- `lint(snapshot)` — diagram validation messages.
- `compile_pack(document, source)` — validate and compile a rule pack (PackError).
- `parse(text)` — the rule expression language (RuleSyntaxError with column and caret).
"""

from app.engine.analyzer import Analyzer, analyze
from app.engine.language import RuleSyntaxError, parse
from app.engine.lint import lint
from app.engine.packs import PackError, RulePack, ThreatType, compile_pack

__all__ = [
    "Analyzer",
    "PackError",
    "RulePack",
    "RuleSyntaxError",
    "ThreatType",
    "analyze",
    "compile_pack",
    "lint",
    "parse",
]
