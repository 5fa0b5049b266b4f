"""A realistic sample inbox for the federation, with the truth about every message.

Used by ``ldl demo`` (to show the product with no credentials) and by the placement
evaluation (``tests/ingest/test_placement.py``), which ingests it and compares what the
rules decided with what a careful person at the federation would have decided.  The mail is
modelled on what union officers really send: subjects with and without diacritics,
abbreviations ("BC 6T", "DK DVK 2021"), reply/forward prefixes, real .docx and .xlsx files
(python-docx, openpyxl) with the official header block, Drive links instead of files,
reports typed into the body, mail from a chair's personal Gmail, forwards by a ward's
secretary, resends, late reports, Outlook's windows-1258, macOS's decomposed (NFD) text,
HTML-only webmail, wrong sender clocks; and the noise around them (auto-replies, bounces,
newsletters, circulars from the city federation, the federation's own sent mail, spam).

Every message starts with the ``Received:`` header Gmail's MX would add ("from ... by
mx.google.com ...; <date>", in Gmail's Pacific time), so file ingest finds the moment of
receipt, which is what on-time is judged by; ``write_maildir`` also sets each file's mtime.

Determinism: everything is drawn from ``random.Random`` seeded with the seed (one stream per
copy of the year, one per union's persona), dates are fixed (the 2021 plan), MIME
boundaries and Message-IDs come from those streams and the .docx/.xlsx zips are normalised
(fixed member times and document properties), so the same seed gives the same bytes.

The truth (``SampleMessage.expect``), i.e. what a careful person would conclude:

* ``credit``: the union is unambiguous (its directory address; or the original "From:" of a
  mail forwarded by someone else, e.g. a ward's secretary, even one whose own address is in
  the directory for the ward's union; or a personal address whose subject, signature and file
  all name the same single union in full), the obligation is recognisable (subject, file
  name, or the document's title; what is left over from an earlier mail does not win
  against the rest: a subject copied from last year's mail when the file says 2021, last
  quarter's file name on this quarter's report, a reply in last quarter's reminder thread)
  and the mail carries the report (a file, a Drive link, or the report typed into the
  body).  A report that mentions the "Dân vận khéo" model's progress is not a registration.
  ``obligations`` lists every obligation the mail fulfils (a union that missed the "Dân vận
  khéo" deadline may send it with its Q1 report); resends ("gửi lại", "bổ sung") and late
  reports are credited too: lateness is for compliance to judge.
* ``triage``: a person must look: an unknown address naming no union; a message naming two
  unions ("TH Ngọc Lâm và THCS Ngọc Lâm"); a place that several unions share ("trường Ngọc
  Lâm"); a report with no recognisable period; last year's report (no 2021 obligation); a
  question ("Xin hỏi hạn nộp báo cáo quý 1?") which needs a person to answer.
* ``ignore``: machines and bystanders: auto-replies, bounces, newsletters with
  List-Unsubscribe, circulars from the city federation (hanoi.gov.vn), the federation's own
  sent mail (reminders, receipts), spam (X-Spam-Flag: YES), and a union's "we will send it
  this week" reply to a reminder (nothing to do, nothing to answer).

``union_code`` is the union that sent (or is credited with) the message when one can be
named, else None; for ``triage`` it is the sender's union when known.  ``note`` names the
variation (see ``NOTES``); ``TRICKY_NOTES`` are those a naive rule would get wrong.
"""

from __future__ import annotations

import csv
import html
import io
import os
import random
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email import encoders
from email.charset import BASE64, QP, Charset
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import encode_rfc2231, format_datetime, formataddr
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import openpyxl
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

CREDIT, TRIAGE, IGNORE = "credit", "triage", "ignore"
FEDERATION = "ldllongbien@gmail.com"
FEDERATION_NAME = "LĐLĐ quận Long Biên"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
GMAIL_TZ = ZoneInfo("America/Los_Angeles")  # Gmail's MX stamps Received: in Pacific time
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The variations, by the truth they carry.
CREDIT_NOTES: tuple[str, ...] = (
    "plain", "late", "resend", "new-union", "deadline-edge", "clock-off",
    "personal-gmail-named", "forward-ward", "forward-listed-secretary", "body-only",
    "drive-link", "cp1258", "nfd", "html-only", "vague-subject", "reply-thread",
    "stale-year-subject", "stale-file-name", "old-thread", "xlsx-only", "two-obligations",
    "last-year",  # the 2020 annual report, sent late in January 2021: report-2020-y
)
TRIAGE_NOTES: tuple[str, ...] = (
    "unknown-sender", "two-schools", "personal-gmail-vague", "no-period", "question",
)
IGNORE_NOTES: tuple[str, ...] = (
    "auto-reply", "bounce", "newsletter", "city-federation", "own-sent", "spam",
    "reply-promise",
)
NOTES: tuple[str, ...] = CREDIT_NOTES + TRIAGE_NOTES + IGNORE_NOTES
# What a naive rule gets wrong (the rest is easy: a directory address, a clear subject, a
# file; or noise that says so in its headers).
TRICKY_NOTES: frozenset[str] = frozenset(NOTES) - {
    "plain", "late", "resend", "new-union", "auto-reply", "bounce", "newsletter",
    "city-federation", "own-sent", "spam",
}

MISSING_RATE = 0.13  # share of (union, obligation) pairs never sent in a year
LATE_RATE = 0.09  # share of plain submissions sent after the deadline
# Per copy of the year: how many of each rare variation (assigned to random submissions).
QUOTAS: tuple[tuple[str, int], ...] = (
    ("personal-gmail-named", 3), ("forward-ward", 2), ("forward-listed-secretary", 1),
    ("body-only", 3), ("drive-link", 2), ("clock-off", 2), ("deadline-edge", 2),
    ("cp1258", 2), ("nfd", 2), ("html-only", 2), ("vague-subject", 2), ("reply-thread", 2),
    ("stale-year-subject", 1), ("stale-file-name", 1), ("old-thread", 1), ("xlsx-only", 2),
)
RESENDS = 4
TRIAGE_QUOTAS: tuple[tuple[str, int], ...] = (
    ("unknown-sender", 2), ("two-schools", 1), ("personal-gmail-vague", 1), ("no-period", 2),
    ("question", 2), ("last-year", 1),  # drafted outside the year's slots; truth: a credit
)
NOISE_QUOTAS: tuple[tuple[str, int], ...] = (
    ("auto-reply", 4), ("bounce", 2), ("newsletter", 3), ("city-federation", 3),
    ("own-sent", 3), ("spam", 2), ("reply-promise", 1),
)


# -- the public values ---------------------------------------------------------------------
@dataclass(frozen=True)
class SampleMessage:
    """One generated message and the truth about it (see the module docstring)."""

    raw: bytes
    received_at: datetime  # aware UTC; also the topmost Received: header
    expect: str  # credit | triage | ignore
    union_code: str | None
    obligations: tuple[str, ...]
    note: str
    message_id: str  # without angle brackets
    subject: str

    @property
    def tricky(self) -> bool:
        return self.note in TRICKY_NOTES


@dataclass(frozen=True)
class ExpectedCounts:
    """What a generated inbox holds, for printing next to measured figures."""

    total: int
    by_expect: dict[str, int]
    by_note: dict[str, int]
    tricky: int
    credited_pairs: int  # (message, obligation) pairs a careful person would credit

    def lines(self) -> list[str]:
        out = [f"{self.total} messages: " + ", ".join(
            f"{k} {self.by_expect.get(k, 0)}" for k in (CREDIT, TRIAGE, IGNORE))
            + f"; tricky {self.tricky} ({self.tricky / max(self.total, 1):.0%}); "
            f"credited pairs {self.credited_pairs}"]
        out += [f"  {note:<26} {count}" for note, count in self.by_note.items()]
        return out


def expected_counts(messages: Sequence[SampleMessage]) -> ExpectedCounts:
    """Summarise the truth of ``messages`` (notes in ``NOTES`` order)."""
    expects = Counter(m.expect for m in messages)
    notes = Counter(m.note for m in messages)
    return ExpectedCounts(
        total=len(messages),
        by_expect={k: expects[k] for k in (CREDIT, TRIAGE, IGNORE)},
        by_note={n: notes[n] for n in NOTES if notes[n]},
        tricky=sum(1 for m in messages if m.tricky),
        credited_pairs=sum(len(m.obligations) for m in messages if m.expect == CREDIT),
    )


# -- the plan and the directory ------------------------------------------------------------
@dataclass(frozen=True)
class _Obligation:
    """An obligation of the 2021 plan (mirrors config/data/calendar.toml; a test checks)."""

    key: str
    period: str  # dvk | q1 | h1 | q3 | y
    opens: date  # when unions start sending
    late_from: date  # first local day that is late

    @property
    def last_day(self) -> date:
        return self.late_from - timedelta(days=1)


PLAN: tuple[_Obligation, ...] = (
    _Obligation("dvk-2021", "dvk", date(2021, 1, 22), date(2021, 2, 23)),
    _Obligation("report-2021-q1", "q1", date(2021, 3, 1), date(2021, 3, 15)),
    _Obligation("report-2021-h1", "h1", date(2021, 6, 1), date(2021, 6, 15)),
    _Obligation("report-2021-q3", "q3", date(2021, 9, 1), date(2021, 9, 15)),
    _Obligation("report-2021-y", "y", date(2021, 12, 1), date(2021, 12, 15)),
)
_BY_PERIOD = {ob.period: ob for ob in PLAN}
# Tết and public holidays of 2021: few officers send mail then.
_HOLIDAYS = frozenset(
    [date(2021, 1, 1)] + [date(2021, 2, d) for d in range(10, 17)]
    + [date(2021, 4, 21), date(2021, 4, 30), date(2021, 5, 1), date(2021, 5, 3),
       date(2021, 9, 2), date(2021, 9, 3)])


@dataclass(frozen=True)
class _Union:
    code: str
    name: str
    bloc: str
    emails: tuple[str, ...]
    active: bool
    aliases: tuple[str, ...]
    active_from: date | None

    def owes(self, ob: _Obligation) -> bool:
        return self.active and bool(self.emails) and (
            self.active_from is None or self.active_from <= ob.last_day)


def _read_directory(path: Path) -> list[_Union]:
    """The directory CSV (code,name,bloc,emails,active,aliases,active_from)."""
    unions: list[_Union] = []
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code = (row.get("code") or "").strip()
            if not code:
                continue
            started = (row.get("active_from") or "").strip()
            unions.append(_Union(
                code=code, name=(row.get("name") or "").strip(),
                bloc=(row.get("bloc") or "").strip(),
                emails=tuple(e.strip().lower() for e in re.split(r"[;,\s]+",
                                                                row.get("emails") or "")
                             if e.strip()),
                active=(row.get("active") or "1").strip().lower() not in ("0", "false", "no"),
                aliases=tuple(a.strip() for a in (row.get("aliases") or "").split(";")
                              if a.strip()),
                active_from=date.fromisoformat(started) if started else None,
            ))
    return unions


# -- words ----------------------------------------------------------------------------------
def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics, as typed on a keyboard with no Vietnamese input."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


_ABBREVIATIONS = (
    ("Trường Mầm non", "Trường MN"), ("Trường Tiểu học", "Trường TH"),
    ("Công ty", "Cty"), ("Bệnh viện Đa khoa", "BV"), ("Trung tâm Y tế", "TTYT"),
    ("Ban Quản lý dự án", "BQL dự án"),
)


