"""Transports against a real SMTP server on 127.0.0.1 (aiosmtpd), and the file transport."""

from __future__ import annotations

import builtins
import json
import socket
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path
from typing import Any

import pytest

from config.settings import ConfigError, Security, SmtpSettings
from scheduler.mime import Envelope, build_message, new_message_id
from scheduler.render import RenderedMail
from scheduler.transports import FileTransport, SmtpTransport, TransportError
from tests.smtp_server import HOST, AfterData, SmtpTestServer, TlsPair, closed_port

pytestmark = pytest.mark.smtp

SENDER = "ldllongbien@gmail.com"
TO = ["mn.hoasua@gmail.com", "hoasua@edu.vn"]
SECRET = "s3cr3t-app-password"


@pytest.fixture(autouse=True)
def no_prompts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A daemon must never wait at a prompt: any input() call fails the test."""
    def refuse(*args: object) -> str:
        raise AssertionError("input() was called")
    monkeypatch.setattr(builtins, "input", refuse)
    monkeypatch.setattr("getpass.getpass", refuse)


def message(key: str = "remind:LB-MN-007:report-2021-q1:before-2") -> bytes:
    mail = RenderedMail("[LĐLĐ quận Long Biên] Nhắc gửi báo cáo quý I",
                        "Kính gửi: CĐCS Trường Mầm non Hoa Sữa\n", "<p>Kính gửi</p>")
    envelope = Envelope(SENDER, "LĐLĐ quận Long Biên", TO, SENDER)
    return build_message(envelope, mail, message_id=new_message_id(SENDER),
                         date=datetime(2021, 3, 12, 2, 0, tzinfo=UTC), dedup_key=key)


def smtp(server: SmtpTestServer | None = None, port: int | None = None, *,
         password: str | None = None, **settings: Any) -> SmtpTransport:
    options: dict[str, Any] = {"host": HOST, "security": "none", "timeout_seconds": 5.0}
    options["port"] = port if port is not None else server.port if server else None
    options.update(settings)
    return SmtpTransport(SmtpSettings(**options), password)


# -- delivery -------------------------------------------------------------------------------


def test_delivery_with_the_right_envelope(smtp_server: SmtpTestServer) -> None:
    data = message()
    smtp(smtp_server).send(data, SENDER, TO)
    (received,) = smtp_server.messages
    assert received.mail_from == SENDER
    assert received.rcpt_tos == tuple(TO)
    got, sent = received.message(), message_from_bytes(data, policy=email_policy.default)
    assert got["Message-ID"] == sent["Message-ID"]
    assert got["Subject"] == "[LĐLĐ quận Long Biên] Nhắc gửi báo cáo quý I"
    assert got["X-LDL-Dedup-Key"] == "remind:LB-MN-007:report-2021-q1:before-2"
    assert received.login is None


def test_one_connection_serves_a_batch(smtp_server: SmtpTestServer) -> None:
    with smtp(smtp_server) as transport:
        transport.send(message("a"), SENDER, TO[:1])
        first = transport._connection()
        transport.send(message("b"), SENDER, TO[1:])
        assert transport._connection() is first
    assert not transport.connected
    assert [m.message()["X-LDL-Dedup-Key"] for m in smtp_server.messages] == ["a", "b"]


def test_one_transport_shared_by_threads(smtp_server: SmtpTestServer) -> None:
    transport = smtp(smtp_server)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            with transport:
                for i in range(5):
                    transport.send(message(f"t{n}-{i}"), SENDER, TO[:1])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(smtp_server.messages) == 20


# -- failures, classified -------------------------------------------------------------------


def test_451_is_temporary_and_the_next_attempt_succeeds(smtp_server: SmtpTestServer) -> None:
    smtp_server.fail_next(1, "451 4.3.0 Mailbox busy, try again")
    transport = smtp(smtp_server)
    with pytest.raises(TransportError) as info:
        transport.send(message(), SENDER, TO)
    assert info.value.temporary is True and info.value.code == 451
    assert "451" in str(info.value) and "Mailbox busy" in str(info.value)
    transport.send(message(), SENDER, TO)
    assert len(smtp_server.messages) == 1


def test_554_is_permanent(smtp_server: SmtpTestServer) -> None:
    smtp_server.fail_next(2, "554 5.7.1 Message rejected as spam")
    with smtp(smtp_server) as transport:
        for _ in range(2):  # the connection is rebuilt after the first failure
            with pytest.raises(TransportError) as info:
                transport.send(message(), SENDER, TO)
            assert info.value.temporary is False and info.value.code == 554
    assert smtp_server.messages == []


@pytest.mark.parametrize(("reply", "temporary"), [
    ("550 5.1.1 No such user", False),
    ("450 4.2.1 Mailbox unavailable", True),
])
def test_every_recipient_refused(smtp_server: SmtpTestServer, reply: str,
                                 temporary: bool) -> None:
    smtp_server.fail_next(len(TO), reply, at="RCPT")
    with pytest.raises(TransportError) as info:
        smtp(smtp_server).send(message(), SENDER, TO)
    assert info.value.temporary is temporary
    assert "refused every recipient" in str(info.value) and TO[0] in str(info.value)


def test_one_recipient_refused_still_delivers(smtp_server: SmtpTestServer,
                                              caplog: pytest.LogCaptureFixture) -> None:
    smtp_server.fail_next(1, "550 5.1.1 No such user", at="RCPT")
    smtp(smtp_server).send(message(), SENDER, TO)  # no retry: TO[1] already has it
    assert smtp_server.messages[0].rcpt_tos == (TO[1],)
    assert TO[0] in caplog.text and "550" in caplog.text


def test_server_down_is_temporary() -> None:
    with pytest.raises(TransportError) as info:
        smtp(port=closed_port()).send(message(), SENDER, TO)
    assert info.value.temporary is True
    assert "ConnectionRefusedError" in str(info.value)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections but never says a word."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        sock.listen(1)
        yield sock.getsockname()[1]


def test_silent_server_times_out_as_temporary(silent_port: int) -> None:
    with pytest.raises(TransportError) as info:
        smtp(port=silent_port, timeout_seconds=0.3).send(message(), SENDER, TO)
    assert info.value.temporary is True
    assert "no answer within 0.3 s" in str(info.value)


# -- ambiguous: the server may have the message ------------------------------------------


@pytest.mark.parametrize("how", ["drop", "stall"])
def test_no_answer_after_the_whole_message_is_ambiguous(smtp_server: SmtpTestServer,
                                                        how: AfterData) -> None:
    """Dropped after DATA, or answered after the timeout: maybe delivered, never retried."""
    smtp_server.take_then(1, how)
    transport = smtp(smtp_server, timeout_seconds=0.5)
    with pytest.raises(TransportError) as info:
        transport.send(message(), SENDER, TO)
    error = info.value
    assert error.ambiguous is True and error.temporary is False
    assert str(error).startswith("delivery uncertain:")
    assert "not sent again automatically" in str(error)
    assert len(smtp_server.messages) == 1 and smtp_server.unanswered == 1
    assert not transport.connected
    transport.send(message("next"), SENDER, TO)  # a fresh connection serves the next one
    assert len(smtp_server.messages) == 2


def test_failures_before_the_message_are_not_ambiguous(smtp_server: SmtpTestServer) -> None:
    smtp_server.fail_next(len(TO), "451 4.3.0 Try again later", at="RCPT")
    with pytest.raises(TransportError) as info:
        smtp(smtp_server).send(message(), SENDER, TO)
    assert info.value.ambiguous is False and info.value.temporary is True
    smtp_server.fail_next(1, "451 4.3.0 Queue full")  # an answer to the message itself
    with pytest.raises(TransportError) as info:
        smtp(smtp_server).send(message(), SENDER, TO)
    assert info.value.ambiguous is False and info.value.temporary is True
    with pytest.raises(TransportError) as info:
        smtp(port=closed_port()).send(message(), SENDER, TO)
    assert info.value.ambiguous is False and info.value.temporary is True
    assert smtp_server.messages == []


def test_silent_server_before_data_is_not_ambiguous(silent_port: int) -> None:
    with pytest.raises(TransportError) as info:
        smtp(port=silent_port, timeout_seconds=0.3).send(message(), SENDER, TO)
    assert info.value.ambiguous is False


def test_no_recipients_is_permanent(smtp_server: SmtpTestServer) -> None:
    with pytest.raises(TransportError) as info:
        smtp(smtp_server).send(message(), SENDER, [])
    assert info.value.temporary is False


# -- login ----------------------------------------------------------------------------------


@pytest.fixture
def auth_server() -> Iterator[SmtpTestServer]:
    with SmtpTestServer(users={"ldl": SECRET}) as server:
        yield server


def test_login_with_the_right_password(auth_server: SmtpTestServer) -> None:
    smtp(auth_server, user="ldl", password=SECRET).send(message(), SENDER, TO)
    assert auth_server.messages[0].login == "ldl"


def test_wrong_password_is_permanent_and_never_shown(auth_server: SmtpTestServer) -> None:
    wrong = "wrong-" + SECRET
    transport = smtp(auth_server, user="ldl", password=wrong)
    with pytest.raises(TransportError) as info:
        transport.send(message(), SENDER, TO)
    error = info.value
    assert error.temporary is False and error.code == 535
    assert "SMTP login as 'ldl'" in str(error) and "refused" in str(error)
    assert wrong not in str(error) and wrong not in repr(transport)
    assert error.__cause__ is None and error.__suppress_context__  # no smtplib exchange
    assert auth_server.messages == []


def test_server_requiring_login_without_one_configured(auth_server: SmtpTestServer) -> None:
    with pytest.raises(TransportError) as info:
        smtp(auth_server).send(message(), SENDER, TO)
    assert info.value.temporary is False and info.value.code == 530


def test_user_without_password_is_refused_before_any_prompt() -> None:
    with pytest.raises(ConfigError, match="smtp.user = 'ldl' needs a password"):
        smtp(port=2525, user="ldl")


def test_clear_text_only_to_loopback() -> None:
    with pytest.raises(ConfigError, match="only allowed to a loopback host"):
        SmtpTransport(SmtpSettings(host="smtp.example.vn", security="none"), None)
    SmtpTransport(SmtpSettings(host="localhost", security="none"), None)
    SmtpTransport(SmtpSettings(host="smtp.example.vn", security="starttls"), None)


# -- OAuth2 (Gmail XOAUTH2) -----------------------------------------------------------------


def oauth_file(tmp_path: Path, **overrides: str) -> Path:
    data = {"google_client_id": "id", "google_client_secret": "cs",
            "google_refresh_token": "rt", **overrides}
    path = tmp_path / "oauth2.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


def fetcher(token: str) -> Any:
    def fetch(info: Mapping[str, str], timeout: float) -> str:
        assert info["google_refresh_token"] == "rt" and timeout == 5.0
        return token
    return fetch


def oauth_transport(server: SmtpTestServer, path: Path, token: str) -> SmtpTransport:
    settings = SmtpSettings(host=HOST, port=server.port, security="none", oauth2_file=path,
                            timeout_seconds=5.0)
    return SmtpTransport(settings, None, token_fetcher=fetcher(token))


def test_xoauth2_login(tmp_path: Path) -> None:
    with SmtpTestServer(xoauth2_tokens={SENDER: "good-token"}) as server:
        oauth_transport(server, oauth_file(tmp_path), "good-token").send(message(), SENDER, TO)
        assert server.messages[0].login == SENDER


def test_xoauth2_refusal_is_detected(tmp_path: Path) -> None:
    # yagmail itself ignores the server's answer to AUTH XOAUTH2
    with SmtpTestServer(xoauth2_tokens={SENDER: "good-token"}) as server:
        transport = oauth_transport(server, oauth_file(tmp_path), "expired-token")
        with pytest.raises(TransportError) as info:
            transport.send(message(), SENDER, TO)
        assert info.value.temporary is False and info.value.code == 535
        assert "OAuth2" in str(info.value) and "expired-token" not in str(info.value)
        assert server.messages == []


def test_missing_or_unauthorised_oauth2_file_never_prompts(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="oauth2_file .*no such file"):
        SmtpTransport(SmtpSettings(oauth2_file=tmp_path / "nope.json"), None)
    installed = tmp_path / "client.json"
    installed.write_text(json.dumps({"installed": {"client_id": "x"}}), "utf-8")
    with pytest.raises(ConfigError, match="'installed' client file"):
        SmtpTransport(SmtpSettings(oauth2_file=installed), None)
    with pytest.raises(ConfigError, match="missing google_refresh_token"):
        SmtpTransport(SmtpSettings(oauth2_file=oauth_file(tmp_path, google_refresh_token="")),
                      None)


# -- TLS ------------------------------------------------------------------------------------


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_delivery_and_untrusted_certificate(tls_pair: TlsPair, security: Security) -> None:
    server_options: dict[str, Any] = (
        {"starttls_context": tls_pair.server} if security == "starttls"
        else {"tls_context": tls_pair.server})
    with SmtpTestServer(users={"ldl": SECRET}, **server_options) as server:
        settings = SmtpSettings(host=HOST, port=server.port, security=security, user="ldl",
                                timeout_seconds=5.0)
        SmtpTransport(settings, SECRET, ssl_context=tls_pair.client).send(message(), SENDER,
                                                                          TO)
        assert server.messages[0].login == "ldl"
        with pytest.raises(TransportError) as info:  # the system store does not trust it
            SmtpTransport(settings, SECRET).send(message(), SENDER, TO)
        assert info.value.temporary is False
        assert "certificate not trusted" in str(info.value)


def test_tls_setting_against_a_plain_server(smtp_server: SmtpTestServer) -> None:
    with pytest.raises(TransportError) as info:
        smtp(smtp_server, security="tls").send(message(), SENDER, TO)
    assert info.value.temporary is False and "does not speak TLS" in str(info.value)


def test_starttls_setting_against_a_server_without_it(smtp_server: SmtpTestServer) -> None:
    transport = smtp(smtp_server, security="starttls")
    with pytest.raises(TransportError) as info:
        transport.send(message(), SENDER, TO)
    assert info.value.temporary is False and "smtp.security" in str(info.value)


# -- file transport -------------------------------------------------------------------------


def test_file_transport_writes_a_parseable_eml(tmp_path: Path) -> None:
    clock = lambda: datetime(2021, 3, 12, 2, 0, 0, 123456, tzinfo=UTC)  # noqa: E731
    transport = FileTransport(tmp_path / "outbox", clock=clock)
    data = message("remind:LB-MN-007:report-2021-q1:before-2")
    transport.send(data, SENDER, TO)
    transport.send(data, SENDER, TO)  # same second, same key: a second file, no overwrite
    files = sorted(p.name for p in (tmp_path / "outbox").iterdir())
    assert files == [
        "20210312T020000123456Z-remind_LB-MN-007_report-2021-q1_before-2-1.eml",
        "20210312T020000123456Z-remind_LB-MN-007_report-2021-q1_before-2.eml",
    ]
    parsed = message_from_bytes((tmp_path / "outbox" / files[1]).read_bytes(),
                                policy=email_policy.default)
    assert parsed["X-LDL-Envelope-To"] == f"<{TO[0]}>, <{TO[1]}>"
    assert parsed["X-LDL-Envelope-From"] == f"<{SENDER}>"
    assert parsed["Subject"] == "[LĐLĐ quận Long Biên] Nhắc gửi báo cáo quý I"
    assert parsed.get_content_type() == "multipart/alternative"


def test_file_transport_errors(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(TransportError) as info:
        FileTransport(blocker / "outbox").send(message(), SENDER, TO)
    assert info.value.temporary is True
    with pytest.raises(TransportError):
        FileTransport(tmp_path).send(message(), SENDER, [])
