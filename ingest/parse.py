"""Raw message bytes to a :class:`MessageDoc`.

mail-parser does the first pass: it builds the stdlib message tree, parses Date: to UTC
and collects the MIME defects of every part.  Content is then read from that same tree
with our own walk, because mail-parser gets exactly the things this inbox depends on
wrong (see shared/LIBRARIES.md):

* it decodes text with the declared charset and ``errors="ignore"``: Vietnamese letters
  vanish from mislabelled windows-1258 mail.  We decode strictly and fall back
  (:func:`ingest.textdecode.decode_bytes`), recording a defect;
* it mixes a forwarded message's (message/rfc822) text into the body unmarked; we mark it;
* it names unnamed parts randomly; we name them deterministically (same bytes, same doc).

Nothing here raises on malformed input: problems become ``doc.defects``.  Only bytes that
are not a message at all (empty, or a binary file such as an Outlook .msg or a PDF) raise
:class:`ParseError`.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.parser
import email.policy
import email.utils
import hashlib
import mimetypes
import re
import unicodedata
from dataclasses import dataclass, field
from email.message import Message

import mailparser

from ingest.document import AttachmentDoc, MessageDoc
from ingest.extract import ExtractLimits, extract_all
from ingest.headers import header_block
from ingest.legacy_docx import apply_paragraphs, legacy_paragraphs
from ingest.legacy_vn import ENCODING_NAMES, fix_legacy
from ingest.received import parse_date
from ingest.textdecode import (
    decode_bytes,
    find_urls,
    first_heading,
    html_to_text,
    normalize_text,
)

MAX_MIME_DEPTH = 40  # deeper structures are hostile; their content is ignored
MAX_ATTACHMENTS = 200
MAX_DEFECTS = 200
MAX_LINKS = 500
MAX_HEADER_CHARS = 16_384
FORWARD_START = "---------- Forwarded message (attached) ----------"
FORWARD_END = "---------- End of forwarded message ----------"
_BINARY_MAGIC = (b"\xd0\xcf\x11\xe0", b"%PDF-", b"PK\x03\x04", b"\x1f\x8b", b"\x89PNG",
                 b"\xff\xd8\xff", b"Rar!", b"7z\xbc\xaf")


class ParseError(ValueError):
    """The bytes are not an email message at all (empty, or a binary file)."""


class HeaderLimitError(ParseError):
    """The header block is over the limits (:mod:`ingest.headers`): not parsed at all."""


# --------------------------------------------------------------------------- headers

_ENCODED_WORD_RE = re.compile(
    rb"=\?([^?\s*]+)(?:\*[^?]*)?\?([bBqQ])\?([^?]*)(?:\?=|$)")
_FOLD_RE = re.compile(rb"\r?\n(?=[ \t])")


def _b_decode(data: bytes) -> bytes:
    """Lenient base64: clients truncate padding or leave junk, and readers still cope."""
    data = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
    if len(data) % 4 == 1:
        data = data[:-1]
    try:
        return base64.b64decode(data + b"=" * (-len(data) % 4))
    except binascii.Error:
        return b""


def _q_decode(data: bytes) -> bytes:
    data = data.replace(b"_", b" ")
    return re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), data)


def decode_header_value(value: object, notes: list[str] | None = None) -> str:
    """A header value as readable text: RFC 2047 words (broken ones too) and raw 8-bit.

    Our own decoder rather than ``email.header.decode_header`` because union mail breaks
    it: encoded words glued to text, missing "?=", bad base64 padding, UTF-8 characters
    split across two words (joined here before decoding), mislabelled charsets and raw
    windows-1258 bytes.  Problems are appended to ``notes`` when given.
    """
    raw = str(value).encode("utf-8", "surrogateescape")
    raw = _FOLD_RE.sub(b"", raw)[: MAX_HEADER_CHARS * 4]
    pieces: list[str] = []
    pending: tuple[str, bytearray] | None = None  # charset, bytes of adjacent encoded words
    position = 0

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            text, note = decode_bytes(bytes(pending[1]), pending[0])
            pieces.append(text)
            if note and notes is not None:
                notes.append(f"header: {note}")
            pending = None

    for match in _ENCODED_WORD_RE.finditer(raw):
        literal = raw[position:match.start()]
        position = match.end()
        if literal.strip() or pending is None:
            flush()
            pieces.append(_decode_literal(literal))
        charset = match.group(1).decode("ascii", "replace").lower()
        word = match.group(3)
        decoded = _b_decode(word) if match.group(2) in b"bB" else _q_decode(word)
        if pending is not None and pending[0] != charset:
            flush()
        if pending is None:
            pending = (charset, bytearray())
        pending[1].extend(decoded)
    flush()
    pieces.append(_decode_literal(raw[position:]))
    text = " ".join("".join(pieces).split())
    return unicodedata.normalize("NFC", text)[:MAX_HEADER_CHARS]


def _decode_literal(data: bytes) -> str:
    if data.isascii():
        return data.decode("ascii")
    return decode_bytes(data)[0]


def _raw_headers(msg: Message) -> list[tuple[str, str]]:
    try:
        return [(str(name), str(value)) for name, value in msg.raw_items()]
    except Exception:  # a header block this broken yields no headers
        return []


def _header_values(msg: Message, name: str) -> list[str]:
    return [value for key, value in _raw_headers(msg) if key.lower() == name]


_ADDRESS_RE = re.compile(r"[^\s@<>,;]+(@[^\s@<>,;]+)?")


def _addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    """(display name, lower-case address) pairs; names decoded after address parsing.

    Decoding after parsing matters: an encoded display name may hide a comma.
    """
    values = [" ".join(v.split()) for v in _header_values(msg, name)]
    try:
        pairs = email.utils.getaddresses(values)
    except Exception:  # malformed address lists are common
        pairs = []
    out = []
    for display, address in pairs:
        address = decode_header_value(address).strip().strip("<>").lower()
        if _ADDRESS_RE.fullmatch(address):  # not a display name mistaken for an address
            out.append((decode_header_value(display).strip().strip('"'), address))
    return out


def _message_id(msg: Message) -> str:
    values = _header_values(msg, "message-id")
    if not values:
        return ""
    value = decode_header_value(values[0])
    match = re.search(r"<([^<>]*)>", value)
    return (match.group(1) if match else value).strip()[:998]


# --------------------------------------------------------------------------- body walk


@dataclass
class _Walk:
    """What the MIME walk collects; nested walks (alternatives) share the lists."""

    texts: list[str] = field(default_factory=list)
    html_links: list[str] = field(default_factory=list)
    attachments: list[AttachmentDoc] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    counter: list[int] = field(default_factory=lambda: [0])  # part number, shared

    def child(self) -> _Walk:
        return _Walk([], self.html_links, self.attachments, self.defects, self.counter)

    def next_part(self) -> int:
        self.counter[0] += 1
        return self.counter[0]


def _walk(part: Message, out: _Walk, depth: int) -> None:
    if depth > MAX_MIME_DEPTH:
        out.defects.append(f"MIME nesting deeper than {MAX_MIME_DEPTH}: inner parts ignored")
        return
    number = out.next_part()
    try:
        _walk_part(part, out, depth, number)
    except RecursionError:
        raise
    except Exception as exc:  # one unreadable part must not lose the message
        out.defects.append(f"part {number} unreadable: {type(exc).__name__}: {exc}"[:300])


def _walk_part(part: Message, out: _Walk, depth: int, number: int) -> None:
    ctype = part.get_content_type()
    maintype = part.get_content_maintype()
    if maintype == "message" and part.get_content_subtype() in ("rfc822", "global"):
        _forwarded(part, out, depth)
    elif part.is_multipart():
        payload = part.get_payload()
        subparts = [p for p in payload if isinstance(p, Message)] if isinstance(
            payload, list) else []
        if ctype == "multipart/alternative":
            _alternative(subparts, out, depth)
        elif maintype == "message":  # delivery-status and friends: header blocks
            out.texts.append("\n".join(_block_text(p) for p in subparts))
        else:
            for sub in subparts:
                _walk(sub, out, depth + 1)
    else:
        _leaf(part, out, number)


def _block_text(block: Message) -> str:
    return "\n".join(f"{k}: {decode_header_value(v)}" for k, v in _raw_headers(block))


def _leaf(part: Message, out: _Walk, number: int) -> None:
    ctype = part.get_content_type()
    if ctype in ("application/applefile", "application/pgp-signature",
                 "application/pkcs7-signature", "application/x-pkcs7-signature"):
        return  # Mac resource forks and signatures carry no report
    filename = _filename(part, out.defects)
    disposition = _disposition(part)
    if part.get_content_maintype() == "text" and not filename and disposition != "attachment":
        _add_text(part, out, number)
        return
    if len(out.attachments) >= MAX_ATTACHMENTS:
        out.defects.append(f"more than {MAX_ATTACHMENTS} attachments: the rest ignored")
        return
    out.attachments.append(_attachment(part, filename, number, out))
    if part.get_content_maintype() == "text" and disposition == "inline":
        _add_text(part, out, number)


def _disposition(part: Message) -> str | None:
    try:
        return part.get_content_disposition()
    except Exception:  # unparsable header counts as absent
        return None


def _alternative(subparts: list[Message], out: _Walk, depth: int) -> None:
    """One text of the alternatives: plain unless it is a stub of the HTML version.

    Some clients send a plain part that says only "view this in HTML"; then the HTML
    version, converted to text, is the real content.  Attachments and HTML links of every
    alternative are kept (Apple Mail hides inline PDFs inside the HTML alternative).
    """
    versions: list[tuple[int, str]] = []
    for sub in subparts:
        child = out.child()
        _walk(sub, child, depth + 1)
        text = "\n\n".join(t for t in child.texts if t.strip())
        if text:
            versions.append((sum(ch.isalpha() for ch in text), text))
    if not versions:
        return
    richest = max(letters for letters, _ in versions)
    chosen = next(text for letters, text in versions if letters >= 0.5 * richest)
    out.texts.append(chosen)


def _forwarded(part: Message, out: _Walk, depth: int) -> None:
    """A message attached to a message: its text goes in the body, marked, with its files."""
    payload = part.get_payload()
    inner: Message | None = None
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        inner = payload[0]
    else:  # encoded message/rfc822 (not allowed, but sent): parse the decoded bytes
        data = _payload_bytes(part, out.defects)
        if data:
            inner = email.message_from_bytes(data, policy=email.policy.compat32)
    if inner is None:
        return
    lines = [FORWARD_START]
    for name in ("From", "Date", "Subject", "To"):
        values = _header_values(inner, name.lower())
        if values:
            lines.append(f"{name}: {decode_header_value(values[0])}")
    out.texts.append("\n".join(lines))
    _walk(inner, out, depth + 1)
    out.texts.append(FORWARD_END)


def _payload_bytes(part: Message, defects: list[str]) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception as exc:  # broken transfer encodings
        defects.append(f"payload undecodable: {type(exc).__name__}")
        return b""
    return data if isinstance(data, bytes) else b""


def _add_text(part: Message, out: _Walk, number: int) -> None:
    data = _payload_bytes(part, out.defects)
    if not data:
        return
    try:
        charset = part.get_content_charset()
    except Exception:  # e.g. a non-ASCII RFC 2231 charset parameter
        charset = None
    text, note = decode_bytes(data, charset)
    if note:
        out.defects.append(f"part {number}: {note}")
    if part.get_content_subtype() == "html":
        text, links = html_to_text(text)
        out.html_links.extend(links)
    elif str(part.get_param("format", "")).lower() == "flowed":
        text = _unflow(text, str(part.get_param("delsp", "")).lower() == "yes")
    out.texts.append(text)


def _unflow(text: str, delsp: bool) -> str:
    """Join RFC 3676 soft line breaks (Apple Mail, Thunderbird), so that words wrapped by
    the sender's client ("báo" / "cáo") are one phrase again for the rules."""
    lines: list[str] = []
    current = ""
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith(" "):
            line = line[1:]  # space-stuffing
        if line.endswith(" ") and line.rstrip() != "--":
            current += line[:-1] if delsp else line
            continue
        lines.append(current + line)
        current = ""
    if current:
        lines.append(current)
    return "\n".join(lines)


