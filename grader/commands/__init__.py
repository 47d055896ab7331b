"""The ``grade`` subcommands, one module per job; :mod:`grader.cli` gathers them.

Each command only parses its options, calls a plain function of the kit and
turns domain errors into :class:`click.ClickException` (exit 1) or usage errors
(exit 2).  This module holds the options shared by the commands that grade.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import click

from grader.runner.process import Limits

if TYPE_CHECKING:
    from grader.courses import Course

F = Callable[..., Any]


def grading_options(command: F) -> F:
    """Add ``-k/--task``, ``--timeout``, ``--load-timeout`` and ``--memory`` to a command that grades."""
    options = [
        click.option("-k", "--task", "tasks", multiple=True, metavar="PATTERN",
                     help="Grade only these tasks: a name (train), lesson.task, a lesson, or a glob. Repeatable."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=Limits.task_seconds, show_default=True,
                     help="Seconds each task may run."),
        click.option("--load-timeout", type=click.FloatRange(min=0.1), metavar="SECONDS",
                     help="Seconds a file's top level may run while it loads (a statement still running then is "
                          "stopped and skipped).  [default: the course's load_timeout, else "
                          f"{Limits.load_seconds:g}]"),
        click.option("--memory", type=click.IntRange(min=128), default=Limits.memory_mb, show_default=True,
                     help="MiB of memory the student's code may use."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def course_option(command: F) -> F:
    """Add ``--course PATH`` to a command: the course folder (else the nearest course.toml above the current
    folder, else the built-in course)."""
    return click.option("--course", "course_path", type=click.Path(path_type=Path), metavar="PATH",
                        help="The course folder (its course.toml), or the name of an installed course. Default: "
                             "the nearest course.toml above the current folder, else the built-in course.")(command)


def assignment_option(command: F) -> F:
    """Add ``--assignment NAME`` to a command: grade, count or build only that assignment's lessons."""
    return click.option("--assignment", metavar="NAME",
                        help="Only the lessons of this assignment of the course (its [[assignments]]): the "
                             "maximum score, the tasks and the files follow it.")(command)


def load_course(course_path: Path | None, assignment: str | None = None) -> "Course":
    """The course a command works on, restricted to ``assignment`` if given; a course that cannot load is one
    clear error (exit 1), an assignment the course does not have a usage error (exit 2)."""
    from grader.courses import CourseError, find_course

    try:
        course = find_course(course_path)
    except CourseError as exc:
        raise click.ClickException(str(exc)) from None
    if assignment is None:
        return course
    try:
        return course.for_assignment(assignment)
    except CourseError as exc:
        raise click.BadParameter(str(exc), param_hint="'--assignment'") from None


def limits(*, course: "Course", tasks: Sequence[str], timeout: float, memory: int,
           load_timeout: float | None = None) -> Limits:
    """The limits for the options of :func:`grading_options` (the load time limit: ``--load-timeout``, else
    the course's, else the default); a ``-k`` that matches no task is a usage error."""
    if tasks and next(course.selected_tasks(tasks), None) is None:
        raise click.UsageError(f"no task matches {', '.join(tasks)}")
    load_seconds = load_timeout or course.load_seconds or Limits.load_seconds
    return Limits(task_seconds=timeout, memory_mb=memory, load_seconds=load_seconds)
