"""Vietnamese mail bodies from Jinja2 templates that the federation's staff can edit.

A mail ``name`` (``reminder``, ``receipt``, ``digest``) is three templates:
``<name>.subject.j2``, ``<name>.txt.j2`` and ``<name>.html.j2``.  Each is looked up in the
staff's override directory first, then among the packaged ones (``config/templates``), so
staff can change one file without copying the rest.

Templates are strict: an unknown variable or attribute (a typo) is an error naming the
template and line, never a silent blank in a mail sent to three hundred unions.  HTML is
auto-escaped (a union called "A & B" stays readable); subject and text are not.

The context shapes are the dataclasses below; their fields and properties become the
template's variables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)

from config.calendar import BLOC_TITLES
from storage.compliance import ReportingRates

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAIL_NAMES: tuple[str, ...] = ("reminder", "receipt", "digest")
PARTS: tuple[str, ...] = ("subject", "txt", "html")
BLOC_SHORT_TITLES: dict[str, str] = {"hcsn": "HCSN", "dn": "Doanh nghiệp", "th": "Trường học",
                                     "all": "Tổng"}
WEEKDAY_NAMES: tuple[str, ...] = (
    "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật",
)


class RenderError(ValueError):
    """A template is missing, malformed or refers to something the context lacks."""


@dataclass(frozen=True)
class RenderedMail:
    subject: str  # one line
    text: str
    html: str


# -- context shapes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Federation:
    """Who signs the mail; every context carries one."""

    name: str = "Liên đoàn Lao động quận Long Biên"
    short_name: str = "LĐLĐ quận Long Biên"
    address: str = "ldllongbien@gmail.com"


@dataclass(frozen=True)
class ReceivedMessage:
    """A message the federation received from a union (shown so it can recognise it)."""

    subject: str
    received_at: datetime
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReminderItem:
    """One obligation a union owes now."""

    obligation_key: str
    title: str
    due_at: datetime  # aware: received strictly before this instant is on time
    overdue: bool
    # messages from the union not (yet) credited to this obligation: if one of them is the
    # report, the union can say so by replying
    received: tuple[ReceivedMessage, ...] = ()


@dataclass(frozen=True)
class ReminderContext:
    """One reminder mail to one union, listing every obligation it owes now."""

    union_code: str
    union_name: str
    items: tuple[ReminderItem, ...]
    now: datetime
    stage: str = ""  # the policy stage that triggered the mail, e.g. "before-2"
    federation: Federation = field(default_factory=Federation)

    @property
    def any_overdue(self) -> bool:
        return any(item.overdue for item in self.items)

    @property
    def overdue_items(self) -> tuple[ReminderItem, ...]:
        return tuple(item for item in self.items if item.overdue)

    @property
    def upcoming_items(self) -> tuple[ReminderItem, ...]:
        return tuple(item for item in self.items if not item.overdue)


@dataclass(frozen=True)
class ReceiptContext:
    """The acknowledgement of one submission, sent in reply to the union's message."""

    union_code: str
    union_name: str
    obligation_key: str
    obligation_title: str
    due_at: datetime
    received_at: datetime  # when the federation's server received this message
    on_time: bool  # judged by the FIRST submission for this obligation
    subject: str  # the union's subject line
    attachments: tuple[str, ...] = ()
    version: int = 1  # 2 and up: a resend
    first_received_at: datetime | None = None  # the first submission, when this is a resend
    federation: Federation = field(default_factory=Federation)


@dataclass(frozen=True)
class BlocFigures(ReportingRates):
    """DHIS2's figures for one obligation and one bloc (or ``bloc="all"``)."""

    bloc: str
    expected: int  # expected reports: owed and not exempt
    on_time: int
    late: int
    missing: int
    pending: int = 0
    exempt: int = 0

    @property
    def title(self) -> str:
        return "Tổng" if self.bloc == "all" else BLOC_TITLES.get(self.bloc, self.bloc)

    @property
    def short_title(self) -> str:
        """For narrow table columns on a phone."""
        return BLOC_SHORT_TITLES.get(self.bloc, self.bloc)

    @property
    def not_submitted(self) -> int:
        """Missing (deadline passed) plus pending (not yet due)."""
        return self.missing + self.pending



@dataclass(frozen=True)
class MissingUnion:
    code: str
    name: str
    bloc: str


