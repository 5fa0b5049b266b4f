"""IMAP retrieval (Gmail in production, Dovecot in tests): each message exactly once.

Design, and why:

* The reading connection selects the folder **read-only** (EXAMINE) and fetches
  ``BODY.PEEK[]``: staff read the same inbox in Gmail, and ingest must not mark anything read.
* Progress is by UID.  ``iter_new(state)`` yields every message with a UID above
  ``state.last_uid``, in UID order, each carrying the :class:`MailboxState` to commit once it
  is stored.  Pulling the next message acknowledges the previous one; after a dropped
  connection the source reconnects (bounded back-off) and resumes after the last
  acknowledged UID, so nothing is skipped or yielded twice.
* A changed UIDVALIDITY (folder recreated, server migrated) means the old UIDs are
  meaningless: the source re-scans from UID 1 and the yielded states carry the new
  UIDVALIDITY.  The pipeline dedups by content, so nothing counts twice.
* Sizes (``RFC822.SIZE``) and ``INTERNALDATE`` are fetched first; bodies follow in batches
  bounded by count (``batch_size``) and bytes.  Larger than ``max_message_bytes`` ⇒ yielded
  as an ``oversize`` marker without its body, so the pipeline records it.
* UID sets are always lists of ints (imapclient 4.x raises after ``FETCH '1:*'``, #666), and
  ``UID n:*`` searches are filtered ``uid > last`` (RFC 3501: ``n:*`` always matches the
  highest UID).
* No text filter is ever sent as an IMAP SEARCH: Gmail and Outlook reject non-ASCII
  (Vietnamese) criteria in practice.  Searches are by UID only; filtering happens in Python.
* After-actions (flag, Gmail label, move) need a read-write select, so they run on a second,
  lazily opened connection, only when the pipeline calls :meth:`ImapSource.after_store`.

Passwords and tokens never appear in a log line or an exception message.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Protocol

from imapclient import IMAPClient
from imapclient.exceptions import LoginError
from imapclient.imapclient import SocketTimeout

from config.settings import ImapSettings, is_loopback, read_secret
from ingest.sources.base import (
    AuthError,
    ConnectionLost,
    FetchedMessage,
    MailboxState,
    SourceError,
)
from ingest.sources.oauth2 import TokenProvider, token_provider_from_settings

log = logging.getLogger(__name__)

#: Re-issue IDLE well before the 29 minutes after which RFC 2177 lets servers drop us.
IDLE_REISSUE_S = 9 * 60
#: Upper bound of one body FETCH (a single message up to ``max_message_bytes`` still goes).
BODY_BATCH_BYTES = 32 * 1024 * 1024
#: Network trouble worth a reconnect: resets, EOF (imaplib's ``abort``), time-outs.
RETRYABLE: tuple[type[BaseException], ...] = (OSError, imaplib.IMAP4.abort)
IMAP_ERROR = imaplib.IMAP4.error


class ClientFactory(Protocol):
    """Builds a connected (not logged-in) client; tests pass one to wrap or filter it."""

    def __call__(
        self,
        host: str,
        port: int,
        *,
        ssl: bool,
        ssl_context: ssl.SSLContext | None,
        timeout: SocketTimeout,
    ) -> IMAPClient: ...


def default_client_factory(
    host: str,
    port: int,
    *,
    ssl: bool,
    ssl_context: ssl.SSLContext | None,
    timeout: SocketTimeout,
) -> IMAPClient:
    return IMAPClient(host, port, ssl=ssl, ssl_context=ssl_context, timeout=timeout)




def mailbox_account(settings: ImapSettings) -> str:
    """``user@host:port``: how the configured mailbox's row in ``mailbox_state`` is named.

    ``ldl health`` and the digest find the configured mailbox by it, so that a one-off
    ``ingest --from`` back-fill (a row of its own) never counts as the mailbox.
    """
    return f"{settings.user}@{settings.host}:{settings.effective_port}"


class ImapSource:
    """One IMAP account + folder.  Not thread-safe (imapclient is not): one per thread."""

    def __init__(
        self,
        settings: ImapSettings,
        *,
        password: str | None = None,
        token_provider: TokenProvider | None = None,
        client_factory: ClientFactory = default_client_factory,
        ssl_context: ssl.SSLContext | None = None,
        retries: int = 4,
        backoff_s: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not settings.host or not settings.user:
            raise SourceError("imap.host and imap.user must be set to read mail over IMAP")
        if settings.security == "none" and not is_loopback(settings.host):
            raise SourceError(
                f"refusing an unencrypted IMAP connection to {settings.host}: "
                "imap.security = 'none' is allowed only for 127.0.0.1, ::1 and localhost; "
                "use 'tls' or 'starttls'"
            )
        if token_provider is None and password is None:
            raise SourceError(
                f"no IMAP password for {settings.user}: set LDL_IMAP__PASSWORD or "
                "imap.password_file (or imap.auth = xoauth2)"
            )
        self._settings = settings
        self._host: str = settings.host
        self._user: str = settings.user
        self._port = settings.effective_port
        self._password = password
        self._token_provider = token_provider
        self._factory = client_factory
        self._ssl_context = ssl_context
        self._retries = retries
        self._backoff_s = backoff_s
        self._sleep = sleep
        self._reader: IMAPClient | None = None
        self._actor: IMAPClient | None = None
        self._uidvalidity: int | None = None  # as seen by the last EXAMINE
        self._last_seen: tuple[int, int] | None = None  # (uidvalidity, last uid) yielded
        self._warned_no_labels = False
        self._validity_change_logged: tuple[int | None, int | None] | None = None

    @classmethod
    def from_settings(cls, settings: ImapSettings, **kwargs: Any) -> ImapSource:
        """Build from settings alone: password via ``read_secret``, token via oauth2.py."""
        provider = token_provider_from_settings(settings)
        password = None
        if provider is None:
            password = read_secret(settings.password, settings.password_file, "imap.password")
        return cls(settings, password=password, token_provider=provider, **kwargs)

    # -- identity -------------------------------------------------------------------------
    @property
    def account(self) -> str:
        return mailbox_account(self._settings)

    @property
    def folder(self) -> str:
        return self._settings.folder

    @property
    def key(self) -> str:
        return f"imap://{self.account}/{self.folder}"

    @property
    def current_uidvalidity(self) -> int | None:
        """UIDVALIDITY seen by the latest select (``None`` before the first one)."""
        return self._uidvalidity

    # -- retrieval ------------------------------------------------------------------------
    def iter_new(self, state: MailboxState | None) -> Iterator[FetchedMessage]:
        """Messages with a UID above ``state.last_uid``, in UID order (see module docstring).

        Store each message and commit ``msg.state`` before pulling the next one.
        Raises :class:`AuthError`, :class:`ConnectionLost` (after the bounded retries) or
        :class:`SourceError`.
        """
        validity, last = self._resume_point(state)
        failures = 0
        while True:
            try:
                reader = self._select_reader()
                if validity != self._uidvalidity:
                    self._note_new_uidvalidity(validity)
                    validity, last = self._uidvalidity, 0
                uids = self._uids_after(reader, last)
                self._last_seen = (validity or 0, last)
                log.info("imap %s: %d new message(s) after UID %d", self.key, len(uids), last)
                for msg in self._fetch(reader, uids):
                    self._last_seen = (msg.uidvalidity or 0, msg.uid or 0)
                    yield msg
                    last = msg.uid or last  # the consumer came back: msg is stored
                    failures = 0
                return
            except RETRYABLE as exc:
                failures += 1
                self._drop_reader()
                self._back_off(failures, exc, f"fetching after UID {last}")

    def after_store(self, msg: FetchedMessage) -> None:
        """Apply the configured after-actions to ``msg`` now that it is stored."""
        if msg.uid is not None:
            self.apply_after_actions([msg.uid], uidvalidity=msg.uidvalidity)

    def apply_after_actions(self, uids: Sequence[int], *, uidvalidity: int | None = None) -> None:
        """Set ``after_flag``, add ``after_label`` (Gmail), then move to ``after_move_to``.

        Only for stored messages (the pipeline's call).  If ``uidvalidity`` is given and the
        folder's differs, the UIDs name other messages now: nothing is done (logged).
        """
        s = self._settings
        if not uids or not (s.after_flag or s.after_label or s.after_move_to):
            return
        failures = 0
        while True:
            try:
                self._apply(list(uids), uidvalidity)
                return
            except RETRYABLE as exc:
                failures += 1
                self._drop_actor()
                self._back_off(failures, exc, "applying after-actions")

    def wait_for_new(self, timeout_s: float) -> bool:
        """Block up to ``timeout_s`` until new mail may be there; ``True`` = run iter_new.

        Uses IDLE (re-issued every ``IDLE_REISSUE_S``) when the server offers it and
        ``imap.idle`` is on, else polls every ``imap.poll_minutes``.  A lost connection
        returns ``True`` at once: mail may have come meanwhile, and iter_new reconnects.
        """
        deadline = time.monotonic() + timeout_s
        try:
            reader = self._select_reader()
            if self._has_newer(reader):
                return True
            if self._settings.idle and reader.has_capability("IDLE"):
                return self._idle_until(reader, deadline)
            return self._poll_until(reader, deadline)
        except RETRYABLE as exc:
            log.warning("imap %s: connection lost while waiting (%s)", self.key, _describe(exc))
            self._drop_reader()
            return True

    def close(self) -> None:
        self._drop_reader(logout=True)
        self._drop_actor(logout=True)

    def __enter__(self) -> ImapSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- retrieval internals --------------------------------------------------------------
    def _resume_point(self, state: MailboxState | None) -> tuple[int | None, int]:
        if state is None:
            return None, 0
        if (state.account, state.folder) != (self.account, self.folder):
            raise ValueError(
                f"state for {state.account}/{state.folder} given to source {self.key}"
            )
        if state.uidvalidity is None:
            return None, 0
        return state.uidvalidity, state.last_uid

    def _note_new_uidvalidity(self, old: int | None) -> None:
        """Log a changed UIDVALIDITY once (an empty recreated folder would repeat it)."""
        change = (old, self._uidvalidity)
        if old is not None and change != self._validity_change_logged:
            log.warning(
                "imap %s: UIDVALIDITY changed %s -> %s, re-scanning from UID 1",
                self.key, old, self._uidvalidity,
            )
            self._validity_change_logged = change

    def _select_reader(self) -> IMAPClient:
        """(Re)select the folder read-only on the reading connection; notes UIDVALIDITY."""
        if self._reader is None:
            self._reader = self._connect()
        info = self._select(self._reader, readonly=True)
        self._uidvalidity = info[b"UIDVALIDITY"]
        return self._reader

    def _uids_after(self, client: IMAPClient, last: int) -> list[int]:
        found = client.search(["UID", f"{last + 1}:*"])
        return sorted(uid for uid in found if uid > last)  # RFC 3501: n:* matches the max

    def _fetch(self, client: IMAPClient, uids: list[int]) -> Iterator[FetchedMessage]:
        """Yield in UID order: sizes/dates per ``batch_size`` chunk, then bodies in batches."""
        step = self._settings.batch_size
        for start in range(0, len(uids), step):
            chunk = uids[start : start + step]
            meta = client.fetch(chunk, [b"RFC822.SIZE", b"INTERNALDATE"])
            pending: list[int] = []
            pending_bytes = 0
            for uid in chunk:
                info = meta.get(uid)
                if info is None:
                    log.info("imap %s: UID %d vanished before its fetch", self.key, uid)
                    continue
                size = int(info[b"RFC822.SIZE"])
                if size > self._settings.max_message_bytes:
                    yield from self._bodies(client, pending, meta)
                    pending, pending_bytes = [], 0
                    yield self._oversize(uid, size, info)
                    continue
                if pending and pending_bytes + size > BODY_BATCH_BYTES:
                    yield from self._bodies(client, pending, meta)
                    pending, pending_bytes = [], 0
                pending.append(uid)
                pending_bytes += size
            yield from self._bodies(client, pending, meta)

    def _bodies(
        self, client: IMAPClient, uids: list[int], meta: dict[int, dict[bytes, Any]]
    ) -> Iterator[FetchedMessage]:
        if not uids:
            return
        bodies = client.fetch(uids, [b"BODY.PEEK[]"])
        log.debug("imap %s: fetched %d bodies (UID %d..%d)", self.key, len(uids), uids[0], uids[-1])
        for uid in uids:
            raw = bodies.get(uid, {}).get(b"BODY[]")
            if raw is None:
                log.info("imap %s: UID %d vanished before its body was fetched", self.key, uid)
                continue
            yield self._message(uid, bytes(raw), len(raw), meta[uid])

    def _oversize(self, uid: int, size: int, info: dict[bytes, Any]) -> FetchedMessage:
        log.warning(
            "imap %s: UID %d is %d bytes (> max_message_bytes %d): not downloaded",
            self.key, uid, size, self._settings.max_message_bytes,
        )
        return self._message(uid, b"", size, info, oversize=True)

    def _message(
        self, uid: int, raw: bytes, size: int, info: dict[bytes, Any], *, oversize: bool = False
    ) -> FetchedMessage:
        validity = self._uidvalidity
        return FetchedMessage(
            raw=raw,
            received_at=_as_utc(info.get(b"INTERNALDATE")),
            ref=str(uid),
            uid=uid,
            size=size,
            uidvalidity=validity,
            oversize=oversize,
            state=MailboxState(self.account, self.folder, validity, uid),
        )

    # -- waiting --------------------------------------------------------------------------
    def _has_newer(self, client: IMAPClient) -> bool:
        """Mail that came after our last yield (closes the gap before IDLE starts)."""
        if self._last_seen is None:
            return False
        validity, last = self._last_seen
        if validity != self._uidvalidity:
            return True
        return bool(self._uids_after(client, last))

    def _idle_until(self, client: IMAPClient, deadline: float) -> bool:
        while (remaining := deadline - time.monotonic()) > 0:
            client.idle()
            responses = client.idle_check(timeout=min(remaining, IDLE_REISSUE_S))
            _text, more = client.idle_done()
            if _announces_mail([*responses, *more]):
                log.info("imap %s: IDLE reports new mail", self.key)
                return True
        return False

    def _poll_until(self, client: IMAPClient, deadline: float) -> bool:
        interval = self._settings.poll_minutes * 60
        while (remaining := deadline - time.monotonic()) > 0:
            self._sleep(min(interval, remaining))
            if self._last_seen is None:
                return True  # nothing to compare against: let iter_new look
            if self._has_newer(client):
                log.info("imap %s: poll found new mail", self.key)
                return True
        return False

    # -- after-actions --------------------------------------------------------------------
    def _apply(self, uids: list[int], uidvalidity: int | None) -> None:
        s = self._settings
        if self._actor is None:
            self._actor = self._connect()
        client = self._actor
        info = self._select(client, readonly=False)
        if uidvalidity is not None and info[b"UIDVALIDITY"] != uidvalidity:
            log.warning(
                "imap %s: UIDVALIDITY is now %s, not %s: after-actions for UIDs %s skipped",
                self.key, info[b"UIDVALIDITY"], uidvalidity, uids,
            )
            return
        if s.after_flag:
            self._checked(client.add_flags, uids, [s.after_flag], what="flag")
        if s.after_label:
            self._add_label(client, uids, s.after_label)
        if s.after_move_to:
            self._move(client, uids, s.after_move_to)
        log.info("imap %s: after-actions done for UIDs %s", self.key, uids)

    def _add_label(self, client: IMAPClient, uids: list[int], label: str) -> None:
        if not client.has_capability("X-GM-EXT-1"):
            if not self._warned_no_labels:
                log.warning("imap %s: server lacks X-GM-EXT-1: after_label ignored", self.key)
                self._warned_no_labels = True
            return
        self._checked(client.add_gmail_labels, uids, [label], what="label")

    def _move(self, client: IMAPClient, uids: list[int], folder: str) -> None:
        """MOVE if offered; else COPY, flag \\Deleted and UID EXPUNGE just those UIDs."""
        if client.has_capability("MOVE"):
            self._checked(client.move, uids, folder, what="move")
            return
        if not client.has_capability("UIDPLUS"):
            raise SourceError(
                f"imap {self.key}: server has neither MOVE nor UIDPLUS; after_move_to would "
                "have to expunge every deleted message in the folder, so it is not done"
            )
        self._checked(client.copy, uids, folder, what="copy")
        self._checked(client.add_flags, uids, [b"\\Deleted"], what="flag \\Deleted")
        self._checked(client.uid_expunge, uids, what="expunge")

    def _checked(self, action: Callable[..., Any], *args: Any, what: str) -> None:
        try:
            action(*args)
        except imaplib.IMAP4.abort:
            raise
        except IMAP_ERROR as exc:
            raise SourceError(f"imap {self.key}: after-action {what} refused: {exc}") from exc

    # -- connections ----------------------------------------------------------------------
    def _connect(self) -> IMAPClient:
        """Connect, secure and log in; a refused login is an AuthError, never retried."""
        s = self._settings
        tls = s.security in ("tls", "starttls")
        context = self._ssl_context or (ssl.create_default_context() if tls else None)
        timeout = SocketTimeout(connect=s.timeout_seconds, read=s.timeout_seconds)
        try:
            client = self._factory(
                self._host, self._port, ssl=s.security == "tls", ssl_context=context,
                timeout=timeout,
            )
            if s.security == "starttls":
                client.starttls(context)
        except ssl.SSLCertVerificationError as exc:
            raise SourceError(
                f"imap {self._host}:{self._port}: TLS certificate not trusted "
                f"({exc.verify_message}); fix the server certificate or the CA bundle"
            ) from None
        except (ssl.SSLEOFError, ssl.SSLZeroReturnError):
            raise  # the peer went away mid-handshake: worth a retry
        except ssl.SSLError as exc:
            raise SourceError(
                f"imap {self._host}:{self._port}: TLS handshake failed ({exc.reason}); "
                f"is imap.security = {s.security!r} right for this port?"
            ) from None
        except imaplib.IMAP4.abort:
            raise
        except IMAP_ERROR as exc:
            raise SourceError(f"imap {self._host}:{self._port}: STARTTLS failed: {exc}") from exc
        client.normalise_times = False  # keep INTERNALDATE's offset; we convert to UTC
        self._login(client)
        return client

    def _login(self, client: IMAPClient) -> None:
        mech = "XOAUTH2" if self._token_provider else "LOGIN"
        for attempt in (1, 2):
            secret = self._token_provider() if self._token_provider else self._password or ""
            try:
                if self._token_provider:
                    client.oauth2_login(self._user, secret)
                else:
                    client.login(self._user, secret)
            except LoginError as exc:
                invalidate = getattr(self._token_provider, "invalidate", None)
                if attempt == 1 and callable(invalidate):
                    invalidate()  # a cached token may have been revoked early: one fresh try
                    continue
                _shutdown(client)
                reason = _server_text(exc)
                reason = reason.replace(secret, "***") if secret else reason
                raise AuthError(
                    f"IMAP login ({mech}) refused for user {self._user!r} at "
                    f"{self._host}:{self._port}: {reason}"
                ) from None
            log.info("imap %s: logged in (%s)", self.key, mech)
            return

    def _select(self, client: IMAPClient, *, readonly: bool) -> dict[bytes, Any]:
        try:
            info: dict[bytes, Any] = client.select_folder(self.folder, readonly=readonly)
        except imaplib.IMAP4.abort:
            raise
        except IMAP_ERROR as exc:
            raise SourceError(f"imap {self.key}: cannot select folder: {exc}") from exc
        log.debug("imap %s: selected (readonly=%s) %s", self.key, readonly, info.get(b"EXISTS"))
        return info

    def _back_off(self, failures: int, exc: BaseException, doing: str) -> None:
        """Sleep before the next attempt, or give up with ConnectionLost after ``retries``."""
        if failures > self._retries:
            raise ConnectionLost(
                f"imap {self.key}: connection lost {failures} times while {doing}; "
                f"last error: {_describe(exc)}"
            ) from exc
        delay = min(self._backoff_s * 2 ** (failures - 1), 60.0)
        log.warning(
            "imap %s: connection lost while %s (%s); reconnecting in %.1f s (%d/%d)",
            self.key, doing, _describe(exc), delay, failures, self._retries,
        )
        self._sleep(delay)

    def _drop_reader(self, *, logout: bool = False) -> None:
        client, self._reader = self._reader, None
        if client is not None:
            _close_client(client, logout=logout)

    def _drop_actor(self, *, logout: bool = False) -> None:
        client, self._actor = self._actor, None
        if client is not None:
            _close_client(client, logout=logout)


def _close_client(client: IMAPClient, *, logout: bool) -> None:
    if logout:
        try:
            client.logout()
            return
        except (OSError, IMAP_ERROR):  # IMAP_ERROR includes imaplib's abort
            log.debug("imap logout failed; closing the socket", exc_info=True)
    _shutdown(client)


def _shutdown(client: IMAPClient) -> None:
    try:
        client.shutdown()
    except OSError:
        log.debug("imap socket shutdown failed (already closed)", exc_info=True)


def _announces_mail(responses: list[Any]) -> bool:
    return any(
        isinstance(r, tuple) and len(r) >= 2 and r[1] in (b"EXISTS", b"RECENT") and r[0]
        for r in responses
    )


def _as_utc(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:  # not expected with normalise_times off; assume UTC
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _server_text(exc: BaseException) -> str:
    """imapclient puts the server's reply in as ``b'...'`` at times: show the text only."""
    text = str(exc)
    if len(text) >= 3 and text[:2] in ("b'", 'b"') and text[-1] == text[1]:
        return text[2:-1]
    return text


def _describe(exc: BaseException) -> str:
    name = type(exc).__name__
    return f"{name}: {exc}" if str(exc) else name
