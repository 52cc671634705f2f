"""Bundled TrueType fonts, per-character fallback, and escaping of user text for reportlab.

DejaVu Sans covers Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic letters and
many symbols; Droid Sans Fallback adds Chinese and Japanese, Nanum Gothic Korean. A
character no font has is never dropped: it is shown as a visible `[U+XXXX]` marker and
logged, so the report can say which characters it could not draw.
"""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

import app

SANS = "TCSans"
SANS_BOLD = "TCSans-Bold"
SANS_ITALIC = "TCSans-Oblique"
SANS_BOLD_ITALIC = "TCSans-BoldOblique"
MONO = "TCMono"
CJK = "TCFallback"
KOREAN = "TCFallbackKo"

_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
    CJK: "DroidSansFallbackFull.ttf",
    KOREAN: "NanumGothic.ttf",
}
#: Fonts tried, in order, for a character the main font lacks.
FALLBACKS = (CJK, KOREAN)
MISSING_COLOR = "#c62828"


def fonts_dir() -> Path:
    """`resources/fonts` beside the `app` package (or in a PyInstaller bundle)."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(app.__file__).resolve().parent.parent
    return root / "resources" / "fonts"


def register_fonts(folder: Path | None = None) -> None:
    """Register the bundled fonts with reportlab once (reportlab's registry is process-wide)."""
    known = set(pdfmetrics.getRegisteredFontNames())
    base = folder or fonts_dir()
    for name, file in _FILES.items():
        if name in known:
            continue
        path = base / file
        if not path.is_file():
            from app.domain import FileError

            raise FileError(path, "bundled report font is missing; reinstall ThreatCanvas")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_ITALIC)
    addMapping(SANS, 1, 1, SANS_BOLD_ITALIC)


def _cmap(font_name: str) -> dict[int, int]:
    return pdfmetrics.getFont(font_name).face.charToGlyph  # type: ignore[attr-defined]


@dataclass
class TextKit:
    """Turns user text into Paragraph markup or drawable font runs; logs missing glyphs."""

    missing: dict[str, set[str]] = field(default_factory=dict)  # char → where it occurred
    rtl: bool = False  # some right-to-left text was reordered for display
    _main: dict[int, int] = field(default_factory=dict)
    _fallbacks: list[tuple[str, dict[int, int]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        register_fonts()
        self._main = _cmap(SANS)
        self._fallbacks = [(name, _cmap(name)) for name in FALLBACKS]

    def _font_for(self, ch: str) -> str | None:
        cp = ord(ch)
        if cp in self._main or ch in "\n\t ":
            return SANS
        for name, cmap in self._fallbacks:
            if cp in cmap:
                return name
        return None

    def _log(self, ch: str, where: str) -> None:
        self.missing.setdefault(ch, set()).add(where)

    def runs(self, text: str, where: str = "") -> list[tuple[str | None, str]]:
        """Split text into (font, text) runs; font None marks a missing glyph's marker."""
        if text.isascii() and text.isprintable():
            return [(SANS, text)]
        if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
            self.rtl = True
            text = "\n".join(visual_order(line) for line in text.split("\n"))
        out: list[tuple[str | None, str]] = []
        for ch in text:
            cat = unicodedata.category(ch)
            font = None if cat in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\t" else \
                self._font_for(ch)
            if font is None and cat == "Cf":
                self._log(ch, where)  # invisible format character: reported, not drawn
                continue
            if font is None:
                self._log(ch, where)
                out.append((None, f"[U+{ord(ch):04X}]"))
            elif out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + ch)
            else:
                out.append((font, ch))
        return out

    def markup(self, text: object, where: str = "") -> str:
        """Paragraph markup showing `text` literally: escaped, line breaks kept, fallbacks set."""
        s = "" if text is None else str(text)
        parts: list[str] = []
        for font, run in self.runs(s, where):
            esc = escape(run)
            if font is None:
                parts.append(f'<font color="{MISSING_COLOR}">{esc}</font>')
            elif font == SANS:
                parts.append(esc)
            else:
                parts.append(f'<font name="{font}">{esc}</font>')
        return "".join(parts).replace("\n", "<br/>").replace("\t", "    ")

    def width(self, text: str, size: float, font: str = SANS) -> float:
        """The drawn width of `text`, counting fallback runs in their own font."""
        total = 0.0
        for f, run in self.runs(text):
            total += pdfmetrics.stringWidth(run, font if f == SANS else (f or font), size)
        return total


def visual_order(line: str) -> str:
    """Right-to-left runs (Hebrew, Arabic) put in display order, digits kept left-to-right.

    A simplification of the Unicode bidirectional algorithm for one line in a left-to-right
    paragraph: each stretch from a right-to-left letter to the last right-to-left letter
    before the next left-to-right letter is reversed. Arabic letters are not shaped.
    """
    kinds = [unicodedata.bidirectional(ch) for ch in line]
    out: list[str] = []
    i = 0
    n = len(line)
    while i < n:
        if kinds[i] not in ("R", "AL"):
            out.append(line[i])
            i += 1
            continue
        end = i
        j = i
        while j < n and kinds[j] != "L":
            if kinds[j] in ("R", "AL"):
                end = j
            j += 1
        seg = line[i:end + 1][::-1]
        # numbers inside a right-to-left run still read left to right
        fixed: list[str] = []
        k = 0
        while k < len(seg):
            if unicodedata.bidirectional(seg[k]) in ("EN", "AN"):
                m = k
                while m < len(seg) and unicodedata.bidirectional(seg[m]) in ("EN", "AN", "CS"):
                    m += 1
                fixed.append(seg[k:m][::-1])
                k = m
            else:
                fixed.append(seg[k])
                k += 1
        out.append("".join(fixed))
        i = end + 1
    return "".join(out)


def escape(text: str) -> str:
    """Escape the characters Paragraph markup gives meaning to."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
