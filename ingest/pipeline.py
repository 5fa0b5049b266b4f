"""The ingest pipeline: each message goes through named stages, Mailman-style.

    take:    store (raw bytes + mailbox state, one commit per batch)
    process: parse -> noise -> classify -> attribute -> decide      (ingest/analyse.py)
             -> record                                  (one commit per message)

Taking runs at the speed of the fetch; processing may run in worker processes, which only
analyse, while this process writes.  A failure while processing quarantines that message
with its traceback and the run goes on.  Every stage after "store" reads only the stored
bytes, so :meth:`Pipeline.reprocess` re-runs them when the directory or the rules change.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload, sessionmaker
from tqdm import tqdm

from config.calendar import ObligationSpec
from config.settings import Settings
from ingest.analyse import Analysis, Failure, RuleContext, analyse, analyse_safely
from ingest.document import MessageDoc, UnionEntry
from ingest.extract import ExtractLimits
from ingest.lifeline import pool_worker_init
from ingest.record import quarantine, record, renumber_versions, save_parsed
from ingest.sources.base import FetchedMessage, Source
from ingest.sources.base import MailboxState as FetchState
from ingest.store import load_state, mark_poll, save_state, store_fetched
from storage.blobs import get_blob
from storage.models import Message, Submission, TriageItem, Union

log = logging.getLogger(__name__)

STORE_BATCH = 50  # messages per commit while taking the mailbox
STORE_BATCH_BYTES = 32 * 1024 * 1024  # ... or fewer, when they are large
PARALLEL_FROM = 40  # fewer messages than this are not worth starting workers for
MAX_AUTO_WORKERS = 4
IN_FLIGHT_PER_WORKER = 4  # bounded: memory does not grow with the mailbox

#: Called inside the transaction that credits a message (e.g. to queue a receipt).
CreditHook = Callable[[Session, Message, MessageDoc, list[Submission]], None]


@dataclass
class IngestSummary:
    fetched: int = 0
    new: int = 0
    duplicates: int = 0
    credited: int = 0
    triaged: int = 0
    ignored: int = 0
    errors: int = 0  # quarantined

    def add(self, outcome: str) -> None:
        attr = {"credited": "credited", "triaged": "triaged", "ignored": "ignored",
                "quarantined": "errors"}[outcome]
        setattr(self, attr, getattr(self, attr) + 1)

    def line(self) -> str:
        return ", ".join(f"{f.name} {getattr(self, f.name)}" for f in fields(self))


def directory_entries(session: Session) -> list[UnionEntry]:
    """The directory as the attribution rules see it."""
    unions = session.scalars(select(Union).options(selectinload(Union.addresses))
                             .order_by(Union.code))
    return [UnionEntry(code=u.code, name=u.name, bloc=u.bloc,
                       addresses=tuple(a.address for a in u.addresses),
                       aliases=tuple(u.aliases or ()), active=u.active) for u in unions]


@dataclass
class Pipeline:
    sessions: sessionmaker[Session]
    settings: Settings
    specs: Sequence[ObligationSpec]
    on_credit: list[CreditHook] = field(default_factory=list)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _directory: list[UnionEntry] | None = None

    @property
    def limits(self) -> ExtractLimits:
        ing = self.settings.ingest
        return ExtractLimits(max_file_bytes=ing.max_attachment_bytes,
                             max_seconds=ing.seconds_per_file, ocr=ing.ocr,
                             max_message_seconds=ing.seconds_per_message)

    def directory(self) -> list[UnionEntry]:
        if self._directory is None:
            with self.sessions() as session:
                self._directory = directory_entries(session)
        return self._directory

    def forget_directory(self) -> None:
        self._directory = None

    def rule_context(self) -> RuleContext:
        ing, fed = self.settings.ingest, self.settings.federation
        return RuleContext(
            specs=tuple(self.specs), directory=tuple(self.directory()),
            own_addresses=tuple(self.settings.own_addresses),
            higher_bodies=tuple(fed.higher_bodies),
            obligation_threshold=ing.obligation_threshold,
            union_threshold=ing.union_threshold, timezone=self.settings.timezone,
            limits=self.limits)

    # -- the stages of one message --------------------------------------------------------
    def _apply(self, session: Session, message: Message, result: Analysis) -> str:
        save_parsed(session, message, result.doc)
        created = record(session, message, result.decision, result.classification, self.specs)
        if created:
            for hook in self.on_credit:
                hook(session, message, result.doc, created)
        return message.status

    def _quarantine(self, message_pk: int, error: str) -> str:
        log.warning("message %s quarantined: %s", message_pk, error.strip().splitlines()[-1])
        with self.sessions.begin() as session:
            message = session.get(Message, message_pk)
            if message is not None:
                quarantine(message, error)
        return "quarantined"

    def process_one(self, message_pk: int, result: Analysis | Failure | None = None) -> str:
        """Analyse (unless done already) and record one stored message; never raises.

        Parse, rules and record happen in one transaction: a failure anywhere leaves no
        half-made submission, and the message is quarantined with its traceback.
        """
        if isinstance(result, Failure):
            return self._quarantine(message_pk, result.error)
        try:
            with self.sessions.begin() as session:
                message = session.get(Message, message_pk)
                if message is None:
                    return "missing"
                if result is None:
                    result = analyse(get_blob(session, message.sha256), message.received_at,
                                     self.rule_context())
                return self._apply(session, message, result)
        except Exception:  # noqa: BLE001 - quarantined with the full traceback, run goes on
            return self._quarantine(message_pk, traceback.format_exc(limit=20))

    def _workers(self, count: int) -> int:
        configured = self.settings.ingest.workers
        if configured:
            return configured
        if count < PARALLEL_FROM:
            return 1
        return max(1, min(os.cpu_count() or 1, MAX_AUTO_WORKERS))

    def process_many(self, pks: Sequence[int], summary: IngestSummary, *,
                     progress: bool = False, stop: Callable[[], bool] | None = None,
                     desc: str = "process") -> None:
        """Process stored messages in order; in worker processes when there are many.

        Workers only analyse (bytes in, decisions out); this process alone writes, in the
        messages' order, so results are the same as one by one.  Messages left when
        ``stop`` says so stay "new" and are taken up by the next run.
        """
        bar = tqdm(total=len(pks), desc=desc, unit="msg", disable=not progress, leave=False)
        try:
            workers = self._workers(len(pks))
            if workers <= 1:
                for pk in pks:
                    if stop is not None and stop():
                        break
                    summary.add(self.process_one(pk))
                    bar.update(1)
            else:
                self._process_parallel(pks, summary, workers, bar, stop)
        finally:
            bar.close()

    def _process_parallel(self, pks: Sequence[int], summary: IngestSummary, workers: int,
                          bar: tqdm[Any], stop: Callable[[], bool] | None) -> None:
        ctx = self.rule_context()
        todo = iter(pks)
        window: deque[tuple[int, Future[Analysis | Failure]]] = deque()
        context = multiprocessing.get_context("forkserver")
        # workers die with this process even when it is SIGKILLed; the forkserver and the
        # resource tracker then see their pipes close and exit too (ingest/lifeline.py)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                 initializer=pool_worker_init,
                                 initargs=(os.getpid(),)) as pool:

            def submit_next() -> None:
                pk = next(todo, None)
                if pk is None:
                    return
                with self.sessions() as session:
                    message = session.get(Message, pk)
                    if message is None:
                        return submit_next()
                    raw, at = get_blob(session, message.sha256), message.received_at
                window.append((pk, pool.submit(analyse_safely, raw, at, ctx)))

            for _ in range(workers * IN_FLIGHT_PER_WORKER):
                submit_next()
            while window:
                pk, future = window.popleft()
                try:
                    result: Analysis | Failure = future.result()
                except Exception as exc:  # noqa: BLE001 - a dead worker: that message only
                    result = Failure(f"worker process failed: {exc!r}")
                summary.add(self.process_one(pk, result))
                bar.update(1)
                if stop is not None and stop():
                    for _, rest in window:
                        rest.cancel()
                    break
                submit_next()

    # -- runs -----------------------------------------------------------------------------
    def ingest(self, source: Source, *, progress: bool = False, folder: str = "",
               stop: Callable[[], bool] | None = None) -> IngestSummary:
        """Take every new message of ``source``, exactly once, then process them.

        Taking runs near the speed of the fetch: messages are stored with the mailbox state
        a batch per commit, before any parsing.  Processing follows (see
        :meth:`process_many`), and also finishes whatever an earlier run stored but did not
        process.  ``stop`` is asked between messages (SIGTERM): what is in hand is stored
        and the run ends; unprocessed messages wait for the next run.
        """
        summary = IngestSummary()
        self.forget_directory()
        account = getattr(source, "account", source.key)
        folder = getattr(source, "folder", folder)
        with self.sessions() as session:
            state = load_state(session, account, folder)
        try:
            self._take(source, state, summary, progress, stop)
        except Exception as exc:
            with self.sessions.begin() as session:
                mark_poll(session, account, folder, ok=False, error=str(exc),
                          now=self.clock())
            raise
        with self.sessions.begin() as session:
            mark_poll(session, account, folder, ok=True, now=self.clock())
        if not (stop is not None and stop()):
            self.process_many(self._pending(), summary, progress=progress, stop=stop)
        return summary

    def _take(self, source: Source, state: FetchState | None, summary: IngestSummary,
              progress: bool, stop: Callable[[], bool] | None) -> None:
        bar = tqdm(desc=f"fetch {source.key}", unit="msg", disable=not progress, leave=False)
        batch: list[FetchedMessage] = []
        size = 0
        try:
            for fetched in source.iter_new(state):
                summary.fetched += 1
                bar.update(1)
                batch.append(fetched)
                size += len(fetched.raw)
                if len(batch) >= STORE_BATCH or size >= STORE_BATCH_BYTES:
                    self._store_batch(source, batch, summary)
                    batch, size = [], 0
                if stop is not None and stop():
                    break
            self._store_batch(source, batch, summary)
        finally:
            bar.close()

    def _store_batch(self, source: Source, batch: list[FetchedMessage],
                     summary: IngestSummary) -> None:
        """Messages, blobs and the mailbox state in one commit; then the after-actions."""
        if not batch:
            return
        with self.sessions.begin() as session:
            outcomes = [store_fetched(session, fetched, source.key, with_state=False)
                        for fetched in batch]
            states = [f.state for f in batch if f.state is not None]
            if states:
                save_state(session, states[-1])
        for fetched, stored in zip(batch, outcomes, strict=True):
            if stored.message is None:
                summary.duplicates += 1
            else:
                summary.new += 1
                if fetched.oversize:
                    summary.add("quarantined")
            source.after_store(fetched)

    def _pending(self) -> list[int]:
        """Messages stored but not processed: this run's, and any a crash left behind."""
        with self.sessions() as session:
            return list(session.scalars(select(Message.id).where(Message.status == "new")
                                        .order_by(Message.id)))

    def reprocess(self, message_pks: Iterable[int] | None = None, *,
                  progress: bool = False) -> IngestSummary:
        """Re-run the rules over stored messages, keeping every operator decision."""
        summary = IngestSummary()
        self.forget_directory()
        with self.sessions() as session:
            query = select(Message.id).order_by(Message.id)
            if message_pks is not None:
                query = query.where(Message.id.in_(list(message_pks)))
            pks = list(session.scalars(query))
        again = [pk for pk in pks if self._reset_for_rules(pk)]
        self.process_many(again, summary, progress=progress, desc="reprocess")
        return summary

    def _reset_for_rules(self, pk: int) -> bool:
        """Undo what the rules decided for a message; False if a person decided it."""
        with self.sessions.begin() as session:
            message = session.get(Message, pk)
            if message is None or (message.error or "").startswith("oversize"):
                return False
            by_person = session.scalar(select(Submission.id).where(
                Submission.message_id == pk, Submission.decided_by != "rules").limit(1))
            resolved = session.scalar(select(TriageItem.id).where(
                TriageItem.message_id == pk, TriageItem.status != "open"))
            if by_person is not None or resolved is not None:
                return False
            affected = session.execute(select(Submission.union_id, Submission.obligation_key)
                                       .where(Submission.message_id == pk)).all()
            session.execute(delete(Submission).where(Submission.message_id == pk))
            session.execute(delete(TriageItem).where(TriageItem.message_id == pk))
            session.flush()
            for union_id, key in affected:
                renumber_versions(session, union_id, key)
            message.status = "new"
            message.processed_at = datetime.now(UTC)
        return True
