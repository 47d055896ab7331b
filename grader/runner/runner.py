"""Run the calls of one lesson in a child process, whatever the student's code does.

A :class:`LessonRun` takes a new child from a :class:`Worker` (the fork server
lent to one submission), loads the student's file into it, and runs the steps
that the checks ask for, answered case by case; its child serves no other
lesson file and no other phase (public, then hidden) of the same file.  After a
timeout or a crash the child is killed with everything it started and, for the
tasks that follow, a new one is started and loaded again, so one bad task never
costs the others their grade.  The whole file has a time budget too
(``Limits.file_seconds``: loads, restarts and tasks together, in both phases).
What the child sends is data to check, never trusted: an answer larger than its
case allows (:data:`TaskPlan.caps`) is not even read whole.
"""

from __future__ import annotations

import hashlib
import json
import time
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

from grader import wire
from grader.loader import LessonSource
from grader.runner import sandbox
from grader.runner.output import OutputLog
from grader.runner.process import Child, ChildDied, ChildTimeout, Limits, size_text
from grader.runner.servers import ForkServer, lease

ANSWER_BYTES = 1 << 20  # an answer's size when its case sets none (loading, a plan made without the reference)
ERROR_KINDS = frozenset({"not_implemented", "raised", "missing", "memory", "exit", "unsendable"})
_PROBLEM_TEXTS = ("cell", "kind", "type", "message", "text")
_PROBLEM_NUMBERS = ("line", "offset")


@dataclass(frozen=True)
class Outcome:
    """What happened to one request.

    ``kind`` is ``"ok"`` (``values`` holds one decoded value per step, once :meth:`decoded`) or a failure:
    ``not_implemented``, ``raised``, ``missing``, ``memory``, ``exit``, ``unsendable``,
    ``timeout``, ``budget`` (the file's time budget ran out), ``crashed`` or ``load_failed``.
    """

    kind: str
    values: list[Any] = field(default_factory=list)
    message: str = ""
    traceback: str = ""
    error_type: str = ""
    digest: bytes = b""  # for "ok": a fingerprint of the whole answer, as parsed; equal digests, equal values
    encoded: list[Any] | None = None  # for "ok" as it came from the child: the values as sent, not yet rebuilt
    probing: bool = False  # stopped while the case's probes ran (see TaskPlan)

    def decoded(self) -> "Outcome":
        """This outcome with its values rebuilt from what the child sent (``unsendable`` if they cannot be)."""
        if self.encoded is None:
            return self
        try:
            return replace(self, values=[wire.decode(v) for v in self.encoded], encoded=None)
        except (wire.WireError, ValueError, TypeError, KeyError, ArithmeticError, RecursionError, MemoryError) as exc:
            return Outcome("unsendable", message=f"returned something the grader could not read ({exc})")


Serve = Callable[[int, dict[str, Any]], dict[str, Any]]  # (case, the child's request) → the grader's reply


@dataclass(frozen=True)
class TaskPlan:
    """What the child runs for one task: the steps of each case, the same as JSON text (sent as is), and the
    most bytes each case's answer may take (the grader reads no more).

    A plan may have the grader stand in for some functions of the student's module (``serves``): while its
    cases run, the child asks for their values, and ``serve(case, request)`` answers (see :mod:`grader.oracle`).

    A step marked ``"probe"`` is optional (a loss probed around a gradient's point, see
    :mod:`grader.judges.slope`): should a case stop or crash once the child said its probes run, the task
    runs again without them (:meth:`without_probes`), whose values then come back as None, so a hanging
    probe is never the task's failure.
    """

    cases: list[list[dict[str, Any]]]
    text: str
    caps: tuple[int, ...]
    serves: tuple[str, ...] = ()
    serve: Serve | None = None
    dropped: tuple[tuple[int, ...], ...] = ()  # per case, the places of the probes left out (their values: None)

    @property
    def probes(self) -> bool:
        """Whether a case of this plan probes."""
        return any(step.get("probe") for steps in self.cases for step in steps)

    def without_probes(self) -> "TaskPlan":
        """This plan with its probe steps left out; each answer gets None in their places."""
        cases = [[step for step in steps if not step.get("probe")] for steps in self.cases]
        dropped = tuple(tuple(k for k, step in enumerate(steps) if step.get("probe")) for steps in self.cases)
        return replace(self, cases=cases, text=json.dumps(cases), dropped=dropped)

    @classmethod
    def of(cls, cases: list[list[dict[str, Any]]], caps: Sequence[int] | None = None) -> "TaskPlan":
        """The plan of these cases (``caps``: per case, default :data:`ANSWER_BYTES`)."""
        return cls(cases, json.dumps(cases), tuple(caps) if caps is not None else (ANSWER_BYTES,) * len(cases))

    def serving(self, names: Sequence[str], serve: Serve) -> "TaskPlan":
        """This plan with the grader standing in for the functions ``names``, answering with ``serve``."""
        return replace(self, serves=tuple(names), serve=serve)


