"""Report styling and boilerplate, read from `templates/report/report.yaml`."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

import app
from app.domain import FileError
from app.report.fonts import SANS, SANS_BOLD


def template_path() -> Path:
    """`templates/report/report.yaml` beside the `app` package (or in a bundle)."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(app.__file__).resolve().parent.parent
    return root / "templates" / "report" / "report.yaml"


@dataclass(frozen=True)
class Style:
    """Page geometry, colours, paragraph styles and boilerplate for one rendering."""

    cfg: dict[str, Any]
    pagesize: tuple[float, float]
    margin: float
    para: dict[str, ParagraphStyle]

    def color(self, *path: str) -> colors.Color:
        node: Any = self.cfg["colors"]
        for p in path:
            node = node[p]
        return colors.HexColor(node)

    def diagram(self, key: str) -> Any:
        return self.cfg["diagram"][key]

    def text(self, key: str, **values: str) -> str:
        raw = str(self.cfg["text"].get(key, ""))
        for k, v in values.items():
            raw = raw.replace("{" + k + "}", v)
        return raw


def load_style(path: Path | None = None) -> Style:
    """Read the style template; a broken file is a FileError naming it."""
    src = path or template_path()
    try:
        cfg = yaml.safe_load(src.read_text(encoding="utf-8"))
        if not isinstance(cfg, dict):
            raise ValueError("the file is not a mapping")
        size = {"A4": A4, "LETTER": LETTER}[str(cfg["page"]["size"]).upper()]
        margin = float(cfg["page"]["margin_mm"]) * mm
        para = _paragraph_styles(cfg)
    except (OSError, yaml.YAMLError, KeyError, ValueError, TypeError) as err:
        raise FileError(src, f"cannot read the report template: {err}") from None
    return Style(cfg, size, margin, para)


def _paragraph_styles(cfg: dict[str, Any]) -> dict[str, ParagraphStyle]:
    f = cfg["fonts"]
    c = cfg["colors"]
    body = float(f["body_size"])
    small = float(f["small_size"])
    table = float(f["table_size"])
    h1, h2, h3 = (float(x) for x in f["heading_sizes"])
    text = colors.HexColor(c["text"])
    accent = colors.HexColor(c["accent"])
    base = ParagraphStyle("body", fontName=SANS, fontSize=body, leading=body * 1.35,
                          textColor=text, spaceAfter=4, splitLongWords=1,
                          bulletFontName=SANS)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=small, leading=small * 1.3),
        "muted": ParagraphStyle("muted", parent=base, fontSize=small, leading=small * 1.3,
                                textColor=colors.HexColor(c["muted"])),
        "cell": ParagraphStyle("cell", parent=base, fontSize=table, leading=table * 1.25,
                               spaceAfter=0),
        "head": ParagraphStyle("head", parent=base, fontName=SANS_BOLD, fontSize=table,
                               leading=table * 1.25, spaceAfter=0,
                               textColor=colors.HexColor(c["table_header_text"])),
        "h1": ParagraphStyle("h1", parent=base, fontName=SANS_BOLD, fontSize=h1,
                             leading=h1 * 1.25, spaceBefore=16, spaceAfter=8, textColor=accent),
        "h2": ParagraphStyle("h2", parent=base, fontName=SANS_BOLD, fontSize=h2,
                             leading=h2 * 1.25, spaceBefore=8, spaceAfter=5, textColor=accent),
        "h3": ParagraphStyle("h3", parent=base, fontName=SANS_BOLD, fontSize=h3,
                             leading=h3 * 1.25, spaceBefore=6, spaceAfter=3),
        "title": ParagraphStyle("title", parent=base, fontName=SANS_BOLD, fontSize=26,
                                leading=32, textColor=accent, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=14, leading=18,
                                   textColor=colors.HexColor(c["muted"]), spaceAfter=18),
    }
