"""Factories for realistic test messages and attachments (shared by all ingest tests).

Everything is built in memory from real libraries (python-docx, openpyxl, reportlab,
Pillow, the stdlib ``email`` package), so a test says what it needs in one line and the
parser sees the same bytes a union officer's mail client would send:

    raw = build_message("BC quy I - CD truong MN Hoa Sen", "mnhoasen@gmail.com",
                        body="Kính gửi LĐLĐ quận", attachments=[
                            ("Báo cáo quý I.docx", make_docx(["BÁO CÁO QUÝ I"]), DOCX)])

Variants cover what real union mail looks like: windows-1258 or mislabelled bodies
(:func:`build_cp1258_message`), hand-encoded RFC 2047 subjects split inside a character
(:func:`build_rfc2047_subject_message`), RFC 2231 continuation filenames
(:func:`build_rfc2231_filename_message`), forwards as attachments
(:func:`build_forwarded_message`), Apple Mail inline PDFs
(:func:`build_apple_mail_inline_pdf`), and anything malformed (:func:`build_raw_message`).
Dates default to a fixed moment so built messages are byte-for-byte reproducible.
"""

from __future__ import annotations

import base64
import hashlib
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
ZIP = "application/zip"
DOC = "application/msword"
PNG = "image/png"
FEDERATION = "ldllongbien@gmail.com"
HANOI = timezone(timedelta(hours=7))
DEFAULT_DATE = datetime(2021, 3, 10, 9, 15, tzinfo=HANOI)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# Typical content, with all the Vietnamese letters that break naive decoders (ă ơ ư đ ạ ấ).
VI_TITLE = "BÁO CÁO CÔNG TÁC CÔNG ĐOÀN QUÝ I NĂM 2021"
VI_UNION = "Công đoàn cơ sở Trường Mầm non Hoa Sen"
VI_BODY = "Kính gửi Liên đoàn Lao động quận Long Biên, đơn vị xin gửi báo cáo quý I."

Attachment = tuple[str, bytes, str]  # (filename, payload, mimetype)


def fold_to_ascii(text: str) -> str:
    """Drop Vietnamese diacritics, as officers typing without a Vietnamese keyboard do."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def encode_cp1258(text: str) -> bytes:
    """Encode as windows-1258 the way Windows does: letters missing from the code page
    (ạ, ấ, ữ ...) become a base letter plus combining tone marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        for candidate in _cp1258_forms(ch):
            try:
                out += candidate.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            out += b"?"
    return bytes(out)


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258_forms(ch: str) -> list[str]:
    """ch itself, else its letter (with circumflex, breve or horn) plus a tone mark."""
    decomposed = unicodedata.normalize("NFD", ch)
    tones = "".join(c for c in decomposed if c in _TONE_MARKS)
    letter = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
    return [ch, letter + tones, decomposed]


# --------------------------------------------------------------------------- documents


def make_docx(paragraphs: Sequence[str], table: Sequence[Sequence[str]] | None = None) -> bytes:
    """A real .docx: the paragraphs, then (optionally) a table of rows of cell strings."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        width = max(len(row) for row in table)
        grid = document.add_table(rows=len(table), cols=width)
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx(rows: Sequence[Sequence[object]],
              sheets: Mapping[str, Sequence[Sequence[object]]] | None = None) -> bytes:
    """A real .xlsx: ``rows`` in the first sheet ("Sheet1"), plus any named ``sheets``."""
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Sheet1"
    for row in rows:
        first.append(list(row))
    for name, sheet_rows in (sheets or {}).items():
        sheet = book.create_sheet(name)
        for row in sheet_rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def has_vietnamese_font() -> bool:
    return DEJAVU.is_file()


def make_pdf(lines: Sequence[str]) -> bytes:
    """A PDF with a text layer (reportlab).  Vietnamese needs DejaVuSans; without it the
    text is folded to ASCII rather than drawn as missing glyphs."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = "Helvetica"
    if has_vietnamese_font():
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU)))
        font = "DejaVuSans"
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    pdf.setFont(font, 12)
    y = A4[1] - 72
    for line in lines:
        if y < 72:
            pdf.showPage()
            pdf.setFont(font, 12)
            y = A4[1] - 72
        pdf.drawString(72, y, line if font != "Helvetica" else fold_to_ascii(line))
        y -= 18
    pdf.save()
    return buffer.getvalue()


