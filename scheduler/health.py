"""``ldl health``: is the service doing its job?  For Docker's HEALTHCHECK and monitoring.

Unhealthy when the database is unreachable, when the last poll of the mailbox failed, or
when the last successful one is too old: a silently stopped poller must show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import MailboxState, OutboxItem


@dataclass
class Health:
    ok: bool
    lines: list[str]


def check(session: Session, now: datetime, max_age: timedelta) -> Health:
    lines: list[str] = []
    ok = True
    states = session.scalars(select(MailboxState)).all()
    if not states:
        return Health(False, ["no mailbox has been polled yet"])
    for st in states:
        name = f"{st.account} {st.folder}".strip()
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
    failed = session.scalars(select(OutboxItem.dedup_key)
                             .where(OutboxItem.status == "failed")).all()
    if failed:
        lines.append(f"outbox: {len(failed)} mail(s) failed (see `ldl outbox list`)")
    return Health(ok, lines)
