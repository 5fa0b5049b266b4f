"""OAuth2 access tokens for XOAUTH2 IMAP logins (Gmail Workspace accounts need them).

Two ways, matching ``ImapSettings``: an external command that prints a token (the operator's
own helper, e.g. one wrapping ``gcloud``), or the refresh-token grant against
``oauth2_token_url``.  A provider is a plain ``Callable[[], str]`` so tests and other code can
pass a lambda.  Error messages name the endpoint or the command, never a token or secret.

A token endpoint's error answer is reduced to its HTTP status and its short RFC 6749 §5.2
``error`` code (``invalid_grant``...).  Its ``error_description``, any other text, and the
reason phrase are never shown, logged or stored (``mailbox_state.last_error``): some
endpoints echo the request there, client secret and refresh token included.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import shlex
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from config.settings import ConfigError, ImapSettings, read_secret
from ingest.sources.base import AuthError, ConnectionLost, SourceError

log = logging.getLogger(__name__)

TokenProvider = Callable[[], str]

#: Renew this long before the announced expiry, so a login never races the deadline.
EXPIRY_MARGIN_S = 60.0
DEFAULT_TIMEOUT_S = 30.0

#: What an RFC 6749 error code looks like; anything longer or freer is not shown.
_ERROR_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,47}")
#: What a person should do about the usual codes.
_HINTS = {
    "invalid_grant": "the refresh token is expired or revoked: authorise the account again",
    "invalid_client": "the client id or secret is wrong",
    "unauthorized_client": "this client may not use the refresh-token grant",
}


def token_error(status: int, body: bytes, secrets: tuple[str | None, ...] = ()) -> str:
    """``HTTP 400, invalid_grant (hint)`` from a token endpoint's error answer.

    Only the status and a code-shaped ``error`` field are kept; ``secrets`` are masked even
    there, in case an endpoint puts one where the code belongs.
    """
    payload = _json_object(body)
    code = payload.get("error") if payload else None
    text = f"HTTP {status}"
    if isinstance(code, str) and _ERROR_CODE.fullmatch(code):
        text += f", {code}" + (f" ({_HINTS[code]})" if code in _HINTS else "")
    return mask(text, secrets)


def mask(text: str, secrets: tuple[str | None, ...]) -> str:
    """``text`` with every secret in ``secrets`` replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def display_url(url: str) -> str:
    """The endpoint as shown in messages: scheme, host and path; no user info or query."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


class CommandTokenProvider:
    """Runs ``oauth2_token_command`` for every token.

    Not cached: logins are rare (one per connection) and the command knows the expiry
    better than we do; helpers such as ``gcloud`` cache on their own.
    """

    def __init__(self, command: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._argv = shlex.split(command)
        if not self._argv:
            raise ConfigError("imap.oauth2_token_command is empty")
        self._timeout_s = timeout_s

    def __call__(self) -> str:
        name = self._argv[0]
        try:
            done = subprocess.run(  # noqa: S603 - the operator's own configured command
                self._argv, capture_output=True, timeout=self._timeout_s, check=False
            )
        except FileNotFoundError:
            raise AuthError(f"oauth2_token_command: {name!r} not found") from None
        except subprocess.TimeoutExpired:
            raise AuthError(
                f"oauth2_token_command {name!r} gave no token within {self._timeout_s:g} s"
            ) from None
        if done.returncode != 0:
            hint = _first_line(done.stderr)
            raise AuthError(
                f"oauth2_token_command {name!r} failed with exit status {done.returncode}"
                + (f": {hint}" if hint else "")
            )
        token = done.stdout.decode("utf-8", "replace").strip()
        if not token or any(c.isspace() for c in token):
            raise AuthError(f"oauth2_token_command {name!r} did not print one token on stdout")
        log.info("oauth2: access token obtained from command %s", name)
        return token

    def invalidate(self) -> None:
        """Nothing cached; present so every provider can be told a token was refused."""


class RefreshTokenProvider:
    """The OAuth2 refresh-token grant (RFC 6749 §6), cached until shortly before expiry."""

    def __init__(
        self,
        token_url: str,
        *,
        client_id: str,
        client_secret: str | None,
        refresh_token: str,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = token_url
        self._shown_url = display_url(token_url)
        self._secrets = (client_secret, refresh_token)
        self._form = {
            "client_id": client_id,
            "refresh_token": refresh_token,
            "grant_type": "refresh_token",
        }
        if client_secret:
            self._form["client_secret"] = client_secret
        self._timeout_s = timeout_s
        self._clock = clock
        self._token: str | None = None
        self._expires_at = 0.0

    def __call__(self) -> str:
        if self._token is not None and self._clock() < self._expires_at:
            return self._token
        token, lifetime = self._request()
        self._token = token
        self._expires_at = self._clock() + max(0.0, lifetime - EXPIRY_MARGIN_S)
        log.info("oauth2: access token refreshed at %s (valid %.0f s)", self._shown_url,
                 lifetime)
        return token

    def invalidate(self) -> None:
        """Forget the cached token (the server refused it, e.g. revoked before expiry)."""
        self._token = None
        self._expires_at = 0.0

    def _request(self) -> tuple[str, float]:
        body = urllib.parse.urlencode(self._form).encode("ascii")
        request = urllib.request.Request(
            self._url,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        where = f"oauth2 token endpoint {self._shown_url}"
        try:
            with urllib.request.urlopen(request, timeout=self._timeout_s) as response:  # noqa: S310
                payload = _json_object(response.read())
        except urllib.error.HTTPError as exc:
            raise self._refused(exc) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ConnectionLost(
                f"{where} unreachable: {mask(str(reason), self._secrets)}"
            ) from None
        except http.client.HTTPException as exc:  # e.g. a status line that is no status line
            raise ConnectionLost(
                f"{where} did not answer in HTTP ({type(exc).__name__})"
            ) from None
        if payload is None or not isinstance(payload.get("access_token"), str):
            raise SourceError(f"{where} answered without an access_token")
        lifetime = payload.get("expires_in", 3600)
        if not isinstance(lifetime, int | float):
            lifetime = 3600
        return payload["access_token"], float(lifetime)

    def _refused(self, exc: urllib.error.HTTPError) -> SourceError:
        """An HTTP error as an exception naming the status and OAuth2 error code, only."""
        try:
            body = exc.read(65536)
        except (OSError, http.client.HTTPException):
            body = b""
        finally:
            exc.close()
        what = token_error(exc.code, body, self._secrets)
        if exc.code in (400, 401, 403):
            return AuthError(f"oauth2 token endpoint {self._shown_url} refused the refresh "
                             f"token: {what}")
        return ConnectionLost(f"oauth2 token endpoint {self._shown_url} failed: {what}")


def token_provider_from_settings(settings: ImapSettings) -> TokenProvider | None:
    """The provider ``settings`` ask for, or ``None`` for password logins."""
    if settings.auth != "xoauth2":
        return None
    timeout = settings.timeout_seconds
    if settings.oauth2_token_command:
        return CommandTokenProvider(settings.oauth2_token_command, timeout_s=timeout)
    refresh = read_secret(
        settings.oauth2_refresh_token, settings.oauth2_refresh_token_file,
        "imap.oauth2_refresh_token",
    )
    secret = read_secret(
        settings.oauth2_client_secret, settings.oauth2_client_secret_file,
        "imap.oauth2_client_secret",
    )
    if not refresh or not settings.oauth2_client_id:
        raise ConfigError(
            "imap.auth = xoauth2 needs imap.oauth2_token_command, or imap.oauth2_client_id "
            "with a refresh token (LDL_IMAP__OAUTH2_REFRESH_TOKEN or "
            "imap.oauth2_refresh_token_file)"
        )
    return RefreshTokenProvider(
        settings.oauth2_token_url,
        client_id=settings.oauth2_client_id,
        client_secret=secret,
        refresh_token=refresh,
        timeout_s=timeout,
    )


def _json_object(data: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _first_line(data: bytes, limit: int = 200) -> str:
    lines = data.decode("utf-8", "replace").strip().splitlines()
    return lines[0][:limit] if lines else ""
