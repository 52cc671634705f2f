"""Report speed: build the Report value, render the PDF, and write CSV/JSON/SARIF.

Run from the project root: `python benchmarks/report_speed.py [--runs N]`. Models are
synthetic (tests/integration/test_report_support.big_project): elements in a grid with
flows, threats spread over every STRIDE category, state and severity.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.report.build import build_report
from app.report.exports import dumps_json, to_csv, to_json
from app.report.pdf import render_pdf
from app.report.sarif import report_to_sarif
from tests.integration.test_report_support import ATLAS, PACKS, big_project

SIZES = ((100, 100), (200, 1000), (1000, 5000))


def _time(fn, runs: int) -> tuple[float, object, float]:
    """Median wall time, the last result, and median CPU time (steadier on a shared box)."""
    times = []
    cpu = []
    result = None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), result, statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per size (median)")
    args = parser.parse_args()
    try:
        import _rl_accel  # noqa: F401

        accel = "rl-accel on"
    except ImportError:
        accel = "rl-accel off"
    import reportlab

    print(f"# {platform.machine()}, Python {platform.python_version()}, reportlab "
          f"{reportlab.Version}, {accel}, median of {args.runs} runs (1 for 5,000 threats)")
    print(f"{'elements':>8} {'threats':>7} {'build':>8} {'pdf':>8} {'pdf cpu':>8} {'pages':>6} "
          f"{'MB':>6} {'csv+json+sarif':>15}")
    render_pdf(build_report(*big_project(10, 10)))  # fonts registered once, as in the app
    for elements, threats in SIZES:
        project, findings = big_project(elements, threats)
        runs = 1 if threats >= 5000 else args.runs

        def build(project=project, findings=findings):
            return build_report(project, findings, (), PACKS, atlas=ATLAS, tool_version="b")

        t_build, report, _ = _time(build, runs)
        t_pdf, out, c_pdf = _time(lambda report=report: render_pdf(report), runs)
        t_exp, _, _ = _time(lambda report=report: (to_csv(report), dumps_json(to_json(report)),
                                                dumps_json(report_to_sarif(report))), runs)
        print(f"{elements:>8} {threats:>7} {t_build:>7.2f}s {t_pdf:>7.2f}s {c_pdf:>7.2f}s "
              f"{out.pages:>6} "
              f"{len(out.data) / 1e6:>6.2f} {t_exp:>14.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
