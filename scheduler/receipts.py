"""Receipts: a short reply to the union when its message is credited.

Queued in the same transaction that credits the message, so a receipt exists exactly when
a submission does.  Never sent to anything that could answer back automatically (robots,
lists, the federation itself): no mail loop is possible.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config.calendar import Calendar, load_calendar
from config.settings import Settings
from ingest.document import MessageDoc
from ingest.pipeline import CreditHook
from scheduler.mailer import federation_of, queue_mail
from scheduler.render import ReceiptContext, Templates
from storage.models import Message, Submission, Union

Clock = Callable[[], datetime]
_ROBOT_HEADERS = ("auto-submitted", "x-autoreply", "x-autorespond", "list-id",
                  "list-unsubscribe", "precedence")


def reply_address(doc: MessageDoc, own: set[str]) -> str | None:
    """Where a receipt may go, or None when replying could start a loop."""
    auto = doc.header("auto-submitted").strip().lower()
    if auto and auto != "no":
        return None
    if any(doc.header(h) for h in _ROBOT_HEADERS if h != "auto-submitted"):
        return None
    candidate = (doc.header("reply-to") or doc.from_addr).strip()
    if "<" in candidate:
        candidate = candidate.split("<", 1)[1].split(">", 1)[0]
    candidate = candidate.strip().lower()
    local = candidate.split("@", 1)[0]
    if not candidate or "@" not in candidate or candidate in own:
        return None
    if local in ("mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply"):
        return None
    return candidate


def receipt_hook(settings: Settings, *, clock: Clock | None = None,
                 templates: Templates | None = None,
                 calendar: Calendar | None = None) -> CreditHook:
    """A pipeline hook that queues one receipt per credited obligation."""
    now_of: Clock = clock or (lambda: datetime.now(UTC))
    tmpl = templates or Templates(settings.templates_dir, tz=settings.tz)
    known = calendar or load_calendar(settings.calendar.file,
                                      settings.calendar.effective_first_year)
    own = set(settings.own_addresses)
    max_age = timedelta(days=settings.receipts.max_age_days)

    def hook(session: Session, message: Message, doc: MessageDoc,
             subs: list[Submission]) -> None:
        now = now_of()
        to = reply_address(doc, own)
        if to is None or message.received_at < now - max_age:
            return
        for sub in subs:
            spec = known.spec(sub.obligation_key)
            union = session.get(Union, sub.union_id)
            if spec is None or union is None:
                continue
            first = session.scalar(
                select(func.min(Message.received_at)).join(
                    Submission, Submission.message_id == Message.id)
                .where(Submission.union_id == sub.union_id,
                       Submission.obligation_key == sub.obligation_key, Submission.counted))
            first = first or message.received_at
            context = ReceiptContext(
                union_code=union.code, union_name=union.name, obligation_key=spec.key,
                obligation_title=spec.title, due_at=spec.due_at,
                received_at=message.received_at, on_time=spec.is_on_time(first),
                subject=message.subject, attachments=tuple(a.filename for a in doc.attachments),
                version=sub.version, first_received_at=first if sub.version > 1 else None,
                federation=federation_of(settings))
            queue_mail(session, settings, key=f"receipt:{message.sha256[:24]}:{spec.key}",
                       kind="receipt", recipients=[to], content=tmpl.render("receipt", context),
                       now=now, recipient_name=union.name,
                       in_reply_to=f"<{message.message_id}>" if message.message_id else None,
                       meta={"union": union.code, "obligation": spec.key})

    return hook
