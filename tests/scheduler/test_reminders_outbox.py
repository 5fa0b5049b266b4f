"""Reminders and the outbox against a real SMTP server (aiosmtpd on 127.0.0.1).

Time is passed in (``now``), never slept through.  Runs on SQLite and, when configured,
PostgreSQL, since "never twice" is a property of the database.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from config.settings import load_settings
from ldl.app import App
from scheduler.jobs import Services, flush_outbox, remind
from scheduler.transports import SmtpTransport
from storage.blobs import put_blob
from storage.directory import import_unions
from storage.models import Message, OutboxItem, ReminderLog, Submission, Union
from tests.conftest import Ldl
from tests.smtp_server import AfterData, SmtpTestServer

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DIRECTORY = """code,name,bloc,emails,active,active_from
A,Công đoàn Trường Mầm non Hoa Sữa,th,a@x.vn;a2@x.vn,1,
B,Công đoàn Trường Tiểu học Ngọc Lâm,th,b@x.vn,1,
C,Công đoàn Công ty CP Xây dựng Long Biên,dn,c@x.vn,1,
D,Công đoàn UBND phường Bồ Đề,hcsn,d@x.vn,0,
E,Công đoàn Công ty TNHH Điện tử Thạch Bàn,dn,e@x.vn,1,2021-05-10
"""


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=HCM)  # type: ignore[misc]


@pytest.fixture
def directory(app: App, tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text(DIRECTORY, "utf-8")
    with app.sessions.begin() as s:
        import_unions(s, path)


@pytest.fixture
def svc(app: App, directory: None) -> Services:
    """Every union has registered its DVK model on time: only the Q1 report is owed."""
    for code in "ABC":
        submit(app, code, "dvk-2021", local(2021, 2, 1, 9))
    return Services.build(app.sessions, app.settings, app.calendar)


def smtp(server: SmtpTestServer, app: App, timeout: float = 60.0) -> SmtpTransport:
    settings = load_settings(None, smtp={"host": "127.0.0.1", "port": server.port,
                                         "security": "none", "timeout_seconds": timeout})
    return SmtpTransport(settings.smtp, None)


def submit(app: App, code: str, key: str, at: datetime) -> None:
    with app.sessions.begin() as s:
        union = s.scalars(select(Union).where(Union.code == code)).one()
        raw = f"Message-ID: <{code}.{key}@x>\r\nSubject: BC\r\n\r\n.".encode()
        msg = Message(sha256=put_blob(s, raw), message_id=f"{code}.{key}@x",
                      from_addr=f"{code.lower()}@x.vn", subject=f"BC {key}", received_at=at,
                      size=len(raw), source="test", status="credited")
        s.add(msg)
        s.flush()
        s.add(Submission(message_id=msg.id, union_id=union.id, obligation_key=key))


def recipients(server: SmtpTestServer) -> list[tuple[str, ...]]:
    return sorted(m.rcpt_tos for m in server.messages)


def test_stages_go_to_exactly_the_missing_unions(app: App, svc: Services) -> None:
    submit(app, "B", "report-2021-q1", local(2021, 3, 1, 10))
    with SmtpTestServer() as server:
        transport = smtp(server, app)
        # Mon 08/03 07:00: before the window opens, nothing
        early = remind(svc, local(2021, 3, 8, 7, 0))
        assert not early.in_window and early.queued == 0
        # Mon 08/03 08:05: "before-7" for Q1 to A and C (B sent it, D inactive, E too new)
        result = remind(svc, local(2021, 3, 8, 8, 5))
        assert result.in_window
        assert {m.union_code for m in result.planned} == {"A", "C"}
        assert {(m.union_code, i.spec.key, i.stage) for m in result.planned for i in m.items} \
            == {("A", "report-2021-q1", "before-7"), ("C", "report-2021-q1", "before-7")}
        flushed = flush_outbox(svc, local(2021, 3, 8, 8, 5), transport)
        assert flushed.sent == 2
        assert recipients(server) == [("a@x.vn", "a2@x.vn"), ("c@x.vn",)]
        mail = next(m.message() for m in server.messages if "c@x.vn" in m.rcpt_tos)
        assert mail["Auto-Submitted"] == "auto-generated"
        assert mail["Reply-To"].addresses[0].addr_spec == "ldllongbien@gmail.com"
        assert {p.get_content_type() for p in mail.walk()} >= {"text/plain", "text/html"}
        assert "14/03/2021" in mail.get_body(("plain",)).get_content()
        # Sat 13/03: outside the window (weekend), nothing even though before-2 is due
        assert not remind(svc, local(2021, 3, 13, 9)).in_window


def test_nothing_twice_across_restart(app: App, svc: Services) -> None:
    moment = local(2021, 3, 8, 9)
    with SmtpTestServer() as server:
        transport = smtp(server, app)
        assert remind(svc, moment).queued == 3
        flush_outbox(svc, moment, transport)
        # a "restart": new services, same database, same moment and an hour later
        again = Services.build(app.sessions, app.settings, app.calendar)
        assert remind(again, moment).queued == 0
        assert remind(again, moment + timedelta(hours=1)).queued == 0
        assert flush_outbox(again, moment + timedelta(hours=1), transport).sent == 0
        assert len(server.messages) == 3


def test_downtime_sends_only_the_latest_stage(app: App, svc: Services) -> None:
    # the daemon was down from before 08/03 until the morning of the deadline day
    result = remind(svc, local(2021, 3, 15, 9))
    stages = {(m.union_code, i.stage) for m in result.planned for i in m.items}
    assert stages == {("A", "after-1"), ("B", "after-1"), ("C", "after-1")}
    with app.sessions() as s:
        logged = {(r.stage, r.status) for r in s.scalars(select(ReminderLog))}
    assert ("before-7", "superseded") in logged and ("before-2", "superseded") in logged
    assert ("after-1", "queued") in logged


def test_one_mail_lists_several_obligations(app: App, directory: None) -> None:
    svc = Services.build(app.sessions, app.settings, app.calendar)
    # Wed 17/02: dvk's "before-7" (16/02 is still Tết, so it moves to the next working day)
    result = remind(svc, local(2021, 2, 17, 9))
    assert {m.union_code for m in result.planned} == {"A", "B", "C"}
    assert all(len(m.items) == 1 and m.items[0].spec.key == "dvk-2021" for m in result.planned)
    submit(app, "A", "dvk-2021", local(2021, 2, 26, 9))  # late
    march = remind(svc, local(2021, 3, 8, 9))
    by_union = {m.union_code: sorted(i.spec.key for i in m.items) for m in march.planned}
    # 08/03: dvk's "after-8" (02/03) is still fresh and Q1's "before-7" is due: B and C
    # get ONE mail listing both; A sent its dvk (late) and owes only Q1
    assert by_union["B"] == ["dvk-2021", "report-2021-q1"]
    assert by_union["A"] == ["report-2021-q1"]


def test_two_schedulers_on_one_database(app: App, svc: Services) -> None:
    moment = local(2021, 3, 8, 9)
    second_app = App(app.settings)  # its own engine and connections
    other = Services.build(second_app.sessions, second_app.settings, second_app.calendar)
    results: list[int] = []
    barrier = threading.Barrier(2)

    def run(s: Services) -> None:
        barrier.wait()
        results.append(remind(s, moment).queued)

    threads = [threading.Thread(target=run, args=(s,)) for s in (svc, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 3  # three unions owe Q1: three mails in all, whoever queued them
    with SmtpTestServer() as server:
        sent = [0, 0]

        def send(i: int, s: Services) -> None:  # each daemon has its own connection
            sent[i] = flush_outbox(s, moment, smtp(server, app)).sent

        threads = [threading.Thread(target=send, args=(i, s))
                   for i, s in enumerate((svc, other))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(sent) == 3 and len(server.messages) == 3
    second_app.engine.dispose()


def test_smtp_failure_then_recovery(app: App, svc: Services) -> None:
    moment = local(2021, 3, 8, 9)
    remind(svc, moment)
    with SmtpTestServer() as server:
        transport = smtp(server, app)
        server.fail_next(2, "451 4.3.0 Try again later")
        first = flush_outbox(svc, moment, transport)
        assert (first.sent, first.retried) == (1, 2)
        assert flush_outbox(svc, moment, transport).sent == 0  # back-off: not yet
        later = flush_outbox(svc, moment + timedelta(hours=1), transport)
        assert later.sent == 2
        assert flush_outbox(svc, moment + timedelta(days=1), transport).sent == 0
        assert len(server.messages) == 3
    with app.sessions() as s:
        assert s.scalar(select(func.count()).select_from(OutboxItem)
                        .where(OutboxItem.status == "sent")) == 3


def test_permanent_failure_and_give_up(app: App, svc: Services) -> None:
    moment = local(2021, 3, 8, 9)
    remind(svc, moment)
    with SmtpTestServer() as server:
        transport = smtp(server, app)
        server.fail_next(1, "550 5.1.1 No such user")
        result = flush_outbox(svc, moment, transport)
        assert (result.failed, result.sent) == (1, 2)
    with app.sessions() as s:
        failed = s.scalars(select(OutboxItem).where(OutboxItem.status == "failed")).one()
    assert "550" in (failed.last_error or "")


def test_server_down_retries_then_fails_after_max_attempts(app: App, svc: Services) -> None:
    moment = local(2021, 3, 8, 9)
    remind(svc, moment)
    server = SmtpTestServer().start()
    transport = smtp(server, app)
    server.stop()  # nobody listens any more
    when = moment
    for _ in range(app.settings.outbox.max_attempts):
        flush_outbox(svc, when, transport)
        when += timedelta(days=1)
    with app.sessions() as s:
        statuses = [o.status for o in s.scalars(select(OutboxItem))]
        attempts = [o.attempts for o in s.scalars(select(OutboxItem))]
    assert statuses == ["failed"] * 3
    assert attempts == [app.settings.outbox.max_attempts] * 3


def test_cap_per_run(app: App, svc: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    moment = local(2021, 3, 8, 9)
    remind(svc, moment)
    capped = Services.build(app.sessions, app.settings.model_copy(
        update={"outbox": app.settings.outbox.model_copy(update={"max_per_run": 1})}),
        app.calendar)
    with SmtpTestServer() as server:
        transport = smtp(server, app)
        result = flush_outbox(capped, moment, transport)
        assert (result.sent, result.left) == (1, 2)
        assert flush_outbox(capped, moment, transport).sent == 1
        assert flush_outbox(capped, moment, transport).sent == 1
        assert len(server.messages) == 3


def test_interrupted_send_is_not_repeated(app: App, svc: Services) -> None:
    moment = local(2021, 3, 8, 9)
    remind(svc, moment)
    with app.sessions.begin() as s:  # as if the process died right after claiming one
        item = s.scalars(select(OutboxItem).order_by(OutboxItem.id)).first()
        assert item is not None
        item.status, item.attempts = "sending", 1
        item.claimed_until = moment.astimezone(UTC) + timedelta(minutes=10)
    with SmtpTestServer() as server:
        transport = smtp(server, app)
        assert flush_outbox(svc, moment, transport).sent == 2  # the other ones
        result = flush_outbox(svc, moment + timedelta(hours=1), transport)
        assert result.interrupted == 1 and result.sent == 0
        assert len(server.messages) == 2
    assert sorted(statuses(app).values()) == ["sent", "sent", "uncertain"]


def statuses(app: App) -> dict[str, str]:
    with app.sessions() as s:
        return {o.dedup_key: o.status for o in s.scalars(select(OutboxItem))}


@pytest.mark.parametrize("how", ["drop", "stall"])
def test_ambiguous_smtp_delivers_each_reminder_exactly_once(app: App, svc: Services,
                                                            how: AfterData) -> None:
    """The server takes every message, then drops the line (or answers after the timeout):
    each reminder reaches it once, whatever later flushes do."""
    moment = local(2021, 3, 8, 9)
    assert remind(svc, moment).queued == 3
    with SmtpTestServer() as server:
        server.take_then(3, how)
        transport = smtp(server, app, timeout=0.5)
        first = flush_outbox(svc, moment, transport)
        assert (first.uncertain, first.sent, first.retried, first.failed) == (3, 0, 0, 0)
        for later in (timedelta(minutes=5), timedelta(hours=2), timedelta(days=3)):
            assert flush_outbox(svc, moment + later, transport).sent == 0
        # exactly one delivery per reminder, each a different mail
        keys = sorted(m.message()["X-LDL-Dedup-Key"] for m in server.messages)
        assert len(keys) == 3 and len(set(keys)) == 3
        assert server.unanswered == 3
    assert set(statuses(app).values()) == {"uncertain"}
    assert remind(svc, moment + timedelta(hours=1)).queued == 0  # not queued anew either


def test_uncertain_is_listed_and_retried_by_hand_with_the_same_message_id(
        app: App, svc: Services, ldl: Ldl) -> None:
    moment = local(2021, 3, 8, 9)
    remind(svc, moment)
    with SmtpTestServer() as server:
        server.take_then(1, "drop")
        flush_outbox(svc, moment, smtp(server, app))
        assert sorted(statuses(app).values()) == ["sent", "sent", "uncertain"]
        first = next(m for m in server.messages)  # the dropped one came first
        ldl.env.update({"LDL_OUTBOX__TRANSPORT": "smtp", "LDL_SMTP__HOST": "127.0.0.1",
                        "LDL_SMTP__PORT": str(server.port), "LDL_SMTP__SECURITY": "none"})
        listed = ldl("outbox", "list", "--status", "uncertain")
        assert listed.exit_code == 0, listed.output
        assert "uncertain" in listed.output and "delivery uncertain" in listed.output
        assert "closed the connection" in listed.output
        with app.sessions() as s:
            item = s.scalars(select(OutboxItem).where(OutboxItem.status == "uncertain")).one()
        refused = ldl("outbox", "retry", str(item.id + 1000))
        assert refused.exit_code == 1 and "no such outbox item" in refused.output
        done = ldl("outbox", "retry", str(item.id), "--now", "2021-03-08T10:00+07:00")
        assert done.exit_code == 0, done.output
        assert f"queued again: {item.id}" in done.output and "sent 1" in done.output
        assert len(server.messages) == 4
        again = server.messages[-1]
        assert again.message()["Message-ID"] == first.message()["Message-ID"] \
            == f"<{item.message_id_header.strip('<>')}>"
        assert again.data == first.data  # the stored bytes, unchanged
        twice = ldl("outbox", "retry", str(item.id))  # sent now: nothing to retry
        assert twice.exit_code == 1 and "it is sent" in twice.output
        assert len(server.messages) == 4


def test_uncertain_confirmed_delivered_by_a_person(app: App, svc: Services, ldl: Ldl) -> None:
    moment = local(2021, 3, 8, 9)
    remind(svc, moment)
    with SmtpTestServer() as server:
        server.take_then(1, "stall")
        flush_outbox(svc, moment, smtp(server, app, timeout=0.5))
    with app.sessions() as s:
        item = s.scalars(select(OutboxItem).where(OutboxItem.status == "uncertain")).one()
    done = ldl("outbox", "delivered", str(item.id))
    assert done.exit_code == 0 and f"marked sent: {item.id}" in done.output
    assert sorted(statuses(app).values()) == ["sent"] * 3
    assert ldl("outbox", "delivered", str(item.id)).exit_code == 1
