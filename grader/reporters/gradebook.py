"""The class gradebook as CSV for an LMS import: one row per submission, one column per task."""

from __future__ import annotations

import csv
import io
from typing import Mapping, Sequence

from grader.reporters.safe_text import renders
from grader.results import Report


@renders
def render(rows: Sequence[tuple[str, Report]], tasks: Mapping[str, float]) -> str:
    """CSV with ``id, total, max`` and the points of each task of ``tasks`` (name → points).

    ``max`` is the points of all those tasks, the same on every row; a task of a
    lesson the student did not hand in is left empty.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "total", "max", *tasks])
    for ident, report in rows:
        scores = {t.name: t.score for t in report.tasks}
        writer.writerow([ident, f"{report.score:g}", f"{sum(tasks.values()):g}",
                         *(f"{scores[name]:g}" if name in scores else "" for name in tasks)])
    return out.getvalue()
