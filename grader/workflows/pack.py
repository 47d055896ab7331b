"""``grade submit``: pack a student's lesson files into one zip for the LMS, with a manifest.

The zip holds the lesson files that ``grade check`` would grade (one per lesson,
at the top level) and ``manifest.json``: each file's name, size and SHA-256, the
score of the self-check run while packing, the kit's version and the time.  A
lesson file that grading would not read (a link, a special file, too large) is
left out, and the self-check says why.
``grade batch`` unpacks such zips like any other and notes any file that no
longer matches its hash.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import zipfile
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, Sequence

from grader.courses import Course, builtin
from grader.grading import grade_path
from grader.loader import Refused, discover, read_file
from grader.results import Report
from grader.workflows.files import sha256_file, write_atomic

MANIFEST = "manifest.json"


def pack_submission(*, path: Path, out: Path, course: Course | None = None, tasks: Sequence[str] = ()) -> Report:
    """Self-check the lesson files of ``course`` (default: the built-in one) at ``path``, zip them with a
    manifest into ``out``; return the self-check.

    Raises :class:`grader.loader.NoLessonsFound` when ``path`` holds no lesson file.
    """
    course = course or builtin()
    files, _ = discover(path, course.by_number)
    contents, skipped = _packable(files)
    report = grade_path(path, course=course, tasks=tasks)
    report = replace(report, lessons=tuple(lesson for lesson in report.lessons if lesson.lesson not in skipped),
                     notes=report.notes + tuple(skipped.values()))
    manifest: dict[str, Any] = {
        "kit": f"gradekit {importlib.metadata.version('gradekit')}",
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "files": [{"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                  for name, data in contents.items()],
        "self_check": {"score": report.score, "max_score": report.max_score,
                       "tasks": {t.name: t.score for t in report.tasks}},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in contents.items():
            zf.writestr(name, data)
        zf.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    write_atomic(out, buffer.getvalue())
    return report


def _packable(files: dict[str, Path]) -> tuple[dict[str, bytes], dict[str, str]]:
    """The bytes of each lesson file by name, and why each lesson that is not packed is not (a link, a pipe...)."""
    contents, skipped = {}, {}
    for lesson, file in files.items():
        try:
            contents[file.name] = read_file(file)
        except Refused as exc:
            skipped[lesson] = str(exc)
    return contents, skipped


def manifest_notes(folder: Path) -> list[str]:
    """What differs from the manifest of a packed submission unpacked in ``folder`` (nothing without one)."""
    try:
        entries = json.loads(read_file(folder / MANIFEST).decode("utf-8"))["files"]
        expected = {str(e["name"]): str(e["sha256"]) for e in entries}
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError):
        return [f"{MANIFEST} is not a manifest written by grade submit"]
    notes = []
    for name, digest in expected.items():
        try:
            if sha256_file(folder / PurePosixPath(name).name) != digest:
                notes.append(f"{name} changed after it was packed: its SHA-256 differs from {MANIFEST}")
        except Refused as exc:
            notes.append(str(exc))
        except OSError:
            notes.append(f"{name} is in {MANIFEST} but not in the zip")
    return notes
