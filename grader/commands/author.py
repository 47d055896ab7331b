"""``grade init`` and ``grade new lesson``: an instructor starts a course and adds lessons to it."""

from __future__ import annotations

import os
from pathlib import Path

import click

from grader.commands import course_option


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="The course's title.  [default: the folder's name]")
def init(folder: Path, title: str | None) -> None:
    """Start a course in FOLDER.

    It gets a course.toml named after the folder, the folders checks/,
    solutions/ (with solutions/mistakes/), exercises/ and notebooks/, and a
    README for the course's authors. A folder that holds a course.toml
    already is refused; nothing else in it is overwritten.

    Example: grade init ml-intro && cd ml-intro && grade new lesson lesson1_linear
    """
    from grader.workflows.scaffold import ScaffoldError, init_course

    try:
        written = init_course(folder, title=title)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    _said(written)
    click.echo(f"next: cd {folder} && grade new lesson lesson1_NAME", err=True)


@click.group()
def new() -> None:
    """Add to a course: grade new lesson NAME.

    Example: grade new lesson lesson2_descent
    """


@new.command()
@click.argument("name")
@click.option("--number", type=click.IntRange(min=0), metavar="N",
              help="The lesson's number, for a NAME that does not start with lesson<N>.")
@click.option("--title", help="The lesson's title.  [default: from its name]")
@course_option
def lesson(name: str, number: int | None, title: str | None, course_path: Path | None) -> None:
    """Add lesson NAME to the course, ready to grade.

    NAME is the module students hand in: lesson<N>_..., N a number no lesson
    has (or any Python name with --number N). It writes a worked example to
    replace: the reference solutions/NAME.py, its checks checks/NAME.py, an
    empty solutions/mistakes/NAME.py, the [[lessons]] entry of course.toml, and
    the student's exercises/NAME.py and notebooks/NAME.ipynb.

    Example: grade new lesson lesson2_descent --title "Gradient descent"
    """
    from grader.courses import CourseError
    from grader.workflows.scaffold import ScaffoldError, new_lesson

    try:
        written = new_lesson(name, course=course_path, number=number, title=title)
    except (ScaffoldError, CourseError) as exc:
        raise click.ClickException(str(exc)) from None
    _said(written)
    reference = _shown(written[0])
    click.echo(f"next: grade check {reference}  (full marks); edit it and checks/{name}.py, then grade stubs",
               err=True)


def _said(written: list[Path]) -> None:
    for path in written:
        click.echo(f"wrote {_shown(path)}", err=True)


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when it is below it."""
    return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)


COMMANDS = (init, new)
