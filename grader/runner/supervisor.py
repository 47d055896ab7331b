"""The first process of every child: it runs no student code, and cleans up after the process that does.

It makes itself a *child subreaper* (``PR_SET_CHILD_SUBREAPER``) and forks the
worker that serves the grader.  Every process the student's code starts, even
in a new session or through a double fork, stays below the supervisor: orphans
are re-parented to it, not to init.  When the worker ends, or the grader sends
SIGTERM (or dies: ``PR_SET_PDEATHSIG``), the supervisor kills all of them, writes
how the worker ended to the status pipe, and exits.  It only waits for signals,
so forking it from a preloaded process (a fork server) works the same.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import time
from typing import Callable

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
_WATCHED = {signal.SIGCHLD, signal.SIGTERM}


def prctl(option: int, value: int) -> bool:
    """Call Linux's prctl(2); False where it is missing or refused."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(option, ctypes.c_ulong(value), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def fork_worker(status_fd: int) -> None:
    """Fork the worker and return in it; this process stays behind as its supervisor until it ends."""
    parent = os.getppid()
    signal.pthread_sigmask(signal.SIG_BLOCK, _WATCHED)
    prctl(PR_SET_CHILD_SUBREAPER, 1)
    prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the grader died before the death signal was armed
        os._exit(1)
    supervisor = os.getpid()
    worker = os.fork()
    if worker == 0:
        os.close(status_fd)
        signal.pthread_sigmask(signal.SIG_SETMASK, ())
        os.setpgid(0, 0)  # a student's kill(0, ...) reaches the worker's group, not the supervisor
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != supervisor:
            os._exit(1)
        return
    try:
        _supervise(worker, status_fd)
    finally:
        os._exit(0)  # never return into the code that serves the grader


def _supervise(worker: int, status_fd: int) -> None:
    report = None
    while report is None and signal.sigwait(_WATCHED) == signal.SIGCHLD:
        report = _reap(worker)
    _kill_all(worker)
    if report is not None:
        os.write(status_fd, json.dumps(report).encode() + b"\n")


def _reap(worker: int) -> dict[str, int] | None:
    """Reap every child that has ended; how the worker ended, once it has."""
    report = None
    while True:
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return report
        if pid == 0:
            return report
        if pid == worker:
            report = {"status": status, "maxrss_kib": usage.ru_maxrss}


def _kill_all(worker: int) -> None:
    """SIGKILL the worker's process group, then every child of this process, again and again as
    orphans are re-parented to it, until none is left."""
    _kill(os.killpg, worker)
    while True:
        for pid in _children(os.getpid()):
            _kill(os.kill, pid)
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            return
        time.sleep(0.005)


def _kill(send: Callable[[int, int], None], target: int) -> None:
    try:
        send(target, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _children(parent: int) -> list[int]:
    """The processes whose parent is ``parent``, from /proc (empty where there is no /proc)."""
    found = []
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(entry.name))
    return found
