"""``ldl run``: the daemon.  APScheduler 3 runs the jobs; the mail thread polls or IDLEs.

APScheduler's background scheduler runs the jobs while the main thread waits for SIGTERM,
so a signal at any moment (even during start-up) stops the daemon the same clean way.

Jobs: the mailbox (IMAP IDLE when the server offers it, polling otherwise), reminders
(every 15 minutes; they themselves wait for the sending window), the weekly digest (checked
every 15 minutes, queued once per week), and the outbox (every minute).  Every job is
idempotent, so a restart, a missed run or a second daemon on the same database changes
nothing but timing.  SIGTERM lets the message in hand finish, then everything stops.

Reminders and the digest wait for the run's first poll of the mailbox to end: judged
before it, a union whose report is waiting in the inbox would be reminded, and the digest
would say "mailbox not read" and count nothing.  The first poll ending (well or not)
schedules them, first run at once; a failed poll is shown in the digest as usual.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler

from ingest.pipeline import Pipeline
from ingest.sources.base import SourceError
from ingest.sources.imap import ImapSource
from scheduler.jobs import Services, StopFlag, flush_outbox, remind, weekly_digest

log = logging.getLogger("ldl.daemon")
IDLE_SLICE_SECONDS = 5.0  # one IDLE round trip per slice: cheap, and a stop is prompt
Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Daemon:
    def __init__(self, svc: Services, pipeline: Pipeline, *, clock: Clock = _utcnow) -> None:
        self.svc = svc
        self.pipeline = pipeline
        self.clock = clock
        self.stop = StopFlag()
        self.scheduler = BackgroundScheduler(
            timezone=svc.settings.tz,
            # a run delayed (busy machine, long ingest) still runs, once: never skipped for
            # being a second late, never repeated in a burst
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        )
        self._mail_thread: threading.Thread | None = None
        self.first_poll = threading.Event()  # set when the run's first poll has ended
        self._first_poll_lock = threading.Lock()

    # -- jobs -----------------------------------------------------------------------------
    def _guard(self, name: str, job: Callable[[], Any]) -> None:
        if self.stop():
            return
        try:
            outcome = job()
            if outcome:
                log.info("%s: %s", name, outcome.line() if hasattr(outcome, "line") else outcome)
        except Exception:  # noqa: BLE001 - logged with traceback; the daemon keeps running
            log.exception("%s failed", name)

    def job_remind(self) -> None:
        self._guard("remind", lambda: _remind_line(remind(self.svc, self.clock())))

    def job_digest(self) -> None:
        self._guard("digest", lambda: "queued" if weekly_digest(self.svc, self.clock()) else None)

    def _first_poll_over(self) -> None:
        """Schedule reminders and the digest, first run now: they judge from here on."""
        with self._first_poll_lock:
            if self.first_poll.is_set():
                return
            self.first_poll.set()
            if self.stop():
                return
            now = datetime.now(UTC)
            self.scheduler.add_job(self.job_remind, "interval", minutes=15, id="remind",
                                   next_run_time=now)
            self.scheduler.add_job(self.job_digest, "interval", minutes=15, id="digest",
                                   next_run_time=now)

    def job_outbox(self) -> None:
        def run() -> Any:
            result = flush_outbox(self.svc, self.clock())
            return result if (result.sent or result.failed or result.retried
                              or result.uncertain or result.interrupted) else None
        self._guard("outbox", run)

    def mail_loop(self) -> None:
        """Ingest, then wait for new mail (IDLE or sleep), until stopped; reconnects itself."""
        imap = self.svc.settings.imap
        failures = 0
        try:
            while not self.stop():
                try:
                    with ImapSource.from_settings(imap) as source:
                        while not self.stop():
                            try:
                                summary = self.pipeline.ingest(source, stop=self.stop)
                            finally:
                                self._first_poll_over()
                            if summary.fetched:
                                log.info("ingest: %s", summary.line())
                            failures = 0
                            self._wait_for_mail(source, imap.poll_minutes * 60, imap.idle)
                except SourceError as exc:
                    self._first_poll_over()  # could not even connect: the digest says so
                    failures += 1
                    delay = min(60 * 2 ** min(failures, 5), 1800)
                    log.error("mailbox: %s; retrying in %d s", exc, delay)
                    self.stop.wait(delay)
        finally:  # whatever ended this thread, the other jobs must not wait for it forever
            self._first_poll_over()

    def _wait_for_mail(self, source: ImapSource, seconds: float, idle: bool) -> None:
        """Wait in short IDLE slices, so SIGTERM is noticed within Docker's 10 s grace."""
        deadline = self.clock().timestamp() + seconds
        while not self.stop() and self.clock().timestamp() < deadline:
            if idle:
                if source.wait_for_new(min(IDLE_SLICE_SECONDS, seconds)):
                    return
            else:
                self.stop.wait(min(IDLE_SLICE_SECONDS, seconds))

    # -- life cycle ---------------------------------------------------------------------------
    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if not self.stop():
            log.info("signal %d: finishing the work in hand, then stopping", signum)
        self.stop.set()

    def run(self) -> None:
        """Run until SIGTERM or SIGINT (main thread only: it installs the handlers)."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        self.start()
        # The main thread only waits: a signal sets the flag, whenever it comes, and the
        # jobs in hand finish before the scheduler lets go.
        while not self.stop.wait(1.0):
            pass
        self.shutdown()

    def start(self) -> None:
        """Start the jobs and the mail thread, and return (tests stop with ``stop.set()``)."""
        # one line per event of ours; APScheduler's own chatter only when it matters
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        self.scheduler.add_job(self.job_outbox, "interval", minutes=1, id="outbox",
                               next_run_time=datetime.now(UTC))
        log.info("ldl run: started (time zone %s)", self.svc.settings.timezone)
        self.scheduler.start()
        if self.svc.settings.imap.host:  # reminders and digest once its first poll ended
            self._mail_thread = threading.Thread(target=self.mail_loop, name="mail",
                                                 daemon=True)
            self._mail_thread.start()
        else:
            log.warning("no [imap] host configured: the daemon sends mail but reads none")
            self._first_poll_over()  # nothing to wait for

    def shutdown(self) -> None:
        """Stop: let the jobs and the message in hand finish, then return."""
        self.stop.set()
        self.scheduler.shutdown(wait=True)
        if self._mail_thread is not None:
            self._mail_thread.join(timeout=120)
        log.info("ldl run: stopped")


def _remind_line(result: Any) -> str | None:
    if not result.in_window or not result.queued:
        return None
    return f"queued {result.queued} reminder mail(s)"
