"""The outbox: every mail to a person is a row with a unique key before it is a send.

Queuing and sending are separate.  Queuing inserts a row whose ``dedup_key`` is unique in
the database, so the same reminder can never be queued twice, whatever restarts or second
daemons do.  Sending claims a row with a compare-and-set (pending -> sending), so two
daemons never both send it; a temporary failure is retried with back-off, a permanent one
(or N temporary ones) marks it failed with the error kept.

Some failures leave nobody knowing whether the mail arrived: the server took the whole
message and then dropped the connection or answered too late, or the process died while a
row was "sending".  Such a row becomes ``uncertain``: reported (``ldl outbox list``,
``ldl health``) and never sent again automatically, since a second delivery of a reminder
is worse than a person looking.  ``ldl outbox retry ID`` sends it again, the same bytes
with the same Message-ID; ``ldl outbox delivered ID`` closes it as sent.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from scheduler.transports import Transport, TransportError
from storage.blobs import get_blob, put_blob
from storage.models import OutboxItem

log = logging.getLogger(__name__)

CLAIM_SECONDS = 600

#: Every value of ``outbox.status`` (a string column; docs/schema.md lists them).
STATUSES = ("pending", "sending", "sent", "failed", "uncertain", "superseded")
#: What a person may send again by hand (``ldl outbox retry``).
RETRYABLE = ("failed", "uncertain")

INTERRUPTED = ("interrupted while sending: it may or may not have been delivered, so it is "
               "not sent again automatically")


@dataclass
class FlushResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    interrupted: int = 0
    uncertain: int = 0  # the server may have them: left for a person, never resent
    left: int = 0  # pending items left for the next run by the per-run cap

    def line(self) -> str:
        return (f"sent {self.sent}, to retry {self.retried}, failed {self.failed}"
                + (f", delivery uncertain {self.uncertain} (see `ldl outbox list "
                   "--status uncertain`)" if self.uncertain else "")
                + (f", interrupted {self.interrupted}" if self.interrupted else "")
                + (f", left for next run {self.left}" if self.left else ""))


def is_queued(session: Session, key: str) -> bool:
    return session.scalar(select(OutboxItem.id).where(OutboxItem.dedup_key == key)) is not None


def enqueue(session: Session, *, key: str, kind: str, recipients: Sequence[str], subject: str,
            mime: bytes, message_id: str, meta: dict[str, Any] | None = None,
            now: datetime | None = None) -> OutboxItem | None:
    """Queue a mail unless one with ``key`` exists (then None).

    The unique constraint is the final guard: a concurrent insert of the same key makes
    the caller's transaction fail at commit, and nothing is queued twice.
    """
    if is_queued(session, key):
        return None
    item = OutboxItem(dedup_key=key, kind=kind, recipients=list(recipients), subject=subject,
                      mime_sha256=put_blob(session, mime), message_id_header=message_id,
                      next_attempt_at=now or datetime.now(UTC), meta=meta or {})
    session.add(item)
    session.flush()
    return item


def _expire_interrupted(sessions: sessionmaker[Session], now: datetime) -> int:
    with sessions.begin() as session:
        result = session.execute(
            update(OutboxItem)
            .where(OutboxItem.status == "sending", OutboxItem.claimed_until < now)
            .values(status="uncertain", last_error=INTERRUPTED, claimed_until=None)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _claim(sessions: sessionmaker[Session], now: datetime,
           kinds: Sequence[str] | None) -> OutboxItem | None:
    """Take the oldest due item: pending -> sending, only if no one else took it first."""
    with sessions.begin() as session:
        query = (select(OutboxItem.id).where(OutboxItem.status == "pending",
                                             OutboxItem.next_attempt_at <= now)
                 .order_by(OutboxItem.id).limit(5))
        if kinds:
            query = query.where(OutboxItem.kind.in_(list(kinds)))
        for pk in session.scalars(query).all():
            taken = session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == pk, OutboxItem.status == "pending")
                .values(status="sending", attempts=OutboxItem.attempts + 1,
                        claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                return session.get(OutboxItem, pk)
    return None


def _pending_count(sessions: sessionmaker[Session], now: datetime) -> int:
    with sessions() as session:
        return len(session.scalars(select(OutboxItem.id).where(
            OutboxItem.status == "pending", OutboxItem.next_attempt_at <= now)).all())


def flush(sessions: sessionmaker[Session], transport: Transport, *, sender: str,
          max_per_run: int, max_attempts: int, retry_base_seconds: int,
          now: datetime | None = None, kinds: Sequence[str] | None = None) -> FlushResult:
    """Send what is due, at most ``max_per_run`` mails, so a bug cannot flood the unions."""
    now = now or datetime.now(UTC)
    result = FlushResult(interrupted=_expire_interrupted(sessions, now))
    while result.sent + result.retried + result.failed + result.uncertain < max_per_run:
        item = _claim(sessions, now, kinds)
        if item is None:
            break
        with sessions() as session:
            mime = get_blob(session, item.mime_sha256 or "")
        try:
            transport.send(mime, sender, list(item.recipients))
        except TransportError as exc:
            _after_failure(sessions, item, exc, now, max_attempts, retry_base_seconds, result)
            continue
        with sessions.begin() as session:
            session.execute(update(OutboxItem).where(OutboxItem.id == item.id).values(
                status="sent", sent_at=datetime.now(UTC), claimed_until=None,
                last_error=None))
        log.info("sent %s to %s", item.dedup_key, ", ".join(item.recipients))
        result.sent += 1
    result.left = _pending_count(sessions, now)
    return result


def _after_failure(sessions: sessionmaker[Session], item: OutboxItem, exc: TransportError,
                   now: datetime, max_attempts: int, base: int, result: FlushResult) -> None:
    if exc.ambiguous:
        with sessions.begin() as session:
            session.execute(update(OutboxItem).where(OutboxItem.id == item.id).values(
                status="uncertain", last_error=str(exc)[:2000], claimed_until=None))
        log.warning("delivery of %s uncertain, not sent again automatically: %s",
                    item.dedup_key, exc)
        result.uncertain += 1
        return
    give_up = not exc.temporary or item.attempts >= max_attempts
    delay = timedelta(seconds=base * 2 ** max(item.attempts - 1, 0))
    with sessions.begin() as session:
        session.execute(update(OutboxItem).where(OutboxItem.id == item.id).values(
            status="failed" if give_up else "pending", last_error=str(exc)[:2000],
            claimed_until=None, next_attempt_at=now + delay))
    if give_up:
        log.warning("giving up on %s after %d attempt(s): %s", item.dedup_key,
                    item.attempts, exc)
        result.failed += 1
    else:
        log.info("will retry %s in %s: %s", item.dedup_key, delay, exc)
        result.retried += 1


@dataclass
class Changed:
    """What a person's outbox command did: the rows changed, and why others were not."""

    done: list[int]
    refused: dict[int, str]  # id -> why it was left alone


