"""When a message reached the federation, for messages read from files.

On time is judged by when the federation's server received a report, not by the Date: the
sender's computer wrote (clocks are wrong, drafts are sent days later).  IMAP gives
INTERNALDATE; a message read from a file (.eml export, mbox, Maildir) only has its
headers, so the topmost ``Received:`` header (added by the last server, i.e. ours or
Gmail's) is the best witness, then ``Date:``, then the file's modification time.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone

from ingest.headers import header_map

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_RFC_LIKE_RE = re.compile(
    r"(\d{1,2})[\s-]+([A-Za-z]{3})[a-z]*[\s-]+(\d{2,4})[\sT,]+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\.\d+)?\s*(?:([+-])(\d{2}):?(\d{2})|(UT|UTC|GMT|Z)\b)?")
_ISO_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*"
    r"(?:([+-])(\d{2}):?(\d{2})|(Z|UTC|GMT)\b)?")


def _aware_utc(value: datetime) -> datetime:
    """Naive values are taken as UTC (RFC 5322's "-0000": no zone information)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _from_groups(year: int, month: int, day: int, hour: int, minute: int, second: int,
                 sign: str | None, off_h: str | None, off_m: str | None) -> datetime | None:
    if year < 100:
        year += 2000 if year < 50 else 1900
    try:
        offset = timedelta(hours=int(off_h or 0), minutes=int(off_m or 0))
        tz = timezone(-offset if sign == "-" else offset)
        return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=tz)
    except (ValueError, OverflowError):
        return None


def _regex_date(value: str) -> datetime | None:
    """Last resort for dates the stdlib refuses (missing weekday commas, ISO stamps, junk)."""
    match = _RFC_LIKE_RE.search(value)
    if match and match.group(2).lower()[:3] in _MONTHS:
        day, mon, year, hour, minute, sec, sign, off_h, off_m, _z = match.groups()
        return _from_groups(int(year), _MONTHS[mon.lower()[:3]], int(day), int(hour),
                            int(minute), int(sec or 0), sign, off_h, off_m)
    match = _ISO_RE.search(value)
    if match:
        year, mon, day, hour, minute, sec, sign, off_h, off_m, _z = match.groups()
        return _from_groups(int(year), int(mon), int(day), int(hour), int(minute),
                            int(sec or 0), sign, off_h, off_m)
    return None


def parse_date(value: str | None) -> datetime | None:
    """An RFC 5322 date (or something close) as aware UTC; None when nothing sensible is found.

    Never raises: header values are written by anyone.
    """
    if not value or not value.strip():
        return None
    text = " ".join(value.split())
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed = None
    if parsed is None:
        parsed = _regex_date(text)
    if parsed is None:
        return None
    try:
        return _aware_utc(parsed)
    except (ValueError, OverflowError):
        return None


def _plausible(value: datetime | None, now: datetime) -> bool:
    return value is not None and datetime(1990, 1, 1, tzinfo=UTC) <= value <= now + timedelta(
        days=1)


def _values(headers: Mapping[str, Sequence[str]], name: str) -> list[str]:
    out: list[str] = []
    for key, values in headers.items():
        if key.lower() == name:
            out.extend([values] if isinstance(values, str) else [str(v) for v in values])
    return out


def received_time(headers: Mapping[str, Sequence[str]], fallback_mtime: datetime | None = None,
                  *, now: datetime | None = None) -> tuple[datetime, str]:
    """When the message was received, as aware UTC, and which source said so.

    ``headers`` maps header names (any case) to their values in message order, as
    :attr:`MessageDoc.headers` does.  Sources, first usable wins:

    * ``"received"``: the date after the last ';' of the topmost Received: header; when that
      one has no usable date, the next Received: header down (one hop later is still a far
      better estimate than the sender's clock);
    * ``"date"``: the Date: header;
    * ``"mtime"``: ``fallback_mtime`` (a naive value is taken as local time, as
      ``datetime.fromtimestamp`` gives it);
    * ``"now"``: nothing else was usable.

    A date before 1990 or more than a day in the future is treated as garbage.
    """
    now = _aware_utc(now) if now else datetime.now(UTC)
    for value in _values(headers, "received"):
        if ";" not in value:
            continue
        stamp = parse_date(value.rsplit(";", 1)[1])
        if stamp is not None and _plausible(stamp, now):
            return stamp, "received"
    for value in _values(headers, "date"):
        stamp = parse_date(value)
        if stamp is not None and _plausible(stamp, now):
            return stamp, "date"
    if fallback_mtime is not None:
        mtime = fallback_mtime.astimezone(UTC)  # naive: local time
        return mtime, "mtime"
    return now, "now"


def received_time_from_bytes(raw: bytes, fallback_mtime: datetime | None = None,
                             *, now: datetime | None = None) -> tuple[datetime, str]:
    """:func:`received_time` for a raw message, reading only its header block."""
    try:  # header_map reads at most MAX_HEADER_LINES fields: bounded work
        headers = header_map(raw)
    except Exception:  # a header block this broken has no dates either
        headers = {}
    return received_time(headers, fallback_mtime, now=now)
