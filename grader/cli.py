"""The ``grade`` command: a thin click layer; each subcommand lives in :mod:`grader.commands`."""

from __future__ import annotations

from typing import Any

import click

from grader.commands import batch, build, check, submit
from grader.runner.sandbox import SandboxUnavailable


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


for _command in (check.check, check.stubs, submit.submit, batch.batch, build.release, build.gradescope):
    cli.add_command(_command)
