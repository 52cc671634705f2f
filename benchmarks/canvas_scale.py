"""Canvas scale benchmark (offscreen): startup to a shown window, open and first frame of a
2,000-element diagram, frame times while panning and zooming, and memory.

    .venv/bin/python benchmarks/canvas_scale.py [--elements 2000] [--frames 60]

Targets (issue 5): startup ≤ 0.6 s, first frame ≤ 1 s, ≤ 16 ms per frame. A frame is one
synchronous repaint of the canvas viewport (1100 × 760 device pixels) after a pan or zoom
step, rendered by the offscreen raster backend: what a user waits for on every mouse move.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain import (  # noqa: E402
    Diagram,
    ElementKind,
    Point,
    Project,
    Rect,
    make_box,
    make_flow,
    make_line,
)

K = ElementKind
NODE_TYPES = [(K.PROCESS, "ai.training_job"), (K.PROCESS, "ai.inference_endpoint"),
              (K.DATA_STORE, "ai.feature_store"), (K.EXTERNAL_ENTITY, "actor.end_user"),
              (K.PROCESS, "ai.llm"), (K.DATA_STORE, "ai.vector_store"),
              (K.PROCESS, "generic.web_app"), (K.DATA_STORE, "generic.database")]

STARTUP_CHILD = r"""
import sys, time
t_import = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
if sys.argv[1] == "bare":
    from PySide6.QtWidgets import QMainWindow
    w = QMainWindow(); w.resize(1280, 800)
else:
    from app.ui.main_window import MainWindow
    from app.ui.style import apply_style
    apply_style(app)
    w = MainWindow()
