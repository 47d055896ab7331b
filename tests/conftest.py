"""Shared helpers: paths of the repository and a way to run the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from grader.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = Path(__file__).resolve().parent / "submissions"


def course_with(folder: Path, old: str, new: str) -> Path:
    """A copy of the built-in course in ``folder`` whose lesson 1 declaration says ``new`` where it said ``old``
    (which it must)."""
    folder.mkdir()
    shutil.copy(ROOT / "course.toml", folder / "course.toml")
    for part in ("checks", "solutions"):
        shutil.copytree(ROOT / part, folder / part)
    checks = folder / "checks" / "lesson1_linear.py"
    text = checks.read_text(encoding="utf-8")
    assert old in text
    checks.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def grade(*args: str) -> Result:
    """Run ``grade ARGS`` through click's CliRunner (stderr kept apart)."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def grade_json(path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    """Run ``grade check PATH --format json`` and return the exit code and the parsed document."""
    result = grade("check", str(path), "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def by_task(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The tests of a results.json keyed by their name."""
    return {t["name"]: t for t in document["tests"]}


@pytest.fixture
def tmp_submission(tmp_path: Path):
    """Write a lesson file with the given text and return its folder."""
    def write(text: str, name: str = "lesson1_linear.py") -> Path:
        (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path
    return write
