"""Attribution: by verified address, by forwarded original sender, else by name."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ingest.attribute import attribute, auth_verdict, forwarded_senders
from ingest.document import AttachmentDoc, Attribution, MessageDoc, UnionEntry
from ingest.names import Vocabulary, canonical_segments, find_name, name_parts, segments

DIRECTORY: tuple[UnionEntry, ...] = (
    UnionEntry("TH-NL", "CĐCS Trường Tiểu học Ngọc Lâm", "th", ("thngoclam@gmail.com",)),
    UnionEntry("THCS-NL", "CĐCS Trường THCS Ngọc Lâm", "th", ("thcsngoclam@gmail.com",)),
    UnionEntry("MN-NL", "CĐCS Trường Mầm non Ngọc Lâm", "th", ("mnngoclam@gmail.com",)),
    UnionEntry("MN-HS", "CĐCS Trường Mầm non Hoa Sữa", "th", ("mnhoasua@gmail.com",),
               aliases=("MN Hoa Sữa", "Trường Hoa Sữa")),
    UnionEntry("UB-NL", "CĐCS UBND phường Ngọc Lâm", "hcsn", ("ubndngoclam@hanoi.gov.vn",)),
    UnionEntry("CT-ABC", "CĐCS Công ty cổ phần Xây dựng ABC", "dn", ("ketoan@abc.vn",),
               active=False),
    UnionEntry("MN-TT", "CĐCS Trường Mầm non Thạch Bàn", "th", ("chung@gmail.com",)),
    UnionEntry("TH-TB", "CĐCS Trường Tiểu học Thạch Bàn", "th", ("chung@gmail.com",)),
)
FEDERATION = ("ldllongbien@gmail.com", "vanthu.ldl@gmail.com")
STRANGER = "nguyenvana1980@yahoo.com"


def msg(
    subject: str = "Báo cáo quý 1", from_addr: str = STRANGER, body: str = "",
    from_name: str = "", attachments: Sequence[AttachmentDoc] = (),
    auth: str | None = None,
) -> MessageDoc:
    headers = {"authentication-results": [auth]} if auth is not None else {}
    return MessageDoc(
        subject=subject, from_addr=from_addr, from_name=from_name, body_text=body,
        attachments=list(attachments), headers=headers,
    )


def run(doc: MessageDoc, directory: Sequence[UnionEntry] = DIRECTORY) -> Attribution:
    return attribute(doc, directory, FEDERATION)


PASS = "mx.google.com; dkim=pass header.i=@gmail.com; spf=pass; dmarc=pass header.from=gmail.com"


# ---------------------------------------------------------------- by address


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("thngoclam@gmail.com", "TH-NL"),
        ("THNgocLam@Gmail.com", "TH-NL"),
        ("  mnngoclam@gmail.com ", "MN-NL"),
        ("ubndngoclam@hanoi.gov.vn", "UB-NL"),
    ],
)
def test_sender_address_in_directory(address: str, code: str) -> None:
    result = run(msg(from_addr=address, auth=PASS))
    assert result.union_code == code
    assert result.confidence == 1.0
    assert result.reason is None
    assert any(e.rule == "sender-address" for e in result.evidence)


def test_address_and_a_subject_naming_another_union_ask_a_person() -> None:
    """The address says TH Ngọc Lâm, the subject THCS Ngọc Lâm: a relayed report or a slip."""
    result = run(msg("BC quý 1 THCS Ngọc Lâm", from_addr="thngoclam@gmail.com", auth=PASS))
    assert result.union_code is None and result.reason == "ambiguous"
    assert {c for c, _ in result.candidates} == {"TH-NL", "THCS-NL"}


def test_address_and_a_subject_naming_the_same_union() -> None:
    result = run(msg("BC quý 1 TH Ngọc Lâm", from_addr="thngoclam@gmail.com", auth=PASS))
    assert result.union_code == "TH-NL"


def test_a_forward_of_another_unions_report_credits_the_report_s_union() -> None:
    body = ("Chuyển giúp trường MN Ngọc Lâm ạ.\n\n---------- Forwarded message ---------\n"
            "From: Hiệu trưởng <hieutruong.mn@gmail.com>\nSubject: BC quý 1\n")
    result = run(msg("Fwd: BC quý 1 - CĐ Trường MN Ngọc Lâm", from_addr="thngoclam@gmail.com",
                     body=body, auth=PASS))
    assert result.union_code == "MN-NL"
    assert any(e.rule == "relayed" for e in result.evidence)


def test_address_without_authentication_results_is_slightly_less_sure() -> None:
    result = run(msg(from_addr="thngoclam@gmail.com"))
    assert result.union_code == "TH-NL"
    assert 0.9 <= result.confidence < 1.0


@pytest.mark.parametrize(
    "auth",
    [
        "mx.google.com; spf=softfail smtp.mailfrom=x; dmarc=fail (p=NONE) header.from=gmail.com",
        "mx.google.com; dkim=fail header.i=@gmail.com; spf=neutral",
        "mx.google.com; DKIM=FAIL header.i=@gmail.com; DMARC=FAIL",
        # DKIM passes for the forger's own domain: DMARC (alignment with From) decides
        "mx.google.com; dkim=pass header.i=@evil.example; dmarc=fail header.from=gmail.com",
    ],
)
def test_address_with_failed_authentication_is_not_credited(auth: str) -> None:
    result = run(msg(from_addr="thngoclam@gmail.com", auth=auth))
    assert result.union_code is None
    assert result.reason == "auth-failed"
    assert result.candidates == [("TH-NL", 1.0)]


@pytest.mark.parametrize(
    ("auth", "status"),
    [
        (PASS, "pass"),
        ("mx; dkim=fail header.i=@a; dkim=pass header.i=@gmail.com", "pass"),
        ("mx; dkim=fail header.i=@gmail.com; dmarc=pass", "pass"),
        ("mx; dkim=pass header.i=@gmail.com; dmarc=fail", "fail"),
        ("mx; dkim=fail", "fail"),
        ("mx; spf=pass", "none"),
        ("", "none"),
    ],
)
def test_auth_verdict(auth: str, status: str) -> None:
    assert auth_verdict(msg(auth=auth)).status == status


def test_inactive_union_still_matches_and_is_noted() -> None:
    result = run(msg(from_addr="ketoan@abc.vn", auth=PASS))
    assert result.union_code == "CT-ABC"
    assert any(e.rule == "inactive" for e in result.evidence)


def test_shared_address_told_apart_by_name() -> None:
    result = run(msg("BC quý 1 trường TH Thạch Bàn", from_addr="chung@gmail.com", auth=PASS))
    assert result.union_code == "TH-TB"
    assert result.confidence < 1.0


def test_shared_address_without_name_is_ambiguous() -> None:
    result = run(msg("BC quý 1", from_addr="chung@gmail.com", auth=PASS))
    assert result.union_code is None
    assert result.reason == "ambiguous"
    assert {c for c, _ in result.candidates} == {"MN-TT", "TH-TB"}


# ---------------------------------------------------------------- forwarded mail


GMAIL_FORWARD = (
    "Chuyển anh chị báo cáo.\n\n---------- Forwarded message ---------\n"
    "From: CĐ TH Ngọc Lâm <thngoclam@gmail.com>\nDate: Mon, 15 Mar 2021 at 09:00\n"
    "Subject: Báo cáo quý 1\nTo: <vanthu.ldl@gmail.com>\n\nKính gửi LĐLĐ..."
)
GMAIL_FORWARD_VI = (
    "---------- Thư đã chuyển tiếp ---------\nTừ: Trường Mầm non Ngọc Lâm "
    "<mnngoclam@gmail.com>\nDate: Th 2, 15 thg 3, 2021\nSubject: BC quý 1\n"
)
OUTLOOK_FORWARD = (
    "-----Original Message-----\nFrom: Ke toan ABC [mailto:ketoan@abc.vn]\n"
    "Sent: Monday, March 15, 2021 9:00 AM\nTo: vanthu.ldl@gmail.com\nSubject: BC quy 1\n"
)
CHUYEN_TIEP = "Chuyển tiếp\nFrom: \"UBND P. Ngọc Lâm\" <UBNDNgocLam@hanoi.gov.vn>\nNội dung"


@pytest.mark.parametrize(
    ("subject", "body", "forwarder", "code", "confidence"),
    [
        ("Fwd: Báo cáo quý 1", GMAIL_FORWARD, "vanthu.ldl@gmail.com", "TH-NL", 0.9),
        ("Báo cáo quý 1", GMAIL_FORWARD, "vanthu.ldl@gmail.com", "TH-NL", 0.9),
        ("Chuyển tiếp: BC quý 1", GMAIL_FORWARD_VI, "ldllongbien@gmail.com", "MN-NL", 0.9),
        ("FW: BC quy 1", OUTLOOK_FORWARD, "vanthu.ldl@gmail.com", "CT-ABC", 0.9),
        ("BC quý 1", CHUYEN_TIEP, "vanthu.ldl@gmail.com", "UB-NL", 0.9),
        ("Fwd: Báo cáo quý 1", GMAIL_FORWARD, STRANGER, "TH-NL", 0.8),
    ],
)
def test_forwarded_mail_credits_the_original_sender(
    subject: str, body: str, forwarder: str, code: str, confidence: float
) -> None:
    result = run(msg(subject, from_addr=forwarder, body=body, auth=PASS))
    assert result.union_code == code
    assert result.confidence == confidence
    assert any(e.rule == "forwarded-address" for e in result.evidence)


def test_forward_by_one_union_of_another_named_union_credits_the_original() -> None:
    body = "Văn thư phường chuyển báo cáo của CĐ Trường Tiểu học Ngọc Lâm.\n\n" + GMAIL_FORWARD
    result = run(msg("Fwd: BC quý 1", from_addr="ubndngoclam@hanoi.gov.vn", body=body,
                     auth=PASS))
    assert result.union_code == "TH-NL"
    assert any(e.rule == "relayed" for e in result.evidence)


def test_forward_by_one_union_of_another_unnamed_union_is_ambiguous() -> None:
    body = GMAIL_FORWARD.replace("CĐ TH Ngọc Lâm", "Văn thư")
    result = run(msg("Fwd: BC quý 1", from_addr="mnhoasua@gmail.com", body=body, auth=PASS))
    assert result.union_code is None and result.reason == "ambiguous"
    assert {c for c, _ in result.candidates} == {"TH-NL", "MN-HS"}


def test_union_forwarding_its_own_earlier_mail_is_its_own() -> None:
    body = GMAIL_FORWARD.replace("thngoclam@gmail.com", "mnngoclam@gmail.com")
    result = run(msg("Fwd: BC quý 1", from_addr="mnngoclam@gmail.com", body=body, auth=PASS))
    assert result.union_code == "MN-NL" and result.confidence == 1.0


def test_forward_with_failed_authentication_is_not_credited() -> None:
    result = run(msg("Fwd: BC", from_addr=STRANGER, body=GMAIL_FORWARD,
                     auth="mx; dmarc=fail header.from=yahoo.com"))
    assert result.union_code is None and result.reason == "auth-failed"


def test_from_line_outside_a_forward_is_not_an_address_match() -> None:
    body = "Ghi chú\nFrom: thngoclam@gmail.com\n"
    result = run(msg("Báo cáo quý 1", body=body))
    assert result.union_code is None
    assert result.reason == "unknown-sender"


def test_forwarded_senders_lists_outermost_first() -> None:
    body = GMAIL_FORWARD + "\n" + OUTLOOK_FORWARD
    assert forwarded_senders(msg(body=body)) == ["thngoclam@gmail.com", "ketoan@abc.vn"]


# ---------------------------------------------------------------- by name


@pytest.mark.parametrize(
    ("subject", "code"),
    [
        ("BC quý 1 CĐ trường TH Ngọc Lâm", "TH-NL"),
        ("BC quý 1 Trường Tiểu học Ngọc Lâm", "TH-NL"),
        ("bc quy 1 truong tieu hoc ngoc lam", "TH-NL"),
        ("BÁO CÁO QUÝ 1 - CĐCS TIỂU HỌC NGỌC LÂM", "TH-NL"),
        ("BC quý 1 trường THCS Ngọc Lâm", "THCS-NL"),
        ("BC quý 1 trường Trung học cơ sở Ngọc Lâm", "THCS-NL"),
        ("BC quy 1 THCS Ngoc Lam", "THCS-NL"),
        ("BC quý 1 trường MN Ngọc Lâm", "MN-NL"),
        ("BC quý 1 Mầm non Ngọc Lâm", "MN-NL"),
        ("bc quy 1 mam non ngoc lam", "MN-NL"),
        ("BC quý 1 UBND P. Ngọc Lâm", "UB-NL"),
        ("BC quý 1 MN Hoa Sữa", "MN-HS"),
        ("BC quý 1 Trường Hoa Sữa", "MN-HS"),  # alias
        ("BC quy 1 Cty CP XD ABC", "CT-ABC"),
        ("Re: Fwd: BC quý 1 CĐ trường TH Ngọc Lâm", "TH-NL"),
        ("BC quý 1 trường TH Ngoc Lam", "TH-NL"),
        ("BC quý 1 trường Tiểu hoc Ngọc Lâmm", "TH-NL"),  # typo
        ("BC quý 1 Công ty Xây dựng ABC", "CT-ABC"),  # "cổ phần" missing
    ],
)
def test_name_in_subject(subject: str, code: str) -> None:
    result = run(msg(subject))
    assert result.union_code == code, result.candidates
    assert 0.5 < result.confidence <= 0.85
    assert any(e.rule == "name" for e in result.evidence)


@pytest.mark.parametrize(
    ("text", "code"),
    [("CĐ trường TH Ngọc Lâm", "TH-NL"), ("THCS Ngọc Lâm", "THCS-NL"),
     ("MN Ngọc Lâm", "MN-NL")],
)
def test_school_levels_are_part_of_the_match(text: str, code: str) -> None:
    result = run(msg(f"Báo cáo {text}"))
    assert result.union_code == code
    others = [c for c, s in result.candidates if c != code]
    assert all(s < 0.8 for c, s in result.candidates if c in others)


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("Tiểu học Ngọc Lâm", 100.0),
        ("TH Ngoc Lam", 100.0),
        ("Mầm non Ngọc Lâm", 0.0),
        ("Trường Ngọc Lâm", 0.0),
        ("THCS Ngọc Lâm", 0.0),
    ],
)
def test_school_level_must_be_in_the_match(text: str, score: float) -> None:
    name = "Trường Tiểu học Ngọc Lâm"
    vocab = Vocabulary([name, "Trường Mầm non Ngọc Lâm", "Trường THCS Ngọc Lâm"])
    segs = segments(text)
    found = find_name(name_parts(name), segs, canonical_segments(segs, vocab), vocab)
    got = found.score * 100 if found else 0.0
    assert (got >= 90.0) == (score == 100.0)


@pytest.mark.parametrize(
    ("where", "code"),
    [
        ("signature", "TH-NL"),
        ("body", "THCS-NL"),
        ("heading", "MN-NL"),
        ("attachment", "UB-NL"),
        ("filename", "MN-HS"),
        ("from-name", "TH-NL"),
    ],
)
def test_name_in_other_places(where: str, code: str) -> None:
    names = {"TH-NL": "CĐ Trường TH Ngọc Lâm", "THCS-NL": "trường THCS Ngọc Lâm",
             "MN-NL": "CÔNG ĐOÀN TRƯỜNG MẦM NON NGỌC LÂM", "UB-NL": "CĐCS UBND phường Ngọc Lâm",
             "MN-HS": "BC_quy1_MNHoaSua"}
    name = names[code]
    body, from_name, atts = "", "", []
    if where == "signature":
        body = f"Kính gửi LĐLĐ quận.\nĐơn vị gửi báo cáo.\n\nTrân trọng,\nNguyễn Thị Lan\n{name}"
    elif where == "body":
        body = f"Kính gửi LĐLĐ quận Long Biên.\nCông đoàn {name} xin gửi báo cáo quý 1."
    elif where == "heading":
        atts = [AttachmentDoc("bc.docx", "application/msword", b"x", heading=name)]
    elif where == "attachment":
        text = f"LĐLĐ QUẬN LONG BIÊN\n{name}\nBÁO CÁO\nKết quả quý I"
        atts = [AttachmentDoc("bc.docx", "application/msword", b"x", text=text)]
    elif where == "filename":
        atts = [AttachmentDoc(f"{name}.docx", "application/msword", b"x")]
    else:
        from_name = name
    result = run(msg("Báo cáo quý 1", body=body, from_name=from_name, attachments=atts))
    assert result.union_code == code, result.candidates


def test_subject_name_outweighs_a_body_mention() -> None:
    body = "Trong quý đơn vị phối hợp với trường THCS Ngọc Lâm tổ chức giao lưu."
    result = run(msg("BC quý 1 trường TH Ngọc Lâm", body=body))
    assert result.union_code == "TH-NL"


@pytest.mark.parametrize(
    "subject",
    ["BC quý 1 của TH Ngọc Lâm và THCS Ngọc Lâm", "Báo cáo TH Ngọc Lâm, MN Ngọc Lâm"],
)
def test_two_unions_named_is_ambiguous(subject: str) -> None:
    result = run(msg(subject))
    assert result.union_code is None
    assert result.reason == "ambiguous"
    assert len(result.candidates) >= 2


def test_name_shared_by_longer_names_is_ambiguous_not_a_random_pick() -> None:
    """ "TH Ngọc Lâm" fits "... Ngọc Lâm Đô thị" and "... Ngọc Lâm Nước sạch" equally."""
    directory = (
        UnionEntry("A", "Tiểu học Ngọc Lâm Đô thị", "th"),
        UnionEntry("B", "Tiểu học Ngọc Lâm Nước sạch", "th"),
        UnionEntry("C", "Tiểu học Ngọc Lâm Thực phẩm", "th"),
    )
    result = run(msg("BC quý 1 TH Ngọc Lâm"), directory)
    assert result.union_code is None
    assert result.reason in ("ambiguous", "unknown-sender")
    scores = {s for _, s in result.candidates}
    assert len(scores) <= 1  # none preferred by accident


def test_same_name_in_two_entries_is_ambiguous() -> None:
    directory = DIRECTORY + (UnionEntry("TH-NL-2", "Trường Tiểu học Ngọc Lâm", "th"),)
    result = run(msg("BC quý 1 TH Ngọc Lâm"), directory)
    assert result.union_code is None and result.reason == "ambiguous"
    assert {"TH-NL", "TH-NL-2"} <= {c for c, _ in result.candidates}


@pytest.mark.parametrize(
    "subject", ["Báo cáo quý 1", "BC quý 1 trường Ngọc Lâm", "Báo cáo của trường Sài Đồng"]
)
def test_unknown_sender(subject: str) -> None:
    result = run(msg(subject))
    assert result.union_code is None
    assert result.reason == "unknown-sender"
    assert result.confidence == 0.0


def test_federation_sender_without_forward_is_matched_by_name() -> None:
    result = run(msg("BC quý 1 MN Hoa Sữa", from_addr="ldllongbien@gmail.com"))
    assert result.union_code == "MN-HS"
    assert result.confidence < 0.9


def test_name_match_with_failed_authentication_is_lowered() -> None:
    plain = run(msg("BC quý 1 MN Hoa Sữa"))
    failed = run(msg("BC quý 1 MN Hoa Sữa", auth="mx; dmarc=fail"))
    assert failed.union_code == "MN-HS"
    assert failed.confidence < plain.confidence


GROUP = (
    UnionEntry("P", "Công đoàn Tổng công ty Đức Giang", "dn", ("tctducgiang@gmail.com",)),
    UnionEntry("S2", "Công đoàn Công ty TNHH MTV May Đức Giang 2", "dn"),
    UnionEntry("S", "Công đoàn Công ty CP May Đức Giang", "dn"),
)
GROUP_LETTERHEAD = (
    "TỔNG CÔNG TY ĐỨC GIANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "CĐCS CÔNG TY TNHH MTV MAY ĐỨC GIANG 2 Độc lập - Tự do - Hạnh phúc\n"
    "Số: 12/BC-CĐ Long Biên, ngày 10 tháng 6 năm 2021\nBÁO CÁO\nSơ kết 6 tháng đầu năm 2021\n"
    "I. Tình hình chung\n"
)


def test_the_letterhead_issuer_is_its_last_line_not_the_parent_above() -> None:
    """A subsidiary's letterhead starts with its parent company (a PDF merges the columns)."""
    att = AttachmentDoc("bc.pdf", "application/pdf", b"%PDF" * 50, text=GROUP_LETTERHEAD,
                        heading="TỔNG CÔNG TY ĐỨC GIANG")
    result = run(msg("Gui bao cao so ket", attachments=[att]), GROUP)
    assert result.union_code == "S2"


