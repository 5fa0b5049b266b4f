"""The ingest and scheduler commands as an operator runs them (file transport, no network)."""

from __future__ import annotations

import json
import mailbox
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ldl.app import App
from tests.conftest import SAMPLE_DIRECTORY, Ldl
from tests.ingest.builders import build_message, make_docx, make_xlsx

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def inbox(path: Path) -> Path:
    box = mailbox.Maildir(path, create=True)
    when = datetime(2021, 3, 10, 9, tzinfo=HCM)
    box.add(build_message(subject="Báo cáo quý I năm 2021", from_="cdmnhoasua@gmail.com",
                          body="Kính gửi.", date=when, message_id="<ok@x>",
                          attachments=[("BC.docx", make_docx(["BÁO CÁO quý I"]), DOCX)]))
    box.add(build_message(subject="bao cao quy 1", from_="stranger@yahoo.com",
                          body="gui bao cao", date=when, message_id="<who@x>",
                          attachments=[("bc.xlsx", make_xlsx([["Nội dung", "Số"]]), XLSX)]))
    return path


@pytest.fixture
def ready(ldl: Ldl, tmp_path: Path) -> Ldl:
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    result = ldl("ingest", "--from", str(inbox(tmp_path / "Maildir")), "--no-progress")
    assert result.exit_code == 0, result.output
    assert "new 2" in result.output and "credited 1" in result.output
    assert "triaged 1" in result.output
    return ldl


def test_triage_list_show_assign(ready: Ldl) -> None:
    listed = json.loads(ready("triage", "list", "--format", "json").output)
    assert [r["message_id"] for r in listed] == ["who@x"]
    shown = ready("triage", "show", "who@x").output
    assert "stranger@yahoo.com" in shown and "bc.xlsx" in shown and "triage: open" in shown
    assert ready("triage", "assign", "who@x", "NOPE").exit_code == 2
    done = ready("triage", "assign", "who@x", "DN02", "--obligation", "report-2021-q1")
    assert done.exit_code == 0, done.output
    assert json.loads(ready("triage", "list", "--format", "json").output) == []
    subs = json.loads(ready("sql", "SELECT union_code, obligation FROM v_submissions "
                            "ORDER BY union_code", "--format", "json").output)
    assert subs == [{"union_code": "DN02", "obligation": "report-2021-q1"},
                    {"union_code": "TH01", "obligation": "report-2021-q1"}]
    emails = ready("unions", "list", "--format", "json").output
    assert "stranger@yahoo.com" in emails  # the directory learnt the address
    assert "reprocess: credited 1" in ready("reprocess", "--no-progress").output


def test_remind_dry_run_then_send_to_files(ready: Ldl, app: App) -> None:
    dry = ready("remind", "--now", "2021-03-12T09:00+07:00", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would be sent" in dry.output and "report-2021-q1 (before-2)" in dry.output
    th01 = next(line for line in dry.output.splitlines() if line.startswith("TH01"))
    assert "dvk-2021" in th01 and "report-2021-q1" not in th01  # TH01 sent Q1 on 10/03
    sent = ready("remind", "--now", "2021-03-12T09:00+07:00")
    assert "queued" in sent.output and "sent" in sent.output
    outbox = app.settings.outbox_dir  # the file transport, the embedded default
    files = list(Path(ready.env["LDL_DATA_DIR"], "outbox").glob("*.eml"))
    assert files and outbox.name == "outbox"
    again = ready("remind", "--now", "2021-03-12T10:00+07:00")
    assert "queued 0" in again.output
    night = ready("remind", "--now", "2021-03-12T22:00+07:00")
    assert "outside the sending window" in night.output


def test_digest_dry_run_and_send(ready: Ldl) -> None:
    dry = ready("digest", "--now", "2021-03-16T08:00+07:00", "--dry-run")
    assert dry.exit_code == 0, dry.output
    html = Path(dry.output.split("html: ")[1].split()[0])
    xlsx = Path(dry.output.split("xlsx: ")[1].split()[0])
    assert html.exists() and xlsx.exists()
    assert "<table" in html.read_text("utf-8")
    no_one = ready("digest", "--now", "2021-03-16T08:00+07:00")
    assert no_one.exit_code == 2 and "recipients" in no_one.output
    to = ready("digest", "--now", "2021-03-16T08:00+07:00", "--to", "lanhdao@example.vn")
    assert "queued" in to.output and "sent 1" in to.output
    twice = ready("digest", "--now", "2021-03-16T09:00+07:00", "--to", "lanhdao@example.vn")
    assert "already queued" in twice.output
    listed = ready("outbox", "list", "--format", "json").output
    assert json.loads(listed)[0]["status"] == "sent"


def test_health_without_any_poll(ldl: Ldl) -> None:
    result = ldl("health")
    assert result.exit_code == 1 and "no mailbox has been polled" in result.output


def test_run_stops_cleanly_on_sigterm(app: App, tmp_path: Path) -> None:
    env = {**os.environ, "LDL_DATABASE_URL": app.settings.effective_database_url,
           "LDL_DATA_DIR": str(tmp_path / "data"), "LDL_CONFIG": ""}
    env.pop("LDL_IMAP__HOST", None)
    proc = subprocess.Popen([sys.executable, "-m", "ldl", "run"], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        lines = []
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "started" in line:
                break
        assert any("ldl run: started" in ln for ln in lines), "".join(lines)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "stopped" in out
