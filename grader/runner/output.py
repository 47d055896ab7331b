"""What the student's code printed: the first bytes kept, the rest counted and dropped.

The child's stdout and stderr are one pipe that the grader drains while it
waits for answers, so a flood of prints neither blocks the child nor fills a
disk or the grader's memory: only the first ``limit`` bytes are kept.
"""

from __future__ import annotations

import os


def with_last_line(reason: str, printed: str) -> str:
    """``reason``, followed by the last line of ``printed`` (cut short) when there is one: why a process gave up."""
    lines = printed.strip().splitlines()
    return f"{reason}: {lines[-1][:300]}" if lines else reason


class OutputLog:
    """The head of everything written to the pipes fed into it (across restarted children)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._kept = bytearray()
        self.dropped = 0

    def feed(self, data: bytes) -> None:
        """Keep what fits under the limit; count the rest."""
        room = max(0, self.limit - len(self._kept))
        self._kept += data[:room]
        self.dropped += len(data) - min(room, len(data))

    def drain(self, fd: int, most: int = 1 << 20) -> bool:
        """Read up to ``most`` bytes that ``fd`` (non-blocking) holds now; False once all its writers closed it."""
        while most > 0:
            try:
                chunk = os.read(fd, min(most, 1 << 16))
            except BlockingIOError:
                return True
            if not chunk:
                return False
            self.feed(chunk)
            most -= len(chunk)
        return True

    def text(self) -> str:
        """The kept output as text, with a line saying how much was cut."""
        text = self._kept.decode("utf-8", "replace")
        if self.dropped:
            text += f"\n... (output cut at {self.limit // 1024} KiB: {_size(self.dropped)} more not shown)"
        return text


def _size(count: int) -> str:
    for unit, scale in (("MB", 10**6), ("kB", 10**3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"