def test_a_signature_naming_the_parent_against_the_letterhead_asks_a_person() -> None:
    att = AttachmentDoc("bc.pdf", "application/pdf", b"%PDF" * 50, text=GROUP_LETTERHEAD)
    result = run(msg("Gui bao cao so ket", body="Nguyen Van A\nCD Tong cty Duc Giang",
                     attachments=[att]), GROUP)
    assert result.union_code is None and result.reason == "ambiguous"


def test_a_unit_under_a_ward_named_by_its_kind_and_the_place_above() -> None:
    """The ward office forwards its health station's report: "UBND PHƯỜNG X" / "TRẠM Y TẾ"."""
    directory = (
        UnionEntry("UB-PD", "CĐCS UBND phường Phúc Đồng", "hcsn", ("ubnd.pd@gmail.com",)),
        UnionEntry("YT-PD", "CĐCS Trạm Y tế phường Phúc Đồng", "hcsn"),
    )
    text = ("UBND PHƯỜNG PHÚC ĐỒNG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "TRẠM Y TẾ | Độc lập - Tự do - Hạnh phúc\nBÁO CÁO\nSơ kết 6 tháng đầu năm 2022\n")
    body = ("Chuyển báo cáo của trạm y tế.\n\n---------- Forwarded message ---------\n"
            "From: Trạm y tế <tramyte.pd@gmail.com>\nSubject: bao cao\n")
    att = AttachmentDoc("bc.docx", "application/octet-stream", b"PK" * 60, text=text)
    result = run(msg("Fwd: bao cao", from_addr="ubnd.pd@gmail.com", body=body,
                     attachments=[att], auth=PASS), directory)
    assert result.union_code == "YT-PD"
