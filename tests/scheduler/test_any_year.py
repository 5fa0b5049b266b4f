"""Reminders and the digest follow the calendar into any year, with no config edit."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ldl.app import App
from scheduler import digest as digest_mod
from scheduler.jobs import Services, obligations_at, remind
from storage.directory import import_unions
from storage.models import ReminderLog
from tests.conftest import mirror_as_in_2021, obligation_keys

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DIRECTORY = """code,name,bloc,emails,active,active_from
A,Công đoàn Trường Mầm non Hoa Sữa,th,a@x.vn,1,
B,Công đoàn Công ty CP Xây dựng Long Biên,dn,b@x.vn,1,
C,Công đoàn Công ty TNHH Điện tử Thạch Bàn,dn,c@x.vn,1,2026-03-20
"""


def services(app: App, tmp_path: Path) -> Services:
    path = tmp_path / "u.csv"
    path.write_text(DIRECTORY, "utf-8")
    with app.sessions.begin() as s:
        import_unions(s, path)
    mirror_as_in_2021(app)
    return Services.build(app.sessions, app.settings, app.calendar)


def test_reminders_at_a_2026_clock(app: App, tmp_path: Path) -> None:
    svc = services(app, tmp_path)
    # Monday 09/03/2026: the "7 days left" stage of Q1 2026 (08/03 is a Sunday)
    now = datetime(2026, 3, 9, 9, tzinfo=HCM)
    result = remind(svc, now)
    assert result.in_window
    planned = {m.union_code: [(i.spec.key, i.stage) for i in m.items] for m in result.planned}
    # nothing of 2020-2025 comes back (their stages are long stale); C did not exist yet
    assert planned == {"A": [("report-2026-q1", "before-7")],
                       "B": [("report-2026-q1", "before-7")]}
    assert result.queued == 2
    assert "report-2026-q1" in obligation_keys(app)  # the clock made the year
    with app.sessions() as s:
        logged = set(s.execute(select(ReminderLog.obligation_key, ReminderLog.stage)).all())
    assert logged == {("report-2026-q1", "before-7")}
    assert remind(svc, now).queued == 0  # once


def test_digest_at_a_2026_clock(app: App, tmp_path: Path) -> None:
    svc = services(app, tmp_path)
    now = datetime(2026, 3, 16, 7, 30, tzinfo=HCM)
    specs = obligations_at(svc, now)  # what the weekly digest job reads
    assert "report-2026-q1" in obligation_keys(app)
    built = digest_mod.build(svc.sessions, svc.settings, specs, svc.templates, now)
    assert [o.key for o in built.context.obligations] == ["report-2026-q1"]
    q1 = built.context.obligations[0]
    assert {m.code for m in q1.missing} == {"A", "B"}
    assert "quý I năm 2026" in built.mail.text  # the title of the 2026 obligation
