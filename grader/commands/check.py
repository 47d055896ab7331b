"""``grade check`` and ``grade stubs``: what students and instructors run while working."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.commands import assignment_option, course_option, grading_options, limits, load_course

FORMATS = ("text", "json", "junit", "markdown")


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for Gradescope's results.json schema, junit for CI test reports, "
                   "markdown for a CI summary page ($GITHUB_STEP_SUMMARY).")
@grading_options
@course_option
@assignment_option
@click.option("--min-score", type=click.FloatRange(min=0), metavar="POINTS",
              help="Exit 0 when the score reaches POINTS, even if some tasks failed (a CI threshold).")
def check(path: Path, fmt: str, tasks: tuple[str, ...], timeout: float, memory: int, course_path: Path | None,
          assignment: str | None, min_score: float | None) -> None:
    """Grade a lesson file (.py or .ipynb) or a folder of them.

    With --assignment (for CI: --format json, junit or markdown), only that
    assignment's lessons are graded and the score is out of its points.

    Exit code 0 when every graded task passed (or the score reaches
    --min-score), 1 otherwise, 2 for usage errors.

    Example: grade check exercises/lesson1_linear.py -k train
    """
    from grader.runner import sandbox, servers
    from grader.runner.process import Limits

    servers.prestart(sandbox.likely_level(), Limits.disk_mb)  # it boots while the course loads
    course = load_course(course_path, assignment)
    chosen = limits(course=course, tasks=tasks, timeout=timeout, memory=memory)
    from grader.grading import grade_path
    from grader.loader import NoLessonsFound
    from grader.reporters import gradescope, junit, markdown, text

    try:
        report = grade_path(path, course=course, tasks=tasks, limits=chosen)
    except NoLessonsFound as exc:
        raise click.UsageError(str(exc)) from None
    renderers = {"json": gradescope.render, "junit": junit.render, "markdown": markdown.render,
                 "text": lambda r: text.render(r, color=sys.stdout.isatty())}
    click.echo(renderers[fmt](report))
    if min_score is None:
        sys.exit(0 if report.all_passed else 1)
    if report.score < min_score:
        click.echo(f"score {report.score:g} is below --min-score {min_score:g}", err=True)
    sys.exit(0 if report.score >= min_score else 1)


@click.command()
@course_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the student stubs into.  [default: the course's exercises/]")
@click.option("--notebooks", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the student notebooks into.  [default: the course's notebooks/]")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 when a file is out of date.")
def stubs(course_path: Path | None, out: Path | None, notebooks: Path | None, check_only: bool) -> None:
    """Generate the student stubs and notebooks from the course's reference solutions.

    Code between '# BEGIN SOLUTION' and '# END SOLUTION' becomes
    'raise NotImplementedError'; docstrings stay. Each lesson also gets a
    notebook with the same stubs and a self-check cell.

    Example: grade stubs --course . --out exercises --notebooks notebooks
    """
    from grader.stubs import MarkerError, generate, stale

    course = load_course(course_path)
    out, notebooks = out or course.root / "exercises", notebooks or course.root / "notebooks"
    try:
        if check_only:
            behind = stale(course, out, notebooks)
            if behind:
                raise click.ClickException(f"out of date in {out}: {', '.join(behind)} (run: grade stubs)")
            click.echo(f"{out} is up to date", err=True)
            return
        for written in generate(course, out, notebooks):
            click.echo(f"wrote {written}", err=True)
    except MarkerError as exc:
        raise click.ClickException(f"cannot make the stubs: {exc}") from None
