"""Claims: one run at a time per message, other runs skip it, a dead run's claims are freed.

The end-to-end tests start two real `ldl ingest` (then two `ldl reprocess`) processes at
once over the same stored-but-unprocessed messages, on SQLite and PostgreSQL: nothing may
be quarantined and every message is credited exactly once, with versions 1..n.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.claims import LEASE, RunId, claim, free_dead_claims, release
from ingest.pipeline import IngestSummary, Pipeline
from ingest.sources.files import open_path_source
from ingest.store import store_fetched
from ldl.app import App
from storage.directory import import_unions
from storage.models import Blob, MailboxState, Message, Submission
from tests.conftest import SAMPLE_DIRECTORY, Ldl
from tests.ingest.conftest import PASSWORD, USER, Mailbox
from tests.ingest.scenario import (
    HCM,
    cli_env,
    counts,
    decisions,
    finish,
    message,
    start,
    write_maildir,
)

N = 60


def stored_not_processed(app: App, box: Path) -> list[int]:
    """Stage 1 only, as a run killed between storing and processing leaves them."""
    source = open_path_source(box)
    with app.sessions.begin() as s:
        for fetched in source.iter_new(None):
            store_fetched(s, fetched, source.key)
    source.close()
    with app.sessions() as s:
        return list(s.scalars(select(Message.id).order_by(Message.id)))


def dead_run() -> RunId:
    """The id a run on this host had before it was killed: its process is gone."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    me = RunId.this_process()
    return RunId(me.host, proc.pid, "1", "deadbeef0000")


def test_a_claimed_message_is_skipped_by_another_run(app: App, tmp_path: Path) -> None:
    with app.sessions.begin() as s:
        import_unions(s, SAMPLE_DIRECTORY)
    pks = stored_not_processed(app, write_maildir(tmp_path / "inbox", 4))
    first, second = RunId.this_process(), RunId.this_process()
    assert first != second
    with app.sessions.begin() as s:
        assert claim(s, pks[:2], first) == set(pks[:2])
    with app.sessions.begin() as s:
        assert claim(s, pks, second) == set(pks[2:])  # the first run's two are skipped
    other = Pipeline(app.sessions, app.settings, app.calendar, run_id=RunId.this_process())
    summary = IngestSummary()
    other.process_many(pks, summary)
    assert summary.skipped == 4 and summary.errors == 0  # all claimed by the two runs
    # the first run records its two; the second run's claim went with its release
    mine = Pipeline(app.sessions, app.settings, app.calendar, run_id=first)
    assert [mine.process_one(pk) for pk in pks[:2]] == ["credited", "triaged"]
    assert mine.process_one(pks[2]) == "skipped"  # not its claim: nothing written
    with app.sessions.begin() as s:
        release(s, second)
        assert s.scalar(select(func.count()).select_from(Submission)) == 1
        assert s.scalar(select(func.count()).select_from(Message)
                        .where(Message.claimed_by.is_not(None))) == 0


def test_a_dead_runs_claims_are_taken_over_and_a_live_ones_kept(app: App,
                                                              tmp_path: Path) -> None:
    pks = stored_not_processed(app, write_maildir(tmp_path / "inbox", 3))
    dead, me = dead_run(), RunId.this_process()
    alive = RunId.this_process()  # another pipeline of this very process
    assert RunId.parse(str(dead)) == dead
    elsewhere = RunId("another-host", 1, "", "abcdefabcdef")
    with app.sessions.begin() as s:
        assert claim(s, [pks[0]], dead) == {pks[0]}
        assert claim(s, [pks[1]], elsewhere) == {pks[1]}
        assert claim(s, [pks[2]], alive) == {pks[2]}
    with app.sessions.begin() as s:
        assert free_dead_claims(s, me) == 1  # the other host's run cannot be checked
        assert claim(s, pks, me) == {pks[0]}
    # ... but its claim expires: a run that vanished elsewhere blocks nothing for good
    with app.sessions.begin() as s:
        later = datetime.now(UTC) + LEASE + timedelta(seconds=1)
        assert claim(s, pks, me, now=later) == set(pks)


