"""Stage 1: keep the message.  Raw bytes are stored (sha256) before anything is decided.

The message row, its blob and the mailbox state that came with it are written in one
transaction, so a crash either keeps all three or none: nothing is taken twice or lost.

A message is its bytes (sha256): the same bytes delivered twice are stored once.  A
Message-ID alone does not identify a message (senders' clients reuse them, forgers copy
them): another copy with the same Message-ID counts as the same message only when its
sender and date match too (a re-delivery whose headers a server rewrote).  Otherwise both
are kept, and the later one records the clash (``message_id_clash_of`` and the audit log).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.message import Message as Message_
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr, parsedate_to_datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.headers import header_block, header_map, read_headers
from ingest.received import received_time
from ingest.sources.base import FetchedMessage
from ingest.sources.base import MailboxState as FetchState
from storage import audit
from storage.blobs import get_blob, put_blob, sha256_hex
from storage.models import MailboxState, Message

_MSGID = re.compile(r"<([^<>\s]+)>")


@dataclass
class Stored:
    """What stage 1 did with a fetched message."""

    message: Message | None  # the new row; None when it was a duplicate
    duplicate_of: int | None = None


def message_id_of(header_value: str | None) -> str | None:
    """The Message-ID without angle brackets (the first ``<...>``, else the bare token)."""
    if not header_value:
        return None
    value = str(header_value).strip()
    match = _MSGID.search(value)
    token = match.group(1) if match else (value.split()[0] if value.split() else "")
    return token[:998] or None


def _placeholder(fetched: FetchedMessage, source: str) -> bytes:
    """Bytes standing for a message too large to download, so it is recorded, not dropped."""
    return (f"X-LDL-Oversize: {fetched.size}\r\nX-LDL-Source: {source}\r\n"
            f"X-LDL-Ref: {fetched.ref}\r\n\r\nThis message of {fetched.size} bytes was not "
            "downloaded: it exceeds imap.max_message_bytes.\r\n").encode()


def store_fetched(session: Session, fetched: FetchedMessage, source: str, *,
                  with_state: bool = True) -> Stored:
    """Store ``fetched`` unless already stored; advance the mailbox state in the same commit.

    A caller storing a batch in one transaction passes ``with_state=False`` and saves the
    last message's state once: the same commit, fewer statements.
    """
    raw = _placeholder(fetched, source) if fetched.oversize else fetched.raw
    digest = sha256_hex(raw)
    block = header_block(raw)  # linear; a hostile block is read only up to the limit
    refused = None if fetched.oversize else block.over_limits()
    headers = read_headers(raw, block)
    message_id = message_id_of(headers.get("Message-ID"))
    existing = session.scalar(select(Message.id).where(Message.sha256 == digest))
    clash: int | None = None
    if existing is None and message_id and not fetched.oversize:
        existing, clash = _same_message_id(session, message_id, identity_of(headers))
    if with_state and fetched.state is not None:
        save_state(session, fetched.state)
    if existing is not None:
        return Stored(message=None, duplicate_of=existing)
    if fetched.received_at is not None:
        received, how = fetched.received_at.astimezone(UTC), "internaldate"
    else:
        received, how = received_time(header_map(headers), fetched.mtime)
    put_blob(session, raw, digest)
    message = Message(
        sha256=digest, message_id=message_id, received_at=received, received_source=how,
        size=fetched.size or len(raw), source=source, source_ref=fetched.ref,
        subject=str(headers.get("Subject", ""))[:2000],
        status="quarantined" if fetched.oversize or refused else "new",
        error=(f"oversize: {fetched.size} bytes, not downloaded; fetch it by hand "
               f"({source} {fetched.ref})") if fetched.oversize else (
            f"headers: {refused}; stored raw, not parsed" if refused else None),
        message_id_clash_of=clash,
    )
    session.add(message)
    session.flush()
    if clash is not None:
        audit.record(session, "ingest.message_id_clash", message_id or "", actor="ingest",
                     message=message.id, earlier_message=clash, source=source,
                     ref=fetched.ref)
    return Stored(message=message)


Identity = tuple[str, datetime | None]


def identity_of(headers: EmailMessage | Message_) -> Identity:
    """(sender address, date) as a message's headers give them, for the Message-ID rule."""
    sender = parseaddr(str(headers.get("From", "")))[1].strip().lower()
    try:
        when = parsedate_to_datetime(str(headers.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        when = None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # RFC 5322 "-0000": no zone known; compare as UTC
    return sender, when


def same_sender_and_date(a: Identity, b: Identity) -> bool:
    """Both must be known and equal: a message without a date cannot prove it is another."""
    return bool(a[0]) and a[0] == b[0] and a[1] is not None and a[1] == b[1]


def _same_message_id(session: Session, message_id: str,
                     identity: Identity) -> tuple[int | None, int | None]:
    """(the stored message this one is a copy of, else None; an earlier one it clashes with).

    Rare (same Message-ID, other bytes): the stored copies' headers are read again from
    their bytes, so the comparison does not depend on what parsing stored later.
    """
    rows = session.execute(select(Message.id, Message.sha256)
                           .where(Message.message_id == message_id)
                           .order_by(Message.id)).all()
    for pk, sha in rows:
        stored = BytesHeaderParser(policy=compat32).parsebytes(get_blob(session, sha))
        if same_sender_and_date(identity_of(stored), identity):
            return pk, None
    return None, (rows[0][0] if rows else None)


def save_state(session: Session, state: FetchState) -> None:
    """Advance the mailbox's UID state; never back, within one UIDVALIDITY.

    Two runs reading one mailbox at once both store its messages (the second finds them
    stored); the slower one must not move ``last_uid`` back over what the other stored.
    """
    row = session.scalar(select(MailboxState).where(MailboxState.account == state.account,
                                                    MailboxState.folder == state.folder)
                         .with_for_update())
    if row is None:
        row = MailboxState(account=state.account, folder=state.folder)
        session.add(row)
    elif row.uidvalidity == state.uidvalidity and (row.last_uid or 0) > state.last_uid:
        return
    row.uidvalidity = state.uidvalidity
    row.last_uid = state.last_uid


def load_state(session: Session, account: str, folder: str) -> FetchState | None:
    row = session.scalar(select(MailboxState).where(MailboxState.account == account,
                                                    MailboxState.folder == folder))
    if row is None:
        return None
    return FetchState(account=account, folder=folder, uidvalidity=row.uidvalidity,
                      last_uid=row.last_uid)


def mark_poll(session: Session, account: str, folder: str, *, ok: bool,
              error: str | None = None, now: datetime | None = None) -> None:
    """Record the outcome of a poll: the digest and ``ldl health`` read it."""
    row = session.scalar(select(MailboxState).where(MailboxState.account == account,
                                                    MailboxState.folder == folder))
    if row is None:
        row = MailboxState(account=account, folder=folder, last_uid=0)
        session.add(row)
    now = now or datetime.now(UTC)
    row.last_attempt_at = now
    if ok:
        row.last_success_at = now
        row.last_error = None
    else:
        row.last_error = error
