"""Start a course (``grade init``) and add a lesson to it (``grade new lesson``), ready to grade at once.

A new lesson is a worked example (:mod:`grader.workflows.scaffold_templates`):
its reference, its declaration, its hidden cases and an empty mistakes module,
an entry appended to the manifest (whose text is kept), and the students' stub
and notebook.  Nothing that exists is overwritten.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import replace
from pathlib import Path

from grader.courses import MANIFEST, CourseError, course_folder, load_course, read_manifest
from grader.stubs import generate
from grader.workflows.scaffold_templates import (CHECKS, COURSE_MANIFEST, COURSE_README, HIDDEN, LESSON_ENTRY,
                                                 MISTAKES, MISTAKES_PACKAGE, REFERENCE, SOLUTIONS_PACKAGE)

_NUMBERED = re.compile(r"^lesson(\d+)(?:_|$)")


class ScaffoldError(ValueError):
    """The course or lesson cannot be written; the message says why and what to do."""


def init_course(folder: Path, title: str | None = None) -> list[Path]:
    """Start a course in ``folder`` (created if need be), named after it; return the files written.

    A folder that already holds a course.toml is refused; other files it holds are kept.
    """
    folder = folder.resolve()
    if (folder / MANIFEST).exists():
        raise ScaffoldError(f"{folder / MANIFEST} exists: {folder} is a course already "
                            "(add a lesson with grade new lesson NAME)")
    name = folder.name
    title = title or name
    files = {
        folder / MANIFEST: COURSE_MANIFEST.substitute(name=_toml(name), title=_toml(title)),
        folder / "README.md": COURSE_README.substitute(name=name, title=title),
        folder / "solutions" / "__init__.py": SOLUTIONS_PACKAGE,
        folder / "solutions" / "mistakes" / "__init__.py": MISTAKES_PACKAGE,
    }
    for empty in ("checks", "exercises", "notebooks"):
        (folder / empty).mkdir(parents=True, exist_ok=True)
    return _write({path: text for path, text in files.items() if not path.exists()})


def lesson_number(name: str, number: int | None = None) -> int:
    """The number of lesson ``name``: the N of ``lessonN_...``, or ``number`` for any other Python name."""
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ScaffoldError(f"{name!r} is not a Python name: a lesson is a module (lesson1_linear)")
    match = _NUMBERED.match(name)
    if match is None:
        if number is None:
            raise ScaffoldError(f"{name} does not start with lesson<N> (lesson3_{name}): name it so, or give "
                                "its number with --number N")
        return number
    if number is not None and int(match.group(1)) != number:
        raise ScaffoldError(f"{name} is lesson {match.group(1)} by its name, not {number}: drop --number "
                            "or rename it")
    return int(match.group(1))


def new_lesson(name: str, *, course: Path | None = None, number: int | None = None,
               title: str | None = None) -> list[Path]:
    """Add lesson ``name`` to ``course`` (a course folder; default: the nearest course.toml above the current
    folder), ready to grade; return the files written, the reference first."""
    root = course_folder(course)
    if root is None:
        raise ScaffoldError(f"no {MANIFEST} here or in a folder above: start a course with grade init DIR, "
                            "or name one with --course PATH")
    number = lesson_number(name, number)
    taken = _lessons(root)
    if name in taken:
        raise ScaffoldError(f"{root / MANIFEST} has a lesson {name} already")
    if number in taken.values():
        other = next(n for n, k in taken.items() if k == number)
        raise ScaffoldError(f"lesson number {number} is {other}'s already: students' files named lesson{number} "
                            "would clash; choose a new one")
    title = (title or _words(_NUMBERED.sub("", name)) or f"Lesson {number}").rstrip(".")
    fields = {"module": name, "number": number, "title": title}
    files = {
        root / "solutions" / f"{name}.py": REFERENCE.substitute(fields),
        root / "checks" / f"{name}.py": CHECKS.substitute(fields),
        root / "checks" / "hidden" / f"{name}.py": HIDDEN.substitute(fields),
        root / "solutions" / "mistakes" / f"{name}.py": MISTAKES.substitute(fields),
    }
    files.update({path: text for path, text in ((root / "solutions" / "__init__.py", SOLUTIONS_PACKAGE),
                                                (root / "solutions" / "mistakes" / "__init__.py",
                                                 MISTAKES_PACKAGE)) if not path.exists()})
    present = [str(path.relative_to(root)) for path in files if path.exists()]
    if present:
        raise ScaffoldError(f"{', '.join(present)} exist already in {root}: move them away or choose another name")
    manifest = root / MANIFEST
    text = manifest.read_text(encoding="utf-8")
    written = _write(files)
    manifest.write_text(text + ("" if text.endswith("\n") else "\n")
                        + LESSON_ENTRY.substitute(fields, name=_toml(name), title=_toml(title)), encoding="utf-8")
    try:
        loaded = load_course(root)
    except CourseError:  # the course cannot take it: leave it as it was
        manifest.write_text(text, encoding="utf-8")
        for path in written:
            path.unlink()
        raise
    one = replace(loaded, lessons={name: loaded.lessons[name]}, files={name: loaded.files[name]})
    return [*written, manifest, *generate(one, root / "exercises", root / "notebooks")]


def _lessons(root: Path) -> dict[str, int]:
    """The course's lessons and their numbers, checked by loading it (a course with none yet has none)."""
    if not read_manifest(root / MANIFEST).get("lessons"):
        return {}
    return {name: lesson.number for name, lesson in load_course(root).lessons.items()}


def _write(files: dict[Path, str]) -> list[Path]:
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


def _words(name: str) -> str:
    """A title from a name: ``gradient_descent`` → ``Gradient descent``."""
    words = re.sub(r"[_\-\s]+", " ", name).strip()
    return words[:1].upper() + words[1:]


def _toml(text: str) -> str:
    """A TOML string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
