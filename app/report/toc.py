"""A table of contents laid out in one pass.

Every heading is known before layout, so the contents take a fixed height: `TocSlot`
flowables draw one line per entry. Page numbers are known only once every page is laid
out, so each is a form XObject defined when the document is saved: half the work of
reportlab's multiBuild, which lays the whole document out twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.report.canvas_text import draw_text, elide
from app.report.fonts import SANS, SANS_BOLD, TextKit
from app.report.styles import Style


@dataclass
class TocState:
    """Contents entries (known before layout) and their page numbers (found during it)."""

    entries: list[tuple[int, str, str]] = field(default_factory=list)  # level, text, key
    pages: dict[str, int] = field(default_factory=dict)  # bookmark key → page


def number_form(index: int) -> str:
    return f"tc-toc-{index}"


class TocSlot(Flowable):
    """Draws `count` contents lines from entry `first`; each page number is a form
    XObject filled in when the document is saved, as only then are all pages known."""

    def __init__(self, state: TocState, first: int, count: int, leading: float,
                 style: Style, kit: TextKit) -> None:
        super().__init__()
        self.state = state
        self.first = first
        self.count = count
        self.leading = leading
        self.style = style
        self.kit = kit

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.count * self.leading

    def draw(self) -> None:
        c = self.canv
        width = self.width
        top = self.count * self.leading
        for i, (level, text, key) in enumerate(
                self.state.entries[self.first:self.first + self.count]):
            y = top - (i + 1) * self.leading + self.leading * 0.3
            indent = 14.0 * level
            size = 9.5 if level == 0 else 8.5
            font = SANS_BOLD if level == 0 else SANS
            room = width - indent - NUMBER_ROOM - 12
            c.setFillColor(self.style.color("text" if level == 0 else "muted"))
            w = draw_text(c, self.kit, indent, y, elide(self.kit, text, size, room, font),
                          size, font)
            c.setFillColor(self.style.color("grid"))
            dot = c.stringWidth(". ", SANS, size)
            start, end = indent + w + 6, width - NUMBER_ROOM - 4
            n = int((end - start) // dot)
            if n > 0:
                c.setFont(SANS, size)
                c.drawRightString(end, y, ". " * n)
            c.saveState()
            c.translate(width, y)
            c.doForm(number_form(self.first + i))
            c.restoreState()
            c.linkRect("", key, (0, y - 2, width, y + size), relative=1, thickness=0)


NUMBER_ROOM = 24.0


def slots_for(state: TocState, leading: float, per_page: int, style: Style,
              kit: TextKit) -> list[Flowable]:
    """Slot flowables for every entry, at most `per_page` lines each."""
    total = len(state.entries)
    return [TocSlot(state, i, min(per_page, total - i), leading, style, kit)
            for i in range(0, total, per_page)]


def define_number_forms(canvas: Canvas, state: TocState, style: Style) -> None:
    """Fill in each entry's page number (call once all pages are laid out)."""
    for i, (level, _text, key) in enumerate(state.entries):
        canvas.beginForm(number_form(i), -60, -6, 6, 20)  # drawn right-aligned at 0
        canvas.setFont(SANS, 9.5 if level == 0 else 8.5)
        canvas.setFillColor(style.color("text" if level == 0 else "muted"))
        canvas.drawRightString(0, 0, str(state.pages.get(key, "?")))
        canvas.endForm()
