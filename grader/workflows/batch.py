"""``grade batch``: grade a folder of submissions as an LMS gives them, in parallel, resumably.

Every entry of the folder is one submission: a folder, a ``.py``, an ``.ipynb``
or a ``.zip`` (opened by :mod:`grader.workflows.unzip`; a zip that is unsafe is
refused with a note for that submission only).  Each submission gets
``OUT/<id>/``:

* ``feedback.txt``: the text report the student reads (without what the code
  printed: output printed while a hidden case ran could show its inputs);
* ``results.json``: Gradescope's schema, with the visibility of each test;
* ``report.json``: the whole report, written last, with the SHA-256 of the
  submission's content (:func:`fingerprint`) and of what was graded (the
  course, an assignment, ``-k``): a rerun skips a submission for which neither
  has changed since (``force`` regrades), and grades again one that changed,
  or that could not be graded.

Only regular files of a submission are read (:mod:`grader.loader`): an entry
of the folder that is a link or a special file is refused with a note, as is
such a file inside a submission, for that file.  Every file is written
atomically, so ``kill -9`` in the middle loses only the submissions that were
still being graded.  Gradings run in a pool of worker processes, forked from
the batch once it has computed the reference's answers, so that they all share
them.  Each worker has one thread (the symbolic judge forks, which is only safe
without other threads) and its own fork server for the students' code
(:mod:`grader.runner.servers`); it dies with the batch, and its server and
sandbox with it.  When a worker dies (the OOM killer, a crash of the grader's),
the batch goes on in a new pool, and grades each submission that was being
graded then again in a process of its own: one that kills that one too is filed
as "could not be graded" with the reason.  At the end the class files are
written from every report, one row per submission: ``gradebook.csv``,
``summary.md`` and ``summary.json``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import multiprocessing
import multiprocessing.util
import os
import re
import signal
import stat
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from grader.courses import Course, builtin
from grader.grading import grade_path
from grader.loader import SKIP_DIRS, NoLessonsFound, Refused, discover, kind_of, walk
from grader.reference import Reference, default_reference
from grader.reporters import gradebook, gradescope, summary, text
from grader.results import Report
from grader.runner import sandbox, servers
from grader.runner.process import Limits
from grader.runner.supervisor import die_with
from grader.workflows.files import sha256_file, write_atomic
from grader.workflows.pack import manifest_notes
from grader.workflows.unzip import MAX_BYTES, UnsafeZip, extract

SUFFIXES = (".py", ".ipynb", ".zip")
FEEDBACK, RESULTS, REPORT = "feedback.txt", "results.json", "report.json"
CLASS_FILES = ("gradebook.csv", "summary.md", "summary.json")
_FORK = multiprocessing.get_context("fork")  # workers share the reference's answers computed before the fork


class BatchError(ValueError):
    """The batch cannot run as asked."""


@dataclass(frozen=True)
class Submission:
    """One entry of the submissions folder, the id its results are filed under and its :func:`fingerprint`."""

    id: str
    path: Path
    digest: str = ""


@dataclass(frozen=True)
class Plan:
    """The submissions of a folder, those still to grade, and the entries that are not submissions."""

    submissions: tuple[Submission, ...]
    todo: tuple[Submission, ...]
    ignored: tuple[str, ...]


def plan_batch(*, submissions: Path, out: Path, force: bool = False, selection: str = "") -> Plan:
    """Find the submissions in ``submissions``; those graded in ``out`` and unchanged since are done unless ``force``.

    ``selection`` says what is graded (the course, an assignment, ``-k`` patterns): a submission graded in
    ``out`` for another selection is not done.
    """
    if out.resolve() == submissions.resolve() or submissions.resolve() in out.resolve().parents:
        raise BatchError(f"the output folder {out} must not be inside {submissions}")
    found, ignored, taken = [], [], set(CLASS_FILES)
    for entry in sorted(submissions.iterdir()):
        if entry.name.startswith(".") or entry.name in SKIP_DIRS:
            continue
        if not (entry.is_dir() or entry.suffix.lower() in SUFFIXES):  # a link to a folder is one, refused later
            ignored.append(f"{entry.name}: not a folder, .py, .ipynb or .zip")
            continue
        ident = _unique(submission_id(entry.name), taken)
        digest = hashlib.sha256(f"{fingerprint(entry)}\n{selection}".encode()).hexdigest()
        found.append(Submission(ident, entry, digest))
    todo = [s for s in found if force or not _graded(out / s.id / REPORT, s.digest)]
    return Plan(tuple(found), tuple(todo), tuple(ignored))


def fingerprint(path: Path) -> str:
    """The SHA-256 of a submission's content: the relative path and the bytes of each file the loader's walk finds.

    A link or a special file counts by its name and kind, never by what it
    points to; a file over :data:`grader.workflows.unzip.MAX_BYTES` (never graded)
    by its size and modification time.
    """
    info = path.lstat()
    files = walk(path).files if stat.S_ISDIR(info.st_mode) else {path: info}
    content = [[file.relative_to(path).as_posix() if file != path else file.name, _content(file, about)]
               for file, about in files.items()]
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()


def _content(file: Path, info: os.stat_result) -> str:
    """What stands for one file in :func:`fingerprint`."""
    if not stat.S_ISREG(info.st_mode):
        return kind_of(info.st_mode)
    if info.st_size > MAX_BYTES:
        return f"{info.st_size} bytes, modified {info.st_mtime_ns}"
    try:
        return sha256_file(file)
    except OSError as exc:  # gone or swapped since the walk: it counts as such
        return f"unreadable: {exc}"


def _graded(report: Path, digest: str) -> bool:
    """True when ``report`` holds the grades of a submission whose content has the SHA-256 ``digest``."""
    try:
        return json.loads(report.read_text(encoding="utf-8")).get("digest") == digest
    except (OSError, ValueError, AttributeError):
        return False


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


def run_batch(plan: Plan, *, out: Path, course: Course | None = None, jobs: int | None = None,
              tasks: Sequence[str] = (), limits: Limits | None = None) -> Iterator[tuple[Submission, str | None]]:
    """Grade and file each submission of ``plan.todo`` on ``course`` (default: the built-in one); yield each as
    it is filed, with why the grader failed on it.

    A submission the grader failed on (a bug of the grader's, or its process
    killed) is filed as "could not be graded" with the reason, and the next run
    grades it again.  When a worker process dies, the submissions not yet started
    go on in a new pool, and those it was grading are graded again one at a time,
    each alone in a process of its own, so that only the one that kills it is lost.
    """
    if not plan.todo:
        return
    sandbox.level()  # SandboxUnavailable now, once, not from every submission; the workers inherit the trial
    reference = default_reference(course or builtin())
    answer_all(reference, tasks)
    grade = functools.partial(_grade_and_file, out=out, tasks=tasks, limits=limits)
    started = _FORK.RawArray("b", len(plan.todo))  # set by a worker while it grades that submission
    left, alone = dict(enumerate(plan.todo)), []
    while left:
        broken, ended = [], 0
        workers = min(jobs or os.cpu_count() or 1, len(left))
        for index, error in _in_pool(left, grade, workers, reference, started):
            if isinstance(error, BrokenProcessPool):
                broken.append(index)
            else:
                ended += 1
                yield _filed(plan.todo[index], None if error is None else _why(error), out)
        # those being graded when a worker died; if none was, and none ended, all (the pool cannot start)
        suspects = [i for i in broken if started[i]] or ([] if ended else broken)
        alone += suspects
        left = {i: plan.todo[i] for i in broken if i not in suspects}
    for index in alone:
        yield _filed(plan.todo[index], _grade_alone(plan.todo[index], grade, reference), out)


def _in_pool(todo: dict[int, Submission], grade: Callable[[Submission], None], workers: int, reference: Reference,
             started: Any) -> Iterator[tuple[int, BaseException | None]]:
    """Grade ``todo`` (by index) in a new pool of ``workers``; yield each index as it ends, with its error.

    When a worker dies, every submission not finished ends with :class:`BrokenProcessPool`;
    ``started[index]`` is still set for those that were being graded.
    """
    with ProcessPoolExecutor(max_workers=workers, mp_context=_FORK, initializer=_start_worker,
                             initargs=(reference, os.getpid(), started)) as pool:
        futures: dict[Future[None], int] = {}
        try:
            for index, submission in todo.items():
                try:
                    futures[pool.submit(_grade_in_pool, index, submission, grade)] = index
                except BrokenProcessPool as exc:  # broken already: not started
                    yield index, exc
            for future in as_completed(futures):
                yield futures[future], future.exception()
        finally:
            for future in futures:
                future.cancel()


def _grade_alone(submission: Submission, grade: Callable[[Submission], None], reference: Reference) -> str | None:
    """Grade ``submission`` in a worker process of its own; why the grader failed on it (``None``: it did not)."""
    receive, send = _FORK.Pipe(duplex=False)
    process = _FORK.Process(target=_alone, args=(send, submission, grade, reference, os.getpid()))
    process.start()
    send.close()
    try:
        error: str | None = receive.recv()
    except EOFError:  # it died before it could say
        error = None
    process.join()
    receive.close()
    return error if process.exitcode == 0 else died(process.exitcode)


def died(exitcode: int | None) -> str:
    """Why a grading process ended, from its exit code: ``the grading process was killed (signal 9): out of memory?``."""
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        if number == signal.SIGKILL:
            return f"the grading process was killed (signal {number}): out of memory?"
        return f"the grading process was killed (signal {number}, {signal.Signals(number).name})"
    return f"the grading process exited (exit code {exitcode})"


def _why(error: BaseException) -> str:
    """A grader's error as the batch reports it: ``RuntimeError: grader bug``."""
    return f"{type(error).__name__}: {error}"


