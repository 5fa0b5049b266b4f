"""The obligations calendar: which reports every union owes, and the exact instant each is late.

The calendar is data (``config/data/calendar.toml``); this module only turns it into
:class:`ObligationSpec` values.  Deadlines are computed in the federation's local time zone
and then kept as aware UTC instants, so "before 00:00 +07:00 on 15/03" never drifts by the
seven hours that a naive UTC date would cost.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
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


def _blocs(entry: dict[str, Any], where: str) -> tuple[str, ...]:
    blocs = entry.get("blocs") or list(BLOCS)
    bad = [b for b in blocs if b not in BLOCS]
    if bad:
        raise CalendarError(f"{where}: unknown bloc(s) {bad}; allowed: {', '.join(BLOCS)}")
    return tuple(blocs)


def _spec(entry: dict[str, Any], year: int, late_from: date, tz: ZoneInfo,
          where: str) -> ObligationSpec:
    for required in ("key", "kind", "title"):
        if required not in entry:
            raise CalendarError(f"{where}: missing '{required}'")
    fmt = {"year": year}
    return ObligationSpec(
        key=str(entry["key"]).format(**fmt),
        kind=str(entry["kind"]),
        year=year,
        title=str(entry["title"]).format(**fmt),
        deadline_text=str(entry.get("deadline_text", "")).format(**fmt),
        late_from_local=late_from,
        due_at=local_midnight_utc(late_from, tz),
        period=entry.get("period"),
        blocs=_blocs(entry, where),
        keywords=tuple(entry.get("keywords", ())),
    )


def build_calendar(data: dict[str, Any],
                   years: Iterable[int] | None = None) -> list[ObligationSpec]:
    """Expand a parsed calendar document into obligations, sorted by deadline then key."""
    tz = ZoneInfo(str(data.get("timezone", "Asia/Ho_Chi_Minh")))
    wanted = sorted(set(years if years is not None else data.get("years", [])))
    specs: list[ObligationSpec] = []
    for i, entry in enumerate(data.get("obligation", []), start=1):
        where = f"obligation #{i} ({entry.get('key', '?')})"
        late_from = entry.get("late_from")
        if not isinstance(late_from, date):
            raise CalendarError(f"{where}: 'late_from' must be a date such as 2021-02-23")
        specs.append(_spec(entry, int(entry.get("year", late_from.year)), late_from, tz, where))
    for i, rule in enumerate(data.get("recurring", []), start=1):
        where = f"recurring #{i} ({rule.get('key', '?')})"
        lf = rule.get("late_from")
        if not (isinstance(lf, dict) and {"month", "day"} <= lf.keys()):
            raise CalendarError(f"{where}: 'late_from' must be {{ month = M, day = D }}")
        for year in wanted:
            try:
                day = date(year, int(lf["month"]), int(lf["day"]))
            except ValueError as exc:
                raise CalendarError(f"{where}: {exc}") from None
            specs.append(_spec(rule, year, day, tz, where))
    keys = [s.key for s in specs]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise CalendarError(f"duplicate obligation keys: {', '.join(dupes)}")
    return sorted(specs, key=lambda s: (s.due_at, s.key))


def load_calendar(path: Path | None = None,
                  years: Sequence[int] | None = None) -> list[ObligationSpec]:
    """Load the calendar file (the packaged 2021 preset when ``path`` is None)."""
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
    return build_calendar(data, years)