@dataclass(frozen=True)
class ObligationDigest:
    """One obligation's week: figures by bloc, who is missing, and last week's totals."""

    key: str
    title: str
    due_at: datetime
    blocs: tuple[BlocFigures, ...]
    missing: tuple[MissingUnion, ...] = ()
    previous_actual: int | None = None  # actual reports one week ago
    previous_on_time: int | None = None

    @property
    def total(self) -> BlocFigures:
        return BlocFigures(
            bloc="all",
            expected=sum(b.expected for b in self.blocs),
            on_time=sum(b.on_time for b in self.blocs),
            late=sum(b.late for b in self.blocs),
            missing=sum(b.missing for b in self.blocs),
            pending=sum(b.pending for b in self.blocs),
            exempt=sum(b.exempt for b in self.blocs),
        )

    @property
    def actual_change(self) -> int | None:
        """Reports received since last week's digest."""
        if self.previous_actual is None:
            return None
        return self.total.actual - self.previous_actual

    @property
    def missing_by_bloc(self) -> list[tuple[str, list[MissingUnion]]]:
        """(bloc title, unions) in the blocs' usual order, empty blocs left out."""
        groups: dict[str, list[MissingUnion]] = {}
        for union in sorted(self.missing, key=lambda u: (u.bloc, u.name)):
            groups.setdefault(union.bloc, []).append(union)
        order = [*BLOC_TITLES, *sorted(set(groups) - set(BLOC_TITLES))]
        return [(BLOC_TITLES.get(b, b), groups[b]) for b in order if b in groups]


@dataclass(frozen=True)
class ArrivedReport:
    """A submission recorded during the digest's period."""

    received_at: datetime
    union_code: str
    union_name: str
    obligation_title: str
    on_time: bool
    version: int = 1


@dataclass(frozen=True)
class DigestContext:
    """The weekly digest for the federation's leadership."""

    generated_at: datetime
    period_start: datetime  # "arrived this week" counts from here
    obligations: tuple[ObligationDigest, ...]
    arrived: tuple[ArrivedReport, ...]
    triage_backlog: int  # messages waiting for a person to place them
    last_fetch_at: datetime | None  # last successful mailbox fetch
    triage_backlog_previous: int | None = None
    triage_oldest_at: datetime | None = None
    list_limit: int = 30  # longer lists are cut (the .xlsx attachment has everything)
    stale_fetch_after: timedelta = timedelta(hours=24)
    federation: Federation = field(default_factory=Federation)

    @property
    def fetch_stale(self) -> bool:
        """No successful fetch for too long: the figures may be missing recent mail."""
        if self.last_fetch_at is None:
            return True
        return self.generated_at - self.last_fetch_at > self.stale_fetch_after

    @property
    def triage_change(self) -> int | None:
        if self.triage_backlog_previous is None:
            return None
        return self.triage_backlog - self.triage_backlog_previous


# -- Vietnamese formatting ------------------------------------------------------------------


class VietnameseFormat:
    """Date, time and number formats as Vietnamese readers expect them, in one time zone."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    def local(self, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} (times must be aware)")
        return value.astimezone(self.tz)

    def day_of(self, value: date | datetime) -> date:
        return self.local(value).date() if isinstance(value, datetime) else value

    def date_str(self, value: date | datetime) -> str:
        """15/03/2021"""
        return f"{self.day_of(value):%d/%m/%Y}"

    def time_str(self, value: datetime) -> str:
        """08:05"""
        return f"{self.local(value):%H:%M}"

    def datetime_str(self, value: datetime) -> str:
        """08:05 ngày 15/03/2021"""
        return f"{self.time_str(value)} ngày {self.date_str(value)}"

    def weekday(self, value: date | datetime) -> str:
        """Thứ Hai .. Chủ nhật"""
        return WEEKDAY_NAMES[self.day_of(value).weekday()]

    def last_day(self, due_at: datetime) -> date:
        """The last local day on time: the day before a midnight deadline."""
        local = self.local(due_at)
        if local.time() == datetime.min.time():
            return local.date() - timedelta(days=1)
        return local.date()

    def deadline(self, due_at: datetime) -> str:
        """trước 00:00 ngày 15/03/2021 (tức hết ngày 14/03/2021, Chủ nhật)"""
        text = f"trước {self.datetime_str(due_at)}"
        if self.local(due_at).time() == datetime.min.time():
            last = self.last_day(due_at)
            text += f" (tức hết ngày {self.date_str(last)}, {self.weekday(last)})"
        return text

    def days_left(self, due_at: datetime, now: datetime) -> int:
        """On-time days left, today included (0 once the deadline passed)."""
        return max(0, (self.last_day(due_at) - self.day_of(now)).days + 1)

    def days_late(self, due_at: datetime, when: datetime) -> int:
        """Days after the last on-time day (0 when on time)."""
        return max(0, (self.day_of(when) - self.last_day(due_at)).days)

    @staticmethod
    def percent(value: float | None, digits: int = 1) -> str:
        """0.853 -> 85,3% (decimal comma); None (nothing expected) -> —"""
        if value is None:
            return "—"
        return f"{value * 100:.{digits}f}".replace(".", ",") + "%"

    @staticmethod
    def signed(value: int | None) -> str:
        """+3, −2, 0; None (no previous figure) -> —"""
        if value is None:
            return "—"
        if value > 0:
            return f"+{value}"
        return f"−{-value}" if value < 0 else "0"


# -- templates ------------------------------------------------------------------------------


def _context_vars(context: object) -> dict[str, Any]:
    """A context dataclass's fields and properties as template variables."""
    if isinstance(context, Mapping):
        return dict(context)
    names = [n for n in dir(context) if not n.startswith("_")]
    values = {n: getattr(context, n) for n in names}
    return {n: v for n, v in values.items() if not callable(v)}


