"""Ingest benchmark: how fast ldl-inbox takes a mailbox, and whether memory stays flat.

    /work/venv/bin/python bench/ingest_bench.py                      # N = 200, 1000, 3000
    /work/venv/bin/python bench/ingest_bench.py --messages 500 --profile --attachments
    /work/venv/bin/python bench/ingest_bench.py \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/test      # + PostgreSQL

It starts a private Dovecot (tests/servers.py), APPENDs a realistic corpus (bench/corpus.py)
to one folder per N, and measures, each in a fresh child process so that the peak RSS is
that run's own:

* ``raw IMAP fetch``: a plain imapclient loop, ``BODY.PEEK[]`` in batches of
  ``--batch-size`` (the source's ``imap.batch_size``): the baseline;
* ``ImapSource.iter_new``: the source alone, nothing stored; the same for the Maildir and
  mbox sources;
* ``Pipeline.ingest``: the whole pipeline into a fresh SQLite database (and PostgreSQL with
  ``--db URL``: a database of its own is created there and dropped), with the time and the
  SQL statements split per stage (bench/probes.py wraps the stages from outside: product
  code is unchanged);
* the same ingest under ``tracemalloc`` (peak and retained Python memory);
* ``ldl ingest --from`` a Maildir and an mbox of the same messages (the real command).

It prints tables and writes every figure as JSON (``--out``, default under /tmp).  See
bench/README.md for what each figure means and the figures measured so far.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make bench/ and tests/ importable
    sys.path.insert(0, str(ROOT))

from bench.corpus import (  # noqa: E402
    BenchMessage,
    CorpusStats,
    build_corpus,
    read_senders,
    write_maildir,
    write_mbox,
)
from bench.probes import (  # noqa: E402
    STAGES,
    ProbedSource,
    StageClock,
    growth_per_1000,
    instrument_pipeline,
    peak_rss_bytes,
    rss_bytes,
)

SAMPLE_DIRECTORY = ROOT / "config" / "data" / "sample_unions.csv"
USER, PASSWORD = "bench", "bench-secret"
MB = 1024 * 1024
RESULT_MARK = "BENCH-RESULT "

# ============================================================================ child tasks
# Each runs in its own process (``--child JSON``) and prints one RESULT_MARK line.


def _imap_settings(task: dict[str, Any]) -> Any:
    from config.settings import ImapSettings

    return ImapSettings(host="127.0.0.1", port=task["port"], user=USER, security="none",
                        folder=task["folder"], batch_size=task["batch"], timeout_seconds=120)


def task_raw(task: dict[str, Any]) -> dict[str, Any]:
    """The baseline: what a bare imapclient loop needs to download every body."""
    from imapclient import IMAPClient

    count = size = 0
    rss_before = rss_bytes()
    cpu, start = time.process_time(), time.perf_counter()
    client = IMAPClient("127.0.0.1", task["port"], ssl=False, timeout=120)
    client.login(USER, PASSWORD)
    client.select_folder(task["folder"], readonly=True)
    uids = sorted(client.search(["ALL"]))
    step = task["batch"]
    for first in range(0, len(uids), step):
        fetched = client.fetch(uids[first:first + step], [b"BODY.PEEK[]"])
        for item in fetched.values():
            count += 1
            size += len(item[b"BODY[]"])
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    client.logout()
    return {"wall": wall, "cpu": cpu, "messages": count, "bytes": size,
            "rss_before": rss_before, "peak_rss": peak_rss_bytes()}


def _drain(probe: ProbedSource) -> dict[str, Any]:
    rss_before = rss_bytes()
    cpu, start = time.process_time(), time.perf_counter()
    for _msg in probe.iter_new(None):
        pass
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    probe.close()
    return {"wall": wall, "cpu": cpu, "messages": probe.count, "bytes": probe.bytes,
            "rss_before": rss_before, "peak_rss": peak_rss_bytes(), "rss_samples": probe.rss}


def task_iter_new(task: dict[str, Any]) -> dict[str, Any]:
    """ImapSource alone: its overhead over the raw loop (sizes first, FetchedMessage...)."""
    from ingest.sources.imap import ImapSource

    source = ImapSource(_imap_settings(task), password=PASSWORD)
    return _drain(ProbedSource(source, None, task["expected"]))


def task_files_source(task: dict[str, Any]) -> dict[str, Any]:
    """A file source alone (Maildir or mbox), as ``ldl ingest --from`` opens it."""
    from ingest.sources.files import open_path_source

    return _drain(ProbedSource(open_path_source(task["path"]), None, task["expected"]))


def _app(task: dict[str, Any]) -> Any:
    from config.settings import load_settings
    from ldl.app import App

    return App(load_settings(None, database_url=task["db_url"],
                             data_dir=Path(task["data_dir"])))


def task_setup(task: dict[str, Any]) -> dict[str, Any]:
    """Schema, calendar and sample directory, in a process of their own."""
    from storage.directory import import_unions

    app = _app(task)
    app.init_db()
    with app.sessions.begin() as session:
        result = import_unions(session, SAMPLE_DIRECTORY)
    app.engine.dispose()
    return {"unions": result.created}


def _profile_extraction(profiles: list[Any]) -> None:
    """Extraction runs in a helper thread, which the main profiler does not see: give each
    call its own profiler (merged afterwards)."""
    import cProfile
    import threading

    import ingest.extract

    original = ingest.extract._dispatch
    local = threading.local()

    def profiled(*args: Any) -> str:
        if getattr(local, "active", False):  # an archive member: already profiled
            inner: str = original(*args)
            return inner
        profiler = cProfile.Profile()
        profiles.append(profiler)
        local.active = True
        try:
            text: str = profiler.runcall(original, *args)
        finally:
            local.active = False
        return text

    ingest.extract._dispatch = profiled  # type: ignore[assignment]


def task_ingest(task: dict[str, Any]) -> dict[str, Any]:
    """``Pipeline.ingest`` over IMAP exactly as ``ldl ingest`` builds it, instrumented."""
    import cProfile
    import pstats
    import tracemalloc

    # What the first attachments would import anyway: loaded before the clock starts, so
    # small and large runs compare per message, and the RSS baseline includes them.
    import docx  # noqa: F401
    import mailparser  # noqa: F401
    import openpyxl  # noqa: F401
    import pypdf  # noqa: F401

    from ingest.sources.imap import ImapSource
    from ldl.ingest_commands import make_pipeline

    app = _app(task).ready()
    pipeline = make_pipeline(app)
    clock = StageClock()
    instrument_pipeline(clock, pipeline, app.engine)
    probe = ProbedSource(ImapSource(_imap_settings(task), password=PASSWORD), clock,
                         task["expected"])
    profiler = cProfile.Profile() if task.get("profile") else None
    thread_profiles: list[cProfile.Profile] = []
    if profiler is not None:
        _profile_extraction(thread_profiles)
    gc.collect()
    rss_before = rss_bytes()
    if task.get("tracemalloc"):
        tracemalloc.start(1)
        start_snapshot = tracemalloc.take_snapshot()
    cpu, start = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    summary = pipeline.ingest(probe)
    if profiler is not None:
        profiler.disable()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    result: dict[str, Any] = {
        "wall": wall, "cpu": cpu, "messages": probe.count, "bytes": probe.bytes,
        "summary": dict(vars(summary)), "stages": clock.finish(wall),
        "calls": clock.calls, "queries": clock.queries, "rss_before": rss_before,
        "rss_samples": probe.rss, "peak_rss": peak_rss_bytes(),
        "pandas_loaded": "pandas" in sys.modules,
    }
    if task.get("tracemalloc"):
        peak = tracemalloc.get_traced_memory()[1]
        gc.collect()  # retained = still referenced, not cyclic garbage awaiting collection
        current = tracemalloc.get_traced_memory()[0]
        top = tracemalloc.take_snapshot().compare_to(start_snapshot, "lineno")[:8]
        tracemalloc.stop()
        result["tracemalloc"] = {"peak": peak, "current": current,
                                 "retained_top": [str(stat) for stat in top]}
    if profiler is not None:
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        for extra in thread_profiles:
            stats.add(extra)
        stats.dump_stats(task["profile"])
        stats.strip_dirs()
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(50)
        result["profile_text"] = text.getvalue()
    clock.restore()
    probe.close()
    url = task["db_url"]
    if url.startswith("sqlite:///"):
        db = Path(url.removeprefix("sqlite:///"))
        result["db_bytes"] = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    app.engine.dispose()
    return result


def task_ldl(task: dict[str, Any]) -> dict[str, Any]:
    """The ``ldl`` command itself (its entry point, in this process, to read VmHWM)."""
    start = time.perf_counter()
    from ldl.cli import main

    imported, cpu = time.perf_counter(), time.process_time()
    output = io.StringIO()
    code: object = 0
    with contextlib.redirect_stdout(output):
        try:
            main(task["argv"])
        except SystemExit as exc:
            code = exc.code
    end, cpu = time.perf_counter(), time.process_time() - cpu
    return {"exit": code, "output": output.getvalue(), "import_s": imported - start,
            "wall": end - imported, "cpu": cpu, "peak_rss": peak_rss_bytes(),
            "pandas_loaded": "pandas" in sys.modules}


TASKS = {"raw": task_raw, "iter_new": task_iter_new, "files_source": task_files_source,
         "setup": task_setup, "ingest": task_ingest, "ldl": task_ldl}


def child_main(spec: str) -> None:
    task = json.loads(spec)
    load = os.getloadavg()[0]
    result = TASKS[task["task"]](task)
    result["load_before"] = load
    sys.stdout.write(RESULT_MARK + json.dumps(result) + "\n")


# ============================================================================ the parent


@dataclass
class ChildRun:
    returncode: int
    wall: float
    stdout: str
    stderr: str

    def result(self) -> dict[str, Any]:
        for line in reversed(self.stdout.splitlines()):
            if line.startswith(RESULT_MARK):
                parsed: dict[str, Any] = json.loads(line[len(RESULT_MARK):])
                parsed["process_wall"] = self.wall
                return parsed
        raise RuntimeError(f"child failed (exit {self.returncode}):\n{self.stderr[-3000:]}")


def clean_env() -> dict[str, str]:
    """The environment without LDL_* settings: every figure is for the defaults."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LDL_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_child(argv: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> ChildRun:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.run(list(argv), cwd=cwd, env=env or clean_env(), stdout=out,
                              stderr=err, stdin=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return ChildRun(proc.returncode, wall, out.read().decode("utf-8", "replace"),
                        err.read().decode("utf-8", "replace"))


