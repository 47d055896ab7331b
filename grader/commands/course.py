"""``grade course test``: the course author checks that a course is ready for students."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.commands import course_option, load_course


@click.group()
def course() -> None:
    """Work on a course as its author: grade course test.

    Example: grade course test --course ../ml-intro
    """


@course.command()
@course_option
def test(course_path: Path | None) -> None:
    """Self-test the course, as its CI would.

    It grades the reference (full marks), the stubs (0, "not implemented"),
    each mistake variant (it fails its task and is named there) and a
    submission that hard-codes the public answers (it fails a hidden case);
    it checks that the cases vary every parameter of each task, and that the
    release carries no reference code.

    One line per finding says what to fix. Exit code 0 when every check
    holds, 1 otherwise.

    Example: grade course test --course ../ml-intro
    """
    from grader.workflows.kit import BuildError
    from grader.workflows.selftest import run_selftest

    chosen = load_course(course_path)
    click.echo(f"course {chosen.name} ({chosen.root})")
    findings = 0
    try:
        for result in run_selftest(chosen):
            click.echo(f"{'FAIL' if result.findings else 'ok  '}  {result.title.rstrip('.')}")
            for finding in result.findings:
                click.echo(f"      {finding}")
            findings += len(result.findings)
    except BuildError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{findings} finding{'s' if findings != 1 else ''}: fix them in the course's declarations"
               if findings else "every check holds")
    sys.exit(1 if findings else 0)


COMMANDS = (course,)
