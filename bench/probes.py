"""Measuring the pipeline from outside: stage clocks, a timing source wrapper, RSS samples.

Nothing here changes product code.  :class:`StageClock` replaces module-level names that
``ingest.pipeline`` (and ``ingest.parse``) call through with timed wrappers, for the life of
one benchmark process; times are *exclusive* (a stage's own time, without the stages it
calls), so they add up to the wall time together with ``other``.
"""

from __future__ import annotations

import functools
import os
import resource
import time
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from ingest.sources.base import FetchedMessage, MailboxState, Source

_PAGE = os.sysconf("SC_PAGE_SIZE")

# The stages reported, in pipeline order (commit times are kept apart, then folded in).
STAGES: tuple[str, ...] = ("fetch", "store", "store.commit", "reload", "parse", "extract",
                           "rules", "record", "record.commit", "other")


def rss_bytes() -> int:
    """The current resident set size of this process."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * _PAGE


def peak_rss_bytes() -> int:
    """The peak resident set size of this process image (``VmHWM``).

    Not ``ru_maxrss``: Linux carries the parent's high-water mark over fork and exec
    (``signal->maxrss``), so a child started by a 200 MB benchmark process would report at
    least 200 MB whatever it did.  ``VmHWM`` belongs to the process's own address space,
    which exec replaces.  ``ru_maxrss`` is the fallback where /proc is missing.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class _Open:
    """A stage being timed: its name and the time spent in stages it called."""

    __slots__ = ("stage", "children")

    def __init__(self, stage: str) -> None:
        self.stage = stage
        self.children = 0.0


