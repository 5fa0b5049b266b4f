"""The placement evaluation: the whole pipeline on a realistic year of mail, against the truth.

A sample inbox of a few hundred messages (``ingest.sample_inbox``, scale 3) is written as a
Maildir, the sample directory is imported into a fresh SQLite database and the pipeline
ingests the Maildir.  What the rules decided is then compared, message by message (by
Message-ID), with what a careful person at the federation would have decided:

* no false credit, ever: every (union, obligation) credited must be the truth's union and
  one of the truth's obligations for that message (a wrong credit silently marks a union as
  compliant; a triage only costs a person a minute);
* noise (auto-replies, bounces, newsletters, circulars, own mail, spam) is never credited;
* the triage queue stays small: at most 15% of the messages;
* the receipt time of every message is the one its Received: header says;
* ingesting the same Maildir again adds nothing.

The figures (credit precision and recall, the confusion matrix, each misplacement with the
message's variation) are printed (``pytest -s``) and repeated in any assertion message, so
a failing run says what the rules got wrong.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ingest.pipeline import Pipeline
from ingest.sample_inbox import (
    CREDIT,
    IGNORE,
    TRIAGE,
    SampleMessage,
    expected_counts,
    generate,
    write_maildir,
)
from ingest.sources.files import open_path_source
from ldl.app import App
from storage.directory import import_unions
from storage.models import Message, Submission, TriageItem, Union
from tests.conftest import SAMPLE_DIRECTORY

YEAR_END = datetime(2022, 1, 1, tzinfo=UTC)
MAX_TRIAGE_SHARE = 0.15
OUTCOME = {"credited": CREDIT, "triaged": TRIAGE, "ignored": IGNORE}


@dataclass
class Placed:
    """What the pipeline did with one message."""

    status: str  # credit | triage | ignore | quarantined | new | missing
    pairs: set[tuple[str, str]] = field(default_factory=set)  # (union code, obligation key)
    reason: str = ""
    received_at: datetime | None = None


def placements(app: App) -> dict[str, Placed]:
    """Every stored message's outcome, by Message-ID."""
    out: dict[str, Placed] = {}
    with app.sessions() as s:
        for m in s.scalars(select(Message)):
            received = m.received_at
            if received is not None and received.tzinfo is None:  # SQLite drops the zone
                received = received.replace(tzinfo=UTC)
            out[m.message_id or ""] = Placed(OUTCOME.get(m.status, m.status),
                                             reason=m.status_reason or "",
                                             received_at=received)
        rows = s.execute(select(Message.message_id, Union.code, Submission.obligation_key)
                         .join(Submission, Submission.message_id == Message.id)
                         .join(Union, Union.id == Submission.union_id)).all()
        for message_id, code, key in rows:
            out[message_id or ""].pairs.add((code, key))
    return out


def counts(app: App) -> list[int]:
    """How many messages, submissions and triage items are stored."""
    with app.sessions() as s:
        return [s.scalar(select(func.count()).select_from(model)) or 0
                for model in (Message, Submission, TriageItem)]


