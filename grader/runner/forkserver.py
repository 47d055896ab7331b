"""The fork server: a long-lived process, in the sandbox, that forks one worker per lesson file.

Started by :mod:`grader.runner.servers` (in bubblewrap or as a plain process)
with one JSON argument: the file descriptor of its control socket and the
folders to wipe between workers.  It imports NumPy, SymPy and the modules of
:data:`PRELOADED` once, says ``{"ready": true}``, then serves one worker at a time:

* ``{"op": "spawn", "limits", "user", "home", "jail", "filtered", "disk_mb"}`` with three descriptors
  (requests in, answers out, the worker's stdout/stderr) forks a worker that
  confines itself (:func:`grader.runner.jail.confine`: limits, ``home`` as its
  empty root when ``jail``, the user ``user``, seccomp when ``filtered``; the
  server stops it if it writes more than ``disk_mb`` there) and serves the grader
  (:func:`grader.runner.child.serve`); the server answers ``{"spawned": pid}``.
  NumPy counts against the student's memory limit, as when each worker
  imported it; the preloaded SymPy does not;
* ``{"op": "stop"}`` kills that worker and everything it started.

It runs no student code itself.  It is a child subreaper, so every process
the student starts (new session, double fork) stays below it; once the worker
has ended, it kills all of them, then, as the student's user, every process of
that user left anywhere, its IPC objects and the shared folders' files, and says ``{"ended": {"status", "maxrss_kib"}}``.  Only then does it
take the next spawn: no two workers ever run side by side, and none sees what
an earlier one left.  When the grader goes (its end of the socket closes, or
it dies: ``PR_SET_PDEATHSIG``), the server kills what is left and exits.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import select
import socket
import sys
from types import ModuleType
from typing import Any, NoReturn

from grader.runner.child import serve
from grader.runner.jail import become, confine
from grader.runner.supervisor import PR_SET_CHILD_SUBREAPER, die_with, kill_all, kill_quietly, prctl
from grader.runner.sandbox import running_tasks
from grader.runner.wipe import ipc_objects, remove_ipc, wipe

MESSAGE_BYTES = 1 << 16
WATCH_MS = 100  # how often a worker's own folder is measured
MAX_ENTRIES = 10_000  # files and folders a worker may make
PRELOADED = ("math", "cmath", "random", "statistics", "copy", "functools", "itertools", "collections", "fractions",
             "decimal", "numbers", "operator", "time", "typing", "dataclasses", "json", "re", "string", "warnings",
             "abc", "enum", "heapq", "bisect", "textwrap", "pprint", "contextlib", "numpy.linalg", "numpy.random",
             "numpy.fft", "numpy.polynomial", "numpy.testing", "encodings.idna", "encodings.ascii",
             "encodings.latin_1", "encodings.utf_16", "encodings.utf_32", "grader.runner.callables")
_FDS = 3  # requests, answers, output


class Server:
    """The server's state: its control socket and the worker now running (if any)."""

    def __init__(self, control: socket.socket, wipe: list[str], uncounted_mib: int) -> None:
        self.control = control
        self.wipe = [f for f in wipe if os.path.isdir(f)]
        self.present = {f: set(os.listdir(f)) for f in self.wipe}  # mount points the sandbox made: not the student's
        self.uncounted_mib = uncounted_mib  # memory preloaded for the student, not counted in the limit

    def send(self, message: dict[str, Any]) -> None:
        """One message to the grader."""
        self.control.send(json.dumps(message).encode())

    def receive(self) -> tuple[dict[str, Any], list[int]] | None:
        """The grader's next message and the descriptors it carries; None once the grader is gone."""
        try:
            data, fds, _, _ = socket.recv_fds(self.control, MESSAGE_BYTES, _FDS)
        except ConnectionError:
            return None
        return (json.loads(data), fds) if data else None

    def serve(self) -> None:
        """Spawn, supervise and clean up workers until the grader goes."""
        while (message := self.receive()) is not None:
            request, fds = message
            if request.get("op") != "spawn" or len(fds) != _FDS:
                for fd in fds:
                    os.close(fd)
                continue
            worker = self.spawn(request, fds)
            self.send({"spawned": worker})
            disk_mb = request.get("disk_mb")
            report, gone = self.supervise(worker, (request["home"], disk_mb) if disk_mb else None)
            self.clean(request.get("user"))
            if gone:
                return
            self.send({"ended": report})

    def spawn(self, request: dict[str, Any], fds: list[int]) -> int:
        """Fork a worker for ``request``; the server's copies of its descriptors are closed."""
        worker = os.fork()
        if worker == 0:
            _worker(request, fds, self.uncounted_mib)
        for fd in fds:
            os.close(fd)
        return worker

    def supervise(self, worker: int, watch: tuple[str, int] | None) -> tuple[dict[str, int], bool]:
        """Wait until the worker ends (or is stopped), then kill every process left.

        ``watch`` is the worker's own folder and the MiB it may fill (where no
        size-capped file system bounds it): a worker that writes more is killed.
        Returns how the worker ended and whether the grader has gone meanwhile.
        """
        pidfd = os.pidfd_open(worker)
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        poller.register(self.control, select.POLLIN)
        gone = over = False
        try:
            while True:
                ready = [fd for fd, _ in poller.poll(WATCH_MS if watch else None)]
                if pidfd in ready:
                    break
                if not ready:
                    if watch is not None and not over and disk_over(*watch):
                        over = True
                        kill_quietly(os.killpg, worker)
                        kill_quietly(os.kill, worker)
                    continue
                message = self.receive()
                gone = message is None
                if gone:
                    poller.unregister(self.control)
                if gone or message[0].get("op") == "stop":
                    kill_quietly(os.killpg, worker)
                    kill_quietly(os.kill, worker)
        finally:
            os.close(pidfd)
        _, status, usage = os.wait4(worker, 0)
        kill_all(worker)
        return {"status": status, "maxrss_kib": usage.ru_maxrss, "disk_full": int(over)}, gone

    def left_behind(self, user: int | None) -> bool:
        """Whether the last worker left anything to clean: a file, an IPC object, a process of its user
        (looked up without a fork, which costs the fork server milliseconds)."""
        files = any(set(os.listdir(f)) - self.present[f] for f in self.wipe)
        return files or bool(ipc_objects()) or (user is not None and bool(running_tasks(user)))

    def clean(self, user: int | None) -> None:
        """After a worker: as the student's user, kill whatever of that user is left anywhere (a uid is
        never reused, so that is the student's and nothing else), remove its IPC objects and empty the
        shared folders, so the next worker finds nothing."""
        if not self.left_behind(user):
            return
        cleaner = os.fork()
        if cleaner == 0:
            try:
                if user is not None:
                    become(user)
                    kill_quietly(os.kill, -1)  # every process this user may signal: its own
                for folder in self.wipe:
                    wipe(folder)
                remove_ipc()
            finally:
                os._exit(0)
        os.waitpid(cleaner, 0)


