"""The reminder policy: stage moments, the sending window, holidays, and downtime."""

from __future__ import annotations

import copy
import tomllib
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from config.calendar import ObligationSpec
from scheduler.policy import (
    PolicyError,
    ReminderPolicy,
    StageDecision,
    decide_stage,
    dedup_key,
    due_stages,
    in_window,
    next_window_open,
    stage_moments,
)
from tests.scheduler.conftest import VN


def at(day: str, clock: str = "08:00") -> datetime:
    """A local (Hà Nội) moment from "15/03/2021" and "08:00[:ss]"."""
    d, m, y = (int(p) for p in day.split("/"))
    hour, minute, second = (int(p) for p in f"{clock}:00".split(":")[:3])
    return datetime(y, m, d, hour, minute, second, tzinfo=VN)


def packaged() -> dict[str, Any]:
    text = resources.files("config").joinpath("data/reminders.toml").read_text("utf-8")
    return tomllib.loads(text)


def variant(**changes: Any) -> ReminderPolicy:
    data = copy.deepcopy(packaged())
    data.update(changes)
    return ReminderPolicy.from_dict(data, "test policy")


# -- the packaged policy --------------------------------------------------------------------


def test_packaged_policy_has_the_agreed_stages_and_window(policy: ReminderPolicy) -> None:
    assert [(s.name, s.day) for s in policy.stages] == [
        ("before-7", -7), ("before-2", -2), ("after-1", 0),
        ("after-8", 7), ("after-15", 14), ("after-22", 21),
    ]
    assert policy.window.weekdays == frozenset(range(5))
    assert (policy.window.start.isoformat(), policy.window.end.isoformat()) == (
        "07:30:00", "17:00:00")
    assert str(policy.tz) == "Asia/Ho_Chi_Minh"


def test_packaged_policy_knows_the_2021_public_holidays(policy: ReminderPolicy) -> None:
    expected = {date(2021, 1, 1), date(2021, 4, 21), date(2021, 4, 30), date(2021, 5, 1),
                date(2021, 5, 3), date(2021, 9, 2), date(2021, 9, 3)}
    expected |= {date(2021, 2, d) for d in range(10, 17)}  # Tết Tân Sửu
    assert policy.holiday_dates == expected


# -- stage moments --------------------------------------------------------------------------

MOMENTS_2021 = {
    # before-2 of dvk falls on Sun 21/02 -> Fri 19/02; before-7 in Tết -> Wed 17/02
    "dvk-2021": ["17/02", "19/02", "23/02", "02/03", "09/03", "16/03"],
    # before-2 on Sat 13/03 -> Fri 12/03, so the warning still comes before the weekend
    "report-2021-q1": ["08/03", "12/03", "15/03", "22/03", "29/03", "05/04"],
    "report-2021-h1": ["08/06", "11/06", "15/06", "22/06", "29/06", "06/07"],
    "report-2021-q3": ["08/09", "13/09", "15/09", "22/09", "29/09", "06/10"],
}


@pytest.mark.parametrize("key", sorted(MOMENTS_2021))
def test_stage_moments_2021(key: str, specs: dict[str, ObligationSpec],
                            policy: ReminderPolicy) -> None:
    days = MOMENTS_2021[key]
    year = 2021
    expected = [(name, at(f"{d}/{year}")) for name, d in
                zip([s.name for s in policy.stages], days, strict=True)]
    assert stage_moments(specs[key], policy) == expected


def test_annual_report_stages_run_into_next_year(specs: dict[str, ObligationSpec],
                                                  policy: ReminderPolicy) -> None:
    moments = dict(stage_moments(specs["report-2021-y"], policy))
    assert moments["after-22"] == at("05/01/2022")


def test_moments_are_aware_local_and_before_stages_precede_the_deadline(
        q1: ObligationSpec, policy: ReminderPolicy) -> None:
    for name, moment in stage_moments(q1, policy):
        assert moment.utcoffset() == timedelta(hours=7)
        assert (moment < q1.due_at) == name.startswith("before")


def test_before_stage_pushed_past_the_deadline_is_dropped(q1: ObligationSpec) -> None:
    # a holiday from 08/03 to the deadline: before-7 ("later") would land after it
    policy = variant(holiday=[{"name": "x", "from": date(2021, 3, 8), "to": date(2021, 3, 14)}])
    moments = dict(stage_moments(q1, policy))
    assert "before-7" not in moments
    assert moments["before-2"] == at("05/03/2021")  # "earlier" still finds a working day


def test_explicit_time_zone_argument(q1: ObligationSpec, policy: ReminderPolicy) -> None:
    moments = dict(stage_moments(q1, policy, tz=UTC))
    assert moments["after-1"] == datetime(2021, 3, 15, 8, 0, tzinfo=UTC)


# -- due stages and the latest-only rule ----------------------------------------------------


def test_nothing_is_due_before_the_first_moment(q1: ObligationSpec,
                                                policy: ReminderPolicy) -> None:
    assert due_stages(q1, at("08/03/2021", "07:59:59"), policy) == []
    assert due_stages(q1, at("08/03/2021", "08:00"), policy) == ["before-7"]


