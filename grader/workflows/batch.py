"""``grade batch``: grade a folder of submissions as an LMS gives them, in parallel, resumably.

Every entry of the folder is one submission: a folder, a ``.py``, an ``.ipynb``
or a ``.zip`` (opened by :mod:`grader.workflows.unzip`; a zip that is unsafe is
refused with a note for that submission only).  Each submission gets
``OUT/<id>/``:

* ``feedback.txt``: the text report the student reads (without what the code
  printed: output printed while a hidden case ran could show its inputs);
* ``results.json``: Gradescope's schema, with the visibility of each test;
* ``report.json``: the whole report, written last: it marks the submission as
  finished, so a rerun skips it (``force`` regrades).

Every file is written atomically, so ``kill -9`` in the middle loses only the
submissions that were still being graded.  Gradings run in a pool of worker
processes, forked from the batch once it has computed the reference's answers,
so that they all share them.  Each worker has one thread (the symbolic judge
forks, which is only safe without other threads) and its own fork server for the
students' code (:mod:`grader.runner.servers`); it dies with the batch, and its
server and sandbox with it.  At the end the class files are written from every
finished report: ``gradebook.csv``, ``summary.md`` and ``summary.json``.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import multiprocessing.util
import os
import re
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator, Sequence

from grader.course import BY_NUMBER, selected_tasks
from grader.grading import grade_path
from grader.loader import SKIP_DIRS, NoLessonsFound, discover
from grader.reference import Reference, default_reference
from grader.reporters import gradebook, gradescope, summary, text
from grader.results import Report
from grader.runner import sandbox, servers
from grader.runner.process import Limits
from grader.runner.supervisor import die_with
from grader.workflows.files import write_atomic
from grader.workflows.pack import manifest_notes
from grader.workflows.unzip import UnsafeZip, extract

SUFFIXES = (".py", ".ipynb", ".zip")
FEEDBACK, RESULTS, REPORT = "feedback.txt", "results.json", "report.json"
CLASS_FILES = ("gradebook.csv", "summary.md", "summary.json")


class BatchError(ValueError):
    """The batch cannot run as asked."""


@dataclass(frozen=True)
class Submission:
    """One entry of the submissions folder and the id its results are filed under."""

    id: str
    path: Path


@dataclass(frozen=True)
class Plan:
    """The submissions of a folder, those still to grade, and the entries that are not submissions."""

    submissions: tuple[Submission, ...]
    todo: tuple[Submission, ...]
    ignored: tuple[str, ...]


def plan_batch(*, submissions: Path, out: Path, force: bool = False) -> Plan:
    """Find the submissions in ``submissions``; those with results in ``out`` are done unless ``force``."""
    if out.resolve() == submissions.resolve() or submissions.resolve() in out.resolve().parents:
        raise BatchError(f"the output folder {out} must not be inside {submissions}")
    found, ignored, taken = [], [], set(CLASS_FILES)
    for entry in sorted(submissions.iterdir()):
        if entry.name.startswith(".") or entry.name in SKIP_DIRS:
            continue
        if not (entry.is_dir() or entry.suffix.lower() in SUFFIXES):
            ignored.append(f"{entry.name}: not a folder, .py, .ipynb or .zip")
            continue
        ident = _unique(submission_id(entry.name), taken)
        found.append(Submission(ident, entry))
    todo = [s for s in found if force or not (out / s.id / REPORT).is_file()]
    return Plan(tuple(found), tuple(todo), tuple(ignored))


def submission_id(name: str) -> str:
    """A file-name-safe id from an entry's name: ``Alice Smith (2).zip`` → ``Alice_Smith_2``."""
    stem = name[: -len(Path(name).suffix)] if Path(name).suffix.lower() in SUFFIXES else name
    return re.sub(r"[^\w.-]+", "_", stem).strip("._-") or "submission"


def _unique(ident: str, taken: set[str]) -> str:
    candidate, n = ident, 1
    while candidate in taken:
        n += 1
        candidate = f"{ident}_{n}"
    taken.add(candidate)
    return candidate


