"""Stage 5: write down what was decided, on the message row and beside it.

Every outcome is recorded with the message: a submission per credited obligation, a triage
item with its reason, or the reason it was ignored.  Nothing is decided silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from config.calendar import Calendar
from ingest.decide import Decision
from ingest.document import Classification, MessageDoc
from storage.blobs import put_blob
from storage.models import Attachment, Message, Submission, TriageItem, Union
from storage.obligations import ensure_obligations


def save_parsed(session: Session, message: Message, doc: MessageDoc) -> None:
    """Keep what parsing found, so that operators and views need not parse again."""
    message.message_id = message.message_id or doc.message_id or None
    message.from_addr = doc.from_addr[:320]
    message.from_name = doc.from_name[:300]
    message.subject = doc.subject
    message.date_header = doc.date
    message.body_text = doc.body_text
    message.defects = list(doc.defects)
    if message.processed_at is not None:  # reprocessed: replace what the last parse stored
        session.execute(delete(Attachment).where(Attachment.message_id == message.id))
    for att in doc.attachments:
        sha = put_blob(session, att.payload, att.sha256 or None)
        session.add(Attachment(
            message_id=message.id, filename=att.filename[:1000],
            content_type=att.content_type[:200], size=len(att.payload), sha256=sha,
            text=att.text, heading=att.heading[:500], extract_status=att.status,
            extract_error=att.error,
        ))


def lock_unions(session: Session, union_ids: Iterable[int]) -> None:
    """Lock these unions' rows until commit (PostgreSQL; SQLite has one writer anyway).

    Renumbering reads the union's submissions and rewrites their versions: two runs doing it
    at once for the same union would each miss the other's new submission and number both
    "2".  Locking in id order makes them wait in turn without deadlocking.  ``FOR NO KEY
    UPDATE`` does not conflict with the key-share lock that inserting a submission takes.
    """
    ids = sorted(set(union_ids))
    if ids and session.get_bind().dialect.name == "postgresql":
        session.execute(select(Union.id).where(Union.id.in_(ids)).order_by(Union.id)
                        .with_for_update(key_share=True)).all()


def renumber_versions(session: Session, union_id: int, obligation_key: str) -> None:
    """Version 1 is the first received; a resend ("bổ sung", "gửi lại") is 2, and so on."""
    rows = session.execute(
        select(Submission).join(Message, Message.id == Submission.message_id)
        .where(Submission.union_id == union_id, Submission.obligation_key == obligation_key,
               Submission.counted)
        .order_by(Message.received_at, Message.id)
    ).scalars().all()
    for number, sub in enumerate(rows, start=1):
        sub.version = number


def record(session: Session, message: Message, decision: Decision,
           classification: Classification, calendar: Calendar) -> list[Submission]:
    """Apply ``decision`` to ``message``; returns the submissions it created."""
    now = datetime.now(UTC)
    message.processed_at = now
    message.error = None
    message.status_reason = decision.reason
    created: list[Submission] = []
    if decision.action == "credit":
        union = session.scalar(select(Union).where(Union.code == decision.union_code))
        assert union is not None, "decide() credits only unions of the directory"
        # mail reaching a year makes that year's obligations (the submission points at one)
        ensure_obligations(session, calendar, [m.key for m in decision.matches])
        lock_unions(session, [union.id])
        kinds = {m.key: s.kind for m in decision.matches if (s := calendar.spec(m.key))}
        for match in decision.matches:
            sub = Submission(
                message_id=message.id, union_id=union.id, obligation_key=match.key,
                confidence=round(min(match.confidence, decision.union_confidence), 3),
                evidence=decision.evidence, decided_by="rules",
                model_title=classification.model_title if kinds.get(match.key) == "dvk" else None,
            )
            session.add(sub)
            created.append(sub)
        session.flush()
        for match in decision.matches:
            renumber_versions(session, union.id, match.key)
        message.status = "credited"
    elif decision.action == "triage":
        item = session.scalar(select(TriageItem).where(TriageItem.message_id == message.id))
        if item is None:
            item = TriageItem(message_id=message.id)
            session.add(item)
        item.reason = decision.reason or "needs a person"
        item.candidates = decision.candidates
        item.evidence = decision.evidence + [
            {"rule": "suggested", "obligation": m.key, "confidence": m.confidence,
             "source": "classify", "detail": f"{m.key} at {m.confidence:.2f}"}
            for m in decision.matches]
        item.status = "open"
        message.status = "triaged"
    else:
        message.status = "ignored"
    return created


def quarantine(message: Message, error: str) -> None:
    """A message that broke a stage: kept, marked, its error recorded for replay."""
    message.status = "quarantined"
    message.error = error.replace("\x00", "\\x00")  # PostgreSQL text holds no NUL
    message.processed_at = datetime.now(UTC)
