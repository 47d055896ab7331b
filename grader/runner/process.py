"""One child process seen from the grader: start it, send a request, wait with a deadline, end it.

The child is a worker forked by a fork server (:mod:`grader.runner.servers`),
which runs where :mod:`grader.runner.sandbox` says (bubblewrap or a plain
process).  It gets two private pipes: requests in, answers out; its stdout
and stderr are a third pipe, drained into an
:class:`~grader.runner.output.OutputLog` while the grader waits.  The server
tells how the worker ended.  Deadlines are measured here with ``poll``; a
child that misses one is killed with every process it started: nothing the
student writes (a ``try/except``, a signal handler, a new session, a double
fork) can stop that.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import select
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.runner import sandbox
from grader.runner.output import OutputLog, with_last_line
from grader.runner.servers import BOOT_SECONDS, ForkServer, ServerGone
from grader.runner.wipe import wipe

PIPE_READ = 1 << 16  # a pipe's buffer: a larger read would allocate (and fault in) memory it never fills
READY_BYTES = 1024  # the child's first line, before any student code runs
_CRASHES: dict[int, str] = {signal.SIGSEGV: "segmentation fault", signal.SIGBUS: "bus error",
                             signal.SIGABRT: "aborted", signal.SIGFPE: "arithmetic error",
                             signal.SIGILL: "illegal instruction"}
_OUT_OF_MEMORY_SIGNALS = (signal.SIGKILL, signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT)
_GARBLED = "wrote something the grader could not read into its answer channel"


@dataclass(frozen=True)
class Limits:
    """Resource limits for one lesson file; the defaults suit the course's small problems."""

    task_seconds: float = 5.0  # wall time of one task, all its cases together
    file_seconds: float = 60.0  # wall time of the whole file: loading, restarts and every task
    load_seconds: float = 10.0  # wall time of running the file's top level
    memory_mb: int = 1024  # address space of the student's process (the preloaded SymPy not counted)
    cpu_seconds: int = 120  # CPU time of one child process
    processes: int = 32  # processes and threads the student's code may add
    file_mb: int = 16  # size of any file it writes
    disk_mb: int = 64  # size of its private /tmp in the sandbox
    open_files: int = 64
    output_bytes: int = 8 * 1024  # what is kept of its prints


def size_text(mib: int) -> str:
    """``1024`` → ``"1 GiB"``, ``384`` → ``"384 MiB"``."""
    return f"{mib / 1024:g} GiB" if mib >= 1024 else f"{mib} MiB"


class ChildTimeout(Exception):
    """The child did not answer before the deadline; it has been killed."""


class ChildDied(Exception):
    """The child ended, or garbled or overfilled its answer; ``kind`` is ``crashed``, ``memory`` or ``unsendable``."""

    def __init__(self, kind: str, description: str) -> None:
        super().__init__(description)
        self.kind = kind
        self.description = description


def describe_end(status: int | None, maxrss_kib: int, oom_killed: bool, limits: Limits,
                 disk_full: bool = False) -> tuple[str, str]:
    """How the worker ended, for a beginner: ``("crashed" | "memory", description)``.

    ``status`` is its wait status (None: unknown), ``maxrss_kib`` its peak resident
    memory, ``oom_killed`` whether the kernel's out-of-memory killer struck meanwhile,
    ``disk_full`` whether the fork server killed it for the files it wrote.
    """
    if disk_full:
        return "crashed", f"wrote more than {size_text(limits.disk_mb)} of files (or too many of them)"
    if status is not None and os.WIFEXITED(status):
        return "crashed", f"exited (exit code {os.WEXITSTATUS(status)})"
    if status is None or not os.WIFSIGNALED(status):
        return "crashed", "stopped answering"
    sig = os.WTERMSIG(status)
    near_limit = maxrss_kib * 1024 >= 0.75 * limits.memory_mb * 1024 * 1024
    if sig in _OUT_OF_MEMORY_SIGNALS and (near_limit or (oom_killed and sig == signal.SIGKILL)):
        return "memory", f"ran out of memory (the limit is {size_text(limits.memory_mb)})"
    if sig in _CRASHES:
        return "crashed", f"crashed: {_CRASHES[sig]}"
    if sig == signal.SIGXCPU:
        return "crashed", f"used more than {limits.cpu_seconds} s of CPU time"
    if sig == signal.SIGXFSZ:
        return "crashed", f"tried to write a file larger than {size_text(limits.file_mb)}"
    name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
    return "crashed", f"was killed (signal {name})"


