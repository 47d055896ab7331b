"""The report as GitHub-flavoured Markdown, for a CI job's summary page: a table, then each failure's evidence
and feedback."""

from __future__ import annotations

import html
import re

from grader.reporters.evidence import facts
from grader.reporters.safe_text import renders
from grader.results import Report


def cell(text: str) -> str:
    """``text`` fit for one cell of a Markdown table: one line, HTML and pipes escaped."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def code(text: str) -> str:
    """``text`` as an inline code span on one line, which Markdown shows as it is (no link, no emphasis)."""
    text = " ".join(text.split())
    fence = "`" * (1 + max((len(run) for run in re.findall("`+", text)), default=0))
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fenced(text: str) -> str:
    """``text`` in a code fence longer than any run of backticks inside it."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall("`+", text)), default=0))
    return f"{fence}text\n{text}\n{fence}"


@renders
def render(report: Report) -> str:
    """The report as Markdown."""
    lines = [f"### gradekit: {report.score:g}/{report.max_score:g} points, "
             f"{report.passed_count} of {len(report.tasks)} tasks passed", ""]
    lines += [f"- {cell(note)}" for note in report.notes]
    lines += [f"- {lesson.lesson}: {cell(note)}" for lesson in report.lessons for note in lesson.notes]
    lines += ["", "| | task | points | verdict |", "|---|---|---:|---|"]
    for task in report.tasks:
        mark = {"passed": "✅", "failed": "❌"}.get(task.status, "⚠️")
        verdict = task.title if not task.remarked else f"{task.title}: **{task.summary}**"
        lines.append(f"| {mark} | `{task.name}` | {task.score_text} | {cell(verdict)} |")
    for task in report.tasks:
        if task.feedback:
            lines += ["", f"<details><summary><code>{task.name}</code>: {cell(task.summary)}</summary>", ""]
            if task.evidence:
                lines += [" · ".join(f"{name} {code(text)}" for name, text in facts(task.evidence)), ""]
            lines += [fenced(task.feedback), "", "</details>"]
    return "\n".join(lines)
