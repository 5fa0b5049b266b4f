"""Run jobs in a helper process that is killed when a time limit passes.

Parsers of attacker-controlled files (pypdf, openpyxl, xlrd, python-docx) are pure Python
or C extensions that cannot be interrupted from outside.  A thread that times out keeps
running (it cannot be killed): it used to burn CPU after its timeout and, once four were
stuck, every later message was refused extraction until a restart.  Here the jobs run in
a helper process, one after the other:

* the helper runs the jobs back to back and sends each result as it is done;
* the caller waits with a deadline per job and one for the whole list; when one passes,
  it SIGKILLs the helper (nothing is left running), records that job as timed out and,
  while the overall budget lasts, starts a new helper for the jobs after it;
* jobs never started for lack of time are reported as such;
* the helper dies with the process it works for (:func:`ingest.lifeline.watch_process`,
  and the end of its input pipe), and runs under an address-space limit, so a runaway
  parser ends in a MemoryError, not in the machine swapping.

One helper per process is started on first use and kept (a fresh interpreter: no fork of
a process that may have threads; a fork per message would also cost 40-90 ms on this VM,
more than the whole pipeline's time per message).  Jobs are ``(function, args)`` with a
module-level function, pickled to the helper with their data.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ingest.lifeline import watch_process

Kind = Literal["done", "error", "timeout", "budget", "not-started", "died"]
Job = tuple[Callable[..., Any], tuple[Any, ...]]
_HEADER = struct.Struct("!Q")
_START_SECONDS = 120.0  # a helper that is not ready by then is not coming (and is killed)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What became of one job.

    ``done``: ``value`` is its result; ``error``: it raised (``detail`` says what);
    ``timeout``: killed at its own time limit; ``budget``: killed when the time for the
    whole list ran out; ``not-started``: never started, no time was left; ``died``: its
    process ended without an answer (``detail`` says how).
    """

    kind: Kind
    value: Any = None
    detail: str = ""


def run_isolated(jobs: Sequence[Job], *, per_job: float, total: float,
                 memory_bytes: int | None = None, isolate: bool = True) -> list[Outcome]:
    """Run ``jobs`` in order in the killable helper; one :class:`Outcome` per job.

    ``isolate=False`` (or a helper that cannot start) runs them here, one after the
    other, with no limit but their own cooperative ones.
    """
    if not jobs:
        return []
    if not isolate:
        return [_run_here(job) for job in jobs]
    outcomes: list[Outcome | None] = [None] * len(jobs)
    with _lock:
        end = time.monotonic() + total
        start = 0
        while start < len(jobs) and time.monotonic() < end:
            helper = _ready_helper()  # a restart after a kill counts against ``total``
            if helper is None:
                for index in range(start, len(jobs)):
                    outcomes[index] = _run_here(jobs[index])
                break
            start = helper.run(jobs, start, outcomes, per_job, end, memory_bytes)
    return [o or Outcome("not-started") for o in outcomes]


def _run_here(job: Job) -> Outcome:
    func, args = job
    try:
        return Outcome("done", func(*args))
    except Exception as exc:  # noqa: BLE001 - reported with the job, never raised
        return Outcome("error", detail=f"{type(exc).__name__}: {exc}"[:500])


# ---------------------------------------------------------------------------- the caller's side

_lock = threading.Lock()
_helper: _Helper | None = None


def _ready_helper() -> _Helper | None:
    global _helper
    if _helper is not None and _helper.alive():
        return _helper
    if _helper is not None:
        _helper.stop()
    try:
        _helper = _Helper.start()
    except (OSError, RuntimeError) as exc:
        log.warning("extraction helper could not start (%s): reading in this process", exc)
        _helper = None
    return _helper


def ensure_started() -> None:
    """Start this process's helper now, so that its start-up is not counted in a budget."""
    with _lock:
        _ready_helper()


def shutdown() -> None:
    """Stop this process's helper (it is also stopped at exit, and dies with us anyway)."""
    global _helper
    with _lock:
        if _helper is not None:
            _helper.stop()
            _helper = None


def _forget_in_child() -> None:
    """A forked child must not use (or stop) its parent's helper: it starts its own."""
    global _helper, _lock
    _helper, _lock = None, threading.Lock()


atexit.register(shutdown)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


_TIMEOUT = object()


_fork_helpers = False  # set in pool workers: single-threaded, so a fork is safe there


def fork_helpers() -> None:
    """Start helpers by forking this process (30-40 ms here) rather than a new interpreter
    (0.3-1 s).  Only for processes with no other thread that could hold a lock at the
    fork: pool workers (their one watcher thread waits in select, holding none)."""
    global _fork_helpers
    _fork_helpers = True


