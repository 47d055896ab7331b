"""``grade batch``: an instructor grades every submission of a class."""

from __future__ import annotations

import json
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import click

from grader.commands import assignment_option, course_option, grading_options, limits, load_course


@click.command()
@click.argument("submissions", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the results: OUT/<id>/, gradebook.csv, summary.md, summary.json.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Submissions graded at once.  [default: CPU count]")
@click.option("--force", is_flag=True, help="Grade again the submissions graded in OUT whose files have not changed.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--unsandboxed", is_flag=True,
              help="Grade even where the students' code cannot be isolated (no bubblewrap, not root): it then "
                   "runs with your rights and could read the answers. Only for code you trust.")
@grading_options
@course_option
@assignment_option
def batch(submissions: Path, out: Path, jobs: int | None, force: bool, quiet: bool, unsandboxed: bool,
          tasks: tuple[str, ...], timeout: float, load_timeout: float | None, memory: int,
          course_path: Path | None, assignment: str | None) -> None:
    """Grade a class's submissions into a gradebook, hidden checks included.

    Each entry of SUBMISSIONS (a folder, a .py, an .ipynb or a .zip, as an LMS
    gives them) is one student's work. Hidden checks run. Only regular files are
    read: a link, a pipe or a device is not graded, with a note. A rerun skips
    the submissions graded before whose files have not changed since; results
    are written as each one finishes, so an interrupted run loses nothing that
    finished. With --assignment, only that assignment's lessons are graded
    and counted (a file of another lesson gets a note), and the summary says
    its due date and late policy. A submission the grader fails on (its
    process killed: out of memory?) is filed as "could not be graded" with the
    reason, the others are graded, and a rerun tries it again. The isolation
    in force is printed first; without a security boundary (no bubblewrap and
    not root) the batch refuses to run unless --unsandboxed. Exit code 1 when
    the grader itself failed on a submission.

    Example: grade batch downloads/ --out grades/ --jobs 4
    """
    from grader.reporters.safe_text import printable
    from grader.runner import sandbox
    from grader.workflows.batch import BatchError, plan_batch, run_batch, write_class_files

    course = load_course(course_path, assignment)
    chosen = limits(course=course, tasks=tasks, timeout=timeout, memory=memory, load_timeout=load_timeout)
    isolation = sandbox.level()  # tried once, here: the workers inherit the trial
    click.echo(f"isolation: {sandbox.describe(isolation)}", err=True)
    sandbox.require_boundary(isolation, unsandboxed)
    try:
        selection = json.dumps([str(course.root), course.assignment.name if course.assignment else "", sorted(tasks)])
        plan = plan_batch(submissions=submissions, out=out, force=force, selection=selection)
    except BatchError as exc:
        raise click.UsageError(str(exc)) from None
    for note in plan.ignored:
        click.echo(f"ignored {printable(note)}", err=True)  # a file name is the student's text
    done = len(plan.submissions) - len(plan.todo)
    if done:
        click.echo(f"{done} submission(s) already graded in {out}, unchanged since (--force grades them again)",
                   err=True)
    start = time.monotonic()
    finished = run_batch(plan, out=out, course=course, jobs=jobs, tasks=tasks, limits=chosen)
    failed: dict[str, list[str]] = {}  # why the grader failed → the submissions it failed on
    progress = nullcontext(finished) if quiet else click.progressbar(finished, length=len(plan.todo),
                                                                     label="grading", file=sys.stderr)
    with progress as items:
        for submission, reason in items:
            if reason is not None:
                failed.setdefault(reason, []).append(submission.id)
    seconds = time.monotonic() - start
    summary = write_class_files(plan, out=out, course=course, tasks=tasks)
    graded = len(plan.todo) - sum(map(len, failed.values()))
    rate = f", {graded / seconds:.1f} per second" if graded and seconds > 0 else ""
    click.echo(f"graded {graded} submission(s) in {seconds:.1f} s{rate}; {summary['submissions']} in the gradebook: "
               f"{out / 'gradebook.csv'}, {out / 'summary.md'}", err=True)
    if failed:
        raise click.ClickException("the grader failed on " + "; ".join(
            f"{_some(ids)}: {reason}" for reason, ids in failed.items()) + " (rerun to retry them)")


def _some(ids: list[str], shown: int = 5) -> str:
    """``a, b, c`` or, for many, ``a, b, c, d, e and 295 more``."""
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(sorted(ids)[:shown]) + more


COMMANDS = (batch,)
