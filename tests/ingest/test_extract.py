"""extract_text on real files made in the tests: every format, every bound, never a raise."""

from __future__ import annotations

import threading
import time
import unicodedata

import pytest

from ingest import extract
from ingest.document import AttachmentDoc
from ingest.extract import (
    ExtractLimits,
    decode_bytes,
    detect_kind,
    extract_text,
    find_urls,
    first_heading,
    html_to_text,
    rtf_to_text,
)
from tests.ingest.builders import (
    VI_BODY,
    VI_TITLE,
    VI_UNION,
    encode_cp1258,
    has_vietnamese_font,
    make_doc,
    make_docx,
    make_image,
    make_pdf,
    make_rtf,
    make_scanned_pdf,
    make_xlsx,
    make_zip,
    make_zip_bomb,
    require_tools,
)

NO_OCR = ExtractLimits(ocr=False)


def run(filename: str, data: bytes, limits: ExtractLimits | None = None,
        content_type: str = "application/octet-stream") -> AttachmentDoc:
    return extract_text(AttachmentDoc(filename, content_type, data), limits or NO_OCR)


def no_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "which", lambda tool: None)


# --------------------------------------------------------------------------- formats


def test_docx_paragraphs_and_tables_in_document_order() -> None:
    data = make_docx([VI_UNION, "", VI_TITLE],
                     table=[["STT", "Nội dung", "Số lượng"], ["1", "Kết nạp đoàn viên", "12"]])
    att = run("bao cao.docx", data)
    assert att.status == "ok" and att.error is None
    assert att.text.splitlines() == [VI_UNION, "", VI_TITLE, "STT | Nội dung | Số lượng",
                                     "1 | Kết nạp đoàn viên | 12"]
    assert att.heading == VI_UNION
    assert len(att.sha256) == 64


def test_xlsx_every_sheet_cells_as_text() -> None:
    data = make_xlsx([["STT", "Đơn vị", "Số đoàn viên"], [1, "Trường MN Hoa Sen", 35.0]],
                     sheets={"Tổng hợp": [["Tổng", None, 35.5]]})
    att = run("BC.xlsx", data)
    assert att.status == "ok"
    assert "--- Sheet: Sheet1 ---" in att.text and "--- Sheet: Tổng hợp ---" in att.text
    assert "1 | Trường MN Hoa Sen | 35" in att.text and "Tổng | 35.5" in att.text
    assert att.heading == "STT | Đơn vị | Số đoàn viên"


def test_pdf_text_layer_vietnamese() -> None:
    att = run("bc.pdf", make_pdf([VI_UNION, VI_TITLE, VI_BODY] * 3))
    assert att.status == "ok", att.error
    expected = VI_TITLE if has_vietnamese_font() else "BAO CAO"
    assert expected in att.text
    assert unicodedata.is_normalized("NFC", att.text)


def test_scanned_pdf_is_ocred_in_vietnamese() -> None:
    require_tools("tesseract", "pdftoppm", tesseract_langs=["vie", "eng"])
    att = run("scan.pdf", make_scanned_pdf([VI_UNION, VI_TITLE, VI_BODY]), ExtractLimits())
    assert att.status == "ok", att.error
    assert "text from OCR" in (att.error or "")
    assert "Công đoàn" in att.text and "Liên đoàn Lao động" in att.text
    assert att.heading.startswith("Công đoàn cơ sở")


def test_scanned_pdf_skipped_with_reason_without_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    no_tools(monkeypatch)
    att = run("scan.pdf", make_scanned_pdf([VI_TITLE]), ExtractLimits())
    assert att.status == "skipped"
    assert att.error == "image-only PDF; OCR unavailable: tesseract not installed"
    assert run("scan.pdf", make_scanned_pdf([VI_TITLE])).error == "image-only PDF; OCR disabled"