def _filename(part: Message, defects: list[str]) -> str:
    """The part's file name: RFC 2231 (charset-tagged), RFC 2047 or raw 8-bit, decoded."""
    for param, header in (("filename", "content-disposition"), ("name", "content-type")):
        try:
            value = part.get_param(param, None, header)
        except Exception:  # unparsable parameters: try the next source
            continue
        if value is None:
            continue
        if isinstance(value, tuple):  # RFC 2231: (charset, language, %-decoded latin-1)
            charset, _language, text = value
            raw = str(text).encode("latin-1", "surrogateescape")
            name, note = decode_bytes(raw, charset or None)
            if note:
                defects.append(f"filename: {note}")
        else:
            name = decode_header_value(email.utils.unquote(str(value)), defects)
        name = re.split(r"[\\/]", name)[-1].strip().strip('"')
        if name:
            return unicodedata.normalize("NFC", name)
    return ""


def _attachment(part: Message, filename: str, number: int, out: _Walk) -> AttachmentDoc:
    ctype = part.get_content_type()
    if not filename:
        extension = mimetypes.guess_extension(ctype) or ".bin"
        filename = f"part{number}{extension}"
    data = _payload_bytes(part, out.defects)
    return AttachmentDoc(filename=filename, content_type=ctype, payload=data,
                         sha256=hashlib.sha256(data).hexdigest())


