"""Which paragraphs of a .docx are typed in legacy Vietnamese fonts, and what they say.

A .docx keeps the font of every run: text in ".VnTime" is TCVN3 and text in "VNI-Times"
is VNI whatever it looks like, and ".VnTimeH" text is capitals.  That is surer than any
detector, so for a .docx that uses such fonts, this module reads the paragraphs again with
their run fonts and gives, per paragraph, the text as extraction saw it and as it should
read.  It is a seam beside :mod:`ingest.extract` (which reads text, not fonts) and costs
nothing for the usual document: the package is only scanned for a legacy font name, and
parsed only when one is there.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from ingest.legacy_vn import fix_runs, font_encoding

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAIN = "word/document.xml"
_STYLES = "word/styles.xml"
_FONT_TABLE = "word/fontTable.xml"
_MAX_PART_BYTES = 64 * 1024 * 1024  # more than any document extraction accepts
_CHUNK = 64 * 1024
_LEGACY_NAME = re.compile(rb'"(?:\.[Vv][Nn]|[Vv][Nn][Ii][- _])')  # ".VnTime", "VNI-Times"
_RUN_CHARS = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n",
              f"{_W}noBreakHyphen": "-"}

Paragraph = tuple[str, str]  # (text as extracted, text in Unicode)


def _read_part(zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_PART_BYTES:
        return None
    with zf.open(info) as stream:
        return stream.read(_MAX_PART_BYTES + 1)[:_MAX_PART_BYTES]


def _font(rpr: ET.Element | None) -> str | None:
    """The font a run's (or style's) properties name for Latin text (w:hAnsi, w:ascii)."""
    if rpr is None:
        return None
    fonts = rpr.find(f"{_W}rFonts")
    if fonts is None:
        return None
    return fonts.get(f"{_W}hAnsi") or fonts.get(f"{_W}ascii")


def _style_fonts(styles_xml: bytes | None) -> tuple[str | None, dict[str, str | None]]:
    """The document's default font and each style's font, basedOn chains followed."""
    if not styles_xml:
        return None, {}
    root = ET.fromstring(styles_xml)
    default = _font(root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr"))
    own: dict[str, str | None] = {}
    based: dict[str, str] = {}
    for style in root.iter(f"{_W}style"):
        sid = style.get(f"{_W}styleId") or ""
        own[sid] = _font(style.find(f"{_W}rPr"))
        parent = style.find(f"{_W}basedOn")
        if parent is not None:
            based[sid] = parent.get(f"{_W}val") or ""
        if style.get(f"{_W}default") in ("1", "true") and style.get(f"{_W}type") == "paragraph":
            own.setdefault("", None)
            based.setdefault("", sid)
    resolved: dict[str, str | None] = {}
    for sid in own:
        seen, current, font = set(), sid, None
        while current in own and current not in seen and font is None:
            seen.add(current)
            font = own[current]
            current = based.get(current, "")
        resolved[sid] = font
    return default, resolved


def _paragraphs(stream: IO[bytes]) -> Iterator[ET.Element]:
    """Every w:p of the part as it is completed (nested ones first), memory kept flat."""
    parser: ET.XMLPullParser[Any] = ET.XMLPullParser(events=("end",))
    while True:
        chunk = stream.read(_CHUNK)
        if chunk:
            parser.feed(chunk)
        else:
            parser.close()
        events: Iterator[Any] = parser.read_events()
        for _event, elem in events:
            if elem.tag == f"{_W}p":
                yield elem
        if not chunk:
            return


def _runs(p: ET.Element) -> Iterator[ET.Element]:
    for child in p:
        if child.tag == f"{_W}r":
            yield child
        elif child.tag == f"{_W}hyperlink":
            yield from (run for run in child if run.tag == f"{_W}r")


def _run_text(run: ET.Element) -> str:
    parts = []
    for item in run:
        if item.tag == f"{_W}t":
            parts.append(item.text or "")
        elif item.tag in _RUN_CHARS:
            parts.append(_RUN_CHARS[item.tag])
    return "".join(parts)


def legacy_paragraphs(data: bytes, *, scan_body: bool = False) -> tuple[list[Paragraph],
                                                                        str | None]:
    """The paragraphs of a .docx that have runs in a legacy Vietnamese font, as
    (extracted text, Unicode text), and the legacy encoding most of their text is in.

    The body is parsed only when the font table names a legacy font (Word and
    LibreOffice list every font they use there; it is a small part), or when
    ``scan_body`` says the text already looks legacy (some generators, python-docx among
    them, write no font table of their own).  ([], None) for a document without such
    fonts, or one that cannot be read (extraction has reported that).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            fonts = _read_part(zf, _FONT_TABLE)
            declared = bool(fonts and _LEGACY_NAME.search(fonts))
            if not (declared or scan_body):
                return [], None
            main = _read_part(zf, _MAIN)
            styles = _read_part(zf, _STYLES)
            if main is None or not (declared or _LEGACY_NAME.search(main)
                                    or (styles and _LEGACY_NAME.search(styles))):
                return [], None
            default, style_fonts = _style_fonts(styles)
            return _collect(io.BytesIO(main), default, style_fonts)
    except (zipfile.BadZipFile, ET.ParseError, OSError, RuntimeError, ValueError):
        return [], None


def _collect(stream: IO[bytes], default: str | None,
             style_fonts: dict[str, str | None]) -> tuple[list[Paragraph], str | None]:
    found: list[Paragraph] = []
    chars = {"tcvn3": 0, "vni": 0}
    for p in _paragraphs(stream):
        ppr_style = p.find(f"{_W}pPr/{_W}pStyle")
        pstyle = ppr_style.get(f"{_W}val") if ppr_style is not None else ""
        para_font = style_fonts.get(pstyle or "") or style_fonts.get("") or default
        runs: list[tuple[str, str | None]] = []
        for run in _runs(p):
            rpr = run.find(f"{_W}rPr")
            font = _font(rpr)
            if font is None and rpr is not None:
                rstyle = rpr.find(f"{_W}rStyle")
                if rstyle is not None:
                    font = style_fonts.get(rstyle.get(f"{_W}val") or "")
            text = _run_text(run)
            runs.append((text, font or para_font))
            legacy = font_encoding(font or para_font)
            if legacy is not None:
                chars[legacy[0]] += len(text)
        p.clear()
        if not any(font_encoding(font) for _, font in runs):
            continue
        plain = "".join(text for text, _ in runs)
        fixed = fix_runs(runs)
        if fixed != plain:
            found.append((plain, fixed))
    encoding = max(chars, key=lambda k: chars[k]) if any(chars.values()) else None
    return found, encoding


def apply_paragraphs(text: str, paragraphs: list[Paragraph]) -> str:
    """``text`` (as extracted) with each legacy paragraph replaced by its Unicode reading.

    Extraction writes a paragraph as one line, and a table cell's paragraphs with their
    white space collapsed: both forms are replaced, longest first, so that a short
    paragraph does not replace part of a longer one.
    """
    pairs: dict[str, str] = {}
    for plain, fixed in paragraphs:
        for a, b in ((plain, fixed), (" ".join(plain.split()), " ".join(fixed.split()))):
            if len(a.strip()) >= 3 and a != b:
                pairs.setdefault(a, b)
    for plain in sorted(pairs, key=len, reverse=True):
        text = text.replace(plain, pairs[plain])
    return text
