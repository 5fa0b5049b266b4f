"""When to remind a union about an obligation: the reminder policy as data, and pure timing.

The policy (``config/data/reminders.toml``) lists *stages* relative to each deadline and a
*sending window* (working days and hours, holidays).  This module turns an obligation into
the moments its stages fall due and answers "may we send now?".  It knows nothing about the
database: who is still missing a report, and which stages were already sent (by their
:func:`dedup_key`), is the caller's business.

The rules, in one place:

* A stage's moment is ``day`` calendar days from the deadline day (the first local day on
  which a report is late) at the local time ``at``.  On a closed day (weekend, holiday) it
  moves to the previous working day (``if_closed = "earlier"``) or the next one
  (``"later"``).
* A stage is due from its moment until it is sent, except that a "before" stage (``day <
  0``) expires when the deadline passes, and any stage expires ``stale_after_days`` after
  its moment.
* Only the most recent due stage is ever sent for one (union, obligation); every other
  stage whose moment has passed and that was not sent is *superseded* (:func:`decide_stage`)
  and never sent later.  A daemon that was down for a month sends one reminder, not
  before-7, before-2 and after-1 in a burst.
* Mail goes out only inside the window (:func:`in_window`); outside it, due stages wait for
  :func:`next_window_open`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from config.calendar import ObligationSpec

IfClosed = Literal["earlier", "later"]

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
#: How far :func:`next_window_open` and the closed-day shifts look before giving up.
SEARCH_DAYS = 400


class PolicyError(ValueError):
    """The reminder policy is malformed; the message names the file, the key and the value."""


@dataclass(frozen=True)
class Stage:
    """One reminder stage, e.g. ``before-2``: two days before the deadline at 08:00."""

    name: str
    day: int  # calendar days from the deadline day (the first late day); < 0 is before
    at: time
    if_closed: IfClosed

    @property
    def is_before(self) -> bool:
        """A "before" stage warns of a coming deadline, so it is pointless once it passed."""
        return self.day < 0


@dataclass(frozen=True)
class Holiday:
    name: str
    first: date
    last: date

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


@dataclass(frozen=True)
class SendingWindow:
    weekdays: frozenset[int]  # 0 = Monday, as date.weekday()
    start: time  # included
    end: time  # excluded


@dataclass(frozen=True)
class ReminderPolicy:
    """The whole policy; build it with :meth:`load` or :meth:`from_dict`."""

    tz: ZoneInfo
    stages: tuple[Stage, ...]
    window: SendingWindow
    holidays: tuple[Holiday, ...] = ()
    working_days: frozenset[date] = frozenset()  # weekend days worked in exchange
    stale_after: timedelta = timedelta(days=7)
    source: str = "built-in policy"

    @classmethod
    def load(cls, path: Path | None = None) -> ReminderPolicy:
        """Read the policy file, or the packaged default when ``path`` is None."""
        if path is None:
            text = resources.files("config").joinpath("data/reminders.toml").read_text("utf-8")
            return cls.from_toml(text, "built-in reminders.toml")
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise PolicyError(f"cannot read reminder policy {path}: {exc.strerror}") from None
        return cls.from_toml(text, str(path))

    @classmethod
    def from_toml(cls, text: str, source: str = "reminder policy") -> ReminderPolicy:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError(f"{source}: not valid TOML: {exc}") from None
        return cls.from_dict(data, source)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "reminder policy") -> ReminderPolicy:
        return _Parser(source).policy(data)

    @cached_property
    def holiday_dates(self) -> frozenset[date]:
        return frozenset(d for h in self.holidays for d in h.days())

    def stage(self, name: str) -> Stage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(f"no reminder stage named {name!r} in {self.source}")

    def is_working_day(self, day: date) -> bool:
        """Mon-Fri (per the window) unless a holiday; a listed working day always counts."""
        if day in self.working_days:
            return True
        return day.weekday() in self.window.weekdays and day not in self.holiday_dates


# -- loading --------------------------------------------------------------------------------


class _Parser:
    """Turns parsed TOML into a policy, naming the file, key and value in every error."""

    TOP_KEYS = frozenset(
        {"timezone", "stale_after_days", "window", "stage", "holiday", "working_days"}
    )

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> PolicyError:
        return PolicyError(f"{self.source}: {where}: {message}")

    def check_keys(self, table: Mapping[str, Any], allowed: Collection[str], where: str) -> None:
        unknown = sorted(set(table) - set(allowed))
        if unknown:
            raise self.fail(where, f"unknown key(s) {', '.join(unknown)}; "
                                   f"allowed: {', '.join(sorted(allowed))}")

    def policy(self, data: Mapping[str, Any]) -> ReminderPolicy:
        self.check_keys(data, self.TOP_KEYS, "top level")
        window = self.window(data.get("window"))
        stages = self.stages(data.get("stage"), window)
        return ReminderPolicy(
            tz=self.timezone(data.get("timezone", "Asia/Ho_Chi_Minh")),
            stages=stages,
            window=window,
            holidays=self.holidays(data.get("holiday", [])),
            working_days=self.working_days(data.get("working_days", [])),
            stale_after=self.stale_after(data.get("stale_after_days", 7)),
            source=self.source,
        )

    def timezone(self, value: Any) -> ZoneInfo:
        try:
            return ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail("timezone", f"{value!r} is not an IANA time zone "
                                        "such as Asia/Ho_Chi_Minh") from None

    def stale_after(self, value: Any) -> timedelta:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail("stale_after_days", f"{value!r} must be a whole number of days >= 1")
        return timedelta(days=value)

    def clock(self, value: Any, where: str) -> time:
        if isinstance(value, time):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value):
            hour, minute = (int(p) for p in value.split(":"))
            if hour < 24 and minute < 60:
                return time(hour, minute)
        raise self.fail(where, f"{value!r} must be a local time such as \"07:30\"")

    def window(self, table: Any) -> SendingWindow:
        if not isinstance(table, dict):
            raise self.fail("window", "the [window] table is required (days, start, end)")
        self.check_keys(table, {"days", "start", "end"}, "window")
        days = table.get("days")
        if not isinstance(days, list) or not days:
            raise self.fail("window.days", f"{days!r} must be a list such as [\"mon\", \"tue\"]")
        bad = [d for d in days if d not in WEEKDAYS]
        if bad:
            raise self.fail("window.days", f"unknown day(s) {bad}; use {', '.join(WEEKDAYS)}")
        start = self.clock(table.get("start"), "window.start")
        end = self.clock(table.get("end"), "window.end")
        if not start < end:
            raise self.fail("window", f"start {start:%H:%M} must be before end {end:%H:%M}")
        return SendingWindow(frozenset(WEEKDAYS.index(d) for d in days), start, end)

    def stages(self, entries: Any, window: SendingWindow) -> tuple[Stage, ...]:
        if not isinstance(entries, list) or not entries:
            raise self.fail("stage", "at least one [[stage]] is required")
        stages = tuple(self.stage(e, i, window) for i, e in enumerate(entries, start=1))
        names = [s.name for s in stages]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise self.fail("stage", f"duplicate stage name(s) {', '.join(dupes)}")
        for prev, cur in zip(stages, stages[1:], strict=False):
            if cur.day <= prev.day:
                raise self.fail(f"stage {cur.name}",
                                f"day = {cur.day} must be later than {prev.name}'s day = "
                                f"{prev.day} (list the stages in order)")
        return stages

    def stage(self, entry: Any, index: int, window: SendingWindow) -> Stage:
        where = f"stage #{index}"
        if not isinstance(entry, dict):
            raise self.fail(where, "must be a [[stage]] table")
        self.check_keys(entry, {"name", "day", "at", "if_closed"}, where)
        name = entry.get("name")
        if not isinstance(name, str) or not STAGE_NAME.match(name):
            raise self.fail(f"{where} name", f"{name!r} must be lower-case letters, digits and "
                                             "'-' (it is part of the outbox key)")
        where = f"stage #{index} ({name})"
        day = entry.get("day")
        if isinstance(day, bool) or not isinstance(day, int):
            raise self.fail(f"{where} day", f"{day!r} must be a whole number of days")
        at = self.clock(entry.get("at", window.start), f"{where} at")
        if not window.start <= at < window.end:
            raise self.fail(f"{where} at", f"{at:%H:%M} is outside the sending window "
                                           f"{window.start:%H:%M}-{window.end:%H:%M}")
        if_closed = entry.get("if_closed", "earlier" if day < 0 else "later")
        if if_closed not in ("earlier", "later"):
            raise self.fail(f"{where} if_closed", f"{if_closed!r} must be \"earlier\" or "
                                                  "\"later\"")
        return Stage(name=name, day=day, at=at, if_closed=if_closed)

    def holidays(self, entries: Any) -> tuple[Holiday, ...]:
        if not isinstance(entries, list):
            raise self.fail("holiday", "must be a list of [[holiday]] tables")
        return tuple(self.holiday(e, i) for i, e in enumerate(entries, start=1))

    def holiday(self, entry: Any, index: int) -> Holiday:
        where = f"holiday #{index}"
        if not isinstance(entry, dict):
            raise self.fail(where, "must be a [[holiday]] table with name, from and to")
        self.check_keys(entry, {"name", "from", "to"}, where)
        where = f"holiday #{index} ({entry.get('name', '?')})"
        first = entry.get("from")
        last = entry.get("to", first)
        for key, value in (("from", first), ("to", last)):
            if not isinstance(value, date) or isinstance(value, datetime):
                raise self.fail(f"{where} {key}", f"{value!r} must be a date such as 2021-02-10")
        assert isinstance(first, date) and isinstance(last, date)
        if last < first:
            raise self.fail(where, f"to = {last} is before from = {first}")
        return Holiday(str(entry.get("name", "")), first, last)

    def working_days(self, values: Any) -> frozenset[date]:
        if not isinstance(values, list):
            raise self.fail("working_days", f"{values!r} must be a list of dates")
        for value in values:
            if not isinstance(value, date) or isinstance(value, datetime):
                raise self.fail("working_days", f"{value!r} must be a date such as 2022-01-08")
        return frozenset(values)


# -- timing ---------------------------------------------------------------------------------


def dedup_key(union_code: str, obligation_key: str, stage: str) -> str:
    """The outbox key that makes a stage go out at most once per union and obligation."""
    return f"remind:{union_code}:{obligation_key}:{stage}"


def deadline_day(spec: ObligationSpec) -> date:
    """The first local day on which a report is late (day 0 of the stages)."""
    return spec.last_day + timedelta(days=1)


def _shift_to_working_day(day: date, policy: ReminderPolicy, direction: IfClosed) -> date:
    step = timedelta(days=-1 if direction == "earlier" else 1)
    for _ in range(SEARCH_DAYS):
        if policy.is_working_day(day):
            return day
        day += step
    raise PolicyError(f"{policy.source}: no working day within {SEARCH_DAYS} days of {day}")


def stage_moments(
    spec: ObligationSpec, policy: ReminderPolicy, tz: tzinfo | None = None
) -> list[tuple[str, datetime]]:
    """Each stage of ``spec`` with the aware local moment from which it is due, in order.

    A "before" stage that a closed-day shift pushed to or past the deadline is left out:
    it would announce days that are no longer left.
    """
    zone = tz or policy.tz
    day0 = deadline_day(spec)
    moments: list[tuple[str, datetime]] = []
    for stage in policy.stages:
        day = _shift_to_working_day(day0 + timedelta(days=stage.day), policy, stage.if_closed)
        moment = datetime.combine(day, stage.at, tzinfo=zone)
        if stage.is_before and moment >= spec.due_at:
            continue
        moments.append((stage.name, moment))
    return moments


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be an aware datetime, got naive {now.isoformat()}")


def due_stages(spec: ObligationSpec, now: datetime, policy: ReminderPolicy) -> list[str]:
    """The stages due at ``now``, oldest first (whether or not already sent).

    Callers send at most the LAST one: use :func:`decide_stage`, never "filter the sent
    ones and send the rest".
    """
    _require_aware(now)
    due: list[tuple[datetime, int, str]] = []
    for index, (name, moment) in enumerate(stage_moments(spec, policy)):
        if not moment <= now < moment + policy.stale_after:
            continue
        if policy.stage(name).is_before and now >= spec.due_at:
            continue
        due.append((moment, index, name))
    return [name for _, _, name in sorted(due)]


@dataclass(frozen=True)
class StageDecision:
    """What to do now for one (union, obligation)."""

    send: str | None  # the stage to send now, if any
    # stages whose moment has passed, never sent, and now never to be sent: older due
    # stages, "before" stages after the deadline, stale ones; record them as superseded
    superseded: tuple[str, ...] = ()


def decide_stage(
    spec: ObligationSpec, now: datetime, policy: ReminderPolicy, sent: Collection[str]
) -> StageDecision:
    """Send only the most recent due stage; every other passed, unsent stage is superseded.

    ``sent`` holds the stage names already sent (or recorded as superseded) for this union
    and obligation.  Nothing is sent when the latest due stage, or any later stage, was
    already sent: a resend never goes back in time.
    """
    due = due_stages(spec, now, policy)
    order = [s.name for s in policy.stages]
    send: str | None = due[-1] if due else None
    if send is not None and any(s in order and order.index(s) >= order.index(send)
                                for s in sent):
        send = None
    passed = [name for name, moment in stage_moments(spec, policy) if moment <= now]
    superseded = tuple(s for s in passed if s not in sent and s != send)
    return StageDecision(send, superseded)


def in_window(now: datetime, policy: ReminderPolicy) -> bool:
    """True on a working day between the window's start (included) and end (excluded)."""
    _require_aware(now)
    local = now.astimezone(policy.tz)
    clock = local.time().replace(tzinfo=None)
    return (
        policy.is_working_day(local.date())
        and policy.window.start <= clock < policy.window.end
    )


def next_window_open(now: datetime, policy: ReminderPolicy) -> datetime:
    """``now`` itself when the window is open, else the next opening (aware, local time)."""
    _require_aware(now)
    if in_window(now, policy):
        return now
    local = now.astimezone(policy.tz)
    day = local.date()
    if local.time().replace(tzinfo=None) >= policy.window.start:
        day += timedelta(days=1)
    opening = _shift_to_working_day(day, policy, "later")
    return datetime.combine(opening, policy.window.start, tzinfo=policy.tz)
