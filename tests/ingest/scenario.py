"""A store for the concurrency and kill tests: who sent what, what was decided, and runs of
the real ``ldl`` command in their own process group (a kill takes the workers with it).

Half of the messages come from addresses of the sample directory (credited at once), half
from addresses no union has yet (triaged); :func:`teach_addresses` then gives those to
unions that had sent nothing, so a reprocess turns triage into credits and ``missing`` can
only go down while it runs.
"""

from __future__ import annotations

import mailbox
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine
from storage.models import Message, Submission, TriageItem, Union, UnionAddress
from tests.conftest import Ldl
from tests.ingest.builders import DOCX, build_message, make_docx

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
KNOWN = ["cdmnhoasua@gmail.com", "cdthngoclam@gmail.com", "cdthcsducgiang@gmail.com",
         "cdphuongbode@gmail.com", "cd.mayducgiang@gmail.com"]
#: unions of the sample directory that send nothing from their own addresses here
TAUGHT = ["HC03", "HC04", "HC05", "HC06", "HC07", "HC08"]

#: (status, the (union, obligation) pairs credited, open triage) of one message
Decision = tuple[str, frozenset[tuple[str, str]], bool]


def unknown_address(n: int) -> str:
    return f"vanthu.donvi{n % len(TAUGHT)}@gmail.com"


def message(n: int) -> bytes:
    """Report ``n``: even numbers from a known address, odd ones from an unknown one."""
    sender = KNOWN[(n // 2) % len(KNOWN)] if n % 2 == 0 else unknown_address(n // 2)
    return build_message(
        subject=f"Báo cáo quý I năm 2021 ({n})", from_=sender, body="Kính gửi LĐLĐ quận.",
        date=datetime(2021, 3, 1, 8, n % 60, n // 60, tzinfo=HCM),
        attachments=[("BC.docx", make_docx(["BÁO CÁO", "x" * 2000, f"{n}"]), DOCX)],
        message_id=f"<scenario-{n}@x>")


def write_maildir(path: Path, count: int) -> Path:
    box = mailbox.Maildir(path, create=True)
    for n in range(count):
        box.add(message(n))
    return path


def teach_addresses(sessions: sessionmaker[Session]) -> None:
    """The directory learns the unknown senders (what `ldl unions import` would do)."""
    with sessions.begin() as s:
        for i, code in enumerate(TAUGHT):
            union = s.scalars(select(Union).where(Union.code == code)).one()
            s.add(UnionAddress(union_id=union.id, address=unknown_address(i)))


def decisions(session: Session, *, versions: bool = False) -> dict[str, Decision]:
    """Every message's decision, by its sha256 (the same in any database)."""
    subs: dict[int, set[tuple[str, str]]] = {}
    for message_id, code, key, version in session.execute(
            select(Submission.message_id, Union.code, Submission.obligation_key,
                   Submission.version).join(Union, Union.id == Submission.union_id)):
        subs.setdefault(message_id, set()).add((code, f"{key}#{version}" if versions else key))
    open_items = set(session.scalars(select(TriageItem.message_id)
                                     .where(TriageItem.status == "open")))
    return {sha: (status, frozenset(subs.get(pk, ())), pk in open_items)
            for pk, sha, status in session.execute(select(Message.id, Message.sha256,
                                                          Message.status))}


def missing(engine: Engine) -> int:
    """What `ldl status` and `ldl remind` would call missing now, read from the view."""
    with engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT COUNT(*) FROM v_compliance WHERE status = 'missing'")).scalar_one())


def cli_env(ldl: Ldl, **extra: str) -> dict[str, str]:
    return {**os.environ, **ldl.env, **extra}


def start(env: dict[str, str], cwd: Path, *args: str) -> subprocess.Popen[bytes]:
    """``ldl ARGS`` in a process group of its own, so a kill takes its workers too."""
    return subprocess.Popen([sys.executable, "-m", "ldl", *args], env=env, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def finish(proc: subprocess.Popen[bytes], timeout: float = 600) -> str:
    try:
        out, _ = proc.communicate(timeout=timeout)
    finally:
        kill_group(proc)  # whatever it left behind in its group
    text_out = out.decode()
    assert proc.returncode == 0, text_out
    return text_out


def counts(output: str) -> dict[str, int]:
    """The numbers of the summary line: ``ingest: fetched 3, new 3, ... skipped 0``."""
    line = next(ln for ln in output.splitlines() if ln.startswith(("ingest:", "reprocess:")))
    pairs = [p.strip().rsplit(" ", 1) for p in line.split(":", 1)[1].split(",")]
    return {name: int(value) for name, value in pairs}


@contextmanager
def another_database(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind (a clean run to compare with)."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / f'clean-{uuid.uuid4().hex[:6]}.sqlite3'}"
        return
    name = f"ldl_clean_{uuid.uuid4().hex[:12]}"
    admin = make_engine(db_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(db_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
