"""`ldl ingest` against a real Dovecot: configured only by LDL_* variables, as documented."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from ldl.app import App
from storage.models import MailboxState, Message, Submission
from tests.conftest import SAMPLE_DIRECTORY, Ldl
from tests.ingest.builders import build_message, make_docx
from tests.ingest.conftest import PASSWORD, USER, Mailbox

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report(n: int, sender: str = "cdmnhoasua@gmail.com") -> bytes:
    return build_message(subject=f"Báo cáo quý I năm 2021 (lần {n})", from_=sender,
                         body="Kính gửi LĐLĐ quận.", date=datetime(2021, 3, 1 + n, 9, tzinfo=HCM),
                         attachments=[("BC quy 1.docx", make_docx(["BÁO CÁO", f"số {n}"]), DOCX)],
                         message_id=f"<imap-{n}@x>")


@pytest.fixture
def imap_ldl(ldl: Ldl, mailbox: Mailbox) -> Ldl:
    ldl.env.update({"LDL_IMAP__HOST": "127.0.0.1", "LDL_IMAP__PORT": str(mailbox.server.port),
                    "LDL_IMAP__SECURITY": "none", "LDL_IMAP__USER": USER,
                    "LDL_IMAP__PASSWORD": PASSWORD, "LDL_IMAP__FOLDER": mailbox.folder})
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    return ldl


def counts(app: App) -> tuple[int, int]:
    with app.sessions() as s:
        return (s.scalar(select(func.count()).select_from(Message)) or 0,
                s.scalar(select(func.count()).select_from(Submission)) or 0)


def test_ingest_over_imap_exactly_once(imap_ldl: Ldl, mailbox: Mailbox, app: App) -> None:
    for n in (1, 2, 3):
        mailbox.append(report(n), when=datetime(2021, 3, 1 + n, 9, tzinfo=HCM))
    first = imap_ldl("ingest")
    assert first.exit_code == 0, first.output
    assert "new 3" in first.output and "credited 3" in first.output
    assert counts(app) == (3, 3)
    with app.sessions() as s:
        versions = sorted(s.scalars(select(Submission.version)))
        internal = s.scalars(select(Message.received_at).order_by(Message.id)).first()
    assert versions == [1, 2, 3]  # three reports of one union: versions in received order
    assert internal == datetime(2021, 3, 2, 9, tzinfo=HCM)  # INTERNALDATE, not Date:

    again = imap_ldl("ingest")
    assert "fetched 0" in again.output and counts(app) == (3, 3)

    mailbox.append(report(4), when=datetime(2021, 3, 5, 9, tzinfo=HCM))
    third = imap_ldl("ingest")
    assert "fetched 1" in third.output and "new 1" in third.output
    assert counts(app) == (4, 4)
    assert all("\\Seen" not in str(f) for f in mailbox.flags().values())  # staff's inbox intact

    old_validity = mailbox.uidvalidity()
    raws = [report(n) for n in (1, 2, 3, 4)]
    mailbox.recreate()
    for raw in raws:
        mailbox.append(raw)
    assert mailbox.uidvalidity() != old_validity
    rescan = imap_ldl("ingest")
    assert "fetched 4" in rescan.output and "duplicates 4" in rescan.output
    assert counts(app) == (4, 4)
    with app.sessions() as s:
        state = s.scalars(select(MailboxState)).one()
    assert state.uidvalidity == mailbox.uidvalidity() and state.last_uid == max(mailbox.uids())
    assert state.last_success_at is not None and state.last_error is None
    assert imap_ldl("health").exit_code == 0


def test_wrong_password_is_one_clear_line(imap_ldl: Ldl, mailbox: Mailbox) -> None:
    imap_ldl.env["LDL_IMAP__PASSWORD"] = "not-the-password"
    result = imap_ldl("ingest")
    assert result.exit_code == 2
    assert result.output.startswith("ldl: error:")
    assert USER in result.output and "not-the-password" not in result.output
    health = imap_ldl("health")
    assert health.exit_code == 1 and "FAILED" in health.output


def test_no_mailbox_configured(ldl: Ldl) -> None:
    result = ldl("ingest")
    assert result.exit_code == 2
    assert "no mailbox configured" in result.output and "--from" in result.output


def test_plain_imap_refused_off_loopback(imap_ldl: Ldl) -> None:
    imap_ldl.env["LDL_IMAP__HOST"] = "imap.example.org"
    result = imap_ldl("ingest")
    assert result.exit_code == 2 and "unencrypted" in result.output


def test_ldl_run_picks_up_new_mail_promptly_and_stops_on_sigterm(
        imap_ldl: Ldl, mailbox: Mailbox, app: App, tmp_path: Path) -> None:
    env = {**os.environ, **imap_ldl.env, "LDL_IMAP__POLL_MINUTES": "10"}
    proc = subprocess.Popen([sys.executable, "-m", "ldl", "run"], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120  # generous: a loaded machine starts slowly
        while time.monotonic() < deadline:  # the first poll has run: the state exists
            with app.sessions() as s:
                if s.scalars(select(MailboxState)).first() is not None:
                    break
            time.sleep(0.2)
        appended = time.monotonic()
        mailbox.append(report(7), when=datetime(2021, 3, 9, 9, tzinfo=HCM))
        while time.monotonic() < appended + 90:  # IDLE: long before the 10-minute poll
            if counts(app) == (1, 1):
                break
            time.sleep(0.2)
        assert counts(app) == (1, 1), "new mail not picked up while idling"
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out
    assert "ingest: fetched 1" in out and "ldl run: stopped" in out
    assert "secret" not in out  # the password never reaches the log
