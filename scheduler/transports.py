"""Where finished messages go: a folder of ``.eml`` files, or an SMTP server via yagmail.

Every transport takes the exact bytes built by :mod:`scheduler.mime` and either delivers
them or raises :class:`TransportError`, whose ``temporary`` flag tells the outbox whether
to retry later (4xx replies, network trouble) or give up and show a person (5xx replies,
refused login, bad configuration).  Its ``ambiguous`` flag marks the one case where nobody
knows: the whole message went to the server after its "354" and no final answer came back
(the connection dropped, or the answer came after the timeout).  The server may have
delivered it, so it must not be sent again automatically.

yagmail is used only for the connection (TLS/STARTTLS set-up and login).  Its traps are
handled here: ``send()`` returns False instead of raising (we call ``sendmail`` on the
underlying smtplib connection and let errors surface); a missing password or OAuth2 file
makes it prompt with ``input()``, which would hang a daemon (refused at construction); its
XOAUTH2 login ignores the server's answer (checked here); it turns a login name without
"@" into "name@gmail.com" (undone here).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import os
import re
import smtplib
import ssl
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from email.parser import BytesHeaderParser
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import yagmail
from yagmail.oauth2 import generate_oauth2_string

from config.settings import ConfigError, SmtpSettings, is_loopback
from ingest.sources.oauth2 import mask, token_error

log = logging.getLogger(__name__)

OAUTH2_KEYS = ("google_client_id", "google_client_secret", "google_refresh_token")
TOKEN_URL = "https://oauth2.googleapis.com/token"

#: (oauth2 info, timeout seconds) -> access token
TokenFetcher = Callable[[Mapping[str, str], float], str]


class TransportError(Exception):
    """A message was not delivered.  ``temporary``: try again later; else a person must act.

    ``ambiguous``: it may have been delivered after all (no answer after the whole message
    was sent); never ``temporary``, since a retry could deliver it twice.
    """

    def __init__(self, message: str, *, temporary: bool, code: int | None = None,
                 ambiguous: bool = False) -> None:
        super().__init__(message)
        self.temporary = temporary and not ambiguous
        self.code = code
        self.ambiguous = ambiguous


class Transport(Protocol):
    def send(self, message: bytes, from_addr: str, recipients: Sequence[str]) -> None:
        """Deliver ``message`` to ``recipients`` or raise :class:`TransportError`."""
        ...


# -- file transport -------------------------------------------------------------------------


def _safe_name(text: str, limit: int = 80) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:limit] or "message"


class FileTransport:
    """Writes each message to ``<dir>/<UTC timestamp>-<dedup key>.eml`` (dry runs, previews).

    The file appears complete or not at all (written to a temporary name, flushed, then
    linked into place).  The envelope is recorded in two leading headers, as an MTA's
    ``Return-Path`` would be.
    """

    def __init__(self, directory: Path, clock: Callable[[], datetime] | None = None) -> None:
        self.directory = Path(directory)
        self.clock = clock or (lambda: datetime.now(UTC))

    def send(self, message: bytes, from_addr: str, recipients: Sequence[str]) -> None:
        if not recipients:
            raise TransportError("no recipients", temporary=False)
        headers = BytesHeaderParser().parsebytes(message)
        key = headers.get("X-LDL-Dedup-Key") or headers.get("Message-ID") or "message"
        stamp = self.clock().astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        envelope = (f"X-LDL-Envelope-From: <{from_addr}>\r\n"
                    f"X-LDL-Envelope-To: {', '.join(f'<{r}>' for r in recipients)}\r\n")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._write(f"{stamp}-{_safe_name(str(key))}", envelope.encode("ascii") + message)
        except OSError as exc:
            raise TransportError(f"cannot write to {self.directory}: {exc.strerror}",
                                 temporary=True) from exc

    def _write(self, stem: str, data: bytes) -> Path:
        fd, name = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=self.directory)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            for n in range(1000):
                target = self.directory / (f"{stem}.eml" if n == 0 else f"{stem}-{n}.eml")
                try:
                    os.link(tmp, target)  # never replaces an existing file
                    return target
                except FileExistsError:
                    continue
            raise OSError(f"too many files named {stem}*.eml")
        finally:
            tmp.unlink(missing_ok=True)


# -- SMTP transport -------------------------------------------------------------------------




def read_oauth2_file(path: Path) -> dict[str, str]:
    """The yagmail OAuth2 JSON, checked so that yagmail never falls back to ``input()``."""
    try:
        data = json.loads(Path(path).expanduser().read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"smtp.oauth2_file {path}: no such file") from None
    except OSError as exc:
        raise ConfigError(f"smtp.oauth2_file {path}: cannot read it ({exc.strerror})") from None
    except ValueError:
        raise ConfigError(f"smtp.oauth2_file {path}: not valid JSON") from None
    if isinstance(data, dict) and "installed" in data:
        raise ConfigError(f"smtp.oauth2_file {path}: a Google 'installed' client file; run the "
                          "one-time authorisation by hand first (yagmail would prompt for it)")
    missing = [k for k in OAUTH2_KEYS if not isinstance(data, dict) or not data.get(k)]
    if missing:
        raise ConfigError(f"smtp.oauth2_file {path}: missing {', '.join(missing)}")
    return {k: str(data[k]) for k in OAUTH2_KEYS}


def fetch_google_token(info: Mapping[str, str], timeout: float, url: str = TOKEN_URL) -> str:
    """A fresh access token from the refresh token (yagmail's own call has no timeout).

    A refusal names the HTTP status and the OAuth2 error code only: the endpoint's other
    text may repeat the request, secret and refresh token included (see
    :func:`ingest.sources.oauth2.token_error`).
    """
    secrets = (info["google_client_secret"], info["google_refresh_token"])
    body = urllib.parse.urlencode({
        "client_id": info["google_client_id"],
        "client_secret": info["google_client_secret"],
        "refresh_token": info["google_refresh_token"],
        "grant_type": "refresh_token",
    }).encode("ascii")
    try:
        with urllib.request.urlopen(url, body, timeout=timeout) as response:  # noqa: S310
            token = json.loads(response.read()).get("access_token")
    except urllib.error.HTTPError as exc:
        try:
            answer = exc.read(65536)
        except (OSError, http.client.HTTPException):
            answer = b""
        finally:
            exc.close()
        raise TransportError(f"the OAuth2 token endpoint refused to refresh the token "
                             f"({token_error(exc.code, answer, secrets)}); authorise "
                             "smtp.oauth2_file again", temporary=exc.code >= 500,
                             code=exc.code) from None
    except urllib.error.URLError as exc:
        raise TransportError(f"cannot refresh the OAuth2 token: "
                             f"{mask(str(exc.reason), secrets)}", temporary=True) from None
    except (OSError, http.client.HTTPException, ValueError, AttributeError) as exc:
        raise TransportError(f"cannot refresh the OAuth2 token: {type(exc).__name__}",
                             temporary=True) from None
    if not isinstance(token, str) or not token:
        raise TransportError("the OAuth2 token endpoint answered without an access_token",
                             temporary=True)
    return token


class _DataTracking(smtplib.SMTP):
    """smtplib's connection, knowing how far the last DATA went.

    ``content_sent``: the server said 354 and the message followed, so from then on it may
    hold the whole message; ``final_code``: its answer to the message, if one came.  Only
    ``data()`` and ``getreply()`` are watched: smtplib's own sending is unchanged.
    """

    content_sent = False
    final_code: int | None = None
    _in_data = False

    def data(self, msg: Any) -> tuple[int, bytes]:
        self.content_sent, self.final_code, self._in_data = False, None, True
        try:
            return super().data(msg)
        finally:
            self._in_data = False

    def getreply(self) -> tuple[int, bytes]:
        code, reply = super().getreply()
        if self._in_data:
            if self.content_sent:
                self.final_code = code
            elif code == 354:
                self.content_sent = True  # the next thing smtplib sends is the message
        return code, reply

    def delivery_unknown(self) -> bool:
        """The message went out in full and no valid answer to it came back."""
        return self.content_sent and not (self.final_code and 200 <= self.final_code < 600)


class _TrackingSMTP(_DataTracking):
    pass


class _TrackingSMTPSSL(_DataTracking, smtplib.SMTP_SSL):
    pass


class _Client(yagmail.SMTP):
    """yagmail's client with a checked XOAUTH2 login and a token fetch that can time out."""

    token_fetcher: TokenFetcher  # set by SmtpTransport right after construction
    token_timeout: float

    @property
    def connection(self) -> type[smtplib.SMTP]:
        """smtplib's classes, watched through DATA (see :class:`_DataTracking`)."""
        return _TrackingSMTPSSL if self.ssl else _TrackingSMTP

    def _login_oauth2(self, oauth2_info: dict[str, Any]) -> None:
        self.smtp = self.connection(self.host, self.port, **self.kwargs)
        self.smtp.ehlo()
        if self.starttls:
            self.smtp.starttls(**(self.starttls if isinstance(self.starttls, dict) else {}))
            self.smtp.ehlo()
        self.is_closed = False
        token = self.token_fetcher(oauth2_info, self.token_timeout)
        auth = generate_oauth2_string(self.user, token, as_base64=True)
        code, reply = self.smtp.docmd("AUTH", "XOAUTH2 " + auth)
        if code == 334:  # the error comes as a challenge; an empty answer ends the exchange
            code, reply = self.smtp.docmd("")
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, reply)