def test_missing_vietnamese_model_is_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.setattr(extract, "_tesseract_langs", lambda path: frozenset({"eng", "osd"}))
    att = run("photo.png", make_image(["BAO CAO"]), ExtractLimits())
    assert (att.status, att.error) == (
        "skipped", "image; OCR unavailable: tesseract language data missing: vie")


def test_image_ocr() -> None:
    require_tools("tesseract", tesseract_langs=["vie"])
    att = run("anh chup.jpg", make_image([VI_UNION, VI_TITLE], fmt="JPEG"), ExtractLimits())
    assert att.status == "ok", att.error
    assert "Trường Mầm non Hoa Sen" in att.text


def test_image_without_ocr_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    no_tools(monkeypatch)
    att = run("photo.png", make_image(["x"]), ExtractLimits())
    assert (att.status, att.error) == ("skipped", "image; OCR unavailable: tesseract not installed")


def test_doc_with_antiword() -> None:
    require_tools("antiword")
    att = run("bao cao.doc", make_doc([VI_UNION, VI_TITLE]))
    assert att.status == "ok", att.error
    assert VI_TITLE in att.text and att.heading == VI_UNION


def test_doc_without_converters_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    no_tools(monkeypatch)
    att = run("bao cao.doc", make_doc([VI_TITLE]))
    assert att.status == "skipped"
    assert att.error == ".doc converter unavailable: neither antiword nor catdoc is installed"


def test_rtf_with_vietnamese_code_page_and_unicode_escapes() -> None:
    att = run("bc.rtf", make_rtf([VI_UNION, VI_TITLE]))
    assert att.status == "ok"
    assert att.text.splitlines() == [VI_UNION, VI_TITLE]
    assert rtf_to_text(r"{\rtf1{\fonttbl{\f0 Arial;}}{\*\x secret}a\u7841?b\par}") == "aạb\n"


def test_text_files_in_windows_1258() -> None:
    att = run("bc.txt", encode_cp1258(VI_BODY))
    assert att.status == "ok" and att.text == VI_BODY


def test_html_file_with_meta_charset() -> None:
    page = ('<html><head><meta charset="windows-1258"><style>p{}</style></head>'
            f"<body><table><tr><td>STT</td><td>{VI_UNION}</td></tr></table></body></html>")
    att = run("bao cao.xls", encode_cp1258(page))  # an "Excel" export that is HTML
    assert att.status == "ok" and att.text == f"STT | {VI_UNION}"


def test_unsupported_and_empty() -> None:
    assert run("song.mp3", b"ID3\x03\x00" + bytes(200)).status == "skipped"
    assert run("a.rar", b"Rar!\x1a\x07\x00" + bytes(10)).error == "RAR archives are not supported"
    assert run("empty.txt", b"   \n").status == "empty"
    assert run("blank.docx", make_docx([""])).status == "empty"


# --------------------------------------------------------------------------- archives


def test_zip_members_with_headers_and_windows_names() -> None:
    data = make_zip({"Báo cáo quý I.docx": make_docx([VI_TITLE]),
                     "Phụ lục.xlsx": make_xlsx([["STT", "Tên"]]),
                     "ghi chú.txt": encode_cp1258(VI_BODY)}, utf8_names=False)
    att = run("bao cao.zip", data)
    assert att.status == "ok"
    assert f"=== Báo cáo quý I.docx ===\n{VI_TITLE}" in att.text
    assert "=== Phụ lục.xlsx ===" in att.text and VI_BODY in att.text
    assert att.heading == VI_TITLE


def test_zip_bomb_is_refused() -> None:
    att = run("bomb.zip", make_zip_bomb())
    assert att.status == "failed"
    assert "zip bomb" in (att.error or "")


def test_zip_total_size_and_member_count_bounds() -> None:
    files = {f"f{i}.txt": b"bao cao " * 100 for i in range(6)}
    small = ExtractLimits(ocr=False, zip_max_members=5)
    assert run("many.zip", make_zip(files), small).error == "archive refused: 6 files (limit 5)"
    tight = ExtractLimits(ocr=False, zip_max_total_uncompressed=4000)
    att = run("big.zip", make_zip(files), tight)
    assert att.status == "failed" and "uncompressed" in (att.error or "")