@dataclass(frozen=True)
class _Forms:
    """How a union's name is written: "Trường Mầm non Hoa Sữa", "Trường MN Hoa Sữa", "MN
    Hoa Sữa" (each names the union unambiguously)."""

    full: str
    abbrev: str
    short: str
    place: str  # the ward or place the name ends with ("Ngọc Lâm"), may be ""
    level: str  # a school's level (Mầm non, Tiểu học, THCS, THPT), else ""

    @property
    def upper(self) -> str:
        return f"CÔNG ĐOÀN {self.full.upper()}"

    def cd(self, rng: random.Random) -> str:
        return rng.choice([f"CĐ {self.abbrev}", f"CĐ {self.short}", f"Công đoàn {self.abbrev}",
                           f"Công đoàn {self.full}"])

    @property
    def file_tag(self) -> str:
        return re.sub(r"\W+", "_", ascii_fold(self.short)).strip("_")


def _forms(u: _Union) -> _Forms:
    full = re.sub(r"^(Công đoàn|CĐ)\s+", "", u.name, flags=re.IGNORECASE).strip()
    abbrev = full
    for long, short in _ABBREVIATIONS:
        abbrev = abbrev.replace(long, short)
    short = re.sub(r"^Trường\s+", "", abbrev)
    short = re.sub(r"^Cty (CP|TNHH) ", "Cty ", short)
    short = re.sub(r"^UBND phường ", "phường ", short)
    school = re.match(r"^Trường (Mầm non|Tiểu học|THCS|THPT) (.+)$", full)
    ward = re.match(r"^UBND phường (.+)$", full)
    place = school.group(2) if school else ward.group(1) if ward else ""
    return _Forms(full, abbrev, short, place, school.group(1) if school else "")


@dataclass(frozen=True)
class _Words:
    """How each obligation is spoken of."""

    phrase: str  # "báo cáo quý I năm 2021"
    title: str  # the document's second title line
    next_title: str  # the closing section of a report ("Phương hướng nhiệm vụ quý II")
    sheet: str  # the spreadsheet's title
    subjects: tuple[str, ...]
    files: tuple[str, ...]
    sheets: tuple[str, ...]
    resends: tuple[str, ...]
    question: str


WORDS: dict[str, _Words] = {
    "dvk": _Words(
        phrase='bản đăng ký mô hình "Dân vận khéo" năm 2021',
        title='PHIẾU ĐĂNG KÝ MÔ HÌNH "DÂN VẬN KHÉO" NĂM 2021', next_title="", sheet="",
        subjects=("Đăng ký mô hình Dân vận khéo năm 2021", "DK DVK 2021",
                  "dang ky mo hinh dan van kheo", 'ĐK mô hình "Dân vận khéo" 2021 - {cd}',
                  "V/v đăng ký mô hình DVK năm 2021", "{cd} đăng ký mô hình dân vận khéo",
                  "Dang ky mo hinh DVK nam 2021 - {cda}"),
        files=("DK mo hinh DVK.docx", "Đăng ký mô hình Dân vận khéo 2021.docx",
               "Phieu_DK_DVK_{tag}.docx", "DVK 2021.docx", "ĐK DVK - {short}.docx"),
        sheets=(),
        resends=("Gửi lại bản đăng ký mô hình DVK (sửa tên mô hình)",
                 "Bổ sung phiếu đăng ký Dân vận khéo 2021"),
        question="Xin hỏi mẫu đăng ký mô hình Dân vận khéo năm nay?",
    ),
    "q1": _Words(
        phrase="báo cáo quý I năm 2021",
        title="Kết quả thực hiện Kế hoạch công tác công đoàn quý I năm 2021",
        next_title="Phương hướng nhiệm vụ quý II năm 2021", sheet="QUÝ I NĂM 2021",
        subjects=("Báo cáo quý I năm 2021 - {cd}", "bao cao quy 1 {cda}", "BC Q1/2021",
                  "BC quý 1 năm 2021 - {cd}", "V/v gửi báo cáo quý I/2021",
                  "{cd} gửi báo cáo quý I năm 2021", "Báo cáo 3 tháng đầu năm 2021",
                  "BÁO CÁO QUÝ I - {CD}"),
        files=("BC_Q1_2021_{tag}.docx", "Báo cáo quý 1.docx", "bao cao quy I 2021.docx",
               "BC quý I - {short}.docx", "BC Q1.docx"),
        sheets=("Bieu_so_lieu_Q1_2021.xlsx", "Số liệu quý 1.xlsx"),
        resends=("Gửi lại báo cáo quý 1 (bổ sung)", "Bổ sung BC quý I/2021",
                 "V/v gửi lại báo cáo quý I năm 2021 (bản chỉnh sửa)"),
        question="Xin hỏi hạn nộp báo cáo quý 1?",
    ),
    "h1": _Words(
        phrase="báo cáo sơ kết 6 tháng đầu năm 2021",
        title="Sơ kết công tác công đoàn 6 tháng đầu năm, phương hướng nhiệm vụ 6 tháng cuối "
              "năm 2021",
        next_title="Phương hướng nhiệm vụ 6 tháng cuối năm 2021",
        sheet="6 THÁNG ĐẦU NĂM 2021",
        subjects=("V/v gửi báo cáo sơ kết 6 tháng đầu năm 2021", "BC 6T",
                  "Báo cáo sơ kết 6 tháng - {cd}", "bc 6 thang dau nam 2021 {cda}",
                  "Báo cáo quý II năm 2021 - {cd}", "Gửi BC sơ kết 6 tháng đầu năm",
                  "SƠ KẾT 6 THÁNG - {CD}"),
        files=("BC_6thang_2021_{tag}.docx", "Báo cáo sơ kết 6 tháng đầu năm 2021.docx",
               "bc 6T.docx", "So ket 6 thang - {short}.docx"),
        sheets=("So_lieu_6_thang_2021.xlsx", "Biểu số liệu 6 tháng.xlsx"),
        resends=("Bổ sung BC 6 tháng", "Gửi lại báo cáo sơ kết 6 tháng (bổ sung số liệu)"),
        question="Hỏi về mẫu báo cáo 6 tháng năm nay",
    ),
    "q3": _Words(
        phrase="báo cáo quý III (9 tháng) năm 2021",
        title="Kết quả hoạt động công đoàn quý III và 9 tháng đầu năm 2021",
        next_title="Phương hướng nhiệm vụ quý IV năm 2021", sheet="9 THÁNG NĂM 2021",
        subjects=("Báo cáo 9 tháng", "BC quý III", "bao cao quy 3 nam 2021 - {cda}",
                  "BC 9T/2021 - {cd}", "Báo cáo quý III năm 2021",
                  "V/v báo cáo kết quả 9 tháng đầu năm 2021"),
        files=("BC_Q3_2021_{tag}.docx", "Báo cáo 9 tháng.docx", "bc quy III.docx",
               "BC 9 thang 2021 - {short}.docx"),
        sheets=("So_lieu_9T_2021.xlsx", "Số liệu quý III.xlsx"),
        resends=("Gửi lại BC quý III (file đúng)", "Bổ sung báo cáo 9 tháng năm 2021"),
        question="V/v hỏi thời hạn gửi BC 9 tháng",
    ),
    "y": _Words(
        phrase="báo cáo tổng kết năm 2021",
        title="Tổng kết công tác công đoàn năm 2021, phương hướng nhiệm vụ năm 2022",
        next_title="Phương hướng nhiệm vụ năm 2022", sheet="NĂM 2021",
        subjects=("Báo cáo tổng kết năm 2021", "BC tong ket nam 2021 - {cda}",
                  "Báo cáo công tác công đoàn năm 2021 - {cd}", "BC quý IV và tổng kết năm 2021",
                  "Gửi báo cáo tổng kết năm", "TỔNG KẾT NĂM 2021 - {CD}"),
        files=("BC_tong_ket_2021_{tag}.docx", "Báo cáo tổng kết năm 2021.docx",
               "TK nam 2021.docx", "BC năm 2021 - {short}.docx"),
        sheets=("Bieu_tong_hop_2021.xlsx", "Số liệu năm 2021.xlsx"),
        resends=("Gửi lại báo cáo tổng kết năm (bản chỉnh sửa)", "Bổ sung BC tổng kết 2021"),
        question="Cho em hỏi báo cáo tổng kết năm nay theo mẫu nào ạ?",
    ),
}
GENERIC_FILES = ("Document1.docx", "BC.docx", "baocao.docx", "Bao cao.docx")
PREFIXES = ("Re: ", "Fwd: ", "FW: ", "TL: ", "Chuyển tiếp: ", "RE: ", "Fw: ")
MODEL_TITLES: dict[str, tuple[str, ...]] = {
    "th": ("Nâng cao chất lượng bữa ăn bán trú", "Xây dựng trường học xanh - sạch - đẹp - an toàn",
           "Đoàn viên công đoàn giúp đỡ học sinh có hoàn cảnh khó khăn",
           "Mỗi thầy cô một tấm gương tự học", "Thư viện xanh - góc đọc sách thân thiện",
           "Phụ huynh đồng hành cùng nhà trường"),
    "hcsn": ("Cải cách thủ tục hành chính, nâng cao sự hài lòng của người dân",
             "Tổ dân phố văn minh, không rác thải nhựa", "Bộ phận một cửa thân thiện",
             "Chăm lo đoàn viên có hoàn cảnh khó khăn", "Nụ cười thầy thuốc - người bệnh hài lòng"),
    "dn": ("Bữa cơm ca đảm bảo dinh dưỡng cho người lao động", "Đối thoại định kỳ tại nơi làm việc",
           "Nhà trọ công nhân an toàn", "Tiết kiệm điện, nước trong sản xuất",
           "An toàn vệ sinh lao động vì sức khỏe người lao động"),
}
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương")
_MIDDLE_F = ("Thị", "Thu", "Thanh", "Hồng", "Minh", "Ngọc")
_MIDDLE_M = ("Văn", "Minh", "Đức", "Quang", "Hữu")
_GIVEN_F = ("Lan", "Hương", "Hà", "Mai", "Thảo", "Nga", "Hạnh", "Yến", "Phương", "Hoa", "Huyền")
_GIVEN_M = ("Hùng", "Dũng", "Tuấn", "Bình", "Quân", "Thắng", "Long", "Sơn")
_WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TOKEN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _token(rng: random.Random, n: int, alphabet: str = _TOKEN) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _case(rng: random.Random, text: str) -> str:
    """Any case: most subjects as typed, some in capitals, some all lower."""
    r = rng.random()
    return text.upper() if r < 0.07 else text.lower() if r < 0.14 else text


def _fill(template: str, forms: _Forms, rng: random.Random) -> str:
    cd = forms.cd(rng)
    return template.format(cd=cd, cda=ascii_fold(cd).lower(), CD=cd.upper(),
                           tag=forms.file_tag, short=forms.short)


@dataclass(frozen=True)
class _Persona:
    """The union's chair: the person behind its mail (stable across copies of the year)."""

    chair: str
    given: str
    personal: str  # a personal Gmail, not in the directory
    phone: str
    display: str  # the display name on the union's address ("" for a bare address)


