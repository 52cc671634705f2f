"""Agreement between the threats TMT stored in each corpus .tm7 and those our engine
regenerates from the file's own knowledge base (imported as a project rule pack).

Usage: python benchmarks/tm7_agreement.py [CORPUS_DIR] [--markdown]
A threat is the tuple (threat type, source, flow, target); agreement = |both| / |either|.
Every difference is classified from the model itself (stale, user-added, …).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from app.domain import Project, TypeHierarchy
from app.domain.topology import crossed_boundaries
from app.io.tm7 import read_tm7
from app.services.analysis import analyze_project

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "tm7"
Key = tuple[str, str, str, str]


def _hierarchy(pack: dict) -> TypeHierarchy:
    return TypeHierarchy({k: v["parent"] for k, v in pack["types"].items()}, {})


def why_tmt_only(project: Project, pack: dict, key: Key) -> str:
    """Why TMT stored a threat our engine does not generate from the current diagram."""
    rule, src, flow_id, dst = key
    if rule not in {t["id"] for t in pack["threats"]}:
        return "user-added threat (its type is not in the knowledge base)"
    found = project.find_element(flow_id)
    if found is None or project.find_element(src) is None or project.find_element(dst) is None:
        return "stale: its flow or an end was deleted after threat generation"
    _diagram, flow = found
    if flow.extra.get("tmt.source_guid") == src or flow.extra.get("tmt.target_guid") == dst:
        end = project.find_element(src if flow.source_id is None else dst)
        what = end[1].kind.value.replace("_", " ") if end else "missing element"
        article = "an" if what[0] in "aeiou" else "a"
        return (f"flow attached to {article} {what}: not an interaction in ThreatCanvas "
                "(kept as a dangling end, flagged by validation)")
    if (flow.source_id, flow.target_id) != (src, dst):
        return "stale: the flow was reconnected after threat generation"
    return "stale: the diagram or a property changed after threat generation"


def why_engine_only(project: Project, pack: dict, key: Key) -> str:
    """Why our engine generates a threat TMT did not store."""
    rule, _src, flow_id, _dst = key
    threat = next(t for t in pack["threats"] if t["id"] == rule)
    found = project.find_element(flow_id)
    if found is not None and "crosses" in threat["include"]:
        diagram, _flow = found
        hierarchy = _hierarchy(pack)
        crossed = [diagram.elements[b] for b in crossed_boundaries(diagram.elements, flow_id)]
        if crossed and not any(hierarchy.is_a(b.type_id, "GE.TB.B")
                               or hierarchy.is_a(b.type_id, "GE.TB.L") for b in crossed):
            return ("crossing of a custom generic boundary shape (not derived from GE.TB.B/L): "
                    "TMT does not treat it as a trust boundary, our engine does")
    return "not stored by TMT: the diagram changed after the last threat generation"


def measure(path: Path) -> dict:
    project = read_tm7(path)
    pack_id, pack = next(iter(project.rule_packs.items()))
    findings = analyze_project(project, [pack_id])
    engine = {(f.rule_id, *f.element_ids) for f in findings
              if f.pack == pack_id and f.origin == "engine"}
    stored = {(r.rule_id, *r.element_ids) for r in project.threats.values()}
    both = engine & stored
    either = engine | stored
    reasons: Counter[str] = Counter()
    for k in stored - engine:
        reasons["TMT only — " + why_tmt_only(project, pack, k)] += 1  # type: ignore[arg-type]
    for k in engine - stored:
        reasons["engine only — " + why_engine_only(project, pack, k)] += 1  # type: ignore[arg-type]
    return {"file": path.name, "stored": len(stored), "engine": len(engine), "both": len(both),
            "agreement": len(both) / len(either) if either else 1.0, "reasons": reasons}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    ap.add_argument("--markdown", action="store_true", help="print a RESULTS.md table")
    args = ap.parse_args(argv)
    files = sorted(Path(args.corpus).glob("*.tm7"))
    if not files:
        print(f"skipped: no .tm7 files in {args.corpus}", file=sys.stderr)
        return 0
    rows = [measure(f) for f in files]
    total = Counter()
    for r in rows:
        total.update({k: r[k] for k in ("stored", "engine", "both")})
    union = total["stored"] + total["engine"] - total["both"]
    if args.markdown:
        print("| file | TMT stored | engine | both | agreement | differences |")
        print("|---|---:|---:|---:|---:|---|")
        for r in rows:
            diff = "; ".join(f"{n} × {why}" for why, n in sorted(r["reasons"].items())) or "—"
            print(f"| `{r['file']}` | {r['stored']} | {r['engine']} | {r['both']} | "
                  f"{r['agreement']:.1%} | {diff} |")
        print(f"| **all 16** | {total['stored']} | {total['engine']} | {total['both']} | "
              f"{total['both'] / union:.1%} | |")
        return 0
    for r in rows:
        print(f"{r['file']:<70} stored {r['stored']:>4} engine {r['engine']:>4} both "
              f"{r['both']:>4} agreement {r['agreement']:6.1%}")
        for why, n in sorted(r["reasons"].items()):
            print(f"    {n:>3} × {why}")
    print(f"all files: stored {total['stored']}, engine {total['engine']}, both {total['both']},"
          f" agreement {total['both'] / union:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
