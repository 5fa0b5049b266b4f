"""The ingest pipeline: each message goes through named stages, Mailman-style.

    store (raw bytes + mailbox state, one commit)
      -> parse -> noise -> classify -> attribute -> decide -> record   (one commit)

A failure in the second half quarantines that message with its traceback and the run goes
on.  Every stage after "store" reads only the stored bytes, so :meth:`Pipeline.reprocess`
re-runs them when the directory or the rules change.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload, sessionmaker
from tqdm import tqdm

from config.calendar import ObligationSpec
from config.settings import Settings
from ingest.attribute import attribute
from ingest.classify import classify
from ingest.decide import decide
from ingest.document import MessageDoc, UnionEntry
from ingest.extract import ExtractLimits
from ingest.noise import detect_noise
from ingest.parse import parse_message
from ingest.record import quarantine, record, renumber_versions, save_parsed
from ingest.sources.base import Source
from ingest.store import load_state, mark_poll, store_fetched
from storage.blobs import get_blob
from storage.models import Message, Submission, TriageItem, Union

log = logging.getLogger(__name__)

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
                             max_seconds=ing.seconds_per_file, ocr=ing.ocr)

    def directory(self) -> list[UnionEntry]:
        if self._directory is None:
            with self.sessions() as session:
                self._directory = directory_entries(session)
        return self._directory

    def forget_directory(self) -> None:
        self._directory = None

    # -- the stages of one message --------------------------------------------------------
    def _process(self, session: Session, message: Message) -> str:
        doc = parse_message(get_blob(session, message.sha256), limits=self.limits)
        save_parsed(session, message, doc)
        fed = self.settings.federation
        noise = detect_noise(doc, own_addresses=self.settings.own_addresses,
                             higher_bodies=fed.higher_bodies)
        classification = classify(doc, self.specs, message.received_at, self.settings.tz)
        attribution = attribute(doc, self.directory(), self.settings.own_addresses)
        ing = self.settings.ingest
        decision = decide(noise, classification, attribution,
                          has_files=any(a.payload for a in doc.attachments),
                          obligation_threshold=ing.obligation_threshold,
                          union_threshold=ing.union_threshold)
        created = record(session, message, decision, classification, self.specs)
        if created:
            for hook in self.on_credit:
                hook(session, message, doc, created)
        return message.status

    def process_one(self, message_pk: int) -> str:
        """Run the stages for one stored message in its own transaction; never raises."""
        try:
            with self.sessions.begin() as session:
                message = session.get(Message, message_pk)
                if message is None:
                    return "missing"
                return self._process(session, message)
        except Exception:  # noqa: BLE001 - quarantined with the full traceback, run goes on
            error = traceback.format_exc(limit=20)
            log.warning("message %s quarantined: %s", message_pk,
                        error.strip().splitlines()[-1])
            with self.sessions.begin() as session:
                message = session.get(Message, message_pk)
                if message is not None:
                    quarantine(message, error)
            return "quarantined"

    # -- runs -----------------------------------------------------------------------------
    def ingest(self, source: Source, *, progress: bool = False, folder: str = "",
               stop: Callable[[], bool] | None = None) -> IngestSummary:
        """Take every new message of ``source``, exactly once, and process it.

        ``stop`` is asked between messages (SIGTERM): the message in hand is finished,
        stored and processed, and the run ends there.
        """
        summary = IngestSummary()
        self.forget_directory()
        account = getattr(source, "account", source.key)
        folder = getattr(source, "folder", folder)
        with self.sessions() as session:
            state = load_state(session, account, folder)
        self.process_pending(summary)
        bar = tqdm(desc=f"ingest {source.key}", unit="msg", disable=not progress,
                   leave=False)
        try:
            for fetched in source.iter_new(state):
                if stop is not None and stop():
                    break
                summary.fetched += 1
                bar.update(1)
                with self.sessions.begin() as session:
                    stored = store_fetched(session, fetched, source.key)
                    new_pk = stored.message.id if stored.message else None
                    oversize = fetched.oversize
                source.after_store(fetched)
                if new_pk is None:
                    summary.duplicates += 1
                    continue
                summary.new += 1
                summary.add("quarantined" if oversize else self.process_one(new_pk))
        except Exception as exc:
            with self.sessions.begin() as session:
                mark_poll(session, account, folder, ok=False, error=str(exc),
                          now=self.clock())
            raise
        finally:
            bar.close()
        with self.sessions.begin() as session:
            mark_poll(session, account, folder, ok=True, now=self.clock())
        return summary

    def process_pending(self, summary: IngestSummary | None = None) -> int:
        """Finish messages stored but not processed (a crash between the two commits)."""
        with self.sessions() as session:
            pending = list(session.scalars(select(Message.id).where(Message.status == "new")
                                           .order_by(Message.id)))
        for pk in pending:
            outcome = self.process_one(pk)
            if summary is not None and outcome != "missing":
                summary.add(outcome)
        return len(pending)

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
        for pk in tqdm(pks, desc="reprocess", unit="msg", disable=not progress, leave=False):
            if not self._reset_for_rules(pk):
                continue
            summary.add(self.process_one(pk))
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
