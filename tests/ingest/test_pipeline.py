"""The pipeline end to end on real files and a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from config.calendar import load_calendar
from ingest.pipeline import Pipeline
from ingest.sources.base import FetchedMessage
from ingest.sources.files import open_path_source
from ingest.store import store_fetched
from ingest.triage import TriageError, assign, dismiss
from ldl.app import App
from storage import compliance
from storage.directory import import_unions
from storage.models import (
    Attachment,
    AuditEvent,
    Blob,
    Message,
    Submission,
    TriageItem,
    UnionAddress,
)
from tests.conftest import SAMPLE_DIRECTORY
from tests.ingest.builders import build_message, make_docx

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FED = "ldllongbien@gmail.com"
SPECS_2021 = load_calendar().specs_for_years([2021])


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=HCM)  # type: ignore[misc]


def received(raw: bytes, when: datetime) -> bytes:
    """Prepend the Received: header the federation's server would add."""
    stamp = when.strftime("%a, %d %b %Y %H:%M:%S %z")
    return (f"Received: from mail.example.vn by mx.google.com; {stamp}\r\n").encode() + raw


def report(subject: str, sender: str, when: datetime, *, body: str = "Kính gửi LĐLĐ quận.",
           filename: str = "BC.docx", heading: str = "BÁO CÁO", msgid: str | None = None,
           extra: dict[str, str] | None = None) -> bytes:
    doc = make_docx([heading, "Kết quả thực hiện kế hoạch", "Nội dung báo cáo ..."])
    raw = build_message(subject=subject, from_=sender, to=FED, body=body,
                        attachments=[(filename, doc, "application/vnd.openxmlformats-"
                                      "officedocument.wordprocessingml.document")],
                        date=when, headers=extra, message_id=f"<{msgid}>" if msgid else None)
    return received(raw, when)