MAX_STOPPED = 8  # top-level statements stopped (and skipped) before a file counts as not loadable


@dataclass(frozen=True)
class LoadReport:
    """How loading the student's file went: problems per cell (or top-level statement), and the names it
    defined.  A problem of kind ``stopped`` is a statement the grader had to stop and then skipped."""

    problems: tuple[dict[str, Any], ...] = ()
    defined: tuple[str, ...] = ()
    failure: str | None = None  # the file could not be loaded at all


class Worker:
    """The fork server lent to one submission, which forks a new child for each :class:`LessonRun`.

    ``isolation`` says where its children run (a level of :mod:`grader.runner.sandbox`); ``packages`` are
    the course's own, which its fork server preloads for the students' code.
    """

    def __init__(self, limits: Limits, packages: tuple[str, ...] = ()) -> None:
        self.limits = limits
        self.packages = packages
        self.isolation = sandbox.level()
        self._leases = ExitStack()
        self._server: ForkServer | None = None

    def child(self, log: OutputLog) -> Child:
        """A new child; what it prints goes to ``log``.  Raises ChildDied."""
        if self._server is None:
            self._server = self._leases.enter_context(lease(self.isolation, self.limits.disk_mb, self.packages))
        return Child(self.limits, self.isolation, self._server, log)

    def close(self) -> None:
        """Give the fork server back."""
        self._leases.close()

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LessonRun:
    """A student's lesson file, loaded in a child process of its own that is restarted as needed.

    The child comes from ``worker`` (shared by a submission's files), or from a
    worker of the run's own, closed with it.  ``deadline`` (a ``time.monotonic``
    instant) is when the file's time budget ends: a hidden phase passes on the
    public one's.  A top-level statement (or notebook cell) that runs past the
    load time limit, or during which the child dies, is stopped and skipped
    when the file is loaded again, so what the file defines around it is still
    graded; ``stopped`` (:attr:`stopped` of an earlier run of the same file)
    skips those at once.
    """

    def __init__(self, source: LessonSource, limits: Limits, worker: Worker | None = None,
                 deadline: float | None = None, stopped: dict[int, dict[str, Any]] | None = None) -> None:
        self.source = source
        self.stopped = dict(stopped or {})  # unit → the problem it was stopped for; it is skipped from then on
        self.limits = limits
        self.deadline = time.monotonic() + limits.file_seconds if deadline is None else deadline
        self._log = OutputLog(limits.output_bytes)
        self._own = worker is None
        self._worker = Worker(limits) if worker is None else worker
        self._child: Child | None = None
        self.load = self._start() if source.problem is None else LoadReport(failure=source.problem)

    def _left(self) -> float:
        return self.deadline - time.monotonic()

    def _over_budget(self) -> str:
        return f"the {self.limits.file_seconds:g} s allowed for the whole file ran out"

    def _allowed(self, seconds: float) -> tuple[float, bool]:
        """The time a step may take: ``seconds``, or less when the file's budget is nearly used up (then True)."""
        left = self._left()
        return min(seconds, left), left < seconds

    def _timed_out(self, cut: bool, message: str) -> Outcome:
        """What a missed deadline was: the file's budget running out (``cut``), or the step's own limit."""
        return Outcome("budget", message=self._over_budget()) if cut else Outcome("timeout", message=message)

    def _start(self) -> LoadReport:
        """Start a child and load the file into it, stopping and skipping a unit that hangs or kills the child
        (then loading again without it), up to :data:`MAX_STOPPED` of them."""
        while True:
            try:
                child = self._worker.child(self._log)
            except ChildDied as exc:
                return LoadReport(failure=f"the grader could not start Python for your code ({exc.description}); "
                                          "this is not your fault: please report it")
            self._child = child
            timeout, cut = self._allowed(self.limits.load_seconds)
            deadline = time.monotonic() + timeout
            cells = [[c.label, c.source] for c in self.source.cells]
            running: tuple[int, str, int] | None = None
            try:
                nonce = child.send({"op": "load", "lesson": self.source.lesson, "path": str(self.source.path),
                                    "shown": self.source.display(), "cells": cells, "skip": sorted(self.stopped)},
                                   deadline)
                answer = child.answer(nonce, deadline, ANSWER_BYTES)
                while "unit" in answer:
                    running = _running(answer)
                    answer = child.answer(nonce, deadline, ANSWER_BYTES)
            except ChildTimeout:
                self._retire()
                if cut:
                    return LoadReport(failure=f"your file was still loading when {self._over_budget()}")
                why = f"was still running after {timeout:g} s, the time limit for your file's top level"
                failure = (f"your file did not finish loading within {timeout:g} s "
                           "(is there an endless loop or a long computation at the top level?)")
            except ChildDied as exc:
                self._retire()
                why, failure = f"{exc.description}", f"your code {exc.description} while importing your file"
            else:
                return self._loaded(answer)
            if running is None or running[0] in self.stopped or len(self.stopped) >= MAX_STOPPED:
                return LoadReport(failure=failure)
            unit, cell, line = running
            self.stopped[unit] = {"kind": "stopped", "cell": cell, "line": line, "message": why,
                                  "text": self._line(cell, line)}

    def _loaded(self, answer: dict[str, Any]) -> LoadReport:
        """The report of a load that answered: its problems (the stopped units' first) and the names defined."""
        if answer.get("ok") is not True:
            self._retire()
            error = answer.get("error")
            message = error.get("message") if isinstance(error, dict) else None
            return LoadReport(failure=f"your file could not be loaded: {_text(message)}")
        problems = sorted([*self.stopped.values(), *_problems(answer.get("problems"))], key=_place)
        return LoadReport(tuple(problems), _names(answer.get("defined")))

    def _line(self, cell: str, line: int) -> str:
        """Line ``line`` of the cell labelled ``cell`` (the file, for ""), as the feedback quotes it."""
        source = next((c.source for c in self.source.cells if c.label == cell), "")
        lines = source.splitlines()
        return lines[line - 1].strip()[:200] if 0 < line <= len(lines) else ""

    def run(self, steps: list[dict[str, Any]], timeout: float) -> Outcome:
        """Run ``steps`` (see ``grader.runner.child.Session.run``) within ``timeout`` seconds."""
        return self.run_tasks([TaskPlan.of([steps])], timeout)[0][-1].decoded()

    def run_tasks(self, tasks: Sequence[TaskPlan], task_seconds: float) -> list[list[Outcome]]:
        """Run each task's cases in one request; ``task_seconds`` for each task.

        Returns, per task, the outcome of each case up to its first failing one (an
        ``ok`` one still holds its values as sent: :meth:`Outcome.decoded` rebuilds
        them, which grading skips for an answer it has judged before).  The
        child sends each case's answer as soon as it has it, so a task that hangs or
        crashes keeps the answers of its earlier cases; the child is then restarted
        for the tasks left.
        """
        results: list[list[Outcome]] = []
        tasks = list(tasks)
        while len(results) < len(tasks):
            failure = self._unready()
            if failure is not None:
                results.append([failure])
                continue
            assert self._child is not None
            first = len(results)
            allowed, cut = self._allowed(task_seconds)
            try:
                request = '{"op": "run", "tasks": [%s], "serve": %s}' % (
                    ", ".join(t.text for t in tasks[first:]), json.dumps([list(t.serves) for t in tasks[first:]]))
                nonce = self._child.send(request, time.monotonic() + allowed)
            except ChildTimeout:
                self._retire()
                results.append([self._timed_out(cut, f"did not take the request within {task_seconds:g} s")])
                continue
            except ChildDied as exc:
                self._retire()
                results.append([Outcome(exc.kind, message=exc.description)])
                continue
            for t in range(first, len(tasks)):
                outcomes = self._task(nonce, t - first, tasks[t], task_seconds)
                if outcomes and outcomes[-1].probing and tasks[t].probes:  # stopped in a probe:
                    tasks[t] = tasks[t].without_probes()  # the task runs again without them
                    self._retire()
                    break
                results.append(outcomes)
                if self._child is None:
                    break
        return results

    def _unready(self) -> Outcome | None:
        """Why nothing can run now (the file did not load, its time is up), or None once a child is ready."""
        if self.load.failure:
            return Outcome("load_failed", message=self.load.failure)
        if self._left() <= 0:
            return Outcome("budget", message=self._over_budget())
        if self._child is None:
            reload = self._start()
            if reload.failure:
                return Outcome("load_failed", message=reload.failure)
        return None

    def _task(self, nonce: str, task: int, plan: TaskPlan, seconds: float) -> list[Outcome]:
        """Read the answers of one task of the request ``nonce``, up to its first failing case, answering the
        child's requests for the functions the plan serves meanwhile."""
        assert self._child is not None
        outcomes: list[Outcome] = []
        allowed, cut = self._allowed(seconds)
        deadline = time.monotonic() + allowed
        for case, cap in enumerate(plan.caps):
            probing = False  # the child said that the case's probes run: a stop from now on is theirs
            try:
                answer = self._child.answer(nonce, deadline, cap)
                while True:  # the case's answer may come after the child's notices and questions
                    if answer.get("probing") is True:
                        probing = True
                    elif "oracle" in answer and plan.serve is not None:
                        self._child.tell(plan.serve(case, answer), deadline)
                    else:
                        break
                    answer = self._child.answer(nonce, deadline, cap)
            except ChildTimeout:
                self._retire()
                outcomes.append(replace(self._timed_out(cut, f"timed out after {seconds:g} s"), probing=probing))
                break
            except ChildDied as exc:
                self._retire()
                outcomes.append(Outcome(exc.kind, message=exc.description, probing=probing))
                break
            if answer.get("task") != task or answer.get("case") != case:
                self._retire()
                outcomes.append(Outcome("crashed", message="answered out of turn"))
                break
            outcome = self._outcome(answer)
            if outcome.kind == "ok" and plan.dropped:
                outcome = replace(outcome, encoded=_refilled(outcome.encoded, plan.dropped[case]))
            if outcome.kind == "ok":
                outcome = replace(outcome, digest=fingerprint(outcome.encoded))
            outcomes.append(outcome)
            if outcome.kind != "ok":
                break
        return outcomes

    def _outcome(self, answer: dict[str, Any]) -> Outcome:
        """A run answer checked field by field: anything malformed is the student's failure, not the grader's."""
        if answer.get("ok") is True:
            values = answer.get("values")
            if not isinstance(values, list):
                return Outcome("unsendable", message="returned something the grader could not read")
            return Outcome("ok", encoded=values)
        error = answer.get("error")
        error = error if isinstance(error, dict) else {}
        kind = error["kind"] if error.get("kind") in ERROR_KINDS else "raised"
        message = _text(error.get("message"))
        if kind == "memory":
            message = f"used more than {size_text(self.limits.memory_mb)} of memory"
        return Outcome(kind, message=message, traceback=_text(error.get("traceback"), 4000),
                       error_type=_text(error.get("type"), 200))

    def _retire(self) -> None:
        if self._child is not None:
            self._child.close()
            self._child = None

    def output(self) -> str:
        """Everything the student's code printed, across restarts, cut to the limit."""
        if self._child is not None:
            self._child.collect_output()
        return self._log.text()

    def close(self) -> None:
        """Stop the child with everything it started; close the run's own worker."""
        if self._child is not None:
            self._child.collect_output()
            self._retire()
        if self._own:
            self._worker.close()

    def __enter__(self) -> "LessonRun":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _refilled(values: list[Any], places: tuple[int, ...]) -> list[Any]:
    """``values`` with None put back at ``places`` (the steps a plan left out)."""
    values = list(values)
    for place in places:
        values.insert(place, None)
    return values