class _Helper:
    """One helper process and the pipes to it."""

    def __init__(self, pid: int, to_helper: int, from_helper: int) -> None:
        self.pid = pid
        self.to_helper = to_helper
        self.frames = _Frames(from_helper)
        self.returncode: int | None = None

    @classmethod
    def start(cls) -> _Helper:
        helper = cls._fork() if _fork_helpers else cls._spawn()
        if helper.frames.next(time.monotonic() + _START_SECONDS) != ("ready", -1, None):
            helper.stop()
            raise RuntimeError("the helper did not report ready")
        return helper

    @classmethod
    def _spawn(cls) -> _Helper:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ingest.isolate", str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        assert proc.stdin is not None and proc.stdout is not None
        # the pipes are ours from here on; the Popen object only launched the process
        helper = cls(proc.pid, os.dup(proc.stdin.fileno()), os.dup(proc.stdout.fileno()))
        proc.stdin.close()
        proc.stdout.close()
        proc.returncode = 0  # reaped by us (waitpid), not by Popen
        return helper

    @classmethod
    def _fork(cls) -> _Helper:
        requests_r, requests_w = os.pipe()
        frames_r, frames_w = os.pipe()
        owner = os.getpid()
        pid = os.fork()
        if pid == 0:  # the helper: never returns into the caller's code
            code = 0
            try:
                os.close(requests_w)
                os.close(frames_r)
                _serve(owner, requests_r, frames_w)
            except BaseException:  # noqa: BLE001 - the owner sees the pipe close
                code = 70
            finally:
                os._exit(code)
        os.close(requests_r)
        os.close(frames_w)
        return cls(pid, requests_w, frames_r)

    def alive(self) -> bool:
        if self.returncode is not None:
            return False
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            self.returncode = -1
            return False
        if pid == 0:
            return True
        self.returncode = os.waitstatus_to_exitcode(status)
        return False

    def stop(self) -> None:
        """Kill and reap (a helper is only stopped when idle or overdue)."""
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            try:
                _pid, status = os.waitpid(self.pid, 0)
                self.returncode = os.waitstatus_to_exitcode(status)
            except ChildProcessError:
                self.returncode = -1
        for fd in (self.to_helper, self.frames.fd):
            with contextlib.suppress(OSError):
                os.close(fd)

    def run(self, jobs: Sequence[Job], start: int, outcomes: list[Outcome | None],
            per_job: float, end: float, memory_bytes: int | None) -> int:
        """Run jobs from ``start`` until they are done or one is killed; the index of the
        first job still to run (``len(jobs)`` when all are done)."""
        global _helper
        try:
            _send(self.to_helper, ("run", start, (list(jobs[start:]), memory_bytes)))
        except OSError:  # it died while idle (e.g. killed from outside): start another
            self.stop()
            _helper = None
            return start
        # The helper runs the jobs back to back: each starts when the one before it has
        # answered (the first when the request arrives), so no "started" message is
        # needed (under CPU contention every extra wake-up costs milliseconds).
        current, job_end = start, time.monotonic() + per_job
        while True:
            frame = self.frames.next(min(job_end, end))
            if frame is _TIMEOUT:
                self.stop()
                _helper = None
                outcomes[current] = Outcome("timeout" if job_end <= end else "budget")
                return current + 1
            if frame is None:  # the helper ended without answering for the job in hand
                self.stop()
                _helper = None
                outcomes[current] = Outcome("died", detail=_how_it_ended(self.returncode))
                return current + 1
            tag, index, payload = frame
            outcomes[index] = (Outcome("done", payload) if tag == "done"
                               else Outcome("error", detail=str(payload)))
            current, job_end = index + 1, time.monotonic() + per_job
            if current >= len(jobs):
                return current


def _how_it_ended(code: int | None) -> str:
    if code is not None and code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exited with status {code}"


def _send(fd: int, frame: tuple[str, int, Any]) -> None:
    data = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


class _Frames:
    """Reads length-prefixed pickles from a pipe, waiting at most until a deadline."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()

    def next(self, deadline: float | None) -> Any:
        """The next frame; ``_TIMEOUT`` when the deadline passes; None at end of file."""
        while True:
            if len(self.buffer) >= _HEADER.size:
                (size,) = _HEADER.unpack_from(self.buffer)
                if len(self.buffer) >= _HEADER.size + size:
                    data = bytes(self.buffer[_HEADER.size:_HEADER.size + size])
                    del self.buffer[:_HEADER.size + size]
                    return pickle.loads(data)  # noqa: S301 - frames of our own processes
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return _TIMEOUT
                ready, _, _ = select.select([self.fd], [], [], remaining)
                if not ready:
                    return _TIMEOUT
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return None
            self.buffer += chunk


# ---------------------------------------------------------------------------- the helper's side


def _limit_memory(baseline: int, extra: int | None) -> None:
    """Cap the address space at ``baseline`` plus ``extra`` bytes (None: no cap)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = hard if extra is None else baseline + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(OSError, ValueError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def serve(owner: int) -> None:
    """The spawned helper's entry point: requests on stdin, frames on stdout."""
    out = os.dup(1)
    os.dup2(2, 1)  # a stray print() must not corrupt the frames
    _serve(owner, 0, out)


def _serve(owner: int, requests_fd: int, out: int) -> None:
    """The helper's loop: run each request's jobs in order, reporting each one."""
    watch_process(owner)  # the owner SIGKILLed: this process goes too
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the owner's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the owner's stop flag means nothing here
    logging.disable(logging.CRITICAL)  # readers' warnings come back as notes, not stderr
    requests = _Frames(requests_fd)
    import ingest.extract  # noqa: F401 - the readers' modules, loaded once

    baseline = _address_space()
    _send(out, ("ready", -1, None))
    while True:
        frame = requests.next(None)
        if frame is None:  # the owner closed the pipe: done
            return
        _tag, start, (jobs, memory_bytes) = frame
        _limit_memory(baseline, memory_bytes)
        for index, (func, args) in enumerate(jobs, start=start):
            try:
                reply = ("done", index, func(*args))
            except Exception as exc:  # noqa: BLE001 - sent to the owner
                reply = ("error", index, f"{type(exc).__name__}: {exc}"[:500])
            del func, args
            _send(out, reply)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
