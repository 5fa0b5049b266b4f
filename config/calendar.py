"""The obligations calendar: which reports every union owes, and the exact instant each is late.

The calendar is data (``config/data/calendar.toml``) read into a :class:`Calendar`: rules
that hold for any year.  A recurring rule (``report-{year}-q1``) yields one obligation for
every year from the calendar's first year on, with no end: the obligations of 2026 exist as
soon as mail or a clock reaches 2026, without editing the file.  One-off obligations
(``dvk-2021``) keep their own date.  Deadlines are computed in the federation's local time
zone and then kept as aware UTC instants, so "before 00:00 +07:00 on 15/03" never drifts by
the seven hours that a naive UTC date would cost.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

BLOCS: tuple[str, ...] = ("hcsn", "dn", "th")
BLOC_TITLES: dict[str, str] = {
    "hcsn": "Khối hành chính sự nghiệp",
    "dn": "Khối doanh nghiệp",
    "th": "Khối trường học",
}
PERIODS: tuple[str, ...] = ("q1", "h1", "q3", "y")
DEFAULT_FIRST_YEAR = 2020  # the 2020 annual report, arriving Dec 2020 / Jan 2021, is placed
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
YEAR_FIELD = "{year}"


class CalendarError(ValueError):
    """The calendar file is malformed; the message names the entry and the problem."""


@dataclass(frozen=True)
class ObligationSpec:
    """One obligation of the plan, e.g. ``report-2021-q1``."""

    key: str
    kind: str  # "dvk" (model registration) or "report"
    year: int
    title: str
    deadline_text: str
    late_from_local: date  # first local day on which a submission is late
    due_at: datetime  # aware UTC: received strictly before this instant is on time
    period: str | None = None  # q1 | h1 | q3 | y for reports
    blocs: tuple[str, ...] = BLOCS
    keywords: tuple[str, ...] = field(default_factory=tuple)

    @property
    def last_day(self) -> date:
        """The last local day on which a submission is still on time."""
        return self.late_from_local - timedelta(days=1)

    def owed_by(self, bloc: str, active_from: date | None) -> bool:
        """A union owes this if it is in one of its blocs and existed before the deadline."""
        if bloc not in self.blocs:
            return False
        return active_from is None or active_from <= self.last_day

    def is_on_time(self, received_at: datetime) -> bool:
        return received_at < self.due_at


def local_midnight_utc(day: date, tz: ZoneInfo) -> datetime:
    """00:00 local on ``day``, as an aware UTC datetime."""
    return datetime.combine(day, time(0, 0), tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class RecurringRule:
    """A ``[[recurring]]`` entry: one obligation per year, its texts templated on ``{year}``."""

    key: str  # e.g. "report-{year}-q1"
    kind: str
    title: str
    deadline_text: str
    month: int  # late_from, in the obligation's own year
    day: int
    period: str | None = None
    blocs: tuple[str, ...] = BLOCS
    keywords: tuple[str, ...] = ()

    def spec(self, year: int, tz: ZoneInfo) -> ObligationSpec:
        return _rule_spec(self, year, tz)

    def _make(self, year: int, tz: ZoneInfo) -> ObligationSpec:
        late_from = date(year, self.month, self.day)
        fmt = {"year": year}
        return ObligationSpec(
            key=self.key.format(**fmt), kind=self.kind, year=year,
            title=self.title.format(**fmt), deadline_text=self.deadline_text.format(**fmt),
            late_from_local=late_from, due_at=local_midnight_utc(late_from, tz),
            period=self.period, blocs=self.blocs, keywords=self.keywords)

    def year_of(self, key: str) -> int | None:
        """The year a key of this rule names ("report-2026-q1" -> 2026), else None."""
        head, _, tail = self.key.partition(YEAR_FIELD)
        if not (key.startswith(head) and key.endswith(tail)):
            return None
        middle = key[len(head):len(key) - len(tail)]
        return int(middle) if re.fullmatch(r"\d{4}", middle) else None


@lru_cache(maxsize=4096)
def _rule_spec(rule: RecurringRule, year: int, tz: ZoneInfo) -> ObligationSpec:
    """A rule's obligation of one year; cached, since the rules ask for the same few often."""
    return rule._make(year, tz)


def _as_year(value: datetime | date | int, tz: ZoneInfo) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"an aware datetime is needed, got naive {value.isoformat()}")
        return value.astimezone(tz).year
    return value.year


