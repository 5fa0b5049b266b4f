"""parse_message on messages as union officers' mail clients send them, and on junk."""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.document import MessageDoc
from ingest.extract import ExtractLimits
from ingest.parse import FORWARD_END, FORWARD_START, ParseError, parse_message
from tests.ingest.builders import (
    DOCX,
    PDF,
    PNG,
    VI_BODY,
    VI_TITLE,
    VI_UNION,
    XLSX,
    build_apple_mail_inline_pdf,
    build_cp1258_message,
    build_forwarded_message,
    build_message,
    build_raw_message,
    build_rfc2047_subject_message,
    build_rfc2231_filename_message,
    encode_cp1258,
    make_docx,
    make_image,
    make_pdf,
    make_xlsx,
    make_zip,
    rfc2047,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "realworld"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/realworld")
NO_OCR = ExtractLimits(ocr=False)


def parse(raw: bytes) -> MessageDoc:
    return parse_message(raw, limits=NO_OCR)


def test_plain_message_fields() -> None:
    raw = build_message("BC quy I - CD truong MN Hoa Sen",
                        "Nguyễn Thị Lan <Lan.MNHoaSen@Gmail.com>",
                        to="LDLLongBien@gmail.com, b@x.vn", body=VI_BODY,
                        headers={"Cc": "ct@x.vn", "Sender": "Relay <Relay@x.vn>"},
                        message_id="<abc.123@mail.gmail.com>")
    doc = parse_message(raw, limits=NO_OCR)
    assert doc.subject == "BC quy I - CD truong MN Hoa Sen"
    assert (doc.from_addr, doc.from_name) == ("lan.mnhoasen@gmail.com", "Nguyễn Thị Lan")
    assert doc.to_addrs == ["ldllongbien@gmail.com", "b@x.vn"]
    assert doc.cc_addrs == ["ct@x.vn"] and doc.sender_addr == "relay@x.vn"
    assert doc.message_id == "abc.123@mail.gmail.com"
    assert doc.date == datetime(2021, 3, 10, 2, 15, tzinfo=UTC)
    assert doc.body_text == VI_BODY
    assert doc.header("X-Missing") == "" and doc.header("MESSAGE-ID") == "<abc.123@mail.gmail.com>"
    assert doc.attachments == [] and doc.defects == []


def test_rfc2047_subject_split_inside_characters() -> None:
    for encoding in ("B", "Q"):
        raw = build_rfc2047_subject_message(VI_TITLE, encoding=encoding, chunk=5)
        assert parse_message(raw).subject == VI_TITLE


def test_broken_rfc2047_subjects() -> None:
    word = rfc2047("Báo cáo quý I", "utf-8")
    cases = {
        f"Re:{word}": "Re:Báo cáo quý I",  # glued to text
        word[:-2]: "Báo cáo quý I",  # missing ?=
        word.replace("=?=", "?="): "Báo cáo quý I",  # bad padding
        rfc2047("Báo cáo", "windows-1258") + " quy I": "Báo cáo quy I",
        "=?iso-8859-1?Q?B=E1o_c=E1o_C=D0CS?=": "Báo cáo CĐCS",  # mislabelled cp1258
        "=?x-unknown?B?QsOhbyBjw6Fv?=": "Báo cáo",
    }
    for header, expected in cases.items():
        raw = build_raw_message(["From: a@b.vn", f"Subject: {header}"], "x")
        assert parse_message(raw).subject == expected, header


def test_raw_8bit_headers_in_windows_1258_and_utf8() -> None:
    raw = build_raw_message([b"From: " + encode_cp1258("Trường MN") + b" <a@b.vn>",
                             b"Subject: " + encode_cp1258(VI_TITLE),
                             "X-Note: Đã gửi".encode()], "x")
    doc = parse_message(raw)
    assert doc.subject == VI_TITLE and doc.from_name == "Trường MN"
    assert doc.header("x-note") == "Đã gửi"


def test_windows_1258_body() -> None:
    doc = parse(build_cp1258_message("Bao cao", "a@b.vn", VI_BODY))
    assert doc.body_text == VI_BODY and doc.defects == []


@pytest.mark.parametrize("declared", ["iso-8859-1", "us-ascii", "utf-8", "x-user-defined",
                                      None])
def test_mislabelled_or_unlabelled_charset_loses_nothing(declared: str | None) -> None:
    doc = parse(build_cp1258_message("Bao cao", "a@b.vn", VI_BODY, declared=declared,
                                     transfer="base64"))
    assert doc.body_text == VI_BODY
    if declared:
        assert any("cp1258" in d for d in doc.defects), doc.defects


def test_utf8_labelled_latin1_is_recovered() -> None:
    raw = build_raw_message(["From: a@b.vn", "Subject: x", "Content-Type: text/plain; "
                             "charset=iso-8859-1", "Content-Transfer-Encoding: 8bit"],
                            VI_BODY.encode("utf-8"))
    doc = parse(raw)
    assert doc.body_text == VI_BODY
    assert "part 1: charset 'iso-8859-1': content is utf-8" in doc.defects


def test_nfd_from_macos_becomes_nfc() -> None:
    raw = build_message(VI_TITLE, f"{VI_UNION} <a@icloud.com>", body=VI_BODY, nfd=True,
                        attachments=[("Báo cáo.docx", make_docx([VI_TITLE]), DOCX)])
    doc = parse(raw)
    assert doc.subject == VI_TITLE and doc.body_text == VI_BODY
    assert doc.from_name == VI_UNION
    assert doc.attachments[0].filename == "Báo cáo.docx"


def test_html_only_message_and_links() -> None:
    html = ("<html><head><style>p {color: red}</style><script>alert(1)</script></head><body>"
            f"<p>{VI_BODY}</p><p>Link: <a href=\"https://drive.google.com/file/d/1x\">"
            "báo cáo</a> và https://docs.google.com/spreadsheets/d/2y.</p></body></html>")
    doc = parse(build_message("Bao cao", "a@b.vn", html=html))
    assert VI_BODY in doc.body_text
    assert "color" not in doc.body_text and "alert" not in doc.body_text
    assert doc.links == ["https://docs.google.com/spreadsheets/d/2y",
                         "https://drive.google.com/file/d/1x"]


def test_alternative_prefers_plain_unless_it_is_a_stub() -> None:
    html = f"<p>{VI_BODY}</p><p>{VI_TITLE}</p>"
    doc = parse(build_message("x", "a@b.vn", body="Xem ban HTML", html=html))
    assert doc.body_text == f"{VI_BODY}\n\n{VI_TITLE}"
    doc = parse(build_message("x", "a@b.vn", body=f"{VI_BODY}\n{VI_TITLE}", html=html))
    assert doc.body_text == f"{VI_BODY}\n{VI_TITLE}"


def test_attachments_decoded_hashed_and_extracted() -> None:
    docx = make_docx([VI_UNION, VI_TITLE])
    raw = build_message("BC", "a@b.vn", body="Gửi báo cáo", attachments=[
        ("Báo cáo quý I.docx", docx, DOCX), ("Phụ lục.xlsx", make_xlsx([["STT", "Tên"]]), XLSX),
        ("bc.zip", make_zip({"a.txt": b"noi dung"}), "application/zip")])
    doc = parse(raw)
    names = [a.filename for a in doc.attachments]
    assert names == ["Báo cáo quý I.docx", "Phụ lục.xlsx", "bc.zip"]
    first = doc.attachments[0]
    assert first.payload == docx and first.content_type == DOCX
    assert first.sha256 == hashlib.sha256(docx).hexdigest()
    assert (first.status, first.heading) == ("ok", VI_UNION)
    assert all(a.status == "ok" for a in doc.attachments)


@pytest.mark.parametrize("style", ["rfc2231", "rfc2047"])
@pytest.mark.parametrize("charset", ["utf-8", "windows-1258"])
def test_encoded_filenames(style: str, charset: str) -> None:
    name = "Báo cáo quý I năm 2021 - Trường Mầm non Hoa Sen.docx"
    raw = build_rfc2231_filename_message(name, make_docx([VI_TITLE]), charset=charset,
                                         style=style, segment=9)
    doc = parse(raw)
    assert [a.filename for a in doc.attachments] == [name]
    assert doc.attachments[0].text == VI_TITLE


def test_apple_mail_inline_pdf() -> None:
    pdf = make_pdf([VI_TITLE])
    raw = build_apple_mail_inline_pdf("Báo cáo quý I", "a@icloud.com", "Gửi anh chị báo cáo",
                                      "Báo cáo quý I.pdf", pdf)
    doc = parse(raw)
    assert [(a.filename, a.content_type) for a in doc.attachments] == [
        ("Báo cáo quý I.pdf", PDF)]
    assert doc.attachments[0].payload == pdf and doc.attachments[0].status == "ok"
    assert doc.subject == "Báo cáo quý I" and doc.body_text == "Gửi anh chị báo cáo"


def test_forward_as_attachment_is_marked_and_its_files_kept() -> None:
    inner = build_message("Báo cáo quý I", "Hiệu trưởng <ht@mn.edu.vn>",
                          body="Nội dung: https://drive.google.com/x?id=1",
                          attachments=[("BC.docx", make_docx([VI_TITLE]), DOCX)])
    doc = parse(build_forwarded_message(inner))
    assert doc.from_addr == "chutich.mnhoasen@gmail.com"
    body = doc.body_text
    assert body.startswith("Em chuyển tiếp báo cáo của đơn vị ạ.")
    start = body.index(FORWARD_START)
    assert "From: Hiệu trưởng <ht@mn.edu.vn>" in body[start:]
    assert "Subject: Báo cáo quý I" in body[start:]
    assert body.index("Nội dung:") > start and body.rstrip().endswith(FORWARD_END)
    assert [a.filename for a in doc.attachments] == ["BC.docx"]
    assert doc.attachments[0].text == VI_TITLE
    assert doc.links == ["https://drive.google.com/x?id=1"]


def test_inline_images_are_kept_as_attachments() -> None:
    raw = build_message("BC", "a@b.vn", body="x",
                        inline_attachments=[("logo.png", make_image(["LOGO"]), PNG)])
    doc = parse(raw)
    assert [(a.filename, a.status) for a in doc.attachments] == [("logo.png", "skipped")]


def test_unnamed_parts_get_stable_names() -> None:
    raw = build_raw_message(
        ["From: a@b.vn", "Subject: x", 'Content-Type: multipart/mixed; boundary="b"'],
        b"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: application/pdf"
        b"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b\r\n"
        b"Content-Type: text/csv\r\nContent-Disposition: attachment\r\n\r\na,b\r\n--b--\r\n")
    doc = parse(raw)
    assert [a.filename for a in doc.attachments] == ["part3.pdf", "part4.csv"]
    assert doc.attachments[0].payload == b"%PDF-1.4\n"
    assert doc.body_text == "hello"


def test_malformed_messages_give_defects_not_exceptions() -> None:
    truncated = build_raw_message(
        ["From: a@b.vn", "Subject: x", "Date: 32 Foo 2021",
         'Content-Type: multipart/mixed; boundary="never"'],
        b"--never\r\nContent-Type: text/plain\r\n\r\ncut off")
    doc = parse(truncated)
    assert doc.body_text == "cut off"
    assert doc.date is None
    assert any("Date" in d for d in doc.defects)
    assert any("CloseBoundaryNotFoundDefect" in d for d in doc.defects)


def test_leading_blank_line_and_missing_headers() -> None:
    doc = parse(b"\r\n" + build_message("Bao cao", "a@b.vn", body="x"))
    assert doc.subject == "Bao cao"
    assert "leading blank lines before the headers removed" in doc.defects
    doc = parse(b"just some text\nwith no headers at all\n")
    assert doc.subject == "" and "with no headers" in doc.body_text


@pytest.mark.parametrize("raw", [b"", b"   \r\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(99),
                                 b"%PDF-1.4 ...", b"PK\x03\x04..."])
def test_not_a_message_at_all(raw: bytes) -> None:
    with pytest.raises(ParseError):
        parse_message(raw)


def test_deep_nesting_is_cut_with_a_defect() -> None:
    parts = [f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n'
             for i in range(60)]
    raw = b"From: a@b.vn\r\nSubject: deep\r\n" + "".join(parts).encode() + b"\r\nend"
    doc = parse(raw)
    assert doc.subject == "deep"
    assert any("nesting" in d.lower() or "deep" in d.lower() for d in doc.defects), doc.defects


def test_attachment_limits_apply() -> None:
    raw = build_message("BC", "a@b.vn", attachments=[("big.pdf", make_pdf(["x"] * 50), PDF)])
    doc = parse_message(raw, limits=ExtractLimits(ocr=False, max_file_bytes=100))
    assert doc.attachments[0].status == "skipped"


@pytest.mark.corpus
def test_realworld_corpus_parses_without_exceptions() -> None:
    """Every public message (incl. deliberately malformed ones) parses; text is NFC."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and not p.name.startswith(".")
                   and p.name not in ("MANIFEST.tsv", "SOURCES.md"))
    assert len(files) > 500
    logging.disable(logging.WARNING)  # mail-parser and pypdf warn about every oddity
    failures = []
    try:
        for path in files:
            try:
                doc = parse_message(path.read_bytes(), limits=NO_OCR)
            except ParseError:
                continue
            except Exception as exc:  # the point of the test: report every one
                failures.append(f"{path.relative_to(CORPUS)}: {type(exc).__name__}: {exc}")
                continue
            for value in (doc.subject, doc.body_text, *(a.text for a in doc.attachments)):
                if not unicodedata.is_normalized("NFC", value):
                    failures.append(f"{path.relative_to(CORPUS)}: text not NFC")
            assert doc.date is None or doc.date.tzinfo is not None
    finally:
        logging.disable(logging.NOTSET)
    assert failures == []  # bounded by pytest-timeout, not by a stopwatch


def test_nul_in_boundary_and_charset_labels() -> None:
    raw = build_raw_message(["From: a@b.vn", "Subject: x",
                             "Content-Type: multipart/mixed; boundary*=ut\0f-8''b"],
                            b"--b\r\nContent-Type: text/plain; charset=\"ut\0f-8\"\r\n\r\nhi\r\n")
    doc = parse(raw)
    assert doc.subject == "x" and doc.defects


def test_mutated_messages_never_raise() -> None:
    """A small deterministic fuzz: byte flips, cuts and MIME-ish insertions."""
    import random

    seeds = [
        build_forwarded_message(build_message(
            "Báo cáo", "a@b.vn", body=VI_BODY,
            attachments=[("a.docx", make_docx([VI_TITLE]), DOCX),
                         ("z.zip", make_zip({"x.txt": b"abc"}), "application/zip")])),
        build_cp1258_message("x", "a@b.vn", VI_BODY),
        build_rfc2231_filename_message("Báo cáo.docx", make_docx(["x"])),
        build_apple_mail_inline_pdf("Báo cáo", "a@b.vn", "b", "c.pdf", make_pdf(["x"])),
    ]
    inserts = [b"\r\n", b"=?", b"?=", b"--", b";", b"\x00", b"=?utf-8?B?", b"boundary=",
               b"\r\n\r\n", b"Content-Type: message/rfc822\r\n", b"charset*="]
    rng = random.Random(1258)
    for _ in range(300):
        raw = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 12)):
            pos = rng.randrange(len(raw)) if raw else 0
            choice = rng.random()
            if choice < 0.4 and raw:
                raw[pos] = rng.randrange(256)
            elif choice < 0.7:
                raw[pos:pos] = rng.choice(inserts)
            elif raw:
                del raw[pos:pos + rng.randint(1, 80)]
        try:
            doc = parse(bytes(raw))
        except ParseError:
            continue
        assert unicodedata.is_normalized("NFC", doc.body_text)


def test_format_flowed_is_unwrapped() -> None:
    body = "Kính gửi LĐLĐ quận, đơn vị xin gửi báo \r\ncáo quý I.\r\n \r\n-- \r\nLan"
    raw = build_raw_message(["From: a@b.vn", "Subject: x", "Content-Type: text/plain; "
                             "charset=utf-8; format=flowed", "Content-Transfer-Encoding: 8bit"],
                            body.encode())
    assert parse(raw).body_text == "Kính gửi LĐLĐ quận, đơn vị xin gửi báo cáo quý I.\n\n--\nLan"


def test_from_without_address() -> None:
    raw = build_raw_message(["From: =?utf-8?Q?Tr=C6=B0=E1=BB=9Dng_MN?=", "To: MAILER-DAEMON",
                             "Subject: x"], "x")
    doc = parse(raw)
    assert doc.from_addr == "" and doc.to_addrs == ["mailer-daemon"]
