"""Child processes die with the process they work for, even when it is SIGKILLed.

A SIGKILLed ``ldl ingest`` used to leave its workers, its forkserver and its resource
tracker running for good (77 processes, 1.5 GiB after one test run): a pool worker blocks
reading its task queue, whose write end it holds itself, so it never sees the end of the
file; the forkserver lives while any worker holds its "alive" pipe; the resource tracker
lives while any of them holds its pipe.  Killing the workers ends the chain: the
forkserver and the tracker then see the end of their pipes and exit by themselves.

Two mechanisms, because a worker's parent is not always the process it works for (with
the forkserver, a worker is the forkserver's child):

* :func:`die_with_parent`: the kernel sends SIGKILL when the parent exits
  (``prctl(PR_SET_PDEATHSIG)``, Linux);
* :func:`watch_process`: a daemon thread waits on a pidfd of the process worked for (or,
  without pidfds, polls it) and SIGKILLs its own process when that one is gone.

:func:`pool_worker_init` is the pool initializer that installs both.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
_POLL_SECONDS = 0.5


def die_with_parent(expected_parent: int | None = None) -> bool:
    """Ask the kernel to SIGKILL this process when its parent exits (Linux only).

    ``expected_parent``: if the parent is already another process (it died between our
    fork and this call, and we were re-parented), exit at once.  Returns False where the
    platform has no such call.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the running program: libc is in it
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if expected_parent is not None and os.getppid() != expected_parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return True


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else: pid reused, ours is gone
        return False
    return True


def watch_process(pid: int) -> threading.Thread:
    """Start a daemon thread that SIGKILLs this process once process ``pid`` has exited."""
    fd: int | None = None
    with contextlib.suppress(AttributeError, OSError):
        fd = os.pidfd_open(pid)  # Linux >= 5.3: readable once the process has exited
    if fd is None and not _alive(pid):
        _kill_self()

    def wait_for_exit() -> None:
        if fd is not None:
            select.select([fd], [], [])
        else:
            while _alive(pid):
                time.sleep(_POLL_SECONDS)
        _kill_self()

    thread = threading.Thread(target=wait_for_exit, name=f"ldl-lifeline-{pid}", daemon=True)
    thread.start()
    return thread


def pool_worker_init(owner_pid: int) -> None:
    """ProcessPoolExecutor initializer: this worker dies with ``owner_pid`` and its parent.

    A worker is single-threaded (but for the watcher, which holds no lock), so its
    extraction helper may be forked from it, which is much cheaper than a new interpreter.
    """
    from ingest import isolate  # isolate imports this module

    die_with_parent()
    watch_process(owner_pid)
    isolate.fork_helpers()