def run_task(task: dict[str, Any], cwd: Path,
             env: dict[str, str] | None = None) -> dict[str, Any]:
    run = run_child([sys.executable, str(Path(__file__).resolve()), "--child",
                     json.dumps(task)], cwd, env)
    return run.result()


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="ldl-bench-"))
        self.results: dict[str, Any] = {"runs": {}, "started": datetime.now(UTC).isoformat()}
        self.sizes: list[int] = sorted(set(args.messages))
        self.port = 0
        self._t0 = time.perf_counter()

    def log(self, text: str) -> None:
        elapsed = time.perf_counter() - self._t0
        print(f"[{elapsed:6.1f}s] {text}", file=sys.stderr, flush=True)

    # -- set-up -----------------------------------------------------------------------------
    def build_corpus(self) -> list[BenchMessage]:
        messages = build_corpus(read_senders(SAMPLE_DIRECTORY), max(self.sizes),
                                seed=self.args.seed)
        for n in self.sizes:
            stats = CorpusStats()
            for msg in messages[:n]:
                stats.add(msg)
            self.results.setdefault("corpus", {})[str(n)] = stats.as_dict()
        return messages

    def fill_mailbox(self, messages: list[BenchMessage]) -> None:
        from imapclient import IMAPClient

        with IMAPClient("127.0.0.1", self.port, ssl=False, timeout=120) as client:
            client.login(USER, PASSWORD)
            for n in self.sizes:
                folder = f"bench-{n}"
                client.create_folder(folder)
                for first in range(0, n, 50):
                    chunk = messages[first:min(n, first + 50)]
                    client.multiappend(folder, [{"msg": m.raw, "date": m.received}
                                                for m in chunk])
                client.select_folder(folder, readonly=True)  # index it, warm the cache
                uids = client.search(["ALL"])
                if len(uids) != n:
                    raise RuntimeError(f"{folder}: {len(uids)} messages, expected {n}")
                for first in range(0, n, 200):
                    client.fetch(uids[first:first + 200], [b"BODY.PEEK[]", b"RFC822.SIZE"])

    # -- measurements -----------------------------------------------------------------------
    def imap_task(self, kind: str, n: int, **extra: Any) -> dict[str, Any]:
        task = {"task": kind, "port": self.port, "folder": f"bench-{n}",
                "batch": self.args.batch_size, "expected": n, **extra}
        return run_task(task, self.work)

    def ingest(self, n: int, label: str, url: str | None = None, **extra: Any) -> dict[str, Any]:
        """Set up a database (SQLite under the run's folder unless ``url``), then ingest."""
        data_dir = self.work / f"data-{label}-{n}"
        data_dir.mkdir()
        url = url or f"sqlite:///{data_dir / 'ldl.sqlite3'}"
        db_task = {"db_url": url, "data_dir": str(data_dir)}
        run_task({"task": "setup", **db_task}, self.work)
        result = self.imap_task("ingest", n, **db_task, **extra)
        shutil.rmtree(data_dir, ignore_errors=True)
        return result

    def ingest_postgresql(self, n: int, admin_url: str, **extra: Any) -> dict[str, Any]:
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        from storage.db import make_engine

        admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
        name = f"ldl_bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
            return self.ingest(n, "pg", url, **extra)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    def ldl_from(self, n: int, label: str, path: Path) -> dict[str, Any]:
        """The real command: ``ldl init``, ``unions import``, then ``ingest --from`` timed."""
        home = self.work / f"cli-{label}-{n}"
        home.mkdir()
        env = clean_env()
        env.update({"LDL_DATABASE_URL": f"sqlite:///{home / 'ldl.sqlite3'}",
                    "LDL_DATA_DIR": str(home / "data"), "LDL_CONFIG": ""})
        for argv in (["init"], ["unions", "import", str(SAMPLE_DIRECTORY)]):
            run = run_child([sys.executable, "-m", "ldl", *argv], home, env)
            if run.returncode != 0:
                raise RuntimeError(f"ldl {' '.join(argv)} failed:\n{run.stderr[-2000:]}")
        result = run_task({"task": "ldl", "argv": ["ingest", "--from", str(path),
                                                   "--no-progress"]}, home, env)
        if result["exit"] not in (0, None):
            raise RuntimeError(f"ldl ingest --from {path} exited {result['exit']}")
        lines = result.pop("output").splitlines()
        result["summary_line"] = next((x for x in lines if x.startswith("ingest:")), "")
        result["messages"] = n
        shutil.rmtree(home, ignore_errors=True)
        return result

    def measure(self, n: int) -> None:
        runs: dict[str, Any] = {}
        self.results["runs"][str(n)] = runs
        self.log(f"N={n}: raw IMAP fetch, ImapSource.iter_new, file sources")
        runs["raw"] = self.imap_task("raw", n)
        runs["iter_new"] = self.imap_task("iter_new", n)
        for label, path in (("maildir", self.maildirs[n]), ("mbox", self.mboxes[n])):
            runs[f"source_{label}"] = run_task(
                {"task": "files_source", "path": str(path), "expected": n}, self.work)
        self.log(f"N={n}: Pipeline.ingest -> SQLite")
        runs["ingest_sqlite"] = self.ingest(n, "sqlite")
        for index, url in enumerate(self.args.db):
            self.log(f"N={n}: Pipeline.ingest -> PostgreSQL")
            runs[f"ingest_pg{index or ''}"] = self.ingest_postgresql(n, url)
        if 0 < n <= self.args.tracemalloc_max:
            self.log(f"N={n}: Pipeline.ingest -> SQLite under tracemalloc")
            runs["ingest_sqlite_tracemalloc"] = self.ingest(n, "trace", tracemalloc=True)
        if n in self.file_sizes:
            for label, path in (("maildir", self.maildirs[n]), ("mbox", self.mboxes[n])):
                self.log(f"N={n}: ldl ingest --from {label}")
                runs[f"ldl_{label}"] = self.ldl_from(n, label, path)

    def profile(self, n: int) -> None:
        path = self.out.with_suffix(".prof")
        self.log(f"N={n}: Pipeline.ingest -> SQLite under cProfile ({path})")
        result = self.ingest(n, "prof", profile=str(path))
        result["prof_file"] = str(path)
        self.results["profile"] = result

    def attachments(self, messages: list[BenchMessage]) -> None:
        """Per kind of message, in-process: parse_message split into MIME work and
        extract_text, and the two parsers it could use (mail-parser, the stdlib)."""
        import email
        import email.policy

        import mailparser

        import ingest.parse
        from ingest.parse import parse_message

        by_kind: dict[str, list[bytes]] = {}
        for msg in messages:
            if len(by_kind.setdefault(msg.kind, [])) < self.args.per_kind:
                by_kind[msg.kind].append(msg.raw)
        for raws in by_kind.values():
            parse_message(raws[0])  # imports and caches
        out: dict[str, Any] = {}
        for kind, raws in sorted(by_kind.items()):
            figures: dict[str, list[float]] = {"parse": [], "extract": [], "mailparser": [],
                                               "stdlib": []}
            for raw in raws:
                clock = StageClock()
                clock.wrap(ingest.parse, "extract_text", "extract")
                try:
                    clock.run("parse", parse_message, raw)
                finally:
                    clock.restore()
                figures["parse"].append(clock.totals["parse"] * 1000)
                figures["extract"].append(clock.totals["extract"] * 1000)
                start = time.perf_counter()
                mailparser.parse_from_bytes(raw)
                figures["mailparser"].append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                email.message_from_bytes(raw, policy=email.policy.compat32)
                figures["stdlib"].append((time.perf_counter() - start) * 1000)
            out[kind] = {"messages": len(raws), "avg_kb": sum(map(len, raws)) / len(raws) / 1024,
                         **{f"{k}_ms": statistics.median(v) for k, v in figures.items()}}
        self.results["attachments"] = out

    # -- the whole run ----------------------------------------------------------------------
    def run(self) -> None:
        from tests.servers import start_dovecot

        self.out = Path(self.args.out or f"/tmp/ldl-bench-"
                        f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json")
        self.results["machine"] = machine_facts()
        self.results["options"] = {k: (str(v) if isinstance(v, Path) else v)
                                   for k, v in vars(self.args).items()}
        self.log(f"building a corpus of {max(self.sizes)} messages")
        start = time.perf_counter()
        messages = self.build_corpus()
        self.results["corpus_build_s"] = time.perf_counter() - start
        self.file_sizes = [n for n in self.sizes if n <= self.args.files_max] or (
            [min(self.sizes)] if self.args.files_max > 0 else [])
        self.maildirs = {n: write_maildir(messages[:n], self.work / f"maildir-{n}")
                         for n in self.sizes}
        self.mboxes = {n: write_mbox(messages[:n], self.work / f"mbox-{n}.mbox")
                       for n in self.sizes}
        server = start_dovecot(users={USER: PASSWORD}, tls=False)
        try:
            self.port = server.port
            self.log(f"Dovecot on 127.0.0.1:{server.port}: APPENDing")
            self.fill_mailbox(messages)
            if self.args.attachments:
                self.log("parse/extract per kind of message")
                self.attachments(messages)
            del messages
            gc.collect()
            for n in self.sizes:
                self.measure(n)
            if self.args.profile:
                cap = self.args.profile_messages or max(self.sizes)
                self.profile(max([n for n in self.sizes if n <= cap] or [min(self.sizes)]))
        finally:
            server.stop()
            shutil.rmtree(self.work, ignore_errors=True)
        self.results["total_s"] = time.perf_counter() - self._t0
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.out.write_text(json.dumps(self.results, indent=1, default=str), "utf-8")
        print(render_report(self.results))
        print(f"\nfigures: {self.out}")


def machine_facts() -> dict[str, Any]:
    import imapclient
    import sqlalchemy

    dovecot = subprocess.run(["dovecot", "--version"], capture_output=True, text=True,
                             check=False).stdout.strip()
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "ingest", "storage",
                            "config", "ldl", "scheduler"], capture_output=True, text=True,
                           check=False).stdout.strip()
    return {"commit": commit + ("+changes" if dirty else ""),
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "sqlite": sqlite3.sqlite_version,
            "sqlalchemy": sqlalchemy.__version__, "imapclient": imapclient.__version__,
            "dovecot": dovecot}


