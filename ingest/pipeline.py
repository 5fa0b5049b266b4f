"""The ingest pipeline: each message goes through named stages, Mailman-style.

    take:    store (raw bytes + mailbox state, one commit per batch)
    process: parse -> noise -> classify -> attribute -> decide      (ingest/analyse.py)
             -> record                                  (one commit per message)

Taking runs at the speed of the fetch; processing may run in worker processes, which only
analyse, while this process writes.  A failure while processing quarantines that message
with its traceback and the run goes on.  Every stage after "store" reads only the stored
bytes, so :meth:`Pipeline.reprocess` re-runs them when the directory or the rules change.

Several runs may share a database: a message is claimed before it is processed, and its
decision is swapped in one transaction (old until the commit, new after), so another run,
a reader of the views or a SIGKILL never sees a message without a decision.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, selectinload, sessionmaker
from tqdm import tqdm

from config.calendar import Calendar
from config.settings import Settings
from ingest.analyse import Analysis, Failure, RuleContext, analyse, analyse_safely
from ingest.claims import RunId, claim, free_dead_claims, pending, release, take_for_recording
from ingest.document import MessageDoc, UnionEntry
from ingest.extract import ExtractLimits
from ingest.lifeline import pool_worker_init
from ingest.record import lock_unions, quarantine, record, renumber_versions, save_parsed
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
CLAIM_CHUNK = 8  # messages claimed per statement (another run skips them meanwhile)
DB_RETRIES = 3  # recording attempts when a concurrent run's transaction gets in the way

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
    skipped: int = 0  # another run was processing them

    def add(self, outcome: str) -> None:
        attr = {"credited": "credited", "triaged": "triaged", "ignored": "ignored",
                "quarantined": "errors", "skipped": "skipped"}.get(outcome)
        if attr is not None:  # "missing": deleted meanwhile
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
    calendar: Calendar
    on_credit: list[CreditHook] = field(default_factory=list)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    run_id: RunId = field(default_factory=RunId.this_process)
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
            calendar=self.calendar, directory=tuple(self.directory()),
            own_addresses=tuple(self.settings.own_addresses),
            higher_bodies=tuple(fed.higher_bodies),
            obligation_threshold=ing.obligation_threshold,
            union_threshold=ing.union_threshold, timezone=self.settings.timezone,
            limits=self.limits)

    # -- the stages of one message --------------------------------------------------------
    def _swap(self, session: Session, message: Message, result: Analysis) -> str:
        """Replace what the rules decided for ``message`` by ``result``: one transaction.

        The old submissions and triage item stay until this commit, so status and the
        views show the old decision or the new one, never none.  A decision a person made
        meanwhile (triage assign or dismiss) is kept.
        """
        if not (message.status == "new" or message.rules_pending):
            return message.status  # recorded meanwhile (cannot happen while claimed)
        message.rules_pending = False
        if message.status != "new" and decided_by_person(session, message.id):
            return message.status
        decision = result.decision
        undone: list[tuple[int, str]] = []
        if message.status != "new":  # a decision to replace (a new message has none)
            new_union = (session.scalar(select(Union.id).where(Union.code == decision.union_code))
                         if decision.action == "credit" else None)
            undone = undo_rules(session, message.id, new_union,
                                keep_triage=decision.action == "triage")
        save_parsed(session, message, result.doc)
        created = record(session, message, decision, result.classification, self.calendar)
        redone = {(s.union_id, s.obligation_key) for s in created}
        for union_id, key in sorted(set(undone) - redone):
            renumber_versions(session, union_id, key)
        if created:
            for hook in self.on_credit:
                hook(session, message, result.doc, created)
        return message.status

    def _record(self, message_pk: int, write: Callable[[Session, Message], str], *,
                quarantine_on_error: bool = True) -> str:
        """Run ``write`` in the transaction that ends this run's claim on the message.

        A database conflict (a unique key or a deadlock met because another run works
        beside this one) is retried, and never quarantines the message: after
        :data:`DB_RETRIES` the message stays pending for the next run.  Anything else that
        fails while recording quarantines it.
        """
        for attempt in range(1, DB_RETRIES + 1):
            try:
                with self.sessions.begin() as session:
                    if not take_for_recording(session, message_pk, self.run_id):
                        return "skipped"  # another run holds it (our claim had expired)
                    message = session.get(Message, message_pk)
                    if message is None:
                        return "missing"
                    return write(session, message)
            except (IntegrityError, OperationalError) as exc:
                log.warning("message %s: database conflict (attempt %d/%d): %s", message_pk,
                            attempt, DB_RETRIES, str(exc.orig or exc).strip().splitlines()[0])
            except Exception:  # noqa: BLE001 - quarantined with the full traceback
                if not quarantine_on_error:  # quarantining itself failed: next run's turn
                    log.exception("message %s: could not be recorded", message_pk)
                    return "skipped"
                return self._quarantine(message_pk, traceback.format_exc(limit=20))
        return "skipped"

    def _quarantine(self, message_pk: int, error: str) -> str:
        log.warning("message %s quarantined: %s", message_pk, error.strip().splitlines()[-1])

        def write(session: Session, message: Message) -> str:
            message.rules_pending = False
            if message.status != "new" and decided_by_person(session, message.id):
                return message.status
            if message.status != "new":
                for union_id, key in sorted(set(undo_rules(session, message.id, None,
                                                           keep_triage=False))):
                    renumber_versions(session, union_id, key)
            quarantine(message, error)
            return "quarantined"

        return self._record(message_pk, write, quarantine_on_error=False)

    def process_one(self, message_pk: int, result: Analysis | Failure | None = None) -> str:
        """Analyse (unless done already) and record one claimed message; never raises.

        The decision is made first, outside any transaction; then one transaction swaps it
        in (see :meth:`_swap`): a failure leaves the old decision whole, and a message
        that breaks a stage is quarantined with its traceback.
        """
        if result is None:
            try:
                with self.sessions() as session:
                    message = session.get(Message, message_pk)
                    if message is None:
                        return "missing"
                    raw, at = get_blob(session, message.sha256), message.received_at
                result = analyse(raw, at, self.rule_context())
            except Exception:  # noqa: BLE001 - quarantined with the full traceback, run goes on
                return self._quarantine(message_pk, traceback.format_exc(limit=20))
        if isinstance(result, Failure):
            return self._quarantine(message_pk, result.error)
        analysis = result
        return self._record(message_pk, lambda s, m: self._swap(s, m, analysis))

    def _claim(self, pks: Sequence[int]) -> set[int]:
        # wall-clock time, not self.clock: a demo's clock in 2021 must not make claims stale
        with self.sessions.begin() as session:
            return claim(session, pks, self.run_id)

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
        messages' order, so results are the same as one by one.  Each message is claimed
        first (ingest/claims.py): one another run is processing is skipped.  Messages left
        when ``stop`` says so stay pending, their claims given back, for the next run.
        """
        bar = tqdm(total=len(pks), desc=desc, unit="msg", disable=not progress, leave=False)
        with self.sessions.begin() as session:
            free_dead_claims(session, self.run_id)
        try:
            workers = self._workers(len(pks))
            if workers <= 1:
                for start in range(0, len(pks), CLAIM_CHUNK):
                    if stop is not None and stop():
                        break
                    chunk = pks[start:start + CLAIM_CHUNK]
                    mine = self._claim(chunk)
                    for pk in chunk:
                        if stop is not None and stop():
                            break
                        summary.add(self.process_one(pk) if pk in mine else "skipped")
                        bar.update(1)
            else:
                self._process_parallel(pks, summary, workers, bar, stop)
        finally:
            bar.close()
            with self.sessions.begin() as session:
                release(session, self.run_id)

    def _process_parallel(self, pks: Sequence[int], summary: IngestSummary, workers: int,
                          bar: tqdm[Any], stop: Callable[[], bool] | None) -> None:
        ctx = self.rule_context()
        todo = self._claimed(pks, summary, bar)
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

    def _claimed(self, pks: Sequence[int], summary: IngestSummary,
                 bar: tqdm[Any]) -> Iterator[int]:
        """The messages of ``pks`` this run claims, a chunk at a time; others are skipped."""
        for start in range(0, len(pks), CLAIM_CHUNK):
            chunk = pks[start:start + CLAIM_CHUNK]
            mine = self._claim(chunk)
            for pk in chunk:
                if pk in mine:
                    yield pk
                else:
                    summary.add("skipped")
                    bar.update(1)

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
            self._mark_poll(account, folder, ok=False, error=str(exc))
            raise
        self._mark_poll(account, folder, ok=True)
        if not (stop is not None and stop()):
            self.process_many(self._pending(), summary, progress=progress, stop=stop)
        return summary

    def _mark_poll(self, account: str, folder: str, *, ok: bool, error: str | None = None) -> None:
        for attempt in range(1, DB_RETRIES + 1):
            try:
                with self.sessions.begin() as session:
                    mark_poll(session, account, folder, ok=ok, error=error, now=self.clock())
                return
            except IntegrityError:  # another run made the mailbox's row meanwhile
                if attempt == DB_RETRIES:
                    raise

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
        for attempt in range(1, DB_RETRIES + 1):
            try:
                with self.sessions.begin() as session:
                    outcomes = [store_fetched(session, fetched, source.key, with_state=False)
                                for fetched in batch]
                    states = [f.state for f in batch if f.state is not None]
                    if states:
                        save_state(session, states[-1])
                break
            except IntegrityError:
                # another run stored some of these meanwhile: once more, they are duplicates
                if attempt == DB_RETRIES:
                    raise
                log.info("store: another run stored part of this batch; storing it again")
        for fetched, stored in zip(batch, outcomes, strict=True):
            if stored.message is None:
                summary.duplicates += 1
            else:
                summary.new += 1
                if fetched.oversize:
                    summary.add("quarantined")
            source.after_store(fetched)

    def _pending(self) -> list[int]:
        """Messages waiting: stored but not processed (this run's, and any a crash left
        behind), and those a reprocess marked and did not finish."""
        with self.sessions() as session:
            return list(session.scalars(select(Message.id).where(pending())
                                        .order_by(Message.id)))

    def reprocess(self, message_pks: Iterable[int] | None = None, *, progress: bool = False,
                  stop: Callable[[], bool] | None = None) -> IngestSummary:
        """Re-run the rules over stored messages, keeping every operator decision.

        The messages are marked first (one statement); each keeps its decision until the
        new one replaces it (:meth:`_swap`).  A reprocess that is killed leaves the rest
        marked, and the next ``ldl ingest`` or ``ldl reprocess`` finishes them.
        """
        summary = IngestSummary()
        self.forget_directory()
        with self.sessions.begin() as session:
            mark_for_rules(session, message_pks)
        self.process_many(self._pending(), summary, progress=progress, stop=stop,
                          desc="reprocess")
        return summary


