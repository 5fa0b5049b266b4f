"""Fixtures for the retrieval edge: one private Dovecot per session, one folder per test.

Without Dovecot the IMAP tests are skipped with the reason, except in CI (``CI=true``),
where a missing server must fail the run instead of passing it silently.
"""

from __future__ import annotations

import itertools
import os
import re
import ssl
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from imapclient import IMAPClient

from config.settings import ImapSettings
from tests.servers import DovecotServer, OAuth2Server, dovecot_binary, start_dovecot

USER, PASSWORD = "ldl", "secret"
GOOD_TOKEN = "good-access-token"
REFRESH_TOKEN = "good-refresh-token"

_folder_numbers = itertools.count(1)


def _require_dovecot() -> None:
    if dovecot_binary() is not None:
        return
    reason = "dovecot not installed (apt-get install dovecot-imapd); IMAP tests need a real server"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def oauth2_server() -> Iterator[OAuth2Server]:
    server = OAuth2Server(
        access_tokens={GOOD_TOKEN: USER}, refresh_tokens={REFRESH_TOKEN: GOOD_TOKEN}
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot(oauth2_server: OAuth2Server) -> Iterator[DovecotServer]:
    _require_dovecot()
    server = start_dovecot(
        users={USER: PASSWORD}, tls=True, oauth2_introspection_url=oauth2_server.introspect_url
    )
    yield server
    server.stop()


class Mailbox:
    """One test's own folder on the shared Dovecot, with helpers that act as the test user."""

    def __init__(self, server: DovecotServer, folder: str) -> None:
        self.server = server
        self.folder = folder

    def client(self) -> IMAPClient:
        """A fresh, logged-in plain connection (the other mail client of the scenario)."""
        client = IMAPClient("127.0.0.1", self.server.port, ssl=False, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def append(self, raw: bytes, when: datetime | None = None, folder: str | None = None) -> int:
        """APPEND ``raw`` with INTERNALDATE ``when``; returns the new UID (UIDPLUS)."""
        with self.client() as client:
            answer = client.append(folder or self.folder, raw, msg_time=when)
        match = re.search(rb"APPENDUID \d+ (\d+)", answer)
        assert match, answer
        return int(match.group(1))

    def uids(self, folder: str | None = None) -> list[int]:
        with self.client() as client:
            client.select_folder(folder or self.folder, readonly=True)
            return sorted(client.search("ALL"))

    def flags(self, folder: str | None = None) -> dict[int, tuple[bytes, ...]]:
        with self.client() as client:
            client.select_folder(folder or self.folder, readonly=True)
            found = client.fetch(client.search("ALL"), ["FLAGS"])
            return {uid: data[b"FLAGS"] for uid, data in found.items()}

    def uidvalidity(self) -> int:
        with self.client() as client:
            return int(client.folder_status(self.folder, ["UIDVALIDITY"])[b"UIDVALIDITY"])

    def recreate(self) -> None:
        """Delete and create the folder again: Dovecot gives it a new UIDVALIDITY."""
        with self.client() as client:
            client.delete_folder(self.folder)
            client.create_folder(self.folder)

    def create(self, folder: str) -> None:
        with self.client() as client:
            client.create_folder(folder)

    def settings(self, **overrides: Any) -> ImapSettings:
        values: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.server.port,
            "user": USER,
            "security": "none",
            "folder": self.folder,
            "timeout_seconds": 10.0,
        }
        values.update(overrides)
        return ImapSettings(**values)

    def tls_context(self) -> ssl.SSLContext:
        """Trusts exactly the server's self-signed certificate (production: system CAs)."""
        assert self.server.cert is not None, "openssl missing: no certificate"
        return ssl.create_default_context(cafile=str(self.server.cert))


@pytest.fixture
def mailbox(dovecot: DovecotServer, request: pytest.FixtureRequest) -> Iterator[Mailbox]:
    name = re.sub(r"[^A-Za-z0-9]+", "-", request.node.name)[:40].strip("-")
    box = Mailbox(dovecot, f"t{next(_folder_numbers)}-{name}")
    box.create(box.folder)
    yield box