# ============================================================================ the report


def _table(title: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    body = [list(header), *[list(r) for r in rows]]
    widths = [max(len(r[i]) for r in body) for i in range(len(header))]
    lines = [title]
    for index, row in enumerate(body):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:],
                                                                          strict=True)]
        lines.append("  " + "  ".join(cells).rstrip())
        if index == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value / MB:.1f}"


THROUGHPUT_RUNS = (
    ("raw", "raw IMAP fetch (baseline)"),
    ("iter_new", "ImapSource.iter_new"),
    ("source_maildir", "MaildirSource.iter_new"),
    ("source_mbox", "MboxSource.iter_new"),
    ("ingest_sqlite", "Pipeline.ingest -> SQLite"),
    ("ingest_pg", "Pipeline.ingest -> PostgreSQL"),
    ("ingest_sqlite_tracemalloc", "  same, under tracemalloc"),
    ("ldl_maildir", "ldl ingest --from Maildir"),
    ("ldl_mbox", "ldl ingest --from mbox"),
)
INGEST_RUNS = (("ingest_sqlite", "SQLite"), ("ingest_pg", "PostgreSQL"))


def render_report(results: dict[str, Any]) -> str:
    runs: dict[str, dict[str, Any]] = results["runs"]
    sizes = sorted(runs, key=int)
    m = results["machine"]
    parts = [f"ldl-inbox {m.get('commit') or '?'} ingest benchmark: {m['cpus']} CPUs, "
             f"Python {m['python']}, SQLite "
             f"{m['sqlite']}, SQLAlchemy {m['sqlalchemy']}, imapclient {m['imapclient']}, "
             f"Dovecot {m['dovecot'].split()[0]}; FETCH batch {results['options']['batch_size']}"]
    corpus = results["corpus"]
    parts.append(_table("\nCorpus", ["", *[f"N={n}" for n in sizes]], [
        ["size (MB)", *[f"{corpus[n]['bytes'] / MB:.1f}" for n in sizes]],
        ["average message (KB)", *[f"{corpus[n]['avg_bytes'] / 1024:.0f}" for n in sizes]],
        ["largest message (KB)", *[f"{corpus[n]['largest'] / 1024:.0f}" for n in sizes]],
        ["with an attachment", *[f"{_with_files(corpus[n]):.0%}" for n in sizes]],
        ["from a directory address", *[
            f"{corpus[n]['known_senders'] / corpus[n]['messages']:.0%}" for n in sizes]],
    ]))
    parts.append(_throughput_table(runs, sizes, corpus))
    for key, label in INGEST_RUNS:
        if any(key in runs[n] for n in sizes):
            parts.append(_stage_table(runs, sizes, key, label))
    parts.append(_outcome_table(runs, sizes))
    parts.append(_memory_table(runs, sizes))
    traced = [n for n in sizes if "ingest_sqlite_tracemalloc" in runs[n]]
    if traced:
        n = traced[-1]
        top = runs[n]["ingest_sqlite_tracemalloc"]["tracemalloc"]["retained_top"]
        parts.append(f"\nStill allocated after the ingest, N={n} (tracemalloc, largest first):"
                     "\n  " + "\n  ".join(_short_path(line) for line in top[:6]))
    if "attachments" in results:
        att = results["attachments"]
        parts.append(_table(
            "\nparse_message per kind of message (median ms, in-process, one thread)",
            ["kind", "msgs", "avg KB", "parse (MIME)", "extract", "total", "mail-parser",
             "stdlib parse"],
            [[k, str(v["messages"]), f"{v['avg_kb']:.0f}", f"{v['parse_ms']:.1f}",
              f"{v['extract_ms']:.1f}", f"{v['parse_ms'] + v['extract_ms']:.1f}",
              f"{v['mailparser_ms']:.1f}", f"{v['stdlib_ms']:.1f}"] for k, v in att.items()]))
    if "profile" in results:
        prof = results["profile"]
        parts.append(f"\ncProfile of Pipeline.ingest -> SQLite, N={prof['messages']} "
                     f"({prof['wall']:.1f}s under the profiler, extraction threads merged in;"
                     f" {prof['prof_file']})\n" + prof["profile_text"].rstrip())
    parts.append(f"\ntotal benchmark time {results['total_s']:.0f}s")
    return "\n".join(parts)


