"""``grade release``: build the student kit, with the public checks and nothing that gives answers away.

The release holds the stubs and notebooks (generated from the course's
reference), the grader engine, the course folder with its declarations as they
are (hidden cases live in files of their own, which it leaves out) and the
reference's answers for the public cases only, a student README and a GitHub
Actions workflow.  It never holds the reference (nor its known-mistake
variants), the hidden cases or the tests.
Built for one assignment (:meth:`grader.courses.Course.for_assignment`), it holds
that assignment's lessons only, and its README says their due date and late policy.

The build fails closed if any file of the release contains the body of a reference solution.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from grader.checks import Lesson
from grader.courses import Course, builtin
from grader.stubs import MarkerError, generate, marked_lines
from grader.workflows.kit import (ENGINE, STUDENT_KIT, BuildError, copy_engine, reference_files, write_answers, write_course,
                                  write_pyproject)
from grader.workflows.templates import (CLASSROOM_WORKFLOW, GITHUB_WORKFLOW, GITIGNORE, ON_CLASSROOM, ON_GITHUB,
                                        STUDENT_README)


def build_release(*, out: Path, course: Course | None = None, force: bool = False, classroom: bool = False) -> Path:
    """Build the student kit of ``course`` (default: the built-in one) in ``out`` (which must be empty or
    absent unless ``force``); return ``out``.  Its GitHub workflow shows the table of tasks on each run's
    summary page, or with ``classroom`` reports the points to GitHub Classroom."""
    course = course or builtin()
    references = reference_files(course)
    out = out.resolve()
    for own in (course.root, ENGINE):
        if out == own or out in own.parents or own in out.parents:
            raise BuildError(f"{out} overlaps the instructor's kit ({own}): choose another folder")
    if out.exists() and any(out.iterdir()) and not force:
        raise BuildError(f"{out} is not empty (use --force to replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        copy_engine(stage, STUDENT_KIT)
        write_pyproject(stage, course)
        write_course(stage, course, hidden=False)
        write_answers(stage, course, public_lessons(course), withheld=_hidden_counts(course))
        generate(course, stage / "exercises", stage / "notebooks")
        (stage / "README.md").write_text(student_readme(course, classroom), encoding="utf-8")
        (stage / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
        (stage / ".github" / "workflows").mkdir(parents=True)
        workflow, text = ("classroom.yml", CLASSROOM_WORKFLOW) if classroom else ("grade.yml", GITHUB_WORKFLOW)
        (stage / ".github" / "workflows" / workflow).write_text(text, encoding="utf-8")
        leaks = solution_leaks(stage, references)
        if leaks:
            raise BuildError("the release would contain reference code: " + "; ".join(leaks))
        if out.exists():
            shutil.rmtree(out)
        stage.rename(out)
    except MarkerError as exc:  # a solution's markers out of balance: the stubs cannot be written
        raise BuildError(str(exc)) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return out


def student_readme(course: Course, classroom: bool = False) -> str:
    """The kit's README: the course's title and lessons, and what its GitHub workflow does (``classroom``:
    report to GitHub Classroom); for a course restricted to an assignment, with its due date and late policy."""
    lessons = "\n".join(f"- `{name}`: {lesson.title}" for name, lesson in course.lessons.items())
    text = STUDENT_README.format(title=course.title, lessons=f"The lessons:\n\n{lessons}",
                                 github=ON_CLASSROOM if classroom else ON_GITHUB)
    if course.assignment is None:
        return text
    return f"{text}\n## This assignment\n\n{course.assignment.describe()}\n"


def public_lessons(course: Course) -> list[Lesson]:
    """The course's lessons as a release carries them: their public cases only."""
    return [replace(lesson, tasks=tuple(replace(t, cases=tuple(c for c in t.cases if not c.hidden))
                                        for t in lesson.tasks))
            for lesson in course.lessons.values()]


def _hidden_counts(course: Course) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for name, lesson in course.lessons.items():
        for task in lesson.tasks:
            hidden = sum(c.hidden for c in task.cases)
            if hidden:
                counts.setdefault(name, {})[task.name] = hidden
    return counts


def solution_regions(references: list[Path]) -> list[tuple[str, str]]:
    """Every marked solution body of the reference files as (where, normalised text); BuildError if the
    markers are out of balance."""
    regions, body, start = [], [], 0
    for path in references:
        try:
            marked = marked_lines(path.read_text(encoding="utf-8"), path.name)
        except MarkerError as exc:
            raise BuildError(str(exc)) from None
        for number, line, place in marked:
            if place == "begin":
                body, start = [], number
            elif place == "inside":
                body.append(line)
            elif place == "end":
                regions.append((f"{path.name}:{start}", _normalise("".join(body))))
    return regions


def solution_leaks(folder: Path, references: list[Path]) -> list[str]:
    """Where a file under ``folder`` contains a solution body: ``"grader/x.py has lesson1_linear.py:20"``."""
    regions = solution_regions(references)
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        text = _normalise(_readable_text(path))
        found += [f"{path.relative_to(folder)} has {where}" for where, body in regions if body and body in text]
    return found


def _readable_text(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return ""
    if path.suffix == ".ipynb":
        cells = json.loads(text).get("cells", [])
        return "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells)
    return text


def _normalise(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
