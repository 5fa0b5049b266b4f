"""Finding the processes a test started, from /proc (Linux), to prove none is left behind.

Zombies are not counted: they have exited and only wait for their parent (or init) to
collect their status.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    pgid: int
    sid: int
    state: str
    cmdline: str

    def __str__(self) -> str:
        return f"pid {self.pid} (ppid {self.ppid}, pgid {self.pgid}): {self.cmdline[:120]}"


def read_proc(pid: int) -> Proc | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
        cmdline = (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:  # gone meanwhile
        return None
    # the command name is in parentheses and may itself hold spaces and parentheses
    fields = stat[stat.rindex(")") + 2:].split()
    return Proc(pid, int(fields[1]), int(fields[2]), int(fields[3]), fields[0],
                cmdline.decode("utf-8", "replace").strip())


def all_processes() -> list[Proc]:
    out = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            proc = read_proc(int(entry.name))
            if proc is not None and proc.state != "Z":
                out.append(proc)
    return out


def in_session(sid: int) -> list[Proc]:
    """Live processes of session ``sid`` (a process started with start_new_session)."""
    return [p for p in all_processes() if p.sid == sid]


def descendants(pid: int, procs: Iterable[Proc]) -> list[Proc]:
    procs = list(procs)
    children: dict[int, list[Proc]] = {}
    for p in procs:
        children.setdefault(p.ppid, []).append(p)
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child.pid)
    return out


def wait_until_gone(find: Callable[[], list[Proc]], seconds: float) -> list[Proc]:
    """What ``find`` still reports after waiting up to ``seconds`` for it to be empty."""
    deadline = time.monotonic() + seconds
    while True:
        left = find()
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.1)


def kill_all(procs: Iterable[Proc]) -> None:
    """SIGKILL the given processes (cleanup after a failed check; they are the test's)."""
    for p in procs:
        with contextlib.suppress(OSError):
            os.kill(p.pid, signal.SIGKILL)