def _short_path(line: str) -> str:
    for prefix in (str(ROOT) + "/", sysconfig.get_paths()["purelib"] + "/"):
        line = line.replace(prefix, "")
    return line


def _with_files(corpus: dict[str, Any]) -> float:
    kinds: dict[str, int] = corpus["kinds"]
    return 1 - (kinds.get("body", 0) + kinds.get("noise", 0)) / int(corpus["messages"])


def _throughput_table(runs: dict[str, dict[str, Any]], sizes: list[str],
                      corpus: dict[str, Any]) -> str:
    rows = []
    for key, label in THROUGHPUT_RUNS:
        for n in sizes:
            run, raw = runs[n].get(key), runs[n].get("raw")
            if run is None:
                continue
            rate = run["messages"] / run["wall"]
            base = raw["messages"] / raw["wall"] if raw else None
            mbps = corpus[n]["bytes"] / MB / run["wall"]
            share = f"{rate / base:.1%}" if base and key != "raw" else ""
            cpu = run.get("cpu")
            rows.append([label, n, f"{rate:.1f}", f"{mbps:.2f}", share, f"{run['wall']:.2f}",
                         f"{cpu / max(1, run['messages']) * 1000:.2f}" if cpu else "-",
                         _mb(run.get("peak_rss")), f"{run.get('load_before', 0):.1f}"])
    return _table("\nThroughput. wall: the measured loop (ldl: the command after its imports);"
                  "\nCPU: this process's CPU time, all threads, servers not included;\n"
                  "load: 1-min load average as the run began (above ~1, something else ran)",
                  ["", "N", "msg/s", "MB/s", "of raw", "wall s", "CPU ms/msg", "peak RSS MB",
                   "load"], rows)


