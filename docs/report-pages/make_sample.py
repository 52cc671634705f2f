"""Regenerate docs/sample-report.pdf and the page images beside this script.

Run from the project root: `python docs/report-pages/make_sample.py` (needs `pdftoppm`).
The sample is the RAG chatbot example with a few triage decisions added, so that every
section (plan, accepted and not-applicable threats, stale triage) has content.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.domain import MitigationItem, ThreatState, Triage  # noqa: E402
from app.services.files import load_project  # noqa: E402
from app.services.report import analyse, export_all, make_report  # noqa: E402

TRIAGE = {
    "AIML-084@agent": Triage(
        ThreatState.NEEDS_INVESTIGATION, owner="Ravi Patel (AppSec)",
        mitigations=(MitigationItem("Human approval for refunds over 20 EUR", "custom"),
                     MitigationItem("Per-session refund cap", "custom", done=True))),
    "AIML-069@llm": Triage(
        ThreatState.ACCEPTED, owner="Sofia Marino (Customer Experience Engineering)",
        justification="The provider's model is shared by all customers; injection into it "
                      "is handled at the agent and guardrail. Accepted until the Q3 review."),
    "STRIDE-I05@ingest": Triage(
        ThreatState.NOT_APPLICABLE,
        justification="Ingestion runs with a short-lived workload identity; it holds no "
                      "long-lived secrets."),
    "STRIDE-I05@order-tool": Triage(ThreatState.NOT_APPLICABLE),
    "STRIDE-S06@webapp": Triage(
        ThreatState.MITIGATED, owner="Support platform team",
        justification="Order lookups require order number plus e-mail; rate limited.",
        mitigations=(MitigationItem("Rate limit per IP and per order number", done=True),)),
    "AIML-001@removed-element": Triage(
        ThreatState.MITIGATED, justification="Old training path, removed in version 1.1."),
}
PAGES = (1, 2, 3, 4, 6, 7, 13, 17, 30, 32, 34, 47, 48, 51)


def main() -> int:
    project = load_project(ROOT / "templates" / "examples" / "rag-chatbot.tc.yaml")
    for key, triage in TRIAGE.items():
        project.set_triage(key, triage)
    report = make_report(project, analyse(project),
                         source=ROOT / "templates" / "examples" / "rag-chatbot.tc.yaml")
    pdf = ROOT / "docs" / "sample-report.pdf"
    export_all(report, pdf)
    out = Path(__file__).resolve().parent
    for old in out.glob("page-*.png"):
        old.unlink()
    for page in PAGES:
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page),
                        "-singlefile", str(pdf), str(out / f"page-{page:02d}")], check=True)
    print(f"wrote {pdf} and {len(PAGES)} page images in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