@dataclass
class Evaluation:
    """The comparison of truth and outcome, with the figures and the misplacements."""

    total: int = 0
    matrix: Counter[tuple[str, str]] = field(default_factory=Counter)  # (expect, got)
    true_pairs: int = 0  # credited pairs the truth asks for
    credited_pairs: int = 0  # pairs the pipeline credited
    correct_pairs: int = 0
    false_credits: list[str] = field(default_factory=list)
    noise_credited: list[str] = field(default_factory=list)
    received_wrong: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    misplaced: dict[tuple[str, str, str], list[str]] = field(
        default_factory=lambda: defaultdict(list))  # (note, expect, got) -> details

    @property
    def triage_share(self) -> float:
        return sum(n for (_, got), n in self.matrix.items() if got == TRIAGE) / max(self.total, 1)

    def report(self) -> str:
        precision = self.correct_pairs / self.credited_pairs if self.credited_pairs else 1.0
        recall = self.correct_pairs / self.true_pairs if self.true_pairs else 1.0
        ignored = [m for (e, g), m in self.matrix.items() if e == IGNORE and g == IGNORE]
        noise_total = sum(n for (e, _), n in self.matrix.items() if e == IGNORE)
        lines = [
            f"placement of {self.total} messages",
            f"  credit precision {precision:.1%} ({self.correct_pairs}/{self.credited_pairs} "
            f"pairs), credit recall {recall:.1%} ({self.correct_pairs}/{self.true_pairs})",
            f"  false credits {len(self.false_credits)}, noise credited "
            f"{len(self.noise_credited)}, noise ignored {sum(ignored)}/{noise_total}",
            f"  triage share {self.triage_share:.1%} (limit {MAX_TRIAGE_SHARE:.0%}), receipt "
            f"time wrong {len(self.received_wrong)}, not stored {len(self.missing)}",
            "  expected -> got:",
        ]
        for expect in (CREDIT, TRIAGE, IGNORE):
            row = {g: n for (e, g), n in self.matrix.items() if e == expect}
            cells = ", ".join(f"{g} {n}" for g, n in sorted(row.items()))
            lines.append(f"    {expect:<7} {cells}")
        if self.misplaced:
            lines.append("  misplacements (note: expected -> got, count; examples):")
            for (note, expect, got), details in sorted(self.misplaced.items(),
                                                       key=lambda kv: -len(kv[1])):
                lines.append(f"    {note}: {expect} -> {got}, {len(details)}")
                lines += [f"        {d}" for d in details[:3]]
        for title, items in (("FALSE CREDITS", self.false_credits),
                             ("NOISE CREDITED", self.noise_credited),
                             ("RECEIPT TIME WRONG", self.received_wrong)):
            if items:
                lines.append(f"  {title}:")
                lines += [f"    {d}" for d in items[:20]]
        return "\n".join(lines)


def evaluate(truth: list[SampleMessage], placed: dict[str, Placed]) -> Evaluation:
    ev = Evaluation(total=len(truth))
    for m in truth:
        p = placed.get(m.message_id)
        if p is None:
            ev.missing.append(f"{m.note}: {m.subject!r}")
            ev.matrix[(m.expect, "missing")] += 1
            continue
        ev.matrix[(m.expect, p.status)] += 1
        want = {(m.union_code, key) for key in m.obligations} if m.expect == CREDIT else set()
        ev.true_pairs += len(want)
        ev.credited_pairs += len(p.pairs)
        ev.correct_pairs += len(p.pairs & want)
        got = ", ".join(f"{c} {k}" for c, k in sorted(p.pairs)) or p.reason
        detail = (f"{m.subject!r} [{m.union_code} {', '.join(m.obligations) or '-'}] got: "
                  f"{got}")
        wrong = p.pairs - want
        if wrong:
            ev.false_credits.append(f"{m.note} ({m.expect}): {detail}")
            if m.expect == IGNORE:
                ev.noise_credited.append(f"{m.note}: {detail}")
        outcome = p.status
        if p.status == CREDIT and p.pairs != want:
            outcome = "credit-partial" if not wrong else "credit-wrong"
        if outcome != m.expect:
            ev.misplaced[(m.note, m.expect, outcome)].append(detail)
        if p.received_at != m.received_at:
            ev.received_wrong.append(f"{m.note}: {m.subject!r} truth {m.received_at} stored "
                                     f"{p.received_at}")
    return ev


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_placement_of_a_realistic_year(app: App, tmp_path: Path) -> None:
    truth = generate(SAMPLE_DIRECTORY, until=YEAR_END, scale=3)
    print("\n" + "\n".join(expected_counts(truth).lines()[:1]))
    maildir = tmp_path / "inbox"
    assert write_maildir(truth, maildir) == len(truth)
    with app.sessions.begin() as s:
        import_unions(s, SAMPLE_DIRECTORY)
    pipeline = Pipeline(app.sessions, app.settings, app.calendar)

    first = pipeline.ingest(open_path_source(maildir))
    print(f"first ingest: {first.line()}")
    ev = evaluate(truth, placements(app))
    report = ev.report()
    print(report)

    assert first.new == len(truth), report
    assert first.errors == 0, f"{first.errors} message(s) quarantined\n{report}"
    assert not ev.missing, report
    assert not ev.false_credits, report
    assert not ev.noise_credited, report
    assert ev.triage_share <= MAX_TRIAGE_SHARE, report
    assert not ev.received_wrong, report

    before = counts(app)
    second = pipeline.ingest(open_path_source(maildir))
    print(f"second ingest: {second.line()}")
    assert (second.new, second.credited, second.triaged, second.ignored) == (0, 0, 0, 0)
    assert second.duplicates == len(truth)
    assert counts(app) == before