def maildir(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.Maildir(path, create=True)
    for raw in messages:
        box.add(raw)
    return path


@pytest.fixture
def directory(app: App) -> None:
    with app.sessions.begin() as s:
        import_unions(s, SAMPLE_DIRECTORY)


@pytest.fixture
def pipeline(app: App, directory: None) -> Pipeline:
    return Pipeline(app.sessions, app.settings, app.calendar)


def count(app: App, model: type) -> int:
    with app.sessions() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def statuses(app: App) -> dict[str, str]:
    with app.sessions() as s:
        return {m.message_id: m.status for m in s.scalars(select(Message))}


def test_maildir_twice_adds_nothing(app: App, pipeline: Pipeline, tmp_path: Path) -> None:
    box = maildir(tmp_path / "Maildir", [
        report("Báo cáo quý I năm 2021", "cdmnhoasua@gmail.com", at(2021, 3, 10, 9),
               msgid="q1.th01@x"),
        report("DK mo hinh DVK 2021", "cdthngoclam@gmail.com", at(2021, 2, 20, 21),
               body="Tên mô hình: \"Xây dựng trường học xanh\"", msgid="dvk.th03@x"),
    ])
    first = pipeline.ingest(open_path_source(box))
    assert (first.new, first.credited) == (2, 2)
    blobs, messages = count(app, Blob), count(app, Message)
    second = pipeline.ingest(open_path_source(box))
    assert (second.new, second.duplicates, second.credited) == (0, 2, 0)
    assert (count(app, Blob), count(app, Message), count(app, Submission)) == (blobs, messages, 2)
    with app.sessions() as s:
        th01 = s.scalars(select(Message).where(Message.message_id == "q1.th01@x")).one()
        assert th01.received_source == "received"
        assert th01.received_at == at(2021, 3, 10, 9).astimezone(UTC)
        assert s.scalar(select(func.count()).select_from(Attachment)) == 2
    rows = {(r.union_code, r.obligation): r.status for r in
            compliance.load(app.sessions(), SPECS_2021, at(2021, 3, 20))}
    assert rows[("TH01", "report-2021-q1")] == "on_time"
    assert rows[("TH03", "dvk-2021")] == "on_time"
    with app.engine.connect() as conn:
        from sqlalchemy import text
        titles = conn.execute(text("SELECT union_code, model_title FROM v_submissions "
                                   "WHERE obligation = 'dvk-2021'")).all()
    assert titles == [("TH03", "Xây dựng trường học xanh")]


def test_same_message_id_stored_once(app: App, pipeline: Pipeline, tmp_path: Path) -> None:
    a = report("BC quy 1", "cdmnhoasua@gmail.com", at(2021, 3, 10, 9), msgid="same@x")
    b = b"X-Gmail-Labels: Inbox\r\n" + a  # the same message, delivered again with a header
    summary = pipeline.ingest(open_path_source(maildir(tmp_path / "M", [a, b])))
    assert (summary.new, summary.duplicates) == (1, 1)
    assert count(app, Message) == 1


def test_resend_is_version_two_and_first_is_judged(app: App, pipeline: Pipeline,
                                                  tmp_path: Path) -> None:
    box = maildir(tmp_path / "M", [
        report("Báo cáo quý 1 năm 2021", "cdthbode@gmail.com", at(2021, 3, 12, 8), msgid="v1@x"),
        report("Gửi lại báo cáo quý 1 (bổ sung)", "cdthbode@gmail.com", at(2021, 3, 16, 8),
               msgid="v2@x"),
    ])
    pipeline.ingest(open_path_source(box))
    with app.sessions() as s:
        versions = dict(s.execute(select(Message.message_id, Submission.version)
                                  .join(Submission)).all())
    assert versions == {"v1@x": 1, "v2@x": 2}
    rows = {(r.union_code, r.obligation): r for r in
            compliance.load(app.sessions(), SPECS_2021, at(2021, 3, 20))}
    assert rows[("TH12", "report-2021-q1")].status == "on_time"
    assert rows[("TH12", "report-2021-q1")].submissions == 2


def test_broken_stage_quarantines_and_the_rest_goes_on(app: App, directory: None,
                                                       tmp_path: Path) -> None:
    def explode(session, message, doc, subs):  # type: ignore[no-untyped-def]
        if message.message_id == "bad@x":
            raise RuntimeError("boom in a later stage")

    pipe = Pipeline(app.sessions, app.settings, app.calendar, on_credit=[explode])
    box = maildir(tmp_path / "M", [
        report("BC quý I", "cdmnhoasua@gmail.com", at(2021, 3, 1, 8), msgid="bad@x"),
        report("BC quý I", "cdthbode@gmail.com", at(2021, 3, 1, 9), msgid="good@x"),
    ])
    summary = pipe.ingest(open_path_source(box))
    assert (summary.errors, summary.credited) == (1, 1)
    with app.sessions() as s:
        bad = s.scalars(select(Message).where(Message.message_id == "bad@x")).one()
        assert bad.status == "quarantined"
        assert "RuntimeError: boom in a later stage" in (bad.error or "")
        assert "Traceback" in (bad.error or "")
        # the failed transaction left no half-made submission behind
        assert s.scalar(select(func.count()).select_from(Submission)
                        .where(Submission.message_id == bad.id)) == 0


def test_crash_between_store_and_process_is_recovered(app: App, pipeline: Pipeline,
                                                      tmp_path: Path) -> None:
    raw = report("BC quý I", "cdmnhoasua@gmail.com", at(2021, 3, 1, 8), msgid="half@x")
    with app.sessions.begin() as s:  # stage 1 committed, then the process died
        store_fetched(s, FetchedMessage(raw=raw, received_at=None, ref="x", uid=None,
                                        size=len(raw)), "maildir:/test")
    assert statuses(app) == {"half@x": "new"}
    pipeline.ingest(open_path_source(maildir(tmp_path / "M", [raw])))
    assert statuses(app) == {"half@x": "credited"}
    assert count(app, Submission) == 1


def test_triage_assign_teaches_and_reprocess_keeps_decisions(app: App, pipeline: Pipeline,
                                                              tmp_path: Path) -> None:
    box = maildir(tmp_path / "M", [
        report("Báo cáo quý 1", "nguyen.van.a.1980@gmail.com", at(2021, 3, 5, 20),
               body="Gửi anh chị báo cáo.", heading="BÁO CÁO", msgid="unknown1@x"),
        report("Bao cao quy 1 nam 2021", "someone.else@yahoo.com", at(2021, 3, 6, 20),
               body="Gửi báo cáo", heading="BÁO CÁO", msgid="unknown2@x"),
    ])
    pipeline.ingest(open_path_source(box))
    assert statuses(app) == {"unknown1@x": "triaged", "unknown2@x": "triaged"}
    with app.sessions.begin() as s:
        assign(s, "unknown1@x", "DN02", [], app.calendar, actor="tester")
    with app.sessions() as s:
        learned = s.scalars(select(UnionAddress).where(
            UnionAddress.address == "nguyen.van.a.1980@gmail.com")).one()
        assert learned.source == "learned"
        sub = s.scalars(select(Submission)).one()
        assert (sub.obligation_key, sub.decided_by) == ("report-2021-q1", "operator:tester")
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "triage.assign")) == 1
    with app.sessions.begin() as s:
        dismiss(s, "unknown2@x", reason="spam", actor="tester")
    with pytest.raises(TriageError, match="not waiting"), app.sessions.begin() as s:
        dismiss(s, "unknown2@x", actor="tester")
    summary = pipeline.reprocess()
    assert summary.credited == summary.triaged == 0  # both decided by a person: untouched
    assert statuses(app) == {"unknown1@x": "credited", "unknown2@x": "ignored"}
    with app.sessions() as s:
        assert s.scalars(select(Submission)).one().decided_by == "operator:tester"