def fingerprint(values: Any) -> bytes:
    """The key of an answer in the verdict cache: its whole value as parsed, written one way, hashed.

    Decoding is a function of that value alone, so equal keys mean equal answers.
    """
    canonical = json.dumps(values, separators=(",", ":"), allow_nan=False).encode()
    return hashlib.blake2b(canonical, digest_size=16).digest()


def _text(value: Any, limit: int = 2000) -> str:
    """A text the child sent, cut to ``limit``, as text every output can encode (a lone surrogate becomes ``?``)."""
    return value[:limit].encode("utf-8", "replace").decode("utf-8") if isinstance(value, str) else ""


def _running(answer: dict[str, Any]) -> tuple[int, str, int] | None:
    """The unit a progress answer says now runs (number, cell, first line), if its fields have the right types."""
    unit, cell, line = answer.get("unit"), answer.get("cell"), answer.get("line")
    if type(unit) is int and isinstance(cell, str) and type(line) is int:
        return unit, _text(cell, 200), line
    return None


def _place(problem: dict[str, Any]) -> tuple[int, int]:
    """Where a load problem is, to list them in the file's order: (its cell's number, its line)."""
    number = problem.get("cell", "").rpartition(" ")[2]
    return int(number) if number.isdigit() else 0, problem.get("line") or 0


def _problems(data: Any) -> tuple[dict[str, Any], ...]:
    """The child's load problems, keeping only fields of the expected types."""
    problems = []
    for item in data[:100] if isinstance(data, list) else ():
        if isinstance(item, dict):
            problem: dict[str, Any] = {k: _text(item[k]) for k in _PROBLEM_TEXTS if isinstance(item.get(k), str)}
            problem.update({k: item[k] for k in _PROBLEM_NUMBERS if type(item.get(k)) is int})
            if "defines" in item:
                problem["defines"] = _names(item["defines"])
            problems.append(problem)
    return tuple(problems)


def _names(data: Any) -> tuple[str, ...]:
    return tuple(n[:200] for n in data[:1000] if isinstance(n, str)) if isinstance(data, list) else ()
