"""``grade submit``: a student packs their lesson files for upload."""

from __future__ import annotations

from pathlib import Path

import click

from grader.commands import course_option, load_course


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default="submission.zip", show_default=True,
              help="The zip to write.")
@course_option
def submit(path: Path, out: Path, course_path: Path | None) -> None:
    """Pack lesson files into one zip to upload to the course's LMS.

    The zip holds the files that 'grade check PATH' grades and manifest.json:
    their SHA-256 hashes, the score of a self-check run now, and the time.

    Example: grade submit exercises/ --out submission.zip
    """
    from grader.loader import NoLessonsFound
    from grader.reporters.safe_text import printable
    from grader.workflows.pack import pack_submission

    try:
        report = pack_submission(path=path, out=out, course=load_course(course_path))
    except NoLessonsFound as exc:
        raise click.UsageError(str(exc)) from None
    for note in report.notes:  # a file left out of the zip, and why
        click.echo(f"note: {printable(note)}", err=True)
    lessons = ", ".join(lesson.lesson for lesson in report.lessons)
    click.echo(f"packed {lessons} into {out} (self-check: {report.score:g}/{report.max_score:g} points)", err=True)


COMMANDS = (submit,)
