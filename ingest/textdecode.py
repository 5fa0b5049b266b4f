"""Text helpers shared by parsing and extraction: charsets, HTML to text, URLs, NFC.

Vietnamese mail arrives in UTF-8, windows-1258 and mislabelled charsets; a wrong guess
drops or garbles the very words the rules read, so :func:`decode_bytes` checks a strict
decode against what Vietnamese text looks like before trusting a label.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from html.parser import HTMLParser

from ingest.legacy_vn import detect as detect_legacy

# --------------------------------------------------------------------------- charsets

_SINGLE_BYTE_PREFIXES = ("iso8859", "cp12", "latin", "mac-", "koi8", "cp8", "cp4", "tis")
_LATIN_FAMILY = {"iso8859-1", "cp1252", "latin-1", "iso8859-15", "ascii"}
# Declared multibyte charsets that senders use for a superset's text.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "euc_kr": "cp949", "shift_jis": "cp932",
              "euc_jp": "cp932", "big5": "big5hkscs", "iso2022_jp": "iso2022_jp_ext"}
# Bytes where windows-1258 differs from windows-1252 in the letter range.
_CP1258_MARKERS = bytes([0xC3, 0xCC, 0xD0, 0xD2, 0xD5, 0xDD, 0xDE, 0xE3, 0xEC, 0xF0, 0xF2,
                         0xF5, 0xFD, 0xFE])


def _vietnamese_letters() -> frozenset[str]:
    bases = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
    marks = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    letters = {unicodedata.normalize("NFC", b + m) for b in bases for m in marks}
    return frozenset(letters | {"đ", "Đ"})


_VI_LETTERS = _vietnamese_letters()


def codec_name(charset: str | None) -> str | None:
    """The Python codec for a MIME charset label, or None when unknown or absent."""
    if not charset:
        return None
    label = charset.strip().strip("\"'").lower()
    label = {"windows-874": "cp874", "x-user-defined": "", "unknown-8bit": "",
             "utf8": "utf-8", "ks_c_5601-1987": "cp949", "x-mac-roman": "mac-roman"}.get(
        label, label)
    if not label:
        return None
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):  # ValueError: NUL in the label
        return None


def _is_single_byte(codec: str) -> bool:
    return codec.startswith(_SINGLE_BYTE_PREFIXES) or codec == "ascii"


def vietnamese_profile(text: str, sample: int = 100_000) -> tuple[int, int]:
    """(foreign, score) of a decoded text: how un-Vietnamese and how Vietnamese it looks.

    ``foreign`` counts non-ASCII letters Vietnamese never uses (ç, ñ, ü ...) and combining
    marks left over after NFC; ``score`` counts Vietnamese letters, double for those
    outside Latin-1 (ư ơ đ ă ạ ...), which no windows-1252 reading can produce.  Used to
    choose between readings of the same bytes: windows-1258 and windows-1252 agree on most
    letters, so only the bytes where they differ move the numbers.
    """
    foreign = score = 0
    for ch in unicodedata.normalize("NFC", text[:sample]):
        if ch < "\x80":
            continue
        if ch in _VI_LETTERS:
            score += 2 if ch > "\xff" else 1
        elif ch.isalpha() or unicodedata.combining(ch):
            foreign += 1
    return foreign, score


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        text = data.decode(codec)
        text.encode("utf-8")  # some codecs yield lone surrogates: not text
    except (UnicodeError, LookupError):
        return None
    return text


def _best_single_byte(data: bytes, first: str | None) -> tuple[str, str]:
    """The most plausible of ``first`` (a declared charset), windows-1258, windows-1252.

    Fewest foreign letters wins, then the highest Vietnamese score; ties keep the earlier
    candidate.  A declared charset is only overruled by a reading with no foreign letters
    at all, so a Portuguese "não" labelled latin-1 is not turned into "năo".
    """
    best: tuple[tuple[int, int], str, str] | None = None
    for codec in dict.fromkeys(c for c in (first, "cp1258", "cp1252") if c):
        text = _try_decode(data, codec)
        if text is None:
            continue
        foreign, score = vietnamese_profile(text)
        key = (-foreign, score)
        if best is None or key > best[0]:
            if best is not None and best[2] == first and foreign:
                continue
            best = (key, text, codec)
    if best is None:
        return data.decode("latin-1"), "latin-1"
    if best[2] == "cp1258":
        # TCVN3 or VNI bytes (a legacy font's text) are windows-1252 characters to
        # ingest.legacy_vn, which converts them later; windows-1258 would mangle them.
        legacy = _try_decode(data, "cp1252")
        if legacy is not None and detect_legacy(legacy):
            return legacy, "cp1252"
    return best[1], best[2]


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """Decode text bytes, trusting the declared charset only as far as the bytes allow.

    Returns ``(text, note)``; ``note`` is None when the declared charset was right, else a
    short explanation for the defect list.  Why not just ``decode(declared, "ignore")``:
    that is what mail-parser does, and Vietnamese letters silently vanish when a union's
    Outlook labels windows-1258 text as iso-8859-1 or sends it with no label at all.
    Order: BOM; the declared charset, strictly (overruled by UTF-8 when a single-byte label
    hides valid multibyte UTF-8, or by windows-1258 when that reads as clearly more
    Vietnamese); then UTF-8, a superset of the declared multibyte charset, windows-1258 vs
    windows-1252, and latin-1, which never fails.
    """
    if not data:
        return "", None
    for bom, bom_codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                           (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = _try_decode(data, bom_codec)
            if text is not None:
                return text, None
    codec = codec_name(declared)
    note_prefix = f"charset {declared!r}" if declared else "no charset"
    if codec:
        text = _try_decode(data, codec)
        if text is not None:
            return _second_guess(data, text, codec, note_prefix)
    elif declared:
        note_prefix = f"unknown charset {declared!r}"
    text = _try_decode(data, "utf-8")
    if text is not None:
        return text, (f"{note_prefix}: decoded as utf-8" if declared else None)
    if codec and codec in _SUPERSETS:
        text = _try_decode(data, _SUPERSETS[codec])
        if text is not None:
            return text, f"{note_prefix}: decoded as {_SUPERSETS[codec]}"
    if codec and not _is_single_byte(codec) and not codec.startswith(("iso2022", "utf")):
        return data.decode(codec, "replace"), f"{note_prefix}: invalid bytes replaced"
    text, used = _best_single_byte(data, None)
    return text, (f"{note_prefix}: decoded as {used}" if declared else None)


def _second_guess(data: bytes, text: str, codec: str, note_prefix: str) -> tuple[str, str | None]:
    """The declared single-byte charset decoded: is it the real one?"""
    if not _is_single_byte(codec) or data.isascii():
        return text, None
    utf8 = _try_decode(data, "utf-8")
    if utf8 is not None:
        return utf8, f"{note_prefix}: content is utf-8"
    if codec in _LATIN_FAMILY and data.translate(None, _CP1258_MARKERS) != data:
        better, used = _best_single_byte(data, codec)
        if used != codec:
            return better, f"{note_prefix}: content is {used}"
    return text, None


# --------------------------------------------------------------------------- text helpers

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufeff\u200b]")
_BLANKS_RE = re.compile(r"\n{3,}")
_TRAILING_WS_RE = re.compile(r"[ \t\u00a0]+\n")


def normalize_text(text: str) -> str:
    """NFC, Unix newlines, no control characters, at most one blank line in a row.

    NFC because macOS mail and some PDFs produce decomposed Vietnamese (NFD) and the
    rules compare strings: "Báo cáo" must equal "Báo cáo" whatever the sender's OS.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _CONTROL_RE.sub("", text)
    text = _TRAILING_WS_RE.sub("\n", text)
    text = _BLANKS_RE.sub("\n\n", text)
    return unicodedata.normalize("NFC", text).strip()


