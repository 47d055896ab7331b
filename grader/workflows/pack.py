"""``grade submit``: pack a student's lesson files into one zip for the LMS, with a manifest.

The zip holds the lesson files that ``grade check`` would grade (one per lesson,
at the top level) and ``manifest.json``: each file's name, size and SHA-256, the
score of the self-check run while packing, the kit's version and the time.
``grade batch`` unpacks such zips like any other and notes any file that no
longer matches its hash.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, Sequence

from grader.course import BY_NUMBER
from grader.grading import grade_path
from grader.loader import discover
from grader.results import Report
from grader.workflows.files import write_atomic

MANIFEST = "manifest.json"


def pack_submission(*, path: Path, out: Path, tasks: Sequence[str] = ()) -> Report:
    """Self-check the lesson files at ``path``, zip them with a manifest into ``out``; return the self-check.

    Raises :class:`grader.loader.NoLessonsFound` when ``path`` holds no lesson file.
    """
    files, _ = discover(path, BY_NUMBER)
    contents = {file.name: file.read_bytes() for file in files.values()}
    report = grade_path(path, tasks=tasks)
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


def manifest_notes(folder: Path) -> list[str]:
    """What differs from the manifest of a packed submission unpacked in ``folder`` (nothing without one)."""
    try:
        entries = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
        expected = {str(e["name"]): str(e["sha256"]) for e in entries}
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError):
        return [f"{MANIFEST} is not a manifest written by grade submit"]
    notes = []
    for name, digest in expected.items():
        file = folder / PurePosixPath(name).name
        if not file.is_file():
            notes.append(f"{name} is in {MANIFEST} but not in the zip")
        elif hashlib.sha256(file.read_bytes()).hexdigest() != digest:
            notes.append(f"{name} changed after it was packed: its SHA-256 differs from {MANIFEST}")
    return notes