w.show()
def done():
    print(time.time(), flush=True)
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def make_project(n: int, seed: int = 7) -> Project:
    """A diagram of `n` elements: ~64 % nodes, ~32 % flows, boundaries and lines."""
    rnd = random.Random(seed)
    p = Project(f"Scale {n}")
    d = Diagram("Scale", diagram_id="scale")
    p.add_diagram(d)
    n_boxes = max(1, n // 50)
    n_lines = max(1, n // 200)
    n_nodes = int((n - n_boxes - n_lines) * 0.66)
    n_flows = n - n_boxes - n_lines - n_nodes
    cols = max(1, int(n_nodes ** 0.5 * 1.4))
    for b in range(n_boxes):
        bx, by = (b % 7) * 1500, (b // 7) * 900
        d.add(make_box(K.BOUNDARY_BOX, "GE.TB.B", f"Zone {b}", Rect(bx - 40, by - 60, 1400, 820),
                       element_id=f"b{b}"))
    ids = []
    for i in range(n_nodes):
        kind, type_id = NODE_TYPES[i % len(NODE_TYPES)]
        x, y = (i % cols) * 220, (i // cols) * 130
        eid = f"n{i}"
        d.add(make_box(kind, type_id, f"{type_id.split('.')[-1]} {i}", Rect(x, y, 150, 70),
                       element_id=eid))
        ids.append(eid)
    for f in range(n_flows):
        a = rnd.randrange(len(ids))
        b = min(len(ids) - 1, max(0, a + rnd.choice((-1, 1, cols, -cols, 2))))
        if a == b:
            b = (a + 1) % len(ids)
        d.add(make_flow(ids[a], ids[b], f"flow {f}", element_id=f"f{f}"))
    for li in range(n_lines):
        x = li * 900 + 180
        d.add(make_line((Point(x, -100), Point(x, 4000)), f"edge {li}", element_id=f"l{li}"))
    return p


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def startup(kind: str, runs: int = 5) -> float:
    """Median seconds from process launch to the window shown (event loop running)."""
    times = []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for _ in range(runs):
        t0 = time.time()
        out = subprocess.run([sys.executable, "-c", STARTUP_CHILD, kind], capture_output=True,
                             text=True, env=env, check=True, cwd=str(ROOT))
        times.append(float(out.stdout.strip().splitlines()[-1]) - t0)
    return statistics.median(times)


def _wait_exposed(widget) -> None:
    """Run the event loop until the window is exposed, so repaints really paint."""
    from PySide6.QtCore import QEventLoop, QTimer

    handle = widget.window().windowHandle()
    for _ in range(200):
        if handle is not None and handle.isExposed():
            return
        loop = QEventLoop()
        QTimer.singleShot(5, loop.quit)
        loop.exec()


class GcPauses:
    """Longest cyclic-GC pause seen while measuring (to tell GC from painting)."""

    def __init__(self) -> None:
        import gc

        self.longest = 0.0
        self._t = 0.0
        gc.callbacks.append(self._cb)

    def _cb(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._t = time.perf_counter()
        else:
            self.longest = max(self.longest, (time.perf_counter() - self._t) * 1000)


def frames(view, steps, count: int) -> list[float]:
    """Milliseconds per synchronous viewport repaint after each step."""
    out = []
    vp = view.viewport()
    for i in range(count):
        steps(i)
        t = time.perf_counter()
        vp.repaint()
        out.append((time.perf_counter() - t) * 1000)
    return out


def run(n: int, count: int) -> dict[str, float]:
    res: dict[str, float] = {}
    res["startup_bare"] = startup("bare")
    res["startup_app"] = startup("app")

    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    from app.services.files import load_project, save_project

    qapp = QApplication.instance() or QApplication([])
    from app.ui.main_window import MainWindow
    from app.ui.style import apply_style

    apply_style(qapp)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scale.tc.yaml"
        save_project(make_project(n), path)
        base = rss_mb()
        t0 = time.perf_counter()
        project = load_project(path)
        t1 = time.perf_counter()
        w = MainWindow(project, path, analyze=None)
        w.ask_before_close = False
        w.resize(1500, 950)
        w.show()
        view = w.current_view()
        view.zoom_to_fit()
        _wait_exposed(view.viewport())
        view.viewport().repaint()
        t2 = time.perf_counter()
    res["elements"] = len(project.diagrams[0])
    res["load_s"] = t1 - t0
    res["first_frame_s"] = t2 - t0
    res["viewport"] = f"{view.viewport().width()}x{view.viewport().height()}"  # type: ignore
    res["memory_mb"] = rss_mb() - base

    hs, vs = view.horizontalScrollBar(), view.verticalScrollBar()
    pauses = GcPauses()

    def pan(i: int) -> None:
        hs.setValue(hs.value() + (37 if (i // 15) % 2 == 0 else -37))
        vs.setValue(vs.value() + (23 if (i // 10) % 2 == 0 else -23))

    def zoom(i: int) -> None:
        view.zoom_by(1.1 if (i // 8) % 2 == 0 else 1 / 1.1)

    for label, zoom_level in (("fit", None), ("50", 0.5), ("100", 1.0)):
        if zoom_level is None:
            view.zoom_to_fit()
        else:
            view.set_zoom(zoom_level)
            view.centerOn(QPointF(2000, 1500))
        res[f"zoom_{label}"] = view.zoom
        frames(view, pan, 5)  # warm-up
        p = frames(view, pan, count)
        z = frames(view, zoom, count)
        for name, xs in (("pan", p), ("zoom", z)):
            res[f"{name}_{label}_median_ms"] = statistics.median(xs)
            res[f"{name}_{label}_p95_ms"] = statistics.quantiles(xs, n=20)[-1]
            res[f"{name}_{label}_worst_ms"] = max(xs)
    res["gc_longest_pause_ms"] = pauses.longest
    if hasattr(os, "getloadavg"):
        res["load_average"] = os.getloadavg()[0]
    w.close()
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--elements", type=int, default=2000)
    ap.add_argument("--frames", type=int, default=60)
    args = ap.parse_args()
    res = run(args.elements, args.frames)
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
    from PySide6 import __version__ as pyside

    print(f"PySide6 {pyside}, QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM')}")
    for k, v in res.items():
        print(f"{k:24s} {v:.4f}" if isinstance(v, float) else f"{k:24s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
