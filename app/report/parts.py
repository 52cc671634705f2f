"""Building blocks shared by the report sections: headings with bookmarks, tables, lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer, TableStyle

from app.domain import Severity, ThreatState
from app.report.fastcell import FastCell
from app.report.fonts import TextKit
from app.report.styles import Style


class Cell(Paragraph):
    """A table-cell paragraph that remembers its line breaks for a given width.

    Tables wrap each cell several times at the same width (measure, split, draw); breaking
    the lines once is most of the cost of a long register.
    """

    _wrapped: tuple[float, float, object] | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        w = self._wrapped
        if w is not None and w[0] == avail_width:
            self.width = avail_width
            self.height = w[1]
            self.blPara = w[2]
            return avail_width, w[1]
        out = super().wrap(avail_width, avail_height)
        self._wrapped = (avail_width, self.height, self.blPara)
        return out


class Heading(Paragraph):
    """A section heading that the document turns into a TOC entry and a PDF bookmark."""

    def __init__(self, text: str, markup: str, style: object, level: int, key: str,
                 toc: bool = True) -> None:
        super().__init__(markup, style)
        self.plain = text
        self.level = level
        self.key = key
        self.toc = toc


@dataclass
class Ctx:
    """What every section builder needs: the style, the text kit and the frame size."""

    style: Style
    kit: TextKit
    width: float
    height: float
    counter: list[int] = field(default_factory=lambda: [0])
    cells: dict[str, Flowable] = field(default_factory=dict)

    def cell(self, markup: str) -> Flowable | str:
        """A table cell: a tiny ASCII token as a plain string, else a shared FastCell (the
        same text in many rows is laid out once)."""
        if len(markup) <= 6 and markup.isascii() and markup.isprintable() and not any(
                c in markup for c in "<& "):
            return markup
        found = self.cells.get(markup)
        if found is None:
            st = self.style.para["cell"]
            try:
                found = FastCell(markup, st.fontSize, st.leading, self.style.cfg["colors"]["text"])
            except ValueError:
                found = Cell(markup, st)
            self.cells[markup] = found
        return found

    def p(self, text: object, style: str = "body", where: str = "") -> Paragraph:
        """A paragraph showing user text literally."""
        return Paragraph(self.kit.markup(text, where), self.style.para[style])

    def raw(self, markup: str, style: str = "body") -> Paragraph:
        """A paragraph of our own trusted markup (user parts already escaped)."""
        return Paragraph(markup, self.style.para[style])

    def heading(self, text: str, level: int = 0, toc: bool = True) -> Heading:
        self.counter[0] += 1
        key = f"h{self.counter[0]}"
        return Heading(text, self.kit.markup(text), self.style.para[f"h{level + 1}"], level,
                       key, toc)

    def m(self, text: object, where: str = "") -> str:
        return self.kit.markup(text, where)

    def sev(self, severity: Severity) -> str:
        col = self.style.cfg["colors"]["severity"][severity.value]
        return f'<font color="{col}"><b>{severity.label}</b></font>'

    def state(self, state: ThreatState) -> str:
        col = self.style.cfg["colors"]["state"][state.value]
        return f'<font color="{col}">{state.label}</font>'

    def missing(self, text: str) -> str:
        return f'<font color="#c62828"><i>{text}</i></font>'

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]],
              widths: Sequence[float], zebra: bool = True,
              width: float | None = None) -> Flowable:
        """A long table with a repeated header row; cells are markup strings or flowables."""
        head = [Paragraph(h, self.style.para["head"]) for h in header]
        body = [[c if isinstance(c, Flowable) else self.cell(str(c)) for c in row]
                for row in rows]
        if not body:
            body = [[self.cell(self.missing("None."))] + [""] * (len(header) - 1)]
        total = sum(widths)
        scaled = [w * (width or self.width) / total for w in widths]
        t = LongTable([head, *body], colWidths=scaled, repeatRows=1, splitByRow=1)
        cmds: list[tuple[object, ...]] = [
            ("BACKGROUND", (0, 0), (-1, 0), self.style.color("table_header")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, self.style.color("grid")),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("FONT", (0, 1), (-1, -1), self.style.para["cell"].fontName,
             self.style.para["cell"].fontSize, self.style.para["cell"].leading),
            ("TEXTCOLOR", (0, 1), (-1, -1), self.style.color("text")),
        ]
        if zebra:
            cmds.append(("ROWBACKGROUNDS", (0, 1), (-1, -1),
                         [colors.white, self.style.color("table_stripe")]))
        t.setStyle(TableStyle(cmds))
        return t

    def bullets(self, items: Sequence[str], empty: str) -> list[Flowable]:
        if not items:
            return [self.raw(self.missing(empty))]
        return [Paragraph(self.m(i), self.style.para["body"], bulletText="•") for i in items]

    def gap(self, h: float = 6) -> Spacer:
        return Spacer(1, h)
