"""``grade gradescope``: build a Gradescope autograder bundle.

The zip holds ``setup.sh`` (when Gradescope builds the image: installs the
grader's dependencies, listed in ``requirements.txt``, in a virtual environment,
and makes ``source/`` readable by root alone), ``run_autograder`` (grades each
submission and ships only the results.json that the grader itself wrote, see
:mod:`grader.workflows.autograder`) and the grader: the engine with every check,
hidden ones included, and the reference's answers to all of them.  The grader
runs from ``source/``: nothing installs a second copy of it.  The zip holds no
reference code: the student's code runs in the same container, and answers
without code give away less than code.

Built for one assignment (:meth:`grader.courses.Course.for_assignment`), the
bundle's course folder holds that assignment's lessons only and its manifest
names the assignment: the autograder, which grades the bundle's own course,
then grades and counts those lessons only, and says of a file of another lesson
that it is not part of the assignment.  Nothing to pass at run time, and no
check or answer of another lesson is in the bundle.
"""

from __future__ import annotations

import io
import json
import stat
import tempfile
import zipfile
from pathlib import Path

from grader.courses import Course, builtin
from grader.workflows.autograder import crash_results
from grader.workflows.files import write_atomic
from grader.workflows.kit import AUTHORING, BuildError, copy_engine, dependencies, reference_files, write_answers, write_course
from grader.workflows.release import solution_leaks
from grader.workflows.templates import RUN_AUTOGRADER, SETUP_SH

EXECUTABLES = ("setup.sh", "run_autograder")


def build_bundle(*, out: Path, course: Course | None = None) -> Path:
    """Write the autograder zip of ``course`` (default: the built-in one) to ``out``; return ``out``."""
    course = course or builtin()
    references = reference_files(course)
    with tempfile.TemporaryDirectory(prefix="gradescope-") as tmp:
        stage = Path(tmp)
        copy_engine(stage, AUTHORING)
        write_course(stage, course, hidden=True)
        write_answers(stage, course, course.lessons.values())
        (stage / "requirements.txt").write_text("".join(f"{r}\n" for r in dependencies(course)), encoding="utf-8")
        (stage / "setup.sh").write_text(SETUP_SH, encoding="utf-8")
        fallback = json.dumps(crash_results())
        (stage / "run_autograder").write_text(RUN_AUTOGRADER.replace("@FALLBACK@", fallback), encoding="utf-8")
        leaks = solution_leaks(stage, references)
        if leaks:
            raise BuildError("the bundle would contain reference code: " + "; ".join(leaks))
        write_atomic(out, _zip(stage))
    return out


def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (stat.S_IFREG | (0o755 if name in EXECUTABLES else 0o644)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    return buffer.getvalue()
