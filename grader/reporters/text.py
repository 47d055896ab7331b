"""The report a student reads in a terminal: one line per task, feedback under failures, a total."""

from __future__ import annotations

import click

from grader.reporters.safe_text import renders
from grader.results import LessonResult, Report, TaskResult
from grader.runner import sandbox




def _points(x: float) -> str:
    return f"{x:g}"


@renders
def render(report: Report, color: bool = False) -> str:
    """The whole report as text (ANSI colours when ``color``)."""
    lines: list[str] = []
    for note in report.notes:
        lines.append(f"note: {note}")
    for lesson in report.lessons:
        lines += _lesson(lesson, color)
    total = f"Total: {_points(report.score)}/{_points(report.max_score)} points, " \
            f"{report.passed_count} of {len(report.tasks)} tasks passed"
    if report.isolation:
        lines.append(f"isolation: {sandbox.describe(report.isolation)}")
    lines.append(click.style(total, bold=True) if color else total)
    return "\n".join(lines)


def _lesson(lesson: LessonResult, color: bool) -> list[str]:
    head = f"{lesson.lesson}  ({lesson.path})  {_points(lesson.score)}/{_points(lesson.max_score)}"
    lines = ["", click.style(head, bold=True) if color else head]
    width = max((len(t.task) for t in lesson.tasks), default=0)
    for task in lesson.tasks:
        lines += _task(task, width, color)
    for note in lesson.notes:
        lines.append(_indent(f"note: {note}", "  "))
    if lesson.output.strip():
        lines.append("  your code printed:")
        lines.append(_indent(lesson.output.rstrip(), "  | "))
    return lines


def _task(task: TaskResult, width: int, color: bool) -> list[str]:
    mark = {"passed": "PASS", "failed": "FAIL"}.get(task.status, "ERR ")
    if color:
        mark = click.style(mark, fg="green" if task.passed else "red", bold=True)
    score = task.score_text
    verdict = task.title if not task.remarked else f"{task.title}  [{task.summary}]"
    lines = [f"  {mark}  {task.task.ljust(width)}  {score:>5}  {verdict}"]
    if task.feedback:
        lines.append(_indent(task.feedback, " " * 8))
    return lines


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())