def _filed(submission: Submission, reason: str | None, out: Path) -> tuple[Submission, str | None]:
    """``submission`` and why the grader failed on it (``None``: it was graded and filed); a failure is filed as
    "could not be graded", with no digest, so that a rerun grades it again."""
    if reason is not None:
        _file(submission, Report((), (f"could not be graded: {reason}",)), out)
    return submission, reason


def answer_all(reference: Reference, tasks: Sequence[str] = ()) -> None:
    """Compute (and cache in ``reference``) the answers and known mistakes of every selected task's cases.

    A case the reference cannot answer is left for grading, which reports it as a grader error.
    """
    for lesson, task in reference.course.selected_tasks(tasks):
        for index in range(len(task.cases)):
            with contextlib.suppress(Exception):
                reference.expected(lesson, task, index)
                reference.mistakes(lesson, task, index)


_reference: Reference | None = None  # in a worker process: the batch's reference, answers computed
_started: Any = None  # in a worker process of a pool: one flag per submission, set while it is graded


def _start_worker(reference: Reference, batch: int, started: Any = None) -> None:
    """In a new worker process: die with the batch, keep its reference, end the fork servers at exit."""
    global _reference, _started
    die_with(batch)
    _reference, _started = reference, started
    multiprocessing.util.Finalize(None, servers.close_idle, exitpriority=0)