def decided_by_person(session: Session, message_pk: int) -> bool:
    """An operator credited (triage assign) or dismissed this message: the rules keep off."""
    return session.scalar(select(Message.id).where(Message.id == message_pk, by_person())) \
        is not None


def by_person() -> ColumnElement[bool]:
    """Messages with an operator's submission or a resolved triage item."""
    person_sub = select(Submission.id).where(Submission.message_id == Message.id,
                                             Submission.decided_by != "rules")
    resolved = select(TriageItem.id).where(TriageItem.message_id == Message.id,
                                           TriageItem.status != "open")
    return or_(person_sub.exists(), resolved.exists())


def mark_for_rules(session: Session, message_pks: Iterable[int] | None) -> None:
    """Mark the messages the rules may decide again (not oversize, not a person's)."""
    query = (update(Message)
             .where(Message.status != "new",
                    or_(Message.error.is_(None), ~Message.error.startswith("oversize")),
                    ~by_person())
             .values(rules_pending=True).execution_options(synchronize_session=False))
    if message_pks is not None:
        query = query.where(Message.id.in_(list(message_pks)))
    session.execute(query)


def undo_rules(session: Session, message_pk: int, new_union: int | None, *,
               keep_triage: bool) -> list[tuple[int, str]]:
    """Delete the rules' submissions (and the open triage item unless ``keep_triage``) of a
    message, inside the caller's transaction; returns the (union, obligation) pairs whose
    versions must be renumbered.  The unions involved are locked first, in order, so that
    two runs renumbering the same union's versions wait for each other instead of
    deadlocking or numbering twice."""
    affected = [(u, k) for u, k in session.execute(
        select(Submission.union_id, Submission.obligation_key)
        .where(Submission.message_id == message_pk)).all()]
    lock_unions(session, {u for u, _ in affected} | ({new_union} if new_union else set()))
    if affected:
        session.execute(delete(Submission).where(Submission.message_id == message_pk))
    if not keep_triage:
        session.execute(delete(TriageItem).where(TriageItem.message_id == message_pk,
                                                 TriageItem.status == "open"))
    session.flush()
    return affected