def _persona(u: _Union, forms: _Forms, seed: int) -> _Persona:
    rng = random.Random(f"ldl-sample:{seed}:persona:{u.code}")
    female = u.bloc == "th" or rng.random() < 0.5
    family = rng.choice(_FAMILY)
    middle = rng.choice(_MIDDLE_F if female else _MIDDLE_M)
    given = rng.choice(_GIVEN_F if female else _GIVEN_M)
    chair = f"{family} {middle} {given}"
    flat = ascii_fold(f"{family}{middle}{given}").lower()
    unit = forms.file_tag.lower().replace("_", "")  # Gmail allows letters, digits, dots
    personal = rng.choice([f"{flat}{rng.randint(70, 95)}@gmail.com",
                           f"{ascii_fold(given + family).lower()}.{unit}@gmail.com",
                           f"{flat}.cd@gmail.com"])
    display = rng.choice(["", f"Công đoàn {forms.abbrev}", f"CĐ {forms.short}", chair,
                          ascii_fold(f"cd {forms.short}").lower()])
    phone = f"09{rng.randint(10000000, 99999999)}"
    return _Persona(chair, given, personal, phone, display)


# -- files ------------------------------------------------------------------------------------
_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def _normalise_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite an OOXML zip with fixed member times and document dates (python-docx and
    openpyxl stamp the current time, which would make the sample differ run to run)."""
    local = when.astimezone(LOCAL)
    stamp = (local.year, local.month, local.day, local.hour, local.minute, local.second)
    iso = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _CORE_DATE.sub(lambda m: m.group(1) + iso + m.group(3), payload)
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, payload, compresslevel=1)  # fast; size does not matter
    return out.getvalue()


Block = tuple[str, str]  # (kind, text): kind is title | bold | p | center


@dataclass
class _DocSpec:
    """A Word document as union offices write them: header block, titles, sections, table."""

    header: tuple[list[str], list[str]] | None
    blocks: list[Block]
    table: list[list[str]] | None = None
    table_after: int = 0  # insert the table after this many blocks
    signature: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The same content as plain text (for a report typed into the body)."""
        lines = [t for _, t in self.blocks]
        if self.table:
            lines[self.table_after:self.table_after] = [" | ".join(r) for r in self.table]
        return "\n".join(lines + self.signature)


