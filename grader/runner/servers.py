"""The grader's side of the fork servers: start one, ask it for workers, keep it for the next lesson file.

A :class:`ForkServer` is one long-lived process (in a bubblewrap sandbox when
:mod:`grader.runner.sandbox` says so) with NumPy and SymPy already imported
(:mod:`grader.runner.forkserver`).  A worker then costs a fork, not an
interpreter, its imports and a sandbox.  The sandbox shows no submission
folder at all: the student's cells travel as text over the worker's pipe.

:func:`lease` lends a server to one user at a time (a :class:`~grader.runner.runner.LessonRun`)
and keeps it, idle, for the next one; :func:`prestart` boots one early, so that
its imports overlap the grader's own.  Idle servers end with the grader.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

from grader.runner import sandbox
from grader.runner.output import with_last_line

BOOT = "import sys; sys.path.insert(0, {path!r}); from grader.runner.forkserver import main; main()"
BOOT_SECONDS = 30.0
_idle: dict[tuple[str, ...], list["ForkServer"]] = {}
_inherited: list["ForkServer"] = []  # a forked copy of the grader keeps, never uses, its parent's servers
_lock = threading.Lock()


class ServerGone(Exception):
    """The fork server ended or stopped answering; the message says what it last printed."""


def environment(home: str) -> dict[str, str]:
    """The environment of the fork server and its workers: no variable of the grader's leaks in."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8",
            "PYTHONIOENCODING": "utf-8", "MPLBACKEND": "Agg",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def command(isolation: str, disk_mb: int, control: int, packages: tuple[str, ...] = ()) -> list[str]:
    """How a fork server is started at ``isolation``, with its control socket at descriptor ``control``,
    preloading the course's ``packages`` (beyond NumPy and SymPy) for the students' code."""
    config = {"control": control, "wipe": list(sandbox.SHARED) if isolation == sandbox.BWRAP else [],
              "packages": list(packages)}
    python = [sys.executable, "-I", "-u", "-B", "-c", BOOT.format(path=str(sandbox.GRADER_DIR.parent)),
              json.dumps(config)]
    if isolation == sandbox.BWRAP:
        return ["bwrap", *sandbox.bwrap_options(disk_mb), "--", *python]
    return python


def key(isolation: str, disk_mb: int, packages: tuple[str, ...] = ()) -> tuple[str, ...]:
    """What tells fork servers apart: a server is lent only for work that would start the very same one."""
    return tuple(command(isolation, disk_mb, 0, packages))


class ForkServer:
    """One fork server, started by the constructor; :meth:`spawn` waits until it is ready."""

    def __init__(self, isolation: str, disk_mb: int, packages: tuple[str, ...] = ()) -> None:
        self._socket, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._errors = tempfile.TemporaryFile()
        self._errors_text = ""  # what it printed, read when it ends
        self._ready = False
        self.running = False  # a worker of ours is alive or not yet cleaned up
        try:
            self._proc = subprocess.Popen(
                command(isolation, disk_mb, theirs.fileno(), packages), pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
                stdout=self._errors, stderr=self._errors, cwd="/", env=environment(sandbox.TMP),
                start_new_session=True)
        except BaseException:
            self._socket.close()
            self._errors.close()
            raise
        finally:
            theirs.close()

    def alive(self) -> bool:
        """Whether the server process still runs."""
        return self._proc.poll() is None

    def spawn(self, request: dict[str, Any], fds: list[int], deadline: float) -> None:
        """Ask for a worker (``request`` and its three descriptors: see :mod:`grader.runner.forkserver`)."""
        if not self._ready:
            self._receive("ready", deadline)
            self._ready = True
        try:
            socket.send_fds(self._socket, [json.dumps({"op": "spawn", **request}).encode()], fds)
        except OSError:
            raise self._gone("ended") from None
        self.running = True
        self._receive("spawned", deadline)

    def ended(self, deadline: float) -> dict[str, int]:
        """How the worker ended (wait status and peak memory), once it and all it started are gone."""
        report = self._receive("ended", deadline)
        self.running = False
        return report

    def stop(self, deadline: float) -> None:
        """Kill the worker and everything it started; wait until that is done (or end the server)."""
        try:
            self._socket.send(json.dumps({"op": "stop"}).encode())
            self.ended(deadline)
        except (OSError, ServerGone):
            self.close()

    def _receive(self, key: str, deadline: float) -> Any:
        """The next message from the server, which must hold ``key``; ServerGone if none comes in time."""
        poller = select.poll()
        poller.register(self._socket, select.POLLIN)
        if not poller.poll(max(0.0, deadline - time.monotonic()) * 1000):
            raise self._gone(f"did not answer within {BOOT_SECONDS:g} s" if key == "ready" else "stopped answering")
        try:
            message = json.loads(self._socket.recv(1 << 16) or b"null")
        except (OSError, ValueError):
            message = None
        if not isinstance(message, dict) or key not in message:
            raise self._gone("ended")
        return message[key]

    def _gone(self, what: str) -> ServerGone:
        """End the server and say why, with the last line it printed."""
        self.close()
        return ServerGone(with_last_line(what, self._errors_text))

    def close(self) -> None:
        """End the server: with it go its worker, the worker's processes and, in bubblewrap, the whole sandbox."""
        self.running = False
        self._socket.close()
        try:
            self._proc.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if not self._errors.closed:
            self._errors.seek(0)
            self._errors_text = self._errors.read()[-(1 << 16):].decode("utf-8", "replace")
            self._errors.close()

    def abandon(self) -> None:
        """In a forked copy of the grader: let go of this server, which belongs to the parent."""
        self._socket.close()
        _inherited.append(self)


@contextmanager
def lease(isolation: str, disk_mb: int, packages: tuple[str, ...] = ()) -> Iterator[ForkServer]:
    """A fork server for ``isolation``, ``disk_mb`` and ``packages``, idle or new, lent for the ``with`` block.

    It goes back to the idle ones afterwards, unless it died or a worker of its is
    still running (then it is closed, and that worker with it).
    """
    wanted = key(isolation, disk_mb, packages)
    with _lock:
        idle = _idle.get(wanted, [])
        while idle and not idle[-1].alive():
            idle.pop().close()
        server = idle.pop() if idle else None
    server = server or ForkServer(isolation, disk_mb, packages)
    try:
        yield server
    finally:
        if server.running or not server.alive():
            server.close()
        else:
            with _lock:
                _idle.setdefault(wanted, []).append(server)


def prestart(isolation: str, disk_mb: int) -> None:
    """Start an idle fork server now, so that it boots while the grader does other work."""
    with lease(isolation, disk_mb):
        pass


def close_idle() -> None:
    """End every idle fork server."""
    with _lock:
        servers = [s for group in _idle.values() for s in group]
        _idle.clear()
    for server in servers:
        server.close()


def _abandon_inherited() -> None:
    for server in (s for group in _idle.values() for s in group):
        server.abandon()
    _idle.clear()


atexit.register(close_idle)
os.register_at_fork(after_in_child=_abandon_inherited)