def _grade_in_pool(index: int, submission: Submission, grade: Callable[[Submission], None]) -> None:
    """``grade(submission)`` with its flag set meanwhile: if this process dies, the batch knows it was grading it."""
    _started[index] = 1
    try:
        grade(submission)
    finally:
        _started[index] = 0


def _alone(send: Connection, submission: Submission, grade: Callable[[Submission], None], reference: Reference,
           batch: int) -> None:
    """In a process of its own: ``grade(submission)``, and send back why it failed (``None``: it did not)."""
    _start_worker(reference, batch)
    try:
        grade(submission)
    except Exception as exc:  # a bug of the grader's, said to the batch as for a pool's worker
        send.send(_why(exc))
    else:
        send.send(None)


def _grade_and_file(submission: Submission, *, out: Path, tasks: Sequence[str], limits: Limits | None) -> None:
    report = grade_submission(submission, tasks=tasks, limits=limits, reference=_reference)
    _file(submission, replace(report, digest=submission.digest), out)


def _file(submission: Submission, report: Report, out: Path) -> None:
    """Write the feedback, results.json and, last, report.json of ``submission``."""
    folder = out / submission.id
    student = replace(report, lessons=tuple(replace(lesson, output="") for lesson in report.lessons))
    write_atomic(folder / FEEDBACK, text.render(student) + "\n")
    write_atomic(folder / RESULTS, gradescope.render(report) + "\n")
    write_atomic(folder / REPORT, json.dumps(report.to_dict(), ensure_ascii=False))


