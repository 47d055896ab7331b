"""PrairieLearn's external-grader results (``/grade/results/results.json``): the score as a fraction of the
points, one test per task.

PrairieLearn shows every test at once (it has no visibility per test); a failure on a hidden case is in
the kit's own words already (see :func:`grader.grading.hidden_failure`), so it can be shown.  What the
student's code printed is left out, as from Gradescope's results: it could show a hidden input.  A
submission of which nothing could be graded (no lesson file, or none that could be loaded: Python could
not read it, or its top level never finished) is *not gradable*: PrairieLearn then counts no attempt and
no points, and shows the notes as its format errors.  The texts share :data:`MAX_TEXT` characters, so the
file stays below PrairieLearn's 1 MB.
"""

from __future__ import annotations

import json
from typing import Any

from grader.file_notes import NOT_GRADED
from grader.reporters.safe_text import renders
from grader.results import Report

MAX_TEXT = 300_000  # characters of feedback in all (JSON may write a character in up to 6 bytes)


def not_gradable(*errors: str) -> dict[str, Any]:
    """The results of a submission PrairieLearn should not count, with the reasons shown to the student."""
    share = MAX_TEXT // max(1, len(errors))
    return {"gradable": False, "format_errors": [e[:share] for e in errors]}


@renders
def to_dict(report: Report) -> dict[str, Any]:
    """The report in PrairieLearn's external-grader results schema."""
    notes = [*report.notes, *(f"{lesson.lesson}: {note}" for lesson in report.lessons for note in lesson.notes)]
    if all(task.summary == NOT_GRADED for task in report.tasks):
        return not_gradable(*(notes or ["no lesson file could be graded"]))
    share = MAX_TEXT // (len(report.tasks) + 1)
    return {
        "gradable": True,
        "score": report.score / report.max_score if report.max_score else float(report.all_passed),
        "message": f"{report.score:g}/{report.max_score:g} points, {report.passed_count} of {len(report.tasks)} "
                   "tasks passed",
        "output": "\n".join(notes)[:share],
        "tests": [{"name": task.name, "description": task.title, "points": task.score, "max_points": task.max_score,
                   "message": task.summary, "output": task.feedback[:share]} for task in report.tasks],
    }


def render(report: Report) -> str:
    """The report as PrairieLearn's results.json text."""
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False)