def _docx_bytes(spec: _DocSpec, author: str, when: datetime) -> bytes:
    doc = Document()
    props = doc.core_properties
    props.author = author
    props.last_modified_by = author
    props.comments = ""
    props.title = ""
    props.created = when.astimezone(UTC).replace(tzinfo=None)
    props.modified = props.created
    props.revision = 1
    if spec.header is not None:
        left, right = spec.header
        rows = max(len(left), len(right))
        table = doc.add_table(rows=rows, cols=2)
        for i in range(rows):
            table.cell(i, 0).text = left[i] if i < len(left) else ""
            table.cell(i, 1).text = right[i] if i < len(right) else ""

    def add_table() -> None:
        assert spec.table is not None
        grid = doc.add_table(rows=len(spec.table), cols=len(spec.table[0]))
        grid.style = "Table Grid"
        for r, row in enumerate(spec.table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value

    for i, (kind, text) in enumerate(spec.blocks):
        if spec.table and i == spec.table_after:
            add_table()
        para = doc.add_paragraph()
        run = para.add_run(text)
        if kind in ("title", "center"):
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run.bold = kind in ("title", "bold")
    if spec.table and spec.table_after >= len(spec.blocks):
        add_table()
    for line in spec.signature:
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return _normalise_zip(buf.getvalue(), when)


def _xlsx_bytes(title_rows: list[str], header: list[str], rows: list[list[object]],
                author: str, when: datetime, sheet: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet[:31]
    for line in title_rows:
        ws.append([line])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.properties.creator = author
    wb.properties.lastModifiedBy = author
    naive = when.astimezone(UTC).replace(tzinfo=None)
    wb.properties.created = naive
    wb.properties.modified = naive
    buf = io.BytesIO()
    wb.save(buf)
    return _normalise_zip(buf.getvalue(), when)


@dataclass(frozen=True)
class _File:
    name: str
    content_type: str
    data: bytes


def _date_line(when: datetime) -> str:
    local = when.astimezone(LOCAL)
    return f"Long Biên, ngày {local.day:02d} tháng {local.month:02d} năm {local.year}"


def _report_spec(forms: _Forms | None, period: str | None, rng: random.Random, when: datetime,
                 chair: str, *, year: int = 2021, official: bool | None = None) -> _DocSpec:
    """A report: ``forms`` None leaves the union unnamed, ``period`` None leaves it undated."""
    words = WORDS[period] if period else None
    title = words.title if words else "Kết quả hoạt động công đoàn"
    if year != 2021:
        title = title.replace("2022", str(year + 1)).replace("2021", str(year))
    what = ("kết quả " + title[0].lower() + title[1:]) if words else "kết quả hoạt động"
    who = f"Công đoàn {forms.abbrev}" if forms else "đơn vị"
    official = rng.random() < 0.55 if official is None else official
    header: tuple[list[str], list[str]] | None = None
    blocks: list[Block] = []
    if official:
        left = ["LĐLĐ QUẬN LONG BIÊN", forms.upper if forms else "BCH CÔNG ĐOÀN CƠ SỞ",
                f"Số: {rng.randint(1, 40):02d}/BC-CĐ"]
        header = (left, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                         _date_line(when)])
    elif forms:
        blocks.append(("center", forms.upper))
    members = rng.randint(18, 160)
    blocks += [
        ("title", "BÁO CÁO"), ("bold", title),
        ("p", f"Thực hiện Kế hoạch của LĐLĐ quận Long Biên, {who} báo cáo {what} như sau:"),
        ("bold", "I. TÌNH HÌNH CHUNG"),
        ("p", f"Tổng số CNVCLĐ: {members + rng.randint(0, 12)}; tổng số đoàn viên: {members} "
              f"(nữ: {rng.randint(members // 3, members)})."),
        ("bold", "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"),
        ("p", f"1. Công tác tuyên truyền, giáo dục: tổ chức {rng.randint(1, 6)} buổi sinh hoạt "
              "chuyên đề, phổ biến chủ trương của Đảng, chính sách pháp luật của Nhà nước."),
        ("p", f"2. Công tác chăm lo, bảo vệ quyền lợi: thăm hỏi {rng.randint(1, 15)} đoàn viên ốm "
              f"đau, hiếu hỉ với tổng số tiền {rng.randint(2, 40) * 500}.000 đồng."),
        ("p", f"3. Phát triển đoàn viên: kết nạp {rng.randint(0, 9)} đoàn viên mới."),
        ("p", "4. Phong trào thi đua: hưởng ứng phong trào \"Giỏi việc nước, đảm việc nhà\", "
              "\"Xanh - Sạch - Đẹp, bảo đảm an toàn vệ sinh lao động\"."),
        ("p", "5. Công tác phòng, chống dịch Covid-19: tuyên truyền đoàn viên thực hiện "
              "nghiêm thông điệp 5K."),
    ]
    if period in ("h1", "q3", "y") and rng.random() < 0.5:
        # later reports tell how the registered "Dân vận khéo" model is going
        blocks.append(("p", "6. Kết quả thực hiện mô hình \"Dân vận khéo\" đã đăng ký: duy trì "
                            "thường xuyên, được đoàn viên hưởng ứng."))
    blocks += [
        ("bold", "III. " + (words.next_title.upper() if words and words.next_title
                           else "PHƯƠNG HƯỚNG NHIỆM VỤ THỜI GIAN TỚI")),
        ("p", "- Tiếp tục tuyên truyền, vận động đoàn viên thực hiện tốt nhiệm vụ chuyên môn."),
        ("p", "- Chăm lo đời sống, bảo vệ quyền và lợi ích hợp pháp, chính đáng của đoàn viên."),
        ("p", f"Trên đây là báo cáo {what} của {who}./."),
        ("p", "Nơi nhận: - LĐLĐ quận Long Biên (để b/c); - Lưu VP."),
    ]
    table = [["TT", "Nội dung", "Số lượng", "Ghi chú"],
             ["1", "Tổng số đoàn viên", str(members), ""],
             ["2", "Kết nạp mới", str(rng.randint(0, 9)), ""],
             ["3", "Số buổi sinh hoạt", str(rng.randint(1, 6)), ""]]
    return _DocSpec(header, blocks, table, table_after=5,
                    signature=["TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "(đã ký)", chair])


def _dvk_spec(forms: _Forms, model: str, rng: random.Random, when: datetime,
              chair: str) -> _DocSpec:
    blocks: list[Block] = [("center", forms.upper), ("title", WORDS["dvk"].title),
                           ("p", f"1. Tên đơn vị: Công đoàn {forms.full}"),
                           ("p", f"2. Tên mô hình: \"{model}\""),
                           ("p", f"3. Người phụ trách: {chair}, Chủ tịch Công đoàn"),
                           ("p", f"4. Thời gian thực hiện: từ tháng {rng.randint(3, 4)} đến tháng "
                                 "11 năm 2021"),
                           ("p", "5. Mục tiêu: phát huy vai trò của đoàn viên, tạo chuyển biến "
                                 "rõ nét tại đơn vị."),
                           ("p", "6. Dự kiến kết quả: được đoàn viên và người dân đồng tình hưởng "
                                 "ứng."),
                           ("p", _date_line(when))]
    return _DocSpec(None, blocks, signature=["TM. BAN CHẤP HÀNH", "CHỦ TỊCH", chair])


def _sheet_file(forms: _Forms | None, period: str, rng: random.Random, when: datetime,
                author: str, name: str) -> _File:
    words = WORDS[period]
    titles = ([forms.upper] if forms else []) + [f"BIỂU SỐ LIỆU {words.sheet}"]
    rows: list[list[object]] = [
        [1, "Tổng số CNVCLĐ", rng.randint(20, 170)],
        [2, "Tổng số đoàn viên", rng.randint(18, 160)],
        [3, "Đoàn viên nữ", rng.randint(8, 120)],
        [4, "Kết nạp đoàn viên mới", rng.randint(0, 9)],
        [5, "Số buổi sinh hoạt chuyên đề", rng.randint(1, 6)],
        [6, "Số tiền thăm hỏi (nghìn đồng)", rng.randint(2, 40) * 500],
    ]
    sheet = {"q1": "Q1", "h1": "6 thang", "q3": "9 thang", "y": "Nam 2021"}.get(period, "Bieu")
    data = _xlsx_bytes(titles, ["TT", "Chỉ tiêu", "Số lượng"], rows, author, when, sheet)
    return _File(name, XLSX_TYPE, data)


# -- the message builder ---------------------------------------------------------------------
@dataclass
class _Mail:
    """What a mail client would send, before the receiving server stamps it."""

    received_at: datetime
    from_addr: str
    subject: str
    from_name: str = ""
    to: str = FEDERATION
    to_name: str = FEDERATION_NAME
    text: str | None = ""
    html: str | None = None  # default: derived from text (Gmail sends both)
    files: list[_File] = field(default_factory=list)
    client: str = "gmail"  # gmail | outlook | apple | webmail | server
    charset: str = "utf-8"  # utf-8 | windows-1258 | us-ascii (HTML entities)
    nfd: bool = False
    date_skew: timedelta = timedelta(0)
    date_mislabelled_utc: bool = False  # local wall clock written as +0000
    headers: list[tuple[str, str]] = field(default_factory=list)
    trace: list[tuple[str, str]] = field(default_factory=list)  # added by the receiver
    in_reply_to: str | None = None
    body: Message | None = None  # a prebuilt MIME body (bounces)
    relay: str = "gmail"  # gmail | external | sent


class _Ids:
    """Unique Message-IDs in the shapes real clients use, drawn from the caller's stream."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def new(self, rng: random.Random, client: str, domain: str) -> str:
        while True:
            if client == "gmail":
                mid = f"CA{_token(rng, 2)}+{_token(rng, 38)}@mail.gmail.com"
            elif client == "outlook":
                mid = (f"HK0PR03MB{rng.randint(1000, 9999)}{_token(rng, 20).upper()}"
                       f"@HK0PR03MB{rng.randint(1000, 9999)}.apcprd03.prod.outlook.com")
            elif client == "apple":
                hexes = _token(rng, 32, "0123456789ABCDEF")
                mid = (f"{hexes[:8]}-{hexes[8:12]}-{hexes[12:16]}-{hexes[16:20]}-{hexes[20:]}"
                       f"@{domain}")
            else:
                mid = f"{_token(rng, 24, '0123456789abcdef')}.{rng.randint(1, 99999)}@{domain}"
            if mid not in self.seen:
                self.seen.add(mid)
                return mid


def _cp1258_form(text: str) -> str:
    """Rearrange ``text`` so that it encodes to windows-1258 the way Windows writes it:
    letters missing from the code page become a base letter (with its circumflex, breve or
    horn when the code page has that) followed by combining tone marks."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if _encodes(ch, "cp1258"):
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], list(decomposed[1:])
        for i, mark in enumerate(marks):
            merged = unicodedata.normalize("NFC", base + mark)
            if len(merged) == 1 and _encodes(merged, "cp1258"):
                base = merged
                del marks[i]
                break
        candidate = base + "".join(marks)
        out.append(candidate if _encodes(candidate, "cp1258") else "?")
    return "".join(out)


def _encodes(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _html_of(text: str, rng: random.Random, *, entities: bool = False) -> str:
    lines = text.split("\n")
    if entities:
        body = "".join(f"<p>{html.escape(ln).encode('ascii', 'xmlcharrefreplace').decode()}"
                       "</p>" if ln else "<p>&nbsp;</p>" for ln in lines)
        return f"<html><body style=\"font-family:Arial\">{body}</body></html>"
    inner = "<br>".join(html.escape(ln) for ln in lines) or "<br>"
    return f"<div dir=\"ltr\">{inner}</div>\n" if rng.random() < 0.8 else \
        f"<div dir=\"ltr\"><div>{inner}</div><br></div>\n"


def _boundary(rng: random.Random, client: str) -> str:
    if client == "apple":
        hexes = _token(rng, 32, "0123456789ABCDEF")
        return f"Apple-Mail=_{hexes[:8]}-{hexes[8:12]}-{hexes[12:16]}-{hexes[16:20]}-{hexes[20:]}"
    if client == "outlook":
        return f"_000_{_token(rng, 40)}_"
    return "000000000000" + _token(rng, 12, "0123456789abcdef")


def _text_part(text: str, subtype: str, mail: _Mail, rng: random.Random) -> MIMEText:
    if mail.charset == "windows-1258":
        cs = Charset("windows-1258")
        cs.body_encoding = QP
        text = _cp1258_form(text)
    elif mail.charset == "us-ascii":
        cs = Charset("us-ascii")
    else:
        cs = Charset("utf-8")
        cs.body_encoding = QP if rng.random() < 0.6 else BASE64
        if mail.nfd:
            text = unicodedata.normalize("NFD", text)
    part = MIMEText(text, subtype, cs)  # type: ignore[arg-type]  # a Charset is accepted
    del part["MIME-Version"]
    return part


def _file_part(f: _File, mail: _Mail) -> MIMEBase:
    maintype, subtype = f.content_type.split("/", 1)
    name = unicodedata.normalize("NFD", f.name) if mail.nfd else f.name
    part = MIMEBase(maintype, subtype)
    for key in ("MIME-Version", "Content-Type"):
        del part[key]
    # Parameters written (and folded) as each client does: plain when ASCII; Gmail puts RFC
    # 2047 words inside the quotes; Outlook and Apple Mail use RFC 2231.
    if name.isascii():
        name_param, file_param = f'name="{name}"', f'filename="{name}"'
    elif mail.client == "gmail":
        word = Header(name, "utf-8").encode(maxlinelen=998)
        name_param, file_param = f'name="{word}"', f'filename="{word}"'
    else:
        value = encode_rfc2231(name, "utf-8")
        name_param, file_param = f"name*={value}", f"filename*={value}"
    part["Content-Type"] = f"{f.content_type};\n\t{name_param}"
    part["Content-Disposition"] = f"attachment;\n\t{file_param}"
    part.set_payload(f.data)
    encoders.encode_base64(part)
    return part


def _header_text(value: str, mail: _Mail) -> str | Header:
    if value.isascii():
        return value
    if mail.charset == "windows-1258":
        return Header(_cp1258_form(value), "windows-1258")
    if mail.nfd:
        value = unicodedata.normalize("NFD", value)
    return Header(value, "utf-8")


def _address(name: str, addr: str, mail: _Mail) -> str:
    if not name:
        return addr
    if mail.charset == "windows-1258" and not name.isascii():
        return f"{Header(_cp1258_form(name), 'windows-1258').encode()} <{addr}>"
    if mail.nfd:
        name = unicodedata.normalize("NFD", name)
    return formataddr((name, addr), charset="utf-8")


def _gmail_stamp(when: datetime) -> str:
    local = when.astimezone(GMAIL_TZ)
    return f"{format_datetime(local)} ({local.tzname()})"


def _trace(mail: _Mail, rng: random.Random) -> list[tuple[str, str]]:
    """The headers the receiving side adds, topmost first."""
    sender = mail.from_addr
    domain = sender.rsplit("@", 1)[-1]
    smtp_id = f"{_token(rng, 10, 'abcdefghijklmnopqrstuvwxyz0123456789')}.{rng.randint(1, 99)}"
    octet = rng.randint(2, 250)
    if mail.relay == "sent":
        top = (f"from [192.168.1.{octet}] ([14.232.{rng.randint(1, 250)}.{octet}])\n"
               f"        by smtp.gmail.com with ESMTPSA id {smtp_id}\n"
               f"        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n"
               f"        {_gmail_stamp(mail.received_at)}")
        return [("Received", top)]
    if mail.relay == "external" or domain not in ("gmail.com", "googlemail.com"):
        top = (f"from mail.{domain} (mail.{domain}. [113.190.{rng.randint(1, 250)}.{octet}])\n"
               f"        by mx.google.com with ESMTPS id {smtp_id}\n"
               f"        for <{FEDERATION}>\n"
               f"        (version=TLS1_2 cipher=ECDHE-RSA-AES128-GCM-SHA256 bits=128/128);\n"
               f"        {_gmail_stamp(mail.received_at)}")
        auth = (f"mx.google.com;\n       spf=pass (google.com: domain of {sender} designates "
                f"113.190.{octet}.{octet} as permitted sender) smtp.mailfrom={sender}")
        submitted = (mail.received_at - timedelta(seconds=2)).astimezone(LOCAL)
        lower = (f"from [10.0.0.{octet}] by mail.{domain} with ESMTPSA id {smtp_id};\n"
                 f"        {format_datetime(submitted)}")
        return [("Delivered-To", FEDERATION), ("Received", top),
                ("Return-Path", f"<{sender}>"), ("Authentication-Results", auth),
                ("Received", lower)]
    top = (f"from mail-sor-f{octet % 70 + 1}.google.com (mail-sor-f{octet % 70 + 1}.google.com."
           f" [209.85.220.{octet}])\n"
           f"        by mx.google.com with SMTPS id {smtp_id}\n"
           f"        for <{FEDERATION}>\n"
           f"        (Google Transport Security);\n"
           f"        {_gmail_stamp(mail.received_at)}")
    auth = (f"mx.google.com;\n       dkim=pass header.i=@{domain} header.s=20161025 "
            f"header.b={_token(rng, 8)};\n"
            f"       spf=pass (google.com: domain of {sender} designates 209.85.220.{octet} as "
            f"permitted sender) smtp.mailfrom={sender};\n"
            f"       dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from={domain}")
    lower = (f"by mail-pj1-f{octet % 70 + 1}.google.com with SMTP id {smtp_id}\n"
             f"        for <{FEDERATION}>; "
             f"{_gmail_stamp(mail.received_at - timedelta(seconds=rng.randint(1, 3)))}")
    return [("Delivered-To", FEDERATION), ("Received", top), ("Return-Path", f"<{sender}>"),
            ("Authentication-Results", auth), ("Received", lower)]


def _date_value(mail: _Mail, rng: random.Random) -> str:
    sent = mail.received_at - timedelta(seconds=rng.randint(2, 40)) + mail.date_skew
    if mail.date_mislabelled_utc:
        return format_datetime(sent.astimezone(LOCAL).replace(tzinfo=UTC))
    return format_datetime(sent.astimezone(LOCAL))


class _AsWritten(Compat32):
    """compat32, except that a header value already folded by the caller (an ASCII value
    containing a line break) is written as is: Gmail folds a long Content-Type after the
    ';', where compat32 would break before the first word."""

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        if isinstance(value, str) and value.isascii() and "\n" in value:
            return f"{name}: {value}{self.linesep}"
        folded: str = super()._fold(name, value, sanitize)  # type: ignore[misc]
        return folded


_POLICY = _AsWritten()


def _render(mail: _Mail, rng: random.Random, message_id: str) -> bytes:
    """The bytes a Maildir would hold for ``mail``: receiver's trace headers, then the
    message as the client wrote it (compat32 API: full control of charsets and encodings)."""
    if mail.body is not None:
        msg = mail.body
    else:
        parts: list[Message] = []
        html_text = mail.html
        if html_text is None and mail.text is not None and mail.client in ("gmail", "apple"):
            html_text = _html_of(mail.text, rng)
        if mail.text is not None:
            parts.append(_text_part(mail.text, "plain", mail, rng))
        if html_text is not None:
            parts.append(_text_part(html_text, "html", mail, rng))
        body: Message
        if len(parts) > 1:
            body = MIMEMultipart("alternative", boundary=_boundary(rng, mail.client))
            del body["MIME-Version"]
            for p in parts:
                body.attach(p)
        else:
            body = parts[0]
        if mail.files:
            msg = MIMEMultipart("mixed", boundary=_boundary(rng, mail.client))
            msg.attach(body)
            for f in mail.files:
                msg.attach(_file_part(f, mail))
        else:
            msg = body
    content = [(k, v) for k, v in msg.items()
               if k.lower() in ("content-type", "content-transfer-encoding", "mime-version")]
    for key in ("Content-Type", "Content-Transfer-Encoding", "MIME-Version"):
        del msg[key]
    msg["MIME-Version"] = "1.0"
    if mail.in_reply_to:
        msg["References"] = f"<{mail.in_reply_to}>"
        msg["In-Reply-To"] = f"<{mail.in_reply_to}>"
    msg["From"] = _address(mail.from_name, mail.from_addr, mail)
    msg["Date"] = _date_value(mail, rng)
    msg["Message-ID"] = f"<{message_id}>"
    msg["Subject"] = cast(str, _header_text(mail.subject, mail))  # compat32 folds a Header
    msg["To"] = _address(mail.to_name, mail.to, mail)
    if mail.client == "outlook":
        msg["X-Mailer"] = "Microsoft Outlook 16.0"
        msg["Thread-Index"] = _token(rng, 30) + "=="
        msg["Content-Language"] = "vi-VN"
    elif mail.client == "apple":
        msg["X-Mailer"] = "Apple Mail (2.3654.60.0.2.21)"
    for key, value in mail.headers:
        msg[key] = value
    for key, value in content:
        if key.lower() != "mime-version":
            msg[key] = value
    trace = mail.trace + _trace(mail, rng)
    head = "".join(f"{k}: {v}\n" for k, v in trace).encode("ascii")
    return head + msg.as_bytes(policy=_POLICY)


# -- a copy of the year -----------------------------------------------------------------------
@dataclass
class _Draft:
    mail: _Mail
    expect: str
    union_code: str | None
    obligations: tuple[str, ...]
    note: str


@dataclass
class _Slot:
    union: _Union
    ob: _Obligation
    note: str = ""


def _local(day: date, hour: int, minute: int, second: int) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=LOCAL).astimezone(UTC)


class _Year:
    """One copy of the year's mail, drawn from its own random stream."""

    def __init__(self, unions: list[_Union], rng: random.Random, ids: _Ids, seed: int) -> None:
        self.unions = unions
        self.rng = rng
        self.ids = ids
        self.forms = {u.code: _forms(u) for u in unions}
        self.personas = {u.code: _persona(u, self.forms[u.code], seed) for u in unions}
        self.active = [u for u in unions if u.active and u.emails]
        self.drafts: list[_Draft] = []
        self.reminder_ids = {ob.key: f"reminder-{ob.key}-{seed}@ldllongbien" for ob in PLAN}

    # -- time ----------------------------------------------------------------------------
    def _day(self, first: date, last: date, *, towards_end: bool = True) -> date:
        span = (last - first).days
        for _ in range(12):
            offset = round(self.rng.triangular(0, span, span * 0.8 if towards_end else span / 2))
            day = first + timedelta(days=min(max(offset, 0), span))
            if (day.weekday() < 5 and day not in _HOLIDAYS) or self.rng.random() < 0.12:
                return day
        return day

    def _hour(self) -> tuple[int, int, int]:
        r = self.rng.random()
        hour = self.rng.randint(7, 11) if r < 0.45 else self.rng.randint(13, 17) if r < 0.85 \
            else self.rng.randint(19, 22)
        return hour, self.rng.randint(0, 59), self.rng.randint(0, 59)

    def at(self, first: date, last: date, *, towards_end: bool = True) -> datetime:
        return _local(self._day(first, last, towards_end=towards_end), *self._hour())

    def on_time(self, ob: _Obligation) -> datetime:
        return self.at(ob.opens, ob.last_day)

    def late(self, ob: _Obligation) -> datetime:
        return self.at(ob.late_from, ob.late_from + timedelta(days=12), towards_end=False)

    # -- people ----------------------------------------------------------------------------
    def sender(self, u: _Union) -> tuple[str, str]:
        persona = self.personas[u.code]
        return persona.display, self.rng.choice(u.emails)

    def signature(self, u: _Union) -> str:
        p, f = self.personas[u.code], self.forms[u.code]
        return f"--\n{p.chair}\nChủ tịch Công đoàn {f.abbrev}\nĐT: {p.phone}"

    def cover(self, u: _Union, period: str) -> str:
        f, p = self.forms[u.code], self.personas[u.code]
        phrase = WORDS[period].phrase
        style = self.rng.choices(["empty", "formal", "short", "unit"], [15, 50, 20, 15])[0]
        if style == "empty":
            return ""
        if style == "short":
            return f"Em gửi {phrase} ạ.\n{p.given}"
        if style == "unit":
            return (f"Đơn vị gửi {phrase}, đề nghị LĐLĐ quận tổng hợp.\n\n"
                    f"{self.signature(u)}")
        return (f"Kính gửi: {FEDERATION_NAME}\n\nCông đoàn {f.abbrev} xin gửi {phrase} "
                f"(file đính kèm).\n\nTrân trọng!\n\n{self.signature(u)}")

    # -- files -----------------------------------------------------------------------------
    def author(self, u: _Union | None) -> str:
        options = ["Windows User", "Admin", "User", "HP"]
        if u is not None:
            options.append(ascii_fold(self.personas[u.code].chair))
        return self.rng.choice(options)

    def file_name(self, u: _Union, period: str, *, generic_share: float = 0.2) -> str:
        if self.rng.random() < generic_share and period != "dvk":
            return self.rng.choice(GENERIC_FILES)
        f = self.forms[u.code]
        return self.rng.choice(WORDS[period].files).format(tag=f.file_tag, short=f.short)

    def report_file(self, u: _Union, period: str, when: datetime, *, name: str | None = None,
                    year: int = 2021) -> _File:
        written = when - timedelta(hours=self.rng.randint(2, 72))
        f, p = self.forms[u.code], self.personas[u.code]
        if period == "dvk":
            model = self.rng.choice(MODEL_TITLES.get(u.bloc, MODEL_TITLES["hcsn"]))
            spec = _dvk_spec(f, model, self.rng, written, p.chair)
        else:
            spec = _report_spec(f, period, self.rng, written, p.chair, year=year)
        data = _docx_bytes(spec, self.author(u), written)
        return _File(name or self.file_name(u, period), DOCX_TYPE, data)

    def files_for(self, u: _Union, period: str, when: datetime) -> list[_File]:
        files = [self.report_file(u, period, when)]
        if period != "dvk" and self.rng.random() < 0.2:
            name = self.rng.choice(WORDS[period].sheets)
            files.append(_sheet_file(self.forms[u.code], period, self.rng, when,
                                     self.author(u), name))
        return files

    def subject(self, u: _Union, period: str) -> str:
        template = self.rng.choice(WORDS[period].subjects)
        return _case(self.rng, _fill(template, self.forms[u.code], self.rng))

    # -- credits ---------------------------------------------------------------------------
    def submission(self, slot: _Slot) -> _Draft:
        u, ob, note = slot.union, slot.ob, slot.note or "plain"
        period = ob.period
        name, addr = self.sender(u)
        when = self.on_time(ob)
        mail = _Mail(when, addr, self.subject(u, period), from_name=name,
                     text=self.cover(u, period))
        obligations: tuple[str, ...] = (ob.key,)
        if addr.rsplit("@", 1)[-1] not in ("gmail.com",):
            mail.client = self.rng.choice(["outlook", "webmail"])
        if note in ("plain", "new-union") and self.rng.random() < LATE_RATE:
            note = "late" if note == "plain" else note
            mail.received_at = self.late(ob)
        if note in ("plain", "late", "new-union", "cp1258", "nfd", "html-only", "clock-off",
                    "deadline-edge"):
            mail.files = self.files_for(u, period, mail.received_at)
            if note == "plain" and self.rng.random() < 0.12:
                self._prefix(mail, u)
            if period == "dvk" and self.rng.random() < 0.3 and mail.text:
                model = self._model_in(mail.files[0])
                mail.text += f"\n\nTên mô hình: \"{model}\""
        if note == "deadline-edge":
            if self.rng.random() < 0.5:
                mail.received_at = _local(ob.last_day, 23, self.rng.randint(40, 59),
                                          self.rng.randint(0, 59))
            else:
                mail.received_at = _local(ob.late_from, 0, self.rng.randint(0, 25),
                                          self.rng.randint(0, 59))
        elif note == "clock-off":
            if self.rng.random() < 0.5:  # the computer's clock is hours behind
                mail.received_at = _local(ob.late_from, self.rng.randint(7, 9),
                                          self.rng.randint(0, 59), self.rng.randint(0, 59))
                mail.date_skew = -timedelta(hours=self.rng.randint(9, 11),
                                            minutes=self.rng.randint(0, 59))
            else:  # local wall clock sent as +0000: seven hours in the future
                mail.received_at = _local(ob.last_day, self.rng.randint(19, 22),
                                          self.rng.randint(0, 59), self.rng.randint(0, 59))
                mail.date_mislabelled_utc = True
        elif note == "cp1258":
            mail.client, mail.charset, mail.html = "outlook", "windows-1258", None
            mail.text = mail.text or f"Kính gửi {FEDERATION_NAME},\n{self.signature(u)}"
        elif note == "nfd":
            mail.client, mail.nfd = "apple", True
            mail.text = (mail.text or "") + "\n\nGửi từ iPad của tôi"
        elif note == "html-only":
            text = mail.text or f"Kính gửi {FEDERATION_NAME},\n{self.cover(u, period)}"
            entities = self.rng.random() < 0.5
            mail.client, mail.text = "webmail", None
            mail.html = _html_of(text, self.rng, entities=entities)
            mail.charset = "us-ascii" if entities else "utf-8"
        elif note == "personal-gmail-named":
            self._personal_named(mail, u, period)
        elif note in ("forward-ward", "forward-listed-secretary"):
            return self._forward_by_ward(slot, note, when)
        elif note == "body-only":
            self._body_only(mail, u, period)
        elif note == "drive-link":
            self._drive_link(mail, u, period)
        elif note == "vague-subject":
            mail.subject = _case(self.rng, self.rng.choice(
                ["Gửi báo cáo", "V/v gửi báo cáo", "bao cao", "Gửi LĐLĐ quận",
                 f"Gửi báo cáo - {self.forms[u.code].cd(self.rng)}"]))
            f = self.forms[u.code]
            tag = f.file_tag
            named = {"dvk": f"Đăng ký mô hình DVK 2021 - {f.short}.docx",
                     "q1": f"BC_Q1_2021_{tag}.docx", "h1": f"BC 6 tháng đầu năm 2021 {tag}.docx",
                     "q3": f"BC_9thang_2021_{tag}.docx", "y": f"BC tổng kết năm 2021 {tag}.docx"}
            mail.files = [self.report_file(u, period, mail.received_at, name=named[period])]
        elif note == "reply-thread":
            self._reply_to_reminder(mail, u, ob, with_report=True)
        elif note == "stale-year-subject":
            # last year's mail copied, subject not updated; the file says 2021
            mail.subject = {"q1": "Báo cáo quý I năm 2020",
                            "h1": "BC 6 tháng đầu năm 2020"}.get(period, mail.subject)
            f = self.forms[u.code]
            mail.files = [self.report_file(u, period, mail.received_at,
                                           name=f"BC_{period.upper()}_2021_{f.file_tag}.docx")]
        elif note == "stale-file-name":
            # the officer saved this quarter's report under last quarter's file name
            earlier = PLAN[PLAN.index(ob) - 1].period
            f = self.forms[u.code]
            name = WORDS[earlier].files[0].format(tag=f.file_tag, short=f.short)
            mail.files = [self.report_file(u, period, mail.received_at, name=name)]
        elif note == "old-thread":
            # a reply in last quarter's reminder thread, carrying this quarter's report
            self._reply_to_reminder(mail, u, PLAN[PLAN.index(ob) - 1], with_report=True,
                                    sends=ob)
        elif note == "xlsx-only":
            name = self.rng.choice(WORDS[period].sheets)
            mail.files = [_sheet_file(self.forms[u.code], period, self.rng, mail.received_at,
                                      self.author(u), name)]
        elif note == "two-obligations":
            obligations = (_BY_PERIOD["dvk"].key, ob.key)
            mail.received_at = self.at(date(2021, 3, 1), date(2021, 3, 10))
            mail.subject = _case(self.rng, self.rng.choice(
                ["Gửi BC quý I và đăng ký mô hình DVK (muộn)",
                 "Báo cáo quý 1 + đăng ký Dân vận khéo 2021",
                 "V/v gửi báo cáo quý I và phiếu đăng ký mô hình dân vận khéo"]))
            mail.text = (f"Kính gửi {FEDERATION_NAME},\nĐơn vị xin gửi báo cáo quý I năm 2021 và "
                         "bổ sung bản đăng ký mô hình \"Dân vận khéo\" (gửi muộn, mong LĐLĐ "
                         f"thông cảm).\n\n{self.signature(u)}")
            mail.files = [self.report_file(u, "q1", mail.received_at),
                          self.report_file(u, "dvk", mail.received_at)]
        return _Draft(mail, CREDIT, u.code, obligations, note)

    def _model_in(self, f: _File) -> str:
        for para in Document(io.BytesIO(f.data)).paragraphs:
            match = re.search(r"Tên mô hình: \"(.+)\"", para.text)
            if match:
                return match.group(1)
        return self.rng.choice(MODEL_TITLES["th"])

    def _prefix(self, mail: _Mail, u: _Union) -> None:
        prefix = self.rng.choice(PREFIXES)
        original = mail.subject
        mail.subject = prefix + original
        if prefix.strip(": ").lower() in ("fwd", "fw", "chuyển tiếp"):
            # forwarding its own earlier mail from the Sent folder
            mail.text = (mail.text or "") + "\n\n" + self._forward_block(
                mail.from_name, mail.from_addr, mail.received_at - timedelta(days=1),
                original, FEDERATION, gmail=True) + "\n" + (mail.text or "")
        else:
            mail.text = (mail.text or "") + (
                f"\n\nVào {self._vi_date(mail.received_at - timedelta(days=2))} "
                f"{FEDERATION_NAME} <{FEDERATION}> đã viết:\n> Đề nghị đ/c gửi báo cáo "
                "đúng mẫu.\n")

    @staticmethod
    def _vi_date(when: datetime) -> str:
        local = when.astimezone(LOCAL)
        return (f"Th {local.isoweekday() + 1 if local.isoweekday() < 7 else 'CN'}, "
                f"{local.day} thg {local.month}, {local.year} vào lúc {local:%H:%M}")

    @staticmethod
    def _forward_block(name: str, addr: str, when: datetime, subject: str, to: str, *,
                       gmail: bool) -> str:
        local = when.astimezone(LOCAL)
        who = f"{name} <{addr}>" if name else f"<{addr}>"
        if gmail:
            hour = local.hour % 12 or 12
            stamp = (f"{_WEEKDAYS_EN[local.weekday()]}, {_MONTHS_EN[local.month - 1]} "
                     f"{local.day}, {local.year} at {hour}:{local:%M} "
                     f"{'AM' if local.hour < 12 else 'PM'}")
            return (f"---------- Forwarded message ---------\nFrom: {who}\nDate: {stamp}\n"
                    f"Subject: {subject}\nTo: <{to}>\n")
        stamp = (f"{_WEEKDAYS_VI[local.weekday()]}, ngày {local.day} tháng {local.month} năm "
                 f"{local.year} {local.hour % 12 or 12}:{local:%M} "
                 f"{'SA' if local.hour < 12 else 'CH'}")
        return (f"________________________________\nTừ: {who}\nĐã gửi: {stamp}\nĐến: {to}\n"
                f"Chủ đề: {subject}\n")

    def _personal_named(self, mail: _Mail, u: _Union, period: str) -> None:
        p, f = self.personas[u.code], self.forms[u.code]
        mail.from_addr = p.personal
        mail.from_name = self.rng.choice([f"{p.given} {p.chair.split()[0]}", p.chair,
                                          ascii_fold(p.chair)])
        phrase = WORDS[period].phrase
        mail.subject = f"{phrase[0].upper()}{phrase[1:]} - Công đoàn {f.abbrev}"
        mail.text = (f"Kính gửi {FEDERATION_NAME},\n\nEm là {p.given}, chủ tịch Công đoàn "
                     f"{f.abbrev}. Em gửi {phrase} của đơn vị ạ (em gửi bằng mail cá nhân vì "
                     f"mail công đoàn đang lỗi).\n\nTrân trọng,\n{p.chair}\nChủ tịch Công đoàn "
                     f"{f.full}\nĐT: {p.phone}")
        mail.files = [self.report_file(u, period, mail.received_at)]

    def _body_only(self, mail: _Mail, u: _Union, period: str) -> None:
        f, p = self.forms[u.code], self.personas[u.code]
        if period == "dvk":
            model = self.rng.choice(MODEL_TITLES.get(u.bloc, MODEL_TITLES["hcsn"]))
            mail.text = (f"Kính gửi {FEDERATION_NAME},\n\nCông đoàn {f.abbrev} đăng ký mô hình "
                         f"\"Dân vận khéo\" năm 2021 như sau:\n- Tên mô hình: \"{model}\"\n"
                         f"- Người phụ trách: {p.chair}\n- Thời gian thực hiện: tháng 3 - "
                         f"tháng 11/2021\n\nTrân trọng!\n{self.signature(u)}")
        else:
            spec = _report_spec(f, period, self.rng, mail.received_at, p.chair, official=False)
            mail.text = (f"Kính gửi {FEDERATION_NAME},\nĐơn vị em gửi báo cáo trong nội dung "
                         f"thư ạ (máy tính hỏng, không gửi được file).\n\n{spec.text()}\n\n"
                         f"{self.signature(u)}")
        mail.files = []

    def _drive_link(self, mail: _Mail, u: _Union, period: str) -> None:
        file_id = "1" + _token(self.rng, 32, _TOKEN + "_-")
        name = self.file_name(u, period, generic_share=0.0)
        url = f"https://drive.google.com/file/d/{file_id}/view?usp=drive_web"
        cover = mail.text or f"Em gửi {WORDS[period].phrase} ạ."
        mail.text = f"{cover}\n\n{name}\n<{url}>"
        chip = (f"<div><a href=\"{url}\" target=\"_blank\"><img src=\"https://drive-thirdparty"
                f".googleusercontent.com/16/type/{DOCX_TYPE}\"> {html.escape(name)}</a></div>")
        mail.html = _html_of(cover, self.rng) + chip
        mail.files = []

    def _reply_to_reminder(self, mail: _Mail, u: _Union, ob: _Obligation, *,
                           with_report: bool, sends: _Obligation | None = None) -> None:
        """A reply in the thread of the reminder for ``ob``; the report sent is ``sends``
        (default ``ob``), e.g. a Q3 report answered to the 6-month reminder's thread."""
        sends = sends or ob
        subject, body = _reminder(ob)
        reminder_at = _local(ob.late_from - timedelta(days=7), 8, 0, 0)
        mail.subject = self.rng.choice(["Re: ", "RE: ", "TL: "]) + subject
        mail.in_reply_to = self.reminder_ids[ob.key]
        quoted = "\n".join("> " + ln if ln else ">" for ln in body.split("\n"))
        head = (f"Dạ em gửi {WORDS[sends.period].phrase} ạ." if with_report
                else "Dạ, đơn vị em sẽ gửi trong tuần này ạ.")
        mail.text = (f"{head}\n{self.personas[u.code].given}\n\nVào "
                     f"{self._vi_date(reminder_at)} {FEDERATION_NAME} <{FEDERATION}> đã viết:\n"
                     f"{quoted}\n")
        if mail.received_at < reminder_at:
            mail.received_at = self.at(reminder_at.astimezone(LOCAL).date(), ob.last_day)
        if with_report:
            f = self.forms[u.code]
            name = self.rng.choice(WORDS[sends.period].files).format(tag=f.file_tag, short=f.short)
            mail.files = [self.report_file(u, sends.period, mail.received_at, name=name)]
        else:
            mail.files = []

    def _forward_by_ward(self, slot: _Slot, note: str, when: datetime) -> _Draft:
        u, ob = slot.union, slot.ob
        f = self.forms[u.code]
        ward = self._ward_of(u)
        original_subject = self.subject(u, ob.period)
        original_at = when - timedelta(hours=self.rng.randint(3, 40))
        name, addr = self.sender(u)
        if note == "forward-listed-secretary" and ward is not None:
            forwarder, forwarder_name = ward.emails[-1], f"Văn thư UBND phường {f.place}"
        else:
            forwarder = f"vp.ubnd{ascii_fold(f.place).lower().replace(' ', '')}@gmail.com"
            forwarder_name = f"Văn phòng UBND phường {f.place}"
        gmail = self.rng.random() < 0.5
        block = self._forward_block(name, addr, original_at, original_subject, forwarder,
                                    gmail=gmail)
        original_text = self.cover(u, ob.period) or f"Em gửi {WORDS[ob.period].phrase} ạ."
        text = (f"Kính gửi {FEDERATION_NAME},\nPhường chuyển {WORDS[ob.period].phrase} của "
                f"Công đoàn {f.abbrev} (trường gửi nhầm vào mail phường).\n\n{forwarder_name}"
                f"\n\n{block}\n{original_text}")
        prefix = "Fwd: " if gmail else self.rng.choice(["FW: ", "Chuyển tiếp: "])
        mail = _Mail(when, forwarder, prefix + original_subject, from_name=forwarder_name,
                     text=text, files=[self.report_file(u, ob.period, original_at)],
                     client="gmail" if gmail else "outlook")
        return _Draft(mail, CREDIT, u.code, (ob.key,), note)

    def _ward_of(self, u: _Union) -> _Union | None:
        place = self.forms[u.code].place
        for other in self.unions:
            if other.code != u.code and self.forms[other.code].level == "" and \
                    self.forms[other.code].place == place and other.emails:
                return other
        return None

    def resend(self, original: _Draft) -> _Draft:
        u = next(x for x in self.unions if x.code == original.union_code)
        ob = next(o for o in PLAN if o.key == original.obligations[0])
        when = original.mail.received_at + timedelta(days=self.rng.randint(1, 9),
                                                     hours=self.rng.randint(0, 6))
        subject = _case(self.rng, self.rng.choice(WORDS[ob.period].resends))
        text = (f"Kính gửi {FEDERATION_NAME},\nĐơn vị gửi lại {WORDS[ob.period].phrase} (bản "
                f"bổ sung, thay bản gửi ngày "
                f"{original.mail.received_at.astimezone(LOCAL):%d/%m}).\n\n{self.signature(u)}")
        name = WORDS[ob.period].files[0].format(tag=self.forms[u.code].file_tag,
                                                short=self.forms[u.code].short)
        name = name.replace(".docx", "_bo_sung.docx")
        mail = _Mail(when, original.mail.from_addr, subject, from_name=original.mail.from_name,
                     text=text, files=[self.report_file(u, ob.period, when, name=name)],
                     client=original.mail.client)
        return _Draft(mail, CREDIT, u.code, (ob.key,), "resend")

    # -- a person decides ------------------------------------------------------------------
    def triage(self, note: str) -> _Draft | None:
        rng = self.rng
        ob = rng.choice([o for o in PLAN if o.period != "dvk"])
        when = self.on_time(ob)
        if note == "unknown-sender":
            person = rng.choice(["Minh Tuấn", "Thu Trang", "Hải Yến", "Ngọc Ánh"])
            addr = f"{ascii_fold(person).lower().replace(' ', '')}{rng.randint(1975, 1995)}" \
                   "@gmail.com"
            spec = _report_spec(None, ob.period, rng, when, person, official=False)
            files = [_File(rng.choice(["BC.docx", "baocao.docx", "Báo cáo.docx"]), DOCX_TYPE,
                           _docx_bytes(spec, "User", when))]
            subject = rng.choice(["Gửi báo cáo", f"Gửi {WORDS[ob.period].phrase}", "bao cao"])
            mail = _Mail(when, addr, subject, from_name=person,
                         text="Gửi anh chị báo cáo ạ.", files=files)
            return _Draft(mail, TRIAGE, None, (ob.key,), note)
        if note == "two-schools":
            pairs = self._school_pairs()
            if not pairs:
                return None
            a, b = rng.choice(pairs)
            fa, fb = self.forms[a.code], self.forms[b.code]
            teacher = self.personas[a.code]
            subject = f"BC quý I - CĐ {fa.short} và {fb.short}"
            ob = _BY_PERIOD["q1"]
            when = self.on_time(ob)
            text = (f"Kính gửi {FEDERATION_NAME},\nEm gửi báo cáo quý I của Công đoàn {fa.full} "
                    f"và Công đoàn {fb.full} ạ.\n{teacher.given}")
            spec = _report_spec(None, "q1", rng, when, teacher.chair, official=False)
            files = [_File(f"BC Q1 {ascii_fold(fa.short)} va {ascii_fold(fb.short)}.docx",
                           DOCX_TYPE, _docx_bytes(spec, "User", when))]
            mail = _Mail(when, f"{ascii_fold(fa.place).lower().replace(' ', '')}.gv@gmail.com",
                         subject, from_name=teacher.given, text=text, files=files)
            return _Draft(mail, TRIAGE, None, (ob.key,), note)
        if note == "personal-gmail-vague":
            shared = [(place, us) for place, us in self._places().items() if len(us) > 1]
            if not shared:
                return None
            place, _ = rng.choice(shared)
            ob = _BY_PERIOD["q1"]
            when = self.on_time(ob)
            subject = f"bc quy 1 truong {ascii_fold(place).lower()}"
            spec = _report_spec(None, "q1", rng, when, "Hương", official=False)
            files = [_File("BC quy 1.docx", DOCX_TYPE, _docx_bytes(spec, "User", when))]
            mail = _Mail(when, f"huongnt.{ascii_fold(place).lower().replace(' ', '')}@gmail.com",
                         subject, from_name="Hương",
                         text=f"Em gửi báo cáo quý 1 của trường ạ.\nHương - CĐ trường {place}",
                         files=files)
            return _Draft(mail, TRIAGE, None, (ob.key,), note)
        u = rng.choice(self.active)
        name, addr = self.sender(u)
        if note == "no-period":
            spec = _report_spec(self.forms[u.code], None, rng, when, self.personas[u.code].chair)
            files = [_File(rng.choice(["Báo cáo.docx", "BC.docx", "bao cao hoat dong.docx"]),
                           DOCX_TYPE, _docx_bytes(spec, self.author(u), when))]
            mail = _Mail(when, addr, rng.choice(["Gửi báo cáo", "V/v gửi báo cáo", "bao cao"]),
                         from_name=name, text=f"Em gửi báo cáo ạ.\n{self.signature(u)}",
                         files=files)
            return _Draft(mail, TRIAGE, u.code, (), note)
        if note == "question":
            when = self.at(ob.opens - timedelta(days=10), ob.last_day - timedelta(days=3))
            text = (f"Kính gửi {FEDERATION_NAME},\nCho em hỏi hạn nộp {WORDS[ob.period].phrase} "
                    "là ngày nào ạ? Mẫu báo cáo năm nay có thay đổi không ạ?\nEm cảm ơn.\n\n"
                    f"{self.signature(u)}")
            mail = _Mail(when, addr, WORDS[ob.period].question, from_name=name, text=text)
            return _Draft(mail, TRIAGE, u.code, (), note)
        if note == "last-year":
            when = self.at(date(2021, 1, 4), date(2021, 1, 15), towards_end=False)
            f = self.forms[u.code]
            files = [self.report_file(u, "y", when, year=2020,
                                      name=f"BC_tong_ket_2020_{f.file_tag}.docx")]
            mail = _Mail(when, addr, f"Báo cáo tổng kết năm 2020 - {f.cd(rng)}", from_name=name,
                         text=f"Đơn vị gửi muộn báo cáo tổng kết năm 2020 ạ.\n{self.signature(u)}",
                         files=files)
            # the calendar holds every year: last year's annual report is owed and credited
            return _Draft(mail, CREDIT, u.code, ("report-2020-y",), note)
        raise ValueError(note)

    def _places(self) -> dict[str, list[_Union]]:
        places: dict[str, list[_Union]] = {}
        for u in self.active:
            f = self.forms[u.code]
            if f.level:
                places.setdefault(f.place, []).append(u)
        return places

    def _school_pairs(self) -> list[tuple[_Union, _Union]]:
        pairs = []
        for schools in self._places().values():
            primary = [s for s in schools if self.forms[s.code].level == "Tiểu học"]
            lower = [s for s in schools if self.forms[s.code].level == "THCS"]
            pairs += [(a, b) for a in primary for b in lower]
        return pairs

    # -- noise -----------------------------------------------------------------------------
    def noise(self, note: str) -> _Draft | None:
        rng = self.rng
        ob = rng.choice(PLAN)
        reminder_at = _local(ob.late_from - timedelta(days=7), 8, 0, 0)
        subject, body = _reminder(ob)
        if note == "auto-reply":
            u = rng.choice(self.active)
            name, addr = self.sender(u)
            when = reminder_at + timedelta(minutes=rng.randint(1, 30), seconds=rng.randint(0, 59))
            text = ("Cảm ơn anh/chị đã gửi thư. Tôi đang nghỉ phép đến hết ngày "
                    f"{(when + timedelta(days=5)).astimezone(LOCAL):%d/%m/%Y}, sẽ phản hồi khi "
                    "trở lại.")
            kind = rng.choice(["gmail", "outlook", "subject-only"])
            mail = _Mail(when, addr, "", from_name=name, text=text,
                         in_reply_to=self.reminder_ids[ob.key])
            if kind == "gmail":
                mail.subject = "Trả lời tự động: " + subject
                mail.headers = [("Auto-Submitted", "auto-replied")]
            elif kind == "outlook":
                mail.subject, mail.client = "Automatic reply: " + subject, "outlook"
                mail.headers = [("Auto-Submitted", "auto-replied"),
                                ("X-Auto-Response-Suppress", "All")]
            else:
                mail.subject = "Trả lời tự động: " + subject
            return _Draft(mail, IGNORE, u.code, (), note)
        if note == "bounce":
            return self._bounce(ob, reminder_at, subject, body)
        if note == "newsletter":
            when = self.at(date(2021, 1, 5), date(2021, 12, 28), towards_end=False)
            sender, who, topic = rng.choice([
                ("bantin@laodongthudo.vn", "Báo Lao Động Thủ Đô",
                 "Hướng dẫn báo cáo sơ kết 6 tháng đầu năm; chính sách mới cho đoàn viên"),
                ("newsletter@thuvienphapluat.vn", "Thư Viện Pháp Luật",
                 "Văn bản mới: mẫu báo cáo công tác công đoàn quý I năm 2021"),
                ("no-reply@hoc.congdoan.vn", "Trường học Công đoàn",
                 "Khóa bồi dưỡng cán bộ công đoàn cơ sở - báo cáo tổng kết năm"),
            ])
            mail = _Mail(when, sender, f"Bản tin: {topic}", from_name=who, text=None,
                         html=(f"<html><body><h2>{html.escape(topic)}</h2><p>Xem chi tiết tại "
                               "website.</p><p><a href=\"https://example.vn/unsub\">Hủy đăng ký"
                               "</a></p></body></html>"), client="server", relay="external",
                         to=FEDERATION, to_name="")
            mail.headers = [("List-Unsubscribe",
                             f"<mailto:unsubscribe@{sender.split('@')[1]}>, "
                             f"<https://{sender.split('@')[1]}/unsubscribe/{_token(rng, 16)}>"),
                            ("List-Id", f"<bantin.{sender.split('@')[1]}>"),
                            ("Precedence", "bulk")]
            return _Draft(mail, IGNORE, None, (), note)
        if note == "city-federation":
            topics = {"dvk": ("V/v triển khai mô hình \"Dân vận khéo\" năm 2021",
                              "Hướng dẫn đăng ký mô hình Dân vận khéo năm 2021"),
                      "q1": ("V/v hướng dẫn báo cáo quý I năm 2021",
                             "Hướng dẫn báo cáo kết quả công tác công đoàn quý I năm 2021"),
                      "h1": ("V/v hướng dẫn báo cáo sơ kết 6 tháng đầu năm 2021",
                             "Hướng dẫn sơ kết 6 tháng đầu năm 2021"),
                      "q3": ("Kế hoạch tổ chức Tháng Công nhân và báo cáo 9 tháng năm 2021",
                             "Kế hoạch và hướng dẫn báo cáo 9 tháng năm 2021"),
                      "y": ("V/v hướng dẫn tổng kết công tác công đoàn năm 2021",
                            "Hướng dẫn tổng kết năm 2021")}
            subject_c, title = topics[ob.period]
            when = self.at(ob.opens - timedelta(days=20), ob.opens - timedelta(days=5))
            spec = _DocSpec(
                (["LIÊN ĐOÀN LAO ĐỘNG", "THÀNH PHỐ HÀ NỘI", f"Số: {rng.randint(100, 900)}/HD-LĐLĐ"],
                 ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                  f"Hà Nội, ngày {when.astimezone(LOCAL):%d} tháng {when.astimezone(LOCAL):%m} "
                  "năm 2021"]),
                [("title", "HƯỚNG DẪN"), ("bold", title),
                 ("p", "Ban Thường vụ LĐLĐ Thành phố hướng dẫn LĐLĐ các quận, huyện, thị xã và "
                       "công đoàn cấp trên cơ sở triển khai thực hiện ...")])
            files = [_File(f"HD_{ob.period}_2021_LDLD_HN.docx", DOCX_TYPE,
                           _docx_bytes(spec, "VP LDLD HN", when))]
            sender = rng.choice(["vanphong@ldld.hanoi.gov.vn", "tonghop@ldld.hanoi.gov.vn"])
            mail = _Mail(when, sender, subject_c, from_name="Văn phòng LĐLĐ TP Hà Nội",
                         text=f"Kính gửi: LĐLĐ các quận, huyện, thị xã\n\nLĐLĐ Thành phố gửi "
                              f"{title[0].lower()}{title[1:]} (file đính kèm).\n\nVăn phòng "
                              "LĐLĐ Thành phố Hà Nội", files=files, client="outlook",
                         relay="external")
            return _Draft(mail, IGNORE, None, (), note)
        if note == "own-sent":
            kind = rng.choice(["reminder", "reminder-template", "receipt"])
            if kind == "receipt":
                u = rng.choice(self.active)
                when = self.on_time(ob) + timedelta(hours=1)
                f = self.forms[u.code]
                mail = _Mail(when, FEDERATION, f"Xác nhận đã nhận {WORDS[ob.period].phrase} - "
                             f"CĐ {f.short}", from_name=FEDERATION_NAME,
                             text=f"LĐLĐ quận Long Biên đã nhận {WORDS[ob.period].phrase} của "
                                  f"Công đoàn {f.abbrev}. Trân trọng cảm ơn.",
                             to=u.emails[0], to_name="", relay="sent")
            else:
                mail = _Mail(reminder_at, FEDERATION, subject, from_name=FEDERATION_NAME,
                             text=body, to=FEDERATION, relay="sent")
                mail.headers = [("Bcc", ", ".join(u.emails[0] for u in self.active[:6]))]
                if kind == "reminder-template" and ob.period != "dvk":
                    spec = _report_spec(None, ob.period, rng, reminder_at, "", official=True)
                    mail.files = [_File(f"Mau_BC_{ob.period}_2021.docx", DOCX_TYPE,
                                        _docx_bytes(spec, "LDLD Long Bien", reminder_at))]
            return _Draft(mail, IGNORE, None, (), note)
        if note == "spam":
            when = self.at(date(2021, 1, 5), date(2021, 12, 28), towards_end=False)
            subject_s, text = rng.choice([
                ("Mẫu báo cáo quý 1 chuẩn - tải miễn phí!!!",
                 "Tải ngay bộ mẫu báo cáo công đoàn quý I, 6 tháng, tổng kết năm. Click ngay!"),
                ("Vay tín chấp lãi suất 0% cho cán bộ công chức",
                 "Giải ngân trong 24h, không cần thế chấp. Liên hệ ngay."),
            ])
            mail = _Mail(when, f"promo{rng.randint(1, 999)}@tailieu-free.top", subject_s,
                         from_name="Tài liệu Free", text=text, client="server", relay="external")
            mail.trace = [("X-Spam-Flag", "YES"),
                          ("X-Spam-Status", f"Yes, score={rng.randint(60, 150) / 10} "
                                            "required=5.0")]
            return _Draft(mail, IGNORE, None, (), note)
        if note == "reply-promise":
            u = rng.choice(self.active)
            name, addr = self.sender(u)
            when = reminder_at + timedelta(hours=rng.randint(1, 30))
            mail = _Mail(when, addr, "", from_name=name)
            self._reply_to_reminder(mail, u, ob, with_report=False)
            return _Draft(mail, IGNORE, u.code, (), note)
        raise ValueError(note)

    def _bounce(self, ob: _Obligation, reminder_at: datetime, subject: str,
                body: str) -> _Draft:
        rng = self.rng
        inactive = [u for u in self.unions if not u.active and u.emails]
        if inactive:
            rcpt = rng.choice(inactive).emails[0]
        else:
            local, _, _ = rng.choice(self.active).emails[0].partition("@")
            rcpt = f"{local}@gmial.com"
        original = MIMEText(body, "plain", "utf-8")
        original["From"] = formataddr((FEDERATION_NAME, FEDERATION), charset="utf-8")
        original["To"] = rcpt
        original["Subject"] = cast(str, Header(subject, "utf-8"))
        original["Message-ID"] = f"<{self.reminder_ids[ob.key]}>"
        original["Date"] = format_datetime(reminder_at.astimezone(LOCAL))
        report = MIMEMultipart("report", boundary=_boundary(rng, "gmail"),
                               report_type="delivery-status")
        notice = MIMEText(
            f"** Address not found **\n\nYour message wasn't delivered to {rcpt} because the "
            "address couldn't be found, or is unable to receive mail.\n\nThe response from the "
            "remote server was:\n550 5.1.1 The email account that you tried to reach does not "
            "exist.\n", "plain", "us-ascii")
        del notice["MIME-Version"]
        status = Message()
        status["Content-Type"] = "message/delivery-status"
        first, second = Message(), Message()
        first["Reporting-MTA"] = "dns; googlemail.com"
        first["Arrival-Date"] = format_datetime(reminder_at.astimezone(GMAIL_TZ))
        second["Final-Recipient"] = f"rfc822; {rcpt}"
        second["Action"] = "failed"
        second["Status"] = "5.1.1"
        second["Diagnostic-Code"] = "smtp; 550-5.1.1 The email account that you tried to reach " \
                                    "does not exist."
        status.set_payload([first, second])
        attached = MIMEMessage(original)
        del attached["MIME-Version"]
        report.attach(notice)
        report.attach(status)
        report.attach(attached)
        when = reminder_at + timedelta(seconds=rng.randint(3, 90))
        mail = _Mail(when, "mailer-daemon@googlemail.com", "Delivery Status Notification (Failure)",
                     from_name="Mail Delivery Subsystem", to=FEDERATION, to_name="", body=report,
                     client="server", relay="gmail")
        mail.headers = [("Auto-Submitted", "auto-replied")]
        return _Draft(mail, IGNORE, None, (), "bounce")

    # -- the year --------------------------------------------------------------------------
    def run(self) -> list[_Draft]:
        rng = self.rng
        slots: list[_Slot] = []
        for ob in PLAN:
            for u in self.active:
                if not u.owes(ob):
                    continue
                first_owed = u.active_from is not None and not any(
                    u.owes(o) for o in PLAN if o.late_from < ob.late_from)
                if first_owed:
                    slots.append(_Slot(u, ob, "new-union"))
                elif rng.random() >= MISSING_RATE:
                    slots.append(_Slot(u, ob))
        self._assign(slots)
        drafts = [self.submission(s) for s in slots]
        plain = [d for d in drafts if d.note == "plain"]
        for original in rng.sample(plain, min(RESENDS, len(plain))):
            drafts.append(self.resend(original))
        for note, count in TRIAGE_QUOTAS:
            drafts += [d for d in (self.triage(note) for _ in range(count)) if d is not None]
        for note, count in NOISE_QUOTAS:
            drafts += [d for d in (self.noise(note) for _ in range(count)) if d is not None]
        return drafts

    def _assign(self, slots: list[_Slot]) -> None:
        """Give the rare variations to random submissions; the rest stay plain."""
        rng = self.rng
        # one union sends its late "Dân vận khéo" registration with its Q1 report
        by_union: dict[str, dict[str, _Slot]] = {}
        for s in slots:
            by_union.setdefault(s.union.code, {})[s.ob.period] = s
        both = [c for c, obs in by_union.items() if {"dvk", "q1"} <= obs.keys()
                and not obs["q1"].note]
        if both:
            code = rng.choice(both)
            slots.remove(by_union[code]["dvk"])
            by_union[code]["q1"].note = "two-obligations"
        for note, count in QUOTAS:
            free = [s for s in slots if not s.note and self._eligible(s, note)]
            for s in rng.sample(free, min(count, len(free))):
                s.note = note

    def _eligible(self, slot: _Slot, note: str) -> bool:
        f = self.forms[slot.union.code]
        if note in ("forward-ward", "forward-listed-secretary"):
            ward = self._ward_of(slot.union) if f.level else None
            if ward is None:
                return False
            return (len(ward.emails) > 1) == (note == "forward-listed-secretary")
        if note == "stale-year-subject":
            return slot.ob.period in ("q1", "h1")
        if note in ("stale-file-name", "old-thread"):
            return slot.ob.period in ("h1", "q3", "y")
        if note in ("xlsx-only",):
            return slot.ob.period != "dvk"
        return True


def _reminder(ob: _Obligation) -> tuple[str, str]:
    """The federation's reminder for ``ob``: subject and text (quoted by replies, bounced)."""
    phrase = WORDS[ob.period].phrase
    deadline = (f"chậm nhất ngày {ob.last_day:%d/%m/%Y}" if ob.period == "dvk"
                else f"trước ngày {ob.late_from:%d/%m/%Y}")
    verb = "Nhắc đăng ký mô hình \"Dân vận khéo\" năm 2021" if ob.period == "dvk" \
        else f"Nhắc nộp {phrase}"
    body = (f"Kính gửi: Ban Chấp hành các CĐCS trực thuộc\n\nLĐLĐ quận Long Biên đề nghị các "
            f"CĐCS chưa gửi {phrase} khẩn trương gửi về hòm thư {FEDERATION} {deadline}.\n\n"
            f"Trân trọng!\nVăn phòng LĐLĐ quận Long Biên")
    return verb, body


# -- the entry points -------------------------------------------------------------------------
def generate(directory_csv: Path, *, seed: int = 2021, until: datetime,
             scale: int = 1) -> list[SampleMessage]:
    """The sample inbox of 2021 for the unions of ``directory_csv``, received before ``until``.

    ``scale`` repeats the year's behaviour with fresh draws (copy 0 is exactly the
    ``scale=1`` inbox), for an evaluation with a few hundred messages.  Sorted by receipt.
    """
    if until.tzinfo is None:
        raise ValueError("until must be an aware datetime (e.g. with tzinfo=UTC)")
    if scale < 1:
        raise ValueError("scale must be at least 1")
    unions = _read_directory(directory_csv)
    ids = _Ids()
    out: list[SampleMessage] = []
    for copy in range(scale):
        rng = random.Random(f"ldl-sample:{seed}:{copy}")
        for draft in _Year(unions, rng, ids, seed).run():
            mail = draft.mail
            mail.received_at = mail.received_at.replace(microsecond=0).astimezone(UTC)
            domain = mail.from_addr.rsplit("@", 1)[-1]
            message_id = ids.new(rng, mail.client, domain)
            raw = _render(mail, rng, message_id)
            if mail.received_at >= until:
                continue
            out.append(SampleMessage(raw, mail.received_at, draft.expect, draft.union_code,
                                     draft.obligations, draft.note, message_id, mail.subject))
    out.sort(key=lambda m: (m.received_at, m.message_id))
    return out


def write_maildir(messages: Iterable[SampleMessage], path: Path) -> int:
    """Write ``messages`` as a Maildir (cur/, new/, tmp/); returns how many were written.

    File names start with the receipt time (readers order by them), then a sequence number
    (unique), and each file's mtime is its receipt time.  Messages of the last two days are
    left unread in new/, the rest are in cur/ marked seen, as a mail client leaves them.
    Writing the same messages again rewrites the same files.
    """
    path = Path(path)
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    items = list(messages)
    latest = max((m.received_at for m in items), default=None)
    for i, m in enumerate(items, start=1):
        stamp = int(m.received_at.timestamp())
        base = f"{stamp}.M{i:06d}P2021.ldl-sample"
        fresh = latest is not None and latest - m.received_at < timedelta(days=2)
        final = path / "new" / base if fresh else path / "cur" / f"{base}:2,S"
        tmp = path / "tmp" / base
        tmp.write_bytes(m.raw)
        os.utime(tmp, (stamp, stamp))
        os.replace(tmp, final)
    return len(items)

