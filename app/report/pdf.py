"""Render a `Report` to PDF bytes with reportlab: deterministic, bookmarked, paginated."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate

from app.domain import FileError
from app.report import sections_back as back
from app.report import sections_front as front
from app.report.canvas_text import draw_text, elide
from app.report.diagram import IconPainter
from app.report.fonts import SANS, SANS_BOLD, TextKit
from app.report.model import Report
from app.report.parts import Ctx, Heading
from app.report.styles import Style, load_style
from app.report.toc import TocState, define_number_forms, slots_for

TOC_LEADING = 15.0
TOTAL_FORM = "tc-total-pages"


@dataclass(frozen=True, slots=True)
class Rendered:
    """The PDF bytes, the page count, and the characters no font could draw."""

    data: bytes
    pages: int
    missing_glyphs: tuple[str, ...]


def _canvas_class(toc: TocState, style: Style) -> type[Canvas]:
    """A canvas that fills in the late numbers (total pages, contents) when saved."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1
            kwargs["pageCompression"] = 1
            super().__init__(*args, **kwargs)

        def save(self) -> None:
            total = self.getPageNumber() - (0 if self._code else 1)
            self.beginForm(TOTAL_FORM, -6, -6, 60, 20)
            self.setFont(SANS, 7)
            self.setFillColor(style.color("muted"))
            self.drawString(0, 0, str(total))
            self.endForm()
            define_number_forms(self, toc, style)
            Canvas.save(self)

    return NumberedCanvas


def _decorate(c: Canvas, report: Report, style: Style, kit: TextKit) -> None:
    """Header (project, classification) and footer (tool, hash, page X of Y) on every page."""
    w, h = c._pagesize
    m = style.margin
    c.saveState()
    c.setStrokeColor(style.color("grid"))
    c.setLineWidth(0.5)
    c.line(m, h - m + 10, w - m, h - m + 10)
    c.line(m, m - 12, w - m, m - 12)
    c.setFillColor(style.color("muted"))
    label = report.meta.classification.upper() or "UNCLASSIFIED"
    label = elide(kit, label, 8, (w - 2 * m) * 0.35, SANS_BOLD)
    lw = draw_text(c, kit, w - m, h - m + 14, label, 8, SANS_BOLD, "right")
    name = elide(kit, report.meta.project_name, 8, w - 2 * m - lw - 20)
    draw_text(c, kit, m, h - m + 14, name, 8)
    c.setFont(SANS, 7)
    c.drawString(m, m - 22, f"ThreatCanvas {report.meta.tool_version} · model SHA-256 "
                            f"{report.meta.model_sha256[:16]}…")
    # "page X of Y": Y is a form filled in at the end; room for four digits is kept
    x = w - m - c.stringWidth("0000", SANS, 7)
    c.drawRightString(x, m - 22, f"page {c.getPageNumber()} of ")
    c.translate(x, m - 22)
    c.doForm(TOTAL_FORM)
    c.restoreState()


class _Doc(BaseDocTemplate):
    """Turns headings into TOC entries and PDF outline entries as they are laid out."""

    def __init__(self, buf: io.BytesIO, report: Report, style: Style, toc: TocState,
                 kit: TextKit) -> None:
        self.toc = toc
        w, h = style.pagesize
        m = style.margin
        super().__init__(
            buf, pagesize=style.pagesize, leftMargin=m, rightMargin=m, topMargin=m,
            bottomMargin=m, title=f"Threat model report: {report.meta.project_name}",
            author=report.meta.owner, subject=f"{report.meta.classification}",
            creator=f"ThreatCanvas {report.meta.tool_version}", producer="ThreatCanvas",
            keywords=f"model-sha256:{report.meta.model_sha256}", invariant=1,
            lang="en",
        )
        frame = Frame(m, m, w - 2 * m, h - 2 * m, id="body", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        def decorate(canvas: Canvas, _doc: BaseDocTemplate) -> None:
            _decorate(canvas, report, style, kit)

        wide = Frame(m, m, h - 2 * m, w - 2 * m, id="wide", leftPadding=0, rightPadding=0,
                     topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("cover", [frame], onPage=decorate),
                               PageTemplate("body", [frame], onPage=decorate),
                               PageTemplate("landscape", [wide], onPage=decorate,
                                            pagesize=(h, w))])
        self.frame_size = (w - 2 * m, h - 2 * m)

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.plain, flowable.key, level=flowable.level,
                                      closed=flowable.level > 0)
            self.toc.pages.setdefault(flowable.key, self.page)


def _collect_toc(flowables: list[Flowable], toc: TocState) -> None:
    for f in flowables:
        if isinstance(f, Heading) and f.toc:
            toc.entries.append((f.level, f.plain, f.key))
        elif isinstance(f, KeepTogether):
            _collect_toc(list(f._content), toc)


def story(report: Report, ctx: Ctx, paint_icon: IconPainter | None,
          toc: TocState) -> list[Flowable]:
    """Every section in reading order; the contents get one reserved line per heading."""
    out: list[Flowable] = []
    out += front.summary(report, ctx)
    out += front.scope(report, ctx)
    out += front.diagrams(report, ctx, paint_icon)
    out += back.inventory(report, ctx)
    out += back.register(report, ctx)
    out += back.atlas_matrix(report, ctx)
    out += back.plan(report, ctx)
    out += back.ruled_out(report, ctx)
    out += back.validation(report, ctx)
    out += back.descriptions(report, ctx)
    out += back.packs(report, ctx)
    out += back.signoff(report, ctx)
    for view in report.diagrams:  # diagram labels are drawn later; log their glyphs now
        for e in view.elements:
            ctx.kit.runs(e.name, e.name)
    out += back.rendering_notes(ctx.kit, ctx)
    per_page = int((ctx.height - 60) // TOC_LEADING)
    _collect_toc(out, toc)
    contents = front.contents(ctx, slots_for(toc, TOC_LEADING, per_page, ctx.style, ctx.kit))
    return front.cover(report, ctx) + contents + out


def render_pdf(report: Report, style: Style | None = None,
               paint_icon: IconPainter | None = None) -> Rendered:
    """Lay out and render the report; the same report gives the same bytes."""
    style = style or load_style()
    kit = TextKit()
    buf = io.BytesIO()
    toc = TocState()
    doc = _Doc(buf, report, style, toc, kit)
    ctx = Ctx(style, kit, *doc.frame_size)
    flowables = story(report, ctx, paint_icon, toc)
    doc.build(flowables, canvasmaker=_canvas_class(toc, style))
    data = buf.getvalue()
    return Rendered(data, doc.page, tuple(sorted(kit.missing)))


def write_pdf(report: Report, path: Path, paint_icon: IconPainter | None = None) -> Rendered:
    """Render and write the PDF; an unwritable path is a FileError."""
    rendered = render_pdf(report, paint_icon=paint_icon)
    try:
        Path(path).write_bytes(rendered.data)
    except OSError as err:
        raise FileError(path, f"cannot write the report: {err.strerror or err}") from None
    return rendered
