"""extract_text on real files made in the tests: every format, every bound, never a raise."""

from __future__ import annotations

import dataclasses
import time
import unicodedata

import pytest

from ingest import extract
from ingest.document import AttachmentDoc
from ingest.extract import ExtractLimits, detect_kind, extract_text, rtf_to_text
from ingest.textdecode import decode_bytes, find_urls, first_heading, html_to_text
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
IN_PROCESS = ExtractLimits(ocr=False, isolate=False)


def run(filename: str, data: bytes, limits: ExtractLimits | None = None,
        content_type: str = "application/octet-stream") -> AttachmentDoc:
    """The readers in this process, so that tests may replace their tools and helpers
    (the killable helper process is tested in test_extract_bounds.py)."""
    limits = dataclasses.replace(limits or NO_OCR, isolate=False)
    return extract_text(AttachmentDoc(filename, content_type, data), limits)


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
    assert att.status in ("ok", "partial", "empty", "skipped", "failed")


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
    """Runs with or without Tesseract: OCR is made to look available (the ``which`` and
    language seams), and the tool itself may never be called."""
    def forbidden(*args: object) -> bytes:
        raise AssertionError("tesseract must not see a text file (it reads it as a path list)")

    monkeypatch.setattr(extract, "which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.setattr(extract, "_tesseract_langs", lambda path: frozenset({"vie", "eng"}))
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


# --------------------------------------------------------------------------- OOXML fast readers


def _ctx(limits: ExtractLimits = NO_OCR) -> extract._Ctx:
    return extract._Ctx(limits, time.monotonic() + 60)


def _report_docx() -> bytes:
    """Paragraphs (tab, line and page breaks), a table with merged and empty cells, and
    a nested table (python-docx leaves the nested one out; so must the fast reader)."""
    import io

    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph(VI_UNION)
    document.add_paragraph("")
    heading = document.add_paragraph(VI_TITLE)
    heading.add_run("\tSố: 12/BC").add_break()
    heading.add_run("Kính gửi LĐLĐ quận").add_break(WD_BREAK.PAGE)
    table = document.add_table(rows=4, cols=4)
    for r in range(4):
        for c in range(4):
            table.cell(r, c).text = f"Ô {r}{c} đoàn viên"
    table.cell(0, 0).merge(table.cell(0, 1))  # horizontal
    table.cell(1, 2).merge(table.cell(3, 2))  # vertical
    table.cell(2, 0).merge(table.cell(3, 1))  # both
    table.cell(1, 3).text = ""
    table.cell(1, 3).add_paragraph("  hai   dòng ")
    table.cell(3, 3).add_table(rows=1, cols=1).cell(0, 0).text = "lồng nhau"
    document.add_paragraph(VI_BODY)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_fast_reader_gives_python_docx_text() -> None:
    for data in (_report_docx(), make_docx([VI_UNION, "", VI_TITLE], table=[
            ["STT", "Nội dung", "Kế hoạch"], *[[str(i), f"Chỉ tiêu {i}", "90%"]
                                              for i in range(1, 22)]])):
        fast = extract._docx_fast(data, _ctx())
        assert fast == extract._docx_library(data, _ctx())
    text = extract._docx_fast(_report_docx(), _ctx())
    assert text.splitlines() == [
        VI_UNION, "", f"{VI_TITLE}\tSố: 12/BC", "Kính gửi LĐLĐ quận",
        "Ô 00 đoàn viên Ô 01 đoàn viên | Ô 02 đoàn viên | Ô 03 đoàn viên",
        "Ô 10 đoàn viên | Ô 11 đoàn viên | Ô 12 đoàn viên Ô 22 đoàn viên Ô 32 đoàn viên "
        "| hai dòng",
        "Ô 20 đoàn viên Ô 21 đoàn viên Ô 30 đoàn viên Ô 31 đoàn viên | Ô 12 đoàn viên Ô 22 "
        "đoàn viên Ô 32 đoàn viên | Ô 23 đoàn viên",
        "Ô 20 đoàn viên Ô 21 đoàn viên Ô 30 đoàn viên Ô 31 đoàn viên | Ô 12 đoàn viên Ô 22 "
        "đoàn viên Ô 32 đoàn viên | Ô 33 đoàn viên",
        VI_BODY]  # merged cells once per row, repeated down a vertical merge; no nested table


def test_docx_fast_reader_stops_at_the_text_limit_like_the_library() -> None:
    data = make_docx([f"Đoạn {i}: {VI_BODY}" for i in range(200)])
    limits = ExtractLimits(ocr=False, max_text_chars=1000)
    fast_ctx, library_ctx = _ctx(limits), _ctx(limits)
    assert extract._docx_fast(data, fast_ctx) == extract._docx_library(data, library_ctx)
    assert fast_ctx.notes == library_ctx.notes == ["text truncated at 1000 characters"]


_SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _hand_made_xlsx(sheets: dict[str, str], shared: list[str]) -> bytes:
    """An .xlsx as Excel writes it (shared strings, styles with a date format), from parts."""
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1))
    ct = ("application/vnd.openxmlformats-officedocument.spreadsheetml")
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>'
            f"{overrides}</Types>"),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<workbook {_SHEET_NS} xmlns:r="{_REL}"><sheets>'
            + "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, name in enumerate(names, 1))
            + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                      f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(names) + 1))
            + f'<Relationship Id="rIdS" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rIdT" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"),
        "xl/styles.xml": (
            f'<styleSheet {_SHEET_NS}><numFmts count="1"><numFmt numFmtId="164" '
            'formatCode="dd/mm/yyyy"/></numFmts><fonts count="1"><font/></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="2">'
            '<xf numFmtId="0" xfId="0"/><xf numFmtId="164" xfId="0" applyNumberFormat="1"/>'
            '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"),
        "xl/sharedStrings.xml": (
            f'<sst {_SHEET_NS} count="{len(shared)}" uniqueCount="{len(shared)}">'
            + "".join(shared) + "</sst>"),
    }
    for i, body in enumerate(sheets.values(), 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = f"<worksheet {_SHEET_NS}>{body}</worksheet>"
    return make_zip({name: text.encode() for name, text in parts.items()})


def _union_workbook() -> bytes:
    shared = ["<si><t>STT</t></si>", "<si><t>Đơn vị</t></si>",
              "<si><r><t>Công đoàn </t></r><r><rPr><b/></rPr><t>cơ sở</t></r>"
              '<rPh sb="0" eb="1"><t>phiên âm</t></rPh></si>',
              '<si><t xml:space="preserve">  Trường   MN Hoa Sen </t></si>', "<si><t>Tổng</t></si>"]
    first = (
        '<dimension ref="A1:F4"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="inlineStr"><is><t>Số đoàn viên</t></is></c><c r="D1" t="inlineStr">'
        "<is><t>Ngày</t></is></c></row>"
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="n">'
        '<v>35.0</v></c><c r="D2" s="1"><v>44270</v></c><c r="E2" t="b"><v>1</v></c></row>'
        '<row r="4"><c r="A4" t="s"><v>2</v></c><c r="C4"><v>0.25</v></c>'
        '<c r="D4" t="str"><f>B4</f><v>kết quả</v></c><c r="E4" t="e"><v>#DIV/0!</v></c>'
        '<c r="F4"><f>1+1</f></c></row></sheetData>')
    second = ('<dimension ref="A1:C1"/><sheetData><row r="1"><c r="A1" t="s"><v>4</v></c>'
              '<c r="C1"><v>35.5</v></c></row></sheetData>')
    return _hand_made_xlsx({"Danh sách": first, "Tổng hợp": second}, shared)


def test_xlsx_fast_reader_gives_openpyxl_text() -> None:
    data = _union_workbook()
    fast = extract._xlsx_fast(data, _ctx())
    assert fast == extract._xlsx_library(data, _ctx())
    assert fast.splitlines() == [
        "--- Sheet: Danh sách ---", "STT | Đơn vị | Số đoàn viên | Ngày",
        "1 | Trường MN Hoa Sen | 35 | 2021-03-15 | True",
        "Công đoàn cơ sở | 0.25 | kết quả | #DIV/0!",
        "--- Sheet: Tổng hợp ---", "Tổng | 35.5"]
    made = make_xlsx([["STT", "Họ và tên", "Số đoàn viên"],
                      *[[i, f"Nguyễn Thị Lan {i}", 20 + i % 30] for i in range(1, 451)]],
                     sheets={"Tổng hợp": [["Tổng", None, 35.5]]})
    assert extract._xlsx_fast(made, _ctx()) == extract._xlsx_library(made, _ctx())
    limits = ExtractLimits(ocr=False, max_text_chars=2000)
    fast_ctx, library_ctx = _ctx(limits), _ctx(limits)
    assert extract._xlsx_fast(made, fast_ctx) == extract._xlsx_library(made, library_ctx)
    assert fast_ctx.notes == library_ctx.notes == ["text truncated at 2000 characters"]


def test_xlsx_fast_reader_reads_cells_past_a_wrong_dimension() -> None:
    """The one deliberate difference: openpyxl trusts <dimension> and drops the rest."""
    body = ('<dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
            '<row r="2"><c r="B2" t="s"><v>1</v></c></row></sheetData>')
    data = _hand_made_xlsx({"S": body}, ["<si><t>một</t></si>", "<si><t>hai</t></si>"])
    assert extract._xlsx_fast(data, _ctx()) == "--- Sheet: S ---\nmột\nhai"
    assert extract._xlsx_library(data, _ctx()) == "--- Sheet: S ---\nmột"


def _spy_library(monkeypatch: pytest.MonkeyPatch, name: str) -> list[bytes]:
    calls: list[bytes] = []
    library = getattr(extract, name)

    def spy(data: bytes, ctx: extract._Ctx) -> str:
        calls.append(data)
        return str(library(data, ctx))

    monkeypatch.setattr(extract, name, spy)
    return calls


def test_fast_readers_hand_corrupt_xml_to_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    docx_calls = _spy_library(monkeypatch, "_docx_library")
    xlsx_calls = _spy_library(monkeypatch, "_xlsx_library")
    good = make_docx([VI_TITLE])
    assert run("a.docx", good, IN_PROCESS).text == VI_TITLE and docx_calls == []
    broken = _replace_member(good, "word/document.xml", b"<w:document><w:body><w:p>")
    with pytest.raises(Exception):  # noqa: B017 - whatever the XML parser raises
        extract._docx_fast(broken, _ctx())
    att = run("a.docx", broken, IN_PROCESS)
    assert docx_calls == [broken]
    assert att.status == "failed" and "corrupt docx" in (att.error or "")
    workbook = _union_workbook()
    assert run("a.xlsx", workbook, IN_PROCESS).status == "ok" and xlsx_calls == []
    bad_sheet = _replace_member(workbook, "xl/worksheets/sheet2.xml", b"<worksheet><sheetData>")
    run("a.xlsx", bad_sheet, IN_PROCESS)
    assert xlsx_calls == [bad_sheet]


def test_library_text_when_the_fast_reader_gives_up(monkeypatch: pytest.MonkeyPatch) -> None:
    docx, xlsx = _report_docx(), _union_workbook()
    expected = (run("a.docx", docx).text, run("a.xlsx", xlsx).text)

    def give_up(data: bytes, ctx: object) -> str:
        raise KeyError("unexpected")

    monkeypatch.setattr(extract, "_docx_fast", give_up)
    monkeypatch.setattr(extract, "_xlsx_fast", give_up)
    again = (run("a.docx", docx), run("a.xlsx", xlsx))
    assert (again[0].text, again[1].text) == expected
    assert [a.status for a in again] == ["ok", "ok"] and again[0].error is None


def _replace_member(package: bytes, member: str, data: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(package)) as source:
        files = [(info.filename, data if info.filename == member else source.read(info))
                 for info in source.infolist()]
    return make_zip(files)


def test_oversized_document_xml_is_refused_before_reading() -> None:
    padding = [f"{i} " + "đoàn viên " * 200 for i in range(300)]  # ~1 MB of XML
    data = make_docx(padding)
    limits = ExtractLimits(ocr=False, zip_max_total_uncompressed=200_000)
    with pytest.raises(extract._Failed, match="word/document.xml' inflates to"):
        extract._docx_fast(data, _ctx(limits))
    att = run("big.docx", data, limits)
    assert att.status == "failed" and "inflates to" in (att.error or "")


def test_document_xml_lying_about_its_size_is_not_inflated_past_it() -> None:
    """A central directory that understates document.xml: zipfile stops at the declared
    size (then fails the CRC), so neither reader inflates more than it was told."""
    import struct

    data = bytearray(make_docx([VI_BODY] * 400))
    name = b"word/document.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[start + size_at:start + size_at + 4] = struct.pack("<I", 1000)
            start += 4
    with pytest.raises(Exception, match="(?i)crc|bad"):
        extract._docx_fast(bytes(data), _ctx())
    att = run("lying.docx", bytes(data))
    assert att.status == "failed"
