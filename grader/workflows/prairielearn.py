"""What a PrairieLearn external grader runs for each submission: ``python -m grader.workflows.prairielearn``.

PrairieLearn puts the student's files in ``/grade/student`` and shows ``/grade/results/results.json``
(``$GRADER_PL_ROOT`` replaces ``/grade``; the tests use a fake root).  It grades as the Gradescope
autograder does (:func:`grader.workflows.autograder.final_grade`): every check of the grader's own course,
hidden ones included; no grading without a security boundary; the results written, in PrairieLearn's schema
(:mod:`grader.reporters.prairielearn`), once every student process has ended.  A results file found before
grading is removed first, so only the grader's own can be shown.  When grading itself fails, the
submission is not gradable: PrairieLearn counts no attempt, and the student reads why.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from grader.reporters import prairielearn
from grader.workflows.autograder import final_grade

ROOT_ENV = "GRADER_PL_ROOT"
CRASHED = "The grader could not run on this submission. This is not your fault: please tell your instructor."


def grade_for_prairielearn(root: Path) -> int:
    """Grade ``root/student`` into ``root/results/results.json``; 1 when grading crashed or was refused, else 0."""
    out = root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    return final_grade(root / "student", out, prairielearn.to_dict, prairielearn.not_gradable(CRASHED))


if __name__ == "__main__":
    sys.exit(grade_for_prairielearn(Path(os.environ.get(ROOT_ENV, "/grade"))))
