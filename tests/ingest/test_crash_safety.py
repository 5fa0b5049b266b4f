"""Kill `ldl ingest` (SIGKILL) at many moments: no message is lost or counted twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
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
UNIONS = ["cdmnhoasua@gmail.com", "cdthngoclam@gmail.com", "cdthcsducgiang@gmail.com",
          "cdphuongbode@gmail.com", "cd.mayducgiang@gmail.com"]
N = 40


def message(n: int) -> bytes:
    return build_message(
        subject=f"Báo cáo quý I năm 2021 ({n})", from_=UNIONS[n % len(UNIONS)],
        body="Kính gửi LĐLĐ quận.", date=datetime(2021, 3, 1, 8 + n // 60, n % 60, tzinfo=HCM),
        attachments=[("BC.docx", make_docx(["BÁO CÁO", "x" * 2000, f"{n}"]), DOCX)],
        message_id=f"<crash-{n}@x>")


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_sigkill_anywhere_loses_and_doubles_nothing(ldl: Ldl, mailbox: Mailbox, app: App,
                                                   tmp_path: Path) -> None:
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    for n in range(N):
        mailbox.append(message(n), when=datetime(2021, 3, 1, 8, n, tzinfo=HCM))
    env = {**os.environ, **ldl.env,
           "LDL_IMAP__HOST": "127.0.0.1", "LDL_IMAP__PORT": str(mailbox.server.port),
           "LDL_IMAP__SECURITY": "none", "LDL_IMAP__USER": USER,
           "LDL_IMAP__PASSWORD": PASSWORD, "LDL_IMAP__FOLDER": mailbox.folder,
           "LDL_IMAP__BATCH_SIZE": "7"}
    kills = 0
    delay = 0.9
    for _attempt in range(40):
        proc = subprocess.Popen([sys.executable, "-m", "ldl", "ingest", "--no-progress"],
                                env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            delay += 0.15
            continue
        output = proc.stdout.read().decode() if proc.stdout else ""
        assert proc.returncode == 0, output
        break
    else:
        # Under load every run may have been killed: the last one runs to its end (a
        # generous bound, not a stopwatch), as an operator's next `ldl ingest` would.
        done = subprocess.run([sys.executable, "-m", "ldl", "ingest", "--no-progress"],
                              env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=240, check=False)
        assert done.returncode == 0, done.stdout.decode()
    assert kills >= 3, "the kills did not interrupt anything: make the run longer"
    with app.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Message)) == N
        assert s.scalar(select(func.count()).select_from(Submission)) == N
        per_message = s.execute(select(Submission.message_id, func.count())
                                .group_by(Submission.message_id)).all()
        assert all(c == 1 for _, c in per_message)
        assert s.scalar(select(func.count()).select_from(Message)
                        .where(Message.status != "credited")) == 0
        state = s.scalars(select(MailboxState)).one()
        assert state.last_uid == max(mailbox.uids())
        versions = sorted(s.scalars(select(Submission.version)))
    # five unions, eight reports each: versions 1..8 five times, never a gap or a repeat
    assert versions == sorted(list(range(1, N // len(UNIONS) + 1)) * len(UNIONS))
    ldl.env.update({k: v for k, v in env.items() if k.startswith("LDL_IMAP__")})
    final = ldl("ingest", "--no-progress")
    assert "fetched 0" in final.output  # nothing left behind: the next poll takes nothing


SEEDED_KILLS = 30


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_thirty_seeded_sigkills_during_ingest_over_dovecot(
        ldl: Ldl, mailbox: Mailbox, app: App, tmp_path: Path) -> None:
    """``pytest -m slow``: 30 SIGKILLs at seeded random moments; new mail keeps arriving."""
    import random
    from collections import Counter

    rng = random.Random(20210222)
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    total = 0

    def deliver(count: int) -> None:
        nonlocal total
        for n in range(total, total + count):
            mailbox.append(message(n), when=datetime(2021, 3, 1, 8 + n // 60, n % 60,
                                                      tzinfo=HCM))
        total += count

    deliver(N)
    env = {**os.environ, **ldl.env,
           "LDL_IMAP__HOST": "127.0.0.1", "LDL_IMAP__PORT": str(mailbox.server.port),
           "LDL_IMAP__SECURITY": "none", "LDL_IMAP__USER": USER,
           "LDL_IMAP__PASSWORD": PASSWORD, "LDL_IMAP__FOLDER": mailbox.folder,
           "LDL_IMAP__BATCH_SIZE": "5"}
    kills = 0
    for _attempt in range(SEEDED_KILLS * 4):
        if kills >= SEEDED_KILLS:
            break
        proc = subprocess.Popen([sys.executable, "-m", "ldl", "ingest", "--no-progress"],
                                env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=rng.uniform(0.3, 4.0))
            deliver(10)  # it finished: more mail for the next run to be killed in
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the whole run, workers included
            proc.wait()
            kills += 1
    done = subprocess.run([sys.executable, "-m", "ldl", "ingest", "--no-progress"],
                          env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=600, check=False)
    assert done.returncode == 0, done.stdout.decode()
    assert kills >= SEEDED_KILLS
    per_union = Counter(UNIONS[n % len(UNIONS)] for n in range(total))
    with app.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Message)) == total
        assert s.scalar(select(func.count()).select_from(Submission)) == total
        assert s.scalar(select(func.count()).select_from(Message)
                        .where(Message.status != "credited")) == 0
        versions = sorted(s.scalars(select(Submission.version)))
    assert versions == sorted(v for c in per_union.values() for v in range(1, c + 1))
    print(f"\n{kills} SIGKILLs survived, {total} messages, each credited once")