def test_two_before_stages_due_only_the_latest_is_sent(q1: ObligationSpec,
                                                       policy: ReminderPolicy) -> None:
    now = at("12/03/2021", "09:00")  # nothing sent since 08/03 (the daemon was down)
    assert due_stages(q1, now, policy) == ["before-7", "before-2"]
    decision = decide_stage(q1, now, policy, sent=set())
    assert decision.send == "before-2"
    assert decision.superseded == ("before-7",)


def test_before_stages_expire_at_the_deadline(q1: ObligationSpec,
                                              policy: ReminderPolicy) -> None:
    assert due_stages(q1, at("14/03/2021", "23:59:59"), policy) == ["before-7", "before-2"]
    assert due_stages(q1, q1.due_at, policy) == []  # 15/03 00:00: late, after-1 not yet
    assert due_stages(q1, at("15/03/2021", "08:00"), policy) == ["after-1"]


def test_downtime_across_the_deadline_sends_one_overdue_reminder(
        q1: ObligationSpec) -> None:
    lenient = variant(stale_after_days=60)  # nothing goes stale: only the latest-only rule
    now = at("30/03/2021", "10:00")
    assert due_stages(q1, now, lenient) == ["after-1", "after-8", "after-15"]
    decision = decide_stage(q1, now, lenient, sent=set())
    assert decision.send == "after-15"
    assert decision.superseded == ("before-7", "before-2", "after-1", "after-8")


def test_down_until_the_deadline_day(q1: ObligationSpec, policy: ReminderPolicy) -> None:
    # no mail since before 08/03: on the first late day, one overdue reminder
    decision = decide_stage(q1, at("15/03/2021", "09:00"), policy, sent=set())
    assert decision == StageDecision("after-1", ("before-7", "before-2"))


def test_sent_stages_are_not_superseded_again(q1: ObligationSpec) -> None:
    lenient = variant(stale_after_days=60)
    sent = {"before-7", "after-1"}
    decision = decide_stage(q1, at("30/03/2021", "10:00"), lenient, sent=sent)
    assert decision.send == "after-15"
    assert decision.superseded == ("before-2", "after-8")


def test_latest_already_sent_means_nothing_to_send(q1: ObligationSpec,
                                                   policy: ReminderPolicy) -> None:
    now = at("12/03/2021", "09:00")
    decision = decide_stage(q1, now, policy, sent={"before-2"})
    assert decision.send is None
    assert decision.superseded == ("before-7",)


def test_a_later_stage_already_sent_blocks_going_back(q1: ObligationSpec,
                                                      policy: ReminderPolicy) -> None:
    # e.g. the clock went backwards, or the policy file was edited
    decision = decide_stage(q1, at("12/03/2021", "09:00"), policy, sent={"after-1"})
    assert decision == StageDecision(None, ("before-7", "before-2"))


def test_stale_stage_is_dropped(q1: ObligationSpec, policy: ReminderPolicy) -> None:
    assert due_stages(q1, at("12/04/2021", "07:59:59"), policy) == ["after-22"]
    assert due_stages(q1, at("12/04/2021", "08:00"), policy) == []
    decision = decide_stage(q1, at("01/06/2021"), policy, sent={"before-2", "after-1"})
    assert decision == StageDecision(None, ("before-7", "after-8", "after-15", "after-22"))


def test_nothing_passed_nothing_to_record(q1: ObligationSpec, policy: ReminderPolicy) -> None:
    assert decide_stage(q1, at("01/03/2021"), policy, sent=set()) == StageDecision(None)


def test_weekly_stages_hand_over_without_overlap(q1: ObligationSpec,
                                                 policy: ReminderPolicy) -> None:
    assert due_stages(q1, at("22/03/2021", "07:59"), policy) == ["after-1"]
    assert due_stages(q1, at("22/03/2021", "08:00"), policy) == ["after-8"]


def test_naive_now_is_refused(q1: ObligationSpec, policy: ReminderPolicy) -> None:
    with pytest.raises(ValueError, match="aware"):
        due_stages(q1, datetime(2021, 3, 12, 9, 0), policy)
    with pytest.raises(ValueError, match="aware"):
        in_window(datetime(2021, 3, 12, 9, 0), policy)


def test_dedup_key() -> None:
    assert dedup_key("LB-TH-001", "report-2021-q1", "before-2") == \
        "remind:LB-TH-001:report-2021-q1:before-2"


# -- the sending window ---------------------------------------------------------------------


@pytest.mark.parametrize(("moment", "expected"), [
    (at("15/03/2021", "07:29:59"), False),
    (at("15/03/2021", "07:30"), True),
    (at("15/03/2021", "16:59:59"), True),
    (at("15/03/2021", "17:00"), False),
    (at("13/03/2021", "10:00"), False),  # Saturday
    (at("14/03/2021", "10:00"), False),  # Sunday
    (at("12/02/2021", "10:00"), False),  # Tết (a Friday)
    (at("21/04/2021", "10:00"), False),  # Giỗ Tổ Hùng Vương (a Wednesday)
    (at("03/05/2021", "10:00"), False),  # in lieu of 01/05 (a Monday)
    (at("03/09/2021", "10:00"), False),  # Quốc khánh, second day (a Friday)
    (datetime(2021, 3, 15, 0, 30, tzinfo=UTC), True),  # 07:30 in Hà Nội
    (datetime(2021, 3, 14, 23, 59, tzinfo=UTC), False),  # 06:59 Monday in Hà Nội
])
def test_in_window(moment: datetime, expected: bool, policy: ReminderPolicy) -> None:
    assert in_window(moment, policy) is expected


