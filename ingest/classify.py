"""Which obligation(s) a message fulfils, read from what union secretaries really write.

The message is cut into *sources* (subject, each file name, each attachment's heading and
opening text, the body), each folded with :func:`ingest.textnorm.expand_topic` so that
"BC Quý I", "bc quy 1" and "Báo cáo Q.1" read the same.  *Cues* (regexes on that folded
text, kept below as tables, plus the keywords of each :class:`ObligationSpec`) say which
*topic* a source speaks of: a report period (q1, h1, q3, y) or the "Dân vận khéo"
registration (dvk).  Evidence from several sources is combined as a noisy-OR weighted by how
much each source can be trusted (a subject says what the mail is; a body may mention anything).
The year is the one written next to the period, else any written year, else the report
period whose deadline is nearest the received date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import PurePath
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from config.calendar import Calendar, ObligationSpec
from ingest.document import (
    AttachmentDoc,
    Classification,
    Evidence,
    MessageDoc,
    ObligationMatch,
)
from ingest.textnorm import (
    expand_topic,
    fold,
    loose_pattern,
    nonempty_lines,
    own_text,
    reply_text,
    split_compound,
    split_subject,
    strip_subject_prefixes,
)
from ingest.title import document_title

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TOPIC_GROUPS: tuple[str, ...] = ("period", "dvk")
DVK_TOPIC = "dvk"

# How far each kind of source is trusted to say what the message is.
SOURCE_WEIGHTS: Mapping[str, float] = {
    "title": 0.85,  # the document's own title block ("BÁO CÁO ... quý I năm 2021")
    "subject": 0.7,
    "filename": 0.7,
    "heading": 0.6,
    "thread-subject": 0.45,  # "Re: ..." / "TL: ...": the subject of the thread answered
    "attachment": 0.45,
    "body": 0.35,
}
# Evidence tiers: the topics a message is about are those named by its strongest tier that
# names any; weaker tiers only add weight to them.  A body or a document's text may mention
# any period ("so với 6 tháng đầu năm"); a subject, a file name or a title says what is sent.
SOURCE_TIERS: Mapping[str, int] = {
    "title": 0, "subject": 0, "filename": 0,
    "heading": 1, "thread-subject": 1,
    "attachment": 2, "body": 2,
}
# The order in which sources are asked for a written year.
YEAR_SOURCE_ORDER: tuple[str, ...] = (
    "title", "subject", "filename", "heading", "thread-subject", "attachment", "body",
)
ATTACHMENT_HEAD_CHARS = 1200  # an attachment's title area; further down it may name any period
BODY_CHARS = 6000
MIN_TOPIC_SCORE = 0.15  # below this a topic is noise (e.g. "năm 2021" in a body only)
AMBIGUITY_RATIO = 0.75  # a second period this close to the best makes the period doubtful
SUPPORT_WEIGHT = 0.35  # how much "báo cáo" / "đăng ký" adds to a period / registration
NO_SUBMISSION_FACTOR = 0.5
QUESTION_FACTOR = 0.3
AMBIGUOUS_FACTOR = 0.5
INFERRED_YEAR_FACTOR = 0.95
DVK_INFERENCE_DAYS = 366  # a registration with no year is for a DVK deadline within a year
YEAR_WINDOW_BACK, YEAR_WINDOW_AHEAD = 3, 1  # written years outside are not report years
# (days before the deadline, days after it, plausibility) from the likeliest window out
TIMING_WINDOWS: tuple[tuple[int, int, float], ...] = ((75, 60, 1.0), (150, 150, 0.85))
TIMING_FLOOR = 0.7


@dataclass(frozen=True)
class Cue:
    """A phrase (regex on folded, expanded text) that speaks of a topic.

    ``group`` is "period" or "dvk" for topic cues, "report" / "register" for support words.
    ``fallback`` cues are weak words ("năm 2021", "mô hình") that only count in a source where
    no ordinary topic cue was found: in "Quý I năm 2021" or "Dân vận khéo năm 2021" the year
    says nothing about an annual report.
    """

    topic: str
    pattern: str
    strength: float = 1.0
    group: str = "period"
    fallback: bool = False


# "quý I", "Q.1", "QI", "quý 4"...: numeral -> period.  Q2 is the 6-month report, Q4 the annual.
QUARTER_NUMERALS: Mapping[str, str] = {
    "1": "q1", "01": "q1", "i": "q1",
    "2": "h1", "02": "h1", "ii": "h1",
    "3": "q3", "03": "q3", "iii": "q3",
    "4": "y", "04": "y", "iv": "y",
}
QUARTER_WORDS: tuple[str, ...] = ("quy", "qui", "q")
# "6 tháng", "6T", "sáu tháng", "9 tháng"...: months covered -> period.
MONTH_SPANS: Mapping[str, str] = {"3": "q1", "6": "h1", "9": "q3", "12": "y"}
MONTH_SPAN_WORDS: Mapping[str, str] = {"ba": "q1", "sau": "h1", "chin": "q3", "muoi hai": "y"}

PERIOD_PHRASES: tuple[Cue, ...] = (
    Cue("y", r"\b0?6 ?(?:thang|t) cuoi nam\b"),
    Cue("h1", r"\bso ket\b"),
    Cue("h1", r"\bgiua nam\b", 0.6),
    Cue("y", r"\btong ket\b(?! nam hoc)(?! (?:0?6|sau) ?(?:thang|t)\b)"),
    Cue("y", r"\bca nam\b"),
    Cue("y", r"\bbao cao nam\b(?! hoc)"),
    Cue("y", r"\bthuong nien\b", 0.8),
    Cue("y", r"\bcuoi nam\b(?! hoc)", 0.6),
    Cue("y", r"\bnam 20\d\d\b", 0.5, fallback=True),
    Cue(DVK_TOPIC, r"\bdan van kheo\b", group="dvk"),
    Cue(DVK_TOPIC, r"\bdang ky mo hinh\b", 0.8, group="dvk"),
    Cue(DVK_TOPIC, r"\bmo hinh\b", 0.3, group="dvk", fallback=True),
)

# Words that say "this is a report" / "this is a registration": support, not a topic.
SUPPORT_CUES: tuple[Cue, ...] = (
    Cue("report", r"\bbao cao\b", group="report"),
    Cue("report", r"\b(?:so ket|tong ket)\b", group="report"),
    Cue("report", r"\bket qua\b", 0.6, group="report"),
    Cue("register", r"\bdang ky\b", group="register"),
)

# Reports that are not the plan's: finance, budgets, other programmes.  Where a source names
# one, its weak cues ("năm 2021") do not make it the annual report.
OTHER_REPORT_RE = re.compile(
    r"\b(?:quyet toan|tai chinh|thu chi|kinh phi|ngan sach|thue|bao hiem|tai san)\b"
)

# Resends: "bổ sung", "gửi lại", "nộp lại", "bản sửa" ...
RESEND_CUES: tuple[str, ...] = (
    r"\bbo sung\b", r"\bgui lai\b", r"\bnop lai\b", r"\bgui bo sung\b", r"\bban sua\b",
    r"\bsua lai\b", r"\bthay the\b", r"\bcap nhat lai\b", r"\bdieu chinh\b",
)
RESEND_BODY_LINES = 4  # a resend is announced at the top of the body, not in the report text

# A question about the obligation ("Xin hỏi hạn nộp báo cáo quý 1?") is not a submission.
QUESTION_CUES: tuple[str, ...] = (
    r"\bxin hoi\b", r"\bcho (?:em |toi |minh )?hoi\b", r"\bhoi ve\b", r"\bkhi nao\b",
    r"\bbao gio\b", r"\bhan nop\b", r"\bthe nao\b", r"\bco phai\b", r"\bduoc khong\b",
    r"\blam sao\b", r"\bo dau\b", r"\bbao nhieu\b",
)

# Spec keywords too common to name a topic on their own ("năm" is in "Việt Nam", "5 năm"):
# they count only right after a word that introduces the topic ("báo cáo năm").
GENERIC_KEYWORDS: frozenset[str] = frozenset({"nam", "mo hinh", "ket qua", "bao cao"})
GENERIC_KEYWORD_LEADS: Mapping[str, tuple[str, ...]] = {
    "period": ("bao cao", "tong ket"),
    "dvk": ("dang ky",),
}

# Date phrases and multi-year spans are masked before matching: "ngày 6 tháng 3 năm 2021" is
# neither a "6 tháng" report nor the report year, "sau tháng 3" is not "sáu tháng", and
# "năm học 2020-2021" is a school year, and the plan for the next period named after
# "phương hướng" is not the period reported on.  Order matters: whole dates first.
MASKS: tuple[str, ...] = (
    r"\bngay \d{1,2} thang \d{1,2}(?: nam \d{4})?\b",
    r"\b\d{1,2} \d{1,2} \d{4}\b",
    r"\bthang \d{1,2}\b",
    r"\bnam hoc \d{4}(?: \d{4})?\b",
    r"\b(?:nhiem ky|giai doan|tam nhin|den nam|tu nam) \d{4}(?: \d{4})?\b",
    # "..., phương hướng nhiệm vụ quý II" / "... năm 2022": the next period, not this report's
    r"\bphuong huong(?: \w+){0,5}? (?:(?:quy|qui|q) ?(?:0?[1-4]|iv|iii|ii|i)|0?[369] ?(?:thang|t)"
    r"|(?:sau|chin) thang|nam \d{4})(?: (?:cuoi|dau) nam)?\b",
)
MASK_TOKEN = " xx "

# A link to a document instead of an attachment.
DOC_LINK_HOSTS: tuple[str, ...] = (
    "drive.google.com", "docs.google.com", "onedrive.live.com", "1drv.ms", "sharepoint.com",
    "dropbox.com", "box.com", "icloud.com",
)
URL_RE = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)

DOCUMENT_EXTENSIONS: frozenset[str] = frozenset({
    "doc", "docx", "pdf", "xls", "xlsx", "odt", "ods", "rtf", "txt", "ppt", "pptx", "csv",
    "zip", "rar", "7z",
})
MIN_PHOTO_BYTES = 40_000  # smaller pictures are logos, icons and emoji, not pages
SIGNATURE_IMAGE_RE = re.compile(r"^(?:image|logo|icon|banner|outlook|signature)[-_]?\d*\.")
IMAGE_EXTENSIONS: frozenset[str] = frozenset({
    "jpg", "jpeg", "png", "gif", "heic", "tif", "tiff", "bmp", "webp",
})

# A report written in the body: long enough, and speaking the language of reports.
BODY_REPORT_TERMS: tuple[str, ...] = (
    "bao cao", "ket qua", "thuc hien", "doan vien", "to chuc", "hoat dong", "chi tieu",
    "phuong huong", "nhiem vu", "tong so", "dat duoc", "trien khai",
)
MIN_REPORT_BODY_WORDS = 80
MIN_REPORT_BODY_TERMS = 3

# Model titles: "Tên mô hình: ...", or the heading of the registration form.
TITLE_LABEL_RE = re.compile(
    rf"{loose_pattern('ten mo hinh')}[^:：\n]{{0,40}}?\s*[:：]\s*(?P<title>[^\n]*)",
    re.IGNORECASE,
)
TITLE_HEADING_RE = re.compile(
    rf"^\s*{loose_pattern('mo hinh')}(?:\s+{loose_pattern('dan van kheo')})?\s*[:：\-–]?\s*"
    r"(?P<title>.+)$",
    re.IGNORECASE,
)
QUOTES = "\"'“”‘’«»„`"
TITLE_END_RE = re.compile(r"(?<=[^\d\s])[.;!?](?:\s|$)")
# Folded beginnings that show a heading is the form's own title, not the model's name.
NOT_A_TITLE_RE = re.compile(
    r"^(?:dan van kheo|dang ky|phieu|ban dang ky|mau|bieu|nam|cong hoa|doc lap)\b|^\d"
)
MAX_TITLE_CHARS = 200
MIN_TITLE_WORDS = 2


@dataclass(frozen=True)
class Source:
    """One place of the message that can speak of an obligation."""

    kind: str  # a key of SOURCE_WEIGHTS
    label: str  # Evidence.source: subject | body | attachment:<name>
    text: str  # folded, expanded, masked

    @property
    def weight(self) -> float:
        return SOURCE_WEIGHTS[self.kind]

    @property
    def tier(self) -> int:
        return SOURCE_TIERS[self.kind]


@dataclass(frozen=True)
class Hit:
    """A cue found in a source."""

    cue: Cue
    source: Source
    start: int
    end: int

    @property
    def weight(self) -> float:
        return self.source.weight * self.cue.strength

    def evidence(self) -> Evidence:
        text = self.source.text[self.start:self.end]
        rule = self.cue.group if self.cue.group != "period" else f"period:{self.cue.topic}"
        return Evidence(rule, self.source.label, text, round(self.weight, 3))


# ---------------------------------------------------------------- sources


def _normal(text: str, compound: bool = False) -> str:
    """Folded, abbreviations spelled out, dates and school years masked."""
    folded = expand_topic(split_compound(text) if compound else text)
    for mask in _MASK_RES:
        folded = mask.sub(MASK_TOKEN, folded)
    return " ".join(folded.split())


_MASK_RES = tuple(re.compile(m) for m in MASKS)


def _stem(filename: str) -> str:
    return PurePath(filename).stem if "." in filename else filename


def _extension(filename: str) -> str:
    return PurePath(filename).suffix.lower().lstrip(".")


def build_sources(doc: MessageDoc) -> list[Source]:
    """Cut the message into the places that are read, strongest first."""
    kinds, subject = split_subject(doc.subject)
    subject_kind = "thread-subject" if "reply" in kinds else "subject"
    sources = [Source(subject_kind, "subject", _normal(subject, True))]
    for att in doc.attachments:
        label = f"attachment:{att.filename}"
        sources.append(Source("filename", label, _normal(_stem(att.filename), True)))
        title = document_title(att.text) if att.text else ""
        if title:
            sources.append(Source("title", label, _normal(title)))
        if att.heading and fold(att.heading) != fold(title):
            sources.append(Source("heading", label, _normal(att.heading)))
        if att.text:
            sources.append(Source("attachment", label, _normal(att.text[:ATTACHMENT_HEAD_CHARS])))
    replying = "reply" in kinds and "forward" not in kinds
    body = reply_text(doc.body_text) if replying else own_text(doc.body_text)
    sources.append(Source("body", "body", _normal(body[:BODY_CHARS])))
    return [s for s in sources if s.text]


# ---------------------------------------------------------------- cues


def _quarter_cues() -> tuple[Cue, ...]:
    words = "|".join(QUARTER_WORDS)
    return tuple(
        Cue(period, rf"\b(?:{words}) ?{numeral}\b")
        for numeral, period in sorted(QUARTER_NUMERALS.items(), key=lambda kv: -len(kv[0]))
    )


def _month_span_cues() -> tuple[Cue, ...]:
    cues = [
        Cue(period, rf"\b0?{n} ?(?:thang|t)\b(?! cuoi nam)")
        for n, period in MONTH_SPANS.items()
    ]
    cues += [Cue(period, rf"\b{w} thang\b(?! cuoi nam)") for w, period in MONTH_SPAN_WORDS.items()]
    return tuple(cues)


BUILTIN_CUES: tuple[Cue, ...] = _quarter_cues() + _month_span_cues() + PERIOD_PHRASES


def spec_topic(spec: ObligationSpec) -> str | None:
    """The topic an obligation is about: its period for a report, "dvk" for a registration."""
    if spec.kind == DVK_TOPIC:
        return DVK_TOPIC
    return spec.period if spec.kind == "report" else None


def _keyword_cue(topic: str, keyword: str) -> Cue | None:
    phrase = expand_topic(keyword)
    if not phrase:
        return None
    group = "dvk" if topic == DVK_TOPIC else "period"
    if phrase in GENERIC_KEYWORDS:
        leads = "|".join(GENERIC_KEYWORD_LEADS[group])
        return Cue(topic, rf"\b(?:{leads}) {re.escape(phrase)}\b", 0.8, group=group)
    return Cue(topic, rf"\b{re.escape(phrase)}\b", 1.0, group=group)


def _cues_for(calendar: Calendar) -> tuple[tuple[Cue, re.Pattern[str]], ...]:
    pairs = {(t, kw) for s in calendar.exemplars() if (t := spec_topic(s)) for kw in s.keywords}
    return _compiled_cues(frozenset(pairs))


@lru_cache(maxsize=32)
def _compiled_cues(pairs: frozenset[tuple[str, str]]) -> tuple[tuple[Cue, re.Pattern[str]], ...]:
    cues = list(BUILTIN_CUES) + list(SUPPORT_CUES)
    cues += [c for t, kw in sorted(pairs) if (c := _keyword_cue(t, kw)) is not None]
    return tuple((c, re.compile(c.pattern)) for c in cues)


def scan(sources: Iterable[Source], cues: Sequence[tuple[Cue, re.Pattern[str]]]) -> list[Hit]:
    """Every cue found in every source; weak (fallback) cues only where nothing better is,
    and never where the source speaks of another kind of report (a financial statement of
    "năm 2021" is not the plan's annual report)."""
    hits: list[Hit] = []
    for source in sources:
        found = [
            Hit(cue, source, m.start(), m.end())
            for cue, regex in cues
            for m in regex.finditer(source.text)
        ]
        strong = any(not h.cue.fallback and h.cue.group in TOPIC_GROUPS for h in found)
        other = OTHER_REPORT_RE.search(source.text) is not None
        found = [h for h in found if not (h.cue.fallback and (strong or other))]
        hits += _plan_name_is_not_a_registration(found)
    return hits


def other_kind_documents(doc: MessageDoc) -> list[str]:
    """Titles of the attached documents that are reports of another kind (finance...)."""
    titles = [document_title(a.text) for a in doc.attachments if a.text]
    return [t for t in titles if t and OTHER_REPORT_RE.search(_normal(t))]


def _plan_name_is_not_a_registration(found: list[Hit]) -> list[Hit]:
    """In "Báo cáo kết quả thực hiện Dân vận khéo quý I", "Dân vận khéo" names the plan the
    report is about, not a registration: a source that reports on a period and says nothing
    of registering ("đăng ký", a form) does not speak of the registration."""
    dvk = [h for h in found if h.cue.group == "dvk"]
    if not dvk:
        return found
    registers = any(h.cue.group == "register" for h in found)
    reports = any(h.cue.group == "period" and not h.cue.fallback for h in found) and any(
        h.cue.group == "report" for h in found)
    if reports and not registers:
        return [h for h in found if h.cue.group != "dvk"]
    return found


def noisy_or(weights: Iterable[float]) -> float:
    """Combine independent pieces of evidence: 1 - prod(1 - w)."""
    miss = 1.0
    for w in weights:
        miss *= 1.0 - max(0.0, min(1.0, w))
    return 1.0 - miss


def topic_scores(hits: Sequence[Hit]) -> dict[str, float]:
    """Per topic, the noisy-OR over sources of the strongest hit in each source."""
    best: dict[tuple[str, int], float] = {}
    for h in hits:
        k = (h.cue.topic, id(h.source))
        best[k] = max(best.get(k, 0.0), h.weight)
    scores: dict[str, list[float]] = {}
    for (topic, _), w in best.items():
        scores.setdefault(topic, []).append(w)
    return {topic: noisy_or(ws) for topic, ws in scores.items()}


# ---------------------------------------------------------------- year


YEAR_AFTER_RE = re.compile(r"^ ?(?:nam )?(20\d\d)\b")
YEAR_RE = re.compile(r"\b(20\d\d)\b")


def _plausible(year: int, today: date) -> bool:
    return today.year - YEAR_WINDOW_BACK <= year <= today.year + YEAR_WINDOW_AHEAD


def adjacent_year(hits: Sequence[Hit], topic: str, today: date) -> tuple[int, Hit] | None:
    """A year written right after the period ("quý I/2021", "6 tháng đầu năm 2021")."""
    ordered = sorted(
        (h for h in hits if h.cue.topic == topic),
        key=lambda h: YEAR_SOURCE_ORDER.index(h.source.kind),
    )
    for h in ordered:
        tail = h.source.text[h.end:]
        tail = re.sub(r"^ (?:dau|cuoi) nam\b", "", tail)
        m = YEAR_AFTER_RE.match(tail)
        if m and _plausible(int(m.group(1)), today):
            return int(m.group(1)), h
    return None


def written_years(sources: Sequence[Source], today: date) -> tuple[list[int], Source | None]:
    """The years written in the most trusted source that has any."""
    for kind in YEAR_SOURCE_ORDER:
        for source in (s for s in sources if s.kind == kind):
            years = [int(y) for y in YEAR_RE.findall(source.text)]
            years = [y for y in years if _plausible(y, today)]
            if years:
                return years, source
    return [], None


def infer_report_year(period: str, calendar: Calendar, today: date) -> int | None:
    """The year of the report period whose deadline is nearest ``today``.

    Only periods of a year that has begun are candidates: a Q1 report received in December is
    a (late) report for this year, an annual report received in January is for last year.
    """
    deadlines = [s.late_from_local for s in calendar.exemplars()
                 if s.kind == "report" and s.period == period]
    if not deadlines:
        return None
    month, day = deadlines[0].month, deadlines[0].day
    candidates = [y for y in (today.year - 1, today.year, today.year + 1) if date(y, 1, 1) <= today]
    return min(candidates, key=lambda y: abs((date(y, month, day) - today).days))


def _specs_for(topic: str, calendar: Calendar, years: Iterable[int]) -> list[ObligationSpec]:
    """The obligations of ``years`` about ``topic`` (the calendar holds every year)."""
    return [s for s in calendar.specs_for_years(years) if spec_topic(s) == topic]


@dataclass
class YearChoice:
    year: int | None
    how: str  # adjacent | written | inferred | none
    evidence: Evidence | None = None


def choose_year(
    topic: str, hits: Sequence[Hit], sources: Sequence[Source],
    calendar: Calendar, today: date,
) -> YearChoice:
    """Written next to the topic, else written anywhere (most trusted source), else inferred.

    Only sources as trusted as the best one naming the topic are asked: a report titled
    "Báo cáo tổng kết năm" whose body compares with "năm 2020" is this year's report.
    """
    tiers = [h.source.tier for h in hits if h.cue.topic == topic]
    if tiers:
        top = min(tiers)
        hits = [h for h in hits if h.source.tier <= top]
        sources = [s for s in sources if s.tier <= top]
    adjacent = adjacent_year(hits, topic, today)
    if adjacent:
        year, hit = adjacent
        return YearChoice(year, "adjacent", Evidence("year", hit.source.label, str(year), 1.0))
    inferred = _inferred_year(topic, calendar, today)
    years, source = written_years(sources, today)
    if years and source is not None:
        year = inferred if inferred in years else years[0]
        return YearChoice(year, "written", Evidence("year", source.label, str(year), 0.8))
    if inferred is None:
        return YearChoice(None, "none")
    detail = f"{inferred} inferred from received date {today.isoformat()}"
    return YearChoice(inferred, "inferred", Evidence("year", "received", detail, 0.5))


def _inferred_year(topic: str, calendar: Calendar, today: date) -> int | None:
    if topic != DVK_TOPIC:
        return infer_report_year(topic, calendar, today)
    nearest = sorted(
        _specs_for(DVK_TOPIC, calendar, calendar.years_around(today)),
        key=lambda s: abs((s.late_from_local - today).days),
    )
    if nearest and abs((nearest[0].late_from_local - today).days) <= DVK_INFERENCE_DAYS:
        return nearest[0].year
    return None


# ---------------------------------------------------------------- submission


def _has_content(att: AttachmentDoc, cue_res: Sequence[re.Pattern[str]]) -> bool:
    """A real file, not an empty part or a signature logo ("image001.png")."""
    if att.text.strip():
        return True
    if not att.payload or att.status == "empty":
        return False
    ext = _extension(att.filename)
    if ext in DOCUMENT_EXTENSIONS:
        return True
    if ext in IMAGE_EXTENSIONS or att.content_type.startswith("image/"):
        name = _normal(_stem(att.filename), True)
        if any(r.search(name) for r in cue_res):
            return True
        # a photo of a signed page ("IMG_20210310_0830.jpg") is a document; a logo in a
        # signature ("image001.png", a few KB) is not
        return len(att.payload) >= MIN_PHOTO_BYTES and not SIGNATURE_IMAGE_RE.match(
            att.filename.lower())
    return bool(ext)


def document_links(doc: MessageDoc) -> list[str]:
    """Links to shared documents (Google Drive, OneDrive, SharePoint, Dropbox ...)."""
    urls = list(doc.links) + URL_RE.findall(doc.body_text)
    out: list[str] = []
    for url in urls:
        host = (urlsplit(url).hostname or "").lower()
        if any(host == h or host.endswith("." + h) for h in DOC_LINK_HOSTS) and url not in out:
            out.append(url)
    return out


def body_is_report(body: str) -> bool:
    """A report written in the body: long, and using several words of reports."""
    folded = fold(own_text(body))
    terms = sum(1 for t in BODY_REPORT_TERMS if re.search(rf"\b{t}\b", folded))
    return len(folded.split()) >= MIN_REPORT_BODY_WORDS and terms >= MIN_REPORT_BODY_TERMS


def submission_evidence(
    doc: MessageDoc, cue_res: Sequence[re.Pattern[str]]
) -> list[Evidence]:
    """What the message submits: files with content, document links, a report body."""
    found = [
        Evidence("submission", f"attachment:{a.filename}", "file with content", 1.0)
        for a in doc.attachments
        if _has_content(a, cue_res)
    ]
    found += [Evidence("submission", "link", url, 0.9) for url in document_links(doc)]
    if body_is_report(doc.body_text):
        found.append(Evidence("submission", "body", "report written in the body", 0.8))
    return found


# ---------------------------------------------------------------- resend, question, title


_RESEND_RES = tuple(re.compile(p) for p in RESEND_CUES)
_QUESTION_RES = tuple(re.compile(p) for p in QUESTION_CUES)


def resend_evidence(doc: MessageDoc) -> list[Evidence]:
    """ "Bổ sung" / "gửi lại" in the subject, a file name or the opening lines of the body."""
    places = [("subject", _normal(strip_subject_prefixes(doc.subject), True))]
    places += [(f"attachment:{a.filename}", _normal(_stem(a.filename), True))
               for a in doc.attachments]
    opening = "\n".join(nonempty_lines(own_text(doc.body_text))[:RESEND_BODY_LINES])
    places.append(("body", _normal(opening)))
    return [
        Evidence("resend", label, m.group(0), 1.0)
        for label, text in places
        for r in _RESEND_RES
        if (m := r.search(text))
    ]


def is_question(doc: MessageDoc) -> bool:
    """The author asks something ("Xin hỏi hạn nộp báo cáo quý 1?")."""
    own = own_text(doc.body_text)
    if "?" in doc.subject or "?" in own:
        return True
    text = _normal(doc.subject + "\n" + own)
    return any(r.search(text) for r in _QUESTION_RES)


def clean_title(raw: str) -> str:
    """Cut a title at the end of its sentence and strip quotes and trailing punctuation."""
    end = TITLE_END_RE.search(raw)
    title = raw[:end.start()] if end else raw
    title = title.strip().strip(QUOTES).strip().rstrip(".,;:").strip().strip(QUOTES).strip()
    return title[:MAX_TITLE_CHARS]


def title_from_label(text: str) -> str | None:
    """The text after "Tên mô hình:" (same line, else the next non-empty line)."""
    for m in TITLE_LABEL_RE.finditer(text):
        title = clean_title(m.group("title"))
        if not title:
            following = nonempty_lines(text[m.end():])
            title = clean_title(following[0]) if following else ""
        if len(title.split()) >= MIN_TITLE_WORDS:
            return title
    return None


def title_from_heading(heading: str) -> str | None:
    """A form heading that is itself the model's name: quoted, or "Mô hình <name>"."""
    text = heading.strip()
    m = TITLE_HEADING_RE.match(text)
    if m:
        text = m.group("title")
    elif not (len(text) > 2 and text[0] in QUOTES and text[-1] in QUOTES):
        return None
    title = clean_title(text)
    if len(title.split()) < MIN_TITLE_WORDS or NOT_A_TITLE_RE.match(fold(title)):
        return None
    return title


def model_title(doc: MessageDoc) -> str | None:
    """The registered model's name, from "Tên mô hình: ..." or the form's heading."""
    texts = [own_text(doc.body_text)] + [a.text for a in doc.attachments]
    for text in texts:
        title = title_from_label(text)
        if title:
            return title
    for att in doc.attachments:
        title = title_from_heading(att.heading)
        if title:
            return title
    return None


# ---------------------------------------------------------------- decision


@dataclass
class _Decision:
    matches: list[ObligationMatch]
    reasons: list[str]


def _support(hits: Sequence[Hit], group: str) -> float:
    return topic_scores([h for h in hits if h.cue.group == group]).get(group, 0.0)


def candidate_topics(hits: Sequence[Hit]) -> tuple[set[str], int | None]:
    """The topics named by the strongest tier of sources that names any, and that tier."""
    topic_hits = [h for h in hits if h.cue.group in TOPIC_GROUPS]
    for tier in sorted(set(SOURCE_TIERS.values())):
        named = {h.cue.topic for h in topic_hits if h.source.tier == tier}
        if named:
            return named, tier
    return set(), None


def _year_among_disagreeing(choice: YearChoice, topic: str, hits: Sequence[Hit],
                            calendar: Calendar, today: date) -> YearChoice:
    """When sources write different years next to the period, the one whose deadline is
    nearest the received date wins.

    The calendar has every year, so a subject copied from last year's mail ("BC 6 tháng đầu
    năm 2020" in June 2021, the file saying 2021) would otherwise name a real, long-closed
    obligation.  Years that agree, or a lone written year, are kept as written.
    """
    if choice.how != "adjacent":
        return choice
    written = {found[0] for h in hits if (found := adjacent_year([h], topic, today))}
    inferred = _inferred_year(topic, calendar, today)
    if len(written) < 2 or inferred is None or inferred == choice.year or inferred not in written:
        return choice
    detail = f"{inferred}: nearest the received date of {sorted(written)} written"
    return YearChoice(inferred, "adjacent", Evidence("year", "sources disagree", detail, 0.8))


def document_topics(hits: Sequence[Hit]) -> dict[str, set[str]]:
    """Per attachment, the topics its title names, else those its file name names.

    Used to tell one document that mentions two obligations (one submission) from two
    documents for two obligations (two submissions).
    """
    by_doc: dict[str, dict[str, set[str]]] = {}
    for h in hits:
        if h.cue.group in TOPIC_GROUPS and h.source.kind in ("title", "filename"):
            by_doc.setdefault(h.source.label, {}).setdefault(h.source.kind, set()).add(
                h.cue.topic)
    return {label: kinds.get("title") or kinds.get("filename", set())
            for label, kinds in by_doc.items()}


def timing_plausibility(spec: ObligationSpec, today: date) -> float:
    """How plausible it is that mail arriving ``today`` is for ``spec``: 0.6..1.

    Reports arrive in the weeks before a deadline and, late, in the months after; one
    months away from its deadline is less likely.  One piece of evidence among others: it
    ranks two topics a message names and lowers confidence, it never names a topic.
    """
    days = (today - spec.late_from_local).days
    for before, after, factor in TIMING_WINDOWS:
        if -before <= days <= after:
            return factor
    return TIMING_FLOOR


@dataclass
class _Candidate:
    topic: str
    score: float  # evidence for the topic, all tiers
    spec: ObligationSpec | None
    choice: YearChoice
    plausibility: float

    @property
    def rank(self) -> float:
        return self.score * self.plausibility


def _candidate(topic: str, score: float, hits: Sequence[Hit], sources: Sequence[Source],
               calendar: Calendar, today: date) -> _Candidate:
    choice = _year_among_disagreeing(choose_year(topic, hits, sources, calendar, today),
                                     topic, hits, calendar, today)
    years = [choice.year] if choice.year is not None else []
    spec = next((s for s in _specs_for(topic, calendar, years) if s.year == choice.year), None)
    plausible = timing_plausibility(spec, today) if spec is not None else TIMING_FLOOR
    return _Candidate(topic, score, spec, choice, plausible)


def _match(c: _Candidate, hits: Sequence[Hit], factor: float) -> ObligationMatch | None:
    if c.spec is None:
        return None
    support_group = "register" if c.topic == DVK_TOPIC else "report"
    base = noisy_or([c.score, SUPPORT_WEIGHT * _support(hits, support_group)])
    confidence = base * c.plausibility * factor
    if c.choice.how == "inferred":
        confidence *= INFERRED_YEAR_FACTOR
    evidence = [h.evidence() for h in hits if h.cue.topic == c.topic]
    if c.choice.evidence is not None:
        evidence.append(c.choice.evidence)
    if c.plausibility < 1.0:
        evidence.append(Evidence("timing", "received",
                                 f"{c.spec.key} due {c.spec.late_from_local.isoformat()}",
                                 round(c.plausibility, 3)))
    return ObligationMatch(c.spec.key, confidence, evidence)


def _decide(
    hits: Sequence[Hit], sources: Sequence[Source], calendar: Calendar,
    today: date,
) -> _Decision:
    """One submission per message, unless separate documents carry separate obligations."""
    decision = _Decision([], [])
    topics, _tier = candidate_topics(hits)
    scores = topic_scores([h for h in hits if h.cue.group in TOPIC_GROUPS])
    topics = {t for t in topics if scores.get(t, 0.0) >= MIN_TOPIC_SCORE}
    if not topics:
        decision.reasons.append("no report period or registration recognised")
        return decision
    candidates = sorted(
        (_candidate(t, scores[t], hits, sources, calendar, today) for t in topics),
        key=lambda c: (-c.rank, c.topic),
    )
    for c in candidates:
        if c.spec is None:
            year = c.choice.year if c.choice.year is not None else "?"
            decision.reasons.append(f"no obligation for {c.topic} {year} in the calendar")
    per_doc = document_topics(hits)
    separate = {next(iter(ts)) for ts in per_doc.values() if len(ts) == 1}
    in_subject = {h.cue.topic for h in hits
                  if h.cue.group in TOPIC_GROUPS and h.source.kind == "subject"}
    if len(candidates) > 1 and (
            (separate >= topics and len(per_doc) >= len(topics))
            or (in_subject >= topics and len(topics - {DVK_TOPIC}) <= 1)):
        # a registration form and a report, each its own file, or both named by the
        # sender's own subject ("BC quý 1 và đăng ký DVK"): two submissions (two periods
        # in one subject, "BC quý 1 và quý 2", are a doubt for a person)
        decision.matches += [m for c in candidates if (m := _match(c, hits, 1.0))]
        return decision
    best = candidates[0]
    rivals = [c for c in candidates[1:] if c.rank >= AMBIGUITY_RATIO * best.rank]
    if rivals:
        decision.reasons.append(
            "ambiguous: " + ", ".join(c.topic for c in [best, *rivals]))
        decision.matches += [m for c in [best, *rivals] if (m := _match(c, hits, AMBIGUOUS_FACTOR))]
        return decision
    match = _match(best, hits, 1.0)
    if match is not None:
        decision.matches.append(match)
    return decision


def classify(
    doc: MessageDoc,
    obligations: Calendar,
    received_at: datetime,
    tz: ZoneInfo = LOCAL_TZ,
) -> Classification:
    """Which obligation(s) ``doc`` fulfils, how surely, and why.

    Confidence is lowered when nothing is submitted (no file, document link or report body),
    further when the message is a question, and halved when two periods are named equally.
    """
    today = received_at.astimezone(tz).date()
    cues = _cues_for(obligations)
    sources = build_sources(doc)
    hits = scan(sources, cues)
    decision = _decide(hits, sources, obligations, today)
    cue_res = [r for c, r in cues if c.group in ("period", "dvk", "report")]
    other_kind = other_kind_documents(doc)
    if other_kind and len(other_kind) == len(doc.attachments):
        # every file is a report of another kind ("Báo cáo quyết toán tài chính quý I"):
        # whatever the subject says, the plan's report is not what was sent
        return Classification(matches=[], is_submission=True,
                              reason="a report of another kind: " + "; ".join(other_kind))
    submitted = submission_evidence(doc, cue_res)
    years = {s.year for m in decision.matches if (s := obligations.spec(m.key)) is not None}
    dvk_keys = {s.key for s in _specs_for(DVK_TOPIC, obligations, years)}
    has_dvk = any(m.key in dvk_keys for m in decision.matches)
    title = model_title(doc) if has_dvk else None
    if not submitted and title:
        # a registration is a model's name: "Tên mô hình: ..." typed in the mail is the
        # registration itself, no form needed
        submitted = [Evidence("submission", "body", f"model named: {title}", 0.8)]
    resends = resend_evidence(doc)
    factor = 1.0
    if not submitted:
        question = is_question(doc)
        factor = QUESTION_FACTOR if question else NO_SUBMISSION_FACTOR
        decision.reasons.append(
            "a question, nothing submitted" if question
            else "no attachment, document link or report text"
        )
    for match in decision.matches:
        match.confidence = round(max(0.0, min(1.0, match.confidence * factor)), 3)
        match.evidence += submitted + resends
    decision.matches.sort(key=lambda m: -m.confidence)
    return Classification(
        matches=decision.matches,
        is_resend=bool(resends),
        model_title=title,
        is_submission=bool(submitted),
        reason="; ".join(decision.reasons) or None,
    )