def _worker(request: dict[str, Any], fds: list[int], uncounted_mib: int) -> NoReturn:
    """In the forked worker: keep only its own descriptors, apply the limits, serve the grader; never returns."""
    try:
        server = os.getppid()
        os.setsid()  # its own session and group: a student's kill(0, ...) never reaches the server
        die_with(server)
        requests, answers, output = fds
        for target in (1, 2):
            os.dup2(output, target)
        os.close(output)
        _close_all_but(0, 1, 2, requests, answers)
        limits = request["limits"]
        confine(request["home"], request["user"], request["jail"],
                {**limits, "memory_mb": limits["memory_mb"] + uncounted_mib}, request["filtered"])
        serve(requests, answers)
    finally:
        os._exit(0)


def disk_over(folder: str, limit_mb: int) -> bool:
    """Whether the files below ``folder`` take more than ``limit_mb`` MiB, or are more than :data:`MAX_ENTRIES`."""
    used, entries, stack = 0, 0, [folder]
    while stack:
        try:
            listing = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in listing:
            entries += 1
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            used += max(info.st_size, info.st_blocks * 512)  # written but not yet on disk, or sparse: its size
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
        if used > limit_mb << 20 or entries > MAX_ENTRIES:
            return True
    return False


def mapped_mib() -> int:
    """The address space this process has mapped, in MiB (what the memory limit bounds)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE") >> 20


def _warm(sympy: ModuleType) -> None:
    """Do once what SymPy and NumPy do lazily the first time they are used (tens of ms per worker, and
    imports a worker in an empty root could not do)."""
    x, y, w = sympy.symbols("x y w")
    for formula in (2 * x * (x * w - y), sympy.exp(-w) / (1 + sympy.sqrt(x)) ** 2 - sympy.Rational(1, 2) * y):
        str(formula)
        str(sympy.diff(formula, w))
        sympy.lambdify((x, y, w), formula, "numpy")(1.0, 2.0, 3.0)  # imports what lambdify needs at call time
        sympy.lambdify((x, y, w), formula)(1.0, 2.0, 3.0)
    exec("from numpy import *; from sympy import *; from math import *", {})  # a student's star imports
    loss = (x * w - y) ** 2  # what students call, each importing modules of its own the first time
    sympy.simplify(sympy.diff(loss, w))
    sympy.solve(sympy.diff(loss, w), w)
    sympy.integrate(loss, w)
    sympy.series(sympy.exp(x), x, 0, 3)
    sympy.limit(sympy.sin(x) / x, x, 0)
    sympy.factor(x ** 2 - 1)
    sympy.Matrix([[1, 2], [3, 4]]).inv()
    sympy.nsimplify(0.5)
    sympy.trigsimp(sympy.sin(x) ** 2 + sympy.cos(x) ** 2)
    sympy.latex(loss)
    sympy.pretty(loss)
    sympy.sympify("x + 1")
    sympy.lambdify(x, sympy.sin(x), "math")(1.0)


def _close_all_but(*keep: int) -> None:
    """Close every descriptor of this process except ``keep`` (the control socket above all)."""
    low = 0
    for fd in sorted(set(keep)):
        if low < fd:  # os.closerange(n, n) would close from n on
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX"))


def main() -> None:
    """Entry point: ``python -c BOOT CONFIG`` (see :mod:`grader.runner.servers`)."""
    config = json.loads(sys.argv[1])
    sys.argv = ["student"]
    parent = os.getppid()
    prctl(PR_SET_CHILD_SUBREAPER, 1)
    die_with(parent)
    import numpy  # noqa: F401 - every worker has it, counted in its memory as when it imported it itself

    counted = mapped_mib()
    import sympy  # most lessons import it: preloaded, not counted

    _warm(sympy)
    for name in (*PRELOADED, *config["packages"]):  # a worker locked in an empty root imports nothing else
        importlib.import_module(name)

    gc.collect()
    gc.freeze()  # the preloaded objects stay out of the workers' collections: fewer pages copied
    server = Server(socket.socket(fileno=config["control"]), config["wipe"], mapped_mib() - counted)
    server.send({"ready": True})
    server.serve()
    os._exit(0)  # nothing to flush: tearing down SymPy's objects one by one would keep the grader waiting


if __name__ == "__main__":
    main()
