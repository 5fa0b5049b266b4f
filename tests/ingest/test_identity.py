"""A message is its bytes; a Message-ID names the same message only with the same sender and
date.  Two different messages that share a Message-ID are both kept and the clash recorded,
read from a Maildir and over IMAP (Dovecot): no UID is passed over without its message.
"""

from __future__ import annotations

import mailbox
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from ingest.pipeline import Pipeline
from ingest.sources.files import open_path_source
from ingest.sources.imap import ImapSource
from ingest.store import identity_of, same_sender_and_date
from ingest.triage import TriageError, find_message
from ldl.app import App
from storage.directory import import_unions
from storage.models import AuditEvent, MailboxState, Message
from tests.conftest import SAMPLE_DIRECTORY, Ldl
from tests.ingest.builders import DOCX, build_message, make_docx
from tests.ingest.conftest import PASSWORD, Mailbox

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
WHEN = datetime(2021, 3, 10, 9, 0, tzinfo=HCM)


def report(sender: str, when: datetime | None, msgid: str = "<reused@mail.local>",
           note: str = "") -> bytes:
    raw = build_message(subject=f"Báo cáo quý I năm 2021 {note}".strip(), from_=sender,
                        body=f"Kính gửi LĐLĐ quận. {note}",
                        date=when or WHEN, message_id=msgid,
                        attachments=[("BC.docx", make_docx(["BÁO CÁO", note]), DOCX)])
    if when is None:  # a client that sends no Date header
        raw = b"\r\n".join(line for line in raw.split(b"\r\n") if not line.startswith(b"Date:"))
    return raw


# (the first message, the second, whether the second is the same message)
CASES = {
    "other sender": (report("cdmnhoasua@gmail.com", WHEN),
                     report("cdthngoclam@gmail.com", WHEN, note="TH03"), False),
    "other date": (report("cdmnhoasua@gmail.com", WHEN),
                   report("cdmnhoasua@gmail.com", datetime(2021, 6, 10, 9, tzinfo=HCM),
                          note="6 thang"), False),
    "no date": (report("cdmnhoasua@gmail.com", None),
                report("cdmnhoasua@gmail.com", None, note="lan 2"), False),
    "re-delivered": (report("cdmnhoasua@gmail.com", WHEN),
                     b"X-Gmail-Labels: Inbox\r\n" + report("cdmnhoasua@gmail.com", WHEN),
                     True),
}


def test_sender_and_date_rule() -> None:
    from email.parser import BytesHeaderParser

    def ident(raw: bytes) -> tuple[str, datetime | None]:
        return identity_of(BytesHeaderParser().parsebytes(raw))

    a, b, same = CASES["other date"]
    assert not same_sender_and_date(ident(a), ident(b))
    a, b, same = CASES["re-delivered"]
    assert same_sender_and_date(ident(a), ident(b))
    # the same instant written in another zone is the same date
    utc = a.replace(b"+0700", b"+0000").replace(b"09:00:00", b"02:00:00")
    assert same_sender_and_date(ident(a), ident(utc))


def check_kept(app: App, same: bool) -> None:
    with app.sessions() as s:
        messages = s.scalars(select(Message).order_by(Message.id)).all()
        clashes = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "ingest.message_id_clash")).all()
    if same:
        assert len(messages) == 1 and not clashes
        return
    assert len(messages) == 2, "the second message with the same Message-ID was lost"
    assert [m.message_id for m in messages] == ["reused@mail.local"] * 2
    assert messages[1].message_id_clash_of == messages[0].id
    assert [c.details["message"] for c in clashes] == [messages[1].id]
    assert {m.status for m in messages} <= {"credited", "triaged"}


@pytest.mark.parametrize("case", list(CASES))
def test_maildir_keeps_two_messages_with_one_message_id(app: App, tmp_path: Path,
                                                        case: str) -> None:
    first, second, same = CASES[case]
    with app.sessions.begin() as s:
        import_unions(s, SAMPLE_DIRECTORY)
    box = mailbox.Maildir(tmp_path / "M", create=True)
    box.add(first)
    box.add(second)
    pipeline = Pipeline(app.sessions, app.settings, app.calendar)
    summary = pipeline.ingest(open_path_source(tmp_path / "M"))
    assert (summary.new, summary.duplicates) == ((1, 1) if same else (2, 0))
    check_kept(app, same)
    again = pipeline.ingest(open_path_source(tmp_path / "M"))
    assert (again.new, again.duplicates) == (0, 2)  # the bytes: stored once, whatever the ID


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
@pytest.mark.parametrize("case", ["other sender", "re-delivered"])
def test_imap_fetches_every_uid_and_keeps_both(app: App, mailbox: Mailbox, case: str) -> None:
    first, second, same = CASES[case]
    with app.sessions.begin() as s:
        import_unions(s, SAMPLE_DIRECTORY)
    pipeline = Pipeline(app.sessions, app.settings, app.calendar)
    mailbox.append(first, when=WHEN)
    source = ImapSource(mailbox.settings(), password=PASSWORD)
    try:
        assert pipeline.ingest(source).new == 1
    finally:
        source.close()
    uid = mailbox.append(second, when=WHEN)  # arrives later, in a later poll
    source = ImapSource(mailbox.settings(), password=PASSWORD)
    try:
        summary = pipeline.ingest(source)
    finally:
        source.close()
    assert summary.fetched == 1, "the second UID must be fetched, not skipped"
    assert (summary.new, summary.duplicates) == ((0, 1) if same else (1, 0))
    check_kept(app, same)
    with app.sessions() as s:
        assert s.scalars(select(MailboxState)).one().last_uid == uid
        if not same:
            ref = s.scalars(select(Message.source_ref).order_by(Message.id.desc())).first()
            assert ref == str(uid)


def test_triage_asks_which_message_when_a_message_id_is_shared(app: App, ldl: Ldl,
                                                               tmp_path: Path) -> None:
    first, second, _ = CASES["other sender"]
    box = mailbox.Maildir(tmp_path / "M", create=True)
    box.add(first)
    box.add(second)
    Pipeline(app.sessions, app.settings, app.calendar).ingest(open_path_source(tmp_path / "M"))
    with app.sessions() as s:
        ids = list(s.scalars(select(Message.id).order_by(Message.id)))
        with pytest.raises(TriageError, match="name the one you mean by its number"):
            find_message(s, "<reused@mail.local>")
        assert find_message(s, str(ids[1])).id == ids[1]
        assert s.scalar(select(func.count()).select_from(Message)) == 2
    shown = ldl("triage", "show", str(ids[1])).output
    assert f"the Message-ID of message {ids[0]} too, a different message" in shown
