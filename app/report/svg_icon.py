"""Stencil icons (a small SVG subset) drawn as vector paths on a reportlab canvas.

Supports what the stencil icons use: `g`, `rect`, `circle`, `ellipse`, `line`, `polyline`,
`polygon` and `path` (all commands, arcs converted to Béziers), with fill, stroke,
stroke-width, opacity and dash attributes inherited through groups. An icon that cannot be
read is skipped (the element is still drawn, without its icon).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib import colors

_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}
Segment = tuple[str, tuple[float, ...]]  # ("M"|"L"|"C"|"Z", absolute coordinates)


def _arc(x1: float, y1: float, rx: float, ry: float, phi: float, large: bool, sweep: bool,
         x2: float, y2: float) -> list[Segment]:
    """SVG arc (endpoint form) as cubic Bézier segments."""
    if rx == 0 or ry == 0 or (x1 == x2 and y1 == y2):
        return [("L", (x2, y2))]
    rx, ry = abs(rx), abs(ry)
    cp, sp = math.cos(math.radians(phi)), math.sin(math.radians(phi))
    dx, dy = (x1 - x2) / 2, (y1 - y2) / 2
    x1p, y1p = cp * dx + sp * dy, -sp * dx + cp * dy
    lam = (x1p / rx) ** 2 + (y1p / ry) ** 2
    if lam > 1:
        rx, ry = rx * math.sqrt(lam), ry * math.sqrt(lam)
    num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p
    den = rx * rx * y1p * y1p + ry * ry * x1p * x1p
    coef = math.sqrt(max(0.0, num / den)) * (-1 if large == sweep else 1)
    cxp, cyp = coef * rx * y1p / ry, -coef * ry * x1p / rx
    cx = cp * cxp - sp * cyp + (x1 + x2) / 2
    cy = sp * cxp + cp * cyp + (y1 + y2) / 2
    t1 = math.atan2((y1p - cyp) / ry, (x1p - cxp) / rx)
    t2 = math.atan2((-y1p - cyp) / ry, (-x1p - cxp) / rx)
    dt = t2 - t1
    if sweep and dt < 0:
        dt += 2 * math.pi
    elif not sweep and dt > 0:
        dt -= 2 * math.pi
    n = max(1, math.ceil(abs(dt) / (math.pi / 2)))
    step = dt / n
    k = 4 / 3 * math.tan(step / 4)
    out: list[Segment] = []

    def pt(t: float) -> tuple[float, float]:
        x, y = rx * math.cos(t), ry * math.sin(t)
        return cp * x - sp * y + cx, sp * x + cp * y + cy

    def d(t: float) -> tuple[float, float]:
        x, y = -rx * math.sin(t), ry * math.cos(t)
        return cp * x - sp * y, sp * x + cp * y

    t = t1
    for _ in range(n):
        p0, p3 = pt(t), pt(t + step)
        d0, d3 = d(t), d(t + step)
        out.append(("C", (p0[0] + k * d0[0], p0[1] + k * d0[1],
                          p3[0] - k * d3[0], p3[1] - k * d3[1], p3[0], p3[1])))
        t += step
    return out


def parse_path(d: str) -> list[Segment]:
    """Path data as absolute M/L/C/Z segments."""
    tokens = _TOKEN.findall(d)
    segs: list[Segment] = []
    i, cmd = 0, ""
    x = y = sx = sy = 0.0
    last_ctrl: tuple[float, float] | None = None
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            if cmd in "Zz":
                segs.append(("Z", ()))
                x, y = sx, sy
                last_ctrl = None
                continue
        if not cmd or cmd in "Zz":
            break
        up = cmd.upper()
        n = _ARGS[up]
        a = [float(v) for v in tokens[i:i + n]]
        if len(a) < n:
            break
        i += n
        rel = cmd.islower()
        ox, oy = (x, y) if rel else (0.0, 0.0)
        ctrl: tuple[float, float] | None = None
        if up == "M":
            x, y = a[0] + ox, a[1] + oy
            sx, sy = x, y
            segs.append(("M", (x, y)))
            cmd = "l" if rel else "L"
        elif up in "LHV":
            if up == "L":
                x, y = a[0] + ox, a[1] + oy
            elif up == "H":
                x = a[0] + ox
            else:
                y = a[0] + oy
            segs.append(("L", (x, y)))
        elif up in "CS":
            if up == "C":
                c1 = (a[0] + ox, a[1] + oy)
                rest = a[2:]
            else:
                c1 = (2 * x - last_ctrl[0], 2 * y - last_ctrl[1]) if last_ctrl else (x, y)
                rest = a
            c2 = (rest[0] + ox, rest[1] + oy)
            x, y = rest[2] + ox, rest[3] + oy
            segs.append(("C", (*c1, *c2, x, y)))
            ctrl = c2
        elif up in "QT":
            if up == "Q":
                q = (a[0] + ox, a[1] + oy)
                ex, ey = a[2] + ox, a[3] + oy
            else:
                q = (2 * x - last_ctrl[0], 2 * y - last_ctrl[1]) if last_ctrl else (x, y)
                ex, ey = a[0] + ox, a[1] + oy
            segs.append(("C", (x + 2 / 3 * (q[0] - x), y + 2 / 3 * (q[1] - y),
                               ex + 2 / 3 * (q[0] - ex), ey + 2 / 3 * (q[1] - ey), ex, ey)))
            x, y = ex, ey
            ctrl = q
        else:  # arc
            ex, ey = a[5] + ox, a[6] + oy
            segs.extend(_arc(x, y, a[0], a[1], a[2], bool(a[3]), bool(a[4]), ex, ey))
            x, y = ex, ey
        last_ctrl = ctrl
    return segs


@dataclass
class _Shape:
    segments: list[Segment]
    attrs: dict[str, str]


@dataclass
class IconPainter:
    """Draws stencil icons from SVG files; each file is parsed once per painter."""

    cache: dict[str, tuple[tuple[float, float, float, float], list[_Shape]] | None] = field(
        default_factory=dict)

    def load(self, path: str) -> tuple[tuple[float, float, float, float], list[_Shape]] | None:
        if path not in self.cache:
            try:
                self.cache[path] = _read(Path(path))
            except (OSError, ET.ParseError, ValueError, IndexError, KeyError):
                self.cache[path] = None
        return self.cache[path]

    def __call__(self, canvas: Any, path: str, x: float, y: float, size: float) -> bool:
        """Draw the icon into the square (x, y, size) (PDF coordinates); False if unusable."""
        icon = self.load(path)
        if icon is None:
            return False
        (vx, vy, vw, vh), shapes = icon
        s = size / max(vw, vh)
        canvas.saveState()
        canvas.translate(x, y + size)
        canvas.scale(s, -s)
        canvas.translate(-vx, -vy)
        for shape in shapes:
            _draw(canvas, shape)
        canvas.restoreState()
        return True


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _style_attrs(el: ET.Element, inherited: dict[str, str]) -> dict[str, str]:
    attrs = dict(inherited)
    for k in ("fill", "stroke", "stroke-width", "fill-opacity", "stroke-opacity", "opacity",
              "stroke-dasharray", "stroke-linecap", "stroke-linejoin"):
        if k in el.attrib:
            attrs[k] = el.attrib[k]
    for part in el.attrib.get("style", "").split(";"):
        if ":" in part:
            k, v = part.split(":", 1)
            attrs[k.strip()] = v.strip()
    return attrs


def _f(el: ET.Element, name: str, default: float = 0.0) -> float:
    m = _NUM.match(el.attrib.get(name, "").strip())
    return float(m.group()) if m else default


def _rect_path(x: float, y: float, w: float, h: float, rx: float, ry: float) -> str:
    if rx <= 0 and ry <= 0:
        return f"M{x} {y}H{x + w}V{y + h}H{x}Z"
    rx = min(rx or ry, w / 2)
    ry = min(ry or rx, h / 2)
    return (f"M{x + rx} {y}H{x + w - rx}A{rx} {ry} 0 0 1 {x + w} {y + ry}V{y + h - ry}"
            f"A{rx} {ry} 0 0 1 {x + w - rx} {y + h}H{x + rx}A{rx} {ry} 0 0 1 {x} {y + h - ry}"
            f"V{y + ry}A{rx} {ry} 0 0 1 {x + rx} {y}Z")


def _shape_path(el: ET.Element, tag: str) -> str | None:
    if tag == "path":
        return el.attrib.get("d", "")
    if tag == "rect":
        return _rect_path(_f(el, "x"), _f(el, "y"), _f(el, "width"), _f(el, "height"),
                          _f(el, "rx"), _f(el, "ry"))
    if tag in ("circle", "ellipse"):
        cx, cy = _f(el, "cx"), _f(el, "cy")
        rx = _f(el, "r") if tag == "circle" else _f(el, "rx")
        ry = _f(el, "r") if tag == "circle" else _f(el, "ry")
        return (f"M{cx - rx} {cy}A{rx} {ry} 0 1 0 {cx + rx} {cy}"
                f"A{rx} {ry} 0 1 0 {cx - rx} {cy}Z")
    if tag == "line":
        return f"M{_f(el, 'x1')} {_f(el, 'y1')}L{_f(el, 'x2')} {_f(el, 'y2')}"
    if tag in ("polyline", "polygon"):
        nums = _NUM.findall(el.attrib.get("points", ""))
        if len(nums) < 4:
            return None
        pts = " ".join(nums)
        return f"M{pts}" + ("Z" if tag == "polygon" else "")
    return None


def _read(path: Path) -> tuple[tuple[float, float, float, float], list[_Shape]]:
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    vb = [float(v) for v in _NUM.findall(root.attrib.get("viewBox", ""))]
    if len(vb) != 4:
        vb = [0.0, 0.0, _f(root, "width", 48), _f(root, "height", 48)]
    shapes: list[_Shape] = []

    def walk(el: ET.Element, inherited: dict[str, str]) -> None:
        attrs = _style_attrs(el, inherited)
        tag = _local(el.tag)
        d = _shape_path(el, tag)
        if d:
            shapes.append(_Shape(parse_path(d), attrs))
        for child in el:
            if _local(child.tag) not in ("title", "desc", "defs", "style"):
                walk(child, attrs)

    walk(root, {"fill": "#000000"})
    return (vb[0], vb[1], vb[2], vb[3]), shapes


def _color(value: str | None, opacity: float) -> colors.Color | None:
    if not value or value == "none":
        return None
    try:
        c = colors.toColor(value)
    except ValueError:
        return None
    return colors.Color(c.red, c.green, c.blue, alpha=opacity) if opacity < 1 else c


def _draw(canvas: Any, shape: _Shape) -> None:
    a = shape.attrs
    op = float(a.get("opacity", 1))
    fill = _color(a.get("fill"), op * float(a.get("fill-opacity", 1)))
    stroke = _color(a.get("stroke"), op * float(a.get("stroke-opacity", 1)))
    if fill is None and stroke is None:
        return
    p = canvas.beginPath()
    for op_, args in shape.segments:
        if op_ == "M":
            p.moveTo(*args)
        elif op_ == "L":
            p.lineTo(*args)
        elif op_ == "C":
            p.curveTo(*args)
        else:
            p.close()
    if fill is not None:
        canvas.setFillColor(fill)
    if stroke is not None:
        canvas.setStrokeColor(stroke)
        canvas.setLineWidth(float(_NUM.match(a.get("stroke-width", "1")).group()))
        canvas.setLineCap({"round": 1, "square": 2}.get(a.get("stroke-linecap", ""), 0))
        canvas.setLineJoin({"round": 1, "bevel": 2}.get(a.get("stroke-linejoin", ""), 0))
        dash = [float(v) for v in _NUM.findall(a.get("stroke-dasharray", ""))]
        canvas.setDash(dash if dash else [])
    canvas.drawPath(p, stroke=1 if stroke is not None else 0, fill=1 if fill is not None else 0)
