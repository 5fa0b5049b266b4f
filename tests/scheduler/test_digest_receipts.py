"""The weekly digest equals `ldl status`; receipts never start a mail loop."""

from __future__ import annotations

import io
import mailbox
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import select

from ingest.pipeline import Pipeline
from ingest.sources.files import open_path_source
from ldl.app import App
from scheduler import digest as digest_mod
from scheduler.jobs import Services, flush_outbox, weekly_digest
from scheduler.receipts import receipt_hook
from scheduler.transports import FileTransport, SmtpTransport
from storage.directory import import_unions
from storage.models import OutboxItem
from tests.conftest import SAMPLE_DIRECTORY, Ldl
from tests.ingest.builders import build_message, make_docx
from tests.smtp_server import SmtpTestServer

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FED = "ldllongbien@gmail.com"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=HCM)  # type: ignore[misc]


def mail(subject: str, sender: str, when: datetime, msgid: str,
         headers: dict[str, str] | None = None, attach: bool = True) -> bytes:
    stamp = when.strftime("%a, %d %b %Y %H:%M:%S %z")
    raw = build_message(subject=subject, from_=sender, to=FED, body="Kính gửi LĐLĐ quận.",
                        attachments=[("Bao cao.docx", make_docx(["BÁO CÁO", "Nội dung"]),
                                      DOCX)] if attach else (),
                        date=when, headers=headers, message_id=f"<{msgid}>")
    return f"Received: by mx.google.com; {stamp}\r\n".encode() + raw


def ingest(pipeline: Pipeline, tmp_path: Path, messages: list[bytes], name: str = "M") -> None:
    box = mailbox.Maildir(tmp_path / name, create=True)
    for raw in messages:
        box.add(raw)
    pipeline.ingest(open_path_source(tmp_path / name))


@pytest.fixture
def svc(app: App) -> Services:
    with app.sessions.begin() as s:
        import_unions(s, SAMPLE_DIRECTORY)
    return Services.build(app.sessions, app.settings, app.calendar)


def test_digest_counts_equal_status_and_xlsx(app: App, svc: Services, tmp_path: Path,
                                             ldl: Ldl) -> None:
    pipeline = Pipeline(app.sessions, app.settings, app.calendar)
    ingest(pipeline, tmp_path, [
        mail("Báo cáo quý I năm 2021", "cdmnhoasua@gmail.com", at(2021, 3, 10, 9), "a@x"),
        mail("BC quy 1 nam 2021", "cdthbode@gmail.com", at(2021, 3, 15, 10), "b@x"),  # late
        mail("Bao cao quy I 2021", "cdducgiang@gmail.com", at(2021, 3, 12, 16), "c@x"),
    ])
    now = at(2021, 3, 16, 8)
    built = digest_mod.build(app.sessions, app.settings, app.calendar.specs_until(now),
                             svc.templates, now)
    q1 = next(o for o in built.context.obligations if o.key == "report-2021-q1")
    status = ldl("status", "--obligation", "report-2021-q1", "--now", now.isoformat(),
                 "--format", "json")
    import json

    rows = json.loads(status.output)
    by_status = {s: sum(1 for r in rows if r["status"] == s)
                 for s in ("on_time", "late", "missing", "pending", "exempt")}
    total = q1.total
    assert (total.on_time, total.late, total.missing) == \
        (by_status["on_time"], by_status["late"], by_status["missing"]) == (2, 1, 29)
    assert total.expected == len(rows) - by_status["exempt"]
    for fig in q1.blocs:
        assert fig.missing == sum(1 for r in rows if r["bloc"] == fig.bloc
                                  and r["status"] == "missing")
    assert {u.code for u in q1.missing} == {r["union_code"] for r in rows
                                            if r["status"] == "missing"}
    assert len(built.context.arrived) == 3  # "this week": since 09/03 08:00
    sheets = pd.read_excel(io.BytesIO(built.xlsx), sheet_name=None)
    assert "report-2021-q1" in sheets and "Ma trận" in sheets
    sheet = sheets["report-2021-q1"]
    assert (sheet["status"] == "missing").sum() == 29
    assert (sheet["status"] == "on_time").sum() == 2
    matrix = sheets["Ma trận"]
    assert len(matrix) == len({r["union_code"] for r in rows})
    assert "Chưa nộp" in set(matrix["report-2021-q1"].astype(str))
    assert "29" in built.mail.html and "29" in built.mail.text