def _stage_table(runs: dict[str, dict[str, Any]], sizes: list[str], key: str,
                 label: str) -> str:
    folded = {"fetch (source)": ("fetch",), "store": ("store",), "store commit":
              ("store.commit",), "reload blob": ("reload",), "parse (MIME)": ("parse",),
              "extract (attachments)": ("extract",), "rules": ("rules",),
              "record": ("record",), "record commit": ("record.commit",), "other": ("other",)}
    assert set(STAGES) == {s for group in folded.values() for s in group}
    header = [f"{label}, per message"]
    for n in sizes:
        header += [f"ms N={n}", "share", "SQL"]
    rows = []
    for name, stages in folded.items():
        cells = [name]
        for n in sizes:
            run = runs[n].get(key)
            if run is None:
                cells += ["-", "-", "-"]
                continue
            count = max(1, run["messages"])
            total = sum(run["stages"][s] for s in stages)
            queries = sum(run["queries"][s] for s in stages)
            cells += [f"{total / count * 1000:.2f}", f"{total / run['wall']:.1%}",
                      f"{queries / count:.1f}"]
        rows.append(cells)
    cells = ["total"]
    for n in sizes:
        run = runs[n].get(key)
        count = max(1, run["messages"]) if run else 1
        cells += ([f"{run['wall'] / count * 1000:.2f}", "100.0%",
                   f"{sum(run['queries'].values()) / count:.1f}"] if run else ["-"] * 3)
    rows.append(cells)
    return _table("\nWhere the time goes: exclusive ms per message, share of the wall time,"
                  " SQL statements per message", header, rows)


