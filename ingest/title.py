"""The title block of a Vietnamese administrative document, read as people lay it out.

A report or a registration form opens with a letterhead: on the left the body above and
the issuing union ("LĐLĐ QUẬN LONG BIÊN" / "CĐCS TRƯỜNG THCS ..." / "Số: 05/BC-CĐ"), on
the right the national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / "Độc lập - Tự do -
Hạnh phúc") and the place and date ("Long Biên, ngày 10 tháng 3 năm 2021").  Then comes the
title, in capitals, often over two lines ("BÁO CÁO" / "Kết quả thực hiện ... quý I năm 2021";
"PHIẾU ĐĂNG KÝ" / "Mô hình Dân vận khéo năm 2021"), and only then the body, which may
mention any period ("so với 6 tháng đầu năm").  The title says what the document is; the
body does not, so the classifier weighs them differently.

:func:`document_title` finds the title; :func:`letterhead_lines` returns the issuer's lines
of the letterhead (for attribution).  Both are pure functions of the extracted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.textnorm import fold, loose_pattern

HEAD_LINES = 40  # the title is near the top: never look further
MAX_TITLE_LINES = 3  # "BÁO CÁO" / "Kết quả ..." / "quý I năm 2021"
MAX_TITLE_CHARS = 300
MAX_LETTERHEAD_LINES = 10  # a letterhead is the first lines of the page
MAX_LETTERHEAD_CHARS = 100

# Folded first words of a document title (the kind of document).
TITLE_OPENERS: tuple[str, ...] = (
    "bao cao", "phieu dang ky", "ban dang ky", "dang ky", "danh sach dang ky", "phieu",
    "bang dang ky", "bieu mau dang ky", "bieu dang ky", "tong hop", "ke hoach", "to trinh",
    "bien ban", "danh sach", "thong bao", "bang tong hop", "bieu", "mau",
)
# Folded openings of letterhead, motto, reference and date lines: never the title.
LETTERHEAD_OPENERS: tuple[str, ...] = (
    "cong hoa xa hoi", "doc lap", "lien doan lao dong", "ldld", "cong doan", "cdcs", "cd ",
    "so:", "so ", "uy ban", "ubnd", "dang uy", "chi bo", "truong ", "cong ty", "ban ",
    "phong ", "trung tam", "benh vien", "tram ", "kho bac", "chi cuc", "hoi ", "quan ",
    "tong cong ty", "doan ", "kinh gui", "v/v", "ve viec",
)
UNION_OPENERS: tuple[str, ...] = (
    "cong doan", "cdcs", "cd ", "bch cong doan", "ban chap hanh", "lien doan lao dong", "ldld",
)
DATE_LINE_RE = re.compile(r"\bngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}\b|"
                          r"\bngay\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}\b")
# A line that starts the body: the title is over.
BODY_OPENERS: tuple[str, ...] = (
    "kinh gui", "can cu", "thuc hien", "i.", "i ", "1.", "1 ", "phan ", "a.", "dac diem",
    "tinh hinh", "ten don vi", "ho va ten", "stt", "ten mo hinh", "thuc hien ke hoach",
)


# The right-hand column of a letterhead (motto, place and date).  A PDF often returns it on
# the same line as the left-hand one ("CĐCS TRƯỜNG MN HOA SỮA   Độc lập - Tự do - Hạnh
# phúc"): it is cut out so the left column reads alone.
RIGHT_COLUMN_RE = re.compile(
    "|".join([
        loose_pattern("cong hoa xa hoi chu nghia viet nam"),
        loose_pattern("doc lap") + r"\s*[-–—]?\s*" + loose_pattern("tu do") + r"\s*[-–—]?\s*"
        + loose_pattern("hanh phuc"),
        r"[^\n|,]{0,30},\s*" + loose_pattern("ngay") + r"\s*\d{1,2}\s*" + loose_pattern("thang")
        + r"\s*\d{1,2}\s*" + loose_pattern("nam") + r"\s*\d{4}",
    ]),
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TitleBlock:
    """The title of a document and the letterhead lines above it."""

    title: str  # as written (diacritics kept), lines joined by a space; "" when none
    letterhead: tuple[str, ...]  # issuer lines of the letterhead, as written
    body_start: int = 0  # where the title begins in the text (0 when no title was found)


def _lines(text: str) -> list[str]:
    out: list[str] = []
    for raw in text.splitlines()[: HEAD_LINES * 3]:
        # a docx letterhead is often a two-column table: "LĐLĐ ... | CỘNG HÒA ..."
        for cell in RIGHT_COLUMN_RE.sub(" | ", raw).split("|"):
            line = " ".join(cell.split()).strip(" -–*_=")
            if sum(ch.isalpha() for ch in line) >= 2:
                out.append(line)
        if len(out) >= HEAD_LINES:
            break
    return out[:HEAD_LINES]


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _opens_title(folded: str) -> bool:
    return any(folded == o or folded.startswith(o + " ") for o in TITLE_OPENERS)


def _is_letterhead(folded: str, line: str) -> bool:
    if DATE_LINE_RE.search(folded) or folded.startswith(("doc lap", "cong hoa")):
        return True
    if folded.startswith(UNION_OPENERS):
        return True  # "Công đoàn Trường Tiểu học ..." need not be in capitals
    return _is_upper(line) and any(folded.startswith(o) for o in LETTERHEAD_OPENERS)


def _continues_title(folded: str, line: str, first: str) -> bool:
    """A line after the title's first one that still belongs to it."""
    if not folded or any(folded.startswith(o) for o in BODY_OPENERS):
        return False
    if DATE_LINE_RE.search(folded) or len(line) > 160:
        return False
    # "BÁO CÁO" alone always continues; otherwise a capitalised or short line does
    return len(first.split()) <= 3 or _is_upper(line) or len(line.split()) <= 16


@lru_cache(maxsize=64)  # classify and attribute both read each document's title block
def read_title_block(text: str) -> TitleBlock:
    """The title (and the letterhead above it) of a document's extracted text.

    Above a title found, every short line but the motto and the date is letterhead, in any
    case ("Công đoàn cơ sở" / "Trường Tiểu học Sài Đồng"); with no title, only lines that
    look like a letterhead (capitals, "CĐCS ...", "Số: ...") are taken.
    """
    lines = _lines(text)
    letterhead: list[str] = []
    above: list[str] = []
    for i, line in enumerate(lines):
        folded = fold(line)
        if _opens_title(folded) and not DATE_LINE_RE.search(folded):
            parts = [line]
            for nxt in lines[i + 1: i + MAX_TITLE_LINES]:
                if not _continues_title(fold(nxt), nxt, line):
                    break
                parts.append(nxt)
            start = max(text.find(line), 0)
            return TitleBlock(" ".join(parts)[:MAX_TITLE_CHARS], tuple(above), start)
        is_motto = DATE_LINE_RE.search(folded) or folded.startswith(("cong hoa", "doc lap"))
        if not is_motto and len(line) <= MAX_LETTERHEAD_CHARS and i < MAX_LETTERHEAD_LINES \
                and not folded.startswith(("kinh gui", "v/v", "ve viec")):
            above.append(line)
        if _is_letterhead(folded, line):
            if not is_motto:
                letterhead.append(line)
            continue
        if len(letterhead) >= 1 and i > 12:
            break
    return TitleBlock("", tuple(letterhead))


def document_title(text: str) -> str:
    """The document's title, "" when its head shows none."""
    return read_title_block(text).title


def letterhead_lines(text: str) -> tuple[str, ...]:
    """The issuer's lines of the letterhead (body above, union, reference number)."""
    return read_title_block(text).letterhead