# --------------------------------------------------------------------------- top level


def _check_is_message(raw: bytes) -> bytes:
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise ParseError(f"expected bytes, got {type(raw).__name__}")
    data = bytes(raw)
    if not data.strip():
        raise ParseError("empty input")
    if data.startswith(_BINARY_MAGIC):
        raise ParseError("binary file, not an email message")
    problem = header_block(data).over_limits()
    if problem is not None:  # measured in linear time before any parser sees it
        raise HeaderLimitError(f"headers: {problem}")
    return data


def _structure(raw: bytes, defects: list[str]) -> tuple[Message, object | None]:
    """The message tree, from mail-parser when it copes, else from the stdlib alone."""
    try:
        parsed = mailparser.parse_from_bytes(raw)
        if parsed.message is not None:
            return parsed.message, parsed
        defects.append("mail-parser returned no message")
    except Exception as exc:  # includes MailParserRecursionError
        defects.append(f"mail-parser failed ({type(exc).__name__}); stdlib fallback")
    try:
        return email.message_from_bytes(raw, policy=email.policy.compat32), None
    except RecursionError:
        defects.append("MIME structure too deep: headers only")
    except Exception as exc:  # the stdlib chokes on some garbage (e.g. NUL in a boundary)
        defects.append(f"MIME structure unreadable ({type(exc).__name__}): headers only")
    try:
        parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
        return parser.parsebytes(raw), None
    except Exception as exc:
        defects.append(f"header block unreadable ({type(exc).__name__})")
    return Message(), None


