"""Triage: the few messages a person must place.  Assigning one teaches the directory.

Operator decisions are marked ``decided_by = "operator:<name>"`` and are never undone by
``ldl reprocess``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from config.calendar import Calendar, ObligationSpec
from ingest.classify import model_title
from ingest.document import AttachmentDoc, MessageDoc
from ingest.learn import aliases_to_learn
from ingest.pipeline import directory_entries
from ingest.record import renumber_versions
from storage import audit
from storage.directory import learn_address, learn_alias
from storage.models import Message, Submission, TriageItem, Union
from storage.obligations import ensure_obligations


class TriageError(ValueError):
    """An operator's triage command cannot be carried out; the message says why."""


@dataclass
class TriageEntry:
    message: Message
    item: TriageItem


def find_message(session: Session, ref: str) -> Message:
    """A message by its Message-ID (with or without <>) or by its number in the store."""
    ref = ref.strip()
    clauses = [Message.message_id == ref.strip("<>")]
    if ref.isdigit():
        clauses.append(Message.id == int(ref))
    found = session.scalars(select(Message).where(or_(*clauses)).order_by(Message.id)).all()
    if not found:
        raise TriageError(f"no message {ref!r} (use the message_id of `ldl triage list`)")
    by_number = [m for m in found if ref.isdigit() and m.id == int(ref)]
    if len(found) > 1 and not by_number:
        numbers = ", ".join(str(m.id) for m in found)
        raise TriageError(f"{len(found)} different messages have the Message-ID {ref!r} "
                          f"(numbers {numbers}): name the one you mean by its number")
    return (by_number or found)[0]


def open_items(session: Session) -> list[TriageEntry]:
    rows = session.execute(select(Message, TriageItem).join(TriageItem)
                           .where(TriageItem.status == "open")
                           .order_by(Message.received_at)).all()
    return [TriageEntry(m, t) for m, t in rows]


def _lock(session: Session, message: Message) -> None:
    """Hold the message's row (PostgreSQL) so that a run re-deciding it waits for this
    decision, or this one for its, and sees it: an operator's decision is never undone."""
    session.execute(select(Message.id).where(Message.id == message.id).with_for_update())


def _open_item(session: Session, message: Message) -> TriageItem | None:
    return session.scalar(select(TriageItem).where(TriageItem.message_id == message.id))


def assign(session: Session, ref: str, union_code: str, obligations: Sequence[str],
           calendar: Calendar, *, actor: str | None = None,
           learn: bool = True) -> list[Submission]:
    """Credit a message to a union for obligations chosen by a person."""
    actor = actor or audit.current_actor()
    message = find_message(session, ref)
    _lock(session, message)
    union = session.scalar(select(Union).where(Union.code == union_code))
    if union is None:
        raise TriageError(f"no union with code {union_code!r} (see `ldl unions list`)")
    item = _open_item(session, message)
    if not obligations and item is not None:
        obligations = _suggested_obligations(item)
    nearby = ", ".join(s.key for s in calendar.specs_for_years(
        calendar.years_around(message.received_at)))
    if not obligations:
        raise TriageError(f"which obligation? pass --obligation KEY (e.g. {nearby})")
    known: dict[str, ObligationSpec] = {}
    for key in obligations:
        spec = calendar.spec(key)
        if spec is None:
            raise TriageError(f"unknown obligation {key!r}; near this message the calendar "
                              f"has: {nearby}")
        known[key] = spec
    ensure_obligations(session, calendar, obligations)
    created = []
    title = _model_title(message) if any(known[k].kind == "dvk" for k in obligations) else None
    for key in obligations:
        existing = session.scalar(select(Submission).where(
            Submission.message_id == message.id, Submission.obligation_key == key))
        if existing is not None:
            session.delete(existing)
            session.flush()
        sub = Submission(message_id=message.id, union_id=union.id, obligation_key=key,
                         confidence=1.0, evidence=[{"rule": "operator", "source": actor,
                                                    "detail": "assigned in triage",
                                                    "weight": 1.0}],
                         decided_by=f"operator:{actor}",
                         model_title=title if known[key].kind == "dvk" else None)
        session.add(sub)
        created.append(sub)
    session.flush()
    for key in obligations:
        renumber_versions(session, union.id, key)
    learned = learn and bool(message.from_addr) and learn_address(session, union,
                                                                  message.from_addr)
    aliases = _learn_aliases(session, message, union) if learn else []
    if item is not None:
        item.status, item.resolved_by, item.resolved_at = ("assigned", actor,
                                                           datetime.now(UTC))
    message.status = "credited"
    message.status_reason = f"assigned by {actor}"
    audit.record(session, "triage.assign", message.message_id or str(message.id), actor=actor,
                 union=union_code, obligations=list(obligations), learned_address=learned,
                 learned_aliases=aliases)
    return created


