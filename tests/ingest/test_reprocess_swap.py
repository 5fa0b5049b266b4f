"""`ldl reprocess` swaps each message's decision in one transaction.

Status is never wrong while it runs (watched from another connection between messages and
while the real command runs), a SIGKILL at any moment leaves every message with its old
decision or its new one, and a later `ldl ingest` finishes what the killed run left: the
result is then the same as a clean run of the new rules in a fresh database.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config.settings import load_settings
from ingest.pipeline import Pipeline, mark_for_rules
from ingest.sources.files import open_path_source
from ingest.triage import assign
from ldl.app import App
from storage.directory import import_unions
from storage.models import Message, Submission
from tests.conftest import SAMPLE_DIRECTORY, Ldl
from tests.ingest.scenario import (
    Decision,
    another_database,
    cli_env,
    decisions,
    finish,
    kill_group,
    missing,
    start,
    teach_addresses,
    write_maildir,
)

N = 48  # enough for worker processes (PARALLEL_FROM = 40)


def clean_run(db_url: str, tmp_path: Path, box: Path) -> dict[str, Decision]:
    """The new rules from scratch: a fresh database, the taught directory, one ingest."""
    with another_database(db_url, tmp_path) as url:
        clean = App(load_settings(None, database_url=url, data_dir=tmp_path / "clean"))
        clean.init_db()
        try:
            with clean.sessions.begin() as s:
                import_unions(s, SAMPLE_DIRECTORY)
            teach_addresses(clean.sessions)
            Pipeline(clean.sessions, clean.settings, clean.calendar).ingest(
                open_path_source(box))
            with clean.sessions() as s:
                return decisions(s, versions=True)
        finally:
            clean.engine.dispose()


def without_versions(found: dict[str, Decision]) -> dict[str, Decision]:
    return {sha: (status, frozenset((u, k.split("#")[0]) for u, k in subs), item)
            for sha, (status, subs, item) in found.items()}


def check_old_or_new(now: dict[str, Decision], old: dict[str, Decision],
                     new: dict[str, Decision]) -> None:
    assert now.keys() == old.keys()
    for sha, decision in now.items():
        assert decision in (old[sha], new[sha]), (sha, decision, old[sha], new[sha])


@pytest.fixture
def store(app: App, ldl: Ldl, tmp_path: Path) -> Path:
    """N messages ingested under the old directory; then the directory learns addresses."""
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    box = write_maildir(tmp_path / "inbox", N)
    assert "errors 0" in ldl("ingest", "--from", str(box), "--no-progress").output
    return box


def test_status_is_never_wrong_between_messages(app: App, store: Path,
                                                tmp_path: Path) -> None:
    with app.sessions() as s:
        old = decisions(s)
    before = missing(app.engine)
    teach_addresses(app.sessions)
    new = clean_run(app.settings.effective_database_url, tmp_path, store)
    after = sum(1 for d in new.values() if d[0] == "credited") - sum(
        1 for d in old.values() if d[0] == "credited")
    assert after > 0, "the directory change must turn triage into credits"
    seen: list[int] = []

    def observe() -> bool:  # asked between messages; reads through its own connection
        seen.append(missing(app.engine))
        with app.sessions() as s:
            check_old_or_new(decisions(s), old, without_versions(new))
        return False

    pipeline = Pipeline(app.sessions, app.settings, app.calendar)
    summary = pipeline.reprocess(stop=observe)
    assert summary.errors == 0 and len(seen) >= N
    final = missing(app.engine)
    assert final < before
    assert all(final <= m <= before for m in seen), (before, final, sorted(set(seen)))
    with app.sessions() as s:
        assert decisions(s, versions=True) == new


def kill_reprocess_repeatedly(app: App, ldl: Ldl, store: Path, tmp_path: Path,
                              kills_wanted: int, seed: int) -> dict[str, int | float]:
    """SIGKILL `ldl reprocess` at seeded moments; check old-or-new after each kill.

    One run without a change first gives its duration; the kills then fall uniformly
    within such a run.  The loop ends after ``kills_wanted`` kills once a kill has left
    messages marked but not re-decided, for `ldl ingest` to finish.
    """
    env = cli_env(ldl)
    began = time.monotonic()
    finish(start(env, tmp_path, "reprocess", "--no-progress"))
    duration = time.monotonic() - began
    with app.sessions() as s:
        old = decisions(s)
    before = missing(app.engine)
    teach_addresses(app.sessions)
    new = clean_run(app.settings.effective_database_url, tmp_path, store)
    new_plain = without_versions(new)
    rng = random.Random(seed)
    kills = mid_run = observations = completed = 0
    left_marked = 0
    while kills < kills_wanted or left_marked == 0:
        assert kills < 3 * kills_wanted, "no kill left work behind: the runs are too short"
        proc = start(env, tmp_path, "reprocess", "--no-progress")
        deadline = time.monotonic() + rng.uniform(0.2, 1.0) * duration
        while time.monotonic() < deadline and proc.poll() is None:
            observed = missing(app.engine)  # from another connection, while it runs
            observations += 1
            assert observed <= before, f"status showed {observed} missing, {before} before"
            time.sleep(0.05)
        if proc.poll() is None:
            kill_group(proc)
            kills += 1
        else:
            finish(proc)
            completed += 1
        with app.sessions() as s:
            check_old_or_new(decisions(s), old, new_plain)
            assert s.scalar(select(func.count()).select_from(Message)
                            .where(Message.status == "quarantined")) == 0
            left_marked = s.scalar(select(func.count()).select_from(Message)
                                   .where(Message.rules_pending)) or 0
        mid_run += bool(left_marked)
    # a later `ldl ingest` finishes what the killed runs left marked
    out = finish(start(env, tmp_path, "ingest", "--from", str(store), "--no-progress"))
    assert "errors 0" in out
    with app.sessions() as s:
        assert decisions(s, versions=True) == new, out
        assert s.scalar(select(func.count()).select_from(Message)
                        .where(Message.rules_pending | (Message.claimed_by.is_not(None)))) == 0
    final_missing = missing(app.engine)
    assert final_missing < before
    return {"kills": kills, "kills_leaving_work": mid_run, "completed_runs": completed,
            "observations": observations, "run_seconds": round(duration, 1),
            "missing_before": before, "missing_after": final_missing}


def test_sigkilled_reprocess_leaves_old_or_new_and_ingest_finishes(
        app: App, ldl: Ldl, store: Path, tmp_path: Path) -> None:
    figures = kill_reprocess_repeatedly(app, ldl, store, tmp_path, kills_wanted=4, seed=7)
    print(f"\nreprocess kills: {figures}")


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11])
def test_many_sigkills_during_reprocess(app: App, ldl: Ldl, store: Path, tmp_path: Path,
                                        seed: int) -> None:
    """16 kills per database: 32 across SQLite and PostgreSQL (``-m slow``)."""
    figures = kill_reprocess_repeatedly(app, ldl, store, tmp_path, kills_wanted=16, seed=seed)
    print(f"\nreprocess kills: {figures}")


def test_an_operator_decision_made_during_a_reprocess_is_kept(app: App, store: Path) -> None:
    """Marked for the rules, then placed by a person before the run reaches it: the
    person's decision stands and the mark goes."""
    with app.sessions() as s:
        triaged = s.scalars(select(Message.id).where(Message.status == "triaged")
                            .order_by(Message.id)).first()
    assert triaged is not None
    with app.sessions.begin() as s:
        mark_for_rules(s, None)
    with app.sessions.begin() as s:
        assign(s, str(triaged), "HC03", ["report-2021-q1"], app.calendar, actor="tester",
               learn=False)
    teach_addresses(app.sessions)
    Pipeline(app.sessions, app.settings, app.calendar).reprocess(message_pks=[])
    with app.sessions() as s:
        message = s.get(Message, triaged)
        assert message is not None
        assert (message.status, message.rules_pending) == ("credited", False)
        assert [sub.decided_by for sub in s.scalars(select(Submission).where(
            Submission.message_id == triaged))] == ["operator:tester"]
        assert s.scalar(select(func.count()).select_from(Message)
                        .where(Message.rules_pending)) == 0
