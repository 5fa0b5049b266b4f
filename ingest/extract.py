"""Bounded text extraction from attachments.

Union officers send reports as .docx, .xlsx, old .doc/.xls, PDFs (often scanned), zips of
all of these and phone photos.  :func:`extract_text` turns one :class:`AttachmentDoc` into
NFC text plus a status (ok | empty | skipped | failed) and never raises: a file that cannot
be read is recorded, not fatal, so one bad attachment never loses the whole message.

Every extraction is bounded, because attachments are attacker-controlled input:

* size: files over ``max_file_bytes`` are skipped before any parser sees them;
* archives: member count, total uncompressed size, compression ratio and nesting depth are
  checked against the central directory *and* enforced while reading (headers can lie);
  the budget is shared by the whole archive tree, so nesting cannot multiply it;
* time: ``max_seconds`` per file and ``max_message_seconds`` for all the files of a
  message.  The files are read in a helper process (:mod:`ingest.isolate`) that is
  SIGKILLed when a limit passes (and replaced): nothing keeps running after its time
  (threads could not be killed: they ran on, and once four were stuck every later
  message was refused extraction).
  Extractors also check the deadline cooperatively (between pages, sheets, members), and
  external tools (antiword, catdoc, pdftoppm, tesseract) run with the remaining time;
* memory: the child runs under an address-space limit (``max_memory_bytes`` more than it
  started with), and readers stream: an .xlsx shared strings table is read item by item
  and cut at ``xlsx_max_shared_strings`` / ``xlsx_max_shared_chars`` (status partial).

What was not read is recorded: status timeout, partial or skipped, with the reason.

Charset detection and the other text helpers it shares with parsing live in
:mod:`ingest.textdecode`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import hashlib
import html
import io
import itertools
import logging
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any, Literal

from ingest.document import AttachmentDoc
from ingest.isolate import ensure_started, run_isolated
from ingest.textdecode import (
    codec_name,
    decode_bytes,
    first_heading,
    html_to_text,
    normalize_text,
)

MB = 1024 * 1024


@dataclass(frozen=True)
class ExtractLimits:
    """Bounds for one attachment's extraction (defaults suit a federation inbox)."""

    max_file_bytes: int = 25 * MB
    max_seconds: float = 20.0  # per attachment, archives included
    max_message_seconds: float = 60.0  # for all the attachments of one message together
    max_memory_bytes: int = 1024 * MB  # address space an extraction may add (killable child)
    xlsx_max_shared_strings: int = 200_000  # a table past these bounds is cut, text partial
    xlsx_max_shared_chars: int = 2_000_000
    # read in a killable child process (False: in this process, bounded only by the
    # cooperative checks: for tests that watch or replace the readers)
    isolate: bool = True
    zip_max_members: int = 50  # files in the whole archive tree
    zip_max_total_uncompressed: int = 100 * MB  # across the whole archive tree
    zip_max_ratio: float = 100.0  # uncompressed / compressed, per member
    zip_max_depth: int = 2  # an archive inside an archive is depth 2
    max_text_chars: int = 200_000
    ocr: bool = True
    ocr_lang: str = "vie+eng"
    ocr_max_pages: int = 10  # scanned PDF pages to OCR at most
    ocr_dpi: int = 200
    pdf_min_chars_per_page: int = 30  # below this, a PDF page is treated as scanned


# --------------------------------------------------------------------------- outcomes


class _Skipped(Exception):
    """The file was deliberately not read (too large, unsupported, tool missing)."""


class _Failed(Exception):
    """The file could not be read (corrupt, encrypted, bomb, timeout)."""


class _TimedOut(_Failed):
    pass


@dataclass
class _Budget:
    """Archive bounds shared by a whole archive tree, so nesting cannot multiply them."""

    members: int
    bytes_left: int


@dataclass
class _Ctx:
    limits: ExtractLimits
    deadline: float
    depth: int = 0  # archive nesting depth of the file being read
    budget: _Budget | None = None
    notes: list[str] = field(default_factory=list)
    partial: bool = False  # some of the file was deliberately left unread (notes say what)
    deadline_note: str = ""  # why the deadline is what it is, when not the per-file limit

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def timed_out(self) -> _TimedOut:
        return _TimedOut(self.deadline_note
                         or f"time limit of {self.limits.max_seconds:g}s exceeded")

    def check(self) -> None:
        """Cooperative deadline check, called between pages, sheets and members."""
        if self.remaining() <= 0:
            raise self.timed_out()


class _TextSink:
    """Collects text pieces and stops at the character limit (notes the truncation)."""

    def __init__(self, limit: int, ctx: _Ctx) -> None:
        self.pieces: list[str] = []
        self.size = 0
        self.limit = limit
        self.ctx = ctx
        self.full = False

    def add(self, text: str) -> bool:
        """Append; False once the limit is reached (callers stop reading)."""
        if self.full:
            return False
        if self.size + len(text) > self.limit:
            text = text[: max(0, self.limit - self.size)]
            self.full = True
            self.ctx.notes.append(f"text truncated at {self.limit} characters")
        self.pieces.append(text)
        self.size += len(text)
        return not self.full

    def text(self) -> str:
        return "\n".join(self.pieces)


# --------------------------------------------------------------------------- sniffing