def _template_line(exc: BaseException) -> str:
    """' (file.j2, line 12)' from a rendering traceback, or '' when unknown."""
    where = ""
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f" ({filename}, line {tb.tb_lineno})"
        tb = tb.tb_next
    return where


def _one_line(subject: str) -> str:
    return " ".join(subject.split())


def _tidy_text(text: str) -> str:
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


class Templates:
    """The mail templates: a staff override directory first, then the packaged ones."""

    def __init__(self, directory: Path | None = None, *, tz: ZoneInfo = VN_TZ) -> None:
        if directory is not None and not Path(directory).is_dir():
            raise RenderError(f"template directory {directory} does not exist")
        self.directory = Path(directory) if directory is not None else None
        loaders: list[Any] = [FileSystemLoader(str(directory))] if directory else []
        loaders.append(PackageLoader("config", "templates"))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            undefined=StrictUndefined,
            autoescape=select_autoescape(
                enabled_extensions=("html.j2",), default_for_string=False, default=False
            ),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.format = VietnameseFormat(tz)
        self.env.filters.update(
            vn_date=self.format.date_str,
            vn_time=self.format.time_str,
            vn_datetime=self.format.datetime_str,
            vn_weekday=self.format.weekday,
            vn_deadline=self.format.deadline,
            vn_last_day=lambda due_at: self.format.date_str(self.format.last_day(due_at)),
            days_left=self.format.days_left,
            days_late=self.format.days_late,
            percent=self.format.percent,
            signed=self.format.signed,
        )

    def origin(self, filename: str) -> str:
        """Where a template is read from: the override path, or 'packaged'."""
        if self.directory is not None and (self.directory / filename).is_file():
            return str(self.directory / filename)
        return "packaged"

    def check(self) -> None:
        """Compile every template now, so a broken override stops start-up, not a send."""
        for name in MAIL_NAMES:
            for part in PARTS:
                self._template(f"{name}.{part}.j2")

    def _template(self, filename: str) -> Any:
        try:
            return self.env.get_template(filename)
        except TemplateNotFound as exc:
            raise RenderError(f"template {exc.name} not found (looked in "
                              f"{self.directory or '-'} and the packaged templates)") from None
        except TemplateSyntaxError as exc:
            raise RenderError(f"template {filename} ({self.origin(filename)}), line "
                              f"{exc.lineno}: {exc.message}") from None

    def _render_part(self, filename: str, variables: Mapping[str, Any]) -> str:
        template = self._template(filename)
        try:
            return str(template.render(variables))
        except (TemplateError, ValueError, TypeError) as exc:
            raise RenderError(f"template {filename} ({self.origin(filename)})"
                              f"{_template_line(exc)}: {exc}") from exc

    def render(self, name: str, context: object) -> RenderedMail:
        """Render ``<name>.subject.j2``, ``.txt.j2`` and ``.html.j2`` with one context."""
        variables = _context_vars(context)
        subject = _one_line(self._render_part(f"{name}.subject.j2", variables))
        if not subject:
            raise RenderError(f"template {name}.subject.j2 rendered an empty subject")
        text = _tidy_text(self._render_part(f"{name}.txt.j2", variables))
        html = self._render_part(f"{name}.html.j2", variables)
        return RenderedMail(subject=subject, text=text, html=html)
