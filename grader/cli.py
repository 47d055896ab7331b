"""The ``grade`` command: a thin click layer over :mod:`grader.grading` and :mod:`grader.stubs`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

FORMATS = ("text", "json")


@click.group()
@click.version_option(package_name="gradekit")
def cli() -> None:
    """Grade the machine-learning basics course: derivatives checked symbolically,
    training loops compared step by step, mistakes named.

    Example: grade check exercises/
    """


@cli.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for Gradescope's results.json schema.")
@click.option("-k", "--task", "tasks", multiple=True, metavar="PATTERN",
              help="Grade only these tasks: a name (train), lesson.task, a lesson, or a glob. Repeatable.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=5.0, show_default=True,
              help="Seconds each task may run.")
@click.option("--memory", type=click.IntRange(min=128), default=1024, show_default=True,
              help="MiB of memory the student's code may use.")
def check(path: Path, fmt: str, tasks: tuple[str, ...], timeout: float, memory: int) -> None:
    """Grade a lesson file (.py or .ipynb) or a folder of lesson files.

    Exit code 0 when every graded task passed, 1 when any failed, 2 for usage errors.

    Example: grade check exercises/lesson1_linear.py -k train
    """
    from grader.checks import selected
    from grader.course import LESSONS
    from grader.grading import grade_path
    from grader.loader import NoLessonsFound
    from grader.reporters import gradescope, text
    from grader.runner.process import Limits

    if tasks and not any(selected(tasks, lesson, t) for lesson in LESSONS.values() for t in lesson.tasks):
        raise click.UsageError(f"no task matches {', '.join(tasks)}")
    try:
        report = grade_path(path, tasks=tasks, limits=Limits(task_seconds=timeout, memory_mb=memory))
    except NoLessonsFound as exc:
        raise click.UsageError(str(exc)) from None
    if fmt == "json":
        click.echo(gradescope.render(report))
    else:
        click.echo(text.render(report, color=sys.stdout.isatty()))
    sys.exit(0 if report.all_passed else 1)


@cli.command()
@click.option("--solutions", type=click.Path(exists=True, file_okay=False, path_type=Path), default="solutions",
              show_default=True, help="Folder of reference lesson files with solution markers.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="exercises", show_default=True,
              help="Folder to write the student stubs into.")
@click.option("--notebooks", type=click.Path(file_okay=False, path_type=Path), default="notebooks",
              show_default=True, help="Folder to write the student notebooks into.")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 when a file is out of date.")
def stubs(solutions: Path, out: Path, notebooks: Path, check_only: bool) -> None:
    """Generate the student stubs and notebooks from the reference solutions.

    Code between '# BEGIN SOLUTION' and '# END SOLUTION' becomes
    'raise NotImplementedError'; docstrings stay. Each lesson also gets a
    notebook with the same stubs and a self-check cell.

    Example: grade stubs --solutions solutions --out exercises --notebooks notebooks
    """
    from grader.stubs import generate, stale

    if check_only:
        behind = stale(solutions, out, notebooks)
        if behind:
            raise click.ClickException(f"out of date in {out}: {', '.join(behind)} (run: grade stubs)")
        click.echo(f"{out} is up to date", err=True)
        return
    for written in generate(solutions, out, notebooks):
        click.echo(f"wrote {written}", err=True)
