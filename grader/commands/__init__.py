"""The ``grade`` subcommands, one module per job; :mod:`grader.cli` gathers them.

Each command only parses its options, calls a plain function of the kit and
turns domain errors into :class:`click.ClickException` (exit 1) or usage errors
(exit 2).  This module holds the options shared by the commands that grade.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import click

from grader.runner.process import Limits

F = Callable[..., Any]


def grading_options(command: F) -> F:
    """Add ``-k/--task``, ``--timeout`` and ``--memory`` to a command that grades."""
    options = [
        click.option("-k", "--task", "tasks", multiple=True, metavar="PATTERN",
                     help="Grade only these tasks: a name (train), lesson.task, a lesson, or a glob. Repeatable."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=Limits.task_seconds, show_default=True,
                     help="Seconds each task may run."),
        click.option("--memory", type=click.IntRange(min=128), default=Limits.memory_mb, show_default=True,
                     help="MiB of memory the student's code may use."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def limits(*, tasks: Sequence[str], timeout: float, memory: int) -> Limits:
    """The limits for the options of :func:`grading_options`; a ``-k`` that matches no task is a usage error."""
    if tasks:  # the course (and SymPy with it) is imported only to check a -k: grade check starts sooner
        from grader.course import selected_tasks

        if next(selected_tasks(tasks), None) is None:
            raise click.UsageError(f"no task matches {', '.join(tasks)}")
    return Limits(task_seconds=timeout, memory_mb=memory)