def test_reprocess_after_directory_change(app: App, pipeline: Pipeline,
                                          tmp_path: Path) -> None:
    box = maildir(tmp_path / "M", [
        report("Báo cáo quý 1 năm 2021", "new.chair@gmail.com", at(2021, 3, 5, 20),
               body="Gửi báo cáo.", msgid="late-dir@x"),
    ])
    pipeline.ingest(open_path_source(box))
    assert statuses(app) == {"late-dir@x": "triaged"}
    csv = tmp_path / "more.csv"
    csv.write_text("code,name,bloc,emails,active\n"
                   "DN09,Công đoàn Công ty TNHH Bao bì Phúc Đồng,dn,new.chair@gmail.com,1\n",
                   "utf-8")
    with app.sessions.begin() as s:
        import_unions(s, csv)
    summary = pipeline.reprocess()
    assert summary.credited == 1
    assert statuses(app) == {"late-dir@x": "credited"}
    assert count(app, TriageItem) == 0


def test_noise_is_ignored_with_reason(app: App, pipeline: Pipeline, tmp_path: Path) -> None:
    auto = build_message(subject="Trả lời tự động: Báo cáo quý 1", from_="cdthbode@gmail.com",
                         to=FED, body="Tôi đang đi công tác.", date=at(2021, 3, 2, 8),
                         headers={"Auto-Submitted": "auto-replied"}, message_id="<auto@x>")
    own = build_message(subject="Nhắc nộp báo cáo quý 1", from_=FED, to="cdthbode@gmail.com",
                        body="Đề nghị các CĐCS nộp báo cáo.", date=at(2021, 3, 2, 9),
                        message_id="<own@x>")
    pipeline.ingest(open_path_source(maildir(tmp_path / "M", [received(auto, at(2021, 3, 2, 8)),
                                                              received(own, at(2021, 3, 2, 9))])))
    with app.sessions() as s:
        got = {m.message_id: (m.status, m.status_reason) for m in s.scalars(select(Message))}
    assert got == {"auto@x": ("ignored", "auto-reply"), "own@x": ("ignored", "own-address")}
    assert count(app, Submission) == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_worker_processes_decide_exactly_as_one_by_one(app: App, directory: None,
                                                       tmp_path: Path) -> None:
    from ingest.sample_inbox import generate, write_maildir

    messages = generate(SAMPLE_DIRECTORY, until=at(2021, 4, 1))
    write_maildir(messages, tmp_path / "inbox")
    outcomes = []
    for workers in (1, 2):
        settings = app.settings.model_copy(update={"ingest": app.settings.ingest.model_copy(
            update={"workers": workers})})
        pipe = Pipeline(app.sessions, settings, app.calendar)
        if workers == 1:
            summary = pipe.ingest(open_path_source(tmp_path / "inbox"))
        else:
            summary = pipe.reprocess()
        with app.sessions() as s:
            outcomes.append(sorted(s.execute(
                select(Message.message_id, Message.status, Message.status_reason)).all()))
            subs = sorted(s.execute(select(Message.message_id, Submission.obligation_key,
                                           Submission.version).join(Submission)).all())
        outcomes.append(subs)
        assert summary.errors == 0 and summary.credited > 30
    assert outcomes[0] == outcomes[2] and outcomes[1] == outcomes[3]


def test_assigned_registration_keeps_its_model_title(app: App, pipeline: Pipeline,
                                                     tmp_path: Path) -> None:
    box = maildir(tmp_path / "M", [
        report("Đăng ký mô hình", "teacher.x@gmail.com", at(2021, 2, 10, 9),
               body="Tên mô hình: \"Vườn rau của bé\"", msgid="dvk-unknown@x"),
    ])
    pipeline.ingest(open_path_source(box))
    assert statuses(app) == {"dvk-unknown@x": "triaged"}
    with app.sessions.begin() as s:
        assign(s, "dvk-unknown@x", "TH02", ["dvk-2021"], app.calendar, actor="tester")
    with app.sessions() as s:
        assert s.scalars(select(Submission)).one().model_title == "Vườn rau của bé"