def test_swapped_working_saturday_is_open() -> None:
    policy = variant(working_days=[date(2021, 3, 13)])
    assert in_window(at("13/03/2021", "10:00"), policy)


@pytest.mark.parametrize(("now", "expected"), [
    (at("15/03/2021", "10:00"), at("15/03/2021", "10:00")),  # open: now itself
    (at("15/03/2021", "06:00"), at("15/03/2021", "07:30")),
    (at("12/03/2021", "17:00"), at("15/03/2021", "07:30")),  # Friday evening -> Monday
    (at("13/03/2021", "12:00"), at("15/03/2021", "07:30")),
    (at("09/02/2021", "17:30"), at("17/02/2021", "07:30")),  # eve of Tết
    (at("29/04/2021", "18:00"), at("04/05/2021", "07:30")),  # 30/4, 1/5, Sunday, 3/5
    (at("01/09/2021", "17:00"), at("06/09/2021", "07:30")),  # 2/9, 3/9, weekend
    (datetime(2021, 3, 12, 10, 0, tzinfo=UTC), at("15/03/2021", "07:30")),  # 17:00 local
])
def test_next_window_open(now: datetime, expected: datetime, policy: ReminderPolicy) -> None:
    opening = next_window_open(now, policy)
    assert opening == expected
    assert in_window(opening, policy)


# -- loading and its errors -----------------------------------------------------------------


def test_load_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "reminders.toml"
    text = resources.files("config").joinpath("data/reminders.toml").read_text("utf-8")
    path.write_text(text.replace('start = "07:30"', 'start = "07:00"'), "utf-8")
    loaded = ReminderPolicy.load(path)
    assert loaded.window.start.hour == 7 and loaded.window.start.minute == 0
    assert loaded.source == str(path)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read reminder policy .*nope.toml"):
        ReminderPolicy.load(tmp_path / "nope.toml")


def test_invalid_toml_is_named() -> None:
    with pytest.raises(PolicyError, match="mine.toml: not valid TOML"):
        ReminderPolicy.from_toml("window = [", "mine.toml")


def _stage(**fields: Any) -> dict[str, Any]:
    return {"name": "x", "day": 0, "at": "08:00", **fields}


@pytest.mark.parametrize(("changes", "message"), [
    ({"stages": []}, r"top level: unknown key\(s\) stages"),
    ({"timezone": "Mars/Base"}, r"timezone: 'Mars/Base' is not an IANA time zone"),
    ({"stale_after_days": 0}, r"stale_after_days: 0 must be a whole number"),
    ({"window": {"days": ["mon"], "start": "7h30", "end": "17:00"}},
     r"window.start: '7h30' must be a local time"),
    ({"window": {"days": ["mon", "thứ bảy"], "start": "07:30", "end": "17:00"}},
     r"window.days: unknown day\(s\) \['thứ bảy'\]"),
    ({"window": {"days": ["mon"], "start": "17:00", "end": "07:30"}},
     r"window: start 17:00 must be before end 07:30"),
    ({"stage": []}, r"stage: at least one \[\[stage\]\] is required"),
    ({"stage": [_stage(at="18:00")]}, r"stage #1 \(x\) at: 18:00 is outside the sending window"),
    ({"stage": [_stage(name="Before 7")]}, r"stage #1 name: 'Before 7' must be lower-case"),
    ({"stage": [_stage(day="-7")]}, r"stage #1 \(x\) day: '-7' must be a whole number"),
    ({"stage": [_stage(if_closed="sooner")]}, r"stage #1 \(x\) if_closed: 'sooner' must be"),
    ({"stage": [_stage(when="x")]}, r"stage #1: unknown key\(s\) when"),
    ({"stage": [_stage(), _stage(day=3)]}, r"stage: duplicate stage name\(s\) x"),
    ({"stage": [_stage(name="a", day=3), _stage(name="b", day=1)]},
     r"stage b: day = 1 must be later than a's day = 3"),
    ({"holiday": [{"name": "Tết", "from": date(2021, 2, 16), "to": date(2021, 2, 10)}]},
     r"holiday #1 \(Tết\): to = 2021-02-10 is before from = 2021-02-16"),
    ({"holiday": [{"name": "Tết", "from": "10/02/2021"}]},
     r"holiday #1 \(Tết\) from: '10/02/2021' must be a date"),
    ({"working_days": ["2021-03-13"]}, r"working_days: '2021-03-13' must be a date"),
])
def test_errors_name_the_key_and_value(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(PolicyError, match=r"^test policy: " + message):
        variant(**changes)
