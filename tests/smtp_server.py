"""A real SMTP server on 127.0.0.1 for tests: aiosmtpd in a background thread.

Usage::

    with SmtpTestServer() as server:          # free port, no auth, plain SMTP
        ...send to server.host, server.port...
        server.messages[0].rcpt_tos

Options: ``users={"user": "password"}`` requires AUTH (PLAIN/LOGIN, allowed without TLS);
``xoauth2_tokens={"user": "token"}`` accepts Gmail-style XOAUTH2 (Gmail's failure dance
included); ``starttls_context`` offers STARTTLS, ``tls_context`` makes it implicit TLS
(:func:`self_signed_tls` builds both ends with the ``openssl`` command).
``fail_next(n, "451 ...")`` answers the next ``n`` messages with that reply instead of
accepting them (at DATA, or at RCPT with ``at="RCPT"``).  ``take_then(n, "drop")`` takes
the next ``n`` messages (they count as delivered) and then drops the connection without an
answer; ``take_then(n, "stall")`` takes them and holds the answer back until the client
gives up (the "answer after the timeout" of a slow server).
"""

from __future__ import annotations

import asyncio
import base64
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

HOST = "127.0.0.1"
#: how long a stalled answer is held at most; the client's hang-up cancels it much sooner
STALL_LIMIT_S = 120.0


@dataclass(frozen=True)
class Received:
    """One accepted message, with its envelope."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    login: str | None  # the authenticated user, if any

    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=email_policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class _Failure:
    remaining: int
    reply: str
    at: Literal["DATA", "RCPT"]


AfterData = Literal["drop", "stall"]


@dataclass
class _AfterTaking:
    remaining: int
    how: AfterData


class _Handler:
    def __init__(self, owner: SmtpTestServer) -> None:
        self.owner = owner

    def _take_failure(self, at: str) -> str | None:
        with self.owner.lock:
            failure = self.owner.failure
            if failure is None or failure.at != at or failure.remaining <= 0:
                return None
            failure.remaining -= 1
            return failure.reply

    def _take_after_data(self) -> AfterData | None:
        with self.owner.lock:
            after = self.owner.after_taking
            if after is None or after.remaining <= 0:
                return None
            after.remaining -= 1
            return after.how

    async def handle_MAIL(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, mail_options: list[str]) -> str:
        # aiosmtpd's auth_required warns when TLS is not required; this is the same check
        if self.owner.requires_auth and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        reply = self._take_failure("RCPT")
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        reply = self._take_failure("DATA")
        if reply is not None:
            return reply
        content = envelope.original_content or envelope.content or b""
        assert isinstance(content, bytes)
        auth = session.auth_data
        received = Received(
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            data=content,
            login=auth.login.decode() if isinstance(auth, LoginPassword) else None,
        )
        with self.owner.lock:
            self.owner.messages.append(received)
        how = self._take_after_data()
        if how == "drop":
            assert server.transport is not None
            server.transport.abort()  # no answer at all; aiosmtpd then cancels this task
        if how is not None:
            with self.owner.lock:
                self.owner.unanswered += 1
            # "stall": the answer comes only after the client gave up, which cancels this
            await asyncio.sleep(STALL_LIMIT_S)
        return "250 OK"

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        """Gmail's way: a bad token gets a 334 challenge, then 535 after the empty reply."""
        blob = args[1] if len(args) > 1 else ""
        try:
            fields = base64.b64decode(blob).decode().split("\x01")
        except ValueError:
            return AuthResult(success=False, handled=False)
        user = fields[0].removeprefix("user=")
        token = next((f.removeprefix("auth=Bearer ") for f in fields if f.startswith("auth=")),
                     "")
        if self.owner.xoauth2_tokens.get(user) == token and token:
            return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))
        await server.challenge_auth('{"status":"401","schemes":"Bearer"}')
        return AuthResult(success=False, handled=False,
                          message="535 5.7.8 Username and Password not accepted")


class _Controller(Controller):
    """Binds port 0 and learns the real port before aiosmtpd's readiness check."""

    def _trigger_server(self) -> None:
        if self.port == 0 and isinstance(self.server, asyncio.Server):
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpTestServer:
    def __init__(
        self,
        *,
        users: Mapping[str, str] | None = None,
        xoauth2_tokens: Mapping[str, str] | None = None,
        starttls_context: ssl.SSLContext | None = None,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host = HOST
        self.port = 0
        self.users = dict(users or {})
        self.xoauth2_tokens = dict(xoauth2_tokens or {})
        self.messages: list[Received] = []
        self.failure: _Failure | None = None
        self.after_taking: _AfterTaking | None = None
        self.unanswered = 0  # messages taken whose answer never reached the client
        self.lock = threading.Lock()
        self.requires_auth = bool(self.users or self.xoauth2_tokens)
        kwargs: dict[str, Any] = {"auth_require_tls": False}
        if self.requires_auth:
            kwargs["authenticator"] = self._authenticate
        if starttls_context is not None:
            kwargs["tls_context"] = starttls_context
        self._controller = _Controller(_Handler(self), hostname=HOST, port=0,
                                       ssl_context=tls_context, **kwargs)

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope,
                      mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            user, password = auth_data.login.decode(), auth_data.password.decode()
            if user in self.users and self.users[user] == password:
                return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)

    def fail_next(self, count: int = 1, reply: str = "451 4.3.0 Try again later", *,
                  at: Literal["DATA", "RCPT"] = "DATA") -> None:
        """Answer the next ``count`` messages (or recipients) with ``reply``."""
        with self.lock:
            self.failure = _Failure(count, reply, at)

    def take_then(self, count: int, how: AfterData) -> None:
        """Take the next ``count`` messages, then ``drop`` the connection or ``stall``."""
        with self.lock:
            self.after_taking = _AfterTaking(count, how)

    def start(self) -> SmtpTestServer:
        self._controller.start()
        self.port = self._controller.port
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> SmtpTestServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
    return port


@dataclass(frozen=True)
class TlsPair:
    server: ssl.SSLContext
    client: ssl.SSLContext  # trusts only the server's self-signed certificate


def self_signed_tls(directory: Path) -> TlsPair | None:
    """Server and client contexts for 127.0.0.1, or None without the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", f"subjectAltName=IP:{HOST},DNS:localhost"],
        check=True, capture_output=True, timeout=60,
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    return TlsPair(server=server, client=client)
