"""Diagrams as vector flowables, drawn like the canvas; large ones split into labelled tiles."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from itertools import pairwise

from reportlab.lib import colors
from reportlab.platypus import Flowable

from app.domain import Element, ElementKind, Point
from app.domain.topology import flow_path
from app.report.canvas_text import draw_block, draw_text, elide
from app.report.fonts import SANS, SANS_BOLD, TextKit
from app.report.model import DiagramView
from app.report.styles import Style

IconPainter = Callable[[object, str, float, float, float], bool]
PAD = 16.0  # scene units of margin around the drawing


def _clip_to_rect(inside: Point, outside: Point, el: Element | None) -> Point:
    """Where the segment from a box centre towards `outside` leaves the box."""
    if el is None or el.rect is None:
        return inside
    r = el.rect
    dx, dy = outside.x - inside.x, outside.y - inside.y
    if dx == 0 and dy == 0:
        return inside
    tx = (r.width / 2) / abs(dx) if dx else math.inf
    ty = (r.height / 2) / abs(dy) if dy else math.inf
    t = min(tx, ty, 1.0)
    return Point(inside.x + dx * t, inside.y + dy * t)


class DiagramFlowable(Flowable):
    """One window onto a diagram (the whole of it, or one tile) at a fixed scale."""

    def __init__(self, view: DiagramView, style: Style, kit: TextKit, scale: float,
                 window: tuple[float, float, float, float], icons: Mapping[str, str],
                 paint_icon: IconPainter | None = None,
                 grid: list[tuple[float, float, float, float, str]] | None = None) -> None:
        super().__init__()
        self.view = view
        self.style = style
        self.kit = kit
        self.scale = scale
        self.window = window
        self.icons = icons
        self.paint_icon = paint_icon
        self.grid = grid or []
        self.width = window[2] * scale
        self.height = window[3] * scale
        self.by_id = {e.id: e for e in view.elements}

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def _xy(self, p: Point) -> tuple[float, float]:
        x0, y0, _, _ = self.window
        return (p.x - x0) * self.scale, self.height - (p.y - y0) * self.scale

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(self.style.color("grid"))
        c.setLineWidth(0.5)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        path = c.beginPath()
        path.rect(0, 0, self.width, self.height)
        c.clipPath(path, stroke=0, fill=0)
        order = {ElementKind.BOUNDARY_BOX: 0, ElementKind.ANNOTATION: 1,
                 ElementKind.BOUNDARY_LINE: 2, ElementKind.DATA_FLOW: 4}
        for e in sorted(self.view.elements, key=lambda e: order.get(e.kind, 3)):
            if e.kind is ElementKind.BOUNDARY_BOX:
                self._boundary_box(e)
            elif e.kind is ElementKind.BOUNDARY_LINE:
                self._boundary_line(e)
            elif e.kind is ElementKind.DATA_FLOW:
                self._flow(e)
            elif e.kind is ElementKind.ANNOTATION:
                self._annotation(e)
            else:
                self._node(e)
        for x, y, w, h, label in self.grid:
            self._grid_cell(x, y, w, h, label)
        c.restoreState()

    # -- element painters -----------------------------------------------------------------
    def _rect(self, e: Element) -> tuple[float, float, float, float]:
        assert e.rect is not None
        x, top = self._xy(Point(e.rect.x, e.rect.y))
        w, h = e.rect.width * self.scale, e.rect.height * self.scale
        return x, top - h, w, h

    def _boundary_box(self, e: Element) -> None:
        c = self.canv
        x, y, w, h = self._rect(e)
        col = colors.HexColor(self.style.diagram("boundary"))
        c.setStrokeColor(col)
        c.setFillColor(colors.Color(col.red, col.green, col.blue, alpha=0.04))
        c.setLineWidth(1.3 * max(self.scale, 0.5))
        c.setDash(6 * self.scale, 3 * self.scale)
        c.roundRect(x, y, w, h, 6 * self.scale, stroke=1, fill=1)
        c.setDash()
        c.setFillColor(col)
        size = 8.5 * self.scale
        draw_text(c, self.kit, x + 6 * self.scale, y + h - size - 4 * self.scale,
                  elide(self.kit, e.name, size, max(w - 12 * self.scale, 10), SANS_BOLD),
                  size, SANS_BOLD)

    def _boundary_line(self, e: Element) -> None:
        if len(e.points) < 2:
            return
        c = self.canv
        col = colors.HexColor(self.style.diagram("boundary"))
        c.setStrokeColor(col)
        c.setLineWidth(1.6 * max(self.scale, 0.5))
        c.setDash(6 * self.scale, 3 * self.scale)
        p = c.beginPath()
        p.moveTo(*self._xy(e.points[0]))
        for pt in e.points[1:]:
            p.lineTo(*self._xy(pt))
        c.drawPath(p, stroke=1, fill=0)
        c.setDash()
        if e.name:
            c.setFillColor(col)
            x, y = self._xy(e.points[0])
            draw_text(c, self.kit, x + 3, y + 3, e.name, 8 * self.scale, SANS_BOLD)

    def _node(self, e: Element) -> None:
        c = self.canv
        s = self.scale
        x, y, w, h = self._rect(e)
        look = self.style.diagram(e.kind.value)
        border = colors.HexColor(look["border"])
        c.setFillColor(colors.HexColor(look["fill"]))
        c.setStrokeColor(border)
        c.setLineWidth(1.6 * max(s, 0.4))
        if e.kind is ElementKind.PROCESS:
            c.roundRect(x, y, w, h, min(h / 2, 16 * s), stroke=1, fill=1)
        elif e.kind is ElementKind.DATA_STORE:
            c.rect(x, y, w, h, stroke=0, fill=1)
            c.line(x, y, x + w, y)
            c.line(x, y + h, x + w, y + h)
            c.line(x + 10 * s, y, x + 10 * s, y + h)
        else:
            c.setLineWidth(2.0 * max(s, 0.4))
            c.rect(x, y, w, h, stroke=1, fill=1)
        left = x + (16 if e.kind is ElementKind.DATA_STORE else 8) * s
        icon = 22 * s
        if self.paint_icon and e.type_id in self.icons and w >= 90 * s and h >= 24 * s:
            iy = y + h / 2 - icon / 2
            if self.paint_icon(c, self.icons[e.type_id], left, iy, icon):
                left += icon + 5 * s
        c.setFillColor(self.style.color("text"))
        right = x + w - 6 * s
        draw_block(c, self.kit, (left + right) / 2, y + h - 3 * s, right - left, h - 6 * s,
                   e.name or "(unnamed)", 9 * s, SANS_BOLD, where=e.name)

    def _annotation(self, e: Element) -> None:
        c = self.canv
        s = self.scale
        x, y, w, h = self._rect(e)
        look = self.style.diagram("annotation")
        c.setFillColor(colors.HexColor(look["fill"]))
        c.setStrokeColor(colors.HexColor(look["border"]))
        c.setLineWidth(1)
        fold = min(14 * s, w / 4, h / 4)
        p = c.beginPath()
        p.moveTo(x, y)
        p.lineTo(x, y + h)
        p.lineTo(x + w - fold, y + h)
        p.lineTo(x + w, y + h - fold)
        p.lineTo(x + w, y)
        p.close()
        c.drawPath(p, stroke=1, fill=1)
        c.setFillColor(self.style.color("text"))
        draw_block(c, self.kit, x + w / 2, y + h - 4 * s, w - 10 * s, h - 8 * s,
                   e.name or e.notes, 8.5 * s, SANS, align="left")

    def _flow(self, e: Element) -> None:
        c = self.canv
        s = self.scale
        elements = self.by_id
        pts = flow_path(elements, e)
        if len(pts) < 2:
            return
        src = elements.get(e.source_id or "")
        dst = elements.get(e.target_id or "")
        pts[0] = _clip_to_rect(pts[0], pts[1], src)
        pts[-1] = _clip_to_rect(pts[-1], pts[-2], dst)
        col = colors.HexColor(self.style.diagram("flow"))
        c.setStrokeColor(col)
        c.setFillColor(col)
        c.setLineWidth(1.3 * max(s, 0.4))
        xy = [self._xy(p) for p in pts]
        p = c.beginPath()
        p.moveTo(*xy[0])
        for q in xy[1:]:
            p.lineTo(*q)
        c.drawPath(p, stroke=1, fill=0)
        (ax, ay), (bx, by) = xy[-2], xy[-1]
        ang = math.atan2(by - ay, bx - ax)
        size = 9 * s
        head = c.beginPath()
        head.moveTo(bx, by)
        head.lineTo(bx - size * math.cos(ang - 0.4), by - size * math.sin(ang - 0.4))
        head.lineTo(bx - size * math.cos(ang + 0.4), by - size * math.sin(ang + 0.4))
        head.close()
        c.drawPath(head, stroke=0, fill=1)
        if not e.name:
            return
        if e.label_pos is not None:
            lx, ly = self._xy(e.label_pos)
        else:
            mid = len(xy) // 2
            (ax, ay), (bx, by) = xy[mid - 1], xy[mid]
            lx, ly = (ax + bx) / 2, (ay + by) / 2
        fsize = 7.5 * s
        text = elide(self.kit, e.name, fsize, 160 * s)
        tw = self.kit.width(text, fsize)
        c.setFillColor(colors.Color(1, 1, 1, alpha=0.88))
        c.rect(lx - tw / 2 - 2 * s, ly - fsize * 0.45, tw + 4 * s, fsize * 1.35, stroke=0, fill=1)
        c.setFillColor(self.style.color("text"))
        draw_text(c, self.kit, lx, ly - fsize * 0.1, text, fsize, SANS, "center", e.name)

    def _grid_cell(self, x: float, y: float, w: float, h: float, label: str) -> None:
        c = self.canv
        x1, y1 = self._xy(Point(x, y))
        c.setStrokeColor(self.style.color("accent"))
        c.setLineWidth(0.8)
        c.setDash(3, 2)
        c.rect(x1, y1 - h * self.scale, w * self.scale, h * self.scale, stroke=1, fill=0)
        c.setDash()
        c.setFillColor(self.style.color("accent"))
        c.setFont(SANS_BOLD, 8)
        c.drawString(x1 + 3, y1 - 10, label)


def _element_boxes(view: DiagramView) -> list[tuple[float, float, float, float]]:
    """Scene bounding boxes of everything drawn: boxes, lines, and each flow segment."""
    by_id = {e.id: e for e in view.elements}
    out: list[tuple[float, float, float, float]] = []
    for e in view.elements:
        if e.rect is not None:
            out.append((e.rect.x, e.rect.y, e.rect.right, e.rect.bottom))
            continue
        pts = flow_path(by_id, e) if e.is_flow else list(e.points)
        for a, b in pairwise(pts):
            out.append((min(a.x, b.x), min(a.y, b.y), max(a.x, b.x), max(a.y, b.y)))
    return out


def _overlaps(tile: tuple[float, float, float, float, str],
              box: tuple[float, float, float, float]) -> bool:
    x, y, w, h, _ = tile
    return not (box[0] > x + w or box[2] < x or box[1] > y + h or box[3] < y)


def diagram_flowables(view: DiagramView, style: Style, kit: TextKit, avail_w: float,
                      avail_h: float, icons: Mapping[str, str],
                      paint_icon: IconPainter | None, caption: Callable[[str], Flowable],
                      tile_h: float | None = None) -> list[Flowable]:
    """The whole diagram at a readable scale, or an overview plus overlapping tiles."""
    bx, by, bw, bh = view.bounds
    window = (bx - PAD, by - PAD, max(bw, 1) + 2 * PAD, max(bh, 1) + 2 * PAD)
    fit = min(avail_w / window[2], avail_h / window[3])
    min_scale = float(style.diagram("min_scale"))
    if fit >= min_scale:
        return [DiagramFlowable(view, style, kit, min(fit, 1.0), window, icons, paint_icon)]
    scale = max(min_scale, float(style.diagram("tile_scale")))
    tw, th = avail_w / scale, (tile_h or avail_h) / scale
    overlap = float(style.diagram("overlap"))
    step_x, step_y = tw * (1 - overlap), th * (1 - overlap)
    cols = max(1, math.ceil((window[2] - tw) / step_x) + 1)
    rows = max(1, math.ceil((window[3] - th) / step_y) + 1)
    tiles = []
    for r in range(rows):
        for col in range(cols):
            tiles.append((window[0] + col * step_x, window[1] + r * step_y, tw, th,
                          f"{r + 1}.{col + 1}"))
    boxes = _element_boxes(view)
    shown = [t for t in tiles if any(_overlaps(t, b) for b in boxes)]
    overview = DiagramFlowable(view, style, kit, fit, window, icons, paint_icon, grid=shown)
    skipped = len(tiles) - len(shown)
    note = f" {skipped} part(s) with nothing drawn in them are left out." if skipped else ""
    out: list[Flowable] = [
        caption(f"Overview: the diagram is split into {rows} × {cols} overlapping parts, "
                f"shown on the following pages (part row.column).{note}"),
        overview,
    ]
    for x, y, w, h, label in shown:
        r, col = label.split(".")
        out.append(caption(f"{view.name} — part {label} (row {r} of {rows}, "
                           f"column {col} of {cols})"))
        out.append(DiagramFlowable(view, style, kit, scale, (x, y, w, h), icons, paint_icon))
    return out
