"""Submission → lesson sources: read ``.py`` files, notebooks and folders as text.

Nothing here runs or compiles student code; it only reads files and splits a
notebook into its code cells (IPython magics and shell escapes become ``pass``
so that line numbers stay right).  Problems with a file (not UTF-8, too large,
not a notebook) are recorded on the :class:`LessonSource`, never raised.

A submission is hostile, and the grader may run as root: only regular files
are read.  A symbolic link is never followed (neither to a file nor to a
folder), a named pipe, socket or device is never opened, and what is read is
capped (:data:`MAX_FILE_BYTES` per file, :data:`MAX_ENTRIES` entries per walk).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Iterable

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ENTRIES = 2000  # files and folders a walk of one submission looks at
SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", "__MACOSX", ".git", "node_modules"}
_LESSON_NUMBER = re.compile(r"lesson[\s_-]*(\d+)", re.IGNORECASE)
_MAGIC = re.compile(r"^(\s*)(%|!)")
_HELP = re.compile(r"^(\s*)[\w.]+\?{1,2}\s*$")
SELF_CHECK_MARKER = "grader.selfcheck"  # the notebook's own self-check cell is never graded
_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a folder"))


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
    """The lesson a file belongs to, from its name: a lesson's name in it (``lesson1_linear (2).ipynb`` →
    ``lesson1_linear``, ``intro-v2.py`` → ``intro``), else its number (``Lesson1.ipynb`` → lesson 1's)."""
    if path.suffix.lower() not in (".py", ".ipynb"):
        return None
    named = [name for name in lessons.values()
             if re.search(rf"(?<![^\W_]){re.escape(name)}(?![^\W_])", path.stem, re.IGNORECASE)]
    if named:
        return max(named, key=len)
    match = _numbered(path)
    return lessons.get(int(match.group(1))) if match else None


def _numbered(path: Path) -> re.Match[str] | None:
    """The lesson number in the name of a ``.py`` or ``.ipynb`` file, if it has one."""
    return _LESSON_NUMBER.search(path.stem) if path.suffix.lower() in (".py", ".ipynb") else None


def discover(path: Path, lessons: dict[int, str], outside: str = "") -> tuple[dict[str, Path], list[str]]:
    """Map each lesson to the file that holds it, at ``path`` (a file or a folder).

    Where two files name the same lesson, a regular file wins over a link or a
    special file, then the most recently modified one (a ``.py`` wins a tie); a
    note says which was not graded.  A lesson whose only file is a link or a
    special file maps to it: :func:`read_lesson` says why it is not graded.
    With ``outside`` (what ``lessons`` are a part of: ``assignment week-1``), a
    file that names another lesson number is not graded, with a note saying so.
    """
    if not path.is_dir():
        lesson = lesson_of(path, lessons)
        if lesson is None:
            if outside and _numbered(path):
                raise NoLessonsFound(f"{path.name} is not part of {outside}: not graded")
            raise NoLessonsFound(f"{path.name} does not name a lesson: expected a file like lesson1_linear.py")
        return {lesson: path}, []
    listing = walk(path)
    found: dict[str, list[Path]] = {}
    others = []
    for candidate in _candidates(path, listing.files):
        lesson = lesson_of(candidate, lessons)
        if lesson:
            found.setdefault(lesson, []).append(candidate)
        elif outside and _numbered(candidate):
            others.append(f"{candidate.relative_to(path).as_posix()} is not part of {outside}: not graded")
    if not found:
        part = f" of {outside}" if outside else ""
        raise NoLessonsFound("; ".join((f"no lesson files{part} in {path}: expected files like lesson1_linear.py or "
                                        "lesson1_linear.ipynb", *others, *listing.notes)))
    chosen, notes = {}, [*others, *listing.notes]
    for lesson, paths in found.items():
        modes = {p: listing.files[p].st_mode for p in paths}
        paths.sort(key=lambda p: (stat.S_ISREG(modes[p]), listing.files[p].st_mtime, p.suffix == ".py"),
                   reverse=True)
        chosen[lesson] = paths[0]
        older = [p.name for p in paths[1:] if stat.S_ISREG(modes[p])]
        if older:
            notes.append(f"{lesson}: graded {paths[0].name} (the newest), not {', '.join(older)}")
        notes += [refusal(p.name, modes[p]) for p in paths[1:] if not stat.S_ISREG(modes[p])]
    return dict(sorted(chosen.items())), notes


@dataclass(frozen=True)
class Listing:
    """What a walk of a submission folder found: every entry but folders, and what it has to say."""

    files: dict[Path, os.stat_result]  # regular files, links and special files alike (lstat), the top level first
    notes: tuple[str, ...] = ()


def walk(folder: Path) -> Listing:
    """Every entry of ``folder`` and its sub-folders that is not a folder, level by level, in name order.

    Links are listed, never followed (a link to a folder is not searched);
    hidden folders and those of :data:`SKIP_DIRS` are not searched; the walk
    stops after :data:`MAX_ENTRIES` entries, and a note says so.
    """
    files: dict[Path, os.stat_result] = {}
    seen, level = 0, [folder]
    while level:
        below = []
        for current in level:
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda e: e.name)
            for entry in entries:
                seen += 1
                if seen > MAX_ENTRIES:
                    return Listing(files, (f"only the first {MAX_ENTRIES} files and folders were searched",))
                if not entry.is_dir(follow_symlinks=False):
                    with contextlib.suppress(OSError):  # gone since it was listed
                        files[Path(entry.path)] = entry.stat(follow_symlinks=False)
                elif entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                    below.append(Path(entry.path))
        level = below
    return Listing(files)


