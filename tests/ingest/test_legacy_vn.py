"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI) read back as Unicode.

The tests encode real report phrases with their own encoders, built from the module's
tables in the other direction, so a wrong or incomplete table shows up as a failed round
trip; the detector is held to no false conversion on a corpus of ordinary text; and a real
.docx typed in ".VnTime", with a TCVN3 file name, goes through ``ldl ingest --from``.
"""

from __future__ import annotations

import io
import mailbox
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest
from sqlalchemy import select

from ingest.legacy_docx import legacy_paragraphs
from ingest.legacy_vn import (
    TCVN3,
    TCVN3_TABLE,
    VNI,
    VNI_LETTERS,
    VNI_MARKS,
    decode_tcvn3,
    decode_vni,
    detect,
    fix_legacy,
    fix_runs,
    font_encoding,
    is_syllable,
)
from ingest.parse import parse_message
from ldl.app import App
from storage.models import Attachment, Message
from tests.conftest import SAMPLE_DIRECTORY, Ldl
from tests.ingest.builders import (
    DOC,
    DOCX,
    XLSX,
    build_message,
    build_raw_message,
    build_rfc2231_filename_message,
    make_doc,
    make_xlsx,
    require_tools,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TONES = "\u0300\u0301\u0303\u0309\u0323"
SHAPES = "\u0302\u0306\u031b"  # circumflex, breve, horn

# Every Vietnamese letter: 12 vowels in 6 tones, both cases, and đ/Đ.
VOWELS = "aăâeêioôơuưy"
LOWER = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in ["", *TONES]] + ["đ"]
ALL_LETTERS = LOWER + [ch.upper() for ch in LOWER]

PHRASES = [
    "Báo cáo kết quả thực hiện quý I năm 2021",
    "Công đoàn cơ sở Trường THCS Ngọc Lâm",
    "Đăng ký mô hình Dân vận khéo",
    "Liên đoàn Lao động quận Long Biên",
    "Kính gửi: Ban Thường vụ Liên đoàn Lao động quận",
    "Báo cáo sơ kết công tác công đoàn 6 tháng đầu năm 2021",
    "Phương hướng, nhiệm vụ trọng tâm quý II",
    "Người lập biểu: Nguyễn Thị Hương, Phó Chủ tịch",
    "Tổng số đoàn viên: 35, trong đó nữ 28",
    "Chăm lo đời sống, bảo vệ quyền lợi hợp pháp của người lao động",
    "Hà Nội, ngày 05 tháng 4 năm 2021",
    "Mỹ Đình, Uỷ ban nhân dân phường Bồ Đề",
    "những việc đã làm được, tồn tại và hạn chế",
    "Ươm mầm xanh, giữ gìn vệ sinh, khuyến học, khuyến tài",
    "Số: 12/BC-CĐ",
]


# --------------------------------------------------------------------------- own encoders

_TO_TCVN3 = {uni: code for code, uni in TCVN3_TABLE.items()}
_VNI_TONE_MARKS = {uni: code for code, uni in VNI_MARKS.items()}


def to_tcvn3(text: str) -> str:
    """Unicode to TCVN3 (as read in windows-1252); capitals with marks do not exist in it."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            out.append(ch)
        elif ch in _TO_TCVN3:
            out.append(_TO_TCVN3[ch])
        else:
            raise ValueError(f"{ch!r} has no TCVN3 code")
    return "".join(out)


def to_vni(text: str) -> str:
    """Unicode to VNI-Windows: single-byte letters where VNI has one, else base + marks."""
    singles = {uni: code for code, uni in VNI_LETTERS.items() if code != uni}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            out.append(ch)
            continue
        if ch in singles:
            out.append(singles[ch])
            continue
        if VNI_LETTERS.get(ch) == ch:  # í, ì: the same byte
            out.append(ch)
            continue
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        tone = "".join(m for m in marks if m in TONES)
        shape = "".join(m for m in marks if m in SHAPES)
        if shape == "\u031b":  # horn: ơ and ư are letters of their own in VNI
            base = singles[unicodedata.normalize("NFC", base + shape)]
            shape = ""
        mark = _VNI_TONE_MARKS[shape + tone] if shape or tone else ""
        out.append(base + (mark.upper() if base.isupper() else mark))
    return "".join(out)


# --------------------------------------------------------------------------- the tables


