"""The ``grade`` command: a thin click layer; each subcommand lives in :mod:`grader.commands`."""

from __future__ import annotations

import atexit
import importlib
import importlib.util
import os
import sys
from typing import Any

import click

from grader.runner.sandbox import SandboxUnavailable

STUDENT = ("check", "submit")  # all that a student kit ships (grade release leaves the others out)
INSTRUCTOR = ("batch", "build", "author", "course")


class _Grade(click.Group):
    """The command group; a sandbox that was asked for but cannot run is a clean error, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SandboxUnavailable as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Grade)
@click.version_option(package_name="gradekit")
def cli() -> None:
    """Grade the machine-learning basics course: derivatives checked symbolically,
    training loops compared step by step, mistakes named.

    Example: grade check exercises/
    """


for _name in STUDENT + INSTRUCTOR:
    if importlib.util.find_spec(f"grader.commands.{_name}") is not None:
        for _command in importlib.import_module(f"grader.commands.{_name}").COMMANDS:
            cli.add_command(_command)


def main() -> None:
    """Run ``grade``, then leave at once.

    The exit handlers run (the fork servers end) and the output is flushed as
    on any exit; only the interpreter's teardown is skipped: with SymPy loaded,
    freeing its objects one by one takes about a fifth of a second.
    """
    try:
        cli()
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):  # sys.exit("message"): print it, exit 1
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (grade check | head): nothing more to say
            pass
    os._exit(code or 0)
