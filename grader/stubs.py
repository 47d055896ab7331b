"""Generate the student stubs (``exercises/``) and notebooks (``notebooks/``) from a course's reference files.

In a solution file the code to hide sits between two marker lines::

    def area(width, height):
        \"\"\"Docstring the student keeps.\"\"\"
        # BEGIN SOLUTION
        return width * height
        # END SOLUTION

Inside a body the marked region becomes ``raise NotImplementedError(...)`` at
the marker's indentation; at module level it is removed.  Everything else is
copied as it is, so the docstrings written in the solutions are what students read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from grader.courses import Course

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
_DEF = re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)")


class MarkerError(ValueError):
    """A solution file has unbalanced or misplaced markers."""


def marked_lines(source: str, filename: str = "<solution>") -> Iterator[tuple[int, str, str]]:
    """Each line of a solution file with its number and place: ``"begin"``, ``"end"``, ``"inside"`` a
    solution or ``"outside"``.  Raises MarkerError for markers out of balance."""
    inside = False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise MarkerError(f"{filename}:{number}: {BEGIN} inside another one")
            inside = True
            yield number, line, "begin"
        elif stripped == END:
            if not inside:
                raise MarkerError(f"{filename}:{number}: {END} without {BEGIN}")
            inside = False
            yield number, line, "end"
        else:
            yield number, line, "inside" if inside else "outside"
    if inside:
        raise MarkerError(f"{filename}: {BEGIN} is never closed")


def make_stub(source: str, filename: str = "<solution>") -> str:
    """Return the student version of one solution file's text."""
    out: list[str] = []
    owner = "this function"
    for _, line, place in marked_lines(source, filename):
        if place == "begin":
            indent = line[: len(line) - len(line.lstrip())]
            if indent:
                out.append(f'{indent}raise NotImplementedError("{owner} is not implemented yet")\n')
        elif place == "outside":
            match = _DEF.match(line)
            if match:
                owner = match.group(1)
            out.append(line)
    return "".join(out)


def student_files(course: Course, exercises: Path, notebooks: Path | None = None) -> dict[Path, str]:
    """Every student file that the course's reference gives: stub modules, and notebooks when ``notebooks``
    is set."""
    from grader.notebooks import render

    files = {}
    for name, lesson in course.lessons.items():
        reference = course.files[name].reference
        if reference is None:
            continue
        stub = make_stub(course.path(reference).read_text(encoding="utf-8"), reference)
        files[exercises / f"{name}.py"] = stub
        if notebooks is not None:
            files[notebooks / f"{name}.ipynb"] = render(stub, lesson)
    return files


def generate(course: Course, exercises: Path, notebooks: Path | None = None) -> list[Path]:
    """Write the stubs (and notebooks) of every lesson of ``course``; return the files written."""
    written = []
    for target, text in student_files(course, exercises, notebooks).items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def stale(course: Course, exercises: Path, notebooks: Path | None = None) -> list[str]:
    """The student files that are missing or differ from what ``generate`` writes."""
    return [str(target) for target, text in student_files(course, exercises, notebooks).items()
            if not target.is_file() or target.read_text(encoding="utf-8") != text]