def _outcome_table(runs: dict[str, dict[str, Any]], sizes: list[str]) -> str:
    names = ("new", "credited", "triaged", "ignored", "errors", "duplicates")
    rows = []
    for key, label in INGEST_RUNS:
        for n in sizes:
            if key in runs[n]:
                summary = runs[n][key]["summary"]
                rows.append([label, n, *[str(summary[name]) for name in names]])
    return _table("\nOutcomes (the pipeline's own summary)", ["", "N", *names], rows)


def _memory_table(runs: dict[str, dict[str, Any]], sizes: list[str]) -> str:
    def value(n: str, key: str, field: str) -> float | None:
        run = runs[n].get(key)
        return None if run is None or field not in run else float(run[field])

    rows = []
    for key, label in (("raw", "raw IMAP fetch"), ("iter_new", "ImapSource.iter_new"),
                       ("source_mbox", "MboxSource.iter_new"),
                       ("ingest_sqlite", "ingest -> SQLite"),
                       ("ingest_pg", "ingest -> PostgreSQL"),
                       ("ingest_sqlite_tracemalloc", "ingest -> SQLite, tracemalloc"),
                       ("ldl_maildir", "ldl ingest --from Maildir"),
                       ("ldl_mbox", "ldl ingest --from mbox")):
        for n in sizes:
            run = runs[n].get(key)
            if run is None:
                continue
            before, peak = value(n, key, "rss_before"), value(n, key, "peak_rss")
            samples = run.get("rss_samples")
            end = float(samples[-1][1]) if samples else None
            slope = (f"{growth_per_1000(samples) / MB:+.2f}" if samples and int(n) >= 500
                     else "")
            traced = run.get("tracemalloc", {})
            rows.append([label, n, _mb(before), _mb(peak),
                         _mb(peak - before) if peak and before else "-", _mb(end), slope,
                         _mb(traced.get("peak")), _mb(traced.get("current"))])
    return _table("\nMemory (MB). RSS from /proc; peak: VmHWM of the run's own process;\n"
                  "slope: RSS growth per 1000 messages after the first 20% of the run",
                  ["", "N", "RSS before", "peak RSS", "peak-before", "RSS at end",
                   "slope/1000", "tracemalloc peak", "retained"], rows)