@dataclass(frozen=True)
class Calendar:
    """Every obligation of every year, as rules; immutable and picklable (it goes to workers).

    A year's recurring obligations exist from ``first_year`` on, for any later year; one-off
    obligations exist with their own date, whatever the year.  Nothing here is a list of
    years to keep up to date.
    """

    first_year: int = DEFAULT_FIRST_YEAR
    timezone: str = DEFAULT_TIMEZONE
    one_offs: tuple[ObligationSpec, ...] = ()
    rules: tuple[RecurringRule, ...] = ()

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _exemplars(self) -> tuple[ObligationSpec, ...]:
        return self.one_offs + tuple(r.spec(self.first_year, self.tz) for r in self.rules)

    def __getstate__(self) -> dict[str, Any]:
        # only the fields travel; what is cached (zone, exemplars) is rebuilt on the other side
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def year_of(self, instant: datetime | date | int) -> int:
        """The local year of an aware instant (a date or a year is taken as it is)."""
        return _as_year(instant, self.tz)

    def spec(self, key: str) -> ObligationSpec | None:
        """The obligation named ``key`` (of any year from the first year), else None."""
        for spec in self.one_offs:
            if spec.key == key:
                return spec
        for rule in self.rules:
            year = rule.year_of(key)
            if year is not None and year >= self.first_year:
                return rule.spec(year, self.tz)
        return None

    def find(self, kind: str, period: str | None, year: int) -> ObligationSpec | None:
        """The obligation of this kind and period for ``year`` (a one-off first), else None."""
        for spec in self.one_offs:
            if spec.kind == kind and spec.period == period and spec.year == year:
                return spec
        if year < self.first_year:
            return None
        for rule in self.rules:
            if rule.kind == kind and rule.period == period:
                return rule.spec(year, self.tz)
        return None

    def exemplars(self) -> tuple[ObligationSpec, ...]:
        """One obligation of each kind the calendar knows: the one-offs and each rule once.

        For what does not depend on the year (kind, period, keywords, deadline day).
        """
        return self._exemplars

    def specs_for_years(self, years: Iterable[int]) -> list[ObligationSpec]:
        """The obligations of these years, sorted by deadline then key."""
        wanted = set(years)
        specs = [s for s in self.one_offs if s.year in wanted]
        specs += [r.spec(y, self.tz) for y in sorted(wanted) if y >= self.first_year
                  for r in self.rules]
        return sorted(specs, key=lambda s: (s.due_at, s.key))

    def years_until(self, instant: datetime | date | int) -> range:
        """The years of recurring obligations made by ``instant``: first year .. its year."""
        return range(self.first_year, self.year_of(instant) + 1)

    def specs_until(self, instant: datetime | date | int) -> list[ObligationSpec]:
        """Every obligation that exists at ``instant``: each year's up to its local year,
        and every one-off (listed with its own date, so known ahead of its year)."""
        years = set(self.years_until(instant)) | {s.year for s in self.one_offs}
        return self.specs_for_years(years)

    def years_around(self, instant: datetime | date | int) -> list[int]:
        """The years a message received at ``instant`` may report on: the year before, its
        own and the next (a report of last year arrives in January; a plan in December)."""
        year = self.year_of(instant)
        return [y for y in (year - 1, year, year + 1)
                if y >= self.first_year or any(s.year == y for s in self.one_offs)]

    def status_years(self, instant: datetime | date | int) -> list[int]:
        """The years ``ldl status`` shows by default: the year of ``instant`` and the one
        before, whose annual report and late reports are still being collected."""
        year = self.year_of(instant)
        return [year - 1, year]


# ---------------------------------------------------------------- reading the file


def _blocs(entry: dict[str, Any], where: str) -> tuple[str, ...]:
    blocs = entry.get("blocs") or list(BLOCS)
    bad = [b for b in blocs if b not in BLOCS]
    if bad:
        raise CalendarError(f"{where}: unknown bloc(s) {bad}; allowed: {', '.join(BLOCS)}")
    return tuple(blocs)


def _require(entry: dict[str, Any], where: str) -> None:
    for required in ("key", "kind", "title"):
        if required not in entry:
            raise CalendarError(f"{where}: missing '{required}'")


def _text(entry: dict[str, Any], name: str, where: str, year: int) -> str:
    """A text field, checked to format with ``{year}`` (and nothing else)."""
    value = str(entry.get(name, ""))
    try:
        value.format(year=year)
    except (KeyError, IndexError, ValueError) as exc:
        raise CalendarError(f"{where}: {name} {value!r} cannot be formatted: only "
                            f"{YEAR_FIELD} may be substituted ({exc!r})") from None
    return value