def test_weekly_digest_once_and_catches_up(app: App, svc: Services, tmp_path: Path) -> None:
    settings = app.settings.model_copy(update={"digest": app.settings.digest.model_copy(
        update={"recipients": ["lanhdao@example.vn"]})})
    weekly = Services(svc.sessions, settings, svc.calendar, svc.policy, svc.templates)
    monday = at(2021, 3, 15, 7, 0)
    assert not weekly_digest(weekly, monday)  # before Monday 07:30
    # the daemon was down on Monday; back on Wednesday: sent once, then never again
    assert weekly_digest(weekly, monday + timedelta(days=2))
    assert not weekly_digest(weekly, monday + timedelta(days=2, hours=1))
    assert not weekly_digest(weekly, monday + timedelta(days=4))
    assert weekly_digest(weekly, monday + timedelta(days=7, minutes=31))  # next week
    transport = FileTransport(tmp_path / "out")
    assert flush_outbox(weekly, monday + timedelta(days=8), transport).sent == 2
    emls = sorted((tmp_path / "out").glob("*.eml"))
    assert len(emls) == 2
    from email import message_from_bytes, policy

    msg = message_from_bytes(emls[0].read_bytes(), policy=policy.default)
    names = [p.get_filename() for p in msg.iter_attachments()]
    assert names == ["tong-hop-bao-cao-2021-W11.xlsx"]


def test_receipts_go_once_and_never_loop(app: App, svc: Services, tmp_path: Path) -> None:
    now = at(2021, 3, 10, 10)
    hook = receipt_hook(app.settings, clock=lambda: now, templates=svc.templates,
                        calendar=app.calendar)
    pipeline = Pipeline(app.sessions, app.settings, app.calendar, on_credit=[hook])
    ingest(pipeline, tmp_path, [
        mail("Báo cáo quý I năm 2021", "cdmnhoasua@gmail.com", at(2021, 3, 10, 9), "r1@x"),
        # an old report, backfilled: no receipt for it (it is years old for its sender)
        mail("Báo cáo quý I năm 2021", "cdthbode@gmail.com", at(2021, 3, 1, 9), "old@x"),
    ])
    with SmtpTestServer() as server:
        from config.settings import load_settings

        smtp = load_settings(None, smtp={"host": "127.0.0.1", "port": server.port,
                                         "security": "none"}).smtp
        flush_outbox(svc, now, SmtpTransport(smtp, None))
        assert [m.rcpt_tos for m in server.messages] == [("cdmnhoasua@gmail.com",)]
        receipt = server.messages[0].message()
        assert receipt["In-Reply-To"] == "<r1@x>"
        assert receipt["Auto-Submitted"] == "auto-generated"
        text = receipt.get_body(("plain",)).get_content()
        assert "TH01" in text or "Hoa Sữa" in text
        # the union's auto-responder answers the receipt; our own copy comes back too
        echo = mail("Trả lời tự động: " + str(receipt["Subject"]), "cdmnhoasua@gmail.com",
                    now + timedelta(minutes=5), "auto1@x",
                    headers={"Auto-Submitted": "auto-replied", "In-Reply-To": "<x@y>"})
        bounce_back = server.messages[0].data.replace(b"\r\n", b"\n")
        ingest(pipeline, tmp_path, [echo, f"Received: by mx; {now:%a, %d %b %Y %H:%M:%S %z}"
                                    "\n".encode() + bounce_back], name="M2")
        flush_outbox(svc, now + timedelta(hours=1), SmtpTransport(smtp, None))
        assert len(server.messages) == 1  # nothing answered the answers
    with app.sessions() as s:
        kinds = [o.kind for o in s.scalars(select(OutboxItem))]
    assert kinds == ["receipt"]
    # the same message again (re-ingest): no second receipt
    assert pipeline.reprocess().credited == 2
    with app.sessions() as s:
        assert len(s.scalars(select(OutboxItem)).all()) == 1
