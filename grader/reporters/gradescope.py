"""Gradescope's results.json: one test per task, the feedback as its output."""

from __future__ import annotations

import json
from typing import Any

from grader.results import Report


def to_dict(report: Report) -> dict[str, Any]:
    """The report in Gradescope's results.json schema."""
    tests = []
    for task in report.tasks:
        output = task.title if task.passed else f"{task.title}\n{task.summary}\n{task.feedback}".rstrip()
        tests.append({"name": task.name, "score": task.score, "max_score": task.max_score,
                      "status": "passed" if task.passed else "failed", "output": output,
                      "visibility": "visible"})
    notes = list(report.notes) + [f"{lesson.lesson}: {note}" for lesson in report.lessons for note in lesson.notes]
    return {"score": report.score, "max_score": report.max_score, "execution_time": round(report.seconds, 3),
            "output": "\n".join(notes), "output_format": "text", "visibility": "visible",
            "stdout_visibility": "hidden", "tests": tests}


def render(report: Report) -> str:
    """The report as results.json text."""
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False)
