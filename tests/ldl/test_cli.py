from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config.calendar import load_calendar
from ldl.app import App
from storage.models import AuditEvent, Union
from tests.conftest import SAMPLE_DIRECTORY, Ldl

COLUMNS = ["union_code", "union_name", "bloc", "obligation", "due_at", "status",
           "first_received_at", "submissions"]


def test_help_lists_every_command_in_one_line() -> None:
    out = subprocess.run([sys.executable, "-m", "ldl", "--help"], capture_output=True,
                         text=True, check=True).stdout
    commands = out.split("Commands:")[1].strip().splitlines()
    names = [line.split()[0] for line in commands]
    for expected in ("init", "config", "unions", "exempt", "status", "sql"):
        assert expected in names
    assert all(len(line.split(None, 1)) == 2 for line in commands)  # each has its one line


def test_status_acceptance(ldl: Ldl) -> None:
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    result = ldl("status", "--now", "2021-03-20T09:00+07:00", "--format", "csv")
    assert result.exit_code == 0, result.output
    records = list(csv.DictReader(io.StringIO(result.output)))
    assert list(records[0]) == COLUMNS
    by_obligation: dict[str, set[str]] = {}
    for r in records:
        by_obligation.setdefault(r["obligation"], set()).add(r["status"])
    assert by_obligation["report-2021-q1"] == {"missing"}
    assert by_obligation["dvk-2021"] == {"missing"}
    for later in ("report-2021-h1", "report-2021-q3", "report-2021-y"):
        assert by_obligation[later] == {"pending"}
    active = [line for line in SAMPLE_DIRECTORY.read_text("utf-8").splitlines()[1:]
              if line.split(",")[4] == "1"]
    q1 = {r["union_code"] for r in records if r["obligation"] == "report-2021-q1"}
    # every active union, except the one founded in May, owes Q1
    assert q1 == {line.split(",")[0] for line in active} - {"DN06"}
    table = ldl("status", "--now", "2021-03-20T09:00+07:00")
    assert "missing" in table.output and "Rates per bloc" in table.output


def test_status_filters_and_json(ldl: Ldl) -> None:
    ldl("unions", "import", str(SAMPLE_DIRECTORY))
    result = ldl("status", "--obligation", "dvk-2021", "--bloc", "th", "--format", "json",
                 "--now", "2021-01-05T08:00")
    records = json.loads(result.output)
    assert records and all(r["bloc"] == "th" and r["obligation"] == "dvk-2021"
                           and r["status"] == "pending" for r in records)
    assert list(records[0]) == COLUMNS


def test_exempt_is_audited(ldl: Ldl, app: App) -> None:
    ldl("unions", "import", str(SAMPLE_DIRECTORY))
    result = ldl("exempt", "TH01", "dvk-2021", "--reason", "sáp nhập trường")
    assert result.exit_code == 0, result.output
    out = ldl("status", "--obligation", "dvk-2021", "--format", "json",
              "--now", "2021-03-01T00:00+07:00").output
    assert {r["union_code"]: r["status"] for r in json.loads(out)}["TH01"] == "exempt"
    with app.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "exempt")).one()
    assert event.subject == "TH01/dvk-2021" and event.details["reason"] == "sáp nhập trường"
    bad = ldl("exempt", "NOPE", "dvk-2021", "--reason", "x")
    assert bad.exit_code == 2 and "no union with code 'NOPE'" in bad.output


def test_sql_reads_views_and_refuses_writes(ldl: Ldl, app: App) -> None:
    ldl("unions", "import", str(SAMPLE_DIRECTORY))
    out = ldl("sql", "SELECT count(*) AS n FROM v_compliance WHERE bloc = 'th'",
              "--format", "json").output
    # `ldl` mirrors every obligation up to the real clock: each year's reports since 2020
    mirrored = len(load_calendar().specs_until(datetime.now(UTC)))
    assert mirrored >= 4 * 7 + 1  # 2020..2026 and dvk-2021
    assert json.loads(out) == [{"n": 16 * mirrored}]
    for statement in ("DELETE FROM unions", "UPDATE unions SET name = 'x'",
                      "CREATE TABLE t (x int)"):
        refused = ldl("sql", statement)
        assert refused.exit_code == 2
        assert "query refused" in refused.output
    with app.sessions() as s:  # as the owner: on PostgreSQL `ldl sql` sees the views only
        assert s.scalar(select(func.count()).select_from(Union)) == 34


def test_errors_are_one_line_exit_2(ldl: Ldl, tmp_path: Path) -> None:
    result = ldl("status", "--now", "yesterday")
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "--now 'yesterday'" in result.output
    result = ldl("status", "--obligation", "report-1999-q1")
    assert result.exit_code == 2 and "unknown obligation" in result.output
    result = ldl("unions", "import", str(tmp_path / "missing.csv"))
    assert result.exit_code == 2 and "no such file" in result.output


def test_unreachable_database_says_how_to_fix(tmp_path: Path) -> None:
    env = {"LDL_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
           "LDL_CONFIG": "", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "ldl", "status"], capture_output=True,
                          text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("ldl: error: cannot reach the database")
    assert "LDL_DATABASE_URL" in proc.stderr
    assert "Traceback" not in proc.stderr
    debug = subprocess.run([sys.executable, "-m", "ldl", "--debug", "status"],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "Traceback" in debug.stderr


def test_uninitialised_database(tmp_path: Path) -> None:
    env = {"LDL_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}", "LDL_CONFIG": ""}
    result = Ldl(env)("status")
    assert result.exit_code == 2 and "run `ldl init`" in result.output


@pytest.mark.parametrize("times", [2])
def test_init_twice_is_harmless(ldl: Ldl, times: int) -> None:
    for _ in range(times):
        result = ldl("init")
        assert result.exit_code == 0
    assert "up to date" in result.output


def test_config_show_masks_secrets(ldl: Ldl) -> None:
    ldl.env["LDL_IMAP__PASSWORD"] = "hunter2"
    result = ldl("config", "show")
    assert result.exit_code == 0
    assert "hunter2" not in result.output and "password = '***'" in result.output
