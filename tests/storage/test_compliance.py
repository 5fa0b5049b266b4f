from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from config.calendar import load_calendar
from ldl.app import App
from storage import compliance
from storage.blobs import put_blob
from storage.compliance import UnionFacts, compute, summarize
from storage.directory import import_unions
from storage.models import Exemption, Message, Submission, Union

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SPECS = load_calendar().specs_for_years([2021])
Q1 = next(s for s in SPECS if s.key == "report-2021-q1")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=HCM).astimezone(UTC)  # type: ignore[misc]


def statuses(rows: list[compliance.ComplianceRow]) -> dict[tuple[str, str], str]:
    return {(r.union_code, r.obligation): r.status for r in rows}


def test_each_status_pure() -> None:
    unions = [UnionFacts("A", "a", "dn"), UnionFacts("B", "b", "dn"),
              UnionFacts("C", "c", "dn"), UnionFacts("D", "d", "dn"),
              UnionFacts("E", "e", "dn", active=False),
              UnionFacts("F", "f", "dn", active_from=date(2021, 5, 3))]
    received = {("A", Q1.key): [at(2021, 3, 14, 23, 59, 59), at(2021, 3, 20)],
                ("B", Q1.key): [at(2021, 3, 15, 0, 0, 0)]}
    rows = compute(unions, [Q1], received, [("D", Q1.key)], at(2021, 3, 20, 9))
    assert statuses(rows) == {("A", Q1.key): "on_time", ("B", Q1.key): "late",
                              ("C", Q1.key): "missing", ("D", Q1.key): "exempt"}
    a = next(r for r in rows if r.union_code == "A")
    assert a.submissions == 2 and a.first_received_at == at(2021, 3, 14, 23, 59, 59)
    before = compute(unions, [Q1], received, [], at(2021, 3, 14, 23, 59, 58))
    assert statuses(before)[("C", Q1.key)] == "pending"
    assert statuses(before)[("A", Q1.key)] == "pending"  # its mail had not arrived yet
    assert statuses(compute(unions, [Q1], {}, [], Q1.due_at))[("C", Q1.key)] == "missing"


def test_union_founded_after_deadline_owes_nothing_before() -> None:
    h1 = next(s for s in SPECS if s.key == "report-2021-h1")
    rows = compute([UnionFacts("F", "f", "dn", active_from=date(2021, 5, 3))], [Q1, h1], {},
                   [], at(2021, 12, 1))
    assert statuses(rows) == {("F", h1.key): "missing"}


def test_summary_rates() -> None:
    unions = [UnionFacts(c, c, "th") for c in "ABCD"]
    received = {("A", Q1.key): [at(2021, 3, 1)], ("B", Q1.key): [at(2021, 3, 16)]}
    (th, total) = summarize(compute(unions, [Q1], received, [("D", Q1.key)], at(2021, 4, 1)))
    assert (th.bloc, th.expected, th.on_time, th.late, th.missing, th.exempt) == \
        ("th", 3, 1, 1, 1, 1)
    assert th.reporting_rate == pytest.approx(2 / 3)
    assert th.on_time_rate == pytest.approx(1 / 3)
    assert total.bloc == "all" and total.expected == 3


def add_submission(app: App, code: str, key: str, received: datetime, n: int = 1) -> None:
    with app.sessions.begin() as s:
        union = s.scalars(select(Union).where(Union.code == code)).one()
        raw = f"Message-ID: <m{code}{key}{n}@x>\r\nSubject: bc\r\n\r\nbody {n}".encode()
        sha = put_blob(s, raw)
        msg = Message(sha256=sha, message_id=f"m{code}{key}{n}@x", from_addr="a@x.vn",
                      subject=f"BC {key}", received_at=received, size=len(raw),
                      source="test", status="credited")
        s.add(msg)
        s.flush()
        s.add(Submission(message_id=msg.id, union_id=union.id, obligation_key=key, version=n))


def test_store_and_view_agree(app: App, tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text("code,name,bloc,emails,active,active_from\n"
                    "A,Union A,dn,a@x.vn,1,\nB,Union B,dn,b@x.vn,1,\nC,Union C,th,c@x.vn,1,\n"
                    "D,Union D,hcsn,d@x.vn,1,\nE,Union E,hcsn,e@x.vn,0,\n"
                    "F,Union F,th,f@x.vn,1,2021-05-03\n", "utf-8")
    with app.sessions.begin() as s:
        import_unions(s, path)
    add_submission(app, "A", Q1.key, Q1.due_at - timedelta(seconds=1))
    add_submission(app, "A", Q1.key, Q1.due_at + timedelta(days=3), n=2)
    add_submission(app, "B", Q1.key, Q1.due_at)
    with app.sessions.begin() as s:
        d = s.scalars(select(Union).where(Union.code == "D")).one()
        s.add(Exemption(union_id=d.id, obligation_key="dvk-2021", reason="r", created_by="t"))
    now = datetime.now(UTC)
    specs = app.calendar.specs_until(now)  # what `ldl init` mirrored at the real clock
    with app.sessions() as s:
        rows = compliance.load(s, specs, now)
    with app.engine.connect() as conn:
        view = conn.execute(text("SELECT union_code, union_name, bloc, obligation, due_at, "
                                 "status, first_received_at, submissions FROM v_compliance"))
        from_view = {(r.union_code, r.obligation): r for r in view}
    # E inactive; F, founded in May 2021, owes nothing of 2020 nor dvk-2021 and Q1 2021
    assert len(from_view) == len(rows) == 4 * len(specs) + len(specs) - 6
    for row in rows:
        v = from_view[(row.union_code, row.obligation)]
        assert v.status == row.status
        assert v.submissions == row.submissions
    assert from_view[("A", Q1.key)].status == "on_time"
    assert from_view[("A", Q1.key)].submissions == 2
    assert from_view[("B", Q1.key)].status == "late"
    assert from_view[("D", "dvk-2021")].status == "exempt"
    assert from_view[("C", Q1.key)].status == "missing"
    assert ("F", Q1.key) not in from_view and ("F", "report-2021-h1") in from_view
    with app.engine.connect() as conn:
        subs = conn.execute(text("SELECT message_id, union_code, obligation, on_time, version "
                                 "FROM v_submissions ORDER BY received_at")).all()
    assert [(r.union_code, bool(r.on_time), r.version) for r in subs] == \
        [("A", True, 1), ("B", False, 1), ("A", False, 2)]
    assert subs[0].message_id == f"mA{Q1.key}1@x"
