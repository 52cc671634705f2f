"""Executive-summary charts drawn as vector flowables: a risk heat map and bar charts."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.platypus import Flowable

from app.domain import severity_for
from app.report.canvas_text import draw_text, elide
from app.report.fonts import SANS, SANS_BOLD, TextKit
from app.report.styles import Style

_LEVELS = ("Very low", "Low", "Medium", "High", "Very high")


class HeatMap(Flowable):
    """A 5 × 5 likelihood × impact grid, cells tinted by severity band, with counts."""

    def __init__(self, heat: Sequence[Sequence[int]], style: Style, kit: TextKit) -> None:
        super().__init__()
        self.heat = heat
        self.style = style
        self.kit = kit
        self.cell = 34.0
        self.left = 92.0
        self.width = self.left + 5 * self.cell
        self.height = 5 * self.cell + 44

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        s = self.style
        cell = self.cell
        base = 30.0
        c.setFont(SANS_BOLD, 8)
        c.setFillColor(s.color("text"))
        c.saveState()
        c.translate(10, base + 2.5 * cell)
        c.rotate(90)
        c.drawCentredString(0, 0, "Likelihood")
        c.restoreState()
        c.drawCentredString(self.left + 2.5 * cell, 4, "Impact")
        for li in range(5):
            y = base + li * cell
            c.setFont(SANS, 7)
            c.setFillColor(s.color("text"))
            c.drawRightString(self.left - 4, y + cell / 2 - 2.5, f"{li + 1} {_LEVELS[li]}")
            for im in range(5):
                x = self.left + im * cell
                sev = severity_for(li + 1, im + 1)
                count = self.heat[li][im]
                fill = s.color("severity", sev.value)
                tint = colors.Color(fill.red, fill.green, fill.blue, alpha=0.9 if count else 0.22)
                c.setFillColor(tint)
                c.setStrokeColor(colors.white)
                c.setLineWidth(1.5)
                c.rect(x, y, cell, cell, stroke=1, fill=1)
                if count:
                    c.setFillColor(colors.white if sev.value != "medium" else s.color("text"))
                    c.setFont(SANS_BOLD, 12)
                    c.drawCentredString(x + cell / 2, y + cell / 2 - 4, str(count))
        c.setFont(SANS, 7)
        c.setFillColor(s.color("text"))
        for im in range(5):
            c.drawCentredString(self.left + im * cell + cell / 2, base - 10, f"{im + 1}")
            c.drawCentredString(self.left + im * cell + cell / 2, base - 18, _LEVELS[im])


class BarChart(Flowable):
    """Horizontal bars, one per label; an optional second value is drawn as the open part."""

    def __init__(self, title: str, items: Sequence[tuple[str, int, int | None]], style: Style,
                 kit: TextKit, width: float, legend: tuple[str, str] = ("all", "open")) -> None:
        super().__init__()
        self.title = title
        self.items = list(items)
        self.style = style
        self.kit = kit
        self.width = width
        self.legend = legend
        self.bar = 11.0
        self.gap = 5.0
        self.label_w = min(150.0, width * 0.38)
        self.height = 26 + max(1, len(self.items)) * (self.bar + self.gap)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        s = self.style
        kit = self.kit
        c.setFillColor(s.color("text"))
        draw_text(c, kit, 0, self.height - 10, self.title, 9, SANS_BOLD)
        top = self.height - 24
        peak = max([v for _, v, _ in self.items] + [1])
        span = self.width - self.label_w - 34
        accent = s.color("accent")
        light = colors.Color(accent.red, accent.green, accent.blue, alpha=0.3)
        if not self.items:
            c.setFont(SANS, 8)
            c.drawString(0, top - 10, "None in this model.")
            return
        for i, (label, value, part) in enumerate(self.items):
            y = top - (i + 1) * (self.bar + self.gap) + self.gap
            c.setFillColor(s.color("text"))
            text = elide(kit, label, 7.5, self.label_w - 6)
            draw_text(c, kit, self.label_w - 6, y + 3, text, 7.5, align="right")
            w = span * value / peak
            c.setFillColor(light if part is not None else accent)
            c.rect(self.label_w, y, w, self.bar, stroke=0, fill=1)
            if part is not None:
                c.setFillColor(accent)
                c.rect(self.label_w, y, span * part / peak, self.bar, stroke=0, fill=1)
            c.setFillColor(s.color("text"))
            c.setFont(SANS, 7.5)
            shown = f"{part} / {value}" if part is not None else str(value)
            c.drawString(self.label_w + w + 4, y + 3, shown)
        if any(p is not None for _, _, p in self.items):
            y = self.height - 10
            x = self.width - 120
            c.setFillColor(accent)
            c.rect(x, y - 1, 8, 8, stroke=0, fill=1)
            c.setFillColor(light)
            c.rect(x + 50, y - 1, 8, 8, stroke=0, fill=1)
            c.setFillColor(s.color("text"))
            c.setFont(SANS, 7)
            c.drawString(x + 11, y, self.legend[1])
            c.drawString(x + 61, y, self.legend[0])
