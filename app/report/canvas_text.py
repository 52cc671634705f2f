"""Drawing user text straight onto a reportlab canvas: font fallback, wrapping, eliding."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from app.report.fonts import MISSING_COLOR, SANS, TextKit


def _font(run_font: str | None, base: str) -> str:
    return base if run_font in (None, SANS) else run_font


def draw_text(canvas: Canvas, kit: TextKit, x: float, y: float, text: str, size: float,
              font: str = SANS, align: str = "left", where: str = "") -> float:
    """Draw one line at baseline y (left, centre or right aligned on x); returns its width."""
    runs = kit.runs(text, where)
    widths = [pdfmetrics.stringWidth(r, _font(f, font), size) for f, r in runs]
    total = sum(widths)
    if align == "center":
        x -= total / 2
    elif align == "right":
        x -= total
    fill = canvas._fillColorObj  # restore after marker runs
    for (f, run), w in zip(runs, widths, strict=True):
        if f is None:
            canvas.setFillColor(colors.HexColor(MISSING_COLOR))
        canvas.setFont(_font(f, font), size)
        canvas.drawString(x, y, run)
        if f is None:
            canvas.setFillColor(fill)
        x += w
    return total


def elide(kit: TextKit, text: str, size: float, width: float, font: str = SANS) -> str:
    """The text, cut with an ellipsis so that it fits `width`."""
    if kit.width(text, size, font) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if kit.width(text[:mid] + "…", size, font) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "…"


def wrap(kit: TextKit, text: str, size: float, width: float, font: str = SANS) -> list[str]:
    """Greedy word wrap; a word longer than the width is broken between characters."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            candidate = f"{line} {word}" if line else word
            if kit.width(candidate, size, font) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while word and kit.width(word, size, font) > width:
                cut = 1
                while cut < len(word) and kit.width(word[:cut + 1], size, font) <= width:
                    cut += 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def draw_block(canvas: Canvas, kit: TextKit, cx: float, top: float, width: float,
               height: float, text: str, size: float, font: str = SANS,
               align: str = "center", where: str = "") -> None:
    """Wrap text into a box (top edge `top`, centred on cx), eliding what does not fit."""
    leading = size * 1.2
    lines = wrap(kit, text, size, width, font)
    fit = max(1, int(height // leading))
    if len(lines) > fit:
        lines = lines[:fit]
        lines[-1] = elide(kit, lines[-1] + "…", size, width, font)
    total = leading * len(lines)
    y = top - (height - total) / 2 - size if align == "center" else top - size
    x = cx if align == "center" else cx - width / 2
    for line in lines:
        draw_text(canvas, kit, x, y, line, size, font, align, where)
        y -= leading
