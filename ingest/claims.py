"""Claims: a stored message is processed by one run at a time.

Two ``ldl ingest`` (or ``ldl reprocess``, or ``ldl run`` beside a manual ingest) may work on
one database at once.  Before a run analyses a message it claims it with a compare-and-set
on the message row (``claimed_by`` empty or stale -> this run); on PostgreSQL the rows are
picked ``FOR UPDATE SKIP LOCKED``, so a run never waits behind another's claim.  A message
claimed by another live run is skipped: that run will record it.  The transaction that
records the decision first clears the claim *only if it is still ours*; if it is not (our
lease ran out and another run took over), nothing is written.

A claim never blocks for good: it names the run (host, pid, the process's start time and a
random token), so a run on the same host sees at once that the claimer is dead (SIGKILL,
power cut) and takes its messages; across hosts the claim expires after :data:`LEASE`.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, CursorResult, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Message

#: How long a claim holds without its run being known alive (runs on other hosts).
LEASE = timedelta(minutes=30)


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), '' where unknown.

    With the pid it tells a live run from an unrelated process that reused the pid.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # the command name (field 2) may hold spaces and parentheses: split after its last ")"
    rest = stat.rsplit(")", 1)[-1].split()
    return rest[19] if len(rest) > 19 else ""


@dataclass(frozen=True)
class RunId:
    """Who holds a claim: ``host/pid/start/token``."""

    host: str
    pid: int
    start: str
    token: str

    @classmethod
    def this_process(cls) -> RunId:
        pid = os.getpid()
        return cls(socket.gethostname()[:100], pid, _start_time(pid), uuid.uuid4().hex[:12])

    def __str__(self) -> str:
        return f"{self.host}/{self.pid}/{self.start}/{self.token}"

    @classmethod
    def parse(cls, text: str) -> RunId | None:
        parts = text.rsplit("/", 3)
        if len(parts) != 4 or not parts[1].isdigit():
            return None
        return cls(parts[0], int(parts[1]), parts[2], parts[3])


def is_dead(claimer: RunId, me: RunId) -> bool:
    """True when ``claimer`` surely no longer runs (it must be on this host to know)."""
    if claimer.host != me.host or str(claimer) == str(me):
        return False
    try:
        os.kill(claimer.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, another user's
    # the pid is taken: by the claimer, or by a later process (a restarted container gives
    # the same pids again), which its start time tells apart
    return bool(claimer.start) and _start_time(claimer.pid) not in ("", claimer.start)


def pending() -> ColumnElement[bool]:
    """Waiting to be (re)decided: never processed, or marked by ``ldl reprocess``."""
    return or_(Message.status == "new", Message.rules_pending)


def free_dead_claims(session: Session, me: RunId) -> int:
    """Clear the claims of runs of this host that are dead; returns how many runs."""
    holders = session.scalars(select(Message.claimed_by).where(
        Message.claimed_by.is_not(None)).distinct()).all()
    freed = 0
    for holder in holders:
        claimer = RunId.parse(holder or "")
        if claimer is not None and is_dead(claimer, me):
            session.execute(update(Message).where(Message.claimed_by == holder)
                            .values(claimed_by=None, claimed_until=None))
            freed += 1
    return freed


def claim(session: Session, pks: Sequence[int], me: RunId, now: datetime | None = None) -> set[int]:
    """Claim those of ``pks`` that wait to be processed and no live run holds.

    Returns the claimed ids; commit the session to publish the claims.
    """
    if not pks:
        return set()
    now = now or datetime.now(UTC)
    free = or_(Message.claimed_by.is_(None), Message.claimed_until < now,
               Message.claimed_by == str(me))
    # PostgreSQL: rows another transaction is claiming or recording are skipped, not awaited;
    # SQLite has one writer at a time and ignores the clause.
    picked = (select(Message.id).where(Message.id.in_(list(pks)), pending(), free)
              .with_for_update(skip_locked=True))
    ids = set(session.scalars(picked))
    if not ids:
        return set()
    session.execute(update(Message).where(Message.id.in_(ids), pending(), free)
                    .values(claimed_by=str(me), claimed_until=now + LEASE)
                    .execution_options(synchronize_session=False))
    # on SQLite another writer may have committed between the select and the update (the
    # select ran before this transaction took the write lock): read back what is ours
    return set(session.scalars(select(Message.id).where(Message.id.in_(ids),
                                                        Message.claimed_by == str(me))))


def take_for_recording(session: Session, pk: int, me: RunId) -> bool:
    """First statement of the transaction that records ``pk``: True if the claim is ours.

    The claim is cleared in the same statement, which also locks the row (PostgreSQL) or
    takes the write lock (SQLite) until the decision is committed.
    """
    result = session.execute(update(Message).where(Message.id == pk,
                                                   Message.claimed_by == str(me))
                             .values(claimed_by=None, claimed_until=None)
                             .execution_options(synchronize_session=False))
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


def release(session: Session, me: RunId) -> None:
    """Give back every claim of this run (a run that stops early leaves them to others)."""
    session.execute(update(Message).where(Message.claimed_by == str(me))
                    .values(claimed_by=None, claimed_until=None)
                    .execution_options(synchronize_session=False))
