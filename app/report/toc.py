"""A table of contents laid out in one pass.

Every heading is known before layout, so the contents take a fixed height: `TocSlot`
flowables reserve one line per entry. Page numbers are known only once every page is laid
out; the deferred canvas (which holds pages back for "page X of Y") writes the entries into
the reserved slots just before it emits each page. Half the work of reportlab's multiBuild.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.platypus import Flowable

from app.report.canvas_text import draw_text, elide
from app.report.fonts import SANS, SANS_BOLD, TextKit
from app.report.styles import Style


@dataclass
class TocState:
    """Headings as they are laid out, and where the contents slots ended up."""

    entries: list[tuple[int, str, int, str]] = field(default_factory=list)  # level, text,
    # page, bookmark key
    slots: list[tuple[int, float, float, float, int, int]] = field(default_factory=list)
    # page, x, top y, width, first entry, entry count


class TocSlot(Flowable):
    """Reserves room for `count` contents lines, starting at entry `first`."""

    def __init__(self, state: TocState, first: int, count: int, leading: float) -> None:
        super().__init__()
        self.state = state
        self.first = first
        self.count = count
        self.leading = leading

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.count * self.leading

    def draw(self) -> None:
        x, top = self.canv.absolutePosition(0, self.count * self.leading)
        self.state.slots.append((self.canv.getPageNumber(), x, top, self.width, self.first,
                                 self.count))


def slots_for(state: TocState, total: int, leading: float, per_page: int) -> list[Flowable]:
    """Slot flowables for `total` entries, at most `per_page` lines each."""
    return [TocSlot(state, i, min(per_page, total - i), leading)
            for i in range(0, total, per_page)]


def draw_entries(canvas: object, page: int, state: TocState, style: Style, kit: TextKit,
                 leading: float) -> None:
    """Write the contents lines that belong on this page (called by the deferred canvas)."""
    c = canvas
    for spage, x, top, width, first, count in state.slots:
        if spage != page:
            continue
        for i, (level, text, target_page, key) in enumerate(
                state.entries[first:first + count]):
            y = top - (i + 1) * leading + leading * 0.3
            indent = 14.0 * level
            size = 9.5 if level == 0 else 8.5
            font = SANS_BOLD if level == 0 else SANS
            num = str(target_page)
            num_w = c.stringWidth(num, SANS, size)  # type: ignore[attr-defined]
            room = width - indent - num_w - 24
            label = elide(kit, text, size, room, font)
            c.setFillColor(style.color("text" if level == 0 else "muted"))  # type: ignore
            w = draw_text(c, kit, x + indent, y, label, size, font)  # type: ignore[arg-type]
            c.setFont(SANS, size)  # type: ignore[attr-defined]
            c.drawRightString(x + width, y, num)  # type: ignore[attr-defined]
            dots_from = x + indent + w + 6
            dots_to = x + width - num_w - 6
            c.setFillColor(style.color("grid"))  # type: ignore[attr-defined]
            dot = c.stringWidth(". ", SANS, size)  # type: ignore[attr-defined]
            n = int((dots_to - dots_from) // dot)
            if n > 0:
                c.drawRightString(dots_to, y, ". " * n)  # type: ignore[attr-defined]
            c.linkRect("", key, (x, y - 2, x + width, y + size), relative=0,  # type: ignore
                       thickness=0)
