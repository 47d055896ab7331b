"""``grade course test``: the course author's self-test, fit for the course's own CI.

:data:`CHECKS` is its table: each check is a small function whose docstring is
the line it is shown under, and which returns its findings, one line each,
saying what to fix.  They share a :class:`SelfTest`: the course, one
:class:`grader.reference.Reference` (each answer worked out once) and a scratch
folder where the lesson files to grade are written.  Every file is graded as a
student's is, in the child, through :func:`grader.grading.grade_path`; the
reference, the stubs, the mistake variants and a submission that hard-codes the
public answers alike (see :mod:`grader.workflows.fake_submissions`).

A task whose reference does not score full marks is reported by the first check
only: the checks of its variants and of hard-coded answers, which need a right
reference, leave it out.
"""

from __future__ import annotations

import inspect
import json
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from grader import wire
from grader.checks import Lesson, Task
from grader.courses import Course
from grader.diagnosis import Mistake
from grader.grading import grade_path, hidden_cases
from grader.reference import Reference
from grader.results import TaskResult
from grader.stubs import MarkerError, student_files
from grader.workflows.fake_submissions import hard_coded_file, plain, variant_file
from grader.workflows.kit import BuildError, reference_files
from grader.workflows.release import build_release, solution_leaks


@dataclass
class SelfTest:
    """What the checks share: the course, one reference for every grading, and a scratch folder."""

    course: Course
    reference: Reference
    scratch: Path

    def grade(self, files: Mapping[str, str], tasks: Sequence[str] = ()) -> dict[str, TaskResult]:
        """Grade lesson files (lesson name → text) as one submission: the results by ``lesson.task``."""
        if not files:
            return {}
        folder = Path(tempfile.mkdtemp(dir=self.scratch))
        for lesson, text in files.items():
            (folder / f"{lesson}.py").write_text(text, encoding="utf-8")
        report = grade_path(folder, course=self.course, reference=self.reference, tasks=tasks)
        return {t.name: t for t in report.tasks}

    @cached_property
    def reference_results(self) -> dict[str, TaskResult]:
        """The grades of the reference files (graded once)."""
        return self.grade({name: self.course.path(ref).read_text(encoding="utf-8")
                           for name, ref in self.references().items()})

    def references(self) -> dict[str, str]:
        """Each lesson that has a reference file, with its path in the course."""
        return {name: files.reference for name, files in self.course.files.items() if files.reference}

    def sound_tasks(self) -> Iterator[tuple[Lesson, Task]]:
        """The tasks whose reference scores full marks."""
        for lesson, task in self.course.selected_tasks():
            result = self.reference_results.get(f"{lesson.name}.{task.name}")
            if result is not None and result.passed:
                yield lesson, task


def first_line(result: TaskResult) -> str:
    """The first line of a result's feedback (its summary when it has none)."""
    return (result.feedback.strip() or result.summary).splitlines()[0]


def reference_scores_full_marks(test: SelfTest) -> list[str]:
    """The reference scores full marks."""
    findings = [f"{name}: course.toml names no reference for it: add reference = \"solutions/{name}.py\""
                for name in test.course.lessons if name not in test.references()]
    findings += [f"{name}: the reference fails: {first_line(result)}: fix the task's cases or "
                 f"{test.references()[result.lesson]}"
                 for name, result in test.reference_results.items() if not result.passed]
    return findings


def stubs_not_implemented(test: SelfTest) -> list[str]:
    """The stubs score 0 and every task says "not implemented"."""
    try:
        stubs = student_files(test.course, Path())  # keyed <lesson>.py in the folder given, which is not used here
    except MarkerError as exc:
        return [f"the stubs cannot be made: {exc}"]
    results = test.grade({path.stem: text for path, text in stubs.items()})
    return [f"{name}: the stub scores {result.score:g}/{result.max_score:g} ({first_line(result)}), not 0 with "
            f"\"not implemented\": put the body of {result.task} between # BEGIN SOLUTION and # END SOLUTION in "
            f"{test.references()[result.lesson]}"
            for name, result in results.items() if result.score or "not implemented" not in result.summary]


def variants_are_named(test: SelfTest) -> list[str]:
    """Every mistake variant fails the task it is declared on, and is named there."""
    findings = []
    for chosen in _variant_rounds(test):  # one submission per round: each task's variant is imported on its own,
        # so it does not change the other tasks of its file
        by_lesson: dict[str, dict[str, str]] = {}
        for (lesson, task), mistake in chosen.items():
            by_lesson.setdefault(lesson, {})[task] = str(mistake.variant)
        results = test.grade({lesson: variant_file(test.course, lesson, variants)
                              for lesson, variants in by_lesson.items()},
                             [f"{lesson}.{task}" for lesson, task in chosen])
        findings += [finding for (lesson, task), mistake in chosen.items()
                     if (finding := _variant_finding(results[f"{lesson}.{task}"], mistake))]
    return findings


def _variant_rounds(test: SelfTest) -> list[dict[tuple[str, str], Mistake]]:
    """The sound tasks' variants in rounds: round k holds the k-th variant of each task."""
    rounds: list[dict[tuple[str, str], Mistake]] = []
    for lesson, task in test.sound_tasks():
        for k, mistake in enumerate(m for m in task.mistakes if m.variant):
            if k == len(rounds):
                rounds.append({})
            rounds[k][lesson.name, task.name] = mistake
    return rounds


