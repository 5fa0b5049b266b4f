"""The calendar holds in any year: reports of 2020 and of 2026 are placed with no config edit.

The obligations of a year are made in the database when mail (or the clock) reaches it, so
these tests first roll the mirror back to what `ldl init` made in 2021.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from ldl.app import App
from storage.models import Message, Submission, Union
from tests.conftest import SAMPLE_DIRECTORY, Ldl, mirror_as_in_2021, obligation_keys
from tests.ingest.test_pipeline import at, maildir, report


def credits(app: App) -> dict[str, set[str]]:
    """Per union code, the obligations it was credited for."""
    with app.sessions() as s:
        rows = s.execute(select(Union.code, Submission.obligation_key)
                         .join(Submission, Submission.union_id == Union.id)).all()
    out: dict[str, set[str]] = {}
    for code, key in rows:
        out.setdefault(code, set()).add(key)
    return out


def test_2020_annual_report_in_january_2021_is_credited(ldl: Ldl, app: App,
                                                          tmp_path: Path) -> None:
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    box = maildir(tmp_path / "inbox", [
        report("Báo cáo tổng kết năm 2020", "cdmnhoasua@gmail.com", at(2021, 1, 10, 9),
               filename="BC tong ket 2020.docx", heading="BÁO CÁO TỔNG KẾT NĂM 2020",
               msgid="y2020-a@x"),
        # no year written anywhere: in January, an annual report is last year's
        report("Gửi báo cáo tổng kết năm", "cdthbode@gmail.com", at(2021, 1, 5, 15),
               filename="BC tong ket.docx", heading="BÁO CÁO TỔNG KẾT CÔNG TÁC NĂM",
               msgid="y2020-b@x"),
        # and on time, in December 2020
        report("BC tổng kết năm 2020", "cdducgiang@gmail.com", at(2020, 12, 10, 10),
               msgid="y2020-c@x"),
    ])
    result = ldl("ingest", "--from", str(box))
    assert result.exit_code == 0, result.output
    assert "credited 3" in result.output, result.output
    assert credits(app) == {"TH01": {"report-2020-y"}, "TH12": {"report-2020-y"},
                            "HC05": {"report-2020-y"}}
    out = ldl("status", "--obligation", "report-2020-y", "--now", "2021-01-12T09:00+07:00",
              "--format", "json")
    assert out.exit_code == 0, out.output
    status = {r["union_code"]: r["status"] for r in json.loads(out.output)}
    assert (status["TH01"], status["TH12"], status["HC05"]) == ("late", "late", "on_time")
    assert status["TH02"] == "missing"


def test_q1_report_of_2026_makes_the_year_when_it_arrives(ldl: Ldl, app: App,
                                                          tmp_path: Path) -> None:
    """A database mirrored in 2021 and a default config: March 2026 mail is still placed."""
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    mirror_as_in_2021(app)
    assert "report-2026-q1" not in obligation_keys(app)
    box = maildir(tmp_path / "inbox", [
        report("Báo cáo quý I", "cdmnhoasua@gmail.com", at(2026, 3, 10, 9),
               heading="BÁO CÁO KẾT QUẢ HOẠT ĐỘNG QUÝ I", msgid="q1-2026@x"),
    ])
    # ingest alone (no status at a 2026 clock before it): the mail makes the year
    from ingest.sources.files import open_path_source
    from ldl.ingest_commands import make_pipeline

    source = open_path_source(box)
    try:
        summary = make_pipeline(app).ingest(source)
    finally:
        source.close()
    assert summary.credited == 1, summary.line()
    assert credits(app) == {"TH01": {"report-2026-q1"}}
    keys = obligation_keys(app)
    # the year of the mail is made whole, and only it
    assert {f"report-2026-{p}" for p in ("q1", "h1", "q3", "y")} <= keys
    assert not any(k.startswith(("report-2025", "report-2027")) for k in keys)
    with app.sessions() as s:
        message = s.scalars(select(Message)).one()
        assert message.status == "credited"


def test_status_at_a_2026_clock_lists_2026_with_no_config(ldl: Ldl, app: App) -> None:
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    mirror_as_in_2021(app)
    result = ldl("status", "--now", "2026-03-20T09:00+07:00", "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    rows = [dict(zip(lines[0].split(","), line.split(","), strict=False)) for line in lines[1:]]
    by_obligation: dict[str, set[str]] = {}
    for r in rows:
        by_obligation.setdefault(r["obligation"], set()).add(r["status"])
    assert by_obligation["report-2026-q1"] == {"missing"}
    assert by_obligation["report-2026-h1"] == {"pending"}
    # by default the year of --now and the one before, not all years since 2020
    assert {k.split("-")[1] for k in by_obligation} == {"2025", "2026"}
    assert "report-2026-q1" in obligation_keys(app)  # the clock made the year
    older = ldl("status", "--now", "2026-03-20T09:00+07:00", "--year", "2021", "--format",
                "json")
    assert {r["obligation"] for r in json.loads(older.output)} == {
        "dvk-2021", "report-2021-q1", "report-2021-h1", "report-2021-q3", "report-2021-y"}
    table = ldl("status", "--now", "2026-03-20T09:00+07:00")
    assert "report-2026-q1" in table.output and "Rates per bloc" in table.output


def test_unknown_obligation_names_the_rules(ldl: Ldl) -> None:
    result = ldl("status", "--obligation", "report-2019-q1")
    assert result.exit_code == 2
    assert "report-YYYY-q1 for every year from 2020" in result.output
    assert ldl("status", "--obligation", "report-2031-q3", "--format", "json").exit_code == 0


def test_triage_assign_to_an_obligation_of_a_year_not_yet_made(ldl: Ldl, app: App,
                                                               tmp_path: Path) -> None:
    """`ldl` mirrors up to the real clock; a person may credit next year's report already."""
    year = datetime.now(UTC).year + 1
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    box = maildir(tmp_path / "inbox", [
        report(f"Báo cáo quý I năm {year}", "someone.unknown@gmail.com", at(year, 3, 10, 9),
               msgid="t@x"),
    ])
    assert "triaged 1" in ldl("ingest", "--from", str(box)).output
    assert f"report-{year}-q1" not in obligation_keys(app)
    result = ldl("triage", "assign", "t@x", "TH01", "--obligation", f"report-{year}-q1",
                 "--no-learn")
    assert result.exit_code == 0, result.output
    assert credits(app) == {"TH01": {f"report-{year}-q1"}}
    assert f"report-{year}-y" in obligation_keys(app)
    bad = ldl("triage", "assign", "t@x", "TH01", "--obligation", "report-2019-q1")
    assert bad.exit_code == 2 and f"report-{year}-q1" in bad.output  # nearby keys suggested