def _reply_text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())


def _by_code(code: int) -> bool:
    """Temporary unless the server said 5xx."""
    return not 500 <= code < 600


class _ThreadState(threading.local):
    client: _Client | None = None
    in_block: bool = False


class SmtpTransport:
    """Sends through an SMTP server; one connection per ``with`` block, or per message.

    Safe to share between threads: each thread has its own connection.  ``ssl_context``
    replaces the default (system trust store) for tests and private CAs; ``token_fetcher``
    replaces the Google token refresh for tests.
    """

    def __init__(
        self,
        settings: SmtpSettings,
        password: str | None,
        *,
        ssl_context: ssl.SSLContext | None = None,
        token_fetcher: TokenFetcher | None = None,
    ) -> None:
        self.settings = settings
        self.host = settings.host
        self.port = settings.effective_port
        self._password = password
        self._context = ssl_context or ssl.create_default_context()
        self._token_fetcher = token_fetcher or fetch_google_token
        self._oauth2 = read_oauth2_file(settings.oauth2_file) if settings.oauth2_file else None
        self.login_user = settings.user or (settings.sender if self._oauth2 else None)
        self._check_config()
        self._state = _ThreadState()

    def _check_config(self) -> None:
        where = f"{self.host}:{self.port}"
        if self.settings.security == "none" and not is_loopback(self.host):
            raise ConfigError(f"smtp.security = 'none' sends in clear text: only allowed to a "
                              f"loopback host, not {where}; use 'tls' or 'starttls'")
        if self.settings.user and not self._oauth2 and not self._password:
            raise ConfigError(f"smtp.user = {self.settings.user!r} needs a password: set "
                              "LDL_SMTP__PASSWORD or smtp.password_file (or smtp.oauth2_file)")

    def __repr__(self) -> str:  # never shows the password
        return f"SmtpTransport({self.host}:{self.port}, {self.settings.security}, " \
               f"user={self.login_user!r})"

    # -- connection ------------------------------------------------------------------------

    def _new_client(self) -> _Client:
        security = self.settings.security
        kwargs: dict[str, Any] = {"timeout": self.settings.timeout_seconds}
        if security == "tls":
            kwargs["context"] = self._context
        client = _Client(
            user=self.login_user or self.settings.sender,
            password=self._password,
            host=self.host,
            port=self.port,
            smtp_ssl=security == "tls",
            smtp_starttls={"context": self._context} if security == "starttls" else False,
            smtp_skip_login=self.login_user is None,
            oauth2_file=str(self.settings.oauth2_file) if self._oauth2 else None,
            soft_email_validation=False,
            **kwargs,
        )
        client.set_logging(logging.CRITICAL)  # its own error log repeats what we raise
        if self.login_user:  # yagmail appends "@gmail.com" to a user name without "@"
            client.user = self.login_user
        client.token_fetcher = self._token_fetcher
        client.token_timeout = self.settings.timeout_seconds
        return client

    @property
    def connected(self) -> bool:
        """Whether this thread holds an open connection."""
        return self._state.client is not None

    def _connection(self) -> smtplib.SMTP:
        state = self._state
        if state.client is None:
            state.client = self._new_client()  # set first: close() tidies a failed login
            state.client.login()
        assert state.client.smtp is not None
        return state.client.smtp

    def close(self) -> None:
        """Close this thread's connection, if any."""
        client, self._state.client = self._state.client, None
        if client is not None:
            client.is_closed = True
            # already gone or never connected: nothing to tidy
            with contextlib.suppress(smtplib.SMTPException, OSError, AttributeError):
                client.smtp.quit()

    def __enter__(self) -> SmtpTransport:
        self._state.in_block = True
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._state.in_block = False
        self.close()

    # -- sending ---------------------------------------------------------------------------

    def send(self, message: bytes, from_addr: str, recipients: Sequence[str]) -> None:
        if not recipients:
            raise TransportError("no recipients", temporary=False)
        connection: smtplib.SMTP | None = None
        try:
            connection = self._connection()
            refused = connection.sendmail(from_addr, list(recipients), message)
        except TransportError:
            self.close()
            raise
        except smtplib.SMTPAuthenticationError as exc:
            self.close()
            raise self._auth_error(exc) from None  # keep the exchange out of tracebacks
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            if isinstance(connection, _DataTracking) and connection.delivery_unknown():
                raise self._ambiguous(exc) from exc
            raise self._classify(exc) from exc
        if refused:
            log.warning("SMTP %s accepted the message but refused %s", self.host,
                        ", ".join(f"{a} ({c} {_reply_text(r)})" for a, (c, r) in refused.items()))
        if not self._state.in_block:
            self.close()

    def _scrub(self, text: str) -> str:
        if self._password:
            text = text.replace(self._password, "***")
        return text

    def _auth_error(self, exc: smtplib.SMTPAuthenticationError) -> TransportError:
        how = "OAuth2 (smtp.oauth2_file)" if self._oauth2 else "password"
        hint = ""
        if "gmail" in self.host or "google" in self.host:
            hint = ("; Gmail needs an app password (2-Step Verification on) or OAuth2, "
                    "not the account password")
        text = self._scrub(_reply_text(exc.smtp_error))
        return TransportError(
            f"SMTP login as {self.login_user!r} at {self.host}:{self.port} with {how} was "
            f"refused: {exc.smtp_code} {text}{hint}", temporary=False, code=exc.smtp_code)

    def _ambiguous(self, exc: smtplib.SMTPException | OSError) -> TransportError:
        """The whole message was sent and no answer came: it may have been delivered."""
        plain = self._classify(exc)
        return TransportError(
            f"delivery uncertain: {plain}, after the whole message was sent; the server may "
            "have delivered it, so it is not sent again automatically", temporary=False,
            ambiguous=True)

    def _classify(self, exc: smtplib.SMTPException | OSError) -> TransportError:
        where = f"SMTP {self.host}:{self.port}"
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            codes = [c for c, _ in exc.recipients.values()]
            detail = ", ".join(f"{a}: {c} {_reply_text(r)}" for a, (c, r) in
                               exc.recipients.items())
            return TransportError(f"{where} refused every recipient ({detail})",
                                  temporary=any(_by_code(c) for c in codes), code=max(codes))
        if isinstance(exc, smtplib.SMTPResponseException):
            text = self._scrub(_reply_text(exc.smtp_error))
            return TransportError(f"{where} answered {exc.smtp_code} {text}",
                                  temporary=_by_code(exc.smtp_code), code=exc.smtp_code)
        timed_out = isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)
        if timed_out:  # smtplib reports a read timeout as a disconnection
            return TransportError(f"{where}: no answer within "
                                  f"{self.settings.timeout_seconds:g} s", temporary=True)
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return TransportError(f"{where} closed the connection: {exc}", temporary=True)
        if isinstance(exc, smtplib.SMTPException):  # no STARTTLS / AUTH support, and such
            return TransportError(f"{where}: {self._scrub(str(exc))} (check smtp.security "
                                  "and smtp.port)", temporary=False)
        if isinstance(exc, ssl.SSLCertVerificationError):
            return TransportError(f"{where}: TLS certificate not trusted: "
                                  f"{exc.verify_message}", temporary=False)
        if isinstance(exc, ssl.SSLError) and exc.reason == "WRONG_VERSION_NUMBER":
            return TransportError(f"{where}: the server does not speak TLS on this port "
                                  "(check smtp.security and smtp.port)", temporary=False)
        return TransportError(f"{where}: {exc.__class__.__name__}: {exc}", temporary=True)
