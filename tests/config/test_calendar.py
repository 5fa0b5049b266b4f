from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from config.calendar import CalendarError, build_calendar, load_calendar

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def cal2021() -> dict[str, object]:
    return {s.key: s for s in load_calendar().specs_for_years([2021])}


def test_preset_keys(cal2021: dict[str, object]) -> None:
    assert list(cal2021) == ["dvk-2021", "report-2021-q1", "report-2021-h1",
                             "report-2021-q3", "report-2021-y"]


def test_recurring_reports_exist_for_any_year_from_the_first() -> None:
    cal = load_calendar()
    assert cal.first_year == 2020
    for year in (2020, 2021, 2026, 2031):
        for period in ("q1", "h1", "q3", "y"):
            spec = cal.spec(f"report-{year}-{period}")
            assert spec is not None and spec.year == year and spec.period == period
            assert cal.find("report", period, year) == spec
    assert cal.spec("report-2019-y") is None  # before the first year
    assert cal.find("report", "y", 2019) is None
    assert cal.spec("report-20xx-q1") is None and cal.spec("nope") is None
    q1 = cal.spec("report-2026-q1")
    assert q1 is not None and q1.due_at == datetime(2026, 3, 15, tzinfo=HCM)
    assert q1.title == "Báo cáo kết quả thực hiện Kế hoạch quý I năm 2026"
    assert q1.deadline_text == "trước ngày 15/03/2026"
    # a one-off keeps its own date and does not recur
    assert cal.spec("dvk-2021") is not None and cal.spec("dvk-2026") is None
    assert cal.find("dvk", None, 2021) == cal.spec("dvk-2021")
    assert cal.find("dvk", None, 2026) is None


def test_years_until_and_around_follow_the_local_clock() -> None:
    cal = load_calendar()
    # 31/12/2025 17:00 UTC is already 01/01/2026 00:00 in Hanoi
    new_year = datetime(2025, 12, 31, 17, tzinfo=UTC)
    assert list(cal.years_until(new_year)) == list(range(2020, 2027))
    keys = [s.key for s in cal.specs_until(new_year)]
    assert "report-2026-q1" in keys and "report-2027-q1" not in keys
    assert "report-2020-y" in keys and "dvk-2021" in keys
    assert keys == [s.key for s in sorted(cal.specs_until(new_year),
                                          key=lambda s: (s.due_at, s.key))]
    assert "report-2026-q1" not in [s.key for s in cal.specs_until(new_year
                                                                     - timedelta(seconds=1))]
    assert cal.years_around(datetime(2021, 1, 10, tzinfo=HCM)) == [2020, 2021, 2022]
    assert cal.years_around(date(2020, 6, 1)) == [2020, 2021]  # no 2019 reports
    assert cal.status_years(datetime(2026, 3, 20, tzinfo=HCM)) == [2025, 2026]
    with pytest.raises(ValueError, match="naive"):
        cal.year_of(datetime(2026, 1, 1))


def test_calendar_is_immutable_and_pickles() -> None:
    cal = load_calendar()
    assert cal.tz.key == "Asia/Ho_Chi_Minh"  # the cached zone must not break pickling
    copy = pickle.loads(pickle.dumps(cal))
    assert copy == cal and hash(copy) == hash(cal)
    assert copy.spec("report-2030-h1") == cal.spec("report-2030-h1")
    with pytest.raises(AttributeError):
        cal.first_year = 2000  # type: ignore[misc]


def test_first_year_setting_and_deprecated_years() -> None:
    rule = {"key": "r-{year}", "kind": "report", "period": "y", "title": "năm {year}",
            "late_from": {"month": 12, "day": 15}}
    assert build_calendar({"recurring": [rule]}).first_year == 2020  # the default
    assert build_calendar({"first_year": 2018, "recurring": [rule]}).first_year == 2018
    # the old list of years still works, as its first year; later years need no edit
    old = build_calendar({"years": [2022, 2021], "recurring": [rule]})
    assert old.first_year == 2021 and old.spec("r-2030") is not None
    assert old.spec("r-2020") is None
    assert build_calendar({"first_year": 2018, "recurring": [rule]}, 2024).first_year == 2024


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
    keys = [s.key for s in load_calendar().specs_for_years([2021, 2022])]
    for period in ("q1", "h1", "q3", "y"):
        assert f"report-2022-{period}" in keys
    q1 = {s.key: s for s in load_calendar().specs_for_years([2022])}["report-2022-q1"]
    assert q1.due_at == datetime(2022, 3, 15, tzinfo=HCM)
    assert q1.title.endswith("2022")
    assert "dvk-2022" not in keys  # a one-off obligation does not recur


def test_blocs_and_active_from() -> None:
    data = {"timezone": "Asia/Ho_Chi_Minh", "first_year": 2021, "recurring": [
        {"key": "school-{year}", "kind": "report", "title": "t", "blocs": ["th"],
         "late_from": {"month": 5, "day": 1}}]}
    (spec,) = build_calendar(data).specs_for_years([2021])
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
        ({"recurring": [{"key": "r-{year}", "kind": "report", "title": "t",
                         "late_from": {"month": 2, "day": 29}}]}, "not a day of every year"),
        ({"recurring": [{"key": "r-2021", "kind": "report", "title": "t",
                         "late_from": {"month": 2, "day": 1}}]}, "must contain"),
        ({"recurring": [{"key": "r-{year}", "kind": "report", "title": "t {month}",
                         "late_from": {"month": 2, "day": 1}}]}, "only {year}"),
        ({"obligation": [{"key": "r-2021", "kind": "d", "title": "t",
                          "late_from": date(2021, 1, 1)}],
          "recurring": [{"key": "r-{year}", "kind": "report", "title": "t",
                         "late_from": {"month": 2, "day": 1}}]}, "duplicate.*r-2021"),
        ({"timezone": "Mars/Olympus"}, "unknown timezone"),
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
