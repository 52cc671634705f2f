"""Tabular sections: inventory, threat register, ATLAS matrix, plan, ruled-out threats,
validation, rule packs, sign-off and rendering notes."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Table, TableStyle

from app.report.fonts import TextKit
from app.report.model import Report, ThreatRow
from app.report.parts import Ctx


def _props(ctx: Ctx, props: tuple[tuple[str, str], ...]) -> str:
    if not props:
        return "—"
    return "<br/>".join(f"{ctx.m(k)}: <b>{ctx.m(v)}</b>" for k, v in props)


def inventory(r: Report, ctx: Ctx) -> list[Flowable]:
    out: list[Flowable] = [PageBreak(), ctx.heading("Element inventory"),
                           ctx.raw(ctx.style.text("inventory_intro"))]
    for d in r.diagrams:
        rows = []
        for e in (x for x in r.elements if x.diagram == d.name):
            kind = f"{e.kind}<br/>{ctx.m(e.type_name or e.type_id)}"
            name = (f"<b>{ctx.m(e.name)}</b><br/>"
                    f'<font name="TCMono" size="6" color="#5f6b7d">{ctx.m(e.id)}</font>')
            if e.connects:
                name += f"<br/>{ctx.m(e.connects)}"
            if e.notes:
                name += f'<br/><font color="#5f6b7d">{ctx.m(e.notes)}</font>'
            bounds = ctx.m(" › ".join(e.boundaries)) if e.boundaries else "—"
            rows.append([name, kind, bounds, _props(ctx, e.properties), str(e.threats)])
        out.append(ctx.heading(d.name or "(unnamed diagram)", 1))
        out.append(ctx.table(["Element", "Kind / type", "Boundaries", "Properties", "Threats"],
                             rows, [33, 22, 22, 33, 11]))
    return out


def _mitigations(ctx: Ctx, t: ThreatRow) -> str:
    if not t.mitigations:
        return '<font color="#5f6b7d"><i>no mitigations recorded</i></font>'
    return "<br/>".join("• " + ctx.m(x) for x in t.mitigations)


def _justification(ctx: Ctx, t: ThreatRow) -> str:
    if t.justification:
        return ctx.m(t.justification)
    if t.state.value in ("not_applicable", "accepted_risk"):
        return ctx.missing("no justification recorded")
    return "—"


def register(r: Report, ctx: Ctx) -> list[Flowable]:
    out: list[Flowable] = [PageBreak(), ctx.heading("Threat register"),
                           ctx.raw(ctx.style.text("register_intro"))]
    rows = []
    for t in r.threats:
        if not t.applies:
            continue
        path = f"<br/>Path: {ctx.m(' → '.join(t.path))}" if t.path else ""
        threat = (f"<b>{ctx.m(t.title)}</b><br/>{ctx.m(t.target)}{path}"
                  f'<br/><font name="TCMono" size="6">{ctx.m(t.rule_id or t.origin)}</font>')
        refs = "<br/>".join(ctx.m(x) for x in (*t.atlas, *t.owasp)) or "—"
        sev = f"{ctx.sev(t.severity)}<br/>L{t.likelihood} × I{t.impact}"
        state = ctx.state(t.state) + (f"<br/>{ctx.m(t.owner)}" if t.owner else "")
        just = _justification(ctx, t)
        detail = (f"<b>Justification:</b> {just}<br/>" if just != "—" else "") + _mitigations(
            ctx, t)
        rows.append([t.ref, threat, ctx.m(t.category), refs, sev, state, detail])
    out.append(ctx.table(["Ref", "Threat / element or flow / rule", "STRIDE", "ATLAS / OWASP",
                          "Severity", "State / owner", "Justification and mitigations"],
                         rows, [10, 38, 19, 24, 15, 21, 44]))
    if r.stale:
        out.append(ctx.heading("Triaged threats that no longer apply", 1))
        out.append(ctx.raw("These threats were triaged earlier, but their rule no longer "
                           "matches the model. Their triage is kept for the record."))
        out.append(ctx.table(["Ref", "Threat", "State", "Justification"],
                             [[t.ref, ctx.m(t.title), ctx.state(t.state),
                               _justification(ctx, t)] for t in r.stale], [11, 60, 20, 60]))
    return out


def atlas_matrix(r: Report, ctx: Ctx) -> list[Flowable]:
    out: list[Flowable] = [PageBreak(), ctx.heading("MITRE ATLAS coverage"),
                           ctx.raw(ctx.style.text("atlas_intro"))]
    if r.atlas_version:
        out.append(ctx.raw(f"ATLAS data version {ctx.m(r.atlas_version)}.", "muted"))
    rows = []
    for col in r.atlas:
        techs = "<br/>".join(f"{ctx.m(i)} {ctx.m(n)} (×{c})" for i, n, c in col.techniques)
        rows.append([f"<b>{ctx.m(col.name)}</b><br/>{ctx.m(col.id)}",
                     techs or '<font color="#9e9e9e">no technique found</font>',
                     str(sum(c for _, _, c in col.techniques))])
    out.append(ctx.table(["Tactic", "Techniques found (number of threats)", "Threats"], rows,
                         [30, 90, 12]))
    if r.unmapped_atlas:
        out.append(ctx.raw("Technique ids the bundled ATLAS data does not know: "
                           + ctx.m(", ".join(r.unmapped_atlas)), "muted"))
    return out


def _controls(ctx: Ctx, t: ThreatRow) -> str:
    if not t.controls:
        return ""
    return ('<br/><font color="#5f6b7d">Would be removed or downgraded by: '
            + ctx.m("; ".join(t.controls)) + "</font>")


def plan(r: Report, ctx: Ctx) -> list[Flowable]:
    rows = [[t.ref, f"<b>{ctx.m(t.title)}</b><br/>{ctx.m(t.target)}", ctx.sev(t.severity),
             ctx.m(t.owner) if t.owner else ctx.missing("unassigned"), ctx.state(t.state),
             _mitigations(ctx, t) + _controls(ctx, t)] for t in r.mitigation_plan]
    return [PageBreak(), ctx.heading("Mitigation plan"), ctx.raw(ctx.style.text("plan_intro")),
            ctx.table(["Ref", "Threat", "Severity", "Owner", "State", "Mitigations"], rows,
                      [11, 45, 16, 18, 23, 60])]


def ruled_out(r: Report, ctx: Ctx) -> list[Flowable]:
    rows = [[t.ref, f"<b>{ctx.m(t.title)}</b><br/>{ctx.m(t.target)}", ctx.state(t.state),
             ctx.sev(t.severity), _justification(ctx, t),
             ctx.m(t.owner) if t.owner else "—"] for t in r.ruled_out]
    return [ctx.heading("Not applicable and accepted threats"),
            ctx.raw(ctx.style.text("ruled_out_intro")),
            ctx.table(["Ref", "Threat", "State", "Severity", "Justification", "Owner"], rows,
                      [11, 46, 16, 14, 58, 26])]


def validation(r: Report, ctx: Ctx) -> list[Flowable]:
    colors = {"error": "#b71c1c", "warning": "#e65100", "info": "#5f6b7d"}
    rows = [[f'<font color="{colors.get(v.level, "#1d2330")}"><b>{ctx.m(v.level)}</b></font>',
             f'<font name="TCMono">{ctx.m(v.code)}</font>', ctx.m(v.message),
             ctx.m(v.where) or "—"] for v in r.validation]
    return [ctx.heading("Validation messages"), ctx.raw(ctx.style.text("validation_intro")),
            ctx.table(["Level", "Code", "Message", "Where"], rows, [14, 28, 68, 40])]


def descriptions(r: Report, ctx: Ctx) -> list[Flowable]:
    """What each rule's threat means and where to read more, once per rule."""
    seen: dict[tuple[str, str], list[ThreatRow]] = {}
    for t in r.threats:
        if t.applies:
            seen.setdefault((t.pack, t.rule_id or t.key), []).append(t)
    rows = []
    for (pack, rule), items in sorted(seen.items()):
        first = items[0]
        text = ctx.m(first.description) if first.description else \
            '<font color="#9e9e9e">no description</font>'
        refs = "<br/>".join(ctx.m(x) for x in first.references)
        if refs:
            text += f'<br/><font color="#5f6b7d">{refs}</font>'
        ids = ", ".join(t.ref for t in items[:12]) + (" …" if len(items) > 12 else "")
        rows.append([f'<font name="TCMono">{ctx.m(rule)}</font><br/>{ctx.m(pack)}',
                     f"{ctx.m(first.category)}<br/>{len(items)} threat(s): {ids}", text])
    return [PageBreak(), ctx.heading("Appendix: threat descriptions"),
            ctx.raw("What each rule's threats mean, with references, once per rule."),
            ctx.table(["Rule / pack", "Category / threats", "Description and references"],
                      rows, [20, 28, 72])]