class StageClock:
    """Exclusive time and SQL statements per stage, accumulated across calls.

    Nesting is handled with a stack, so ``parse`` excludes the ``extract`` it calls.
    Only the calling thread is timed (the pipeline is single-threaded; extraction runs in
    a helper thread that the pipeline waits for, which counts as its caller's time).
    """

    def __init__(self) -> None:
        self.totals: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self.calls: dict[str, int] = dict.fromkeys(STAGES, 0)
        self.queries: dict[str, int] = dict.fromkeys(STAGES, 0)
        self._stack: list[_Open] = []
        self._committing = ""  # the commit stage in progress, if any
        self.last_stage = ""
        self._patched: list[tuple[Any, str, Any]] = []

    def run(self, stage: str, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        frame = _Open(stage)
        self._stack.append(frame)
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            self._stack.pop()
            self.totals[stage] += elapsed - frame.children
            self.calls[stage] += 1
            if self._stack:
                self._stack[-1].children += elapsed
            self.last_stage = stage

    def current(self) -> str:
        """The stage running now (a commit counts as its own stage)."""
        if self._committing:
            return self._committing
        return self._stack[-1].stage if self._stack else "other"

    def count_queries(self, engine: Engine) -> None:
        """Count every SQL statement sent, booked to the stage that sent it."""

        def before_execute(*_args: Any) -> None:
            self.queries[self.current()] += 1

        event.listen(engine, "before_cursor_execute", before_execute)

    def wrap(self, owner: ModuleType | object, name: str, stage: str) -> None:
        """Replace ``owner.name`` with a timed wrapper (undone by :meth:`restore`)."""
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            return self.run(stage, original, *args, **kwargs)

        self._patched.append((owner, name, original))
        setattr(owner, name, timed)

    def wrap_hooks(self, hooks: list[Any], stage: str) -> None:
        """Time the pipeline's credit hooks (receipts) as part of ``stage``."""
        for index, hook in enumerate(hooks):
            hooks[index] = functools.partial(self.run, stage, hook)

    def watch_commits(self, sessions: sessionmaker[Session]) -> None:
        """Commit (final flush + COMMIT) time, booked to the stage that ran before it."""
        started: dict[int, float] = {}

        def before(session: Session) -> None:
            started[id(session)] = time.perf_counter()
            self._committing = {"store": "store.commit", "record": "record.commit",
                                "rules": "record.commit"}.get(self.last_stage, "other")

        def after(session: Session) -> None:
            stage, self._committing = self._committing or "other", ""
            start = started.pop(id(session), None)
            if start is None:
                return
            elapsed = time.perf_counter() - start
            self.totals[stage] += elapsed
            self.calls[stage] += 1
            if self._stack:  # a commit inside a timed stage is not that stage's own time
                self._stack[-1].children += elapsed
            self.last_stage = ""

        event.listen(sessions, "before_commit", before)
        event.listen(sessions, "after_commit", after)

    def restore(self) -> None:
        for owner, name, original in reversed(self._patched):
            setattr(owner, name, original)
        self._patched.clear()

    def finish(self, wall: float) -> dict[str, float]:
        """Totals in seconds with ``other`` = wall time not in any stage."""
        out = {k: v for k, v in self.totals.items() if k != "other"}
        out["other"] = max(0.0, wall - sum(out.values())) + self.totals["other"]
        return out


def instrument_pipeline(clock: StageClock, pipeline: Any, engine: Engine) -> None:
    """Wrap every stage the pipeline calls through a module-level name; count statements."""
    import ingest.analyse
    import ingest.parse
    import ingest.pipeline

    # Stages 2-4 live in ingest.analyse (also run by worker processes, which these
    # wrappers do not reach: with workers, their time shows as "other", i.e. waiting).
    for name, stage in (("store_fetched", "store"), ("get_blob", "reload"),
                        ("parse_message", "parse"), ("save_parsed", "record"),
                        ("detect_noise", "rules"), ("classify", "rules"),
                        ("attribute", "rules"), ("decide", "rules"), ("record", "record")):
        owner = ingest.pipeline if hasattr(ingest.pipeline, name) else ingest.analyse
        clock.wrap(owner, name, stage)
    clock.wrap(ingest.parse, "extract_text", "extract")
    clock.wrap_hooks(pipeline.on_credit, "record")
    clock.watch_commits(pipeline.sessions)
    clock.count_queries(engine)


class ProbedSource:
    """A source wrapper: times the source's own work (``fetch``) and samples RSS.

    ``Pipeline.ingest`` reads ``account`` and ``folder`` when present, so they are passed
    through; everything the pipeline calls is forwarded unchanged.
    """

    def __init__(self, inner: Source, clock: StageClock | None, expected: int,
                 samples: int = 20) -> None:
        self.inner = inner
        self.clock = clock
        self.every = max(1, expected // samples)
        self.count = 0
        self.bytes = 0
        self.rss: list[tuple[int, int]] = []  # (messages taken, RSS bytes)

    @property
    def key(self) -> str:
        return self.inner.key

    def __getattr__(self, name: str) -> Any:  # account, folder
        return getattr(self.inner, name)

    def iter_new(self, state: MailboxState | None) -> Iterator[FetchedMessage]:
        self.rss.append((0, rss_bytes()))
        iterator = self.inner.iter_new(state)
        while True:
            start = time.perf_counter()
            try:
                msg = next(iterator)
            except StopIteration:
                break
            finally:
                if self.clock is not None:
                    self.clock.totals["fetch"] += time.perf_counter() - start
            self.count += 1
            self.bytes += len(msg.raw)
            if self.count % self.every == 0:
                self.rss.append((self.count, rss_bytes()))
            yield msg
        self.rss.append((self.count, rss_bytes()))

    def after_store(self, msg: FetchedMessage) -> None:
        self.inner.after_store(msg)

    def close(self) -> None:
        self.inner.close()


def growth_per_1000(samples: list[tuple[int, int]], skip_fraction: float = 0.2) -> float:
    """Least-squares slope of RSS (bytes per 1,000 messages) after the first ``skip`` part.

    The first part is skipped because caches fill there (imports, SQLite pages, the
    directory); a flat memory profile has a slope near zero after it.
    """
    if not samples:
        return 0.0
    last = samples[-1][0]
    points = [(n, r) for n, r in samples if n >= skip_fraction * last]
    if len(points) < 3:
        return 0.0
    mean_n = sum(n for n, _ in points) / len(points)
    mean_r = sum(r for _, r in points) / len(points)
    var = sum((n - mean_n) ** 2 for n, _ in points)
    if var == 0:
        return 0.0
    cov = sum((n - mean_n) * (r - mean_r) for n, r in points)
    return cov / var * 1000