def _variant_finding(result: TaskResult, mistake: Mistake) -> str | None:
    """What is wrong with the grade of a mistake's variant, if anything."""
    said = f"{result.name}: the variant {mistake.variant} of the mistake {mistake.id}"
    if result.passed:
        return f"{said} passes every case: add a case on which it differs from the reference"
    if result.mistake is None:
        return (f"{said} fails ({first_line(result)}) but is not named: it must run, and give the same values, "
                "on every case")
    if result.mistake != mistake.id:
        return f"{said} is named {result.mistake} instead: add a case on which the two differ"
    return None


def hard_coding_fails(test: SelfTest) -> list[str]:
    """A submission that hard-codes the public cases' answers fails a hidden case."""
    findings: list[str] = []
    chosen: dict[str, tuple[Lesson, list[Task]]] = {}
    for lesson, task in test.sound_tasks():
        if not _takes_arguments(task):  # one answer, always the same: hard-coding it is solving it
            continue
        if hidden_cases(task):
            chosen.setdefault(lesson.name, (lesson, []))[1].append(task)
        else:
            findings.append(f"{lesson.name}.{task.name}: no hidden case, so a submission that returns the public "
                            "cases' answers gets full marks: add a hidden case")
    results = test.grade({name: hard_coded_file(lesson, tasks, test.reference)
                          for name, (lesson, tasks) in chosen.items()},
                         [f"{name}.{task.name}" for name, (_, tasks) in chosen.items() for task in tasks])
    for name, result in results.items():
        if result.passed:
            findings.append(f"{name}: a submission that returns the public cases' answers passes the hidden cases "
                            "too: add a hidden case whose arguments no public case has")
        elif not result.hidden_failed:
            findings.append(f"{name}: a submission that returns the public cases' answers fails a public case "
                            f"({first_line(result)}): do two public cases differ only in a function they pass?")
    return findings


def _takes_arguments(task: Task) -> bool:
    """Whether some call of the task passes an argument."""
    return any(step.get("args") or step.get("kwargs") for c in task.cases for step in task.kind.steps(task.name, c))


def parameters_are_varied(test: SelfTest) -> list[str]:
    """Every parameter of a task is varied by its cases (ignoring it, or hard-coding its default, fails)."""
    findings = []
    for lesson, task in test.course.selected_tasks():
        module = test.reference.module(lesson.name)
        try:
            signature = inspect.signature(getattr(module, task.name))
        except (AttributeError, TypeError, ValueError):  # no reference, or nothing Python can tell the signature of
            continue
        for name, parameter in signature.parameters.items():
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            default = _identity(parameter.default) if parameter.default is not parameter.empty else None
            values = set(_values_given(signature, task, name, default))
            if len(values) < 2:
                how = "takes its default" if values == {default} else "is the same"
                findings.append(f"{lesson.name}: {task.name}'s {name} {how} in every case: add a case with "
                                f"another {name}")
    return findings


def _values_given(signature: inspect.Signature, task: Task, name: str, default: str | None) -> Iterator[str | None]:
    """The value that each call of the task (in every case, each instance for a class) gives parameter ``name``."""
    for c in task.cases:
        for step in task.kind.steps(task.name, c):
            if step.get("call") != task.name:
                continue
            try:
                bound = signature.bind(*step.get("args", []), **step.get("kwargs", {}))
            except TypeError:  # a case that does not fit the reference: the first check says so
                continue
            yield _encoded_identity(bound.arguments[name]) if name in bound.arguments else default


def _identity(value: Any) -> str:
    return json.dumps(plain(value), sort_keys=True)


def _encoded_identity(argument: Any) -> str:
    """A step's argument for comparison: a function handed over by its name and parameters, data by value."""
    if isinstance(argument, dict) and "$fn" in argument:
        return json.dumps(argument, sort_keys=True)
    return _identity(wire.decode(argument))


def release_has_no_reference(test: SelfTest) -> list[str]:
    """The release carries no reference code."""
    out = test.scratch / "release"
    try:
        build_release(out=out, course=test.course)
    except BuildError as exc:
        return [f"the release cannot be built: {exc}"]
    except Exception as exc:  # noqa: BLE001 - the course's own code broke the build (a reference that raises)
        return [f"the release cannot be built: {type(exc).__name__}: {exc}"]
    return [f"the release carries reference code: {leak}: take that code out of the files a release copies"
            for leak in solution_leaks(out, reference_files(test.course))]


def uses_are_called(test: SelfTest) -> list[str]:
    """Every function a task declares it uses is called by the reference's task (follow-through serves it)."""
    findings = []
    for lesson, task in test.course.selected_tasks():
        called = {call.name for i in range(len(task.cases)) for call in test.reference.served(lesson, task, i).calls}
        findings += [f"{lesson.name}.{task.name}: uses {name}, but the reference's {task.name} never calls it on "
                     f"any case: follow-through could never help; take it out of uses"
                     for name in task.uses if name not in called]
    return findings


CHECKS: tuple[Callable[[SelfTest], list[str]], ...] = (
    reference_scores_full_marks,
    stubs_not_implemented,
    variants_are_named,
    uses_are_called,
    hard_coding_fails,
    parameters_are_varied,
    release_has_no_reference,
)


@dataclass(frozen=True)
class CheckResult:
    """One check of the self-test: the line it is shown under, and its findings (none when it holds)."""

    title: str
    findings: tuple[str, ...]


def run_selftest(course: Course) -> Iterator[CheckResult]:
    """Run every check of :data:`CHECKS` on ``course``, yielding each result as it is known.

    BuildError for a course without reference solutions (a built kit): there is nothing to test it against.
    """
    reference_files(course)
    with tempfile.TemporaryDirectory(prefix="gradekit-course-test-") as scratch:
        test = SelfTest(course, Reference(course), Path(scratch))
        for check in CHECKS:
            yield CheckResult((inspect.getdoc(check) or check.__name__).splitlines()[0], tuple(check(test)))
