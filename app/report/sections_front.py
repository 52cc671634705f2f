"""Front sections: cover, contents, executive summary, scope and the diagrams."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Table,
    TableStyle,
)

from app.report.charts import BarChart, HeatMap
from app.report.diagram import IconPainter, diagram_flowables
from app.report.model import Report
from app.report.parts import Ctx


def cover(r: Report, ctx: Ctx) -> list[Flowable]:
    m = r.meta
    s = ctx.style
    rows = [
        ("Project", ctx.m(m.project_name)),
        ("Model version", ctx.m(m.version) or ctx.missing("not set")),
        ("Owner", ctx.m(m.owner) or ctx.missing("not set")),
        ("Reviewers", ctx.m(", ".join(m.reviewers)) or ctx.missing("none named")),
        ("Contributors", ctx.m(", ".join(m.contributors)) or "—"),
        ("Model date", ctx.m(m.date)),
        ("Created", ctx.m(m.created)),
        ("Classification", f"<b>{ctx.m(m.classification)}</b>"),
        ("Tool", f"ThreatCanvas {ctx.m(m.tool_version)}"),
        ("Model SHA-256", f'<font name="TCMono">{m.model_sha256}</font>'),
    ]
    if m.source_file:
        rows.append(("Source file", ctx.m(m.source_file)))
    if m.source_sha256:
        rows.append(("File SHA-256", f'<font name="TCMono">{m.source_sha256}</font>'))
    table = Table(
        [[ctx.raw(f"<b>{k}</b>", "body"), ctx.raw(v, "body")] for k, v in rows],
        colWidths=[34 * mm, ctx.width - 34 * mm],
    )
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, s.color("grid")),
    ]))
    return [
        ctx.gap(40 * mm),
        ctx.raw(s.text("title"), "subtitle"),
        ctx.p(m.project_name, "title"),
        ctx.gap(10),
        table,
        ctx.gap(14),
        ctx.p(s.text("confidentiality", classification=m.classification,
                     project=m.project_name), "muted"),
        ctx.raw("Model SHA-256 is computed over a canonical form of the model's content "
                "(diagrams, elements, properties, threats and triage), independent of the "
                "file format, so a reviewer can check that this report matches a model.",
                "muted"),
        NextPageTemplate("body"),
        PageBreak(),
    ]


def contents(ctx: Ctx, slots: list[Flowable]) -> list[Flowable]:
    out: list[Flowable] = [ctx.heading("Contents", 0, toc=False)]
    for i, slot in enumerate(slots):
        if i:
            out.append(PageBreak())
        out.append(slot)
    return [*out, PageBreak()]


def summary(r: Report, ctx: Ctx) -> list[Flowable]:
    s = r.summary
    out: list[Flowable] = [ctx.heading("Executive summary"), ctx.raw(ctx.style.text(
        "summary_intro"))]
    out.append(ctx.raw(
        f"The model holds <b>{len(r.elements)}</b> elements on <b>{len(r.diagrams)}</b> "
        f"diagram(s). Analysis found <b>{s.total}</b> applicable threats, of which "
        f"<b>{s.open}</b> are open."))
    out += audit_checks(r, ctx)
    sev_rows = [[ctx.sev(sev), str(n), str(o)] for sev, n, o in s.by_severity]
    sev_rows.append(["<b>Total</b>", f"<b>{s.total}</b>", f"<b>{s.open}</b>"])
    state_rows = [[ctx.state(st), str(n)] for st, n in s.by_state]
    half = ctx.width * 0.47
    left = ctx.table(["Severity", "Threats", "Open"], sev_rows, [3, 2, 2], width=half)
    right = ctx.table(["State", "Threats"], state_rows, [4, 2], width=half)
    pair = Table([[left, right]], colWidths=[ctx.width / 2, ctx.width / 2])
    pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    out += [ctx.heading("Threats by severity and state", 1), pair]
    out.append(ctx.heading("Top risks", 1))
    out.append(ctx.table(
        ["Ref", "Threat", "Element or flow", "Severity", "L × I"],
        [[t.ref, ctx.m(t.title), ctx.m(t.target), ctx.sev(t.severity),
          f"{t.likelihood} × {t.impact}"] for t in s.top_risks],
        [10, 44, 30, 12, 9],
    ))
    out.append(KeepTogether([ctx.heading("Risk heat map", 1),
                             HeatMap(s.heat, ctx.style, ctx.kit),
                             ctx.raw(ctx.style.text("heat_caption"), "muted")]))
    out.append(KeepTogether([
        ctx.heading("Threats per STRIDE category", 1),
        BarChart("Open / all threats per category", [(c, n, o) for c, n, o in s.by_stride],
                 ctx.style, ctx.kit, ctx.width)]))
    out.append(CondPageBreak(60 * mm))
    out.append(KeepTogether([
        ctx.heading("Threats per ATLAS tactic", 1),
        BarChart("Threat-technique mappings per MITRE ATLAS tactic",
                 [(n, c, None) for n, c in s.by_tactic if c], ctx.style, ctx.kit, ctx.width)]))
    if not any(c for _, c in s.by_tactic):
        out.append(ctx.raw(ctx.missing("No threat in this model maps to an ATLAS technique"
                                       + (" known to the bundled ATLAS data." if
                                          r.unmapped_atlas else "."))))
    return out


def audit_checks(r: Report, ctx: Ctx) -> list[Flowable]:
    """The figures an auditor asks about first, each flagged when it needs attention."""
    plan = r.mitigation_plan
    severe = sum(1 for t in plan if t.severity.rank >= 3)
    unowned = sum(1 for t in plan if not t.owner)
    unjustified = sum(1 for t in r.ruled_out if not t.justification)
    errors = sum(1 for v in r.validation if v.level == "error")
    warnings = sum(1 for v in r.validation if v.level == "warning")
    off = [p.id for p in r.packs if not p.enabled]

    def flag(n: int, text: str) -> list[str]:
        mark = '<font color="#b71c1c"><b>check</b></font>' if n else \
            '<font color="#2e7d32">ok</font>'
        return [text, f"<b>{n}</b>", mark]

    rows = [
        flag(severe, "Open critical or high threats"),
        flag(unowned, "Open threats without an owner"),
        flag(unjustified, "Not applicable or accepted threats without a justification"),
        flag(len(r.stale), "Triaged threats whose rule no longer matches the model"),
        flag(errors, "Validation errors (the analysis may be incomplete)"),
        ["Validation warnings", f"<b>{warnings}</b>", "—"],
        ["Rule packs switched off", ctx.m(", ".join(off)) or "none",
         '<font color="#e65100"><b>check</b></font>' if off else "—"],
    ]
    return [ctx.heading("Audit checks", 1), ctx.table(["Check", "Count", ""], rows, [70, 20, 10])]


def scope(r: Report, ctx: Ctx) -> list[Flowable]:
    return [
        ctx.heading("Scope and assumptions"),
        ctx.heading("Description", 1),
        ctx.p(r.description) if r.description else ctx.raw(ctx.missing("No description.")),
        ctx.heading("Scope", 1),
        ctx.p(r.scope) if r.scope else ctx.raw(ctx.missing("No scope statement.")),
        ctx.heading("Assumptions", 1),
        *ctx.bullets(r.assumptions, "No assumptions recorded."),
        ctx.heading("External dependencies", 1),
        *ctx.bullets(r.dependencies, "No external dependencies recorded."),
    ]


def diagrams(r: Report, ctx: Ctx, paint_icon: IconPainter | None) -> list[Flowable]:
    """Each diagram on its own page, landscape when it is wider than tall."""
    out: list[Flowable] = []
    intro = [ctx.heading("Diagrams"), ctx.raw(ctx.style.text("diagrams_intro"))]
    if not r.diagrams:
        return [PageBreak(), *intro, ctx.raw(ctx.missing("The model has no diagrams."))]
    caption: Callable[[str], Flowable] = lambda text: ctx.p(text, "muted")  # noqa: E731
    for i, view in enumerate(r.diagrams):
        _, _, bw, bh = view.bounds
        wide = bw > bh * 1.15
        w, h = (ctx.height, ctx.width) if wide else (ctx.width, ctx.height)
        out += [NextPageTemplate("landscape" if wide else "body"), PageBreak()]
        if i == 0:
            out += intro
        out.append(ctx.heading(view.name or "(unnamed diagram)", 1))
        n = sum(1 for e in view.elements if not e.is_flow)
        f = sum(1 for e in view.elements if e.is_flow)
        out.append(ctx.raw(f"{n} elements and {f} data flows.", "muted"))
        if not view.elements:
            out.append(ctx.raw(ctx.missing("This diagram is empty.")))
            continue
        parts = diagram_flowables(view, ctx.style, ctx.kit, w, h - (110 if i == 0 else 70),
                                  r.icons, paint_icon, caption, tile_h=h - 30)
        for j in range(0, len(parts), 2 if len(parts) > 1 else 1):
            chunk = parts[j:j + 2] if len(parts) > 1 else parts
            if j:
                out.append(PageBreak())
            out.extend(chunk)
    out.append(NextPageTemplate("body"))
    return out
