"""ImapSource against a real Dovecot: incremental UIDs, IDLE, UIDVALIDITY, faults, auth, TLS."""

from __future__ import annotations

import logging
import shlex
import ssl
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from imapclient import IMAPClient
from imapclient.imapclient import SocketTimeout

from config.settings import ImapSettings
from ingest.sources.base import (
    AuthError,
    ConnectionLost,
    FetchedMessage,
    MailboxState,
    Source,
    SourceError,
)
from ingest.sources.imap import ClientFactory, ImapSource
from ingest.sources.oauth2 import CommandTokenProvider, RefreshTokenProvider
from tests.ingest.conftest import GOOD_TOKEN, PASSWORD, REFRESH_TOKEN, USER, Mailbox
from tests.servers import FaultyProxy, OAuth2Server, free_port, make_message

pytestmark = pytest.mark.imap

ICT = timezone(timedelta(hours=7))  # Hanoi: INTERNALDATEs come with an offset


def source(box: Mailbox, **overrides: Any) -> ImapSource:
    kwargs = {k: overrides.pop(k) for k in ("client_factory", "ssl_context", "token_provider",
                                            "retries") if k in overrides}
    password = overrides.pop("password", None if "token_provider" in kwargs else PASSWORD)
    return ImapSource(box.settings(**overrides), password=password, backoff_s=0.01, **kwargs)


def drain(src: ImapSource, state: MailboxState | None) -> tuple[list[FetchedMessage], Any]:
    """Consume like the pipeline: "store" each message, then commit its state."""
    got: list[FetchedMessage] = []
    for msg in src.iter_new(state):
        got.append(msg)
        state = msg.state
    return got, state


def hiding(*capabilities: bytes) -> ClientFactory:
    """A client factory for a server that lacks ``capabilities`` (same Dovecot, less said)."""

    class Client(IMAPClient):
        def capabilities(self) -> tuple[bytes, ...]:
            return tuple(c for c in super().capabilities() if c not in capabilities)

    def factory(
        host: str, port: int, *, ssl: bool, ssl_context: ssl.SSLContext | None,
        timeout: SocketTimeout,
    ) -> IMAPClient:
        return Client(host, port, ssl=ssl, ssl_context=ssl_context, timeout=timeout)

    return factory


def later(seconds: float, action: Callable[[], object]) -> threading.Thread:
    """Run ``action`` from another thread (another mail client) after ``seconds``."""

    def run() -> None:
        time.sleep(seconds)
        action()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


# -- retrieval -------------------------------------------------------------------------------
def test_first_fetch_yields_everything_in_uid_order_without_marking_read(mailbox: Mailbox) -> None:
    whens = [datetime(2026, 11, 2, 9, i, 5, tzinfo=ICT) for i in range(3)]
    raws = [make_message(i) for i in range(3)]
    uids = [mailbox.append(raw, when) for raw, when in zip(raws, whens, strict=True)]

    with source(mailbox) as src:
        assert isinstance(src, Source)
        got, state = drain(src, None)

    assert [m.uid for m in got] == uids
    assert [m.raw for m in got] == raws
    assert [m.received_at for m in got] == [w.astimezone(UTC) for w in whens]
    assert all(m.received_at and m.received_at.tzinfo is UTC for m in got)
    assert [m.size for m in got] == [len(r) for r in raws]
    validity = mailbox.uidvalidity()
    assert all(m.uidvalidity == validity and not m.oversize for m in got)
    assert state == MailboxState(src.account, mailbox.folder, validity, uids[-1])
    assert src.key == f"imap://{USER}@127.0.0.1:{mailbox.server.port}/{mailbox.folder}"
    assert all(b"\\Seen" not in flags for flags in mailbox.flags().values())  # staff's unread


def test_incremental_fetch_yields_only_new_uids(mailbox: Mailbox) -> None:
    for i in range(2):
        mailbox.append(make_message(i))
    with source(mailbox) as src:
        _, state = drain(src, None)
        again, state2 = drain(src, state)  # UID last+1:* matches the last UID: filtered
        assert again == [] and state2 == state
        new_uid = mailbox.append(make_message(9))
        third, state3 = drain(src, state)
    assert [m.uid for m in third] == [new_uid]
    assert state3.last_uid == new_uid


def test_abandoned_run_resumes_after_the_last_committed_message(mailbox: Mailbox) -> None:
    uids = [mailbox.append(make_message(i)) for i in range(5)]
    with source(mailbox, batch_size=2) as src:
        state = None
        for msg in src.iter_new(None):
            state = msg.state
            if msg.uid == uids[2]:
                break  # e.g. the pipeline crashed after committing the third message
        rest, _ = drain(src, state)
    assert [m.uid for m in rest] == uids[3:]


