"""Gradescope's results.json: one test per task, the feedback as its output.

This converter owns the visibility policy.  Each task stays one test (a task's
points are all or nothing, decided by its first failing case, and every other
report names tests ``lesson.task`` too), so the hidden checks are not split into
tests of their own.  Instead a test that failed on a hidden case is shown
``after_published``: while submissions are open a student cannot probe the
hidden checks by resubmitting and watching which test turns red; after grades
are published the failure, with its generic message (grading never shows a
hidden case's data or expected values), is there to learn from.  Every other
test is ``visible``.  What the student's code printed is not part of
results.json at all: it could show a hidden case's inputs.  A failed test keeps
the evidence of its case as data in ``extra_data`` (of a hidden case, only its
label and a named mistake).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from grader.reporters.safe_text import renders
from grader.results import Report, TaskResult

HIDDEN_FAILURE_VISIBILITY = "after_published"


def visibility(task: TaskResult) -> str:
    """The Gradescope visibility of a task's test (see the module's docstring)."""
    return HIDDEN_FAILURE_VISIBILITY if task.hidden_failed else "visible"


@renders
def to_dict(report: Report) -> dict[str, Any]:
    """The report in Gradescope's results.json schema."""
    tests = []
    for task in report.tasks:
        output = task.title if not task.remarked else f"{task.title}\n{task.summary}\n{task.feedback}".rstrip()
        test = {"name": task.name, "score": float(task.score), "max_score": task.max_score,
                "status": "passed" if task.passed else "failed", "output": output, "visibility": visibility(task)}
        if task.evidence:
            test["extra_data"] = {"evidence": asdict(task.evidence)}
        tests.append(test)
    notes = list(report.notes) + [f"{lesson.lesson}: {note}" for lesson in report.lessons for note in lesson.notes]
    return {"score": float(report.score), "max_score": report.max_score, "execution_time": round(report.seconds, 3),
            "output": "\n".join(notes), "output_format": "text", "visibility": "visible",
            "stdout_visibility": "hidden", "tests": tests}


@renders
def render(report: Report) -> str:
    """The report as results.json text."""
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False)