def _candidates(folder: Path, files: Iterable[Path]) -> list[Path]:
    """The files of ``folder`` itself; only when none names a lesson, those of its sub-folders.

    So ``solutions/`` means its own lesson files (not ``solutions/mistakes/``),
    while an LMS download that nests the files one level down still works.
    """
    every = list(files)
    top = [p for p in every if p.parent == folder]
    return top if any(_numbered(p) for p in top) else every


def kind_of(mode: int) -> str:
    """What a file that is not a regular one is, in words, from its ``lstat`` mode: ``a symbolic link``."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def refusal(name: str, mode: int) -> str:
    """Why the file ``name`` (of the kind ``mode``, as ``lstat`` gives it) is not read."""
    return f"{name} is {kind_of(mode)}: not graded; hand in the file itself"


class Refused(OSError):
    """A file of a submission is not read: a link, a special file, or too large; the message says why, for the student."""


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` for reading if it is a regular file: never through a link, never a FIFO, socket or device.

    Raises :class:`Refused` for anything else (checked before opening, and
    again on what was opened, in case it was swapped in between), or the
    ``OSError`` of a file that cannot be opened.
    """
    mode = os.lstat(path).st_mode
    if not stat.S_ISREG(mode):
        raise Refused(refusal(path.name, mode))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused(refusal(path.name, stat.S_IFLNK)) from None
        raise
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise Refused(refusal(path.name, mode))
    return os.fdopen(fd, "rb")


def read_file(path: Path) -> bytes:
    """The bytes of the regular file ``path``; raises :class:`Refused` beyond :data:`MAX_FILE_BYTES`, as
    :func:`open_regular` does otherwise."""
    with open_regular(path) as file:
        size = os.fstat(file.fileno()).st_size
        raw = file.read(MAX_FILE_BYTES + 1)
    size = max(size, len(raw))
    if size > MAX_FILE_BYTES:
        raise Refused(f"{path.name} is {size // 1024} KiB, more than the {MAX_FILE_BYTES // 1024 // 1024} MiB "
                      "a lesson file may have")
    return raw


def read_lesson(lesson: str, path: Path) -> LessonSource:
    """Read one lesson file into cells; a file that cannot be read, or is no regular file, carries a ``problem``."""
    try:
        raw = read_file(path)
    except Refused as exc:
        return LessonSource(lesson, path, problem=str(exc))
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