def test_state_of_another_mailbox_is_refused(mailbox: Mailbox) -> None:
    with source(mailbox) as src, pytest.raises(ValueError, match="state for"):
        next(src.iter_new(MailboxState("other@host:993", "INBOX", 1, 5)))


def test_missing_folder_is_a_clear_error(mailbox: Mailbox) -> None:
    with source(mailbox, folder="no-such-folder") as src, pytest.raises(
        SourceError, match="no-such-folder.*cannot select"
    ):
        list(src.iter_new(None))


def test_oversize_message_is_yielded_as_a_marker(mailbox: Mailbox) -> None:
    small = [make_message(1), make_message(3)]
    uids = [mailbox.append(small[0]), mailbox.append(make_message(2, body_bytes=5000)),
            mailbox.append(small[1])]
    with source(mailbox, max_message_bytes=1024) as src:
        got, state = drain(src, None)
    assert [m.uid for m in got] == uids
    assert [m.oversize for m in got] == [False, True, False]
    assert got[1].raw == b"" and got[1].size > 5000 and got[1].received_at is not None
    assert [got[0].raw, got[2].raw] == small
    assert state.last_uid == uids[-1]


def test_uidvalidity_change_rescans_from_uid_1(mailbox: Mailbox) -> None:
    for i in range(2):
        mailbox.append(make_message(i))
    with source(mailbox) as src:
        _, old_state = drain(src, None)
        mailbox.recreate()
        raw = make_message(7)
        mailbox.append(raw)
        got, new_state = drain(src, old_state)
    assert [(m.uid, m.raw) for m in got] == [(1, raw)]
    assert new_state.uidvalidity == mailbox.uidvalidity() != old_state.uidvalidity
    assert new_state.last_uid == 1


# -- faults ------------------------------------------------------------------------------------
BIG = 40_000  # bytes per message: batch_size 2 => a body FETCH of ~80 kB


def _fault_run(
    mailbox: Mailbox, caplog: pytest.LogCaptureFixture, fault: tuple[str, int], **overrides: Any
) -> None:
    uids = [mailbox.append(make_message(i, body_bytes=BIG)) for i in range(6)]
    with FaultyProxy(mailbox.server.port, [fault]) as proxy:  # type: ignore[list-item]
        with source(mailbox, port=proxy.port, batch_size=2, **overrides) as src:
            got, state = drain(src, None)
        assert proxy.faults_triggered == 1 and proxy.connections == 2
    assert [m.uid for m in got] == uids  # each exactly once, in order
    assert all(len(m.raw) > BIG for m in got)
    assert state.last_uid == uids[-1]
    assert f"while fetching after UID {uids[1]}" in caplog.text  # during the 2nd body batch


