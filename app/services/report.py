"""Compose a report: analyse the project with the engine, add stencils and ATLAS data, and
hand plain values to app.report (which imports neither engine nor catalog)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

import app
from app.domain import FileError, Finding, Project, ValidationMessage
from app.report.atlas import load_atlas
from app.report.build import build_report
from app.report.model import PackInfo, Report


@dataclass(frozen=True)
class Analysis:
    """What the engine said about a project, plus the rule packs it used."""

    findings: list[Finding]
    validation: list[ValidationMessage]
    packs: list[PackInfo]


def analyse(project: Project) -> Analysis:
    """Run the built-in and project rule packs and the diagram lint over the project."""
    from app.catalog import load_stencils, rules_dir
    from app.engine import analyze, compile_pack
    from app.engine.lint import lint

    registry = load_stencils()
    compiled = []
    infos: list[PackInfo] = []
    for path in sorted(rules_dir().glob("*.yaml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as err:
            raise FileError(path, f"cannot read rule pack: {err}") from None
        pack = compile_pack(doc, str(path), builtin=True)
        enabled = pack.id not in project.disabled_packs
        infos.append(PackInfo(pack.id, pack.name, pack.version, "built-in", enabled,
                              len(pack.threats)))
        compiled.append(pack)
    for pid, doc in sorted(project.rule_packs.items()):
        enabled = pid not in project.disabled_packs
        version = str(doc.get("version", "")) if isinstance(doc, dict) else ""
        name = str(doc.get("name", pid)) if isinstance(doc, dict) else pid
        rules = len(doc.get("threats", []) or []) if isinstance(doc, dict) else 0
        infos.append(PackInfo(pid, name, version, "project", enabled, rules))
    infos.append(PackInfo("graph", "Attack paths (graph analysis, PATH-001)", app.__version__,
                          "built-in", "graph" not in project.disabled_packs, 1))
    defaults = {s.id: s.defaults() for s in registry}
    snapshot = project.snapshot()
    findings = analyze(snapshot, compiled, registry.hierarchy(), defaults)
    return Analysis(list(findings), list(lint(snapshot)), infos)


def make_report(project: Project, analysis: Analysis | None = None,
                source: Path | None = None) -> Report:
    """The `Report` value for a project (analysed here unless results are given)."""
    from app.catalog import load_stencils

    analysis = analysis or analyse(project)
    registry = load_stencils()
    icons: dict[str, str] = {}
    for s in registry:
        try:
            path = registry.icon_path(s.id)
        except (KeyError, ValueError):
            continue
        if path.is_file():
            icons[s.id] = str(path)
    source_sha = ""
    if source is not None:
        try:
            source_sha = hashlib.sha256(Path(source).read_bytes()).hexdigest()
        except OSError:
            source_sha = ""
    return build_report(
        project, analysis.findings, analysis.validation, analysis.packs,
        atlas=load_atlas(), tool_version=app.__version__, icons=icons,
        type_names={s.id: s.name for s in registry},
        source_file=Path(source).name if source else "", source_sha256=source_sha,
    )


def export_all(report: Report, pdf: Path | None, csv: Path | None = None,
               json_path: Path | None = None, sarif: Path | None = None) -> Sequence[str]:
    """Write whichever outputs are asked for; returns the characters no font could draw."""
    from app.report.exports import dumps_json, to_csv, to_json, write_text
    from app.report.pdf import write_pdf
    from app.report.sarif import report_to_sarif
    from app.report.svg_icon import IconPainter

    missing: Sequence[str] = ()
    if pdf is not None:
        missing = write_pdf(report, pdf, paint_icon=IconPainter()).missing_glyphs
    if csv is not None:
        write_text(csv, to_csv(report))
    if json_path is not None:
        write_text(json_path, dumps_json(to_json(report)))
    if sarif is not None:
        write_text(sarif, dumps_json(report_to_sarif(report, report.meta.source_file)))
    return missing