def test_two_ingests_at_once_credit_each_message_once(app: App, ldl: Ldl,
                                                     tmp_path: Path) -> None:
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    box = write_maildir(tmp_path / "inbox", N)
    stored_not_processed(app, box)
    env = cli_env(ldl)
    runs = [start(env, tmp_path, "ingest", "--from", str(box), "--no-progress")
            for _ in range(2)]
    results = [counts(finish(proc)) for proc in runs]
    decided = [r["credited"] + r["triaged"] + r["ignored"] for r in results]
    assert [r["errors"] for r in results] == [0, 0]
    assert sum(decided) == N, results  # each message decided by exactly one of them
    assert all(d > 0 for d in decided), f"the runs did not overlap: {results}"
    check_each_once(app)
    # then two reprocesses at once: the same decisions, still once each
    with app.sessions() as s:
        before = decisions(s, versions=True)
    runs = [start(env, tmp_path, "reprocess", "--no-progress") for _ in range(2)]
    outputs = [finish(proc) for proc in runs]
    assert all("errors 0" in out for out in outputs), outputs
    with app.sessions() as s:
        assert decisions(s, versions=True) == before
    check_each_once(app)
    print(f"\nconcurrent ingests: {results}; reprocesses: {outputs}")


def check_each_once(app: App) -> None:
    with app.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Message)
                        .where(Message.status.in_(["quarantined", "new"]))) == 0
        per_message = dict(s.execute(select(Submission.message_id, func.count())
                                     .group_by(Submission.message_id)).all())
        assert set(per_message.values()) == {1}
        credited = s.scalar(select(func.count()).select_from(Message)
                            .where(Message.status == "credited"))
        assert len(per_message) == credited == N // 2
        rows = s.execute(select(Submission.union_id, Submission.obligation_key,
                                Submission.version)).all()
    by_pair: dict[tuple[int, str], list[int]] = {}
    for union_id, key, version in rows:
        by_pair.setdefault((union_id, key), []).append(version)
    for versions in by_pair.values():  # numbered 1..n, never twice the same
        assert sorted(versions) == list(range(1, len(versions) + 1))


def test_a_constraint_error_is_retried_never_quarantined(app: App, tmp_path: Path) -> None:
    """What a concurrent run's insert looks like from here: a real unique-key violation
    inside the recording transaction.  Once: retried and credited.  Always: the message
    stays pending (not quarantined) and unclaimed, for the next run."""
    with app.sessions.begin() as s:
        import_unions(s, SAMPLE_DIRECTORY)
    pks = stored_not_processed(app, write_maildir(tmp_path / "inbox", 3))
    with app.sessions() as s:
        taken = s.scalars(select(Message.sha256)).first()
    failures = {"left": 1}

    def clash(session: Session, *_: object) -> None:
        if failures["left"] > 0:
            failures["left"] -= 1
            session.add(Blob(sha256=taken, size=0, data=b""))  # already there: the key clashes
            session.flush()

    pipeline = Pipeline(app.sessions, app.settings, app.calendar, on_credit=[clash])
    summary = IngestSummary()
    pipeline.process_many([pks[0]], summary)
    assert (summary.credited, summary.errors) == (1, 0)
    failures["left"] = 10**6
    summary = IngestSummary()
    pipeline.process_many([pks[2]], summary)
    assert (summary.credited, summary.errors, summary.skipped) == (0, 0, 1)
    with app.sessions() as s:
        message = s.get(Message, pks[2])
        assert message is not None
        assert (message.status, message.claimed_by) == ("new", None)


def test_two_ingests_at_once_over_imap_store_and_credit_once(app: App, ldl: Ldl,
                                                             mailbox: Mailbox,
                                                             tmp_path: Path) -> None:
    """Not stored beforehand: both runs fetch the same UIDs and race to store them too."""
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    for n in range(N):
        mailbox.append(message(n), when=datetime(2021, 3, 1, 8, n, tzinfo=HCM))
    env = cli_env(ldl, LDL_IMAP__HOST="127.0.0.1", LDL_IMAP__PORT=str(mailbox.server.port),
                  LDL_IMAP__SECURITY="none", LDL_IMAP__USER=USER,
                  LDL_IMAP__PASSWORD=PASSWORD, LDL_IMAP__FOLDER=mailbox.folder,
                  LDL_IMAP__BATCH_SIZE="7")
    runs = [start(env, tmp_path, "ingest", "--no-progress") for _ in range(2)]
    results = [counts(finish(proc)) for proc in runs]
    assert [r["errors"] for r in results] == [0, 0]
    assert sum(r["new"] for r in results) == N, results  # each stored by one of them
    assert sum(r["credited"] + r["triaged"] + r["ignored"] for r in results) == N, results
    check_each_once(app)
    with app.sessions() as s:
        assert s.scalars(select(MailboxState)).one().last_uid == max(mailbox.uids())
    again = counts(finish(start(env, tmp_path, "ingest", "--no-progress")))
    assert again["fetched"] == 0, again
    print(f"\nconcurrent IMAP ingests: {results}")
