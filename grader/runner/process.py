"""One child process seen from the grader: start it, send a request, wait with a deadline, kill it.

The child gets two private pipes (requests in, answers out) passed by file
descriptor; its stdout and stderr go to a capture file.  Timeouts are measured
here with ``select`` on the answer pipe and end with ``SIGKILL`` to the child's
whole process group: nothing the student writes (a ``try/except``, a signal
handler) can stop that.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_GRADER_PARENT = str(Path(__file__).resolve().parents[2])
_BOOT = ("import sys; sys.path.insert(0, {path!r}); import numpy; "
         "from grader.runner.child import main; main()")
MAX_ANSWER_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Resource limits for one child; the defaults suit the course's small problems."""

    task_seconds: float = 5.0
    load_seconds: float = 10.0
    memory_mb: int = 1024
    cpu_seconds: int = 120
    file_mb: int = 16
    open_files: int = 64
    output_bytes: int = 8 * 1024


class ChildTimeout(Exception):
    """The child did not answer before the deadline; it has been killed."""


class ChildDied(Exception):
    """The child ended (or garbled its answer) before answering."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def describe_exit(returncode: int | None, limits: Limits) -> str:
    """A beginner's description of how the child ended."""
    if returncode is None:
        return "stopped answering"
    if returncode < 0:
        sig = -returncode
        if sig == signal.SIGSEGV:
            return "crashed: segmentation fault"
        if sig == signal.SIGXCPU:
            return f"used more than {limits.cpu_seconds} s of CPU time"
        if sig == signal.SIGXFSZ:
            return f"wrote a file larger than {limits.file_mb} MiB"
        if sig == signal.SIGKILL:
            return f"was killed (probably for using more than {limits.memory_mb} MiB of memory)"
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        return f"crashed: killed by signal {name}"
    return f"ended the process with exit code {returncode} (os._exit or a crash)"


class Child:
    """A running child process with its private pipes."""

    def __init__(self, limits: Limits, workdir: Path) -> None:
        self.limits = limits
        req_r, self._req_w = os.pipe()
        self._ans_r, ans_w = os.pipe()
        self._capture = tempfile.TemporaryFile(dir=workdir.parent)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(workdir), "TMPDIR": str(workdir), "LANG": "C.UTF-8",
            "PYTHONIOENCODING": "utf-8",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg",
        }
        self._proc = subprocess.Popen(
            [sys.executable, "-I", "-u", "-B", "-c", _BOOT.format(path=_GRADER_PARENT), str(req_r), str(ans_w)],
            pass_fds=(req_r, ans_w), stdin=subprocess.DEVNULL, stdout=self._capture, stderr=subprocess.STDOUT,
            cwd=workdir, env=env, start_new_session=True,
        )
        os.close(req_r)
        os.close(ans_w)
        self._buffer = b""

    def request(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and return the child's answer; raise ChildTimeout or ChildDied."""
        try:
            os.write(self._req_w, (json.dumps(payload) + "\n").encode())
        except (BrokenPipeError, OSError):
            self.kill()
            raise ChildDied(describe_exit(self._proc.returncode, self.limits)) from None
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise ChildTimeout()
            ready, _, _ = select.select([self._ans_r], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._ans_r, 1 << 20)
            if not chunk:
                try:
                    self._proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    pass
                self.kill()
                raise ChildDied(describe_exit(self._proc.returncode, self.limits))
            self._buffer += chunk
            if len(self._buffer) > MAX_ANSWER_BYTES:
                self.kill()
                raise ChildDied("returned a value too large to check")
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            answer = json.loads(line)
        except (ValueError, RecursionError):
            self.kill()
            raise ChildDied("wrote something the grader could not read into its answer channel") from None
        if not isinstance(answer, dict):
            self.kill()
            raise ChildDied("wrote something the grader could not read into its answer channel")
        return answer

    def kill(self) -> None:
        """Kill the child's whole process group and reap it (safe to call twice)."""
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        # A child that already exited by itself keeps its own exit status.
        self._proc.wait()
        for fd in (self._req_w, self._ans_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self._req_w = self._ans_r = -1

    def output(self) -> str:
        """What the student's code printed, cut to the limit."""
        self._capture.seek(0)
        data = self._capture.read(self.limits.output_bytes + 1)
        text = data[: self.limits.output_bytes].decode("utf-8", "replace")
        if len(data) > self.limits.output_bytes:
            text += f"\n... (output cut at {self.limits.output_bytes // 1024} KiB)"
        return text

    def close(self) -> None:
        """End the child and drop its capture file."""
        self.kill()
        self._capture.close()