def test_nested_zip_depth_is_bounded() -> None:
    level3 = make_zip({"sau.txt": b"level three"})
    level2 = make_zip({"inner.zip": level3, "hai.txt": b"level two"})
    level1 = make_zip({"middle.zip": level2, "mot.txt": b"level one"})
    att = run("outer.zip", level1)
    assert att.status == "ok"
    assert "level one" in att.text and "level two" in att.text
    assert "level three" not in att.text
    assert "=== inner.zip === [skipped: archive nested deeper than 2]" in att.text


def test_nested_archives_share_one_budget() -> None:
    inner = make_zip({f"i{i}.txt": b"x" for i in range(4)})
    outer = make_zip({"a.zip": inner, "b.zip": inner})
    att = run("o.zip", outer, ExtractLimits(ocr=False, zip_max_members=8))
    assert "=== b.zip === [failed: archive refused: 4 files (limit 8)]" in att.text


def test_corrupt_member_does_not_lose_the_others() -> None:
    att = run("mixed.zip", make_zip({"hong.docx": b"PK\x03\x04broken", "ok.txt": b"van doc"}))
    assert att.status == "ok"
    assert "=== hong.docx === [failed:" in att.text and "van doc" in att.text
    assert "hong.docx: failed" in (att.error or "")


# --------------------------------------------------------------------------- bounds, failures


def test_too_large_file_is_skipped_unread() -> None:
    att = run("big.pdf", b"%PDF-1.4" + bytes(2000), ExtractLimits(max_file_bytes=1000))
    assert att.status == "skipped"
    assert att.error == "too large: 2008 bytes (limit 1000)"