def _stored_doc(message: Message) -> MessageDoc:
    """The message as the rules saw it, from what parsing stored."""
    return MessageDoc(subject=message.subject, from_addr=message.from_addr,
                      from_name=message.from_name, body_text=message.body_text,
                      attachments=[AttachmentDoc(a.filename, a.content_type, b"", text=a.text,
                                                 heading=a.heading)
                                   for a in message.attachments])


def _learn_aliases(session: Session, message: Message, union: Union) -> list[str]:
    """The names this message uses for ``union`` that the directory did not know."""
    directory = directory_entries(session)
    entry = next((u for u in directory if u.code == union.code), None)
    if entry is None:
        return []
    learnt = aliases_to_learn(_stored_doc(message), entry, directory)
    return [a for a in learnt if learn_alias(session, union, a)]


def _model_title(message: Message) -> str | None:
    """The model's name for a registration placed by hand, from what parsing stored."""
    return model_title(_stored_doc(message))


# Triage reasons in a person's words: why the machine did not decide alone.
REASON_WORDS: dict[str, str] = {
    "unknown-sender": "the sender's address is not in the directory, and no union is named "
                      "clearly enough in the subject, signature, file names or letterhead",
    "ambiguous": "two unions fit about equally well (or the address says one union and "
                 "the report another)",
    "auth-failed": "the receiving server says the sender's address was forged "
                   "(DMARC/DKIM fail)",
    "obligation-uncertain": "the union is clear but which report it is, is not",
    "obligation-unknown": "no report period or registration was recognised",
    "no-report-content": "it speaks of a report but carries no file, link or report text",
}


NOTHING_SENT_RE = re.compile(r"nothing submitted|no attachment, document link|no-report-content")


def explain(item: TriageItem) -> list[str]:
    """Why the machine hesitated over ``item`` and what it would do, as lines for a person."""
    code, _, detail = item.reason.partition(":")
    lines = [f"why: {REASON_WORDS.get(code.strip(), code.strip())}"
             + (f" ({detail.strip()})" if detail.strip() else "")]
    candidates = [c for c in item.candidates or [] if isinstance(c, dict) and c.get("union")]
    keys = _suggested_obligations(item)
    if candidates:
        best = candidates[0]
        lines.append(f"best guess: {best['union']} (score {best.get('score')})"
                     + (f" for {', '.join(keys)}" if keys else ""))
    if NOTHING_SENT_RE.search(item.reason):
        lines.append("most likely not a report (nothing is sent): ldl triage dismiss MESSAGE")
    elif candidates and keys:
        lines.append(f"to accept it: ldl triage assign MESSAGE {candidates[0]['union']} "
                     + " ".join(f"--obligation {k}" for k in keys))
    return lines


def _suggested_obligations(item: TriageItem) -> list[str]:
    keys = []
    for ev in item.evidence or []:
        detail = ev.get("obligation") if isinstance(ev, dict) else None
        if detail and detail not in keys:
            keys.append(detail)
    return keys


def dismiss(session: Session, ref: str, *, reason: str = "", actor: str | None = None) -> None:
    """Not a report after all: the message stays stored and is marked ignored."""
    actor = actor or audit.current_actor()
    message = find_message(session, ref)
    _lock(session, message)
    item = _open_item(session, message)
    if item is None or item.status != "open":
        raise TriageError(f"message {ref!r} is not waiting in triage")
    item.status, item.resolved_by, item.resolved_at = "dismissed", actor, datetime.now(UTC)
    message.status = "ignored"
    message.status_reason = f"dismissed by {actor}" + (f": {reason}" if reason else "")
    audit.record(session, "triage.dismiss", message.message_id or str(message.id), actor=actor,
                 reason=reason)
