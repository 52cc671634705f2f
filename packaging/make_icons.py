"""Render packaging/icons/threatcanvas.svg into the icon files each OS wants.

Linux: PNGs at 16–512 px (hicolor theme sizes); Windows: a multi-size .ico; macOS: .icns.
Run once after editing the SVG: `.venv/bin/python packaging/make_icons.py`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(HERE / "icons" / "threatcanvas.svg"))
    if not renderer.isValid():
        print("error: packaging/icons/threatcanvas.svg is not a valid SVG", file=sys.stderr)
        return 2
    out = HERE / "icons"
    for size in SIZES:
        if not render(renderer, size).save(str(out / f"threatcanvas-{size}.png")):
            print(f"error: could not write threatcanvas-{size}.png", file=sys.stderr)
            return 2
    # Qt's ico/icns writers take the largest image they are given; 256 px is what both want.
    for ext in ("ico", "icns"):
        if not render(renderer, 256).save(str(out / f"threatcanvas.{ext}"), ext.upper()):
            print(f"error: could not write threatcanvas.{ext}", file=sys.stderr)
            return 2
    print(f"wrote {len(SIZES)} PNGs, threatcanvas.ico and threatcanvas.icns to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
