"""What the Gradescope bundle runs for each submission: ``python -m grader.workflows.autograder OUT``.

It grades ``ROOT/submission`` with every check, hidden ones included, and writes
the results.json to ``OUT`` as its last act, once every student process has ended:
``run_autograder`` names a file in a private folder that no student process can
write, and copies only that file into ``ROOT/results`` (see
:data:`grader.workflows.templates.RUN_AUTOGRADER`).  When grading itself crashes,
the file still says so, with a score of 0, and the traceback goes to stderr,
which only the instructor sees.  ``ROOT`` is ``/autograder``, or
``$GRADER_AUTOGRADER_ROOT`` (the tests use a fake root).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any, Callable

from grader.reporters import gradescope
from grader.results import Report
from grader.runner import sandbox
from grader.runner.servers import close_idle
from grader.workflows.batch import Submission, grade_submission
from grader.workflows.files import write_atomic

ROOT_ENV = "GRADER_AUTOGRADER_ROOT"
UNSANDBOXED_ENV = "GRADEKIT_UNSANDBOXED"
CRASHED = "The autograder could not run on this submission. This is not your fault: please tell your instructor."


def crash_results() -> dict[str, Any]:
    """A results.json for a submission the autograder could not grade."""
    return {"score": 0, "output": CRASHED, "output_format": "text", "visibility": "visible", "tests": []}


def autograde(*, root: Path, out: Path) -> int:
    """Grade ``root/submission`` and write its results.json to ``out`` (see :func:`final_grade`)."""
    return final_grade(root / "submission", out, gradescope.to_dict, crash_results())


def final_grade(folder: Path, out: Path, results: Callable[[Report], dict[str, Any]], crashed: dict[str, Any]) -> int:
    """Grade the submission in ``folder`` with every check and write ``results(report)`` as JSON to ``out``, once
    every student process has ended (``crashed`` when grading itself failed); return 1 when grading crashed or
    the machine offers no security boundary, else 0.

    Without bubblewrap or root, the students' code would run with the grader's rights and could read
    every stored answer: final grading refuses, unless ``GRADEKIT_UNSANDBOXED=1`` says to go on.
    """
    try:
        isolation = sandbox.level()
        print(f"isolation: {sandbox.describe(isolation)}", file=sys.stderr)
        sandbox.require_boundary(isolation, os.environ.get(UNSANDBOXED_ENV) == "1")
        document, code = results(grade_submission(Submission(folder.name, folder))), 0
    except sandbox.SandboxUnavailable as exc:
        print(f"gradekit: {exc} ({UNSANDBOXED_ENV}=1 to grade without one)", file=sys.stderr)
        document, code = crashed, 1
    except Exception:  # noqa: BLE001 - whatever broke, the student must get results
        traceback.print_exc()
        document, code = crashed, 1
    close_idle()  # the fork servers end, and every student process with them, before the results exist
    write_atomic(out, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return code


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m grader.workflows.autograder OUT  (the results.json to write)")
    sys.exit(autograde(root=Path(os.environ.get(ROOT_ENV, "/autograder")), out=Path(sys.argv[1])))
