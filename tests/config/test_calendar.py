from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from config.calendar import CalendarError, build_calendar, load_calendar

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def cal2021() -> dict[str, object]:
    return {s.key: s for s in load_calendar()}


def test_preset_keys(cal2021: dict[str, object]) -> None:
    assert list(cal2021) == ["dvk-2021", "report-2021-q1", "report-2021-h1",
                             "report-2021-q3", "report-2021-y"]


@pytest.mark.parametrize(
    ("key", "late_from"),
    [
        ("dvk-2021", datetime(2021, 2, 23, tzinfo=HCM)),
        ("report-2021-q1", datetime(2021, 3, 15, tzinfo=HCM)),
        ("report-2021-h1", datetime(2021, 6, 15, tzinfo=HCM)),
        ("report-2021-q3", datetime(2021, 9, 15, tzinfo=HCM)),
        ("report-2021-y", datetime(2021, 12, 15, tzinfo=HCM)),
    ],
)
def test_deadline_boundaries(cal2021: dict[str, object], key: str, late_from: datetime) -> None:
    spec = cal2021[key]
    assert spec.due_at == late_from  # type: ignore[attr-defined]
    assert spec.due_at.tzinfo is not None  # type: ignore[attr-defined]
    assert spec.is_on_time(late_from - timedelta(seconds=1))  # type: ignore[attr-defined]
    assert not spec.is_on_time(late_from)  # type: ignore[attr-defined]
    # The UTC trap: 17:00 UTC the day before is already midnight in Hanoi.
    utc_evening = datetime.combine(late_from.date() - timedelta(days=1),
                                   datetime.min.time(), tzinfo=UTC) + timedelta(hours=17)
    assert not spec.is_on_time(utc_evening)  # type: ignore[attr-defined]
    assert spec.is_on_time(utc_evening - timedelta(seconds=1))  # type: ignore[attr-defined]


def test_dvk_last_day(cal2021: dict[str, object]) -> None:
    assert cal2021["dvk-2021"].last_day == date(2021, 2, 22)  # type: ignore[attr-defined]


def test_recurring_keys_for_2022() -> None:
    keys = [s.key for s in load_calendar(years=[2021, 2022])]
    for period in ("q1", "h1", "q3", "y"):
        assert f"report-2022-{period}" in keys
    q1 = {s.key: s for s in load_calendar(years=[2022])}["report-2022-q1"]
    assert q1.due_at == datetime(2022, 3, 15, tzinfo=HCM)
    assert q1.title.endswith("2022")
    assert "dvk-2022" not in keys  # a one-off obligation does not recur


def test_blocs_and_active_from() -> None:
    data = {"timezone": "Asia/Ho_Chi_Minh", "years": [2021], "recurring": [
        {"key": "school-{year}", "kind": "report", "title": "t", "blocs": ["th"],
         "late_from": {"month": 5, "day": 1}}]}
    (spec,) = build_calendar(data)
    assert spec.owed_by("th", None)
    assert not spec.owed_by("dn", None)
    assert spec.owed_by("th", date(2021, 4, 30))  # founded on the last day: owes it
    assert not spec.owed_by("th", date(2021, 5, 1))  # founded after the deadline


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"obligation": [{"key": "x", "kind": "dvk", "title": "t"}]}, "late_from"),
        ({"years": [2021], "recurring": [{"key": "r-{year}", "kind": "report", "title": "t",
                                          "late_from": {"month": 2, "day": 30}}]}, "day is out"),
        ({"obligation": [{"key": "x", "kind": "d", "title": "t", "late_from": date(2021, 1, 1),
                          "blocs": ["army"]}]}, "unknown bloc"),
        ({"obligation": [{"key": "x", "kind": "d", "title": "t", "late_from": date(2021, 1, 1)},
                         {"key": "x", "kind": "d", "title": "t",
                          "late_from": date(2021, 1, 2)}]}, "duplicate"),
    ],
)
def test_bad_calendar(data: dict[str, object], message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        build_calendar(data)
