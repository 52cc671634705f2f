"""TMT import speed: lxml parse alone vs the full .tm7 → Project import, per corpus file.

Usage: python benchmarks/tm7_import.py [CORPUS_DIR] [--repeat N]
Target: the largest corpus file imports in ≤ 0.15 s (median of N runs).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

from lxml import etree

from app.io.tm7 import read_tm7
from app.io.tm7.xmlsafe import parse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "tm7"
TARGET_S = 0.15


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args(argv)
    files = sorted(Path(args.corpus).glob("*.tm7"), key=lambda p: p.stat().st_size)
    if not files:
        print(f"skipped: no .tm7 files in {args.corpus}", file=sys.stderr)
        return 0
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()},"
          f" lxml {'.'.join(map(str, etree.LXML_VERSION))}, median of {args.repeat} runs")
    print(f"{'file':<68} {'KB':>6} {'raw lxml':>9} {'safe parse':>10} {'import':>8}")
    worst = 0.0
    for f in files:
        data = f.read_bytes()
        raw = median_time(lambda d=data: etree.fromstring(d), args.repeat)
        safe = median_time(lambda f=f, d=data: parse(f, d), args.repeat)
        full = median_time(lambda f=f: read_tm7(f), args.repeat)
        worst = max(worst, full)
        print(f"{f.name:<68} {len(data) // 1024:>6} {raw * 1e3:>7.1f}ms {safe * 1e3:>8.1f}ms "
              f"{full * 1e3:>6.1f}ms")
    largest = files[-1]
    full = median_time(lambda: read_tm7(largest), args.repeat)
    ok = full <= TARGET_S
    print(f"largest: {largest.name} ({largest.stat().st_size / 1e6:.2f} MB) imports in "
          f"{full * 1e3:.1f} ms — target ≤ {TARGET_S * 1e3:.0f} ms: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
