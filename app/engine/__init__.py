"""The threat engine: rule language, rule packs, graph analysis, findings and diagram lint.

The only user of lark and networkx; pure functions over app.domain snapshots.
"""

from app.engine.analyzer import Analyzer, analyze
from app.engine.language import RuleSyntaxError, parse
from app.engine.packs import PackError, RulePack, ThreatType, compile_pack

__all__ = [
    "Analyzer",
    "PackError",
    "RulePack",
    "RuleSyntaxError",
    "ThreatType",
    "analyze",
    "compile_pack",
    "parse",
]