def test_tcvn3_table_is_a_bijection_onto_the_vn3_repertoire() -> None:
    codes, letters = list(TCVN3_TABLE), list(TCVN3_TABLE.values())
    assert len(set(letters)) == len(letters) == len(codes)
    assert all("\u00a1" <= code <= "\u00fe" for code in codes)
    # VN3 holds every lower-case letter and the seven capital base letters, nothing else.
    lower_non_ascii = {ch for ch in LOWER if not ch.isascii()}
    assert set(letters) == lower_non_ascii | set("ĂÂÊÔƠƯĐ")
    for ch in lower_non_ascii | set("ĂÂÊÔƠƯĐ"):
        assert decode_tcvn3(to_tcvn3(ch)) == ch


def test_vni_encodes_every_letter_distinctly_and_back() -> None:
    encoded = {ch: to_vni(ch) for ch in ALL_LETTERS}
    assert len(set(encoded.values())) == len(ALL_LETTERS)  # injective
    for ch, code in encoded.items():
        assert all(c <= "\u00ff" for c in code), ch  # VNI lives in one byte per char
        assert decode_vni(code) == ch, (ch, code)
    assert len(set(VNI_MARKS.values())) == len(VNI_MARKS)


def test_h_fonts_draw_capitals() -> None:
    for phrase in PHRASES:
        assert decode_tcvn3(to_tcvn3(phrase.lower()), capitals=True) == phrase.upper()


def test_font_names() -> None:
    assert font_encoding(".VnTime") == (TCVN3, False)
    assert font_encoding(".VnTimeH") == (TCVN3, True)
    assert font_encoding(".VnArialH") == (TCVN3, True)
    assert font_encoding("VNI-Times") == (VNI, False)
    assert font_encoding("Times New Roman") is None
    assert font_encoding(None) is None


def test_syllables() -> None:
    for word in ["báo", "cáo", "quý", "nghiêng", "giữa", "gì", "khuyến", "Trường", "ĐOÀN",
                 "ươm", "oanh", "kết", "được", "hoa", "thuở"]:
        assert is_syllable(word), word
    for word in ["kõt", "cafộ", "fỹr", "B¸o", "trốs", "Müller", "cá́", "sắn̉", "xyz",
                 "ghá", "tãc", "kót", "ngé"]:
        assert not is_syllable(word), word


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("phrase", PHRASES)
def test_tcvn3_phrases_round_trip(phrase: str) -> None:
    typed = to_tcvn3(phrase)
    assert typed != phrase
    assert fix_legacy(typed) == (phrase, TCVN3)


@pytest.mark.parametrize("phrase", PHRASES)
def test_vni_phrases_round_trip(phrase: str) -> None:
    typed = to_vni(phrase)
    assert typed != phrase
    assert fix_legacy(typed) == (phrase, VNI)
    assert fix_legacy(to_vni(phrase.upper())) == (phrase.upper(), VNI)


def test_the_examples_of_the_issue() -> None:
    assert fix_legacy("B¸o c¸o quý") == ("Báo cáo quý", TCVN3)
    assert fix_legacy("Baùo caùo") == ("Báo cáo", VNI)


def test_capitals_typed_in_tcvn3_come_back_capital() -> None:
    # An H font shows every letter as a capital; people type it with caps lock or not.
    assert fix_legacy("B¸O C¸O QUý I N¡M 2021") == ("BÁO CÁO QUÝ I NĂM 2021", TCVN3)
    assert fix_runs([(to_tcvn3("báo cáo quý i"), ".VnTimeH"), (" năm 2021", "Arial")]) == \
        "BÁO CÁO QUÝ I năm 2021"


def test_a_whole_document_and_its_short_lines() -> None:
    text = "\n".join(PHRASES[:4] + ["Hà Nội", "Kết quả", "35", "Nguyễn Văn An", "Sơn"])
    fixed, encoding = fix_legacy(to_tcvn3(text))
    assert (fixed, encoding) == (text, TCVN3)
    fixed, encoding = fix_legacy(to_vni(text))
    assert (fixed, encoding) == (text, VNI)


def test_mixed_unicode_document_with_a_tcvn3_run() -> None:
    unicode_lines = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Tôi là giáo viên", "Café sáng thứ hai"]
    legacy = to_tcvn3("Báo cáo kết quả thực hiện quý I năm 2021")
    mixed_line = "Kính gửi Liên đoàn: " + to_tcvn3("công đoàn cơ sở trường")
    text = "\n".join([*unicode_lines, legacy, mixed_line])
    fixed, encoding = fix_legacy(text)
    assert encoding == TCVN3
    assert fixed.split("\n") == [*unicode_lines, "Báo cáo kết quả thực hiện quý I năm 2021",
                                 "Kính gửi Liên đoàn: công đoàn cơ sở trường"]


