"""``grade check``: what students (and instructors) run while working."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.commands import assignment_option, course_option, grading_options, limits, load_course

FORMATS = ("text", "json", "junit", "markdown", "prairielearn", "classroom")


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for Gradescope's results.json schema, junit for CI test reports, "
                   "markdown for a CI summary page ($GITHUB_STEP_SUMMARY), prairielearn for PrairieLearn's "
                   "external-grader results, classroom for GitHub Classroom's grading reporter (base64 JSON).")
@grading_options
@course_option
@assignment_option
@click.option("--min-score", type=click.FloatRange(min=0), metavar="POINTS",
              help="Exit 0 when the score reaches POINTS, even if some tasks failed (a CI threshold).")
def check(path: Path, fmt: str, tasks: tuple[str, ...], timeout: float, load_timeout: float | None, memory: int,
          course_path: Path | None, assignment: str | None, min_score: float | None) -> None:
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
    chosen = limits(course=course, tasks=tasks, timeout=timeout, memory=memory, load_timeout=load_timeout)
    from grader.grading import grade_path
    from grader.loader import NoLessonsFound
    from grader.reporters import classroom, gradescope, junit, markdown, prairielearn, text

    try:
        report = grade_path(path, course=course, tasks=tasks, limits=chosen)
    except NoLessonsFound as exc:
        raise click.UsageError(str(exc)) from None
    renderers = {"json": gradescope.render, "junit": junit.render, "markdown": markdown.render,
                 "prairielearn": prairielearn.render, "classroom": classroom.render,
                 "text": lambda r: text.render(r, color=sys.stdout.isatty())}
    click.echo(renderers[fmt](report))
    if min_score is None:
        sys.exit(0 if report.all_passed else 1)
    if report.score < min_score:
        click.echo(f"score {report.score:g} is below --min-score {min_score:g}", err=True)
    sys.exit(0 if report.score >= min_score else 1)


COMMANDS = (check,)
