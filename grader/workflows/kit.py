"""What every built kit shares: the engine, its dependencies, and a course folder with answers instead of code.

A built kit (the student release, the Gradescope bundle) is itself a course
folder: ``course.toml``, the lessons' declarations and ``answers.json`` (see
:class:`grader.reference.StoredReference`), computed here from the
instructor's course, beside a copy of the engine, which finds that course as
its built-in one.  It never holds the reference code.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
from pathlib import Path
from typing import Iterable, Mapping

import grader
from grader.checks import Lesson
from grader.courses import MANIFEST, Course
from grader.reference import ANSWERS, Reference, store_answers
from grader.workflows.templates import PYPROJECT

ENGINE = Path(grader.__file__).resolve().parent


class BuildError(ValueError):
    """The kit cannot be built: no reference here, a leak, or an output in the way."""


def reference_files(course: Course) -> list[Path]:
    """The course's reference files, which no kit may contain; BuildError for a course without them (a kit)."""
    found = [course.path(f.reference) for f in course.files.values() if f.reference]
    if not found:
        raise BuildError(f"the course in {course.root} has no reference solutions: build kits from the "
                         "instructor's course, not from a release")
    return found


AUTHORING = ("commands/author.py", "commands/build.py", "commands/course.py", "workflows/bundle.py",
             "workflows/fake_submissions.py", "workflows/kit.py", "workflows/release.py", "workflows/scaffold.py",
             "workflows/scaffold_templates.py", "workflows/selftest.py", "workflows/templates.py")
GRADING = ("commands/batch.py", "workflows/autograder.py", "workflows/batch.py", "workflows/unzip.py")
STUDENT_KIT = AUTHORING + GRADING  # what a student kit leaves out: it holds grade check and grade submit only


def copy_engine(dest: Path, leave_out: tuple[str, ...]) -> None:
    """Copy the grader package into ``dest/grader`` without the modules ``leave_out`` (paths in the package):
    a kit holds only the commands its users run (:data:`STUDENT_KIT`, :data:`AUTHORING`)."""
    def ignored(folder: str, names: list[str]) -> set[str]:
        inside = Path(folder).relative_to(ENGINE)
        return {n for n in names if n == "__pycache__" or n.endswith(".pyc") or (inside / n).as_posix() in leave_out}

    shutil.copytree(ENGINE, dest / "grader", ignore=ignored)


def write_course(dest: Path, course: Course, hidden: bool) -> None:
    """Write the kit's course folder in ``dest``: its manifest, each lesson's declaration as it is and, when
    ``hidden``, its hidden cases' file (never the reference, nor the mistake variants).  A course restricted
    to one assignment stays so: its manifest names the assignment, so the kit's course is that assignment."""
    lines = ["[course]", f"name = {json.dumps(course.name)}", f"title = {json.dumps(course.title)}",
             f"packages = {json.dumps(list(course.packages))}"]
    lines += [f"assignment = {json.dumps(course.assignment.name)}"] if course.assignment else []
    lines += [f"load_timeout = {course.load_seconds:g}"] if course.load_seconds else []
    lines.append("")
    for name, lesson in course.lessons.items():
        files = course.files[name]
        lines += ["[[lessons]]", f"name = {json.dumps(name)}", f"number = {lesson.number}",
                  f"title = {json.dumps(lesson.title)}"]
        for key, target in (("checks", files.checks), ("hidden", files.hidden if hidden else None)):
            if target:
                (dest / target).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(course.path(target), dest / target)
                lines.append(f"{key} = {json.dumps(target)}")
        lines.append("")
    for assignment in course.assignments.values():
        lines += ["[[assignments]]", f"name = {json.dumps(assignment.name)}",
                  f"lessons = {json.dumps(list(assignment.lessons))}"]
        lines += [f"{key} = {json.dumps(value)}" for key, value in (("due", assignment.due), ("late", assignment.late))
                  if value]
        lines.append("")
    (dest / MANIFEST).write_text("\n".join(lines), encoding="utf-8")


def dependencies(course: Course) -> list[str]:
    """What a kit of ``course`` needs installed: the grader's requirements as this install declares them
    (extras left out), then the distributions of the course's packages not among them."""
    own = [r for r in importlib.metadata.distribution("gradekit").requires or [] if "extra ==" not in r]
    named = {re.split(r"[^\w.-]", r, maxsplit=1)[0].lower() for r in own}
    providers = importlib.metadata.packages_distributions()
    extra = [d for p in course.packages for d in providers.get(p, [p])[:1] if d.lower() not in named]
    return own + sorted(set(extra))


def write_pyproject(dest: Path, course: Course) -> None:
    """Write the pyproject that installs the copied engine and the course's packages, with this install's
    version and commands."""
    installed = importlib.metadata.distribution("gradekit")
    requires = ", ".join(json.dumps(r) for r in dependencies(course))
    scripts = "\n".join(f"{e.name} = {json.dumps(e.value)}" for e in installed.entry_points
                        if e.group == "console_scripts")
    (dest / "pyproject.toml").write_text(
        PYPROJECT.format(version=installed.version, dependencies=requires, scripts=scripts), encoding="utf-8")


def write_answers(dest: Path, course: Course, lessons: Iterable[Lesson],
                  withheld: Mapping[str, Mapping[str, int]] | None = None) -> None:
    """Store the answers of ``course``'s reference for every case of ``lessons`` in the kit's course folder.

    A fresh :class:`Reference` is used: its cache is keyed by case position, and
    the lessons of a release have fewer cases than the course's.  A reference that fails on a case is a
    BuildError (``grade course test`` says which task).
    """
    try:
        answers = store_answers(lessons, Reference(course), withheld)
    except Exception as exc:  # noqa: BLE001 - the instructor's reference: say what broke instead of a traceback
        raise BuildError(f"the reference fails on a case, so its answers cannot be stored: {type(exc).__name__}: "
                         f"{exc} (grade course test says which task)") from None
    (dest / ANSWERS).write_text(json.dumps(answers, separators=(",", ":")), encoding="utf-8")
