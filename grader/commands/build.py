"""``grade release``, ``grade gradescope`` and ``grade stubs``: the instructor builds what students and Gradescope get."""

from __future__ import annotations

from pathlib import Path

import click

from grader.commands import assignment_option, course_option, load_course


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT when it is not empty.")
@click.option("--github-classroom", "classroom", is_flag=True,
              help="A workflow that reports the points to GitHub Classroom (classroom.yml), instead of one that "
                   "shows the table of tasks on each run's summary page (grade.yml).")
@course_option
@assignment_option
def release(out: Path, force: bool, classroom: bool, course_path: Path | None, assignment: str | None) -> None:
    """Build the student kit in OUT.

    It holds the stubs, the notebooks, the grader with the public checks and
    their expected values, a README and a GitHub Actions workflow (with
    --github-classroom, one that reports the points to GitHub Classroom).

    No reference code and no hidden check goes in; the build fails if any would.
    With --assignment, only that assignment's lessons go in, and the README
    says its due date and late policy.

    Example: grade release ../ml-basics-student
    """
    from grader.workflows.kit import BuildError
    from grader.workflows.release import build_release

    try:
        built = build_release(out=out, course=load_course(course_path, assignment), force=force, classroom=classroom)
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


@click.command()
@course_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the student stubs into.  [default: the course's exercises/]")
@click.option("--notebooks", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the student notebooks into.  [default: the course's notebooks/]")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 when a file is out of date.")
def stubs(course_path: Path | None, out: Path | None, notebooks: Path | None, check_only: bool) -> None:
    """Generate the student stubs and notebooks from the course's reference solutions.

    Code between '# BEGIN SOLUTION' and '# END SOLUTION' becomes
    'raise NotImplementedError'; docstrings stay. Each lesson also gets a
    notebook with the same stubs and a self-check cell.

    Example: grade stubs --course . --out exercises --notebooks notebooks
    """
    from grader.stubs import MarkerError, generate, stale

    course = load_course(course_path)
    out, notebooks = out or course.root / "exercises", notebooks or course.root / "notebooks"
    try:
        if check_only:
            behind = stale(course, out, notebooks)
            if behind:
                raise click.ClickException(f"out of date in {out}: {', '.join(behind)} (run: grade stubs)")
            click.echo(f"{out} is up to date", err=True)
            return
        for written in generate(course, out, notebooks):
            click.echo(f"wrote {written}", err=True)
    except MarkerError as exc:
        raise click.ClickException(f"cannot make the stubs: {exc}") from None


COMMANDS = (release, gradescope, stubs)