def run_batch(plan: Plan, *, out: Path, jobs: int | None = None, tasks: Sequence[str] = (),
              limits: Limits | None = None) -> Iterator[tuple[Submission, BaseException | None]]:
    """Grade and file each submission of ``plan.todo``; yield each as it finishes, with the error if the grader failed.

    A submission the grader failed on (a bug of the grader's, not the student's)
    has no results, so the next run tries it again.
    """
    if not plan.todo:
        return
    sandbox.level()  # SandboxUnavailable now, once, not from every submission; the workers inherit the trial
    reference = default_reference()
    answer_all(reference, tasks)
    workers = min(jobs or os.cpu_count() or 1, len(plan.todo))
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_start_worker, initargs=(reference, os.getpid())) as pool:
        futures: dict[Future[None], Submission] = {
            pool.submit(_grade_and_file, s, out=out, tasks=tasks, limits=limits): s for s in plan.todo}
        try:
            for future in as_completed(futures):
                yield futures[future], future.exception()
        finally:
            for future in futures:
                future.cancel()


def answer_all(reference: Reference, tasks: Sequence[str] = ()) -> None:
    """Compute (and cache in ``reference``) the answers and known mistakes of every selected task's cases.

    A case the reference cannot answer is left for grading, which reports it as a grader error.
    """
    for lesson, task in selected_tasks(tasks):
        for index in range(len(task.cases)):
            with contextlib.suppress(Exception):
                reference.expected(lesson, task, index)
                reference.mistakes(lesson, task, index)


_reference: Reference | None = None  # in a worker process: the batch's reference, answers computed


def _start_worker(reference: Reference, batch: int) -> None:
    """In a new worker process: die with the batch, keep its reference, end the fork servers at exit."""
    global _reference
    die_with(batch)
    _reference = reference
    multiprocessing.util.Finalize(None, servers.close_idle, exitpriority=0)


def _grade_and_file(submission: Submission, *, out: Path, tasks: Sequence[str], limits: Limits | None) -> None:
    report = grade_submission(submission, tasks=tasks, limits=limits, reference=_reference)
    folder = out / submission.id
    student = replace(report, lessons=tuple(replace(lesson, output="") for lesson in report.lessons))
    write_atomic(folder / FEEDBACK, text.render(student) + "\n")
    write_atomic(folder / RESULTS, gradescope.render(report) + "\n")
    write_atomic(folder / REPORT, json.dumps(report.to_dict(), ensure_ascii=False))


def grade_submission(submission: Submission, *, tasks: Sequence[str] = (), limits: Limits | None = None,
                     reference: Reference | None = None) -> Report:
    """Grade one submission, whatever its form; what cannot be graded is a report with a note saying why.

    A folder with no lesson file but one zip (how some LMS hand back an uploaded zip) is graded as that zip.
    """
    path = submission.path
    zips = sorted(path.glob("*.zip")) if path.is_dir() else []
    if len(zips) == 1 and not _holds_lessons(path):
        path = zips[0]
    if path.is_dir() or path.suffix.lower() != ".zip":
        return _grade(path, path.name, tasks=tasks, limits=limits, reference=reference)
    with tempfile.TemporaryDirectory(prefix="grade-zip-") as tmp:
        try:
            extract(path, Path(tmp))
        except UnsafeZip as exc:
            return Report((), (f"not graded: {exc}",))
        report = _grade(Path(tmp), path.name, tasks=tasks, limits=limits, reference=reference)
        return replace(report, notes=report.notes + tuple(manifest_notes(Path(tmp))))


def _holds_lessons(folder: Path) -> bool:
    try:
        discover(folder, BY_NUMBER)
    except NoLessonsFound:
        return False
    return True


def _grade(path: Path, label: str, *, tasks: Sequence[str], limits: Limits | None,
           reference: Reference | None) -> Report:
    """Grade ``path``; lesson files are shown from the submission's name, never from a temporary folder."""
    try:
        return grade_path(path, tasks=tasks, limits=limits, reference=reference, shown_as=label)
    except NoLessonsFound as exc:
        return Report((), (f"not graded: {exc}",))


def task_points(tasks: Sequence[str] = ()) -> dict[str, float]:
    """The graded tasks (``lesson.task`` → points), in course order."""
    return {f"{lesson.name}.{task.name}": task.points for lesson, task in selected_tasks(tasks)}


def write_class_files(plan: Plan, *, out: Path, tasks: Sequence[str] = ()) -> dict[str, Any]:
    """Write the gradebook and the class summary from every finished submission; return the summary."""
    rows = [(s.id, Report.from_dict(json.loads((out / s.id / REPORT).read_text(encoding="utf-8"))))
            for s in plan.submissions if (out / s.id / REPORT).is_file()]
    points = task_points(tasks)
    result = summary.summarize(rows, points)
    write_atomic(out / "gradebook.csv", gradebook.render(rows, points))
    write_atomic(out / "summary.md", summary.render(result))
    write_atomic(out / "summary.json", json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return result
