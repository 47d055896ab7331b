"""``grade release`` and ``grade gradescope``: the instructor builds what students and Gradescope get."""

from __future__ import annotations

from pathlib import Path

import click

from grader.commands import assignment_option, course_option, load_course


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT when it is not empty.")
@course_option
@assignment_option
def release(out: Path, force: bool, course_path: Path | None, assignment: str | None) -> None:
    """Build the student kit in OUT.

    It holds the stubs, the notebooks, the grader with the public checks and
    their expected values, a README and a GitHub Actions workflow.

    No reference code and no hidden check goes in; the build fails if any would.
    With --assignment, only that assignment's lessons go in, and the README
    says its due date and late policy.

    Example: grade release ../ml-basics-student
    """
    from grader.workflows.kit import BuildError
    from grader.workflows.release import build_release

    try:
        built = build_release(out=out, course=load_course(course_path, assignment), force=force)
    except BuildError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote the student kit to {built}", err=True)


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@course_option
@assignment_option
def gradescope(out: Path, course_path: Path | None, assignment: str | None) -> None:
    """Build a Gradescope autograder bundle.

    OUT is a zip with setup.sh, run_autograder and the grader with every check,
    hidden ones included. Upload it as the assignment's autograder. No
    reference code goes in. With --assignment, it holds and grades only that
    assignment's lessons.

    Example: grade gradescope autograder.zip
    """
    from grader.workflows.bundle import build_bundle
    from grader.workflows.kit import BuildError

    try:
        build_bundle(out=out, course=load_course(course_path, assignment))
    except BuildError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote the Gradescope autograder to {out}", err=True)
