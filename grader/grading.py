"""Grade a submission: loader → runner (child process) → judges → results.

This is the Python API behind ``grade check``: :func:`grade_path` takes a lesson
file, a notebook or a folder and returns a :class:`grader.results.Report`.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence

from grader import oracle, wire
from grader.checks import Lesson, Task, selected
from grader.diagnosis import diagnose
from grader.courses import Course, builtin
from grader.feedback import fail, listed
from grader.file_notes import NOT_GRADED, SEE_NOTE, file_notes, missing_note, unread, unreadable
from grader.judges.numeric import near_miss
from grader.loader import LessonSource, discover, read_lesson
from grader.model import UNCHECKABLE, Case, Evidence, Verdict
from grader.reference import Reference, default_reference
from grader.results import LessonResult, Report, TaskResult
from grader.runner.process import Limits
from grader.runner.runner import ANSWER_BYTES, LessonRun, LoadReport, Outcome, TaskPlan, Worker

NOT_IMPLEMENTED = "not implemented yet"  # the summary of a task whose code raised NotImplementedError
STATES = {NOT_IMPLEMENTED: NOT_IMPLEMENTED, "missing": "missing", "syntax error": "unreadable"}
# how follow-through words a function it stood in for, by that task's summary (any other: "wrong")


def grade_path(path: Path, *, course: Course | None = None, tasks: Sequence[str] = (), limits: Limits | None = None,
               reference: Reference | None = None, shown_as: str | None = None) -> Report:
    """Grade every lesson file of ``course`` (default: the built-in one) found at ``path`` (a ``.py``, an
    ``.ipynb`` or a folder).  A course restricted to an assignment grades its lessons only, and a note names
    each file of another lesson.

    ``shown_as`` names ``path`` in the feedback (tracebacks included) when the
    student knows it by another name: ``alice.zip`` for the folder it was unpacked in.  Without ``limits``,
    the defaults, with the course's load time limit if it sets one.
    """
    start = time.monotonic()
    course = course or (reference.course if reference else builtin())
    limits = limits or Limits(load_seconds=course.load_seconds or Limits.load_seconds)
    reference = reference or default_reference(course)
    outside = f"assignment {course.assignment.name}" if course.assignment else ""
    files, notes = discover(path, course.by_number, outside)
    lessons = []
    with Worker(limits, course.preload) as worker:  # one fork server per submission, a child per lesson and phase
        for name, file in files.items():
            lesson = course.lessons[name]
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
    """Grade the selected tasks of one lesson file (in ``worker``'s children, or in children of their own).

    The public cases run first, in one child; the hidden cases of the tasks that
    passed them then run in a new child, one request per case, so that no hidden
    input is in a child before its case runs, nor in one that runs a public case.
    What a student reads of a hidden case is the kit's own words only.  The
    hidden phase skips the top-level statements the public one had to stop.
    A problem with the whole file is one note on the lesson, not said again
    under each task.  A task that failed while a function it uses failed too is
    then graded again with the right one in its place (:func:`follow_through`).
    """
    chosen = [t for t in lesson.tasks if selected(tasks, lesson, t)]
    graded = needed(lesson, chosen)
    start = time.monotonic()
    units = [(task, group) for task in graded  # per case: each alone; else together, the first failure decides
             for group in ([[i] for i in public_cases(task)] if task.per_case else [public_cases(task)])]
    with LessonRun(source, limits, worker) as run:
        ran = run.run_tasks([case_plan(lesson, task, group[0], reference) if task.per_case
                             else public_plan(lesson, task, reference) for task, group in units],
                            limits.task_seconds)
        output = run.output()
    load, deadline = run.load, run.deadline
    per_case: dict[str, list[TaskResult | None]] = {t.name: [] for t in graded if t.per_case}
    judged: dict[str, TaskResult | None] = {}
    for (task, group), done in zip(units, ran):
        result = judge_outcomes(lesson, task, group, done, reference, limits, load)
        if task.per_case:
            per_case[task.name].append(result)
        else:
            judged[task.name] = result
    waiting = [t for t in graded if (t.per_case or judged[t.name] is None) and hidden_cases(t)]
    if waiting and load.failure is None:
        with LessonRun(source, limits, worker, deadline, run.stopped) as run:
            for task in waiting:
                if task.per_case:
                    per_case[task.name] += [grade_hidden(lesson, task, run, reference, limits, [i])
                                            for i in hidden_cases(task)]
                else:
                    judged[task.name] = grade_hidden(lesson, task, run, reference, limits)
    judged.update({name: shared(lesson, lesson.task(name), found) for name, found in per_case.items()})
    own = dict(judged)  # each task's verdict on the student's own code, before any follow-through
    for task in chosen if load.failure is None else ():
        failed = [own[d] for d in task.uses if own[d] is not None and not own[d].passed]
        first = own[task.name]
        if failed and first is not None and first.status == "failed":
            judged[task.name] = follow_through(lesson, task, first, failed, reference, limits,
                                               lambda: LessonRun(source, limits, worker, deadline, run.stopped))
    results = tuple(judged[t.name] or passed(lesson, t) for t in chosen)
    notes = source.notes + file_notes(load.failure, load.problems, reference.course.packages)
    withheld = sum(reference.withheld(lesson, task) for task in chosen)
    if withheld:
        notes += (f"{withheld} hidden check{'s' if withheld != 1 else ''} will run when your work is graded",)
    return LessonResult(lesson.name, source.display(), results, notes, output, time.monotonic() - start)


def needed(lesson: Lesson, chosen: Sequence[Task]) -> list[Task]:
    """The tasks to grade for ``chosen``: those, and the functions they use (follow-through needs their
    verdicts, so ``-k train`` grades ``train`` as a whole run would).  A task's verdict before follow-through
    depends on its own code only, so what they use in turn is not needed."""
    names = {name for task in chosen for name in (task.name, *task.uses)}
    return [t for t in lesson.tasks if t.name in names]


def grade_hidden(lesson: Lesson, task: Task, run: LessonRun, reference: Reference, limits: Limits,
                 indices: Sequence[int] | None = None, served: Served | None = None) -> TaskResult | None:
    """Run and judge the hidden cases of ``task`` (or those of ``indices``) one at a time (None: all passed),
    with the grader standing in for some functions when ``served`` says so (see :func:`follow_through`)."""
    for index in hidden_cases(task) if indices is None else indices:
        plan = case_plan(lesson, task, index, reference)
        outcomes = run.run_tasks([served(plan, [index]) if served else plan], limits.task_seconds)[0]
        failed = judge_outcomes(lesson, task, [index], outcomes, reference, limits, run.load)
        if failed is not None:
            return failed
    return None


def follow_through(lesson: Lesson, task: Task, first: TaskResult, failed: Sequence[TaskResult], reference: Reference,
                   limits: Limits, again: Callable[[], LessonRun]) -> TaskResult:
    """Grade ``task`` again with the grader standing in for the functions it uses that ``failed`` (their
    results: STACK's follow-through marking, for code); ``first`` is its result with the student's own.

    The stand-ins serve only the values that the right run of each case (and each
    known mistake's run) computed, from the reference's recorded calls
    (:mod:`grader.oracle`); the reference never runs in the child nor on the
    student's arguments.  The rerun has the phases of any grading, each in a child of
    its own (``again()`` starts one): the public cases, then the hidden ones, one
    request each.  Passing earns ``task.follow_through`` of the points and says that
    the task is right; failing names both the task's own mistake (as judged with the
    right values in place) and the wrong functions it used.
    """
    indices, served = public_cases(task), Served(lesson, task, [d.task for d in failed], reference)
    with again() as run:
        plan = served(public_plan(lesson, task, reference), indices)
        rerun = judge_outcomes(lesson, task, indices, run.run_tasks([plan], limits.task_seconds)[0], reference,
                               limits, run.load)
    if rerun is None and hidden_cases(task):
        with again() as run:
            rerun = grade_hidden(lesson, task, run, reference, limits, served=served)
    used = [d for d in failed if d.task in served.used]
    return credited(lesson, task, first, rerun, used) if used else first


def credited(lesson: Lesson, task: Task, first: TaskResult, rerun: TaskResult | None,
             failed: Sequence[TaskResult]) -> TaskResult:
    """The result of a task graded again with the right ``failed`` functions (``rerun``, None: it passed)."""
    names = listed([d.task for d in failed])
    quoted = listed([f"`{d.task}`" for d in failed])
    states = {STATES.get(d.summary, "wrong") for d in failed}
    state = states.pop() if len(states) == 1 else "wrong"
    verb = "is" if len(failed) == 1 else "are"
    yours = f"your {quoted}, which {verb} {state} (see {names})"
    served = tuple(d.task for d in failed)
    if rerun is None:
        score = task.points * task.follow_through
        share = "" if task.follow_through == 1 else f"; that earns {task.follow_through:.0%} of its points"
        return TaskResult(lesson.name, task.name, task.title, score, task.points,
                          "passed" if score >= task.points else "failed", f"right; your {names} {verb} {state}",
                          f"Your `{task.name}` is right; it used {yours}. With the right {quoted} in its place, "
                          f"`{task.name}` passes every check{share}.", served=served)
    if rerun.evidence is not None and (rerun.evidence.mismatches or rerun.evidence.mistake or rerun.evidence.hidden):
        return replace(rerun, summary=f"{rerun.summary}; your {names} {verb} {state} too", served=served,
                       feedback=f"`{task.name}` goes wrong even with the right {quoted} in place of yours:\n"
                                f"{rerun.feedback}\nIt also used {yours}.")
    return replace(first, feedback=f"{first.feedback}\nIt also used {yours}.".strip(), served=served)


class Served:
    """How a rerun of ``task`` has the grader stand in for the functions ``serves``: it answers from the
    reference's recorded calls on each case (:mod:`grader.oracle`), and :attr:`used` keeps each function
    it gave a value for (a task that never got one was not helped by it)."""

    def __init__(self, lesson: Lesson, task: Task, serves: Sequence[str], reference: Reference) -> None:
        self.lesson, self.task, self.serves, self.reference = lesson, task, tuple(serves), reference
        self.parameters = reference.course.parameters(lesson.name)
        self.used: set[str] = set()

    def __call__(self, plan: TaskPlan, indices: Sequence[int]) -> TaskPlan:
        """``plan``, of the cases ``indices``, served."""
        servers = [oracle.server(self.reference.served(self.lesson, self.task, i), self.serves, self.parameters)
                   for i in indices]

        def serve(case: int, request: dict[str, Any]) -> dict[str, Any]:
            reply = servers[case](request)
            if "value" in reply:
                self.used.add(request["oracle"])
            return reply
        return plan.serving(self.serves, serve)


def shared(lesson: Lesson, task: Task, results: list[TaskResult | None]) -> TaskResult:
    """The result of a task with credit per case, from each case's (None: passed), public then hidden: the
    weighted share of its points, and the first failure's feedback."""
    weights = task.weights()
    earned = sum(w for w, r in zip(weights, results) if r is None)
    score = task.points * earned / sum(weights) if sum(weights) else 0.0
    first = next((r for r in results if r is not None), None)
    counts = {"cases_passed": sum(r is None for r in results), "cases_total": len(results)}
    if first is None:
        return replace(passed(lesson, task), **counts)
    return replace(first, score=score, **counts)


def public_cases(task: Task) -> list[int]:
    """The indices of the task's public cases."""
    return [i for i, c in enumerate(task.cases) if not c.hidden]


def hidden_cases(task: Task) -> list[int]:
    """The indices of the task's hidden cases."""
    return [i for i, c in enumerate(task.cases) if c.hidden]


def passed(lesson: Lesson, task: Task) -> TaskResult:
    """A task that earned its points."""
    return TaskResult(lesson.name, task.name, task.title, task.points, task.points, "passed", "passed")


MIN_ANSWER_BYTES = 64 * 1024
ANSWER_FACTOR = 16


def answer_cap(lesson: Lesson, task: Task, index: int, reference: Reference) -> int:
    """The most bytes an answer to case ``index`` may take: :data:`ANSWER_FACTOR` times the reference's
    answer, at least :data:`MIN_ANSWER_BYTES` (:data:`ANSWER_BYTES` where the reference has none)."""
    def size() -> int:
        try:
            values = reference.expected(lesson, task, index)
        except Exception:  # noqa: BLE001 - judging reports a missing answer; the run needs only a bound
            return ANSWER_BYTES
        return max(MIN_ANSWER_BYTES, ANSWER_FACTOR * len(json.dumps(wire.encode(values))))
    return reference.kept(f"cap {index}", task, size)


def public_plan(lesson: Lesson, task: Task, reference: Reference) -> TaskPlan:
    """What the child runs for the public cases of ``task``, written as JSON once per grading session."""
    indices = public_cases(task)
    return reference.kept("plan", task, lambda: TaskPlan.of(
        [task.kind.steps(task.name, task.cases[i]) for i in indices],
        [answer_cap(lesson, task, i, reference) for i in indices]))


def case_plan(lesson: Lesson, task: Task, index: int, reference: Reference) -> TaskPlan:
    """What the child runs for case ``index`` of ``task`` alone."""
    return reference.kept(f"plan {index}", task, lambda: TaskPlan.of(
        [task.kind.steps(task.name, task.cases[index])], [answer_cap(lesson, task, index, reference)]))


def judge_outcomes(lesson: Lesson, task: Task, indices: Sequence[int], outcomes: list[Outcome],
                   reference: Reference, limits: Limits, load: LoadReport) -> TaskResult | None:
    """Judge the outcomes of the cases ``indices`` of a task (up to the first that failed to run); the first
    failing case decides (None: every case passed).

    A class sends the same answers again and again (right ones, and the typical
    mistakes): a verdict that depends on the values alone is kept by the
    reference, keyed by a fingerprint of the whole answer, and an answer seen
    before is not even rebuilt from its data.
    """
    for index, outcome in zip(indices, outcomes):
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
            elif case.hidden:
                verdict = fail("")  # said in the kit's words by hidden_failure, from the outcome's kind
            else:
                verdict = outcome_verdict(outcome, task.name, lambda: task.kind.call(task.name, case), load, limits)
        if not verdict.passed:
            if case.hidden:
                return hidden_failure(lesson, task, case, verdict, outcome.kind)
            feedback = f"{verdict.hint}\n{verdict.details}".strip() if verdict.hint else verdict.details
            evidence = replace(verdict.evidence, case=case.label,
                               call=verdict.evidence.call or task.kind.call(task.name, case), mistake=verdict.named)
            return TaskResult(lesson.name, task.name, task.title, 0.0, task.points, "failed", verdict.summary,
                              feedback, evidence)
    return None


HIDDEN_WORDS = {"not_implemented": "raised NotImplementedError", "raised": "raised an exception",
                "missing": "could not find a function it calls", "memory": "ran out of memory",
                "exit": "exited instead of returning", "unsendable": "returned something the grader cannot check",
                "timeout": "did not finish in time", "budget": "was stopped: the file's time budget ran out",
                "crashed": "crashed or stopped answering", "load_failed": "could not be loaded again"}


def hidden_failure(lesson: Lesson, task: Task, case: Case, verdict: Verdict, kind: str = "ok") -> TaskResult:
    """The result of a failed hidden case, in the kit's own words only: the kind of failure (``kind``, the
    outcome's: ``ok`` when values came back and were judged), the case's label, a named mistake and which
    function an oracle found wrong (:attr:`Verdict.finding`, no numbers).  Nothing the student's code
    produced after it saw the hidden inputs (a message, a number, an exit code, a wrong value, the record
    where it went wrong) is shown, nor kept in its evidence."""
    label = f" ({case.label})" if case.label else ""
    if verdict.mistake:
        what, summary = f"gives the values of a known mistake: {verdict.summary}", verdict.summary
    elif kind != "ok" or verdict.summary == UNCHECKABLE:
        what = HIDDEN_WORDS.get("unsendable" if kind == "ok" else kind, "failed")
        summary = f"hidden check: {UNCHECKABLE if kind == 'ok' else what}"
    else:
        what, summary = "returned a wrong answer", "hidden check failed"
    details = (f"a hidden check{label} failed: your code {what}. It passes the public cases, "
               "so test it on other data too")
    feedback = f"{verdict.hint}\n{details}" if verdict.mistake and verdict.hint else details
    if verdict.finding:
        feedback += f"\n{verdict.finding}"
    return TaskResult(lesson.name, task.name, task.title, 0.0, task.points, "failed", summary, feedback,
                      Evidence(case.label, hidden=True, mistake=verdict.named, slope=verdict.evidence.slope))


def judge_case(lesson: Lesson, task: Task, index: int, values: list[Any], reference: Reference) -> Verdict:
    """The verdict (with the mistake named, if known) on the values case ``index`` returned; a near miss that
    names no mistake gets the task's usual causes of small errors as its hint (a hidden case shows neither:
    see :func:`hidden_failure`)."""
    case = task.cases[index]
    verdict = task.kind.judge(reference.expected(lesson, task, index), values, task.name, case)
    if verdict.passed:
        return verdict
    verdict = diagnose(verdict, lesson, task, index, values, reference)
    if verdict.mistake is None and near_miss(verdict.evidence.mismatches) is not None:
        return replace(verdict, hint=task.near_miss_hint)
    return verdict


def outcome_verdict(outcome: Outcome, name: str, shown: Callable[[], str], load: LoadReport,
                    limits: Limits) -> Verdict:
    """Feedback for a call of task ``name`` that did not return a value; ``shown()`` writes the call
    (only for the feedback that quotes it)."""
    kind = outcome.kind
    if kind == "not_implemented":
        return fail(NOT_IMPLEMENTED, f"{name} is not implemented yet: replace "
                                           "`raise NotImplementedError` with your code")
    if kind == "load_failed" or kind == "missing" and unreadable(load.problems):
        return fail(NOT_GRADED, f"your file could not be loaded: {SEE_NOTE}")
    if kind == "missing":
        skipped = unread(load.problems, name)
        if skipped:
            return fail("syntax error", skipped)
        return fail("missing", outcome.message + missing_note(load.problems))
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
        return fail(UNCHECKABLE, f"{call}: {outcome.message}")
    return fail(f"raised {outcome.error_type}", f"{call} raised {outcome.error_type}: {outcome.message}\n"
                                                f"{outcome.traceback.rstrip()}".rstrip())
