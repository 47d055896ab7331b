"""Finding 9 of issue 13: a batch never falls back silently to running students' code with the grader's rights."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, grade
from grader.runner import sandbox


def klass(tmp_path: Path) -> Path:
    """A class of one: alice, with the reference of lesson 1."""
    folder = tmp_path / "submissions" / "alice"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "lesson1_linear.py", folder)
    return folder.parent


def test_a_batch_without_a_security_boundary_refuses_and_says_why(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "level", lambda: sandbox.PROCESS)
    monkeypatch.setattr(sandbox, "_bwrap_problem", lambda: "No permissions to create a new namespace")
    result = grade("batch", str(klass(tmp_path)), "--out", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 1
    assert result.stderr.startswith("isolation: plain process (not a security boundary)\n")
    assert "would run as you, with your rights" in result.stderr and "--unsandboxed" in result.stderr
    assert "No permissions to create a new namespace" in result.stderr
    assert not (tmp_path / "out").exists()  # nothing graded, nothing written


def test_unsandboxed_grades_and_says_the_level_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sandbox.ENV, "none")
    result = grade("batch", str(klass(tmp_path)), "--out", str(tmp_path / "out"), "--quiet", "-k", "forward",
                   "--unsandboxed")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("isolation: plain process (not a security boundary)\n")
    assert "alice,1" in (tmp_path / "out" / "gradebook.csv").read_text()


def test_every_batch_says_its_isolation_first(tmp_path: Path) -> None:
    level = sandbox.level()
    result = grade("batch", str(klass(tmp_path)), "--out", str(tmp_path / "out"), "--quiet", "-k", "forward",
                   *(["--unsandboxed"] if level == sandbox.PROCESS else []))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"isolation: {sandbox.describe(level)}"