def _parser_defects(msg: Message, parsed: object | None) -> list[str]:
    """Defects as short strings: mail-parser's when it ran, else the stdlib's per part."""
    out: list[str] = []
    if parsed is not None:
        for group in getattr(parsed, "defects", []) or []:
            for where, items in dict(group).items():
                where = " ".join(str(where).split())
                out.extend(f"{where}: {' '.join(str(item).split())}" for item in items)
        return out
    try:
        for part in msg.walk():
            out.extend(f"{part.get_content_type()}: {type(d).__name__}" for d in part.defects)
    except RecursionError:
        out.append("MIME structure too deep to list defects")
    return out


def _fill_headers(doc: MessageDoc, msg: Message) -> None:
    notes: list[str] = []
    for name, value in _raw_headers(msg):
        key = decode_header_value(name).lower()
        doc.headers.setdefault(key, []).append(decode_header_value(value, notes))
    doc.defects.extend(dict.fromkeys(notes))
    doc.subject = doc.header("subject")
    senders = _addresses(msg, "from")
    if senders:
        doc.from_name, doc.from_addr = senders[0]
    sender = _addresses(msg, "sender") or _addresses(msg, "return-path")
    doc.sender_addr = sender[0][1] if sender else ""
    doc.to_addrs = [address for _, address in _addresses(msg, "to")]
    doc.cc_addrs = [address for _, address in _addresses(msg, "cc")]
    doc.message_id = _message_id(msg)
    if not doc.headers:
        doc.defects.append("no header block")


def _fill_date(doc: MessageDoc, parsed: object | None) -> None:
    value = getattr(parsed, "date", None) if parsed is not None else None
    if value is not None and getattr(value, "tzinfo", None) is not None:
        doc.date = value
    else:
        doc.date = parse_date(doc.header("date"))
    if doc.date is None and doc.header("date"):
        doc.defects.append(f"unparsable Date: {doc.header('date')[:80]!r}")


def _strip_leading_blank_lines(raw: bytes, defects: list[str]) -> bytes:
    """A blank first line would end the header block before it starts (seen in the wild)."""
    stripped = raw.lstrip(b" \t\r\n")
    if len(stripped) != len(raw) and b"\n" in raw[: len(raw) - len(stripped)]:
        defects.append("leading blank lines before the headers removed")
        return stripped
    return raw


