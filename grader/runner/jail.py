"""How a worker confines itself before any student code runs: limits, its own user, an empty root, seccomp.

Called by the fork server's worker (:mod:`grader.runner.forkserver`) and by
the probes of :mod:`grader.runner.sandbox`, which try the very same steps.
The order matters: the working folder is handed to the student's user and
made the root while this process is still root; then the limits (hard ones
too), then the user switch drops every right, then no new privileges and the
seccomp filter (:mod:`grader.runner.seccomp`), which binds all the student starts.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from typing import Any

from grader.runner import seccomp
from grader.runner.supervisor import PR_SET_NO_NEW_PRIVS, prctl


def apply_limits(memory_mb: int, cpu_seconds: int, file_mb: int, open_files: int, processes: int | None) -> None:
    """Cap this process for good (hard limits too): address space, CPU time, file size, open files,
    processes of its user (``None``: leave as is), POSIX message queues (none) and no core dumps."""
    def cap(which: int, value: int, slack: int = 0) -> None:
        _, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard - slack)
        resource.setrlimit(which, (value, value + slack))

    cap(resource.RLIMIT_AS, memory_mb * 1024 * 1024)
    cap(resource.RLIMIT_CPU, cpu_seconds, slack=1)  # SIGXCPU first, SIGKILL a second later
    cap(resource.RLIMIT_FSIZE, file_mb * 1024 * 1024)
    cap(resource.RLIMIT_NOFILE, open_files)
    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_MSGQUEUE, 0)
    if processes is not None:
        cap(resource.RLIMIT_NPROC, processes)


def become(uid: int) -> None:
    """Switch to user ``uid`` (group ``uid``, no other groups) for good: root's rights are gone."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def confine(home: str, user: int | None, jail: bool, limits: dict[str, Any] | None, filtered: bool) -> None:
    """Confine this process: ``home`` its working folder (its root when ``jail``), ``user`` the uid to become
    (None: stay), ``limits`` the keyword arguments of :func:`apply_limits` (None: none), ``filtered`` whether
    the seccomp filter is installed (at every level that is a security boundary: an error here is raised)."""
    if jail:
        if user is not None:
            os.chown(home, user, user)
        os.chroot(home)
        home = "/"
    os.chdir(home)
    os.environ.update(HOME=home, TMPDIR=home)
    if limits is not None:
        apply_limits(**limits)
    if user is not None:
        become(user)
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    if filtered:
        seccomp.install()


def probe(config: str) -> None:
    """What the sandbox's trial runs: confine as a worker would, then check that the student's code could run."""
    settings = json.loads(config)
    import fractions  # noqa: F401 - what the fork server preloads must import before the jail closes
    import numpy  # noqa: F401

    confine(settings["jail"] or os.getcwd(), settings["user"], settings["jail"] is not None, None, True)
    if settings["user"] is not None and os.getuid() != settings["user"]:
        sys.exit("the user switch did not take")
    if settings["jail"] is not None and os.listdir("/"):
        sys.exit("the empty root is not empty")
