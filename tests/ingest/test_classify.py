"""The classifier reads subjects, file names, attachments and bodies as people write them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from config.calendar import build_calendar, load_calendar
from ingest.classify import classify, infer_report_year
from ingest.document import AttachmentDoc, Classification, MessageDoc

OBLIGATIONS = load_calendar()
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

# Received dates a little before each 2021 deadline (local noon).
NEAR: dict[str, datetime] = {
    "q1": datetime(2021, 3, 10, 5, tzinfo=UTC),
    "h1": datetime(2021, 6, 10, 5, tzinfo=UTC),
    "q3": datetime(2021, 9, 10, 5, tzinfo=UTC),
    "y": datetime(2021, 12, 10, 5, tzinfo=UTC),
    "dvk": datetime(2021, 2, 15, 5, tzinfo=UTC),
}
LONG_BODY_REPORT = (
    "Kính gửi: Ban Thường vụ LĐLĐ quận Long Biên.\n"
    "Công đoàn cơ sở trường Mầm non Hoa Sữa báo cáo kết quả thực hiện nhiệm vụ quý I "
    "năm 2021 như sau:\n"
    "1. Công tác tổ chức: tổng số đoàn viên 45 đồng chí, kết nạp mới 2 đoàn viên, đạt chỉ "
    "tiêu đề ra. Ban chấp hành họp định kỳ hằng tháng, triển khai đầy đủ các văn bản.\n"
    "2. Hoạt động chăm lo: tổ chức thăm hỏi 3 đoàn viên ốm đau, tặng quà 8/3 cho toàn thể "
    "nữ đoàn viên, phối hợp với chuyên môn tổ chức các hoạt động thi đua.\n"
    "3. Phương hướng nhiệm vụ quý tiếp theo: tiếp tục thực hiện tốt các nhiệm vụ, đẩy mạnh "
    "phong trào thi đua, phát triển đoàn viên, chăm lo đời sống người lao động.\n"
    "Trên đây là báo cáo kết quả thực hiện của công đoàn cơ sở. Trân trọng."
)


def doc_file(name: str, text: str = "nội dung", heading: str = "") -> AttachmentDoc:
    return AttachmentDoc(
        filename=name, content_type="application/octet-stream", payload=b"%PDF-1.4 data",
        text=text, heading=heading, status="ok",
    )


def message(
    subject: str = "", files: Sequence[AttachmentDoc] | None = None, body: str = "",
    links: Sequence[str] = (),
) -> MessageDoc:
    attachments = [doc_file("baocao.docx")] if files is None else list(files)
    return MessageDoc(
        subject=subject, from_addr="cdcs@example.vn", body_text=body,
        attachments=attachments, links=list(links),
    )


def run(doc: MessageDoc, when: datetime) -> Classification:
    return classify(doc, OBLIGATIONS, when, HANOI)


def keys(result: Classification) -> set[str]:
    return {m.key for m in result.matches}


# ---------------------------------------------------------------- periods


PERIOD_SPELLINGS: list[tuple[str, str]] = [
    # Q1
    ("Báo cáo Q1", "q1"), ("BC Q.1", "q1"), ("BC QI", "q1"), ("Báo cáo Q.I", "q1"),
    ("Báo cáo Quý I", "q1"), ("báo cáo quý 1", "q1"), ("bao cao quy 1", "q1"),
    ("BAO CAO QUY I", "q1"), ("BC quý 01", "q1"), ("BC quý1", "q1"), ("BC Q1/2021", "q1"),
    ("Báo cáo quí I", "q1"), ("Báo cáo 3 tháng đầu năm", "q1"), ("BÁO CÁO QUÝ I/2021", "q1"),
    # Q2 and the 6-month report
    ("Báo cáo quý II", "h1"), ("BC quý 2", "h1"), ("BC Q2", "h1"), ("BC QII", "h1"),
    ("BC 6T", "h1"), ("Báo cáo 6 tháng", "h1"), ("bao cao 6 thang", "h1"),
    ("Báo cáo sơ kết 6 tháng đầu năm", "h1"), ("BC so ket", "h1"), ("BC 06 tháng", "h1"),
    ("Báo cáo sáu tháng đầu năm", "h1"),
    # Q3 and the 9-month report
    ("Báo cáo quý III", "q3"), ("BC quy 3", "q3"), ("BC Q3", "q3"), ("BC Q.III", "q3"),
    ("Báo cáo 9 tháng", "q3"), ("BC 9T", "q3"), ("bao cao 9 thang nam 2021", "q3"),
    # Q4 and the annual report
    ("Báo cáo quý IV", "y"), ("BC quý 4", "y"), ("BC Q4", "y"),
    ("Báo cáo năm 2021", "y"), ("Báo cáo tổng kết năm", "y"), ("bao cao tong ket nam", "y"),
    ("Báo cáo cả năm", "y"), ("BC TK năm 2021", "y"),
]


@pytest.mark.parametrize(("subject", "period"), PERIOD_SPELLINGS)
def test_every_period_spelling(subject: str, period: str) -> None:
    result = run(message(subject), NEAR[period])
    assert result.best is not None, result.reason
    assert result.best.key == f"report-2021-{period}"
    assert keys(result) == {f"report-2021-{period}"}
    assert result.best.confidence >= 0.6
    assert result.is_submission


@pytest.mark.parametrize(
    ("filename", "period"),
    [
        ("BC quy 1 CD truong MN Hoa Sua.docx", "q1"),
        ("BaoCaoQuy1_MNHoaSua.docx", "q1"),
        ("bc_6T_2021.xlsx", "h1"),
        ("Báo cáo sơ kết 6 tháng.pdf", "h1"),
        ("BC-Q3-2021.doc", "q3"),
        ("Tong ket nam 2021.docx", "y"),
    ],
)
def test_period_from_filename_alone(filename: str, period: str) -> None:
    result = run(message("Gửi LĐLĐ quận", [doc_file(filename)]), NEAR[period])
    assert result.best is not None and result.best.key == f"report-2021-{period}"
    assert any(e.source == f"attachment:{filename}" for e in result.best.evidence)


def test_period_from_attachment_heading_and_text() -> None:
    att = doc_file("baocao.docx", text="BÁO CÁO\nKết quả thực hiện nhiệm vụ quý III năm 2021",
                   heading="BÁO CÁO KẾT QUẢ QUÝ III NĂM 2021")
    result = run(message("Gửi báo cáo", [att]), NEAR["q3"])
    assert result.best is not None and result.best.key == "report-2021-q3"


def test_subject_and_filename_together_beat_subject_alone() -> None:
    both = run(message("BC quý 1", [doc_file("BC quy 1.docx")]), NEAR["q1"])
    subject_only = run(message("BC quý 1"), NEAR["q1"])
    assert both.best is not None and subject_only.best is not None
    assert both.best.confidence > subject_only.best.confidence


def test_body_only_mention_is_weaker_than_subject() -> None:
    in_body = run(message("Gửi LĐLĐ", body="Đơn vị gửi báo cáo quý 1."), NEAR["q1"])
    in_subject = run(message("Báo cáo quý 1"), NEAR["q1"])
    assert in_body.best is not None and in_subject.best is not None
    assert in_body.best.key == "report-2021-q1"
    assert in_body.best.confidence < in_subject.best.confidence


def test_evidence_names_the_rule_and_the_source() -> None:
    result = run(message("BC quý 1"), NEAR["q1"])
    assert result.best is not None
    assert any(e.rule == "period:q1" and e.source == "subject" for e in result.best.evidence)
    assert any(e.rule == "submission" for e in result.best.evidence)


def test_bare_year_is_a_weak_annual_cue() -> None:
    """ "Báo cáo kết quả công tác năm 2021" is probably the annual report, but less surely."""
    weak = run(message("Báo cáo kết quả công tác năm 2021"), NEAR["y"])
    strong = run(message("Báo cáo tổng kết năm 2021"), NEAR["y"])
    assert weak.best is not None and weak.best.key == "report-2021-y"
    assert strong.best is not None and weak.best.confidence < strong.best.confidence
    in_quarter = run(message("Báo cáo quý I năm 2021"), NEAR["q1"])
    assert keys(in_quarter) == {"report-2021-q1"}


def test_date_of_writing_is_not_a_period() -> None:
    """ "ngày 6 tháng 3" is a date, not a "6 tháng" report."""
    body = "Long Biên, ngày 6 tháng 3 năm 2021\nSau tháng 3 đơn vị sẽ gửi tiếp."
    result = run(message("Báo cáo quý 1", body=body), NEAR["q1"])
    assert keys(result) == {"report-2021-q1"}
    assert result.reason is None
    dated_only = run(message("Gửi báo cáo", [doc_file("bc.docx", text=body)]), NEAR["q1"])
    assert dated_only.matches == []


@pytest.mark.parametrize(
    ("subject", "received", "key"),
    [
        ("Báo cáo kết quả quý I, phương hướng nhiệm vụ quý II", NEAR["q1"], "report-2021-q1"),
        ("BC sơ kết 6 tháng đầu năm, phương hướng 6 tháng cuối năm", NEAR["h1"],
         "report-2021-h1"),
        ("BC tổng kết công tác năm 2021, phương hướng nhiệm vụ năm 2022",
         datetime(2022, 1, 10, tzinfo=UTC), "report-2021-y"),
    ],
)
def test_next_period_plan_is_not_the_reported_period(
    subject: str, received: datetime, key: str
) -> None:
    result = run(message(subject), received)
    assert keys(result) == {key}
    assert result.reason is None


def test_no_period_no_match() -> None:
    result = run(message("Gửi anh chị tài liệu"), NEAR["q1"])
    assert result.matches == []
    assert result.reason is not None and "no report period" in result.reason


# ---------------------------------------------------------------- prefixes, resends


@pytest.mark.parametrize(
    "prefix",
    ["Re: ", "RE: ", "Fwd: ", "Fw: ", "FW: ", "TL: ", "TL ", "Trả lời: ", "Chuyển tiếp: ",
     "Re: Fwd: TL: ", "[SPAM] "],
)
def test_reply_and_forward_prefixes(prefix: str) -> None:
    result = run(message(prefix + "Báo cáo quý I"), NEAR["q1"])
    assert result.best is not None and result.best.key == "report-2021-q1"


@pytest.mark.parametrize(
    ("subject", "body", "filename"),
    [
        ("Báo cáo quý 1 (bổ sung)", "", "bc.docx"),
        ("Gửi lại báo cáo quý 1", "", "bc.docx"),
        ("gui lai bc quy 1", "", "bc.docx"),
        ("GỬI BỔ SUNG BC QUÝ 1", "", "bc.docx"),
        ("Báo cáo quý 1", "", "BC quy 1 - bo sung.docx"),
        ("Báo cáo quý 1", "Em xin gửi lại báo cáo do bản trước bị lỗi.", "bc.docx"),
        ("Nộp lại BC quý 1", "", "bc.docx"),
    ],
)
def test_resend(subject: str, body: str, filename: str) -> None:
    result = run(message(subject, [doc_file(filename)], body), NEAR["q1"])
    assert result.is_resend
    assert result.best is not None and result.best.key == "report-2021-q1"
    assert any(e.rule == "resend" for e in result.best.evidence)


def test_not_a_resend() -> None:
    att = doc_file("bc.docx", text="Đơn vị đã bổ sung 5 đoàn viên mới trong quý.")
    result = run(message("Báo cáo quý 1", [att]), NEAR["q1"])
    assert not result.is_resend


# ---------------------------------------------------------------- years


@pytest.mark.parametrize(
    ("subject", "received", "key"),
    [
        # inferred: the period whose deadline is nearest
        ("Báo cáo tổng kết năm", datetime(2022, 1, 10, 3, tzinfo=UTC), "report-2021-y"),
        ("Báo cáo quý 1", datetime(2021, 3, 10, 3, tzinfo=UTC), "report-2021-q1"),
        ("Báo cáo quý 1", datetime(2022, 3, 5, 3, tzinfo=UTC), "report-2022-q1"),
        ("Báo cáo quý 1 (muộn)", datetime(2021, 12, 20, 3, tzinfo=UTC), "report-2021-q1"),
        ("BC 6 tháng", datetime(2022, 1, 10, 3, tzinfo=UTC), "report-2022-h1"),
        # written: next to the period, or anywhere in the subject
        ("BC 6 tháng đầu năm 2021", datetime(2022, 1, 10, 3, tzinfo=UTC), "report-2021-h1"),
        ("Báo cáo quý IV năm 2021", datetime(2022, 1, 5, 3, tzinfo=UTC), "report-2021-y"),
        ("Báo cáo quý I/2022", datetime(2022, 4, 1, 3, tzinfo=UTC), "report-2022-q1"),
        ("BC Q1 - 2022 - MN Hoa Sữa", datetime(2022, 3, 1, 3, tzinfo=UTC), "report-2022-q1"),
        ("Báo cáo năm 2021", datetime(2022, 1, 20, 3, tzinfo=UTC), "report-2021-y"),
    ],
)
def test_year_written_or_inferred(subject: str, received: datetime, key: str) -> None:
    result = run(message(subject), received)
    assert result.best is not None, result.reason
    assert result.best.key == key
    assert any(e.rule == "year" for e in result.best.evidence)


def test_year_is_inferred_in_local_time() -> None:
    """17:30 UTC on 31/12/2021 is already 2022 in Hà Nội: an annual report is for 2021."""
    received = datetime(2021, 12, 31, 17, 30, tzinfo=UTC)
    result = run(message("Báo cáo quý 1"), received)
    assert result.best is not None and result.best.key == "report-2022-q1"


def test_date_of_writing_does_not_set_the_year() -> None:
    body = "Long Biên, ngày 05 tháng 01 năm 2022"
    att = doc_file("bc.docx", text=f"CĐCS TRƯỜNG MN HOA SỮA\n{body}\nBÁO CÁO TỔNG KẾT")
    result = run(message("Báo cáo tổng kết năm", [att], body), datetime(2022, 1, 6, tzinfo=UTC))
    assert result.best is not None and result.best.key == "report-2021-y"


def test_school_year_is_not_the_report_year() -> None:
    result = run(
        message("Báo cáo 6 tháng năm học 2021-2022"), datetime(2022, 1, 20, tzinfo=UTC)
    )
    assert result.best is not None and result.best.key == "report-2022-h1"


def test_term_of_office_is_not_the_report_year() -> None:
    att = doc_file("bc.docx", heading="BÁO CÁO QUÝ I - BCH NHIỆM KỲ 2018-2023")
    result = run(message("Báo cáo quý 1", [att]), NEAR["q1"])
    assert result.best is not None and result.best.key == "report-2021-q1"


@pytest.mark.parametrize(
    ("subject", "received", "key"),
    [
        ("Báo cáo quý 1 năm 2023", datetime(2023, 3, 1, tzinfo=UTC), "report-2023-q1"),
        ("Báo cáo quý 1", datetime(2024, 3, 1, tzinfo=UTC), "report-2024-q1"),
        ("BC quý I", datetime(2026, 3, 10, 2, tzinfo=UTC), "report-2026-q1"),
        ("Báo cáo tổng kết năm 2020", datetime(2021, 1, 10, 2, tzinfo=UTC), "report-2020-y"),
        ("Báo cáo tổng kết năm", datetime(2021, 1, 10, 2, tzinfo=UTC), "report-2020-y"),
        ("Báo cáo tổng kết năm 2025", datetime(2025, 12, 20, 2, tzinfo=UTC), "report-2025-y"),
    ],
)
def test_any_year_has_its_reports_with_no_config(subject: str, received: datetime,
                                                 key: str) -> None:
    """The calendar is rules for every year: no "no obligation for y 2026" on a later clock."""
    result = run(message(subject), received)
    assert keys(result) == {key}, result.reason


def test_year_before_the_first_year_gives_no_match() -> None:
    result = run(message("Báo cáo quý 1 năm 2019"), datetime(2019, 3, 1, tzinfo=UTC))
    assert result.matches == []
    assert result.reason is not None and "no obligation for q1 2019" in result.reason


def test_infer_report_year_skips_years_not_begun() -> None:
    assert infer_report_year("q1", OBLIGATIONS, date(2021, 12, 20)) == 2021
    assert infer_report_year("y", OBLIGATIONS, date(2022, 1, 10)) == 2021
    assert infer_report_year("y", OBLIGATIONS, date(2022, 11, 30)) == 2022


# ---------------------------------------------------------------- DVK registration


@pytest.mark.parametrize(
    "subject",
    [
        "Đăng ký mô hình Dân vận khéo",
        "dang ky mo hinh dan van kheo",
        "ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO NĂM 2021",
        "ĐK DVK",
        "DK DVK 2021",
        "Dân Vận Khéo",
        "DVK - CĐ trường MN Hoa Sữa",
        "Re: Fwd: Đăng ký mô hình",
    ],
)
def test_dvk_registration(subject: str) -> None:
    result = run(message(subject), NEAR["dvk"])
    assert result.best is not None and result.best.key == "dvk-2021"
    assert keys(result) == {"dvk-2021"}


def test_dvk_from_filename() -> None:
    result = run(message("Gửi LĐLĐ", [doc_file("DK_DVK_2021.pdf")]), NEAR["dvk"])
    assert result.best is not None and result.best.key == "dvk-2021"


def test_dvk_outside_any_configured_year() -> None:
    result = run(message("Đăng ký mô hình Dân vận khéo"), datetime(2024, 2, 1, tzinfo=UTC))
    assert result.matches == []
    assert result.reason is not None and "dvk" in result.reason


def test_registration_and_report_in_one_message() -> None:
    result = run(
        message("Báo cáo quý 1 và đăng ký mô hình Dân vận khéo"), datetime(2021, 2, 20, tzinfo=UTC)
    )
    assert keys(result) == {"report-2021-q1", "dvk-2021"}
    assert result.reason is None


@pytest.mark.parametrize(
    ("body", "attachment_text", "heading", "title"),
    [
        ("Tên mô hình: “Chung tay xây dựng trường học xanh”. Đơn vị: MN Hoa Sữa", "", "",
         "Chung tay xây dựng trường học xanh"),
        ("Ten mo hinh: Ngay thu bay vi dan\nCam on", "", "", "Ngay thu bay vi dan"),
        ("", "PHIẾU ĐĂNG KÝ\nTÊN MÔ HÌNH: \"Nhà trường thân thiện\"\nNội dung...", "",
         "Nhà trường thân thiện"),
        ("", "1. Tên mô hình (Dân vận khéo):\n  Vườn rau sạch của bé\n2. Nội dung", "",
         "Vườn rau sạch của bé"),
        ("", "", "Mô hình \"Đoàn viên giúp nhau\"", "Đoàn viên giúp nhau"),
        ("", "", "“Xanh – Sạch – Đẹp trường em”", "Xanh – Sạch – Đẹp trường em"),
        ("", "", "PHIẾU ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO", None),
        ("", "", "MÔ HÌNH DÂN VẬN KHÉO NĂM 2021", None),
        ("", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None),
    ],
)
def test_model_title(body: str, attachment_text: str, heading: str, title: str | None) -> None:
    att = doc_file("dk.docx", text=attachment_text, heading=heading)
    result = run(message("Đăng ký mô hình Dân vận khéo", [att], body), NEAR["dvk"])
    assert result.best is not None and result.best.key == "dvk-2021"
    assert result.model_title == title


def test_form_boilerplate_does_not_add_a_report_period() -> None:
    """ "CỘNG HÒA ... VIỆT NAM" contains "năm" once folded: it is not an annual report."""
    att = doc_file("dk.docx", text="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do",
                   heading="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    result = run(message("Đăng ký mô hình Dân vận khéo", [att]), NEAR["dvk"])
    assert keys(result) == {"dvk-2021"}
    assert result.reason is None
    report = run(message("Báo cáo quý 1", [att]), NEAR["q1"])
    assert keys(report) == {"report-2021-q1"} and report.reason is None


def test_model_title_only_for_registrations() -> None:
    result = run(message("Báo cáo quý 1", body="Tên mô hình: Trường học xanh"), NEAR["q1"])
    assert result.model_title is None


# ---------------------------------------------------------------- submissions


def test_report_written_in_body() -> None:
    result = run(message("Báo cáo quý I", files=[], body=LONG_BODY_REPORT), NEAR["q1"])
    assert result.is_submission
    assert result.best is not None and result.best.key == "report-2021-q1"
    assert any(e.detail == "report written in the body" for e in result.best.evidence)


@pytest.mark.parametrize(
    ("links", "body"),
    [
        (["https://drive.google.com/file/d/1AbC/view?usp=sharing"], ""),
        ([], "Link báo cáo: https://docs.google.com/document/d/1XyZ/edit"),
        ([], "Em gửi link: https://onedrive.live.com/?id=ABC123"),
        ([], "https://1drv.ms/w/s!AbCdEf"),
        ([], "Xem tại https://ldl.sharepoint.com/:w:/g/abc"),
        (["https://www.dropbox.com/s/abc/bc.docx?dl=0"], ""),
    ],
)
def test_document_link_counts_as_submission(links: list[str], body: str) -> None:
    result = run(message("Báo cáo quý 1", files=[], body=body, links=links), NEAR["q1"])
    assert result.is_submission
    assert result.best is not None and result.best.key == "report-2021-q1"
    assert any(e.source == "link" for e in result.best.evidence)


def test_other_links_are_not_submissions() -> None:
    result = run(
        message("Báo cáo quý 1", files=[], body="https://www.facebook.com/ldl"), NEAR["q1"]
    )
    assert not result.is_submission


@pytest.mark.parametrize(
    "attachment",
    [
        AttachmentDoc("image001.png", "image/png", b"\x89PNG logo", status="skipped"),
        AttachmentDoc("baocao.docx", "application/msword", b"", status="empty"),
    ],
)
def test_logos_and_empty_files_are_not_submissions(attachment: AttachmentDoc) -> None:
    result = run(message("Báo cáo quý 1", [attachment]), NEAR["q1"])
    assert not result.is_submission
    assert result.best is not None and result.best.confidence < 0.5


def test_scanned_report_image_is_a_submission() -> None:
    scan = AttachmentDoc("BC quy 1.jpg", "image/jpeg", b"\xff\xd8 scan", status="skipped")
    result = run(message("Gửi LĐLĐ", [scan]), NEAR["q1"])
    assert result.is_submission


def test_question_about_the_deadline_is_not_a_submission() -> None:
    question = message(
        "Xin hỏi hạn nộp báo cáo quý 1?", files=[],
        body="Cho em hỏi hạn nộp báo cáo quý 1 là ngày nào ạ?",
    )
    result = run(question, NEAR["q1"])
    assert not result.is_submission
    assert result.best is None or result.best.confidence < 0.3
    assert result.reason is not None and "question" in result.reason
    submitted = run(message("Báo cáo quý 1"), NEAR["q1"])
    assert submitted.best is not None and submitted.best.confidence >= 0.6


def test_mention_without_anything_to_submit_is_lowered() -> None:
    result = run(message("Báo cáo quý 1", files=[], body="Đơn vị sẽ gửi sau."), NEAR["q1"])
    assert not result.is_submission
    assert result.best is not None and result.best.confidence < 0.5
    assert result.reason is not None and "no attachment" in result.reason


# ---------------------------------------------------------------- ambiguity


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("báo cáo quý 1 và quý 2", {"report-2021-q1", "report-2021-h1"}),
        ("BC Q3 + Q4", {"report-2021-q3", "report-2021-y"}),
    ],
)
def test_two_periods_named_equally_is_ambiguous(subject: str, expected: set[str]) -> None:
    result = run(message(subject), datetime(2021, 9, 20, tzinfo=UTC))
    assert keys(result) == expected
    assert all(m.confidence < 0.5 for m in result.matches)
    assert result.reason is not None and "ambiguous" in result.reason


def test_a_weaker_second_period_is_not_ambiguity() -> None:
    att = doc_file("bc.docx", text="Phương hướng nhiệm vụ quý II: ...")
    result = run(message("Báo cáo quý I", [att]), NEAR["q1"])
    assert keys(result) == {"report-2021-q1"}
    assert result.reason is None


# ---------------------------------------------------------------- calendar keywords


def test_calendar_keywords_are_used() -> None:
    """A keyword added in the calendar data is understood without code changes."""
    data = {
        "first_year": 2021,
        "recurring": [{
            "key": "report-{year}-h1", "kind": "report", "period": "h1",
            "title": "BC giữa kỳ", "late_from": {"month": 6, "day": 15},
            "keywords": ["giua ky"],
        }],
    }
    specs = build_calendar(data)
    result = classify(message("Báo cáo giữa kỳ"), specs, NEAR["h1"])
    assert result.best is not None and result.best.key == "report-2021-h1"


def test_dvk_registration_typed_in_the_body_is_a_submission() -> None:
    doc = message("DK DVK 2021", body="Kính gửi LĐLĐ quận.\nTên mô hình: \"Bữa cơm công đoàn\"\n"
                  "Đơn vị: CĐ cơ quan UBND quận")
    result = run(doc, NEAR["dvk"])
    assert result.is_submission and result.model_title == "Bữa cơm công đoàn"
    assert result.best is not None and result.best.key == "dvk-2021"
    assert result.best.confidence >= 0.6