def parse_message(raw: bytes, *, limits: ExtractLimits | None = None) -> MessageDoc:
    """Parse one raw message and extract its attachments' text; never raises on bad mail.

    Raises :class:`ParseError` only when ``raw`` is not a message at all, or
    :class:`HeaderLimitError` when its header block is over the limits.  Text fields
    are NFC; ``doc.defects`` lists what was wrong (MIME defects, charset guesses,
    unparsable dates).  Attachments are extracted with ``limits`` (see
    :func:`ingest.extract.extract_all`).
    """
    limits = limits or ExtractLimits()
    data = _check_is_message(raw)
    doc = MessageDoc()
    data = _strip_leading_blank_lines(data, doc.defects)
    msg, parsed = _structure(data, doc.defects)
    _fill_headers(doc, msg)
    _fill_date(doc, parsed)
    doc.defects.extend(_parser_defects(msg, parsed))
    del parsed  # mail-parser's copies of attachment payloads are not needed any more
    walk = _Walk()
    try:
        _walk(msg, walk, 0)
    except RecursionError:
        walk.defects.append("MIME structure too deep: content partly ignored")
    body = normalize_text("\n\n".join(t for t in walk.texts if t.strip()))
    if len(body) > limits.max_text_chars:
        body = body[: limits.max_text_chars]
        walk.defects.append(f"body truncated at {limits.max_text_chars} characters")
    doc.body_text = body
    doc.links = list(dict.fromkeys(find_urls(body) + walk.html_links))[:MAX_LINKS]
    doc.attachments = walk.attachments
    doc.defects = list(dict.fromkeys(doc.defects + walk.defects))[:MAX_DEFECTS]
    extract_all(doc.attachments, limits)  # one time budget for the message's files
    fix_legacy_encodings(doc)
    return doc


# --------------------------------------------------------------------------- legacy fonts

_DOCX_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "application/vnd.ms-word.document.macroenabled.12")


def fix_legacy_encodings(doc: MessageDoc) -> None:
    """Text typed in TCVN3 (".VnTime") or VNI fonts, in Unicode before any rule reads it.

    The one place where subject, sender name, body, file names and attachment text enter
    the rules after decoding and extraction (see :mod:`ingest.legacy_vn`).  Every
    conversion is written down: in ``doc.defects`` for the message's own fields, and for
    an attachment in ``legacy_encoding`` and its extraction notes, which ``ldl triage
    show`` prints.
    """
    for name in ("subject", "from_name", "body_text"):
        fixed, encoding = fix_legacy(getattr(doc, name))
        if encoding:
            setattr(doc, name, fixed)
            label = {"from_name": "sender name", "body_text": "body"}.get(name, name)
            doc.defects.append(f"{label}: converted from {ENCODING_NAMES[encoding]}")
    for att in doc.attachments:
        _fix_attachment(att, doc.defects)


def _fix_attachment(att: AttachmentDoc, defects: list[str]) -> None:
    name, name_encoding = fix_legacy(att.filename)
    if name_encoding:
        defects.append(f"file name {att.filename!r}: converted from "
                       f"{ENCODING_NAMES[name_encoding]}")
        att.filename, att.legacy_encoding = name, name_encoding
    if att.status != "ok" or not att.text:
        return
    text, encoding = fix_legacy(att.text)
    how = ""
    if _is_docx(att):  # the run fonts say it surely, and which runs are capitals
        paragraphs, font_encoding = legacy_paragraphs(att.payload,
                                                      scan_body=encoding is not None)
        if paragraphs:
            text, encoding = fix_legacy(apply_paragraphs(att.text, paragraphs),
                                        font_encoding)
            encoding = encoding or font_encoding
            how = " (by its fonts)"
    if not encoding or text == att.text:
        return
    att.text, att.heading = text, first_heading(text)
    att.legacy_encoding = encoding
    note = f"text converted from {ENCODING_NAMES[encoding]}{how}"
    att.error = f"{att.error}; {note}" if att.error else note


def _is_docx(att: AttachmentDoc) -> bool:
    return att.payload.startswith(b"PK\x03\x04") and (
        att.content_type in _DOCX_TYPES or att.filename.lower().endswith((".docx", ".docm")))
