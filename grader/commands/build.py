"""``grade release`` and ``grade gradescope``: the instructor builds what students and Gradescope get."""

from __future__ import annotations

from pathlib import Path

import click

from grader.commands import course_option, load_course


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT when it is not empty.")
@course_option
def release(out: Path, force: bool, course_path: Path | None) -> None:
    """Build the student kit in OUT.

    It holds the stubs, the notebooks, the grader with the public checks and
    their expected values, a README and a GitHub Actions workflow.

    No reference code and no hidden check goes in; the build fails if any would.

    Example: grade release ../ml-basics-student
    """
    from grader.workflows.kit import BuildError
    from grader.workflows.release import build_release

    try:
        built = build_release(out=out, course=load_course(course_path), force=force)
    except BuildError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote the student kit to {built}", err=True)


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@course_option
def gradescope(out: Path, course_path: Path | None) -> None:
    """Build a Gradescope autograder bundle.

    OUT is a zip with setup.sh, run_autograder and the grader with every check,
    hidden ones included. Upload it as the assignment's autograder. No
    reference code goes in.

    Example: grade gradescope autograder.zip
    """
    from grader.workflows.bundle import build_bundle
    from grader.workflows.kit import BuildError

    try:
        build_bundle(out=out, course=load_course(course_path))
    except BuildError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote the Gradescope autograder to {out}", err=True)