def test_connection_cut_in_the_middle_of_a_body_batch(
    mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    # ~2 kB of greeting/login/select/search/sizes, then 80 kB per body batch:
    # byte 130 000 lies inside the second body FETCH response
    _fault_run(mailbox, caplog, ("cut", 130_000))


def test_stalled_connection_times_out_and_resumes(
    mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    _fault_run(mailbox, caplog, ("stall", 130_000), timeout_seconds=0.5)


def test_unreachable_server_gives_up_after_bounded_retries(mailbox: Mailbox) -> None:
    with source(mailbox, port=free_port(), retries=2) as src, pytest.raises(
        ConnectionLost, match="3 times"
    ):
        list(src.iter_new(None))


# -- waiting for mail --------------------------------------------------------------------------
def test_idle_returns_promptly_when_mail_arrives(mailbox: Mailbox) -> None:
    mailbox.append(make_message(1))
    with source(mailbox) as src:
        _, state = drain(src, None)
        later(0.5, lambda: mailbox.append(make_message(2)))
        # woken by the new mail: without it the wait would end at 20 s with False
        assert src.wait_for_new(20) is True
        got, _ = drain(src, state)
    assert len(got) == 1


def test_idle_times_out_without_mail(mailbox: Mailbox) -> None:
    with source(mailbox) as src:
        drain(src, None)
        started = time.monotonic()
        assert src.wait_for_new(1.0) is False
        assert time.monotonic() - started >= 0.9  # it waited (no upper bound: load varies)


def test_mail_that_came_before_waiting_is_not_missed(mailbox: Mailbox) -> None:
    with source(mailbox) as src:
        drain(src, None)
        mailbox.append(make_message(1))  # between the last fetch and IDLE
        # seen: IDLE alone would not report it, the wait would end at 20 s with False
        assert src.wait_for_new(20) is True


def test_polls_when_the_server_lacks_idle(mailbox: Mailbox) -> None:
    with source(mailbox, client_factory=hiding(b"IDLE"), poll_minutes=0.005) as src:
        drain(src, None)
        later(0.5, lambda: mailbox.append(make_message(1)))
        assert src.wait_for_new(20) is True
        started = time.monotonic()
        drain(src, None)
        assert src.wait_for_new(0.7) is False
        assert time.monotonic() - started >= 0.6


# -- authentication ----------------------------------------------------------------------------
def test_wrong_password_is_an_auth_error_naming_user_and_host(
    mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "hunter2-WRONG"
    with source(mailbox, password=wrong) as src, pytest.raises(AuthError) as err:
        list(src.iter_new(None))
    text = str(err.value)
    assert USER in text and f"127.0.0.1:{mailbox.server.port}" in text
    assert wrong not in text and wrong not in caplog.text


def test_password_never_logged(mailbox: Mailbox, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    mailbox.append(make_message(1))
    with source(mailbox) as src:
        drain(src, None)
    assert "logged in" in caplog.text and PASSWORD not in caplog.text


def test_xoauth2_login(mailbox: Mailbox, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    mailbox.append(make_message(1))
    with source(mailbox, token_provider=lambda: GOOD_TOKEN) as src:
        got, _ = drain(src, None)
    assert len(got) == 1
    assert "XOAUTH2" in caplog.text and GOOD_TOKEN not in caplog.text


def test_xoauth2_wrong_token_is_refused(mailbox: Mailbox) -> None:
    with source(mailbox, token_provider=lambda: "stolen-token") as src, pytest.raises(
        AuthError, match="XOAUTH2"
    ) as err:
        list(src.iter_new(None))
    assert "stolen-token" not in str(err.value)


def test_xoauth2_with_a_refresh_token(mailbox: Mailbox, oauth2_server: OAuth2Server) -> None:
    mailbox.append(make_message(1))
    settings = mailbox.settings(
        auth="xoauth2", oauth2_token_url=oauth2_server.token_url,
        oauth2_client_id=oauth2_server.client_id,
        oauth2_client_secret=oauth2_server.client_secret, oauth2_refresh_token=REFRESH_TOKEN,
    )
    with ImapSource.from_settings(settings) as src:
        got, _ = drain(src, None)
    assert len(got) == 1


def test_refresh_token_provider_caches_until_expiry(oauth2_server: OAuth2Server) -> None:
    now = [1000.0]
    provider = RefreshTokenProvider(
        oauth2_server.token_url, client_id=oauth2_server.client_id,
        client_secret=oauth2_server.client_secret, refresh_token=REFRESH_TOKEN,
        clock=lambda: now[0],
    )
    before = oauth2_server.token_requests
    assert provider() == provider() == GOOD_TOKEN
    assert oauth2_server.token_requests - before == 1
    now[0] += oauth2_server.expires_in - 30  # inside the renewal margin
    assert provider() == GOOD_TOKEN
    assert oauth2_server.token_requests - before == 2
    provider.invalidate()
    provider()
    assert oauth2_server.token_requests - before == 3


def test_revoked_refresh_token_is_an_auth_error_without_secrets(
    oauth2_server: OAuth2Server,
) -> None:
    provider = RefreshTokenProvider(
        oauth2_server.token_url, client_id=oauth2_server.client_id,
        client_secret=oauth2_server.client_secret, refresh_token="revoked-refresh",
    )
    with pytest.raises(AuthError, match="invalid_grant") as err:
        provider()
    assert "revoked-refresh" not in str(err.value)
    assert oauth2_server.client_secret not in str(err.value)


def test_unreachable_token_endpoint_is_connection_lost() -> None:
    provider = RefreshTokenProvider(
        f"http://127.0.0.1:{free_port()}/token", client_id="c", client_secret="s",
        refresh_token="r", timeout_s=5,
    )
    with pytest.raises(ConnectionLost, match="unreachable"):
        provider()


def test_xoauth2_token_from_command(mailbox: Mailbox) -> None:
    mailbox.append(make_message(1))
    command = shlex.join([sys.executable, "-c", f"print({GOOD_TOKEN!r})"])
    settings = mailbox.settings(auth="xoauth2", oauth2_token_command=command)
    with ImapSource.from_settings(settings) as src:
        got, _ = drain(src, None)
    assert len(got) == 1


def test_failing_token_command_is_an_auth_error() -> None:
    command = shlex.join([sys.executable, "-c", "import sys; sys.exit('no consent yet')"])
    with pytest.raises(AuthError, match="exit status 1: no consent yet"):
        CommandTokenProvider(command)()


# -- transport security ------------------------------------------------------------------------
def test_implicit_tls_with_the_servers_own_ca(mailbox: Mailbox) -> None:
    mailbox.append(make_message(1))
    assert mailbox.server.imaps_port is not None
    with source(mailbox, security="tls", port=mailbox.server.imaps_port,
                ssl_context=mailbox.tls_context()) as src:
        got, _ = drain(src, None)
    assert len(got) == 1


def test_tls_refuses_an_untrusted_certificate(mailbox: Mailbox) -> None:
    assert mailbox.server.imaps_port is not None
    with source(mailbox, security="tls", port=mailbox.server.imaps_port) as src, pytest.raises(
        SourceError, match="certificate not trusted"
    ):
        list(src.iter_new(None))


def test_tls_to_a_plaintext_port_fails_fast_with_a_hint(mailbox: Mailbox) -> None:
    with source(mailbox, security="tls", ssl_context=mailbox.tls_context()) as src, pytest.raises(
        SourceError, match="TLS handshake failed.*imap.security"
    ):
        list(src.iter_new(None))


def test_starttls(mailbox: Mailbox) -> None:
    mailbox.append(make_message(1))
    with source(mailbox, security="starttls", ssl_context=mailbox.tls_context()) as src:
        got, _ = drain(src, None)
    assert len(got) == 1


@pytest.mark.parametrize("host", ["imap.gmail.com", "10.0.0.5", "::2"])
def test_plaintext_refused_for_a_remote_host(host: str) -> None:
    settings = ImapSettings(host=host, user=USER, security="none")
    with pytest.raises(SourceError, match="refusing an unencrypted"):
        ImapSource(settings, password=PASSWORD)


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_plaintext_allowed_on_loopback(host: str) -> None:
    ImapSource(ImapSettings(host=host, user=USER, security="none"), password=PASSWORD).close()


# -- after-actions -----------------------------------------------------------------------------
def _store_and_act(src: ImapSource) -> list[FetchedMessage]:
    got = []
    for msg in src.iter_new(None):
        got.append(msg)
        src.after_store(msg)
    return got


def test_after_actions_flag_then_move(mailbox: Mailbox) -> None:
    target = f"Đã xử lý {mailbox.folder}"  # non-ASCII: modified UTF-7 on the wire
    mailbox.create(target)
    raws = [make_message(i) for i in range(3)]
    for raw in raws:
        mailbox.append(raw)
    with source(mailbox, after_flag="\\Seen", after_move_to=target, batch_size=2) as src:
        got = _store_and_act(src)
    assert len(got) == 3
    assert mailbox.uids() == []
    moved = mailbox.flags(target)
    assert len(moved) == 3 and all(b"\\Seen" in f for f in moved.values())


def test_move_without_move_capability_expunges_only_those_uids(mailbox: Mailbox) -> None:
    target = f"done-{mailbox.folder}"
    mailbox.create(target)
    mine = mailbox.append(make_message(1))
    with mailbox.client() as staff:  # staff marked another message deleted, not expunged
        staff.append(mailbox.folder, make_message(2), flags=[b"\\Deleted"])
    theirs = max(mailbox.uids())
    with source(mailbox, after_move_to=target, client_factory=hiding(b"MOVE")) as src:
        src.apply_after_actions([mine])
    assert mailbox.uids() == [theirs]
    assert len(mailbox.uids(target)) == 1


def test_move_to_a_missing_folder_is_a_clear_error(mailbox: Mailbox) -> None:
    uid = mailbox.append(make_message(1))
    with source(mailbox, after_move_to="no-such-target") as src, pytest.raises(
        SourceError, match="after-action move refused"
    ):
        src.apply_after_actions([uid])
    assert mailbox.uids() == [uid]


def test_flag_only(mailbox: Mailbox) -> None:
    for i in range(2):
        mailbox.append(make_message(i))
    with source(mailbox, after_flag="\\Flagged") as src:
        _store_and_act(src)
    assert all(b"\\Flagged" in f for f in mailbox.flags().values())


def test_gmail_label_skipped_without_gmail_extension(
    mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    mailbox.append(make_message(1))
    with source(mailbox, after_label="LDL/đã nhận") as src:
        _store_and_act(src)
    assert "X-GM-EXT-1" in caplog.text


def test_after_actions_skipped_when_uidvalidity_changed(mailbox: Mailbox) -> None:
    mailbox.append(make_message(1))
    with source(mailbox, after_flag="\\Flagged") as src:
        (msg,), _ = drain(src, None)
        mailbox.recreate()
        mailbox.append(make_message(2))  # UID 1 again, a different message
        src.after_store(msg)
    assert all(b"\\Flagged" not in f for f in mailbox.flags().values())
