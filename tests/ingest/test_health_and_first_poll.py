"""`ldl health` counts the [imap] mailbox only; `ldl run` judges after its first poll.

Against a real Dovecot.  A back-fill (`ldl ingest --from`) leaves a `mailbox_state` row of
its own that is never polled again: it must neither make the service unhealthy once it is
old, nor stand in for a mailbox that was never polled.  The daemon's digest and reminders
must see the mail its first poll brought in.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from config.settings import load_settings
from ldl.app import App
from ldl.ingest_commands import make_pipeline
from scheduler.daemon import Daemon
from scheduler.jobs import Services
from storage.blobs import get_blob
from storage.directory import import_unions
from storage.models import MailboxState, OutboxItem, ReminderLog, Submission, Union
from tests.conftest import SAMPLE_DIRECTORY, Ldl
from tests.ingest.builders import build_message, make_docx
from tests.ingest.conftest import PASSWORD, USER, Mailbox

pytestmark = pytest.mark.imap

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# six unions of the sample directory, each sending its Q1 report
SENDERS = ["cdcq.ubndlongbien@gmail.com", "cdphuongbode@gmail.com",
           "congdoan.ngoclam@gmail.com", "cdgiathuy@gmail.com", "cdducgiang@gmail.com",
           "cdviethung@gmail.com"]
# Mon 15/03/2021 08:30: the weekly digest ("mon 07:30") is due, and so is Q1's "after-1"
MOMENT = datetime(2021, 3, 15, 8, 30, tzinfo=HCM)


def report(n: int, sender: str) -> bytes:
    return build_message(subject="Báo cáo quý I năm 2021", from_=sender,
                         body="Kính gửi LĐLĐ quận.", date=datetime(2021, 3, 10, 9, tzinfo=HCM),
                         attachments=[("BC quy 1.docx", make_docx(["BÁO CÁO", f"số {n}"]),
                                       DOCX)],
                         message_id=f"<first-poll-{n}@x>")


def imap_env(mailbox: Mailbox) -> dict[str, str]:
    return {"LDL_IMAP__HOST": "127.0.0.1", "LDL_IMAP__PORT": str(mailbox.server.port),
            "LDL_IMAP__SECURITY": "none", "LDL_IMAP__USER": USER,
            "LDL_IMAP__PASSWORD": PASSWORD, "LDL_IMAP__FOLDER": mailbox.folder}


@pytest.fixture
def backfilled(ldl: Ldl, tmp_path: Path, app: App) -> Ldl:
    """The README's order: directory, then a back-fill from files, made two hours old."""
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    folder = tmp_path / "takeout"
    folder.mkdir()
    (folder / "1.eml").write_bytes(report(100, SENDERS[0]))
    result = ldl("ingest", "--from", str(folder))
    assert result.exit_code == 0, result.output
    with app.sessions.begin() as s:  # as if the back-fill ran two hours ago
        s.execute(update(MailboxState).values(
            last_success_at=datetime.now(UTC) - timedelta(hours=2),
            last_attempt_at=datetime.now(UTC) - timedelta(hours=2)))
    return ldl


def test_an_old_backfill_does_not_make_the_service_unhealthy(
        backfilled: Ldl, mailbox: Mailbox, app: App) -> None:
    backfilled.env.update(imap_env(mailbox))
    assert backfilled("ingest").exit_code == 0
    with app.sessions() as s:
        assert s.scalar(select(func.count()).select_from(MailboxState)) == 2
    health = backfilled("health")
    assert health.exit_code == 0, health.output
    assert f"{USER}@127.0.0.1:{mailbox.server.port} {mailbox.folder}: ok" in health.output
    assert "takeout" not in health.output


def test_a_backfill_is_not_the_mailbox(backfilled: Ldl, mailbox: Mailbox) -> None:
    backfilled.env.update(imap_env(mailbox))  # configured, but `ldl run` never polled it
    health = backfilled("health", "--max-age", "1000")  # the back-fill is recent enough
    assert health.exit_code == 1
    assert "not polled yet" in health.output


def test_without_a_mailbox_a_backfill_does_not_make_it_healthy(backfilled: Ldl) -> None:
    health = backfilled("health", "--max-age", "1000")  # the back-fill is recent enough
    assert health.exit_code == 1, health.output
    assert "no IMAP mailbox is configured" in health.output


def test_health_reports_uncertain_mail(backfilled: Ldl, app: App) -> None:
    with app.sessions.begin() as s:
        s.add(OutboxItem(dedup_key="remind:x", kind="reminder", recipients=["a@x.vn"],
                         subject="s", message_id_header="<m@x>", status="uncertain"))
    health = backfilled("health")
    assert "1 mail(s) may or may not have been delivered" in health.output


# -- the first digest of `ldl run` ------------------------------------------------------------


def plain_text(item: OutboxItem, app: App) -> str:
    with app.sessions() as s:
        raw = get_blob(s, item.mime_sha256 or "")
    message = message_from_bytes(raw, policy=email_policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())  # type: ignore[attr-defined]


def test_ldl_run_digest_and_reminders_wait_for_the_first_poll(
        mailbox: Mailbox, app: App, tmp_path: Path) -> None:
    with app.sessions.begin() as s:
        import_unions(s, SAMPLE_DIRECTORY)
    for n, sender in enumerate(SENDERS):
        mailbox.append(report(n, sender), when=datetime(2021, 3, 10 + n % 3, 9, tzinfo=HCM))
    settings = load_settings(
        None, database_url=app.settings.effective_database_url, data_dir=tmp_path / "data",
        imap=mailbox.settings(password=PASSWORD).model_dump(),
        digest={"recipients": ["lanhdao@ldl.vn"]})
    run_app = App(settings)
    daemon = Daemon(Services.build(run_app.sessions, settings, run_app.calendar),
                    make_pipeline(run_app), clock=lambda: MOMENT)
    daemon.start()
    try:
        deadline = time.monotonic() + 180  # a bound for a hung daemon, not a timing check
        kinds: set[str] = set()
        while time.monotonic() < deadline and kinds != {"digest", "reminder"}:
            time.sleep(0.2)
            with app.sessions() as s:
                kinds = set(s.scalars(select(OutboxItem.kind).distinct()))
    finally:
        daemon.shutdown()
        run_app.engine.dispose()
    assert kinds == {"digest", "reminder"}, "the daemon queued no digest and reminders"
    with app.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Submission)) == len(SENDERS)
        digest = s.scalars(select(OutboxItem).where(OutboxItem.kind == "digest")).one()
        q1_reminded = set(s.scalars(
            select(Union.code).join(ReminderLog, ReminderLog.union_id == Union.id)
            .where(ReminderLog.obligation_key == "report-2021-q1",
                   ReminderLog.status == "queued")))
        senders = set(s.scalars(select(Union.code).join(Submission)))
    text = plain_text(digest, app)
    arrived = re.search(r"ĐÃ NHẬN TỪ \S+: (\d+) văn bản", text)
    assert arrived is not None, text
    assert int(arrived.group(1)) == len(SENDERS)
    assert "hộp thư chưa được đọc" not in text
    assert len(senders) == len(SENDERS)
    assert q1_reminded and not q1_reminded & senders  # those who sent Q1 are not reminded of it
