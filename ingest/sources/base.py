"""The retrieval edge's small contract: what a source yields and what the pipeline persists.

A source hands out raw messages; the pipeline stores each one and only then commits the
mailbox state that came with it (getmail6 style).  A crash between "stored" and "state
committed" re-delivers that one message, which the pipeline's content dedup absorbs; a crash
before "stored" loses nothing because the state was not advanced.  So a source never keeps
its own bookkeeping of what was taken: the pipeline's stored state is the only truth.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class MailboxState:
    """Where retrieval stopped in one mailbox: the pipeline persists it per source key.

    ``uidvalidity`` is ``None`` for a mailbox never read (or for sources without UIDs);
    ``last_uid`` is the highest UID whose message is safely stored (0 = none).
    """

    account: str
    folder: str
    uidvalidity: int | None
    last_uid: int


@dataclass(frozen=True)
class FetchedMessage:
    """One message exactly as retrieved, plus what the pipeline needs to commit progress.

    ``raw`` is the message byte for byte (``b""`` when ``oversize``: the message exceeds the
    configured limit and was deliberately not downloaded, so the pipeline can record it
    instead of it vanishing silently).  ``received_at`` is the server's INTERNALDATE in aware
    UTC for IMAP; ``None`` for files means "decide from the headers".  ``state`` is the
    mailbox state to commit once this message is stored (``None`` for file sources, which
    the pipeline dedups by content alone).
    """

    raw: bytes
    received_at: datetime | None
    ref: str  # the UID (as text) for IMAP, the file path (mbox: path@offset) for files
    uid: int | None
    size: int  # bytes on the server / on disk (the server's RFC822.SIZE when oversize)
    mtime: datetime | None = None  # file modification time (aware UTC), files only
    uidvalidity: int | None = None
    oversize: bool = False
    state: MailboxState | None = None


@runtime_checkable
class Source(Protocol):
    """Anything the pipeline can pull messages from."""

    @property
    def key(self) -> str:
        """Identifies account + folder (or path); the pipeline keys its stored state on it."""
        ...

    def iter_new(self, state: MailboxState | None) -> Iterator[FetchedMessage]:
        """Messages newer than ``state``, in a deterministic order.

        The consumer must store each message (and commit ``msg.state``) before asking for
        the next one: pulling the next item is what acknowledges the previous one.
        """
        ...

    def after_store(self, msg: FetchedMessage) -> None:
        """Hook for after-actions once ``msg`` is safely stored (a no-op for files)."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...


class SourceError(Exception):
    """Retrieval failed in a way an operator must read: the message says what and where."""


class AuthError(SourceError):
    """The server refused the credentials (the message names user and host, never a secret)."""


class ConnectionLost(SourceError):
    """The server stayed unreachable after the bounded reconnect attempts."""
