"""A token endpoint that repeats the request in its error: no secret leaves through us.

The endpoint is a real HTTP server on 127.0.0.1 (``EchoingTokenEndpoint``) that puts the
form we POST (client secret and refresh token in it) into its error answer, in each of the
places an endpoint or a proxy might: ``error_description``, ``error`` itself, a text body
and the reason phrase.  Neither the exception, the log, ``mailbox_state.last_error``, the
CLI's output nor ``ldl health`` may show them; the status and the error code must show.
"""

from __future__ import annotations

import logging
import urllib.parse

import pytest
from sqlalchemy import select

from ingest.sources.base import AuthError, ConnectionLost, SourceError
from ingest.sources.oauth2 import RefreshTokenProvider, token_error
from ldl.app import App
from scheduler.transports import TransportError, fetch_google_token
from storage.models import MailboxState
from tests.conftest import Ldl
from tests.ingest.conftest import USER, Mailbox
from tests.servers import EchoingTokenEndpoint, EchoShape

CLIENT_ID = "ldl-client-id"
SECRET = "cs-S3CRET-9f8e7d"
REFRESH = "rt-R3FRESH-1d2c3b"
CODE_SHAPED_REFRESH = "invalid_grant_rt_R3FRESH"  # a refresh token that looks like a code

# what each shape must still tell a person
EXPECTED: dict[EchoShape, tuple[type[SourceError], str]] = {
    "description": (AuthError, "HTTP 400, invalid_grant"),
    "error": (AuthError, "HTTP 401"),
    "text": (ConnectionLost, "HTTP 502"),
    "no-token": (SourceError, "without an access_token"),
}


def leaked(text: str, *secrets: str) -> list[str]:
    """Every secret (raw or form-encoded) found in ``text``."""
    forms = {s for secret in secrets for s in (secret, urllib.parse.quote_plus(secret))}
    return sorted(s for s in forms if s in text)


def provider(endpoint: EchoingTokenEndpoint, refresh: str = REFRESH) -> RefreshTokenProvider:
    return RefreshTokenProvider(endpoint.url, client_id=CLIENT_ID, client_secret=SECRET,
                                refresh_token=refresh, timeout_s=10)


@pytest.mark.parametrize("shape", list(EXPECTED))
def test_provider_error_names_the_code_never_the_echo(
        shape: EchoShape, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    kind, says = EXPECTED[shape]
    with EchoingTokenEndpoint(shape) as endpoint, pytest.raises(SourceError) as info:
        provider(endpoint)()
    assert SECRET in endpoint.requests[0] and REFRESH in endpoint.requests[0]  # it was echoed
    error = info.value
    assert type(error) is kind and says in str(error), str(error)
    assert leaked(str(error), SECRET, REFRESH) == []
    assert leaked(repr(error), SECRET, REFRESH) == []
    assert error.__cause__ is None  # no HTTPError (with the answer) chained for a traceback
    assert error.__context__ is None or error.__suppress_context__
    assert leaked(caplog.text, SECRET, REFRESH) == []


def test_a_code_shaped_secret_in_the_error_field_is_masked() -> None:
    with EchoingTokenEndpoint("token-as-code") as endpoint, pytest.raises(AuthError) as info:
        provider(endpoint, CODE_SHAPED_REFRESH)()
    assert "HTTP 400, ***" in str(info.value)
    assert leaked(str(info.value), SECRET, CODE_SHAPED_REFRESH) == []


def test_known_codes_come_with_what_to_do() -> None:
    assert token_error(400, b'{"error": "invalid_grant", "error_description": "secret"}') == (
        "HTTP 400, invalid_grant (the refresh token is expired or revoked: authorise the "
        "account again)")
    assert token_error(400, b'{"error": "bad thing: client_secret=x"}') == "HTTP 400"
    assert token_error(500, b"<html>client_secret=x</html>") == "HTTP 500"


@pytest.mark.parametrize("shape", list(EXPECTED))
def test_smtp_token_refresh_error_names_the_code_never_the_echo(shape: EchoShape) -> None:
    info = {"google_client_id": CLIENT_ID, "google_client_secret": SECRET,
            "google_refresh_token": REFRESH}
    with EchoingTokenEndpoint(shape) as endpoint, pytest.raises(TransportError) as raised:
        fetch_google_token(info, 10.0, url=endpoint.url)
    error = raised.value
    assert leaked(str(error), SECRET, REFRESH) == [], str(error)
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    if shape != "no-token":
        assert f"HTTP {error.code}" in str(error)


@pytest.mark.imap
@pytest.mark.parametrize("shape", ["description", "text"])
def test_ldl_ingest_stores_and_shows_no_secret(
        shape: EchoShape, ldl: Ldl, mailbox: Mailbox, app: App,
        caplog: pytest.LogCaptureFixture) -> None:
    """The whole path: `ldl ingest` over Dovecot, XOAUTH2 with the echoing endpoint."""
    caplog.set_level(logging.DEBUG)
    with EchoingTokenEndpoint(shape) as endpoint:
        ldl.env.update({
            "LDL_IMAP__HOST": "127.0.0.1", "LDL_IMAP__PORT": str(mailbox.server.port),
            "LDL_IMAP__SECURITY": "none", "LDL_IMAP__USER": USER,
            "LDL_IMAP__FOLDER": mailbox.folder, "LDL_IMAP__AUTH": "xoauth2",
            "LDL_IMAP__OAUTH2_TOKEN_URL": endpoint.url,
            "LDL_IMAP__OAUTH2_CLIENT_ID": CLIENT_ID,
            "LDL_IMAP__OAUTH2_CLIENT_SECRET": SECRET,
            "LDL_IMAP__OAUTH2_REFRESH_TOKEN": REFRESH,
        })
        result = ldl("ingest")
        assert endpoint.requests, "the endpoint was never asked"
    assert result.exit_code == 2
    assert "oauth2 token endpoint" in result.output and "HTTP" in result.output
    with app.sessions() as s:
        state = s.scalars(select(MailboxState)).one()
    assert state.last_error and "HTTP" in state.last_error
    health = ldl("health")
    assert health.exit_code == 1 and "FAILED" in health.output
    for text in (result.output, state.last_error, health.output, caplog.text):
        assert leaked(text, SECRET, REFRESH) == [], text
