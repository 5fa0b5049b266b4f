"""Templates render in Vietnamese with real contexts; strictness, overrides, escaping; MIME."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from config.calendar import ObligationSpec
from scheduler.mime import (
    Attachment,
    Envelope,
    build_message,
    guess_content_type,
    new_message_id,
)
from scheduler.render import (
    MAIL_NAMES,
    ArrivedReport,
    BlocFigures,
    DigestContext,
    MissingUnion,
    ObligationDigest,
    ReceiptContext,
    ReceivedMessage,
    ReminderContext,
    ReminderItem,
    RenderedMail,
    RenderError,
    Templates,
    VietnameseFormat,
)
from tests.scheduler.conftest import VN

NOW = datetime(2021, 3, 12, 9, 0, tzinfo=VN)  # Friday, before-2 of the Q1 report
UNION = "CĐCS Trường Mầm non Hoa Sữa"


@pytest.fixture(scope="module")
def templates() -> Templates:
    return Templates()


@pytest.fixture
def reminder(specs: dict[str, ObligationSpec]) -> ReminderContext:
    q1, dvk = specs["report-2021-q1"], specs["dvk-2021"]
    seen = ReceivedMessage("Gửi báo cáo tháng 3", datetime(2021, 3, 10, 1, 15, tzinfo=UTC),
                           ("BC thang 3.docx",))
    return ReminderContext(
        union_code="LB-MN-007",
        union_name=UNION,
        items=(
            ReminderItem(q1.key, q1.title, q1.due_at, overdue=False, received=(seen,)),
            ReminderItem(dvk.key, dvk.title, dvk.due_at, overdue=True),
        ),
        now=NOW,
        stage="before-2",
    )


@pytest.fixture
def receipt(q1: ObligationSpec) -> ReceiptContext:
    return ReceiptContext(
        union_code="LB-MN-007", union_name=UNION, obligation_key=q1.key,
        obligation_title=q1.title, due_at=q1.due_at,
        received_at=datetime(2021, 3, 14, 15, 20, tzinfo=UTC),  # 22:20 Sunday, on time
        on_time=True, subject="V/v gửi báo cáo quý I", attachments=("BC quy I.pdf",),
    )


@pytest.fixture
def digest(specs: dict[str, ObligationSpec]) -> DigestContext:
    q1, h1 = specs["report-2021-q1"], specs["report-2021-h1"]
    now = datetime(2021, 3, 22, 7, 30, tzinfo=VN)
    missing = tuple(MissingUnion(f"DN{i:03}", f"CĐCS Công ty CP số {i:03}", "dn")
                    for i in range(45))
    missing += (MissingUnion("HC001", "CĐCS UBND phường Ngọc Thụy", "hcsn"),)
    return DigestContext(
        generated_at=now,
        period_start=now - timedelta(days=7),
        obligations=(
            ObligationDigest(q1.key, q1.title, q1.due_at, blocs=(
                BlocFigures("hcsn", expected=52, on_time=40, late=11, missing=1),
                BlocFigures("dn", expected=120, on_time=60, late=15, missing=45),
                BlocFigures("th", expected=80, on_time=78, late=2, missing=0),
            ), missing=missing, previous_actual=180),
            ObligationDigest(h1.key, h1.title, h1.due_at, blocs=(
                BlocFigures("hcsn", expected=52, on_time=3, late=0, missing=0, pending=49),
            )),
        ),
        arrived=(ArrivedReport(now - timedelta(days=2), "HC002", "CĐCS Phường Gia Thụy",
                               q1.title, on_time=False, version=2),),
        triage_backlog=12,
        triage_backlog_previous=8,
        triage_oldest_at=now - timedelta(days=9),
        last_fetch_at=now - timedelta(minutes=5),
    )


# -- every template with a real context -----------------------------------------------------


def test_every_mail_renders(templates: Templates, reminder: ReminderContext,
                            receipt: ReceiptContext, digest: DigestContext) -> None:
    templates.check()
    contexts = {"reminder": reminder, "receipt": receipt, "digest": digest}
    assert set(contexts) == set(MAIL_NAMES)
    for name, context in contexts.items():
        mail = templates.render(name, context)
        assert mail.subject.startswith("[LĐLĐ quận Long Biên] ")
        assert "\n" not in mail.subject
        assert mail.text.endswith("\n") and not mail.text.endswith("\n\n")
        assert mail.html.startswith("<!DOCTYPE html>")
        assert '<html lang="vi">' in mail.html


def test_reminder_content(templates: Templates, reminder: ReminderContext) -> None:
    mail = templates.render("reminder", reminder)
    assert mail.subject == ("[LĐLĐ quận Long Biên] Nhắc gửi 2 văn bản còn thiếu "
                            "(1 đã quá hạn)")
    deadline = "trước 00:00 ngày 15/03/2021 (tức hết ngày 14/03/2021, Chủ nhật)"
    for body in (mail.text, mail.html):
        assert f"Kính gửi: {UNION}" in body.replace("<strong>", "").replace("</strong>", "")
        assert "Báo cáo kết quả thực hiện Kế hoạch quý I năm 2021" in body
        assert deadline in body
        assert "còn 3 ngày" in body  # Friday 12, Saturday 13, Sunday 14
        assert "Gửi báo cáo tháng 3" in body and "08:15 ngày 10/03/2021" in body
        assert "BC thang 3.docx" in body
        assert "Trả lời" in body
    assert "ĐÃ QUÁ HẠN 18 ngày" in mail.text
    assert "Mã đơn vị: LB-MN-007" in mail.text


def test_reminder_subject_for_one_item(templates: Templates,
                                       reminder: ReminderContext) -> None:
    upcoming = ReminderContext("LB-MN-007", UNION, reminder.items[:1], NOW)
    assert templates.render("reminder", upcoming).subject == (
        "[LĐLĐ quận Long Biên] Nhắc gửi Báo cáo kết quả thực hiện Kế hoạch quý I năm 2021 "
        "(hạn cuối 14/03/2021)")
    overdue = ReminderContext("LB-MN-007", UNION, reminder.items[1:], NOW)
    mail = templates.render("reminder", overdue)
    assert mail.subject.endswith("(đã quá hạn)")
    assert "chưa nhận được văn bản dưới đây" in mail.text


def test_receipt_on_time_and_late_resend(templates: Templates,
                                         receipt: ReceiptContext) -> None:
    mail = templates.render("receipt", receipt)
    assert "ĐÚNG HẠN" in mail.text and "ĐÚNG HẠN" in mail.html
    assert "22:20 ngày 14/03/2021 (Chủ nhật)" in mail.text
    assert "V/v gửi báo cáo quý I" in mail.text
    assert "trả lời thư này" in mail.text
    late = replace(receipt, on_time=False, version=2,
                   received_at=datetime(2021, 3, 17, 2, 0, tzinfo=UTC),
                   first_received_at=datetime(2021, 3, 16, 2, 0, tzinfo=UTC))
    text = templates.render("receipt", late).text
    assert "NỘP MUỘN 2 ngày" in text  # judged by the first one, 16/03
    assert "lần gửi thứ 2" in text and "09:00 ngày 16/03/2021" in text


def test_digest_content(templates: Templates, digest: DigestContext) -> None:
    mail = templates.render("digest", digest)
    assert "đến 22/03/2021" in mail.subject and "CẢNH BÁO" not in mail.subject
    text = mail.text
    assert "Đã nộp 206/252 (81,7%), đúng hạn 178 (70,6%), chưa nộp 46; " \
           "so với tuần trước: +26" in text
    assert "Khối doanh nghiệp: đã nộp 75/120 (62,5%)" in text
    assert "Khối doanh nghiệp (45):" in text and "và 15 đơn vị khác" in text
    assert "(chưa đến hạn)" in text
    assert "CĐCS Phường Gia Thụy" in text and "(muộn) (gửi lại lần 2)" in text
    assert "THƯ CHỜ PHÂN LOẠI: 12 (so với tuần trước: +4)" in text
    assert "07:25 ngày 22/03/2021" in text  # last fetch
    html = mail.html
    assert "<table" in html and "81,7%" in html and "Doanh nghiệp" in html


def test_digest_warns_when_the_mailbox_was_not_read(templates: Templates,
                                                    digest: DigestContext) -> None:
    stale = replace(digest, last_fetch_at=digest.generated_at - timedelta(days=3))
    mail = templates.render("digest", stale)
    assert "CẢNH BÁO" in mail.subject
    assert "chưa được đọc thành công từ 07:30 ngày 19/03/2021" in mail.text
    never = replace(digest, last_fetch_at=None)
    assert "chưa được đọc lần nào" in templates.render("digest", never).text


def test_html_needs_no_external_css(templates: Templates, reminder: ReminderContext,
                                    receipt: ReceiptContext, digest: DigestContext) -> None:
    for name, context in (("reminder", reminder), ("receipt", receipt), ("digest", digest)):
        html = templates.render(name, context).html.lower()
        assert "<style" not in html and "<link" not in html and "stylesheet" not in html
        assert "class=" not in html  # nothing that would need a stylesheet
        assert 'style="' in html


def test_html_is_escaped_text_and_subject_are_not(templates: Templates,
                                                  reminder: ReminderContext) -> None:
    odd = ReminderContext("X<1>", "CĐCS <Công ty> A & B", reminder.items[:1], NOW)
    mail = templates.render("reminder", odd)
    assert "CĐCS &lt;Công ty&gt; A &amp; B" in mail.html
    assert "<Công ty>" not in mail.html
    assert "Kính gửi: CĐCS <Công ty> A & B" in mail.text


# -- strictness and overrides ---------------------------------------------------------------


def test_unknown_variable_is_an_error_naming_file_and_line(
        tmp_path: Path, reminder: ReminderContext) -> None:
    (tmp_path / "reminder.txt.j2").write_text("Kính gửi: {{ union_name }}\n{{ union_nmae }}\n",
                                              "utf-8")
    with pytest.raises(RenderError, match=r"reminder\.txt\.j2 .*line 2.*union_nmae"):
        Templates(tmp_path).render("reminder", reminder)


def test_unknown_attribute_is_an_error(tmp_path: Path, reminder: ReminderContext) -> None:
    (tmp_path / "reminder.subject.j2").write_text("{{ items[0].titel }}", "utf-8")
    with pytest.raises(RenderError, match="titel"):
        Templates(tmp_path).render("reminder", reminder)


def test_override_directory_wins_file_by_file(tmp_path: Path,
                                              reminder: ReminderContext) -> None:
    (tmp_path / "reminder.subject.j2").write_text("Nhắc {{ union_code }}", "utf-8")
    templates = Templates(tmp_path)
    mail = templates.render("reminder", reminder)
    assert mail.subject == "Nhắc LB-MN-007"
    assert "Cách gửi" in mail.text  # the other parts are still the packaged ones
    assert templates.origin("reminder.subject.j2") == str(tmp_path / "reminder.subject.j2")
    assert templates.origin("reminder.txt.j2") == "packaged"


def test_syntax_error_is_found_by_check(tmp_path: Path) -> None:
    (tmp_path / "digest.html.j2").write_text("<p>\n{% if x %}\n</p>\n", "utf-8")
    with pytest.raises(RenderError, match=r"digest\.html\.j2 .*line \d+"):
        Templates(tmp_path).check()


def test_empty_subject_is_refused(tmp_path: Path, reminder: ReminderContext) -> None:
    (tmp_path / "reminder.subject.j2").write_text("{# nothing #}\n  \n", "utf-8")
    with pytest.raises(RenderError, match="empty subject"):
        Templates(tmp_path).render("reminder", reminder)


def test_missing_override_directory_and_template(tmp_path: Path,
                                                 reminder: ReminderContext) -> None:
    with pytest.raises(RenderError, match="does not exist"):
        Templates(tmp_path / "nope")
    with pytest.raises(RenderError, match="notice.subject.j2 not found"):
        Templates().render("notice", reminder)


def test_naive_datetime_in_a_context_is_an_error(templates: Templates,
                                                 reminder: ReminderContext) -> None:
    naive = ReminderContext("X", UNION, reminder.items, datetime(2021, 3, 12, 9, 0))
    with pytest.raises(RenderError, match="naive datetime"):
        templates.render("reminder", naive)


# -- Vietnamese formats ---------------------------------------------------------------------


def test_vietnamese_formats() -> None:
    fmt = VietnameseFormat(VN)
    due = datetime(2021, 3, 14, 17, 0, tzinfo=UTC)  # 00:00 on 15/03 in Hà Nội
    assert fmt.deadline(due) == "trước 00:00 ngày 15/03/2021 (tức hết ngày 14/03/2021, Chủ nhật)"
    assert fmt.deadline(datetime(2021, 3, 15, 17, 0, tzinfo=VN)) == "trước 17:00 ngày 15/03/2021"
    assert fmt.days_left(due, datetime(2021, 3, 14, 23, 0, tzinfo=VN)) == 1
    assert fmt.days_left(due, datetime(2021, 3, 15, 8, 0, tzinfo=VN)) == 0
    assert fmt.days_late(due, datetime(2021, 3, 15, 0, 5, tzinfo=VN)) == 1
    assert fmt.weekday(datetime(2021, 3, 15, 8, 0, tzinfo=VN)) == "Thứ Hai"
    assert fmt.percent(0.8529) == "85,3%" and fmt.percent(None) == "—"
    assert fmt.percent(1.0) == "100,0%"
    assert (fmt.signed(3), fmt.signed(-2), fmt.signed(0), fmt.signed(None)) == \
        ("+3", "−2", "0", "—")


def test_bloc_figures_follow_dhis2() -> None:
    figures = BlocFigures("th", expected=80, on_time=60, late=10, missing=10)
    assert figures.actual == 70
    assert figures.reporting_rate == pytest.approx(0.875)
    assert figures.on_time_rate == pytest.approx(0.75)
    assert BlocFigures("th", 0, 0, 0, 0).reporting_rate is None


# -- the MIME message -----------------------------------------------------------------------

SENDER = "ldllongbien@gmail.com"


def _build(mail: RenderedMail, message_id: str, **kwargs: object) -> bytes:
    envelope = Envelope(SENDER, "LĐLĐ quận Long Biên", ["mn.hoasua@gmail.com", "hs@edu.vn"],
                        SENDER, recipient_name=UNION)
    return build_message(envelope, mail, message_id=message_id, date=NOW,
                         dedup_key="remind:LB-MN-007:report-2021-q1:before-2",
                         **kwargs)  # type: ignore[arg-type]


def _parse(data: bytes) -> EmailMessage:
    parsed = message_from_bytes(data, policy=email_policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_message_headers_and_alternative_parts(templates: Templates,
                                               reminder: ReminderContext) -> None:
    mail = templates.render("reminder", reminder)
    message_id = new_message_id(SENDER)
    assert message_id.startswith("<") and message_id.endswith("@gmail.com>")
    data = _build(mail, message_id)
    assert data.isascii()  # no 8BITMIME / SMTPUTF8 needed
    msg = _parse(data)
    assert msg["From"] == f"LĐLĐ quận Long Biên <{SENDER}>"
    assert msg["To"].addresses[0].display_name == UNION
    assert [a.addr_spec for a in msg["To"].addresses] == ["mn.hoasua@gmail.com", "hs@edu.vn"]
    assert msg["Reply-To"].addresses[0].addr_spec == SENDER
    assert msg["Subject"] == mail.subject
    assert msg["Message-ID"] == message_id
    assert msg["Date"].datetime == NOW
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["X-LDL-Dedup-Key"] == "remind:LB-MN-007:report-2021-q1:before-2"
    assert msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content().replace("\r\n", "\n") == mail.text
    assert "Kính gửi" in html.get_content()


def test_attachment_and_reply_headers(templates: Templates, receipt: ReceiptContext) -> None:
    mail = templates.render("receipt", receipt)
    xlsx = Attachment("tong-hop-2021-03-22.xlsx", b"PK\x03\x04 not really a workbook")
    data = _build(mail, new_message_id(SENDER), in_reply_to="<abc@mail.gmail.com>",
                  references=["<root@x.vn>"], attachments=[xlsx])
    msg = _parse(data)
    assert msg.get_content_type() == "multipart/mixed"
    assert msg["In-Reply-To"] == "<abc@mail.gmail.com>"
    assert msg["References"] == "<root@x.vn> <abc@mail.gmail.com>"
    (part,) = list(msg.iter_attachments())
    assert part.get_content_type() == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert part.get_filename() == "tong-hop-2021-03-22.xlsx"
    assert part.get_content() == xlsx.data
    assert msg.get_body(("html",)) is not None


def test_rebuilding_with_the_stored_message_id_gives_the_same_id(
        templates: Templates, reminder: ReminderContext) -> None:
    mail = templates.render("reminder", reminder)
    stored = new_message_id(SENDER)
    first, second = _parse(_build(mail, stored)), _parse(_build(mail, stored))
    assert first["Message-ID"] == second["Message-ID"] == stored
    assert first["Date"] == second["Date"]
    assert new_message_id(SENDER) != stored  # a new message gets a new one


@pytest.mark.parametrize("bad", ["", "no-at-sign", "a@b.vn\r\nBcc: x@y.z", "tên@miền.vn"])
def test_bad_addresses_are_refused(templates: Templates, reminder: ReminderContext,
                                   bad: str) -> None:
    mail = templates.render("reminder", reminder)
    envelope = Envelope(SENDER, "LĐLĐ", [bad], SENDER)
    with pytest.raises(ValueError):
        build_message(envelope, mail, message_id=new_message_id(SENDER), date=NOW,
                      dedup_key="k")


def test_naive_date_and_empty_recipients_are_refused(templates: Templates,
                                                     reminder: ReminderContext) -> None:
    mail = templates.render("reminder", reminder)
    with pytest.raises(ValueError, match="aware"):
        build_message(Envelope(SENDER, "", ["a@b.vn"], SENDER), mail, message_id="<x@y>",
                      date=datetime(2021, 3, 12), dedup_key="k")
    with pytest.raises(ValueError, match="recipient"):
        build_message(Envelope(SENDER, "", [], SENDER), mail, message_id="<x@y>", date=NOW,
                      dedup_key="k")


def test_content_type_guesses() -> None:
    assert guess_content_type("a.XLSX").endswith("spreadsheetml.sheet")
    assert guess_content_type("bc.pdf") == "application/pdf"
    assert guess_content_type("noext") == "application/octet-stream"
    assert guess_content_type("x.tar.gz") == "application/octet-stream"
