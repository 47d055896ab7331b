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
from typing import Any

from grader.reporters import gradescope
from grader.runner.servers import close_idle
from grader.workflows.batch import Submission, grade_submission
from grader.workflows.files import write_atomic

ROOT_ENV = "GRADER_AUTOGRADER_ROOT"
CRASHED = "The autograder could not run on this submission. This is not your fault: please tell your instructor."


def crash_results() -> dict[str, Any]:
    """A results.json for a submission the autograder could not grade."""
    return {"score": 0, "output": CRASHED, "output_format": "text", "visibility": "visible", "tests": []}


def autograde(*, root: Path, out: Path) -> int:
    """Grade ``root/submission`` and write its results.json to ``out`` once every student process has ended;
    return 1 when grading crashed, else 0."""
    try:
        document, code = gradescope.to_dict(grade_submission(Submission("submission", root / "submission"))), 0
    except Exception:  # noqa: BLE001 - whatever broke, the student must get a results.json
        traceback.print_exc()
        document, code = crash_results(), 1
    close_idle()  # the fork servers end, and every student process with them, before the results exist
    write_atomic(out, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return code


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m grader.workflows.autograder OUT  (the results.json to write)")
    sys.exit(autograde(root=Path(os.environ.get(ROOT_ENV, "/autograder")), out=Path(sys.argv[1])))
