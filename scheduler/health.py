"""``ldl health``: is the service doing its job?  For Docker's HEALTHCHECK and monitoring.

Unhealthy when the database is unreachable, when no IMAP mailbox is configured, when the
last poll of the configured mailbox failed, or when its last successful one is too old: a
silently stopped poller must show.

Only the mailbox of ``[imap]`` counts.  ``mailbox_state`` also keeps a row for every
``ldl ingest --from`` back-fill (a Takeout mbox, a Maildir); such a row is polled once and
never again, so counting it would turn a healthy service unhealthy for good half an hour
after a back-fill.  Mail whose delivery is uncertain or failed is reported, not judged:
it needs a person, not a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config.settings import ImapSettings
from ingest.sources.imap import mailbox_account
from storage.models import MailboxState, OutboxItem


@dataclass
class Health:
    ok: bool
    lines: list[str]


def configured_state(session: Session, imap: ImapSettings) -> MailboxState | None:
    """The ``mailbox_state`` row of the configured IMAP mailbox, if it was ever polled."""
    if not imap.host or not imap.user:
        return None
    return session.scalar(select(MailboxState).where(
        MailboxState.account == mailbox_account(imap), MailboxState.folder == imap.folder))


def check(session: Session, imap: ImapSettings, now: datetime, max_age: timedelta) -> Health:
    lines: list[str] = []
    ok = True
    if not imap.host or not imap.user:  # `ldl run` then reads no mail: not doing its job
        ok = False
        lines.append("no mailbox has been polled: no IMAP mailbox is configured ([imap] host "
                     "and user); a back-fill with `ldl ingest --from` does not count")
    else:
        name = f"{mailbox_account(imap)} {imap.folder}"
        st = configured_state(session, imap)
        if st is None:
            return Health(False, [f"{name}: not polled yet"])
        if st.last_error:
            ok = False
            lines.append(f"{name}: last poll FAILED: {st.last_error}")
        if st.last_success_at is None:
            ok = False
            lines.append(f"{name}: never polled successfully")
        elif now - st.last_success_at > max_age:
            ok = False
            lines.append(f"{name}: last successful poll {st.last_success_at:%Y-%m-%d %H:%M} "
                         f"UTC is older than {max_age}")
        else:
            lines.append(f"{name}: ok, last successful poll "
                         f"{st.last_success_at:%Y-%m-%d %H:%M} UTC")
    counts: dict[str, int] = {
        status: count for status, count in session.execute(
            select(OutboxItem.status, func.count()).where(
                OutboxItem.status.in_(("failed", "uncertain"))).group_by(OutboxItem.status))}
    if counts.get("uncertain"):
        lines.append(f"outbox: {counts['uncertain']} mail(s) may or may not have been "
                     "delivered; not resent automatically (see `ldl outbox list --status "
                     "uncertain`)")
    if counts.get("failed"):
        lines.append(f"outbox: {counts['failed']} mail(s) failed (see `ldl outbox list`)")
    return Health(ok, lines)