_IMAGE_MAGIC = ((b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif"),
                (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"), (b"BM", "bmp"))
_ARCHIVE_MAGIC = ((b"Rar!\x1a\x07", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"),
                  (b"\x1f\x8b", "gzip"))
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXT_KINDS = {
    ".pdf": "pdf", ".docx": "docx", ".docm": "docx", ".dotx": "docx", ".xlsx": "xlsx",
    ".xlsm": "xlsx", ".pptx": "pptx", ".odt": "odf", ".ods": "odf", ".odp": "odf",
    ".doc": "doc", ".dot": "doc", ".xls": "xls", ".zip": "zip", ".rtf": "rtf",
    ".htm": "html", ".html": "html", ".txt": "text", ".csv": "text", ".tsv": "text",
    ".md": "text", ".xml": "text", ".json": "text", ".eml": "text", ".log": "text",
    ".jpg": "image", ".jpeg": "image", ".png": "image", ".tif": "image", ".tiff": "image",
    ".bmp": "image", ".gif": "image", ".webp": "image", ".rar": "rar", ".7z": "7z",
    ".gz": "gzip",
}
_CTYPE_KINDS = {
    "application/pdf": "pdf", "application/zip": "zip", "application/x-zip-compressed": "zip",
    "application/msword": "doc", "application/vnd.ms-excel": "xls", "application/rtf": "rtf",
    "text/rtf": "rtf", "text/html": "html", "text/plain": "text", "text/csv": "text",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


def _ext(filename: str) -> str:
    return os.path.splitext(filename.strip().lower())[1]


def _zip_kind(data: bytes) -> str | None:
    """docx/xlsx/pptx/odf are zips: tell them apart by their member names."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "content.xml" in names and "mimetype" in names:
        return "odf"
    return "zip"


def _ole_kind(data: bytes, ext_kind: str | None) -> str:
    """Old Office files share the OLE2 container: the stream names say which one."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted-office"
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    return ext_kind if ext_kind in ("doc", "xls") else "ole"


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<html", b"<!doctype html", b"<head", b"<body")) or (
        b"<html" in start[:1024] and b"<table" in start[:4096])


def detect_kind(filename: str, content_type: str, data: bytes) -> str:
    """The format to read a file as: content sniffing first, then extension, then type.

    Content wins because names lie: ".xls" files exported from web systems are HTML
    tables, ".doc" files are often RTF, and mail clients label everything
    application/octet-stream.
    """
    head = data[:8192]
    ext_kind = _EXT_KINDS.get(_ext(filename))
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data) or ext_kind or "zip"
    if head.startswith(_OLE_MAGIC):
        return _ole_kind(data, ext_kind)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if _has_image_magic(head):
        return "image"
    for magic, name in _ARCHIVE_MAGIC:
        if head.startswith(magic):
            return name
    if _looks_like_html(head):
        return "html"
    if ext_kind:
        return ext_kind
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in _CTYPE_KINDS:
        return _CTYPE_KINDS[ctype]
    if ctype.startswith("image/"):
        return "image"
    if ctype.startswith("text/") or (head and b"\x00" not in head and _mostly_text(head)):
        return "text"
    return "unknown"


def _mostly_text(head: bytes) -> bool:
    text, _ = decode_bytes(head)
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    return printable >= 0.95 * max(1, len(text))


# --------------------------------------------------------------------------- external tools


def which(tool: str) -> str | None:
    """Path of an external tool, or None (tests monkeypatch this to simulate absence)."""
    return shutil.which(tool)


@lru_cache(maxsize=8)
def _tesseract_langs(path: str) -> frozenset[str]:
    try:
        out = subprocess.run([path, "--list-langs"], capture_output=True, timeout=15,
                             check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = out.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def ocr_unavailable_reason(limits: ExtractLimits | None = None) -> str | None:
    """Why OCR cannot run (None when it can): disabled, no tesseract, or a missing model."""
    limits = limits or ExtractLimits()
    if not limits.ocr:
        return "OCR disabled"
    path = which("tesseract")
    if not path:
        return "OCR unavailable: tesseract not installed"
    wanted = [lang for lang in limits.ocr_lang.split("+") if lang]
    missing = [lang for lang in wanted if lang not in _tesseract_langs(path)]
    if missing:
        return f"OCR unavailable: tesseract language data missing: {', '.join(missing)}"
    return None


def _run_tool(args: list[str], ctx: _Ctx, name: str) -> bytes:
    """Run an external tool with the remaining time; killed and reported on timeout."""
    timeout = ctx.remaining()
    if timeout <= 0:
        raise ctx.timed_out()
    env = dict(os.environ, OMP_THREAD_LIMIT="1", LC_ALL="C.UTF-8")
    try:
        proc = subprocess.run(args, capture_output=True, timeout=timeout, check=False,
                              env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise _TimedOut(f"{name} timed out after {timeout:.1f}s") from exc
    except OSError as exc:
        raise _Failed(f"{name} could not run: {exc}") from exc
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _Failed(f"{name} exited {proc.returncode}: {' '.join(err[-2:])[:200]}")
    return proc.stdout


@contextlib.contextmanager
def _temp_file(data: bytes, suffix: str) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="ldl-extract-") as tmp:
        path = os.path.join(tmp, "input" + suffix)
        with open(path, "wb") as fh:
            fh.write(data)
        yield path


# --------------------------------------------------------------------------- formats


def _read_docx(data: bytes, ctx: _Ctx) -> str:
    """Paragraphs and tables in document order; falls back to raw XML text (text boxes).

    Read straight from ``word/document.xml`` (:func:`_docx_fast`); python-docx
    (:func:`_docx_library`) reads what the fast reader does not expect.
    """
    _check_ooxml(data, ctx)
    text = _try_fast(_docx_fast, data, ctx)
    if text is None:
        text = _docx_library(data, ctx)
    if not text.strip():
        text = _ooxml_text(data, ["word/document.xml"], "w:t", "w:p")
    return text


def _docx_library(data: bytes, ctx: _Ctx) -> str:
    """python-docx: the reference the fast reader must agree with, and its fallback."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a corrupt package
        raise _Failed(f"corrupt docx: {type(exc).__name__}: {exc}") from exc
    sink = _TextSink(ctx.limits.max_text_chars, ctx)
    for block in document.iter_inner_content():
        lines = _table_lines(block) if isinstance(block, Table) else [block.text]
        if not all(sink.add(line) for line in lines):
            break
    return sink.text()


def _table_lines(table: Any) -> list[str]:
    lines = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:  # merged cells repeat: keep each once
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            value = " ".join(cell.text.split())
            if value:
                cells.append(value)
        if cells:
            lines.append(" | ".join(cells))
    return lines


def _check_ooxml(data: bytes, ctx: _Ctx) -> None:
    """Office files are zips: refuse one whose XML would inflate past the archive bound."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _Failed(f"corrupt office file (not a valid zip package): {exc}") from exc
    if total > ctx.limits.zip_max_total_uncompressed:
        raise _Failed(f"office file inflates to {total} bytes "
                      f"(limit {ctx.limits.zip_max_total_uncompressed})")


def _ooxml_text(data: bytes, members: Iterable[str], text_tag: str, para_tag: str) -> str:
    """Text runs straight from the XML: for pptx/odf and docx text boxes python-docx skips."""
    out: list[str] = []
    run_re = re.compile(rf"<{text_tag}(?:\s[^>]*)?>([^<]*)</{text_tag}>|</{para_tag}>")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in members:
            xml = zf.read(name).decode("utf-8", "replace")
            line: list[str] = []
            for match in run_re.finditer(xml):
                if match.group(1) is None:
                    out.append("".join(line))
                    line = []
                else:
                    line.append(html.unescape(match.group(1)))
            out.append("".join(line))
    return "\n".join(out)


def _read_pptx(data: bytes, ctx: _Ctx) -> str:
    _check_ooxml(data, ctx)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        slides = [n for n in zf.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
    slides.sort(key=lambda n: int(re.sub(r"\D", "", n)))
    return _ooxml_text(data, slides, "a:t", "a:p")


def _read_odf(data: bytes, ctx: _Ctx) -> str:
    _check_ooxml(data, ctx)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("content.xml").decode("utf-8", "replace")
    xml = re.sub(r"</text:(p|h)>|<text:line-break/>|</table:table-row>", "\n", xml)
    xml = re.sub(r"</table:table-cell>|<text:tab/>", " | ", xml)
    return html.unescape(re.sub(r"<[^>]+>", "", xml))


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as a person would read it: 12 not 12.0, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat()
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    return " ".join(str(value).split())


def _read_xlsx(data: bytes, ctx: _Ctx) -> str:
    """All sheets, streamed so big sheets stop at the text limit.

    Read straight from the sheets' XML (:func:`_xlsx_fast`); openpyxl's read-only reader
    (:func:`_xlsx_library`) reads what the fast reader does not expect.  Never
    pandas.read_excel: it would materialise every sheet as a DataFrame before we could
    stop at max_text_chars.
    """
    _check_ooxml(data, ctx)
    text = _try_fast(_xlsx_fast, data, ctx)
    if text is None:
        _check_library_can_hold(data, ctx)
        return _xlsx_library(data, ctx)
    return text


def _check_library_can_hold(data: bytes, ctx: _Ctx) -> None:
    """openpyxl holds the whole shared strings table in memory: refuse a huge one."""
    limit = 4 * ctx.limits.xlsx_max_shared_chars  # bytes of XML
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > limit:
                raise _Failed(f"shared strings table of {info.file_size} bytes is too large "
                              f"for the library reader (limit {limit})")


def _xlsx_library(data: bytes, ctx: _Ctx) -> str:
    """openpyxl read-only: the reference the fast reader must agree with, and its fallback."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt package
        raise _Failed(f"corrupt xlsx: {type(exc).__name__}: {exc}") from exc
    sink = _TextSink(ctx.limits.max_text_chars, ctx)
    try:
        for sheet in book.worksheets:
            ctx.check()
            if not sink.add(f"--- Sheet: {sheet.title} ---"):
                break
            if not _add_rows(sheet.iter_rows(values_only=True), sink, ctx):
                break
    finally:
        book.close()
    return sink.text()


def _add_rows(rows: Iterable[Iterable[Any]], sink: _TextSink, ctx: _Ctx) -> bool:
    for index, row in enumerate(rows):
        if index % 500 == 0:
            ctx.check()
        cells = [text for text in (_cell_text(v) for v in row) if text]
        if cells and not sink.add(" | ".join(cells)):
            return False
    return True


# --------------------------------------------------------------------------- OOXML fast readers
#
# python-docx and openpyxl build an object per paragraph, run and cell: 10-25 ms per report,
# half of the whole ingest (bench/README.md).  These readers stream the XML part by part with
# the stdlib's C parser and give the same text.  Whatever they do not expect (a missing part,
# strict OOXML, malformed XML, an odd attribute) raises, and _try_fast hands the file to the
# library reader, which has the last word.  Bounds: _check_ooxml has already refused a
# package whose central directory adds up past the archive limit; _open_part checks each
# part's declared size again and zipfile never inflates a member past its declared size (a
# lying header ends in a CRC error, i.e. the library fallback, which fails the same way).

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_R_ID = f"{{{_REL_NS}}}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = f"{_REL_NS}/officeDocument"
_S_T, _S_R = f"{_S}t", f"{_S}r"
_S_IS = f"{_S}is"
_S_ROW = f"{_S}row"
_S_SHEETS = f"{_S}sheets"
_S_SI = f"{_S}si"
_S_V = f"{_S}v"
_S_WORKBOOK = f"{_S}workbook"
_S_WORKBOOK_PR = f"{_S}workbookPr"
_W_BODY = f"{_W}body"
_W_BR = f"{_W}br"
_W_DOCUMENT = f"{_W}document"
_W_GRID_BEFORE = f"{_W}gridBefore"
_W_GRID_SPAN = f"{_W}gridSpan"
_W_HYPERLINK = f"{_W}hyperlink"
_W_P = f"{_W}p"
_W_R = f"{_W}r"
_W_T = f"{_W}t"
_W_TBL = f"{_W}tbl"
_W_TC = f"{_W}tc"
_W_TC_PR = f"{_W}tcPr"
_W_TR = f"{_W}tr"
_W_TR_PR = f"{_W}trPr"
_W_TYPE = f"{_W}type"
_W_VAL = f"{_W}val"
_W_V_MERGE = f"{_W}vMerge"
_XML_CHUNK = 64 * 1024
# Run content python-docx turns into text (w:t and w:br are handled apart).
_W_RUN_CHARS = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n",
                f"{_W}noBreakHyphen": "-"}
_log = logging.getLogger(__name__)


class _NotForFastPath(Exception):
    """Something the fast reader does not handle: the library reader decides."""


def _try_fast(reader: Callable[[bytes, _Ctx], str], data: bytes, ctx: _Ctx) -> str | None:
    """The fast reader's text, or None when it gave up (the caller then uses the library).

    Refusals (_Failed: a bound, the time limit) stand; any other error means "not for the
    fast path".  Its notes are kept only when it succeeded, so a fallback does not report
    twice.
    """
    scratch = dataclasses.replace(ctx, notes=[], partial=False)
    try:
        text = reader(data, scratch)
    except _Failed:
        raise
    except Exception as exc:  # anything unexpected: the library reader has the last word
        _log.debug("%s gave up (%s: %s); using the library reader", reader.__name__,
                   type(exc).__name__, exc)
        return None
    ctx.notes.extend(scratch.notes)
    ctx.partial = ctx.partial or scratch.partial
    return text


def _open_part(zf: zipfile.ZipFile, name: str, ctx: _Ctx) -> IO[bytes]:
    """A package part as a stream, after checking its declared size."""
    try:
        info = zf.getinfo(name)
    except KeyError as exc:
        raise _NotForFastPath(f"no part {name!r}") from exc
    if info.file_size > ctx.limits.zip_max_total_uncompressed:
        raise _Failed(f"office file part {name!r} inflates to {info.file_size} bytes "
                      f"(limit {ctx.limits.zip_max_total_uncompressed})")
    return zf.open(info)


def _parse_part(zf: zipfile.ZipFile, name: str, ctx: _Ctx) -> ET.Element:
    """A small part (relationships, workbook, styles) as a tree."""
    with _open_part(zf, name, ctx) as stream:
        return ET.parse(stream).getroot()


def _xml_events(stream: IO[bytes],
                events: tuple[Literal["start", "end"], ...]) -> Iterator[Iterator[Any]]:
    """A part parsed as it inflates (never whole in memory): per chunk of XML, the
    (event, element) pairs it completed (batches, to spare a generator step per element)."""
    parser: ET.XMLPullParser[Any] = ET.XMLPullParser(events=events)
    with stream:
        while chunk := stream.read(_XML_CHUNK):
            parser.feed(chunk)
            yield parser.read_events()
        parser.close()  # raises on truncated XML
    yield parser.read_events()


def _part_rels(zf: zipfile.ZipFile, part: str, ctx: _Ctx) -> dict[str, tuple[str, str]]:
    """A part's relationships: id -> (type, target part name), targets resolved as
    python-docx and openpyxl resolve them (external targets are left as they are)."""
    folder, base = posixpath.split(part)
    root = _parse_part(zf, posixpath.join(folder, "_rels", f"{base}.rels"), ctx)
    rels = {}
    for rel in root.iter(_PKG_REL):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") != "External":
            target = (target[1:] if target.startswith("/")
                      else posixpath.normpath(posixpath.join(folder, target)))
        rels[rel.get("Id") or ""] = (rel.get("Type") or "", target)
    return rels


def _main_part(zf: zipfile.ZipFile, ctx: _Ctx) -> str:
    """The package's main part (word/document.xml, xl/workbook.xml), from _rels/.rels."""
    for rel_type, target in _part_rels(zf, "", ctx).values():
        if rel_type == _OFFICE_DOCUMENT:
            return target
    raise _NotForFastPath("no officeDocument relationship")


def _docx_fast(data: bytes, ctx: _Ctx) -> str:
    """The body's paragraphs and tables, as python-docx renders them in _docx_library.

    Only the body's own w:p and w:tbl count (python-docx skips content controls, tracked
    insertions and text boxes: the caller's raw-XML fallback finds those when nothing
    else has text); a paragraph is its runs and hyperlinks' runs.
    """
    sink = _TextSink(ctx.limits.max_text_chars, ctx)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        stream = _open_part(zf, _main_part(zf, ctx), ctx)
        depth, blocks = 0, 0
        body: Any = None
        body_done = False
        for event, elem in itertools.chain.from_iterable(_xml_events(stream, ("start", "end"))):
            if event == "start":
                depth += 1
                if depth == 1 and elem.tag != _W_DOCUMENT:
                    raise _NotForFastPath(f"document root is {elem.tag}")
                if depth == 2 and body is None and not body_done and elem.tag == _W_BODY:
                    body = elem
                continue
            depth -= 1
            if body is None or depth != 2:
                if depth == 1 and elem is body:
                    body, body_done = None, True  # python-docx reads the first body only
                continue
            blocks += 1
            if blocks % 200 == 0:
                ctx.check()
            if elem.tag == _W_P:
                more = sink.add(_docx_paragraph(elem))
            elif elem.tag == _W_TBL:
                more = all(sink.add(line) for line in _docx_table_lines(elem))
            else:
                more = True
            body.clear()  # done with this block: keep memory flat
            if not more:
                break
        else:
            if not body_done:
                raise _NotForFastPath("no w:body")
    return sink.text()


def _docx_paragraph(p: ET.Element) -> str:
    parts: list[str] = []
    for child in p:
        if child.tag == _W_R:
            _docx_run(child, parts)
        elif child.tag == _W_HYPERLINK:
            for run in child:
                if run.tag == _W_R:
                    _docx_run(run, parts)
    return "".join(parts)


def _docx_run(run: ET.Element, parts: list[str]) -> None:
    for item in run:
        tag = item.tag
        if tag == _W_T:
            parts.append(item.text or "")
        elif tag in _W_RUN_CHARS:
            parts.append(_W_RUN_CHARS[tag])
        elif tag == _W_BR and item.get(_W_TYPE, "textWrapping") == "textWrapping":
            parts.append("\n")  # page and column breaks are no text


def _docx_table_lines(tbl: ET.Element) -> list[str]:
    """Rows as _table_lines renders python-docx's: each cell once, a vertically merged
    cell's text repeated on every row it spans, empty cells and rows left out."""
    lines = []
    above: dict[int, tuple[ET.Element, str]] | None = None  # grid offset -> (w:tc, text)
    for tr in tbl:
        if tr.tag != _W_TR:
            continue
        offset = _w_int(tr, _W_TR_PR, _W_GRID_BEFORE, 0)
        row: dict[int, tuple[ET.Element, str]] = {}
        cells, seen = [], set()
        for tc in tr:
            if tc.tag != _W_TC:
                continue
            span = _w_int(tc, _W_TC_PR, _W_GRID_SPAN, 1)
            if span < 1:
                raise _NotForFastPath(f"gridSpan {span}")
            tc_pr = tc.find(_W_TC_PR)
            merge = tc_pr.find(_W_V_MERGE) if tc_pr is not None else None
            if merge is not None and merge.get(_W_VAL, "continue") == "continue":
                if above is None or offset not in above:
                    raise _NotForFastPath("vertical merge with no cell above")
                cell = above[offset]
            else:
                text = "\n".join(_docx_paragraph(p) for p in tc if p.tag == _W_P)
                cell = (tc, " ".join(text.split()))
            row[offset] = cell
            offset += span
            if cell[0] not in seen:
                seen.add(cell[0])
                if cell[1]:
                    cells.append(cell[1])
        above = row
        if cells:
            lines.append(" | ".join(cells))
    return lines


def _w_int(elem: ET.Element, props: str, name: str, default: int) -> int:
    """The w:val of elem/props/name as an int (gridBefore, gridSpan), else the default."""
    holder = elem.find(props)
    item = holder.find(name) if holder is not None else None
    if item is None:
        return default
    value = item.get(_W_VAL)
    if value is None:
        raise _NotForFastPath(f"{name} without w:val")
    return int(value)


def _xlsx_fast(data: bytes, ctx: _Ctx) -> str:
    """Every worksheet as _xlsx_library renders openpyxl's read-only values.

    Same sheets (the workbook's order; chart sheets and sheets whose part is missing
    skipped), same values: shared and inline strings (rich text runs joined, phonetic
    runs left out), numbers as int or float, booleans, errors, cached formula results,
    and numbers in a date or duration format as openpyxl converts them.  One difference:
    cells beyond the sheet's declared <dimension> are read (openpyxl drops them).
    """
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH

    sink = _TextSink(ctx.limits.max_text_chars, ctx)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        book_part = _main_part(zf, ctx)
        book = _parse_part(zf, book_part, ctx)
        if book.tag != _S_WORKBOOK:
            raise _NotForFastPath(f"workbook root is {book.tag}")
        props = book.find(_S_WORKBOOK_PR)
        date1904 = props.get("date1904") if props is not None else None
        epoch = (CALENDAR_MAC_1904 if date1904 and date1904 not in ("false", "f", "0")
                 else WINDOWS_EPOCH)
        rels = _part_rels(zf, book_part, ctx)
        strings = _xlsx_shared_strings(zf, rels, ctx)
        dates, durations = _xlsx_date_styles(zf, names, ctx)
        sheets = book.find(_S_SHEETS)
        for sheet in sheets if sheets is not None else ():
            rel_id = sheet.get(_R_ID)
            if not rel_id:
                continue
            rel_type, target = rels[rel_id]
            if target not in names or "chartsheet" in rel_type:
                continue
            ctx.check()
            if not sink.add(f"--- Sheet: {sheet.get('name')} ---"):
                break
            rows = _xlsx_rows(_open_part(zf, target, ctx), strings, dates, durations, epoch)
            if not _add_texts(rows, sink, ctx):
                break
    return sink.text()


def _add_texts(rows: Iterable[list[str]], sink: _TextSink, ctx: _Ctx) -> bool:
    """_add_rows for rows already turned into cell texts (empty cells left out)."""
    for index, cells in enumerate(rows):
        if index % 500 == 0:
            ctx.check()
        if cells and not sink.add(" | ".join(cells)):
            return False
    return True


class _CutTable(list[str]):
    """A shared strings table whose end was not kept (cells using it read as empty)."""


def _shared_strings_part(rels: dict[str, tuple[str, str]]) -> str | None:
    parts = [target for rel_type, target in rels.values()
             if rel_type.endswith("/sharedStrings")]
    return parts[0] if parts else None


def _xlsx_shared_strings(zf: zipfile.ZipFile, rels: dict[str, tuple[str, str]],
                         ctx: _Ctx) -> list[str]:
    """The shared string table, each string already as _cell_text gives it.

    Streamed, and bounded: a 10 MB workbook can hold a 95 MB table, which as Python
    strings (plus the parsed elements) once took 800 MB.  Parsed items are dropped from
    the tree as they complete; past ``xlsx_max_shared_strings`` items or
    ``xlsx_max_shared_chars`` characters the rest of the table is not kept (cells using
    those strings read as empty) and the file is marked partial, with a note.
    """
    part = _shared_strings_part(rels)
    if part is None:
        return []
    limits = ctx.limits
    strings: list[str] = []
    chars = 0
    root: ET.Element | None = None
    events = _xml_events(_open_part(zf, part, ctx), ("start", "end"))
    for count, (event, elem) in enumerate(itertools.chain.from_iterable(events)):
        if root is None and event == "start":
            root = elem
        if event != "end" or elem.tag != _S_SI:
            continue
        text = " ".join(_xlsx_text(elem).replace("x005F_", "").split())  # read_string_table
        if root is not None:
            root.clear()  # drop the items read so far: the tree never holds the table
        if len(strings) >= limits.xlsx_max_shared_strings or (
                chars + len(text) > limits.xlsx_max_shared_chars):
            ctx.notes.append(
                f"shared strings table cut after {len(strings)} strings ({chars} characters;"
                f" limits {limits.xlsx_max_shared_strings} strings, "
                f"{limits.xlsx_max_shared_chars} characters): cells using later strings "
                "read as empty")
            ctx.partial = True
            return _CutTable(strings)
        strings.append(text)
        chars += len(text)
        if count % 10_000 == 0:
            ctx.check()
    return strings


def _xlsx_text(holder: ET.Element) -> str:
    """A string item's text: its t, then its rich text runs' t (openpyxl's Text.content)."""
    plain = holder.find(_S_T)
    if len(holder) == 1 and plain is not None:  # the usual <si><t>text</t></si>
        return plain.text or ""
    parts = [plain.text] if plain is not None and plain.text is not None else []
    for run in holder:
        if run.tag == _S_R:
            piece = run.find(_S_T)
            if piece is not None and piece.text is not None:
                parts.append(piece.text)
    return "".join(parts)


def _xlsx_date_styles(zf: zipfile.ZipFile, names: set[str],
                      ctx: _Ctx) -> tuple[frozenset[int], frozenset[int]]:
    """Indexes of the cell formats that make a number a date, and a duration (openpyxl)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    if "xl/styles.xml" not in names:  # openpyxl reads styles from this name only
        return frozenset(), frozenset()
    root = _parse_part(zf, "xl/styles.xml", ctx)
    custom = {int(fmt.get("numFmtId", "")): fmt.get("formatCode")
              for fmt in root.iterfind(f"{_S}numFmts/{_S}numFmt")}
    dates, durations = set(), set()
    for index, xf in enumerate(root.iterfind(f"{_S}cellXfs/{_S}xf")):
        fmt_id = int(xf.get("numFmtId", "0"))
        code = custom[fmt_id] if fmt_id in custom else BUILTIN_FORMATS.get(fmt_id)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return frozenset(dates), frozenset(durations)


def _xlsx_rows(stream: IO[bytes], strings: list[str], dates: frozenset[int],
               durations: frozenset[int], epoch: _dt.datetime) -> Iterator[list[str]]:
    """Each row's non-empty cell texts, left to right, streamed from a worksheet part.

    Rows as openpyxl yields them: numbered by r (else one more than the last), a row
    numbered at or below one already given is dropped; cells placed by their r column
    (else the next column), the last one wins when two claim a column.
    """
    row_tag, cell_value, inline = _S_ROW, _S_V, _S_IS
    row_number, next_row = 0, 1
    for _event, row in itertools.chain.from_iterable(_xml_events(stream, ("end",))):
        if row.tag != row_tag:
            continue
        number = row.get("r")
        row_number = _xlsx_row_number(number) if number else row_number + 1
        if row_number < next_row:
            row.clear()
            continue
        next_row = row_number + 1
        cells: list[tuple[int, str]] = []
        column, in_order = 0, True
        for cell in row:
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                new_column = _COLUMNS.get(letters) or _column_index(letters, ref)
                in_order = in_order and new_column > column
                column = new_column
            else:
                column += 1
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                node = cell.find(inline)
                text = " ".join(_xlsx_text(node).split()) if node is not None else ""
                cells.append((column, text))
                continue
            value = cell.findtext(cell_value)
            if not value:
                text = ""  # still claims its column (an empty cell overrides an earlier one)
            elif kind == "s":
                index = int(value)
                if index >= len(strings) and isinstance(strings, _CutTable):
                    text = ""  # past the cut (noted): read as empty
                else:
                    text = strings[index]
            elif kind == "n":
                style = cell.get("s")
                text = _xlsx_number(value, int(style) if style else (-1 if style == "" else 0),
                                    dates, durations, epoch)
            elif kind == "b":
                text = str(bool(int(value)))
            elif kind == "d":
                from openpyxl.utils.datetime import from_ISO8601

                text = _cell_text(from_ISO8601(value))
            else:  # str (a formula's cached text), e (an error such as #DIV/0!)
                text = " ".join(value.split())
            cells.append((column, text))
        row.clear()
        if not in_order:
            by_column = dict(cells)  # the last cell claiming a column wins
            cells = sorted(by_column.items())
        yield [text for _, text in cells if text]


def _xlsx_row_number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        number = float(value)  # openpyxl accepts "3.0"; anything else is not a row number
        if not number.is_integer():
            raise
        return int(number)


_COLUMNS: dict[str, int] = {}  # "A" -> 1, filled as columns are met


def _column_index(letters: str, ref: str) -> int:
    """The column of a cell reference's letters, checked and remembered."""
    from openpyxl.utils.cell import column_index_from_string

    if not letters or len(letters) == len(ref) or not letters.isalpha():
        raise _NotForFastPath(f"cell reference {ref!r}")
    index = int(column_index_from_string(letters))  # raises past ZZZ, as openpyxl does
    _COLUMNS[letters] = index
    return index


def _xlsx_number(value: str, style: int, dates: frozenset[int], durations: frozenset[int],
                 epoch: _dt.datetime) -> str:
    """A numeric cell's text: openpyxl's int-or-float, or its date for a date format."""
    if "." in value or "E" in value or "e" in value:
        number: Any = float(value)
    else:
        number = int(value)
        if style not in dates:
            return str(number)  # what _cell_text gives an int, without its type tests
    if style in dates:
        from openpyxl.utils.datetime import from_excel

        try:
            number = from_excel(number, epoch, timedelta=style in durations)
        except (OverflowError, ValueError):  # openpyxl: "treated as an error"
            return "#VALUE!"
    return _cell_text(number)


def _read_xls(data: bytes, ctx: _Ctx) -> str:
    """Excel 97-2003 through xlrd (which honours the workbook's code page, e.g. 1258)."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except Exception as exc:  # xlrd raises XLRDError, struct errors, ...
        raise _Failed(f"corrupt xls: {type(exc).__name__}: {exc}") from exc
    sink = _TextSink(ctx.limits.max_text_chars, ctx)
    try:
        for index in range(book.nsheets):
            ctx.check()
            sheet = book.sheet_by_index(index)
            if not sink.add(f"--- Sheet: {sheet.name} ---"):
                break
            rows = ([_xls_value(book, cell) for cell in sheet.row(r)] for r in range(sheet.nrows))
            if not _add_rows(rows, sink, ctx):
                break
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return sink.text()


def _xls_value(book: Any, cell: Any) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_EMPTY):
        return None
    return cell.value


def _read_pdf(data: bytes, ctx: _Ctx) -> str:
    """The text layer; scanned (or garbled) pages go to OCR when it is available."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _Failed("encrypted PDF (password required)")
        pages = len(reader.pages)
    except _Failed:
        raise
    except Exception as exc:  # pypdf raises many types for a corrupt file
        raise _Failed(f"corrupt pdf: {type(exc).__name__}: {exc}") from exc
    sink = _TextSink(ctx.limits.max_text_chars, ctx)
    for page in reader.pages:
        ctx.check()
        try:
            page_text = page.extract_text() or ""
        except Exception as exc:  # one bad page must not lose the others
            ctx.notes.append(f"page unreadable: {type(exc).__name__}")
            page_text = ""
        if not sink.add(page_text):
            break
    text = sink.text()
    if _letters(text) >= ctx.limits.pdf_min_chars_per_page * max(1, pages) and not _garbled(text):
        return text
    return _pdf_fallback_to_ocr(data, text, pages, ctx)


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _garbled(text: str) -> bool:
    """A text layer of private-use glyphs or (cid:N) codes: the font had no Unicode map."""
    if not text:
        return False
    odd = len(re.findall(r"\(cid:\d+\)", text)) * 6
    odd += sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    return odd > 0.3 * len(text)


def _pdf_fallback_to_ocr(data: bytes, text: str, pages: int, ctx: _Ctx) -> str:
    reason = ocr_unavailable_reason(ctx.limits) or (
        None if which("pdftoppm") else "OCR unavailable: pdftoppm (poppler-utils) not installed")
    if reason:
        if text.strip():
            ctx.notes.append(f"little text in PDF; {reason}")
            return text
        raise _Skipped(f"image-only PDF; {reason}")
    ocr_text = _ocr_pdf(data, pages, ctx)
    if _letters(ocr_text) > _letters(text) or _garbled(text):
        ctx.notes.append("text from OCR")
        return ocr_text
    return text


def _ocr_pdf(data: bytes, pages: int, ctx: _Ctx) -> str:
    """Render page by page (pdftoppm) and OCR each, keeping what finished before the deadline."""
    todo = min(pages, ctx.limits.ocr_max_pages)
    out: list[str] = []
    with _temp_file(data, ".pdf") as path:
        prefix = os.path.join(os.path.dirname(path), "page")
        for number in range(1, todo + 1):
            try:
                _run_tool(["pdftoppm", "-r", str(ctx.limits.ocr_dpi), "-gray", "-png",
                           "-singlefile", "-f", str(number), "-l", str(number), path, prefix],
                          ctx, "pdftoppm")
                out.append(_tesseract(prefix + ".png", ctx))
            except _TimedOut:
                if not out:
                    raise
                ctx.notes.append(f"OCR stopped after {len(out)}/{todo} pages: time limit")
                ctx.partial = True
                break
    if pages > todo:
        ctx.notes.append(f"OCR limited to the first {todo} of {pages} pages")
    return "\n\n".join(out)


def _tesseract(image_path: str, ctx: _Ctx) -> str:
    out = _run_tool(["tesseract", image_path, "stdout", "-l", ctx.limits.ocr_lang],
                    ctx, "tesseract")
    return out.decode("utf-8", "replace")


def _read_image(data: bytes, ctx: _Ctx, filename: str) -> str:
    reason = ocr_unavailable_reason(ctx.limits)
    if reason:
        raise _Skipped(f"image; {reason}")
    if not _has_image_magic(data[:16]):
        # Never hand tesseract something that is not an image: it reads a text file as a
        # list of image paths to open.
        raise _Failed("not a recognised image format")
    size = _image_size(data)
    if size is not None:
        width, height = size
        if width * height > 80_000_000:
            raise _Failed(f"image too large to OCR: {width}x{height}")
        if width < 120 or height < 40:
            raise _Skipped(f"image too small to hold text: {width}x{height}")
    suffix = _ext(filename) if _EXT_KINDS.get(_ext(filename)) == "image" else ".img"
    with _temp_file(data, suffix) as path:
        return _tesseract(path, ctx)


def _has_image_magic(head: bytes) -> bool:
    return head.startswith(tuple(m for m, _ in _IMAGE_MAGIC)) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def _image_size(data: bytes) -> tuple[int, int] | None:
    try:
        from PIL import Image
    except ImportError:
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            return int(image.width), int(image.height)
    except Exception:  # Pillow cannot read it: let tesseract try
        return None


def _read_doc(data: bytes, ctx: _Ctx) -> str:
    """Word 97-2003 via antiword, else catdoc; skipped (with the reason) when neither exists."""
    tools = [t for t in ("antiword", "catdoc") if which(t)]
    if not tools:
        raise _Skipped(".doc converter unavailable: neither antiword nor catdoc is installed")
    errors = []
    with _temp_file(data, ".doc") as path:
        for tool in tools:
            args = (["antiword", "-m", "UTF-8.txt", "-w", "0", path] if tool == "antiword"
                    else ["catdoc", "-d", "utf-8", "-w", path])
            try:
                text = _run_tool(args, ctx, tool).decode("utf-8", "replace")
            except _TimedOut:
                raise
            except _Failed as exc:
                errors.append(str(exc))
                continue
            if text.strip():
                return text
            errors.append(f"{tool}: no text")
    raise _Failed("; ".join(errors))


def _read_text(data: bytes, ctx: _Ctx) -> str:
    text, note = decode_bytes(data)
    if note:
        ctx.notes.append(note)
    return text


_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)


def _read_html(data: bytes, ctx: _Ctx) -> str:
    match = _META_CHARSET_RE.search(data[:4096])
    markup, note = decode_bytes(data, match.group(1).decode("ascii") if match else None)
    if note:
        ctx.notes.append(note)
    return html_to_text(markup)[0]


def _read_rtf(data: bytes, ctx: _Ctx) -> str:
    return rtf_to_text(data.decode("latin-1"))


_RTF_TOKEN_RE = re.compile(
    r"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z'])|([{}])|([^\\{}\r\n]+)|[\r\n]+")
_RTF_SKIP_DESTINATIONS = {
    "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "generator", "listtable",
    "listoverridetable", "themedata", "colorschememapping", "datastore", "latentstyles",
    "rsidtbl", "xmlnstbl", "mmathPr", "header", "footer", "headerl", "headerr", "footerl",
    "footerr", "fldinst", "revtbl", "filetbl", "bkmkstart", "bkmkend", "pgdsctbl",
}
_RTF_BREAKS = {"par": "\n", "line": "\n", "row": "\n", "sect": "\n", "page": "\n",
               "tab": "\t", "cell": " | ", "emdash": "—", "endash": "–", "bullet": "•",
               "lquote": "‘", "rquote": "’", "ldblquote": "“", "rdblquote": "”"}


def rtf_to_text(rtf: str) -> str:
    """Plain text of an RTF document: destinations skipped, \\'hh in the document code page
    (Vietnamese Word uses \\ansicpg1258), \\uN escapes with their fallback characters dropped.
    """
    out: list[str] = []
    pending = bytearray()
    codepage = "cp1252"
    stack: list[tuple[bool, int]] = []
    skip, uc, skip_chars = False, 1, 0

    def flush() -> None:
        if pending:
            out.append(pending.decode(codepage, "replace"))
            pending.clear()

    for m in _RTF_TOKEN_RE.finditer(rtf):
        word, arg, hexbyte, symbol, brace, plain = m.groups()
        if hexbyte is not None:
            if skip_chars:
                skip_chars -= 1
            elif not skip:
                pending.append(int(hexbyte, 16))
            continue
        flush()
        if brace == "{":
            stack.append((skip, uc))
        elif brace == "}":
            skip, uc = stack.pop() if stack else (False, 1)
        elif word is not None:
            skip_chars = 0
            if word in _RTF_SKIP_DESTINATIONS:
                skip = True
            elif word == "ansicpg" and arg:
                codepage = codec_name(f"cp{arg}") or codepage
            elif word == "uc" and arg:
                uc = int(arg)
            elif word == "u" and arg and not skip:
                value = int(arg)
                out.append(chr(value + 65536 if value < 0 else value))
                skip_chars = uc
            elif word in _RTF_BREAKS and not skip:
                out.append(_RTF_BREAKS[word])
        elif symbol is not None:
            if symbol == "*":
                skip = True
            elif not skip and symbol in "\\{}":
                out.append(symbol)
            elif not skip and symbol == "~":
                out.append("\u00a0")
        elif plain is not None and not skip:
            if skip_chars:
                drop = min(skip_chars, len(plain))
                plain, skip_chars = plain[drop:], skip_chars - drop
            out.append(plain)
    flush()
    return "".join(out)


# --------------------------------------------------------------------------- archives


def _member_name(info: zipfile.ZipInfo) -> str:
    """Member names from Windows zips are in the OEM/ANSI code page without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    return decode_bytes(raw)[0]


def _read_zip(data: bytes, ctx: _Ctx) -> str:
    """Members' text under '=== name ===' headers, within the archive bounds."""
    limits = ctx.limits
    depth = ctx.depth + 1
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _Failed(f"corrupt zip: {exc}") from exc
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if ctx.budget is None:
            ctx.budget = _Budget(limits.zip_max_members, limits.zip_max_total_uncompressed)
        _check_zip_bounds(infos, ctx.budget, limits)
        sink = _TextSink(limits.max_text_chars, ctx)
        for info in infos:
            ctx.check()
            if not sink.add(_zip_member_text(archive, info, ctx, depth)):
                break
    return sink.text()


def _check_zip_bounds(infos: list[zipfile.ZipInfo], budget: _Budget,
                      limits: ExtractLimits) -> None:
    """Refuse bombs from the central directory before inflating anything."""
    if len(infos) > budget.members:
        raise _Failed(f"archive refused: {len(infos)} files (limit {limits.zip_max_members})")
    total = sum(info.file_size for info in infos)
    if total > budget.bytes_left:
        raise _Failed(f"archive refused: {total} bytes uncompressed "
                      f"(limit {limits.zip_max_total_uncompressed})")
    for info in infos:
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > 64 * 1024 and ratio > limits.zip_max_ratio:
            raise _Failed(f"archive refused: {info.filename!r} compression ratio {ratio:.0f} "
                          f"(limit {limits.zip_max_ratio:g}); likely a zip bomb")
    budget.members -= len(infos)


def _zip_member_text(archive: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: _Ctx,
                     depth: int) -> str:
    name = _member_name(info)
    header = f"=== {name} ==="
    if info.flag_bits & 0x1:
        return f"{header} [skipped: encrypted]"
    if info.file_size > ctx.limits.max_file_bytes:
        return f"{header} [skipped: {info.file_size} bytes, limit {ctx.limits.max_file_bytes}]"
    data = _read_member(archive, info, ctx)
    member_ctx = _Ctx(ctx.limits, ctx.deadline, depth, ctx.budget,
                      deadline_note=ctx.deadline_note)
    kind = detect_kind(name, "", data)
    if kind == "zip" and depth >= ctx.limits.zip_max_depth:
        ctx.notes.append(f"{name}: nested archive deeper than {ctx.limits.zip_max_depth}")
        return f"{header} [skipped: archive nested deeper than {ctx.limits.zip_max_depth}]"
    try:
        text = normalize_text(_dispatch(kind, name, data, member_ctx))
    except _TimedOut:
        raise
    except (_Skipped, _Failed) as exc:
        label = "skipped" if isinstance(exc, _Skipped) else "failed"
        ctx.notes.append(f"{name}: {label}: {exc}")
        return f"{header} [{label}: {exc}]"
    except Exception as exc:  # a member's parser bug must not lose the other members
        ctx.notes.append(f"{name}: failed: {type(exc).__name__}")
        return f"{header} [failed: {type(exc).__name__}: {exc}]"
    ctx.notes.extend(f"{name}: {note}" for note in member_ctx.notes)
    return f"{header}\n{text}" if text else f"{header} [empty]"


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: _Ctx) -> bytes:
    """Inflate one member, never past its declared size (a lying header is a bomb)."""
    assert ctx.budget is not None
    try:
        with archive.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError) as exc:
        raise _Failed(f"corrupt zip member {info.filename!r}: {exc}") from exc
    if len(data) > info.file_size:
        raise _Failed(f"archive refused: {info.filename!r} inflates past its declared size")
    ctx.budget.bytes_left -= len(data)
    return data


# --------------------------------------------------------------------------- dispatch

_READERS: dict[str, Callable[[bytes, _Ctx], str]] = {
    "pdf": _read_pdf, "docx": _read_docx, "xlsx": _read_xlsx, "pptx": _read_pptx,
    "odf": _read_odf, "xls": _read_xls, "doc": _read_doc, "text": _read_text,
    "html": _read_html, "rtf": _read_rtf, "zip": _read_zip,
}
_UNSUPPORTED = {
    "rar": "RAR archives are not supported", "7z": "7-Zip archives are not supported",
    "gzip": "gzip archives are not supported",
    "encrypted-office": "password-protected Office file",
    "ole": "unrecognised OLE2 (old Office) file",
}


def _dispatch(kind: str, filename: str, data: bytes, ctx: _Ctx) -> str:
    if kind == "image":
        return _read_image(data, ctx, filename)
    if kind == "encrypted-office":
        raise _Failed(_UNSUPPORTED[kind])
    if kind in _UNSUPPORTED:
        raise _Skipped(_UNSUPPORTED[kind])
    reader = _READERS.get(kind)
    if reader is None:
        raise _Skipped(f"unsupported format ({filename or 'no name'})")
    return reader(data, ctx)


def extract_text(att: AttachmentDoc, limits: ExtractLimits | None = None) -> AttachmentDoc:
    """Fill ``text``, ``status``, ``error`` and ``heading`` of an attachment; never raises.

    ``status``: ok (text found), partial (text found, but part of the file was left
    unread: ``error`` says what), empty (readable, no text), skipped (not attempted: too
    large, unsupported, tool or OCR model missing, no time left in the message's budget;
    ``error`` says why), timeout (stopped at a time limit) or failed (corrupt, encrypted,
    archive bomb, out of memory; ``error`` says why).  With status ok, ``error`` may carry
    a note (truncated, members that failed).  The attachment is updated in place and
    returned.  The work runs in a child process that is killed at the time limit (see
    :func:`extract_all`).
    """
    extract_all([att], limits)
    return att


def extract_all(attachments: Sequence[AttachmentDoc],
                limits: ExtractLimits | None = None) -> None:
    """:func:`extract_text` for every attachment of one message, within one time budget.

    Each file has ``max_seconds``; all of them together ``max_message_seconds``.  They
    are read one after the other in a helper process (:mod:`ingest.isolate`) that is
    SIGKILLed when a limit passes, so nothing keeps running after its time and the next
    message starts with nothing in the way.  A file stopped at a limit is "timeout"; the
    files after it, when the message's budget is spent, are "skipped" with that reason.
    """
    limits = limits or ExtractLimits()
    todo: list[AttachmentDoc] = []
    for att in attachments:
        if not att.sha256:
            att.sha256 = hashlib.sha256(att.payload).hexdigest()
        att.text, att.heading, att.error = "", "", None
        if len(att.payload) > limits.max_file_bytes:
            att.status = "skipped"
            att.error = f"too large: {len(att.payload)} bytes (limit {limits.max_file_bytes})"
        else:
            todo.append(att)
    if todo and limits.isolate:
        ensure_started()  # its start-up is not the files' time
    message_end = time.monotonic() + limits.max_message_seconds
    jobs = [(_extract_here, (att, limits, message_end)) for att in todo]
    outcomes = run_isolated(jobs, per_job=limits.max_seconds,
                            total=max(0.0, message_end - time.monotonic()),
                            memory_bytes=limits.max_memory_bytes, isolate=limits.isolate)
    budget = _budget_text(limits)
    for att, outcome in zip(todo, outcomes, strict=True):
        if outcome.kind == "done":
            att.text, att.heading, att.status, att.error = outcome.value
        elif outcome.kind == "timeout":
            att.status = "timeout"
            att.error = f"time limit of {limits.max_seconds:g}s exceeded: reading stopped"
        elif outcome.kind == "budget":
            att.status, att.error = "timeout", f"{budget} ran out while reading it"
        elif outcome.kind == "not-started":
            att.status, att.error = "skipped", f"not read: {budget} was used up"
        elif outcome.kind == "died":
            att.status = "failed"
            att.error = f"the extraction process ended without an answer ({outcome.detail})"
        else:
            att.status, att.error = "failed", outcome.detail


def _budget_text(limits: ExtractLimits) -> str:
    return f"the message's time budget of {limits.max_message_seconds:g}s for its files"


def _extract_here(att: AttachmentDoc, limits: ExtractLimits,
                  message_end: float) -> tuple[str, str, str, str | None]:
    """Read one attachment in this process: (text, heading, status, error); never raises.

    The deadlines are checked cooperatively (between pages, sheets, members); the process
    running this is killed if they are not (see :func:`extract_all`).
    """
    now = time.monotonic()
    if now >= message_end:
        return "", "", "skipped", f"not read: {_budget_text(limits)} was used up"
    file_end = now + limits.max_seconds
    ctx = _Ctx(limits, min(file_end, message_end))
    if message_end < file_end:
        ctx.deadline_note = f"{_budget_text(limits)} ran out while reading it"
    try:
        kind = detect_kind(att.filename, att.content_type, att.payload)
        text = normalize_text(_dispatch(kind, att.filename, att.payload, ctx))
    except _Skipped as exc:
        return "", "", "skipped", str(exc)
    except _TimedOut as exc:
        return "", "", "timeout", str(exc)
    except _Failed as exc:
        return "", "", "failed", str(exc)
    except Exception as exc:  # an unexpected parser error is a failure, not a crash
        return "", "", "failed", f"{type(exc).__name__}: {exc}"[:500]
    if len(text) > limits.max_text_chars:
        text = text[: limits.max_text_chars]
        ctx.notes.append(f"text truncated at {limits.max_text_chars} characters")
    notes = list(dict.fromkeys(ctx.notes))
    error = "; ".join(notes)[:1000] if notes else None
    if not text.strip():
        return text, "", "empty", error
    return text, first_heading(text), "partial" if ctx.partial else "ok", error
