"""Submission → lesson sources: read ``.py`` files, notebooks and folders as text.

Nothing here runs or compiles student code; it only reads files and splits a
notebook into its code cells (IPython magics and shell escapes become ``pass``
so that line numbers stay right).  Problems with a file (not UTF-8, too large,
not a notebook) are recorded on the :class:`LessonSource`, never raised.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

MAX_FILE_BYTES = 2 * 1024 * 1024
SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", "__MACOSX", ".git", "node_modules"}
_LESSON_NUMBER = re.compile(r"lesson[\s_-]*(\d+)", re.IGNORECASE)
_MAGIC = re.compile(r"^(\s*)(%|!)")
_HELP = re.compile(r"^(\s*)[\w.]+\?{1,2}\s*$")
SELF_CHECK_MARKER = "grader.selfcheck"  # the notebook's own self-check cell is never graded


@dataclass(frozen=True)
class Cell:
    """One piece of source run as a unit: a whole ``.py`` file, or one notebook cell."""

    label: str  # "" for a .py file, "cell 3" for a notebook's third cell (markdown cells count)
    source: str


@dataclass(frozen=True)
class LessonSource:
    """A student's file for one lesson, ready to send to the runner."""

    lesson: str
    path: Path
    cells: tuple[Cell, ...] = ()
    problem: str | None = None  # why the file could not be read at all
    notes: tuple[str, ...] = field(default_factory=tuple)
    shown: str = ""  # the file as the student knows it, when ``path`` is not (a zip unpacked in a temporary folder)

    def display(self) -> str:
        """The file's name in feedback: ``shown``, else ``path``."""
        return self.shown or str(self.path)


class NoLessonsFound(ValueError):
    """The path holds no file that names a lesson."""


def lesson_of(path: Path, lessons: dict[int, str]) -> str | None:
    """The lesson a file belongs to, from its name: ``lesson1_linear (2).ipynb`` → ``lesson1_linear``."""
    match = _numbered(path)
    return lessons.get(int(match.group(1))) if match else None


def _numbered(path: Path) -> re.Match[str] | None:
    """The lesson number in the name of a ``.py`` or ``.ipynb`` file, if it has one."""
    return _LESSON_NUMBER.search(path.stem) if path.suffix.lower() in (".py", ".ipynb") else None


def discover(path: Path, lessons: dict[int, str]) -> tuple[dict[str, Path], list[str]]:
    """Map each lesson to the file that holds it, at ``path`` (a file or a folder).

    Where two files name the same lesson, the most recently modified one is used
    (a ``.py`` wins a tie) and a note says so.
    """
    if path.is_file():
        lesson = lesson_of(path, lessons)
        if lesson is None:
            raise NoLessonsFound(f"{path.name} does not name a lesson: expected a file like lesson1_linear.py")
        return {lesson: path}, []
    found: dict[str, list[Path]] = {}
    for candidate in _candidates(path):
        lesson = lesson_of(candidate, lessons)
        if lesson:
            found.setdefault(lesson, []).append(candidate)
    if not found:
        raise NoLessonsFound(f"no lesson files in {path}: expected files like lesson1_linear.py or lesson1_linear.ipynb")
    chosen, notes = {}, []
    for lesson, paths in found.items():
        paths.sort(key=lambda p: (p.stat().st_mtime, p.suffix == ".py"), reverse=True)
        chosen[lesson] = paths[0]
        if len(paths) > 1:
            others = ", ".join(p.name for p in paths[1:])
            notes.append(f"{lesson}: graded {paths[0].name} (the newest), not {others}")
    return dict(sorted(chosen.items())), notes


def _candidates(folder: Path) -> list[Path]:
    """The files of ``folder`` itself; only when it holds no lesson file, those of its sub-folders.

    So ``solutions/`` means its own lesson files (not ``solutions/mistakes/``),
    while an LMS download that nests the files one level down still works.
    """
    top = sorted(p for p in folder.iterdir() if p.is_file())
    if any(_numbered(p) for p in top):
        return top
    return sorted(p for p in folder.rglob("*") if p.is_file() and not any(
        part in SKIP_DIRS or part.startswith(".") for part in p.relative_to(folder).parts[:-1]))


def read_lesson(lesson: str, path: Path) -> LessonSource:
    """Read one lesson file into cells; a file that cannot be read carries a ``problem``."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return LessonSource(lesson, path, problem=f"{path.name} is {size // 1024} KiB, more than the "
                                                      f"{MAX_FILE_BYTES // 1024 // 1024} MiB a lesson file may have")
        raw = path.read_bytes()
    except OSError as exc:
        return LessonSource(lesson, path, problem=f"could not read {path.name}: {exc.strerror or exc}")
    if b"\x00" in raw:
        return LessonSource(lesson, path, problem=f"{path.name} is not a text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return LessonSource(lesson, path, problem=f"{path.name} is not UTF-8 text (byte {exc.start}); "
                                                  "save it as UTF-8")
    source = _notebook(lesson, path, text) if path.suffix.lower() == ".ipynb" else \
        LessonSource(lesson, path, (Cell("", text),))
    if source.problem is None and not any(cell.source.strip() for cell in source.cells):
        return replace(source, problem=f"{path.name} is empty: there is no code in it to grade")
    return source


def _notebook(lesson: str, path: Path, text: str) -> LessonSource:
    import nbformat

    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except (json.JSONDecodeError, nbformat.ValidationError, nbformat.reader.NotJSONError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return LessonSource(lesson, path, problem=f"{path.name} is not a valid notebook: {first[:200]}")
    except Exception as exc:  # nbformat raises assorted errors on odd documents
        return LessonSource(lesson, path, problem=f"{path.name} is not a valid notebook: {type(exc).__name__}")
    cells, skipped = [], 0
    for number, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") != "code" or SELF_CHECK_MARKER in str(cell.get("source", "")):
            continue
        source, n = strip_magics(str(cell.get("source", "")))
        skipped += n
        cells.append(Cell(f"cell {number}", source))
    notes = (f"skipped {skipped} IPython magic or shell line(s)",) if skipped else ()
    return LessonSource(lesson, path, tuple(cells), notes=notes)


def strip_magics(source: str) -> tuple[str, int]:
    """Replace IPython magics (``%``, ``%%``, ``!``, ``name?``) by ``pass``; return the text and their count."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        return "\n".join("# " + line for line in lines), 1
    count = 0
    out = []
    for line in lines:
        match = _MAGIC.match(line) or _HELP.match(line)
        if match:
            out.append(f"{match.group(1)}pass  # skipped: {line.strip()[:60]}")
            count += 1
        else:
            out.append(line)
    return "\n".join(out), count
