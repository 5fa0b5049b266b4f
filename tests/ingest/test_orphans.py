"""A SIGKILLed ``ldl ingest`` leaves nothing running (issue 7, item 9).

Each killed run used to leave its forkserver, resource tracker and worker processes
running for good.  Here ``ldl ingest --from`` runs in a session of its own over a Maildir
big enough to start its worker pool; only the main process is SIGKILLed, mid-run, and
every other process of that session must be gone within a bounded wait.
"""

from __future__ import annotations

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

from tests.conftest import SAMPLE_DIRECTORY, Ldl
from tests.ingest.builders import build_message, make_docx
from tests.processes import in_session, kill_all, wait_until_gone

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc and relies on Linux's pidfd/prctl")

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MESSAGES = 400
WORKERS = 2


def big_maildir(path: Path) -> Path:
    box = mailbox.Maildir(path, create=True)
    senders = ["cdmnhoasua@gmail.com", "cdthngoclam@gmail.com", "cdthcsducgiang@gmail.com"]
    report = make_docx(["BÁO CÁO", "x" * 3000])
    for n in range(MESSAGES):
        box.add(build_message(
            subject=f"Báo cáo quý I năm 2021 ({n})", from_=senders[n % len(senders)],
            body="Kính gửi LĐLĐ quận.", date=datetime(2021, 3, 1, 8, n % 60, tzinfo=HCM),
            message_id=f"<orphan-{n}@x>",
            attachments=[("BC.docx", report, DOCX)]))
    return path


@pytest.mark.timeout(300)
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sigkilled_ingest_leaves_no_process(ldl: Ldl, tmp_path: Path) -> None:
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    maildir = big_maildir(tmp_path / "Maildir")
    env = {**os.environ, **ldl.env, "LDL_INGEST__WORKERS": str(WORKERS)}
    proc = subprocess.Popen([sys.executable, "-m", "ldl", "ingest", "--from", str(maildir),
                             "--no-progress"], env=env, cwd=tmp_path, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # mid-run: the pool is up (workers, forkserver, resource tracker) and working
        deadline = time.monotonic() + 240
        while len(in_session(proc.pid)) < 1 + 2 + WORKERS and proc.poll() is None:
            assert time.monotonic() < deadline, "the worker pool never started"
            time.sleep(0.05)
        started = in_session(proc.pid)
        assert proc.poll() is None, "the run ended before the kill: make the Maildir bigger"
        names = " ".join(p.cmdline for p in started)
        assert "forkserver" in names and "resource_tracker" in names, names
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        left = wait_until_gone(lambda: in_session(proc.pid), 30)
        assert not left, (f"{len(started)} processes before the kill; left:\n"
                          + "\n".join(map(str, left)))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        kill_all(in_session(proc.pid))


@pytest.mark.timeout(60)
def test_a_watched_process_takes_its_watcher_with_it(tmp_path: Path) -> None:
    """watch_process, as pool workers use it, across two unrelated processes."""
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    code = ("import sys, time; from ingest.lifeline import watch_process; "
            "watch_process(int(sys.argv[1])); print('ready', flush=True); time.sleep(600)")
    watcher = subprocess.Popen([sys.executable, "-c", code, str(owner.pid)],
                               stdout=subprocess.PIPE, cwd=Path(__file__).resolve().parents[2])
    try:
        assert watcher.stdout is not None and watcher.stdout.readline() == b"ready\n"
        assert watcher.poll() is None
        owner.kill()
        owner.wait()
        assert watcher.wait(timeout=30) == -signal.SIGKILL
    finally:
        for p in (owner, watcher):
            if p.poll() is None:
                p.kill()
                p.wait()
