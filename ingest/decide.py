"""Stage 4: from the rules' answers to one decision: credit, triage or ignore.

Crediting the wrong union, or counting noise as a report, is worse than asking a person,
so every doubt ends in triage with its reason.  A pure function of the rules' outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.document import Attribution, Classification, NoiseVerdict, ObligationMatch


@dataclass
class Decision:
    action: str  # credit | triage | ignore
    reason: str | None = None
    union_code: str | None = None
    matches: list[ObligationMatch] = field(default_factory=list)
    union_confidence: float = 0.0
    candidates: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)


def _evidence(classification: Classification,
              attribution: Attribution | None) -> list[dict[str, Any]]:
    items = [e.as_dict() for m in classification.matches for e in m.evidence]
    if attribution is not None:
        items += [e.as_dict() for e in attribution.evidence]
    return items


def decide(noise: NoiseVerdict | None, classification: Classification,
           attribution: Attribution, *, has_files: bool, obligation_threshold: float,
           union_threshold: float) -> Decision:
    """The fate of one message."""
    if noise is not None:
        return Decision("ignore", noise.reason,
                        evidence=[e.as_dict() for e in noise.evidence])
    evidence = _evidence(classification, attribution)
    candidates = [{"union": code, "score": round(score, 3)}
                  for code, score in attribution.candidates]
    confident = [m for m in classification.matches if m.confidence >= obligation_threshold]
    known = attribution.union_code is not None and attribution.confidence >= union_threshold

    if not classification.matches:
        # Nothing names an obligation: from a stranger that is not a report (kept, and
        # queryable, but nobody's work); from a union it may be one worded oddly.
        if not known or not has_files:
            return Decision("ignore", "not-a-report", evidence=evidence)
        why = classification.reason or "no obligation recognised"
        return Decision("triage", f"obligation-unknown: {why}", attribution.union_code,
                        candidates=candidates, evidence=evidence)
    if not confident:
        best = classification.matches[0]
        why = classification.reason or f"best guess {best.key} at {best.confidence:.2f}"
        return Decision("triage", f"obligation-uncertain: {why}", attribution.union_code,
                        classification.matches, candidates=candidates, evidence=evidence)
    if not classification.is_submission:
        return Decision("triage", "no-report-content: mentions a report but carries no "
                        "file, link or report text", attribution.union_code,
                        confident, candidates=candidates, evidence=evidence)
    if not known:
        reason = attribution.reason or "unknown-sender"
        if candidates:
            names = ", ".join(str(c["union"]) for c in candidates[:3])
            reason = f"{reason}: {names}"
        return Decision("triage", reason, None, confident,
                        attribution.confidence, candidates, evidence)
    return Decision("credit", None, attribution.union_code, confident,
                    attribution.confidence, candidates, evidence)