@pytest.mark.parametrize(("name", "data", "fragment"), [
    ("bc.docx", b"PK\x03\x04 not really a zip", "corrupt office file"),
    ("bc.docx", make_zip({"word/document.xml": b"<w:document"}), "corrupt docx"),
    ("bc.xlsx", make_zip({"xl/workbook.xml": b"<bad"}), "corrupt xlsx"),
    ("bc.pdf", b"%PDF-1.4\n garbage", "corrupt pdf"),
    ("bc.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "xls"),
])
def test_corrupt_files_fail_with_reason(name: str, data: bytes, fragment: str) -> None:
    att = run(name, data)
    assert att.status in ("failed", "skipped")
    assert fragment in (att.error or ""), att.error


def test_corrupt_docx_is_failed() -> None:
    good = make_docx([VI_TITLE])
    att = run("bc.docx", good[: len(good) // 2])
    assert att.status == "failed" and att.error


def test_text_is_truncated_at_the_limit() -> None:
    att = run("long.txt", b"bao cao " * 1000, ExtractLimits(ocr=False, max_text_chars=100))
    assert att.status == "ok" and len(att.text) <= 100
    assert att.error == "text truncated at 100 characters"


def test_a_hanging_parser_is_abandoned_after_the_time_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def hang(data: bytes, ctx: object) -> str:
        release.wait(30)
        return "late"

    monkeypatch.setitem(extract._READERS, "text", hang)
    try:
        started = time.monotonic()
        att = run("hang.txt", b"x", ExtractLimits(ocr=False, max_seconds=0.3))
        assert time.monotonic() - started < 2
        assert (att.status, att.error) == ("failed", "time limit of 0.3s exceeded")
    finally:
        release.set()


def test_an_unexpected_parser_error_is_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(data: bytes, ctx: object) -> str:
        raise KeyError("bug")

    monkeypatch.setitem(extract._READERS, "text", boom)
    att = run("a.txt", b"x")
    assert att.status == "failed" and att.error == "KeyError: 'bug'"


@pytest.mark.parametrize("name", ["a.pdf", "a.docx", "a.xlsx", "a.xls", "a.doc", "a.zip",
                                  "a.rtf", "a.png", "a.html", "a.txt", "a.pptx", "a"])
@pytest.mark.parametrize("data", [b"", b"\x00" * 64, bytes(range(256)) * 4,
                                  b"PK\x05\x06" + bytes(18), b"{\\rtf1{{{{"])
def test_never_raises_on_garbage(name: str, data: bytes) -> None:
    att = run(name, data)
    assert att.status in ("ok", "empty", "skipped", "failed")


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(("data", "declared", "expected_note"), [
    (VI_BODY.encode("utf-8"), "utf-8", None),
    (encode_cp1258(VI_BODY), "windows-1258", None),
    (encode_cp1258(VI_BODY), "iso-8859-1", "charset 'iso-8859-1': content is cp1258"),
    (encode_cp1258(VI_BODY), "utf-8", "charset 'utf-8': decoded as cp1258"),
    (encode_cp1258(VI_BODY), "x-unknown", "unknown charset 'x-unknown': decoded as cp1258"),
    (VI_BODY.encode("utf-8"), "iso-8859-1", "charset 'iso-8859-1': content is utf-8"),
    (encode_cp1258(VI_BODY), None, None),
])
def test_decode_bytes_recovers_vietnamese(data: bytes, declared: str | None,
                                          expected_note: str | None) -> None:
    text, note = decode_bytes(data, declared)
    assert unicodedata.normalize("NFC", text) == VI_BODY
    assert note == expected_note


def test_decode_bytes_keeps_real_latin1() -> None:
    french = "Réunion à l'été, über".encode("latin-1")
    assert decode_bytes(french, "iso-8859-1") == ("Réunion à l'été, über", None)


def test_html_to_text_drops_style_and_script_and_keeps_links() -> None:
    text, links = html_to_text(
        "<html><head><title>t</title><style>.a{}</style></head><body><script>x=1</script>"
        "<p>Xin g&#7917;i&nbsp;<a href='https://drive.google.com/file/d/1'>file</a></p>"
        "<div>Dòng 2<br>Dòng 3</div><a href='mailto:a@b'>m</a></body></html>")
    assert text == "Xin gửi file\n\nDòng 2\nDòng 3\nm"  # no title, style or script
    assert links == ["https://drive.google.com/file/d/1"]


def test_find_urls_trims_punctuation() -> None:
    text = "Link: https://drive.google.com/open?id=1AbC. (xem http://x.vn/a_(b)) hết"
    assert find_urls(text) == ["https://drive.google.com/open?id=1AbC", "http://x.vn/a_(b)"]


def test_first_heading_skips_noise() -> None:
    assert first_heading("=== a.docx ===\n\n  1.  \n--- Sheet: S ---\n  Công   đoàn  ") == \
        "Công đoàn"
    assert len(first_heading("chữ " * 100)) <= 200


def test_detect_kind_trusts_content_over_names() -> None:
    assert detect_kind("bc.doc", "", make_docx(["x"])) == "docx"
    assert detect_kind("bc.xlsx", "", b"%PDF-1.7") == "pdf"
    assert detect_kind("bc.doc", "", make_rtf(["x"])) == "rtf"
    assert detect_kind("noname", "application/octet-stream", make_doc(["x"])) == "doc"
    assert detect_kind("bc", "", make_xlsx([["x"]])) == "xlsx"


def test_non_images_never_reach_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object) -> bytes:
        raise AssertionError("tesseract must not see a text file (it reads it as a path list)")

    monkeypatch.setattr(extract, "_run_tool", forbidden)
    att = run("photo.png", b"/etc/passwd\n", ExtractLimits(), content_type="image/png")
    assert (att.status, att.error) == ("failed", "not a recognised image format")


def test_tiny_images_are_not_ocred() -> None:
    require_tools("tesseract", tesseract_langs=["vie"])
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (16, 16), 255).save(buffer, format="PNG")
    att = run("icon.png", buffer.getvalue(), ExtractLimits())
    assert (att.status, att.error) == ("skipped", "image too small to hold text: 16x16")
