"""Reminders: who owes what now, which stage is due, one mail per union.

The timing is the policy's (config/data/reminders.toml, :mod:`scheduler.policy`); who is
reminded comes from compliance: active unions with no counted submission for the
obligation and no exemption.  Each (union, obligation, stage) is recorded in
``reminder_log`` under a unique key in the same transaction that queues the mail, so a
stage goes out at most once: not after a restart, not with two daemons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from config.calendar import ObligationSpec
from config.settings import Settings
from scheduler.mailer import federation_of, queue_mail
from scheduler.policy import ReminderPolicy, decide_stage, dedup_key, in_window, next_window_open
from scheduler.render import ReceivedMessage, ReminderContext, ReminderItem, Templates
from storage import compliance
from storage.models import Message, ReminderLog, Union

OWING = ("missing", "pending")


@dataclass
class PlannedItem:
    spec: ObligationSpec
    stage: str
    superseded: tuple[str, ...] = ()


@dataclass
class PlannedMail:
    union_code: str
    union_name: str
    recipients: list[str]
    items: list[PlannedItem] = field(default_factory=list)

    @property
    def key(self) -> str:
        parts = "+".join(f"{i.spec.key}:{i.stage}" for i in self.items)
        return f"remind:{self.union_code}:{parts}"


@dataclass
class RemindResult:
    in_window: bool
    next_opening: datetime | None = None
    planned: list[PlannedMail] = field(default_factory=list)
    queued: int = 0
    skipped: int = 0  # taken meanwhile by another process


def plan(session: Session, specs: Sequence[ObligationSpec], policy: ReminderPolicy,
         now: datetime) -> list[PlannedMail]:
    """The reminders due at ``now``, grouped per union (pure but for the reads)."""
    rows = compliance.load(session, specs, now)
    by_key = {s.key: s for s in specs}
    sent: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, key, stage in session.execute(
        select(Union.code, ReminderLog.obligation_key, ReminderLog.stage).join(Union)
    ):
        sent[(code, key)].add(stage)
    unions = {u.code: u for u in session.scalars(
        select(Union).options(selectinload(Union.addresses)))}
    mails: dict[str, PlannedMail] = {}
    for row in rows:
        if row.status not in OWING:
            continue
        union = unions[row.union_code]
        if not union.addresses:
            continue
        decision = decide_stage(by_key[row.obligation], now, policy,
                                sent[(row.union_code, row.obligation)])
        if decision.send is None:
            continue
        mail = mails.setdefault(row.union_code, PlannedMail(
            union.code, union.name, [a.address for a in union.addresses]))
        mail.items.append(PlannedItem(by_key[row.obligation], decision.send,
                                      decision.superseded))
    return [mails[c] for c in sorted(mails)]


def _received_from(session: Session, union: Union, limit: int = 5) -> tuple[ReceivedMessage, ...]:
    """What the federation got from this union lately, so it can tell if one was missed."""
    addresses = [a.address for a in union.addresses]
    messages = session.scalars(
        select(Message).where(Message.from_addr.in_(addresses))
        .options(selectinload(Message.attachments))
        .order_by(Message.received_at.desc()).limit(limit)
    ).all()
    return tuple(ReceivedMessage(m.subject, m.received_at,
                                 tuple(a.filename for a in m.attachments))
                 for m in messages)


def _context(session: Session, mail: PlannedMail, now: datetime,
             settings: Settings) -> ReminderContext:
    union = session.scalars(select(Union).where(Union.code == mail.union_code)
                            .options(selectinload(Union.addresses))).one()
    received = _received_from(session, union)
    items = tuple(ReminderItem(obligation_key=i.spec.key, title=i.spec.title,
                               due_at=i.spec.due_at, overdue=now >= i.spec.due_at,
                               received=received) for i in mail.items)
    return ReminderContext(union_code=mail.union_code, union_name=mail.union_name,
                           items=items, now=now,
                           stage=", ".join(sorted({i.stage for i in mail.items})),
                           federation=federation_of(settings))


def queue_reminders(sessions: sessionmaker[Session], settings: Settings,
                    specs: Sequence[ObligationSpec], policy: ReminderPolicy,
                    templates: Templates, now: datetime, *,
                    dry_run: bool = False) -> RemindResult:
    """Queue the reminders due now (inside the sending window only)."""
    if not in_window(now, policy):
        return RemindResult(False, next_window_open(now, policy))
    with sessions() as session:
        planned = plan(session, specs, policy, now)
    result = RemindResult(True, planned=planned)
    if dry_run:
        return result
    for mail in planned:
        try:
            with sessions.begin() as session:
                content = templates.render("reminder", _context(session, mail, now, settings))
                item = queue_mail(session, settings, key=mail.key, kind="reminder",
                                  recipients=mail.recipients, content=content, now=now,
                                  recipient_name=mail.union_name,
                                  meta={"union": mail.union_code,
                                        "items": [[i.spec.key, i.stage] for i in mail.items]})
                union_id = session.scalar(select(Union.id).where(Union.code == mail.union_code))
                assert union_id is not None
                for planned_item in mail.items:
                    _log(session, union_id, mail.union_code, planned_item.spec.key,
                         planned_item.stage, "queued", item.id if item else None)
                    for old in planned_item.superseded:
                        _log(session, union_id, mail.union_code, planned_item.spec.key, old,
                             "superseded", None)
                session.flush()
            result.queued += 1
        except IntegrityError:  # another process queued the same stage first
            result.skipped += 1
    return result


def _log(session: Session, union_id: int, union_code: str, obligation: str, stage: str,
         status: str, outbox_id: int | None) -> None:
    session.add(ReminderLog(dedup_key=dedup_key(union_code, obligation, stage),
                            union_id=union_id, obligation_key=obligation, stage=stage,
                            status=status, outbox_id=outbox_id))
