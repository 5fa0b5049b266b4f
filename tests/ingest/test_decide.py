"""The decision rule: credit only when both the union and the obligation are clear."""

from __future__ import annotations

import pytest

from ingest.decide import decide
from ingest.document import Attribution, Classification, Evidence, NoiseVerdict, ObligationMatch

Q1 = ObligationMatch("report-2021-q1", 0.9, [Evidence("period", "subject", "quy 1", 0.5)])
WEAK = ObligationMatch("report-2021-q1", 0.4)
KNOWN = Attribution("TH01", 1.0)
NAMED = Attribution("TH01", 0.7)
AMBIGUOUS = Attribution(None, 0.0, candidates=[("TH03", 0.9), ("TH04", 0.88)],
                        reason="ambiguous")
UNKNOWN = Attribution(None, 0.0, reason="unknown-sender")


def run(noise: NoiseVerdict | None, cls: Classification, att: Attribution,
        files: bool = True) -> tuple[str, str | None, str | None]:
    d = decide(noise, cls, att, has_files=files, obligation_threshold=0.6, union_threshold=0.8)
    return d.action, d.union_code, d.reason


def sub(*matches: ObligationMatch, is_submission: bool = True) -> Classification:
    return Classification(matches=list(matches), is_submission=is_submission)


@pytest.mark.parametrize(
    ("noise", "cls", "att", "files", "expected"),
    [
        (None, sub(Q1), KNOWN, True, ("credit", "TH01", None)),
        (NoiseVerdict("auto-reply"), sub(Q1), KNOWN, True, ("ignore", None, "auto-reply")),
        (None, sub(Q1), AMBIGUOUS, True, ("triage", None, "ambiguous: TH03, TH04")),
        (None, sub(Q1), UNKNOWN, True, ("triage", None, "unknown-sender")),
        (None, sub(Q1), NAMED, True, ("triage", None, "unknown-sender")),
        (None, sub(WEAK), KNOWN, True, ("triage", "TH01", None)),
        (None, sub(Q1, is_submission=False), KNOWN, False, ("triage", "TH01", None)),
        (None, sub(), KNOWN, True, ("triage", "TH01", None)),
        (None, sub(), KNOWN, False, ("ignore", None, "not-a-report")),
        (None, sub(), UNKNOWN, True, ("ignore", None, "not-a-report")),
    ],
)
def test_decide(noise: NoiseVerdict | None, cls: Classification, att: Attribution,
                files: bool, expected: tuple[str, str | None, str | None]) -> None:
    action, union, reason = run(noise, cls, att, files)
    assert (action, union) == expected[:2]
    if expected[2] is not None:
        assert reason == expected[2]
    elif action == "triage":
        assert reason  # a person is always told why


def test_credit_keeps_every_confident_obligation_and_evidence() -> None:
    dvk = ObligationMatch("dvk-2021", 0.8)
    d = decide(None, sub(Q1, dvk, WEAK), KNOWN, has_files=True, obligation_threshold=0.6,
               union_threshold=0.8)
    assert [m.key for m in d.matches] == ["report-2021-q1", "dvk-2021"]
    assert d.evidence and d.evidence[0]["detail"] == "quy 1"