class Child:
    """A running child with its private pipes; ``isolation`` is a level of :mod:`grader.runner.sandbox`."""

    def __init__(self, limits: Limits, isolation: str, server: ForkServer, log: OutputLog) -> None:
        """Have ``server`` fork the child and wait until it is ready; raise ChildDied if it is not."""
        self.limits = limits
        self.log = log
        self._server = server
        self._buffer = bytearray()
        self._oom_kills = _oom_kills()
        req_r, self._req_w = os.pipe()
        self._ans_r, ans_w = os.pipe()
        self._out_r, out_w = os.pipe()
        for fd in (self._req_w, self._out_r):
            os.set_blocking(fd, False)
        self._out_open = True
        self._workdir = None if isolation == sandbox.BWRAP else Path(tempfile.mkdtemp(prefix="grade-"))
        user = sandbox.fresh_uid(isolation)
        request = {"limits": self._child_limits(user), "user": user, "home": str(self._workdir or sandbox.TMP),
                   "jail": isolation == sandbox.USER, "filtered": isolation in sandbox.BOUNDARIES,
                   "disk_mb": None if self._workdir is None else limits.disk_mb}
        deadline = time.monotonic() + BOOT_SECONDS
        try:
            try:
                server.spawn(request, [req_r, ans_w, out_w], deadline)
            finally:  # only the worker holds them now: its end is the channels' end
                for fd in (req_r, ans_w, out_w):
                    os.close(fd)
            self._ready(deadline)
        except ServerGone as exc:
            self.close()
            raise ChildDied("crashed", str(exc)) from None
        except BaseException:
            self.close()
            raise

    def _child_limits(self, user: int | None) -> dict[str, Any]:
        """The limits the child applies; ``user`` is the one it switches to, new and so running nothing yet
        (None: it stays this grader's, whose running processes count against the limit too)."""
        running = 0 if user is not None else None if os.geteuid() == 0 else sandbox.running_tasks(os.geteuid())
        return {"memory_mb": self.limits.memory_mb, "cpu_seconds": self.limits.cpu_seconds,
                "file_mb": self.limits.file_mb, "open_files": self.limits.open_files,
                "processes": None if running is None else running + self.limits.processes}

    def _ready(self, deadline: float) -> None:
        """Wait for the child's first line, sent before any student code runs; ChildDied if it never comes."""
        try:
            ready = self._answer(deadline, READY_BYTES).get("ready") is True
            reason = "did not start properly"
        except ChildTimeout:
            ready, reason = False, f"did not start within {BOOT_SECONDS:g} s"
        except ChildDied as exc:
            ready, reason = False, exc.description
        if not ready:
            self.collect_output()
            raise ChildDied("crashed", with_last_line(reason, self.log.text()))

    def request(self, payload: dict[str, Any], timeout: float, cap: int) -> dict[str, Any]:
        """Send one request and return the child's (first) answer, of at most ``cap`` bytes;
        raise ChildTimeout or ChildDied."""
        deadline = time.monotonic() + timeout
        nonce = self.send(payload, deadline)
        return self.answer(nonce, deadline, cap)

    def send(self, payload: dict[str, Any] | str, deadline: float) -> str:
        """Send one request (a dict, or a JSON object already written); return the random id
        that each of its answers must repeat.

        A line that the student's code wrote into the answer channel itself is
        never taken for an answer.
        """
        nonce = secrets.token_hex(8)
        text = payload if isinstance(payload, str) else json.dumps(payload)
        self._send(f'{text[:-1]}, "id": "{nonce}"}}\n'.encode(), deadline)
        return nonce

    def tell(self, reply: dict[str, Any], deadline: float) -> None:
        """Reply to a question the child asked while answering a request (see :class:`grader.runner.runner.TaskPlan`)."""
        self._send((json.dumps(reply, allow_nan=False) + "\n").encode(), deadline)

    def answer(self, nonce: str, deadline: float, cap: int) -> dict[str, Any]:
        """The next answer to the request ``nonce``, of at most ``cap`` bytes; raise ChildTimeout or ChildDied
        (kind ``unsendable`` for a longer one, which is not read further)."""
        answer = self._answer(deadline, cap)
        if answer.get("id") != nonce:
            self.close()
            raise ChildDied("crashed", _GARBLED)
        return answer

    def _send(self, data: bytes, deadline: float) -> None:
        while data:
            self._wait([], [self._req_w], deadline)
            try:
                data = data[os.write(self._req_w, data):]
            except BlockingIOError:
                continue
            except OSError:
                raise self._died() from None

    def _answer(self, deadline: float, cap: int) -> dict[str, Any]:
        seen = 0
        while (end := self._buffer.find(b"\n", seen)) < 0:
            seen = len(self._buffer)
            if self._ans_r in self._wait([self._ans_r], [], deadline):
                chunk = os.read(self._ans_r, PIPE_READ)
                if not chunk:
                    raise self._died()
                self._buffer += chunk
                if len(self._buffer) > cap:
                    self.close()
                    raise ChildDied("unsendable", f"returned a value far larger than the right answer (more than "
                                                  f"{_bytes_text(cap)} as data): the grader does not read it")
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        try:
            answer = json.loads(line)
        except (ValueError, RecursionError):
            answer = None
        if not isinstance(answer, dict):
            self.close()
            raise ChildDied("crashed", _GARBLED)
        return answer

    def _wait(self, reading: list[int], writing: list[int], deadline: float) -> list[int]:
        """Wait until one of the descriptors is ready, draining the output meanwhile; ChildTimeout at the deadline."""
        poller = select.poll()
        for fd in reading:
            poller.register(fd, select.POLLIN)
        for fd in writing:
            poller.register(fd, select.POLLOUT)
        if self._out_open:
            poller.register(self._out_r, select.POLLIN)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.close()
                raise ChildTimeout()
            ready = [fd for fd, _ in poller.poll(left * 1000)]
            if self._out_r in ready:
                self.collect_output()
                if not self._out_open:
                    poller.unregister(self._out_r)
            ready = [fd for fd in ready if fd != self._out_r]
            if ready:
                return ready

    def collect_output(self) -> None:
        """Move what the child printed so far into the output log."""
        if self._out_open:
            self._out_open = self.log.drain(self._out_r)

    def _died(self) -> ChildDied:
        """The answer channel closed: learn from the server how the worker ended, end what is left, describe it."""
        try:
            report = _valid_report(self._server.ended(time.monotonic() + 2.0))
        except ServerGone:
            report = {}
        self.close()
        kind, text = describe_end(report.get("status"), report.get("maxrss_kib", 0),
                                  _oom_kills() > self._oom_kills, self.limits, report.get("disk_full") == 1)
        return ChildDied(kind, text)

    def close(self) -> None:
        """End the child and every process it started, keep its last output, free everything (idempotent)."""
        if self._server.running:
            self._server.stop(time.monotonic() + 2.0)
        self.collect_output()
        self._release()

    def _release(self) -> None:
        """Close the grader's ends of the pipes and remove the working folder."""
        for fd in (self._req_w, self._ans_r, self._out_r):
            if fd >= 0:
                os.close(fd)
        self._req_w = self._ans_r = self._out_r = -1
        self._out_open = False
        if self._workdir is not None:
            wipe(str(self._workdir))  # whatever permissions the student left on what it wrote
            with contextlib.suppress(OSError):
                self._workdir.rmdir()
            self._workdir = None


def _bytes_text(count: int) -> str:
    return f"{count >> 20} MiB" if count >= 1 << 20 else f"{count >> 10} KiB"


def _valid_report(report: Any) -> dict[str, int]:
    """The server's report on how the worker ended, if it has the expected fields ({} if not)."""
    valid = isinstance(report, dict) and all(type(report.get(k)) is int for k in ("status", "maxrss_kib", "disk_full"))
    return report if valid else {}


def _oom_kills() -> int:
    """How many processes the kernel's out-of-memory killer has killed since boot (0 if unknown)."""
    try:
        with open("/proc/vmstat", encoding="ascii") as vmstat:
            for line in vmstat:
                if line.startswith("oom_kill "):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
