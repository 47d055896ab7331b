"""How the fork server cleans up after a worker: Linux's prctl, and killing every process left below it.

The fork server (:mod:`grader.runner.forkserver`) runs no student code.  It
makes itself a *child subreaper* (``PR_SET_CHILD_SUBREAPER``), so every process
the student's code starts, even in a new session or through a double fork,
stays below it: orphans are re-parented to it, not to init.  When a worker
ends, :func:`kill_all` kills all of them.
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
import time
from typing import Callable

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38


@functools.cache
def libc() -> ctypes.CDLL:
    """The C library, loaded once (a forked worker inherits it)."""
    return ctypes.CDLL(None, use_errno=True)


def die_with(parent: int) -> None:
    """Have the kernel SIGKILL this process when ``parent`` dies; exit now if it already has."""
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)


def prctl(option: int, value: int) -> bool:
    """Call Linux's prctl(2); False where it is missing or refused."""
    try:
        return libc().prctl(option, ctypes.c_ulong(value), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def kill_all(worker: int) -> None:
    """SIGKILL the worker's process group, then every child of this process, again and again as
    orphans are re-parented to it, until none is left."""
    kill_quietly(os.killpg, worker)
    while True:
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:  # no child left, not even a zombie
            return
        for pid in _children(os.getpid()):
            kill_quietly(os.kill, pid)
        time.sleep(0.005)


def kill_quietly(send: Callable[[int, int], None], target: int) -> None:
    """SIGKILL ``target`` with ``send`` (``os.kill`` or ``os.killpg``); gone or out of reach is fine."""
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