def _one_off(entry: dict[str, Any], tz: ZoneInfo, where: str) -> ObligationSpec:
    _require(entry, where)
    late_from = entry.get("late_from")
    if not isinstance(late_from, date) or isinstance(late_from, datetime):
        raise CalendarError(f"{where}: 'late_from' must be a date such as 2021-02-23")
    year = int(entry.get("year", late_from.year))
    fmt = {"year": year}
    return ObligationSpec(
        key=_text(entry, "key", where, year).format(**fmt), kind=str(entry["kind"]),
        year=year, title=_text(entry, "title", where, year).format(**fmt),
        deadline_text=_text(entry, "deadline_text", where, year).format(**fmt),
        late_from_local=late_from, due_at=local_midnight_utc(late_from, tz),
        period=entry.get("period"), blocs=_blocs(entry, where),
        keywords=tuple(entry.get("keywords", ())))


def _rule(entry: dict[str, Any], where: str) -> RecurringRule:
    _require(entry, where)
    key = str(entry["key"])
    if key.count(YEAR_FIELD) != 1:
        raise CalendarError(f"{where}: a recurring key must contain {YEAR_FIELD} once, "
                            f"e.g. report-{YEAR_FIELD}-q1")
    lf = entry.get("late_from")
    if not (isinstance(lf, dict) and {"month", "day"} <= lf.keys()):
        raise CalendarError(f"{where}: 'late_from' must be {{ month = M, day = D }}")
    month, day = int(lf["month"]), int(lf["day"])
    try:
        date(2001, month, day)  # a common year: the day must exist in every year
    except ValueError as exc:
        raise CalendarError(f"{where}: late_from {month}/{day} is not a day of every year "
                            f"({exc})") from None
    return RecurringRule(
        key=_text(entry, "key", where, 2001), kind=str(entry["kind"]),
        title=_text(entry, "title", where, 2001),
        deadline_text=_text(entry, "deadline_text", where, 2001), month=month, day=day,
        period=entry.get("period"), blocs=_blocs(entry, where),
        keywords=tuple(entry.get("keywords", ())))


def _first_year(data: dict[str, Any], first_year: int | None) -> int:
    """The override, else the file's ``first_year``, else min of its deprecated ``years``."""
    if first_year is not None:
        return int(first_year)
    if "first_year" in data:
        return int(data["first_year"])
    years = data.get("years")
    if years:
        return min(int(y) for y in years)
    return DEFAULT_FIRST_YEAR


def build_calendar(data: dict[str, Any], first_year: int | None = None) -> Calendar:
    """Turn a parsed calendar document into a :class:`Calendar` (checked, never partial)."""
    timezone = str(data.get("timezone", DEFAULT_TIMEZONE))
    try:
        tz = ZoneInfo(timezone)
    except (KeyError, ValueError) as exc:
        raise CalendarError(f"unknown timezone {timezone!r} ({exc})") from None
    start = _first_year(data, first_year)
    one_offs = tuple(
        _one_off(entry, tz, f"obligation #{i} ({entry.get('key', '?')})")
        for i, entry in enumerate(data.get("obligation", []), start=1))
    rules = tuple(
        _rule(entry, f"recurring #{i} ({entry.get('key', '?')})")
        for i, entry in enumerate(data.get("recurring", []), start=1))
    keys = [s.key for s in one_offs] + [r.key for r in rules]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    clash = sorted(s.key for s in one_offs for r in rules
                   if (y := r.year_of(s.key)) is not None and y >= start)
    if dupes or clash:
        raise CalendarError(f"duplicate obligation keys: {', '.join(dupes + clash)}")
    return Calendar(first_year=start, timezone=timezone,
                    one_offs=tuple(sorted(one_offs, key=lambda s: (s.due_at, s.key))),
                    rules=rules)


def load_calendar(path: Path | None = None, first_year: int | None = None) -> Calendar:
    """Load the calendar file (the packaged preset when ``path`` is None)."""
    if path is None:
        text = resources.files("config").joinpath("data/calendar.toml").read_text("utf-8")
        where = "built-in calendar"
    else:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise CalendarError(f"cannot read calendar {path}: {exc.strerror}") from None
        where = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarError(f"{where}: {exc}") from None
    try:
        return build_calendar(data, first_year)
    except CalendarError as exc:
        raise CalendarError(f"{where}: {exc}") from None
