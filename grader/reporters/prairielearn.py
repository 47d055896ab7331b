"""PrairieLearn's external-grader results (``/grade/results/results.json``): the score as a fraction of the
points, one test per task.

PrairieLearn shows every test at once (it has no visibility per test); a failure on a hidden case is in
the kit's own words already (see :func:`grader.grading.hidden_failure`), so it can be shown.  What the
student's code printed is left out, as from Gradescope's results: it could show a hidden input.  A
submission of which nothing could be graded (no lesson file, or none that Python can read) is *not
gradable*: PrairieLearn then counts no attempt and no points, and shows the notes as its format errors.
Every text is cut to :data:`MAX_TEXT` characters, so the file stays far below PrairieLearn's 1 MB.
"""

from __future__ import annotations

import json
from typing import Any

from grader.file_notes import NOT_GRADED
from grader.reporters.safe_text import renders
from grader.results import Report

MAX_TEXT = 20_000


def not_gradable(*errors: str) -> dict[str, Any]:
    """The results of a submission PrairieLearn should not count, with the reasons shown to the student."""
    return {"gradable": False, "format_errors": [e[:MAX_TEXT] for e in errors]}


@renders
def to_dict(report: Report) -> dict[str, Any]:
    """The report in PrairieLearn's external-grader results schema."""
    notes = [*report.notes, *(f"{lesson.lesson}: {note}" for lesson in report.lessons for note in lesson.notes)]
    if all(task.summary == NOT_GRADED for task in report.tasks):
        return not_gradable(*(notes or ["no lesson file could be graded"]))
    return {
        "gradable": True,
        "score": report.score / report.max_score if report.max_score else 0.0,
        "message": f"{report.score:g}/{report.max_score:g} points, {report.passed_count} of {len(report.tasks)} "
                   "tasks passed",
        "output": "\n".join(notes)[:MAX_TEXT],
        "tests": [{"name": task.name, "description": task.title, "points": task.score, "max_points": task.max_score,
                   "message": task.summary, "output": task.feedback[:MAX_TEXT]} for task in report.tasks],
    }


def render(report: Report) -> str:
    """The report as PrairieLearn's results.json text."""
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False)