_STRUCTURE_LINE_RE = re.compile(r"^(=== .* ===|--- .* ---)( \[.*\])?$")


def first_heading(text: str, max_len: int = 200) -> str:
    """The first meaningful line: at least three letters, not one of our own markers.

    The heading is what a person would read as the document's title (often the union's
    name in the letterhead), used by attribution and for listing submissions.
    """
    for raw in text.split("\n"):
        line = " ".join(raw.replace("|", " | ").split()).strip(" |")
        line = re.sub(r"( \| )+", " | ", line)
        if not line or _STRUCTURE_LINE_RE.match(line):
            continue
        if sum(ch.isalpha() for ch in line) < 3:
            continue
        if len(line) > max_len:
            cut = line[:max_len].rsplit(" ", 1)[0]
            line = cut if len(cut) > max_len // 2 else line[:max_len]
        return line
    return ""


_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4",
               "h5", "h6", "blockquote", "pre", "hr", "section", "article", "header",
               "footer", "dt", "dd", "title", "address"}
_SKIP_TAGS = {"style", "script", "head", "noscript", "template", "svg", "xml"}
_CELL_TAGS = {"td", "th"}


class _HtmlText(HTMLParser):
    """HTML to readable text: block tags become newlines, cells are separated, hrefs kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" | ")
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.strip().lower().startswith(("http://", "https://")):
                self.links.append(href.strip())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "a":
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, list[str]]:
    """Readable text and the http(s) hrefs of an HTML document (style/script dropped).

    Gmail and Outlook send report text as HTML only; the stdlib parser is forgiving enough
    for their markup and needs no dependency.
    """
    parser = _HtmlText()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):  # very broken markup: keep what was read
        pass
    lines = []
    for line in "".join(parser.parts).split("\n"):
        line = " ".join(line.split())
        line = re.sub(r"^(\| ?)+", "", line).strip()
        lines.append(line)
    return _BLANKS_RE.sub("\n\n", "\n".join(lines)).strip(), parser.links


_URL_RE = re.compile(r"https?://[^\s<>\"'`{}|\\^\[\]]+", re.IGNORECASE)
_URL_TRAILERS = ".,;:!?)>»”’'\""


def find_urls(text: str) -> list[str]:
    """http(s) URLs in plain text, trailing punctuation trimmed, in order of appearance."""
    urls = []
    for match in _URL_RE.finditer(text):
        url = match.group(0)
        while url and url[-1] in _URL_TRAILERS:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break  # a balanced parenthesis belongs to the URL (Wikipedia style)
            url = url[:-1]
        if len(url) > len("https://"):
            urls.append(url)
    return urls
