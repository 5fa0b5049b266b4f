"""Shared fixtures: a database per test on SQLite and, when configured, on PostgreSQL.

``LDL_TEST_DATABASE_URL`` names a PostgreSQL server (any database on it); the tests make a
database of their own there and drop it at the end, so runs never collide.  Without it the
PostgreSQL half is skipped with the reason, except under CI (``CI=true``), where a missing
or unreachable server is a failure.
"""

from __future__ import annotations

import contextlib
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from config.settings import load_settings
from ingest import isolate
from ldl.app import App
from storage.db import make_engine
from tests.processes import Proc, all_processes, descendants, kill_all, wait_until_gone

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_URL = os.environ.get("LDL_TEST_DATABASE_URL", "")


LEAK_GRACE_SECONDS = 20.0  # servers stopped by the last fixtures may take a moment to exit


def _test_processes(baseline: set[int]) -> list[Proc]:
    """Live processes this pytest run started and that are still there: its descendants and
    the members of its process group (orphans of a killed child are re-parented but keep
    the group), less pytest itself, its ancestors and whatever existed before the run."""
    me = os.getpid()
    procs = all_processes()
    found = {p.pid: p for p in descendants(me, procs)}
    found.update({p.pid: p for p in procs if p.pgid == os.getpgid(0)})
    ancestors, pid = set(), me
    by_pid = {p.pid: p for p in procs}
    while pid in by_pid and pid not in ancestors:
        ancestors.add(pid)
        pid = by_pid[pid].ppid
    return [p for pid, p in sorted(found.items()) if pid not in ancestors | baseline]


def _stop_own_helpers() -> None:
    """Stop what this pytest process keeps for itself between tests (it would stop at
    exit): its extraction helper, and the forkserver and resource tracker that in-process
    pipeline runs start once per process."""
    isolate.shutdown()
    for module, name in (("multiprocessing.forkserver", "_forkserver"),
                         ("multiprocessing.resource_tracker", "_resource_tracker")):
        stop = getattr(getattr(sys.modules.get(module), name, None), "_stop", None)
        if stop is not None:
            with contextlib.suppress(Exception):
                stop()


@pytest.fixture(scope="session", autouse=True)
def no_process_left_behind() -> Iterator[None]:
    """Fail the run if a test left a process running (issue 7: SIGKILL tests leaked their
    forkservers, resource trackers and workers).  Leftovers are killed after reporting."""
    if not Path("/proc/self/stat").exists():
        yield
        return
    baseline = {p.pid for p in _test_processes(set())}
    yield
    _stop_own_helpers()
    left = wait_until_gone(lambda: _test_processes(baseline), LEAK_GRACE_SECONDS)
    if left:
        kill_all(left)
        pytest.fail("processes left running by the tests:\n" + "\n".join(map(str, left)),
                    pytrace=False)


def require_or_skip(reason: str) -> None:
    """Skip on a developer's machine; fail under CI, where every server must be present."""
    if IN_CI:
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    if not PG_URL:
        require_or_skip("LDL_TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    name = f"ldl_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - reported as skip/fail with its reason
        admin.dispose()
        require_or_skip(f"PostgreSQL at {PG_URL} is unreachable: {exc}")
    url = make_url(PG_URL).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _reset_pg(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or the session's PostgreSQL database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ldl.sqlite3'}"
    url: str = request.getfixturevalue("pg_server_url")
    _reset_pg(url)
    return url


@pytest.fixture
def app(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """An :class:`App` on a migrated database, its data under ``tmp_path``."""
    for key in [k for k in os.environ if k.startswith("LDL_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    application = App(load_settings(None, database_url=db_url, data_dir=tmp_path / "data"))
    application.init_db()
    yield application
    application.engine.dispose()


@pytest.fixture
def engine(app: App) -> Engine:
    return app.engine


class Ldl:
    """Runs the ``ldl`` command in-process with a chosen environment."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def __call__(self, *args: str, input: str | None = None) -> Result:
        from ldl.cli import _register_optional, cli

        _register_optional()
        runner = CliRunner()
        return runner.invoke(cli, list(args), obj={}, env=self.env, input=input,
                             catch_exceptions=False)


@pytest.fixture
def ldl(app: App, tmp_path: Path) -> Ldl:
    """``ldl`` bound to the test's database."""
    return Ldl({"LDL_DATABASE_URL": app.settings.effective_database_url,
                "LDL_DATA_DIR": str(tmp_path / "data"), "LDL_CONFIG": ""})


SAMPLE_DIRECTORY = Path(__file__).resolve().parents[1] / "config" / "data" / "sample_unions.csv"


def mirror_as_in_2021(app: App) -> None:
    """The obligations table as `ldl init` left it in 2021: no row of a later year.

    Lets a test show that mail or a clock reaching a later year makes that year's rows,
    whatever the real clock of the machine running the test.
    """
    from sqlalchemy import delete, select

    from storage.models import Obligation, ObligationBloc

    with app.sessions.begin() as s:
        later = select(Obligation.key).where(Obligation.year > 2021)
        s.execute(delete(ObligationBloc).where(ObligationBloc.obligation_key.in_(later)))
        s.execute(delete(Obligation).where(Obligation.year > 2021))


def obligation_keys(app: App) -> set[str]:
    """The obligations mirrored in the database."""
    from sqlalchemy import select

    from storage.models import Obligation

    with app.sessions() as s:
        return set(s.scalars(select(Obligation.key)))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` run only when asked for (``-m slow``): they take minutes."""
    if "slow" in (config.option.markexpr or ""):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]