# ============================================================================ entry point


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    from config.settings import ImapSettings

    parser = argparse.ArgumentParser(
        description="Ingest throughput and memory of ldl-inbox against a private Dovecot.")
    parser.add_argument("--messages", type=int, nargs="+", default=[200, 1000, 3000],
                        metavar="N", help="mailbox sizes to measure (default: 200 1000 3000)")
    parser.add_argument("--db", action="append", default=[], metavar="URL",
                        help="also ingest into PostgreSQL at URL (a database is created there "
                             "and dropped); 'sqlite' (always measured) is accepted and ignored")
    parser.add_argument("--batch-size", type=int, default=ImapSettings().batch_size,
                        help="UIDs per FETCH, raw loop and source alike (default: %(default)s,"
                             " imap.batch_size)")
    parser.add_argument("--files-max", type=int, default=1000, metavar="N",
                        help="run `ldl ingest --from` Maildir and mbox for the sizes up to N "
                             "(default: %(default)s; 0: never)")
    parser.add_argument("--tracemalloc-max", type=int, default=1000, metavar="N",
                        help="repeat the SQLite ingest under tracemalloc (about 4x slower) for "
                             "the sizes up to N (default: %(default)s; 0: never)")
    parser.add_argument("--profile", action="store_true",
                        help="also run the SQLite ingest under cProfile and print the profile")
    parser.add_argument("--profile-messages", type=int, default=300, metavar="N",
                        help="profile the largest --messages size up to N (default: "
                             "%(default)s; 0: the largest)")
    parser.add_argument("--attachments", action="store_true",
                        help="also time parse_message, extract_text, mail-parser and the "
                             "stdlib parser per kind of message (in-process)")
    parser.add_argument("--per-kind", type=int, default=25, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=2021, help="corpus seed")
    parser.add_argument("--out", type=Path, default=None,
                        help="JSON figures (default: /tmp/ldl-bench-<UTC time>.json)")
    args = parser.parse_args(argv)
    args.db = [url for url in args.db if url != "sqlite"]
    if min(args.messages) < 1:
        parser.error("--messages must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        child_main(argv[1])
        return 0
    Bench(parse_args(argv)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