def render_text_image(lines: Sequence[str], *, width: int = 1654, font_size: int = 40):
    """A white page with the lines in black (a "scan"); returns a Pillow image."""
    from PIL import Image, ImageDraw, ImageFont

    font = (ImageFont.truetype(str(DEJAVU), font_size) if has_vietnamese_font()
            else ImageFont.load_default())
    height = max(600, 160 + len(lines) * int(font_size * 1.8))
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    y = 120
    for line in lines:
        draw.text((120, y), line if has_vietnamese_font() else fold_to_ascii(line),
                  fill=0, font=font)
        y += int(font_size * 1.8)
    return image


def make_image(lines: Sequence[str], fmt: str = "PNG") -> bytes:
    """A photo-like image of text (PNG by default; "JPEG", "TIFF" work too)."""
    buffer = io.BytesIO()
    render_text_image(lines).save(buffer, format=fmt)
    return buffer.getvalue()


def make_scanned_pdf(lines: Sequence[str]) -> bytes:
    """An image-only PDF (no text layer), as a scanner produces: only OCR can read it."""
    buffer = io.BytesIO()
    render_text_image(lines).save(buffer, format="PDF", resolution=200.0)
    return buffer.getvalue()


def make_zip(files: Mapping[str, bytes] | Iterable[tuple[str, bytes]], *,
             utf8_names: bool = True) -> bytes:
    """A zip of (name, bytes).  ``utf8_names=False`` stores names as windows-1258 bytes
    without the UTF-8 flag, as Windows' "Send to compressed folder" does."""
    items = files.items() if isinstance(files, Mapping) else files
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            info_type = zipfile.ZipInfo if utf8_names else _LegacyNameInfo
            info = info_type(name, date_time=(2021, 3, 10, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


class _LegacyNameInfo(zipfile.ZipInfo):
    """A member name stored as windows-1258 bytes with no UTF-8 flag (zipfile would
    otherwise write any non-ASCII name as flagged UTF-8)."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - zipfile's name
        return encode_cp1258(self.filename), self.flag_bits & ~0x800


def make_zip_bomb(uncompressed_bytes: int = 50 * 1024 * 1024) -> bytes:
    """One member of zeros: tiny on disk, huge inflated (ratio about 1000)."""
    buffer = io.BytesIO()
    with (zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
          archive.open("zeros.txt", "w", force_zip64=True) as member):
        chunk = b"\0" * (1024 * 1024)
        for _ in range(uncompressed_bytes // len(chunk)):
            member.write(chunk)
    return buffer.getvalue()


def make_rtf(lines: Sequence[str], codepage: int = 1258) -> bytes:
    """An RTF document as Vietnamese Word writes it: \\ansicpg1258, letters outside the
    code page as \\uN escapes with a '?' fallback."""
    body = []
    for line in lines:
        chars = []
        for ch in unicodedata.normalize("NFC", line):
            if ch.isascii() and ch not in "\\{}":
                chars.append(ch)
                continue
            try:
                chars.append("".join(f"\\'{b:02x}" for b in ch.encode(f"cp{codepage}")))
            except UnicodeEncodeError:
                chars.append(f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?")
        body.append("".join(chars) + "\\par\n")
    text = (f"{{\\rtf1\\ansi\\ansicpg{codepage}\\deff0{{\\fonttbl{{\\f0 Times New Roman;}}}}"
            "{\\*\\generator Test;}\\uc1\n" + "".join(body) + "}")
    return text.encode("ascii")


# --------------------------------------------------------------------------- messages


def _nfd(text: str | None, on: bool) -> str | None:
    return unicodedata.normalize("NFD", text) if (on and text is not None) else text


def message_id_for(subject: str, from_: str) -> str:
    digest = hashlib.sha1(f"{subject}|{from_}".encode()).hexdigest()[:16]
    return f"<{digest}@test.ldl>"


def build_message(subject: str, from_: str, to: str = FEDERATION, body: str = "",
                  html: str | None = None, attachments: Sequence[Attachment] = (),
                  date: datetime | str | None = None, headers: Mapping[str, str] | None = None,
                  charset: str | None = None, inline_attachments: Sequence[Attachment] = (),
                  nfd: bool = False, message_id: str | None = None) -> bytes:
    """A complete message as a mail client sends it (CRLF line ends).

    ``body``/``html``: plain and/or HTML text (both given: multipart/alternative; only
    ``html``: an HTML-only mail, as Gmail's rich editor can send).  ``attachments`` get
    Content-Disposition: attachment, with RFC 2231 names when non-ASCII;
    ``inline_attachments`` get disposition inline and a Content-ID (signature logos,
    pasted images).  ``charset`` encodes the body in that charset (e.g. "windows-1258").
    ``nfd=True`` decomposes subject, body and filenames as macOS does.  ``date`` defaults
    to 2021-03-10 09:15 +07:00; ``message_id`` defaults to a hash of subject and sender.
    """
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = _nfd(from_, nfd) or ""
    msg["To"] = to
    msg["Subject"] = _nfd(subject, nfd) or ""
    when = date if date is not None else DEFAULT_DATE
    msg["Date"] = when if isinstance(when, str) else format_datetime(when)
    msg["Message-ID"] = message_id or message_id_for(subject, from_)
    for name, value in (headers or {}).items():
        msg[name] = " ".join(value.split())  # the policy refolds; it refuses raw folds
    text = _nfd(body, nfd) or ""
    markup = _nfd(html, nfd)
    if markup is not None and not body:
        msg.set_content(markup, subtype="html", charset=charset or "utf-8")
    else:
        msg.set_content(text, charset=charset or "utf-8")
        if markup is not None:
            msg.add_alternative(markup, subtype="html", charset=charset or "utf-8")
    for filename, data, mimetype in attachments:
        maintype, subtype = mimetype.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype,
                           filename=_nfd(filename, nfd))
    for number, (filename, data, mimetype) in enumerate(inline_attachments, 1):
        maintype, subtype = mimetype.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, disposition="inline",
                           filename=_nfd(filename, nfd), cid=f"<inline{number}@test.ldl>")
    return msg.as_bytes()


def build_raw_message(headers: Sequence[str | bytes], body: bytes | str = b"", *,
                      linesep: bytes = b"\r\n") -> bytes:
    """Bytes exactly as given: for malformed mail that no library would produce.

    Header lines are joined with ``linesep``, then a blank line, then ``body``."""
    lines = [h if isinstance(h, bytes) else h.encode("utf-8") for h in headers]
    payload = body.encode("utf-8") if isinstance(body, str) else body
    return linesep.join(lines) + linesep + linesep + payload


def _b64_lines(data: bytes) -> bytes:
    encoded = base64.b64encode(data)
    return b"\r\n".join(encoded[i:i + 76] for i in range(0, len(encoded), 76))


def build_cp1258_message(subject: str, from_: str, body: str, *,
                         declared: str | None = "windows-1258", transfer: str = "8bit") -> bytes:
    """A body encoded in windows-1258, labelled ``declared`` (None: no charset at all; a
    wrong label such as "iso-8859-1" makes it a mislabelled message).  ``transfer`` is
    "8bit" (raw bytes) or "base64"."""
    payload = encode_cp1258(body)
    ctype = "text/plain" + (f'; charset="{declared}"' if declared else "")
    headers = [f"From: {from_}", f"To: {FEDERATION}", f"Subject: {subject}",
               f"Date: {format_datetime(DEFAULT_DATE)}",
               f"Message-ID: {message_id_for(subject, from_)}", "MIME-Version: 1.0",
               f"Content-Type: {ctype}", f"Content-Transfer-Encoding: {transfer}"]
    data = _b64_lines(payload) if transfer == "base64" else payload
    return build_raw_message(headers, data)


def rfc2047(text: str, charset: str = "utf-8", encoding: str = "B", *,
            chunk: int = 0) -> str:
    """Hand-made RFC 2047 encoded words.  ``chunk`` > 0 splits the encoded bytes every
    ``chunk`` bytes, even inside a multibyte character, as some Outlook versions do."""
    data = text.encode(charset) if charset.lower() != "windows-1258" else encode_cp1258(text)
    pieces = [data[i:i + chunk] for i in range(0, len(data), chunk)] if chunk else [data]
    words = []
    for piece in pieces:
        if encoding.upper() == "B":
            words.append(f"=?{charset}?B?{base64.b64encode(piece).decode()}?=")
        else:
            quoted = "".join(chr(b) if (chr(b).isalnum() and b < 128) else f"={b:02X}"
                             for b in piece)
            words.append(f"=?{charset}?Q?{quoted}?=")
    return "\r\n ".join(words)


def build_rfc2047_subject_message(subject: str, from_: str = "mnhoasen@gmail.com", *,
                                  charset: str = "utf-8", encoding: str = "B",
                                  chunk: int = 7, body: str = "Xem file đính kèm") -> bytes:
    """A message whose Subject is hand-encoded RFC 2047, folded over several lines and
    split inside multibyte characters (see :func:`rfc2047`)."""
    headers = [f"From: {from_}", f"To: {FEDERATION}",
               f"Subject: {rfc2047(subject, charset, encoding, chunk=chunk)}",
               f"Date: {format_datetime(DEFAULT_DATE)}", "MIME-Version: 1.0",
               'Content-Type: text/plain; charset="utf-8"',
               "Content-Transfer-Encoding: base64"]
    return build_raw_message(headers, _b64_lines(body.encode("utf-8")))


def build_rfc2231_filename_message(filename: str, data: bytes, mimetype: str = DOCX, *,
                                   from_: str = "mnhoasen@gmail.com",
                                   subject: str = "Bao cao quy I", charset: str = "utf-8",
                                   segment: int = 20, style: str = "rfc2231") -> bytes:
    """A message with one attachment whose name uses RFC 2231 continuations
    (``filename*0*=utf-8''...; filename*1*=...``), or with ``style="rfc2047"`` the
    non-standard ``filename="=?utf-8?B?...?="`` that Outlook and Gmail send."""
    encoded = filename.encode(charset) if charset != "windows-1258" else encode_cp1258(filename)
    if style == "rfc2047":
        params = f'\tfilename="{rfc2047(filename, charset)}"'.replace("\r\n ", " ")
        type_name = f'\tname="{rfc2047(filename, charset)}"'.replace("\r\n ", " ")
    else:
        tokens = [chr(b) if chr(b).isalnum() and b < 128 else f"%{b:02X}" for b in encoded]
        quoted = "".join(tokens)
        chunks = ["".join(tokens[i:i + segment]) for i in range(0, len(tokens), segment)]
        params = ";\r\n".join(
            f"\tfilename*{n}*={charset}''{c}" if n == 0 else f"\tfilename*{n}*={c}"
            for n, c in enumerate(chunks))
        type_name = f"\tname*={charset}''{quoted}"
    boundary = "----=_Part_2231"
    body = b"\r\n".join([
        f"--{boundary}".encode(), b'Content-Type: text/plain; charset="utf-8"', b"",
        "Gửi LĐLĐ quận báo cáo".encode(), f"--{boundary}".encode(),
        f"Content-Type: {mimetype};\r\n{type_name}".encode(),
        b"Content-Transfer-Encoding: base64",
        f"Content-Disposition: attachment;\r\n{params}".encode(), b"", _b64_lines(data),
        f"--{boundary}--".encode(), b""])
    headers = [f"From: {from_}", f"To: {FEDERATION}", f"Subject: {subject}",
               f"Date: {format_datetime(DEFAULT_DATE)}", "MIME-Version: 1.0",
               f'Content-Type: multipart/mixed; boundary="{boundary}"']
    return build_raw_message(headers, body)


def build_forwarded_message(inner: bytes, *, subject: str = "Fwd: Bao cao quy I",
                            from_: str = "chutich.mnhoasen@gmail.com",
                            body: str = "Em chuyển tiếp báo cáo của đơn vị ạ.") -> bytes:
    """``inner`` (a complete message) forwarded as an attachment (message/rfc822), as
    Outlook's "Forward as Attachment" and Thunderbird's default forward do."""
    from email import message_from_bytes

    outer = EmailMessage(policy=policy.SMTP)
    outer["From"] = from_
    outer["To"] = FEDERATION
    outer["Subject"] = subject
    outer["Date"] = format_datetime(DEFAULT_DATE + timedelta(days=1))
    outer["Message-ID"] = message_id_for(subject, from_)
    outer.set_content(body)
    attached = message_from_bytes(inner, policy=policy.SMTP)
    outer.add_attachment(attached, filename="forwarded.eml")
    return outer.as_bytes()


def build_apple_mail_inline_pdf(subject: str, from_: str, body: str, pdf_name: str,
                                pdf: bytes) -> bytes:
    """Apple Mail's layout: multipart/alternative whose HTML side is a multipart/mixed of
    HTML, the PDF shown inline (Content-Disposition: inline), then more HTML.  Names and
    text are NFD, as macOS writes them."""
    subject, body, pdf_name = (unicodedata.normalize("NFD", s) for s in (subject, body,
                                                                          pdf_name))
    outer = EmailMessage(policy=policy.SMTP)
    outer["From"] = from_
    outer["To"] = FEDERATION
    outer["Subject"] = subject
    outer["Date"] = format_datetime(DEFAULT_DATE)
    outer["Message-ID"] = message_id_for(subject, from_)
    outer["X-Mailer"] = "Apple Mail (2.3654.120.0.1.13)"
    outer.make_alternative()
    plain = EmailMessage(policy=policy.SMTP)
    plain.set_content(body)
    mixed = EmailMessage(policy=policy.SMTP)
    mixed.make_mixed()
    html_head = EmailMessage(policy=policy.SMTP)
    html_head.set_content(f"<html><body><div>{body}</div></body></html>", subtype="html")
    attachment = EmailMessage(policy=policy.SMTP)
    attachment.set_content(pdf, maintype="application", subtype="pdf", disposition="inline",
                           filename=pdf_name)
    html_tail = EmailMessage(policy=policy.SMTP)
    html_tail.set_content("<html><body><div><br></div></body></html>", subtype="html")
    for part in (html_head, attachment, html_tail):
        mixed.attach(part)
    outer.attach(plain)
    outer.attach(mixed)
    return outer.as_bytes()


# --------------------------------------------------------------------------- Word 97 (.doc)

_SECTOR = 512
_END_OF_CHAIN, _FREE, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def make_doc(paragraphs: Sequence[str]) -> bytes:
    """A minimal but genuine Word 97-2003 .doc (OLE2 container, FIB, piece table, UTF-16
    text) that antiword and catdoc read, since no Python library writes .doc files.

    Only what readers need is written: the WordDocument stream (FIB + text) and the
    1Table stream (one Unicode piece).  Both streams are padded to 4 KiB so they live in
    regular sectors and no mini-stream is needed.
    """
    import struct

    text = "\r".join(paragraphs) + "\r"
    encoded = text.encode("utf-16-le")
    text_offset = 0x800
    word = bytearray(max(4096, _round_up(text_offset + len(encoded), _SECTOR)))
    # 1Table: piece table, an empty stylesheet, one section, a zeroed DOP; each is
    # announced by an (fc, lcb) pair in the FIB (antiword reads past empty ones).
    structures = [
        (0x1A2, _piece_table(len(text), text_offset)),
        (0x0A2, struct.pack("<H", 18) + struct.pack("<HH", 0, 10) + bytes(14)),
        (0x0CA, struct.pack("<II", 0, len(text)) + struct.pack("<HIHI", 0, 0xFFFFFFFF, 0, 0)),
        (0x192, bytes(544)),
    ]
    table = bytearray(4096)
    position = 0
    fib = {0x00: ("<H", 0xA5EC), 0x02: ("<H", 0x00C1), 0x0A: ("<H", 0x0200),
           0x18: ("<I", text_offset), 0x1C: ("<I", text_offset + len(encoded)),
           0x4C: ("<I", len(text))}
    for fib_offset, data in structures:
        table[position: position + len(data)] = data
        fib[fib_offset] = ("<I", position)
        fib[fib_offset + 4] = ("<I", len(data))
        position += _round_up(len(data), 4)
    for offset, (fmt, value) in fib.items():
        struct.pack_into(fmt, word, offset, value)
    word[text_offset: text_offset + len(encoded)] = encoded
    return _ole_container({"WordDocument": bytes(word), "1Table": bytes(table)})


def _round_up(value: int, unit: int) -> int:
    return (value + unit - 1) // unit * unit


def _piece_table(characters: int, text_offset: int) -> bytes:
    import struct

    plc = struct.pack("<II", 0, characters) + struct.pack("<HIH", 0, text_offset, 0)
    return b"\x02" + struct.pack("<I", len(plc)) + plc


def _ole_container(streams: Mapping[str, bytes]) -> bytes:
    """An OLE2 compound file (v3, 512-byte sectors) holding ``streams`` (each >= 4096
    bytes, so in regular sectors) plus the one-block mini stream readers expect."""
    import struct

    # Sectors: 0 FAT, 1 directory, 2 mini-FAT, 3 mini stream (readers expect one), streams.
    fat = [_FAT_SECTOR, _END_OF_CHAIN, _END_OF_CHAIN, _END_OF_CHAIN]
    starts = []
    mini_fat = struct.pack("<I", _END_OF_CHAIN).ljust(_SECTOR, b"\xff")
    body = mini_fat + bytes(_SECTOR)
    for data in streams.values():
        sectors = _round_up(len(data), _SECTOR) // _SECTOR
        start = len(fat)
        starts.append(start)
        fat.extend(list(range(start + 1, start + sectors)) + [_END_OF_CHAIN])
        body += data.ljust(sectors * _SECTOR, b"\0")
    assert len(fat) <= _SECTOR // 4, "streams too large for a one-sector FAT"
    fat_sector = struct.pack(f"<{_SECTOR // 4}I", *(fat + [_FREE] * (_SECTOR // 4 - len(fat))))
    names = list(streams)
    entries = [_dir_entry("Root Entry", 5, child=1, start=3, size=64)]
    for index, name in enumerate(names):
        right = index + 2 if index + 1 < len(names) else _NO_STREAM
        entries.append(_dir_entry(name, 2, right=right, start=starts[index],
                                  size=len(streams[name])))
    directory = b"".join(entries).ljust(_SECTOR, b"\0")
    header = bytearray(_SECTOR)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x2C, 1, 1, 0, 4096, 2, 1, _END_OF_CHAIN, 0, 0)
    struct.pack_into("<108I", header, 0x50, *([_FREE] * 108))
    return bytes(header) + fat_sector + directory + body


def _dir_entry(name: str, kind: int, *, child: int = _NO_STREAM, right: int = _NO_STREAM,
               start: int, size: int) -> bytes:
    import struct

    encoded = (name + "\0").encode("utf-16-le")
    entry = bytearray(128)
    entry[: len(encoded)] = encoded
    struct.pack_into("<HBB", entry, 0x40, len(encoded), kind, 1)
    struct.pack_into("<III", entry, 0x44, _NO_STREAM, right, child)
    struct.pack_into("<II", entry, 0x74, start, size)
    return bytes(entry)


# --------------------------------------------------------------------------- tool checks


def require_tools(*tools: str, tesseract_langs: Sequence[str] = ()) -> None:
    """Skip the calling test when an external tool (or tesseract language) is missing,
    but fail it under CI=true, where the image must provide them all."""
    import os
    import shutil
    import subprocess

    import pytest

    missing = [tool for tool in tools if shutil.which(tool) is None]
    if tesseract_langs and "tesseract" not in missing:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True,
                                timeout=30, check=False).stdout.decode().split()
        missing += [f"tesseract-{lang}" for lang in tesseract_langs if lang not in listed]
    if not missing:
        return
    reason = f"not installed: {', '.join(missing)}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)