def _transition(session: Session, ids: Sequence[int], allowed: Sequence[str],
                values: dict[str, Any], verb: str) -> Changed:
    """Move each row whose status is ``allowed`` to ``values`` (compare-and-set: a row a
    run changed meanwhile is left alone and the person told why)."""
    done = Changed([], {})
    for pk in ids:
        row = session.get(OutboxItem, pk)
        if row is None:
            done.refused[pk] = "no such outbox item"
            continue
        changed = session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == pk, OutboxItem.status.in_(allowed))
            .values(**values)
        )
        if changed.rowcount == 1:  # type: ignore[attr-defined]
            done.done.append(pk)
        else:
            done.refused[pk] = f"it is {row.status}; only {' or '.join(allowed)} can be {verb}"
    return done


def requeue(session: Session, ids: Sequence[int], now: datetime) -> Changed:
    """Put failed or uncertain rows back to pending, due ``now``: a person's decision.

    The stored MIME bytes are sent again unchanged, so the Message-ID is the same as the
    first attempt's; a recipient whose server did take the first one sees one message
    (clients and Gmail thread or drop a second copy with the same Message-ID).  A row that
    is anything else (pending, sending, sent, superseded) is left alone, so a retry never
    races a send in progress.  Attempts start again from zero.
    """
    return _transition(session, ids, RETRYABLE,
                       {"status": "pending", "attempts": 0, "next_attempt_at": now,
                        "claimed_until": None}, "retried")


def confirm_delivered(session: Session, ids: Sequence[int], now: datetime) -> Changed:
    """Close uncertain rows as sent: a person checked that the recipients have the mail."""
    return _transition(session, ids, ("uncertain",),
                       {"status": "sent", "sent_at": now, "claimed_until": None}, "confirmed")
