"""A lean table-cell flowable for the small markup the report itself writes.

reportlab's Paragraph parses markup with an HTML parser and lays out general rich text;
in a register of thousands of rows that is most of the rendering time. `FastCell` handles
exactly the tags the report emits — `<b>`, `<i>`, `<br/>`, `<font name|color|size>` and the
four entities of `fonts.escape` — wraps greedily (breaking words longer than the column),
and draws each line with a handful of `drawString` calls. Anything else raises ValueError
so the caller can fall back to Paragraph.
"""

from __future__ import annotations

import re
from html import unescape

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from app.report.fonts import SANS, SANS_BOLD, SANS_BOLD_ITALIC, SANS_ITALIC

_TOKEN = re.compile(r"<(/?)(b|i|br|font)((?:\s+[a-z]+=\"[^\"]*\")*)\s*(/?)>|([^<]+)")
_ATTR = re.compile(r"([a-z]+)=\"([^\"]*)\"")
_FAMILY = {(False, False): SANS, (True, False): SANS_BOLD, (False, True): SANS_ITALIC,
           (True, True): SANS_BOLD_ITALIC}
Frag = tuple[str, str, float, str]  # text, font, size, colour


def parse(markup: str, size: float, color: str) -> list[list[list[Frag]]]:
    """Markup as hard lines of words; a word is a list of fragments (styles may change
    inside a word)."""
    lines: list[list[list[Frag]]] = [[]]
    stack: list[tuple[bool, bool, str | None, float, str]] = [(False, False, None, size, color)]
    glue = False  # True when the next text continues the previous word (no space between)
    pos = 0
    for m in _TOKEN.finditer(markup):
        if m.start() != pos:
            raise ValueError(f"unsupported markup at {pos}")
        pos = m.end()
        closing, tag, attrs, selfclose, text = m.groups()
        bold, italic, font, fsize, fcolor = stack[-1]
        if text is not None:
            text = unescape(text)
            name = font or _FAMILY[(bold, italic)]
            parts = text.split(" ")
            for i, word in enumerate(parts):
                if i > 0:
                    glue = False
                if not word:
                    continue
                frag = (word, name, fsize, fcolor)
                if glue and lines[-1]:
                    lines[-1][-1].append(frag)
                else:
                    lines[-1].append([frag])
                glue = True
            glue = not text.endswith(" ")
            continue
        if tag == "br":
            lines.append([])
            glue = False
        elif closing:
            if len(stack) == 1:
                raise ValueError("unbalanced closing tag")
            stack.pop()
        elif tag == "b":
            stack.append((True, italic, font, fsize, fcolor))
        elif tag == "i":
            stack.append((bold, True, font, fsize, fcolor))
        elif tag == "font":
            a = dict(_ATTR.findall(attrs))
            stack.append((bold, italic, a.get("name", font),
                          float(a["size"]) if "size" in a else fsize,
                          a.get("color", fcolor)))
            if selfclose:
                stack.pop()
    if pos != len(markup):
        raise ValueError("unsupported markup at end")
    return lines


def _width(word: list[Frag]) -> float:
    return sum(stringWidth(t, f, s) for t, f, s, _ in word)


def _break_word(word: list[Frag], width: float) -> list[list[Frag]]:
    """Split a word wider than the column between characters."""
    pieces: list[list[Frag]] = [[]]
    used = 0.0
    for text, font, size, col in word:
        start = 0
        for i, ch in enumerate(text):
            w = stringWidth(ch, font, size)
            if used + w > width and (pieces[-1] or i > start):
                if i > start:
                    pieces[-1].append((text[start:i], font, size, col))
                pieces.append([])
                used = 0.0
                start = i
            used += w
        if start < len(text):
            pieces[-1].append((text[start:], font, size, col))
    return [p for p in pieces if p]


class FastCell(Flowable):
    """A wrapped block of report markup inside a table cell."""

    def __init__(self, markup: str, font_size: float, leading: float, color: str) -> None:
        super().__init__()
        self.words = parse(markup, font_size, color)
        self.size = font_size
        self.leading = leading
        self._lines: list[list[list[Frag]]] = []
        self._for: float = -1.0
        self.width = self.height = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if avail_width != self._for:
            self._lines = self._layout(max(avail_width, 1.0))
            self._for = avail_width
        self.width = avail_width
        self.height = len(self._lines) * self.leading
        return avail_width, self.height

    def _layout(self, width: float) -> list[list[list[Frag]]]:
        out: list[list[list[Frag]]] = []
        for hard in self.words:
            line: list[list[Frag]] = []
            used = 0.0
            for word in hard:
                w = _width(word)
                space = stringWidth(" ", word[0][1], word[0][2]) if line else 0.0
                if line and used + space + w <= width:
                    line.append(word)
                    used += space + w
                    continue
                if line:
                    out.append(line)
                line, used = [], 0.0
                if w > width:
                    pieces = _break_word(word, width)
                    out.extend([p] for p in pieces[:-1])
                    word = pieces[-1]
                    w = _width(word)
                line, used = [word], w
            out.append(line)
        return out

    def draw(self) -> None:
        c = self.canv
        y = self.height - self.size
        for line in self._lines:
            runs: list[list[object]] = []  # [text, font, size, colour]
            for wi, word in enumerate(line):
                for fi, (text, font, size, col) in enumerate(word):
                    sep = " " if wi and fi == 0 else ""
                    if runs and runs[-1][1:] == [font, size, col]:
                        runs[-1][0] = str(runs[-1][0]) + sep + text
                    else:
                        if sep and runs:
                            runs[-1][0] = str(runs[-1][0]) + sep
                        runs.append([text, font, size, col])
            x = 0.0
            for text, font, size, col in runs:
                c.setFont(font, size)  # type: ignore[arg-type]
                c.setFillColor(colors.HexColor(col))  # type: ignore[arg-type]
                c.drawString(x, y, text)  # type: ignore[arg-type]
                x += stringWidth(text, font, size)  # type: ignore[arg-type]
            y -= self.leading
