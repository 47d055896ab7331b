"""Grade a submission: loader → runner (child process) → judges → results.

This is the Python API behind ``grade check``: :func:`grade_path` takes a lesson
file, a notebook or a folder and returns a :class:`grader.results.Report`.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

from grader.checks import Lesson, Task, describe_call, selected
from grader.diagnosis import Mistake, aliasing
from grader.course import BY_NUMBER, LESSONS
from grader.feedback import Verdict, fail
from grader.loader import LessonSource, discover, read_lesson
from grader.reference import Reference, default_reference
from grader.results import LessonResult, Report, TaskResult
from grader.runner.process import Limits
from grader.runner.runner import LessonRun, LoadReport, Outcome, TaskPlan, Worker

T = TypeVar("T")


def grade_path(path: Path, *, tasks: Sequence[str] = (), limits: Limits | None = None,
               reference: Reference | None = None, shown_as: str | None = None) -> Report:
    """Grade every lesson file found at ``path`` (a ``.py``, an ``.ipynb`` or a folder).

    ``shown_as`` names ``path`` in the feedback (tracebacks included) when the
    student knows it by another name: ``alice.zip`` for the folder it was unpacked in.
    """
    start = time.monotonic()
    limits = limits or Limits()
    reference = reference or default_reference()
    files, notes = discover(path, BY_NUMBER)
    lessons = []
    with Worker(limits) as worker:  # one child for the whole submission, while it behaves
        for name, file in files.items():
            lesson = LESSONS[name]
            if any(selected(tasks, lesson, t) for t in lesson.tasks):
                source = read_lesson(name, file)
                if shown_as is not None:
                    shown = f"{shown_as}/{file.relative_to(path).as_posix()}" if path.is_dir() else shown_as
                    source = replace(source, shown=shown)
                lessons.append(grade_lesson(lesson, source, tasks=tasks, limits=limits, reference=reference,
                                            worker=worker))
    return Report(tuple(lessons), tuple(notes), isolation=worker.isolation, seconds=time.monotonic() - start)


def grade_lesson(lesson: Lesson, source: LessonSource, *, tasks: Sequence[str] = (), limits: Limits,
                 reference: Reference, worker: Worker | None = None) -> LessonResult:
    """Grade the selected tasks of one lesson file (in ``worker``'s child, or in a child of its own)."""
    chosen = [t for t in lesson.tasks if selected(tasks, lesson, t)]
    start = time.monotonic()
    with LessonRun(source, limits, worker) as run:
        outcomes = run.run_tasks([task_plan(task) for task in chosen], limits.task_seconds)
        output = run.output()
    results = tuple(grade_task(lesson, task, done, reference, limits, run.load) for task, done in zip(chosen, outcomes))
    notes = source.notes + tuple(describe_problem(p) for p in run.load.problems
                                 if p.get("kind") != "not_implemented")
    withheld = sum(reference.withheld(lesson, task) for task in chosen)
    if withheld:
        notes += (f"{withheld} hidden check{'s' if withheld != 1 else ''} will run when your work is graded",)
    return LessonResult(lesson.name, source.display(), results, notes, output, time.monotonic() - start)


_KEPT: dict[tuple[str, int], tuple[Any, Any]] = {}


def kept(what: str, owner: Any, make: Callable[[], T]) -> T:
    """``make()``, worked out once per process for ``owner`` (a task or case of the course, which lives as long):
    a class reuses it.  Kept by identity, as cases hold arrays and cannot be hashed."""
    known = _KEPT.get((what, id(owner)))
    if known is None or known[0] is not owner:
        known = _KEPT[what, id(owner)] = (owner, make())
    return known[1]


def task_plan(task: Task) -> TaskPlan:
    """What the child runs for ``task``, written as JSON once per process."""
    return kept("plan", task, lambda: TaskPlan.of([task.kind.steps(task.name, c) for c in task.cases]))


def grade_task(lesson: Lesson, task: Task, outcomes: list[Outcome], reference: Reference, limits: Limits,
               load: LoadReport) -> TaskResult:
    """Judge the outcomes of a task's cases (up to the first that failed to run); the first failing case decides.

    A class sends the same answers again and again (right ones, and the typical
    mistakes): a verdict that depends on the values alone is kept by the
    reference, keyed by the fingerprint of the answer as it was sent, and an
    answer seen before is not even rebuilt from its data.
    """
    for index, outcome in enumerate(outcomes):
        case = task.cases[index]
        key = (lesson.name, task.name, index, outcome.digest) \
            if outcome.kind == "ok" and outcome.digest and task.kind.repeatable else None
        verdict = reference.verdicts.get(key) if key else None
        if verdict is None:
            outcome = outcome.decoded()
            if outcome.kind == "ok":
                try:
                    verdict = judge_case(lesson, task, index, outcome.values, reference)
                except Exception as exc:  # a bug of the grader's own must not cost the other tasks
                    return TaskResult(lesson.name, task.name, task.title, 0.0, task.points, "error", "grader error",
                                      f"the grader could not check this task ({type(exc).__name__}: {exc}); "
                                      "this is not your fault: please report it")
                if key:
                    reference.remember(key, verdict)
            else:
                verdict = outcome_verdict(outcome, task.name, lambda: describe_call(task.name, case), load, limits)
        if not verdict.passed:
            if case.hidden and outcome.kind == "ok":
                verdict = replace(verdict, details="a hidden check failed: your code passes the public cases but "
                                                   f"not this one ({verdict.summary}); test it on other data too")
            feedback = f"{verdict.hint}\n{verdict.details}".strip() if verdict.hint else verdict.details
            return TaskResult(lesson.name, task.name, task.title, 0.0, task.points, "failed", verdict.summary,
                              feedback, verdict.mistake, case.hidden)
    return TaskResult(lesson.name, task.name, task.title, task.points, task.points, "passed", "passed")


def judge_case(lesson: Lesson, task: Task, index: int, values: list[Any], reference: Reference) -> Verdict:
    """The verdict (with the mistake named, if known) on the values case ``index`` returned."""
    case = task.cases[index]
    verdict = task.kind.judge(reference.expected(lesson, task, index), values, task.name, case)
    return verdict if verdict.passed else diagnose(verdict, lesson, task, index, values, reference)


def diagnose(verdict: Verdict, lesson: Lesson, task: Task, index: int, values: list[Any],
             reference: Reference) -> Verdict:
    """Name the mistake when the student's values match a known wrong way to do the task."""
    case = task.cases[index]
    found = next((m for m in task.mistakes if m.seen and m.seen(values, case)), None)
    if found is None:
        found = next((m for m, wrong in reference.mistakes(lesson, task, index)
                      if task.kind.matches(wrong, values, task.name, case)), None)
    if found is None:
        hint = aliasing(values[-1]) if values else None
        found = Mistake("aliasing", hint) if hint else None
    if found is None:
        return verdict
    return replace(verdict, summary=found.label, mistake=found.id, hint=found.hint)


def outcome_verdict(outcome: Outcome, name: str, shown: Callable[[], str], load: LoadReport,
                    limits: Limits) -> Verdict:
    """Feedback for a call of task ``name`` that did not return a value; ``shown()`` writes the call
    (only for the feedback that quotes it)."""
    kind = outcome.kind
    if kind == "not_implemented":
        return fail("not implemented yet", f"{name} is not implemented yet: replace "
                                           "`raise NotImplementedError` with your code")
    if kind == "missing":
        return fail("missing", outcome.message + _why_missing(load))
    if kind == "load_failed":
        return fail("file not loaded", outcome.message)
    call = shown()
    if kind == "timeout":
        budget = f"timed out after {limits.task_seconds:g} s"
        return fail(budget, f"{call} did not finish: it {budget}. Does every loop end? "
                            "(a while loop whose condition never becomes false, or a huge range)")
    if kind == "crashed":
        return fail(outcome.message, f"{call}: your code {outcome.message}")
    if kind == "budget":
        return fail("file time budget used up", f"{call} was stopped: {outcome.message} (earlier tasks were slow)")
    if kind == "memory":
        return fail(outcome.message, f"{call}: your code {outcome.message}. Is an array or a list growing "
                                     f"without end?\n{outcome.traceback}".rstrip())
    if kind == "exit":
        return fail("exited", f"{call}: {outcome.message}; return a value instead of exiting")
    if kind == "unsendable":
        return fail("result cannot be checked", f"{call}: {outcome.message}")
    return fail(f"raised {outcome.error_type}", f"{call} raised {outcome.error_type}: {outcome.message}\n"
                                                f"{outcome.traceback.rstrip()}".rstrip())


def _why_missing(load: LoadReport) -> str:
    syntax = [p for p in load.problems if p.get("kind") == "syntax"]
    if syntax:
        return f": Python could not read your file ({describe_problem(syntax[0]).splitlines()[0]})"
    raised = [p for p in load.problems if p.get("kind") != "syntax"]
    if raised:
        return f": loading your file stopped early ({describe_problem(raised[0])})"
    return ""


def describe_problem(problem: dict[str, Any]) -> str:
    """One line (plus the offending code) about a cell or file that failed while loading."""
    where = f"{problem['cell']}, " if problem.get("cell") else ""
    if problem.get("kind") == "syntax":
        line = f"line {problem['line']}" if problem.get("line") else "somewhere"
        text = f"\n    {problem['text'].strip()}" if problem.get("text") else ""
        return f"{where}{line}: {problem.get('type', 'SyntaxError')}: {problem.get('message', '')}{text}"
    line = f"line {problem['line']}: " if problem.get("line") else ""
    ran = " (the other cells still ran)" if problem.get("cell") else ""
    if problem.get("kind") == "exit":
        return f"{where}exited while importing your file: {problem.get('message', '')}{ran}"
    return f"{where}{line}raised {problem.get('type', 'an error')}: {problem.get('message', '')}{ran}"