# --------------------------------------------------------------------------- negatives

ORDINARY = [
    "Please find attached the quarterly report. Best regards, John",
    "Le café est très bon, déjà vu. Où est-il? Ça va très bien, merci à vous.",
    "Où êtes-vous? Là-bas, près de la fenêtre; l'été dernier à Nîmes.",
    "Größe für Übung: Müller & Söhne GmbH, Straße 12, München",
    "São Paulo não é longe; açúcar, coração, informação.",
    "El niño comió piña en España; ¿dónde está el baño?",
    "Tôi là giáo viên",
    "Báo cáo quý I năm 2021",
    "Công đoàn cơ sở Trường Mầm non Hoa Sen gửi báo cáo sơ kết 6 tháng đầu năm",
    "Bao cao quy I nam 2021 - CD truong THCS Ngoc Lam",
    "Cá, cà, cả, cã, cạ; tôi, tối, tồi, tổi, tỗi, tội",
    "Bà ấy là cô giáo, ông ấy là kĩ sư",
    "https://drive.google.com/file/d/1AbC_dEf/view?usp=sharing&x=%C3%A1",
    "Tổng: 1.234.567 đ; 45% ; 3×4 m² ; ½ ; 25°C ; © 2021 Google LLC ; Microsoft®",
    "« Bonjour » ; “quoted” ; — dash ; naïve résumé coördinate",
    "def f(x): return {'é': x ** 2}  # ½ µs",
    "Ðорога; Æsir; Ørsted; Þór; ßtraße",
    "¡C",  # a stray byte of another charset
    "Ð\x9fÑ\x80Ð¾Ñ\x84Ð¸Ð»Ñ\x8c",  # UTF-8 Cyrillic read as Latin-1
    "Ð´Ð°Ð½Ð½Ð¾Ðµ Ð¿Ð¸Ñ\x81Ñ\x8cÐ¼Ð¾, Ñf.Ðº. Ð² Ð½ÐµÐ¼",
    "Jessie lauert! Die Bö. Der Großschot\nwettern die Boote in Bö um Bö, stehen starr\n"
    "ich badete in deinem Haß und schwor gegen den Wind, daß er",
    "Ñandú, Ñuñoa; ¡Hola, señor! ¿Qué tal? Añejo, niño, año",
    # Translations of free software that an earlier detector converted (of 1.8 million):
    "Aïn Defla",
    "Töm papperskorgen",
    "Reponsa del mandatari HTTP tròp longa",
    "Desactiva -w, aún cuando haya sido activado implícitamente.",
    "Ukendt variabel »%s« på »%s«, linje %d.",
    "Nuk arrij të hap konvertuesin nga '%s' në '%s': %s",
    "Feil: En tjeneste å vente på må oppgis.",
    "%s: Flaggan -L given mer än en gång",
    "Dacă nu este furnizat parametrul DOMENIU_TEXT. În cazul în care",
    "Neveljavno ime »%s«: neveljaven znak »%c«; dovoljene so samo male črke",
    "Die Optionen »-l« und »-d« sind notwendig.",
    "Tâi-oân",
    "Er is al een nieuwere versie geÃ¯nstalleerd",
    "Meán-Ghaeilge (900-1200)",
    "Noû Mecsike",
    "Sadece GhostScript yazıtiplerini göm",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_no_false_conversion(text: str) -> None:
    assert fix_legacy(text) == (text, None)
    assert detect(text) is None


def test_no_false_conversion_of_the_whole_corpus_as_one_text() -> None:
    text = "\n".join(ORDINARY)
    assert fix_legacy(text) == (text, None)


# --------------------------------------------------------------------------- parsing


def _legacy_docx(font: str = ".VnTime") -> bytes:
    document = docx.Document()
    header = document.add_paragraph().add_run(to_tcvn3("công đoàn trường mầm non hoa sữa"))
    header.font.name = ".VnTimeH"
    for phrase in ["Báo cáo kết quả thực hiện quý I năm 2021",
                   "Kính gửi: Liên đoàn Lao động quận Long Biên"]:
        document.add_paragraph().add_run(to_tcvn3(phrase)).font.name = font
    document.add_paragraph("Tôi là")  # Unicode that a TCVN3 reading would change ("Tụi")
    paragraph = document.add_paragraph()
    paragraph.add_run("Tổng số đoàn viên: ")  # a Unicode run beside a legacy one
    paragraph.add_run(to_tcvn3("35 người")).font.name = font
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run(to_tcvn3("Nữ")).font.name = font
    table.cell(0, 1).text = "28"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


EXPECTED_DOCX_TEXT = ("CÔNG ĐOÀN TRƯỜNG MẦM NON HOA SỮA\n"
                      "Báo cáo kết quả thực hiện quý I năm 2021\n"
                      "Kính gửi: Liên đoàn Lao động quận Long Biên\n"
                      "Tôi là\n"
                      "Tổng số đoàn viên: 35 người\nNữ | 28")


def test_docx_runs_in_legacy_fonts_are_found_by_font() -> None:
    # python-docx writes no font table: without a hint from the text, the body is not read
    assert legacy_paragraphs(_legacy_docx()) == ([], None)
    paragraphs, encoding = legacy_paragraphs(_legacy_docx(), scan_body=True)
    assert encoding == TCVN3
    assert ("Tổng số đoàn viên: " + to_tcvn3("35 người"),
            "Tổng số đoàn viên: 35 người") in paragraphs
    plain = docx.Document()
    plain.add_paragraph("Báo cáo quý I")
    out = io.BytesIO()
    plain.save(out)
    assert legacy_paragraphs(out.getvalue(), scan_body=True) == ([], None)


def _with_font_table(data: bytes, *fonts: str) -> bytes:
    """The package with a font table naming ``fonts``, as Word writes one."""
    table = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             + "".join(f'<w:font w:name="{font}"/>' for font in fonts) + "</w:fonts>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename != "word/fontTable.xml":
                dst.writestr(item, src.read(item))
        dst.writestr("word/fontTable.xml", table)
    return out.getvalue()


def test_a_font_table_naming_a_legacy_font_is_enough() -> None:
    # A heading typed in plain letters in ".VnTimeH" looks like nothing to a detector:
    # only the font says it is drawn in capitals.
    document = docx.Document()
    document.add_paragraph().add_run("bao cao nam 2021").font.name = ".VnTimeH"
    document.add_paragraph("Nội dung")
    out = io.BytesIO()
    document.save(out)
    data = _with_font_table(out.getvalue(), "Times New Roman", ".VnTimeH")
    assert legacy_paragraphs(data) == ([("bao cao nam 2021", "BAO CAO NAM 2021")], TCVN3)
    att = parse_message(build_message("BC", "a@b.vn", attachments=[
        ("bc.docx", data, DOCX)])).attachments[0]
    assert att.text == "BAO CAO NAM 2021\nNội dung"
    assert att.legacy_encoding == TCVN3


def test_parse_converts_subject_body_file_name_and_docx() -> None:
    raw = build_message(to_tcvn3("Báo cáo quý I năm 2021"), "cdmnhoasua@gmail.com",
                        body=to_vni("Kính gửi Liên đoàn, đơn vị gửi báo cáo quý I."),
                        attachments=[(to_tcvn3("Báo cáo quý I.docx"), _legacy_docx(), DOCX)])
    doc = parse_message(raw)
    assert doc.subject == "Báo cáo quý I năm 2021"
    assert doc.body_text == "Kính gửi Liên đoàn, đơn vị gửi báo cáo quý I."
    att = doc.attachments[0]
    assert att.filename == "Báo cáo quý I.docx"
    assert att.text == EXPECTED_DOCX_TEXT
    assert att.heading == "CÔNG ĐOÀN TRƯỜNG MẦM NON HOA SỮA"
    assert att.legacy_encoding == TCVN3 and "converted from TCVN3" in (att.error or "")
    assert any(d.startswith("subject: converted from TCVN3") for d in doc.defects)
    assert any(d.startswith("body: converted from VNI") for d in doc.defects)


def test_old_word_97_file_in_tcvn3() -> None:
    require_tools("antiword")
    lines = ["Báo cáo kết quả thực hiện quý I năm 2021",
             "Công đoàn cơ sở Trường THCS Ngọc Lâm"]
    raw = build_message("BC quy 1", "a@b.vn", attachments=[
        ("bc.doc", make_doc([to_tcvn3(line) for line in lines]), DOC)])
    att = parse_message(raw).attachments[0]
    assert att.status == "ok", att.error
    assert att.text == "\n".join(lines)
    assert att.legacy_encoding == TCVN3 and att.error == "text converted from TCVN3 (ABC, .VnTime)"


def test_spreadsheet_cells_in_vni() -> None:
    rows = [["STT", "Nội dung", "Số lượng"], [1, "Đoàn viên công đoàn", 35],
            [2, "Nữ công nhân viên chức", 28]]
    encoded = [[to_vni(c) if isinstance(c, str) else c for c in row] for row in rows]
    raw = build_message("BC quy 1", "a@b.vn", attachments=[
        ("bc.xlsx", make_xlsx(encoded), XLSX)])
    att = parse_message(raw).attachments[0]
    assert att.legacy_encoding == VNI
    for phrase in ("Nội dung", "Đoàn viên công đoàn", "Nữ công nhân viên chức"):
        assert phrase in att.text


def test_ordinary_mail_is_left_alone() -> None:
    raw = build_message("Báo cáo quý I - café", "a@b.vn", body="Où est le café? Größe.",
                        attachments=[("Résumé.docx", _plain_docx(["Tôi là giáo viên"]),
                                      DOCX)])
    doc = parse_message(raw)
    assert doc.subject == "Báo cáo quý I - café"
    assert doc.attachments[0].filename == "Résumé.docx"
    assert doc.attachments[0].text == "Tôi là giáo viên"
    assert doc.attachments[0].legacy_encoding is None
    assert not any("converted from" in d for d in doc.defects)


def _plain_docx(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("charset", ["iso-8859-1", "windows-1252"])
@pytest.mark.parametrize(("encode", "encoding"), [(to_tcvn3, TCVN3), (to_vni, VNI)])
def test_rfc2231_file_name_in_a_legacy_font(charset: str, encode: Callable[[str], str],
                                            encoding: str) -> None:
    # The old client hands the font's bytes to the mail program as its ANSI code page.
    readable = "Báo cáo sơ kết 6 tháng đầu năm 2021 - Trường THCS Ngọc Lâm.doc"
    raw = build_rfc2231_filename_message(encode(readable), b"not really a doc",
                                         charset=charset)
    doc = parse_message(raw)
    assert doc.attachments[0].filename == readable
    assert doc.attachments[0].legacy_encoding == encoding


@pytest.mark.parametrize("encode", [to_tcvn3, to_vni])
@pytest.mark.parametrize("charset", [None, "iso-8859-1"])
def test_old_client_8bit_mail_without_a_true_charset(encode: Callable[[str], str],
                                                     charset: str | None) -> None:
    # Outlook Express on a machine with an ABC or VNI keyboard sends the font's bytes as
    # they are: raw 8-bit headers, a body labelled Latin-1 or not labelled at all.  A
    # windows-1258 guess must not get there first ("kÕt" read as "kƠt").
    subject, body = "Báo cáo kết quả quý I năm 2021", "Kính gửi: Liên đoàn Lao động quận"
    ctype = f"text/plain; charset={charset}" if charset else "text/plain"
    raw = build_raw_message([
        b"From: cdcs@example.vn", b"To: ldl@example.vn",
        b"Subject: " + encode(subject).encode("cp1252"),
        b"Date: Wed, 10 Mar 2021 09:15:00 +0700", b"MIME-Version: 1.0",
        f"Content-Type: {ctype}".encode(), b"Content-Transfer-Encoding: 8bit"],
        encode(body).encode("cp1252"))
    doc = parse_message(raw)
    assert doc.subject == subject
    assert doc.body_text == body


# --------------------------------------------------------------------------- end to end


def test_ingest_from_maildir_stores_unicode(ldl: Ldl, app: App, tmp_path: Path) -> None:
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.add(build_message(
        subject=to_tcvn3("Báo cáo quý I năm 2021"), from_="cdmnhoasua@gmail.com",
        body="", date=datetime(2021, 3, 10, 9, tzinfo=HCM), message_id="<vn3@x>",
        attachments=[(to_tcvn3("Báo cáo quý I.docx"), _legacy_docx(), DOCX)]))
    result = ldl("ingest", "--from", str(tmp_path / "Maildir"), "--no-progress")
    assert result.exit_code == 0, result.output
    assert "credited 1" in result.output  # the rules read the converted words
    with app.sessions() as session:
        message = session.scalars(select(Message)).one()
        att = session.scalars(select(Attachment)).one()
        assert message.subject == "Báo cáo quý I năm 2021"
        assert att.filename == "Báo cáo quý I.docx"
        assert att.text == EXPECTED_DOCX_TEXT
        assert att.heading == "CÔNG ĐOÀN TRƯỜNG MẦM NON HOA SỮA"
    shown = ldl("triage", "show", "vn3@x").output
    assert "note: subject: converted from TCVN3" in shown
    assert "file name 'B¸o c¸o quý I.docx': converted from TCVN3" in shown
    assert "text converted from TCVN3 (ABC, .VnTime) (by its fonts)" in shown