def packs(r: Report, ctx: Ctx) -> list[Flowable]:
    rows = [[f'<font name="TCMono">{ctx.m(p.id)}</font>', ctx.m(p.name),
             ctx.m(p.version) or "—", ctx.m(p.source), "yes" if p.enabled else "no (off)",
             str(p.rules)] for p in r.packs]
    return [ctx.heading("Appendix: rule packs"),
            ctx.raw(ctx.style.text("packs_intro")),
            ctx.table(["Id", "Name", "Version", "Source", "Enabled", "Rules"], rows,
                      [30, 50, 15, 18, 15, 10])]


def signoff(r: Report, ctx: Ctx) -> list[Flowable]:
    names = [("Owner", r.meta.owner)] + [("Reviewer", n) for n in r.meta.reviewers]
    names += [("Reviewer", ""), ("Approver", "")]
    data = [[ctx.raw("<b>Role</b>", "cell"), ctx.raw("<b>Name</b>", "cell"),
             ctx.raw("<b>Signature</b>", "cell"), ctx.raw("<b>Date</b>", "cell")]]
    data += [[ctx.raw(role, "cell"), ctx.p(name, "cell"), "", ""] for role, name in names]
    t = Table(data, colWidths=[24 * mm, 60 * mm, 60 * mm, ctx.width - 144 * mm],
              rowHeights=[None] + [14 * mm] * len(names))
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, ctx.style.color("grid")),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    m = r.meta
    ident = (f"This sign-off applies to model version <b>{ctx.m(m.version)}</b> of "
             f"{ctx.m(m.date)}, model SHA-256 "
             f'<font name="TCMono">{m.model_sha256}</font>.')
    return [KeepTogether([ctx.heading("Sign-off"), ctx.raw(ctx.style.text("signoff")),
                          ctx.raw(ident), ctx.gap(4), t])]


def rendering_notes(kit: TextKit, ctx: Ctx) -> list[Flowable]:
    """Characters no bundled font could draw (shown as [U+XXXX] where they occur), and
    how right-to-left text was handled."""
    rtl = [ctx.raw("Right-to-left text (Hebrew, Arabic) is shown in display order; Arabic "
                   "letters are drawn in their isolated forms, not joined.")] if kit.rtl else []
    if not kit.missing:
        return [ctx.heading("Rendering notes"), *rtl] if rtl else []
    rows = []
    for ch in sorted(kit.missing):
        where = sorted(w for w in kit.missing[ch] if w)[:3]
        rows.append([f"U+{ord(ch):04X}", ctx.m(", ".join(where)) or "—"])
    return [ctx.heading("Rendering notes"),
            ctx.raw("Some characters have no glyph in the bundled fonts. They are shown as "
                    "<b>[U+XXXX]</b> markers where they occur, never dropped:"),
            ctx.table(["Character", "In text such as"], rows, [20, 100]), *rtl]