def grade_submission(submission: Submission, *, tasks: Sequence[str] = (), limits: Limits | None = None,
                     reference: Reference | None = None) -> Report:
    """Grade one submission on ``reference``'s course (default: the built-in one), whatever its form; what
    cannot be graded is a report with a note saying why.

    A folder with no lesson file but one zip (how some LMS hand back an uploaded zip) is graded as that zip.
    A submission that is a link or a special file is not graded.
    """
    reference = reference or default_reference(builtin())
    path = submission.path
    mode = path.lstat().st_mode
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        what = "file" if path.suffix.lower() in SUFFIXES else "folder"
        return Report((), (f"not graded: {path.name} is {kind_of(mode)}; hand in the {what} itself",))
    if stat.S_ISDIR(mode):
        zips = [p for p in walk(path).files if p.parent == path and p.suffix.lower() == ".zip"]
        if len(zips) != 1 or _holds_lessons(path, reference.course):
            return _grade(path, path.name, tasks=tasks, limits=limits, reference=reference)
        path = zips[0]
    elif path.suffix.lower() != ".zip":
        return _grade(path, path.name, tasks=tasks, limits=limits, reference=reference)
    with tempfile.TemporaryDirectory(prefix="grade-zip-") as tmp:
        try:
            extract(path, Path(tmp))
        except UnsafeZip as exc:
            return Report((), (f"not graded: {exc}",))
        except Refused as exc:
            return Report((), (str(exc),))
        report = _grade(Path(tmp), path.name, tasks=tasks, limits=limits, reference=reference)
        return replace(report, notes=report.notes + tuple(manifest_notes(Path(tmp))))


def _holds_lessons(folder: Path, course: Course) -> bool:
    try:
        discover(folder, course.by_number)
    except NoLessonsFound:
        return False
    return True


def _grade(path: Path, label: str, *, tasks: Sequence[str], limits: Limits | None,
           reference: Reference) -> Report:
    """Grade ``path``; lesson files are shown from the submission's name, never from a temporary folder."""
    try:
        return grade_path(path, tasks=tasks, limits=limits, reference=reference, shown_as=label)
    except NoLessonsFound as exc:  # said of the submission as the student named it, not of a folder of ours
        return Report((), (f"not graded: {str(exc).replace(str(path), label)}",))


def task_points(course: Course, tasks: Sequence[str] = ()) -> dict[str, float]:
    """The graded tasks (``lesson.task`` → points), in course order."""
    return {f"{lesson.name}.{task.name}": task.points for lesson, task in course.selected_tasks(tasks)}


def write_class_files(plan: Plan, *, out: Path, course: Course | None = None,
                      tasks: Sequence[str] = ()) -> dict[str, Any]:
    """Write the gradebook and the class summary from every finished submission; return the summary.

    For a course restricted to an assignment, the summary names it, with its due date and late policy.
    """
    course = course or builtin()
    rows = [(s.id, Report.from_dict(json.loads((out / s.id / REPORT).read_text(encoding="utf-8"))))
            for s in plan.submissions if (out / s.id / REPORT).is_file()]
    points = task_points(course, tasks)
    result = summary.summarize(rows, points, course.assignment)
    write_atomic(out / "gradebook.csv", gradebook.render(rows, points))
    write_atomic(out / "summary.md", summary.render(result))
    write_atomic(out / "summary.json", json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return result
