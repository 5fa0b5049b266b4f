"""received_time: which witness of the receipt time wins, and garbage never does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ingest.parse import parse_message
from ingest.received import parse_date, received_time, received_time_from_bytes
from tests.ingest.builders import build_message

NOW = datetime(2021, 6, 1, tzinfo=UTC)
MTIME = datetime(2021, 3, 20, 8, 0, tzinfo=UTC)
TOP = ("from mail-sor-f41.google.com by mx.google.com with SMTPS id x1;\r\n"
       "        Wed, 10 Mar 2021 19:02:11 -0800 (PST)")
LOWER = "from [10.0.0.5] by smtp.gmail.com with ESMTPSA; Wed, 10 Mar 2021 09:00:00 +0700"
DATE = "Mon, 8 Mar 2021 07:30:00 +0700"


def test_topmost_received_wins_over_date_and_mtime() -> None:
    headers = {"received": [TOP, LOWER], "date": [DATE]}
    when, source = received_time(headers, MTIME, now=NOW)
    assert (when, source) == (datetime(2021, 3, 11, 3, 2, 11, tzinfo=UTC), "received")
    assert when.tzinfo is UTC


def test_received_without_usable_date_falls_to_the_next_received() -> None:
    headers = {"Received": ["from x by y; not a date at all", "from a by b", LOWER],
               "Date": [DATE]}
    assert received_time(headers, MTIME, now=NOW) == (
        datetime(2021, 3, 10, 2, 0, tzinfo=UTC), "received")


def test_date_when_no_received() -> None:
    assert received_time({"date": [DATE]}, MTIME, now=NOW) == (
        datetime(2021, 3, 8, 0, 30, tzinfo=UTC), "date")


def test_mtime_when_headers_are_garbage() -> None:
    headers = {"received": ["garbage; 99 Foo 20x1"], "date": ["yesterday-ish"]}
    assert received_time(headers, MTIME, now=NOW) == (MTIME, "mtime")


def test_naive_mtime_is_local_time_and_result_is_aware_utc() -> None:
    naive = datetime(2021, 3, 20, 8, 0)
    when, source = received_time({}, naive, now=NOW)
    assert source == "mtime" and when.tzinfo is UTC
    assert when == naive.astimezone(UTC)


def test_now_when_nothing_is_known() -> None:
    assert received_time({}, None, now=NOW) == (NOW, "now")


@pytest.mark.parametrize("bad", ["Thu, 1 Jan 1970 00:00:00 +0000",
                                 "Tue, 1 Jan 2099 00:00:00 +0000"])
def test_absurd_dates_are_not_trusted(bad: str) -> None:
    headers = {"received": [f"from a by b; {bad}"], "date": [bad]}
    assert received_time(headers, MTIME, now=NOW) == (MTIME, "mtime")


def test_from_raw_bytes_reads_only_headers() -> None:
    raw = build_message("Bao cao", "a@b.vn", headers={"Received": TOP},
                        date=datetime(2021, 3, 8, 7, 30, tzinfo=timezone(timedelta(hours=7))))
    assert received_time_from_bytes(raw, MTIME, now=NOW)[1] == "received"
    assert received_time_from_bytes(b"\x00\xff garbage", MTIME, now=NOW) == (MTIME, "mtime")


def test_works_on_parsed_message_headers() -> None:
    doc = parse_message(build_message("Bao cao", "a@b.vn", headers={"Received": TOP}))
    assert received_time(doc.headers, None, now=NOW) == (
        datetime(2021, 3, 11, 3, 2, 11, tzinfo=UTC), "received")


@pytest.mark.parametrize(("text", "expected"), [
    ("Wed, 10 Mar 2021 09:15:00 +0700", datetime(2021, 3, 10, 2, 15, tzinfo=UTC)),
    ("10 Mar 2021 09:15:00 +0700 (ICT)", datetime(2021, 3, 10, 2, 15, tzinfo=UTC)),
    ("Wed 10 Mar 2021 09:15 GMT", datetime(2021, 3, 10, 9, 15, tzinfo=UTC)),
    ("10-Mar-21 09:15:00", datetime(2021, 3, 10, 9, 15, tzinfo=UTC)),
    ("2021-03-10T09:15:00+07:00", datetime(2021, 3, 10, 2, 15, tzinfo=UTC)),
    ("Thứ tư, 10 Mar 2021 09:15:00 +0700", datetime(2021, 3, 10, 2, 15, tzinfo=UTC)),
    ("", None), ("garbage", None), ("Wed, 45 Mar 2021 09:15:00 +0700", None), (None, None),
])
def test_parse_date_is_tolerant(text: str | None, expected: datetime | None) -> None:
    assert parse_date(text) == expected
