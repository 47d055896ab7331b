"""Run the calls of one lesson in a child process, whatever the student's code does.

A :class:`LessonRun` starts a child, loads the student's file into it, and runs
the steps that the checks ask for.  After a timeout or a crash the child is
killed and, for the calls that follow, a new one is started and loaded again,
so one bad task never costs the others their grade.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import wire
from grader.loader import LessonSource
from grader.runner.process import Child, ChildDied, ChildTimeout, Limits


@dataclass(frozen=True)
class Outcome:
    """What happened to one request.

    ``kind`` is ``"ok"`` (``values`` holds one decoded value per step) or a failure:
    ``not_implemented``, ``raised``, ``missing``, ``memory``, ``exit``, ``unsendable``,
    ``timeout``, ``crashed`` or ``load_failed``.
    """

    kind: str
    values: list[Any] = field(default_factory=list)
    message: str = ""
    traceback: str = ""
    error_type: str = ""


@dataclass(frozen=True)
class LoadReport:
    """How loading the student's file went: problems per cell, and the names it defined."""

    problems: tuple[dict[str, Any], ...] = ()
    defined: tuple[str, ...] = ()
    failure: str | None = None  # the file could not be loaded at all


class LessonRun:
    """A student's lesson file, loaded in a child process that is restarted as needed."""

    def __init__(self, source: LessonSource, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self._dir = Path(tempfile.mkdtemp(prefix="grade-"))
        self._workdir = self._dir / "work"
        self._workdir.mkdir()
        self._child: Child | None = None
        self._outputs: list[str] = []
        self.load = self._start() if source.problem is None else LoadReport(failure=source.problem)

    def _start(self) -> LoadReport:
        child = Child(self.limits, self._workdir)
        self._child = child
        limits = {"memory_mb": self.limits.memory_mb, "cpu_seconds": self.limits.cpu_seconds,
                  "file_mb": self.limits.file_mb, "open_files": self.limits.open_files}
        cells = [[c.label, c.source] for c in self.source.cells]
        try:
            child.request({"op": "limits", "limits": limits}, self.limits.load_seconds)
            answer = child.request({"op": "load", "lesson": self.source.lesson, "path": str(self.source.path),
                                    "cells": cells}, self.limits.load_seconds)
        except ChildTimeout:
            self._retire()
            return LoadReport(failure=f"your file did not finish loading within {self.limits.load_seconds:g} s "
                                      "(is there an endless loop or a long computation at the top level?)")
        except ChildDied as exc:
            self._retire()
            return LoadReport(failure=f"your code {exc.description} while your file was loading")
        if not answer.get("ok"):
            self._retire()
            error = answer.get("error", {})
            return LoadReport(failure=f"your file could not be loaded: {error.get('message', '')}")
        return LoadReport(tuple(answer.get("problems", ())), tuple(answer.get("defined", ())))

    def run(self, steps: list[dict[str, Any]], timeout: float) -> Outcome:
        """Run ``steps`` (see ``grader.runner.child.Session.run``) within ``timeout`` seconds."""
        if self.load.failure:
            return Outcome("load_failed", message=self.load.failure)
        if self._child is None:
            reload = self._start()
            if reload.failure:
                return Outcome("load_failed", message=reload.failure)
        assert self._child is not None
        try:
            answer = self._child.request({"op": "run", "steps": steps}, timeout)
        except ChildTimeout:
            self._retire()
            return Outcome("timeout", message=f"timed out after {timeout:g} s")
        except ChildDied as exc:
            self._retire()
            return Outcome("crashed", message=exc.description)
        if answer.get("ok"):
            try:
                return Outcome("ok", [wire.decode(v) for v in answer.get("values", [])])
            except (wire.WireError, ValueError, TypeError, KeyError, RecursionError) as exc:
                return Outcome("unsendable", message=f"returned something the grader could not read ({exc})")
        error = answer.get("error") or {}
        return Outcome(str(error.get("kind", "raised")), message=str(error.get("message", "")),
                       traceback=str(error.get("traceback", "")), error_type=str(error.get("type", "")))

    def _retire(self) -> None:
        if self._child is not None:
            self._outputs.append(self._child.output())
            self._child.close()
            self._child = None

    def output(self) -> str:
        """Everything the student's code printed, across restarts, cut to the limit."""
        texts = self._outputs + ([self._child.output()] if self._child else [])
        text = "".join(texts)
        cap = self.limits.output_bytes
        return text if len(text) <= cap + 100 else text[:cap] + f"\n... (output cut at {cap // 1024} KiB)"

    def close(self) -> None:
        """Stop the child and remove the working folder."""
        self._retire()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> "LessonRun":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
