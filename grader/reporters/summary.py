"""The class summary of a batch: pass rate per task, the most frequent mistakes, what could not be graded."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from grader.reporters.markdown import cell
from grader.reporters.safe_text import renders
from grader.results import Report

if TYPE_CHECKING:
    from grader.courses import Assignment

TOP_MISTAKES = 15


@renders
def summarize(rows: Sequence[tuple[str, Report]], tasks: Mapping[str, float],
              assignment: Assignment | None = None) -> dict[str, Any]:
    """The summary as JSON-safe data, from each submission's id and report, for ``tasks`` (name → points), and
    the ``assignment`` they were graded for (its fields, and its paragraph)."""
    results = [t for _, report in rows for t in report.tasks]
    graded = Counter(t.name for t in results)
    passed = Counter(t.name for t in results if t.passed)
    followed = Counter(t.name for t in results if t.followed_through)
    failures = Counter((t.name, t.mistake, t.summary if t.mistake is None else None) for t in results if not t.passed)
    labels = {(t.name, t.evidence.mistake.id): t.evidence.mistake.label for t in results
              if t.evidence and t.evidence.mistake}
    scores = [report.score for _, report in rows]
    said = {"assignment": {**asdict(assignment), "description": assignment.describe()}} if assignment else {}
    return {
        "submissions": len(rows),
        "max_score": sum(tasks.values()),
        "mean_score": round(sum(scores) / len(scores), 3) if scores else None,
        "tasks": [{"task": name, "graded": graded[name], "passed": passed[name], "followed_through": followed[name],
                   "pass_rate": round(passed[name] / graded[name], 3) if graded[name] else None} for name in tasks],
        "mistakes": [{"task": name, "mistake": mistake, "summary": summary or labels[(name, mistake)],
                      "count": count} for (name, mistake, summary), count in failures.most_common(TOP_MISTAKES)],
        "not_graded": [{"id": ident, "reason": "; ".join(report.notes)} for ident, report in rows
                       if not report.lessons],
        **said,
    }


@renders
def render(summary: dict[str, Any]) -> str:
    """The summary as Markdown (with the assignment's paragraph, when the summary has one)."""
    mean = "–" if summary["mean_score"] is None else f"{summary['mean_score']:g}"
    count = summary["submissions"]
    assignment = summary.get("assignment")
    lines = ["# Class summary", "", *([assignment["description"], ""] if assignment else []),
             f"{count} submission{'s' if count != 1 else ''}, mean score {mean} of {summary['max_score']:g} points.",
             "",
             "## Pass rate per task", "",
             "Passed with a wrong function it calls replaced by the right one: followed through.", "",
             "| task | passed | graded | pass rate | followed through |", "|---|---:|---:|---:|---:|"]
    for row in summary["tasks"]:
        rate = "–" if row["pass_rate"] is None else f"{100 * row['pass_rate']:.0f}%"
        lines.append(f"| `{row['task']}` | {row['passed']} | {row['graded']} | {rate} | {row['followed_through']} |")
    lines += ["", "## Most frequent mistakes", ""]
    if summary["mistakes"]:
        lines += ["| task | mistake | verdict | submissions |", "|---|---|---|---:|"]
        lines += [f"| `{m['task']}` | {m['mistake'] or '–'} | {cell(m['summary'])} | {m['count']} |"
                  for m in summary["mistakes"]]
    else:
        lines.append("No graded task failed.")
    if summary["not_graded"]:
        lines += ["", "## Not graded", ""]
        lines += [f"- `{row['id']}`: {cell(row['reason'])}" for row in summary["not_graded"]]
    return "\n".join(lines) + "\n"
