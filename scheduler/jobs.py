"""The jobs of ldl-inbox: each an idempotent command, run by `ldl` or by the daemon.

Every job takes its clock as an argument, so tests and `--now` run them at any moment;
the database (unique keys, compare-and-set) makes their effects happen once, whoever runs
them and however often.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session, sessionmaker

from config.calendar import Calendar, ObligationSpec
from config.settings import ConfigError, Settings, read_secret
from scheduler import digest as digest_mod
from scheduler.outbox import FlushResult, flush, is_queued
from scheduler.policy import ReminderPolicy
from scheduler.reminders import RemindResult, queue_reminders
from scheduler.render import Templates
from scheduler.transports import FileTransport, SmtpTransport, Transport
from storage.obligations import ensure_obligations

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class Services:
    """What the jobs share: passed explicitly, never global."""

    sessions: sessionmaker[Session]
    settings: Settings
    calendar: Calendar
    policy: ReminderPolicy
    templates: Templates

    @classmethod
    def build(cls, sessions: sessionmaker[Session], settings: Settings,
              calendar: Calendar) -> Services:
        return cls(sessions, settings, calendar,
                   ReminderPolicy.load(settings.reminders.policy_file),
                   Templates(settings.templates_dir, tz=settings.tz))


def make_transport(settings: Settings, *, dry_run: bool = False) -> Transport:
    """The configured transport; the file transport for ``--dry-run`` and by default."""
    if dry_run or settings.outbox.transport == "file":
        folder = settings.outbox_dir / ("dry-run" if dry_run else "")
        return FileTransport(folder)
    password = read_secret(settings.smtp.password, settings.smtp.password_file,
                           "smtp.password")
    return SmtpTransport(settings.smtp, password)


def flush_outbox(svc: Services, now: datetime, transport: Transport | None = None,
                 kinds: Sequence[str] | None = None) -> FlushResult:
    out = svc.settings.outbox
    return flush(svc.sessions, transport or make_transport(svc.settings),
                 sender=svc.settings.smtp.sender, max_per_run=out.max_per_run,
                 max_attempts=out.max_attempts, retry_base_seconds=out.retry_base_seconds,
                 now=now, kinds=kinds)


def obligations_at(svc: Services, now: datetime) -> list[ObligationSpec]:
    """The obligations that exist at ``now``, their rows made first: a clock reaching a new
    year makes its obligations, which reminder logs and the SQL views point at."""
    specs = svc.calendar.specs_until(now)
    with svc.sessions.begin() as session:
        ensure_obligations(session, svc.calendar, [s.key for s in specs])
    return specs


def remind(svc: Services, now: datetime, *, dry_run: bool = False) -> RemindResult:
    if not svc.settings.reminders.enabled:
        return RemindResult(False)
    return queue_reminders(svc.sessions, svc.settings, obligations_at(svc, now), svc.policy,
                           svc.templates, now, dry_run=dry_run)


def parse_schedule(text: str) -> tuple[int, time]:
    """``"mon 07:30"`` -> (weekday 0-6, local time)."""
    parts = text.strip().lower().split()
    if len(parts) != 2 or parts[0][:3] not in DAYS:
        raise ConfigError(f"digest.schedule = {text!r}: expected a weekday and a time, "
                          "e.g. 'mon 07:30'")
    try:
        hour, minute = (int(p) for p in parts[1].split(":"))
        return DAYS.index(parts[0][:3]), time(hour, minute)
    except ValueError:
        raise ConfigError(f"digest.schedule = {text!r}: the time must be HH:MM") from None


def digest_due_at(now: datetime, settings: Settings) -> datetime:
    """This week's scheduled moment of the digest (aware, local)."""
    weekday, at = parse_schedule(settings.digest.schedule)
    local = now.astimezone(settings.tz)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday + timedelta(days=weekday), at, tzinfo=settings.tz)


def weekly_digest(svc: Services, now: datetime) -> bool:
    """Queue this week's digest once its moment has come; catches up after downtime."""
    if not svc.settings.digest.recipients or now < digest_due_at(now, svc.settings):
        return False
    with svc.sessions() as session:
        if is_queued(session, f"digest:{digest_mod.iso_week(now, svc.settings)}"):
            return False
    built = digest_mod.build(svc.sessions, svc.settings, obligations_at(svc, now),
                             svc.templates, now)
    return digest_mod.queue_digest(svc.sessions, svc.settings, built,
                                   svc.settings.digest.recipients, now)


class StopFlag:
    """Set by SIGTERM; long jobs look at it between messages and stop cleanly."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def __call__(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        return self._event.wait(seconds)
