"""GitHub Classroom's autograding result: what a test runner step hands to Classroom's grading reporter
(``classroom-resources/autograding-grading-reporter``), one test per task.

The reporter reads each runner's result from the environment, as base64 of a JSON object ``{"version": 1,
"status", "max_score", "tests": [{"name", "status", "score", "message"}]}``, sums the tests' scores and
posts the total to Classroom.  :func:`render` writes that base64 text, one line, ready for a step's output.
A Classroom grade is what the student's own repository's workflow reported: the student controls that
workflow, so it is a self-check, not a final grade (see SECURITY.md).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from grader.reporters.safe_text import renders
from grader.results import Report

MAX_MESSAGE = 60_000  # characters of messages in all: the base64 result must fit one environment variable


@renders
def to_dict(report: Report) -> dict[str, Any]:
    """The report as a Classroom runner's result."""
    share = MAX_MESSAGE // max(1, len(report.tasks))
    tests = [{"name": task.name, "status": _status(task.status), "score": task.score,
              "message": f"{task.summary}\n{task.feedback}".strip()[:share]} for task in report.tasks]
    status = "pass" if report.all_passed else "error" if any(t["status"] == "error" for t in tests) else "fail"
    return {"version": 1, "status": status, "max_score": report.max_score, "tests": tests}


def _status(status: str) -> str:
    return {"passed": "pass", "failed": "fail"}.get(status, "error")


def render(report: Report) -> str:
    """The result as Classroom's reporter reads it: base64 of its JSON, on one line."""
    return base64.b64encode(json.dumps(to_dict(report), ensure_ascii=False).encode()).decode()