def test_last_years_subject_on_this_years_report_is_this_years() -> None:
    """Every year exists now, so a stale subject must not name last year's closed report."""
    from config.calendar import load_calendar
    from ingest.classify import classify
    from ingest.document import AttachmentDoc, MessageDoc

    heading = "BÁO CÁO SƠ KẾT 6 THÁNG ĐẦU NĂM 2021"
    stale = MessageDoc(subject="BC 6 tháng đầu năm 2020", from_addr="x@y.vn",
                       body_text="Kính gửi LĐLĐ quận.", attachments=[AttachmentDoc(
                           "BC_H1_2021.docx", "application/octet-stream", b"data",
                           text=heading + "\nNội dung", heading=heading, status="ok")])
    when = datetime(2021, 6, 10, 3, tzinfo=UTC)
    result = classify(stale, load_calendar(), when)
    assert [m.key for m in result.matches] == ["report-2021-h1"]
    # when every source says 2020, it is the 2020 report (sent very late)
    old = MessageDoc(subject="BC 6 tháng đầu năm 2020", from_addr="x@y.vn",
                     body_text="Kính gửi LĐLĐ quận.", attachments=[AttachmentDoc(
                         "BC_H1_2020.docx", "application/octet-stream", b"data",
                         text=heading.replace("2021", "2020"),
                         heading=heading.replace("2021", "2020"), status="ok")])
    assert [m.key for m in classify(old, load_calendar(), when).matches] == ["report-2020-h1"]


def test_exempt_from_next_years_report(ldl: Ldl, app: App) -> None:
    year = datetime.now(UTC).year + 1
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    result = ldl("exempt", "TH01", f"report-{year}-q1", "--reason", "giải thể")
    assert result.exit_code == 0, result.output
    out = ldl("status", "--obligation", f"report-{year}-q1", "--format", "json",
              "--now", f"{year}-03-20T09:00+07:00")
    assert {r["union_code"]: r["status"] for r in json.loads(out.output)}["TH01"] == "exempt"
