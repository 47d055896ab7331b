"""One submission never stops the batch (issue 13, must-hold 6): a worker that dies costs only its own submission.

The death is provoked deterministically: the batch's ``grade_path`` is replaced, for one named submission,
by one that SIGKILLs its own process (as the OOM killer would).  The pool's workers are forked from the
test's process, so they inherit the replacement.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from conftest import ROOT, grade
from grader.workflows import batch as batch_module
from grader.workflows.batch import died

SOLUTION = (ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8")
KILLED = "the grading process was killed (signal 9): out of memory?"
FORWARD = ("-k", "lesson1_linear.forward")


def klass(tmp_path: Path, names: list[str]) -> Path:
    for name in names:
        folder = tmp_path / "subs" / name
        folder.mkdir(parents=True)
        (folder / "lesson1_linear.py").write_text(SOLUTION, encoding="utf-8")
    return tmp_path / "subs"


def batch(subs: Path, out: Path, *args: str):
    return grade("batch", str(subs), "--out", str(out), "--quiet", *FORWARD, *args)


def gradebook(out: Path) -> list[str]:
    return (out / "gradebook.csv").read_text(encoding="utf-8").splitlines()[1:]


@pytest.fixture
def killer(monkeypatch):
    """Grading the submission named ``killer`` kills its grading process."""
    real = batch_module.grade_path

    def grade_path(path, **kwargs):
        if Path(path).name == "killer":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, **kwargs)

    monkeypatch.setattr(batch_module, "grade_path", grade_path)
    return lambda: monkeypatch.setattr(batch_module, "grade_path", real)


def test_a_worker_killed_by_one_submission_costs_only_that_submission(tmp_path, killer):
    names = ["alice", "bob", "killer", "mallory", "nina", "oscar", "peggy"]  # some graded before it, some after
    subs, out = klass(tmp_path, names), tmp_path / "out"
    result = batch(subs, out, "--jobs", "2")
    assert result.exit_code == 1
    assert f"the grader failed on killer: {KILLED} (rerun to retry them)" in result.stderr
    assert "graded 6 submission(s)" in result.stderr and "7 in the gradebook" in result.stderr
    assert gradebook(out) == [f"{name},0,1," if name == "killer" else f"{name},1,1,1" for name in names]
    assert f"could not be graded: {KILLED}" in (out / "killer" / "feedback.txt").read_text(encoding="utf-8")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["not_graded"] == [{"id": "killer", "reason": f"could not be graded: {KILLED}"}]

    killer()  # the grader fixed (or more memory): the rerun grades the killer again, and only it
    again = batch(subs, out)
    assert again.exit_code == 0, again.stderr
    assert "6 submission(s) already graded" in again.stderr
    assert gradebook(out) == [f"{name},1,1,1" for name in names]


def test_with_one_worker_the_submissions_after_the_killer_are_graded(tmp_path, killer):
    subs, out = klass(tmp_path, ["alice", "killer", "zoe"]), tmp_path / "out"
    result = batch(subs, out, "--jobs", "1")
    assert result.exit_code == 1
    assert gradebook(out) == ["alice,1,1,1", "killer,0,1,", "zoe,1,1,1"]


def test_a_pool_that_cannot_start_still_files_one_row_per_submission(tmp_path, monkeypatch):
    def cannot_start(batch: int) -> None:
        os._exit(3)

    monkeypatch.setattr(batch_module, "die_with", cannot_start)
    subs, out = klass(tmp_path, ["alice", "bob"]), tmp_path / "out"
    result = batch(subs, out, "--jobs", "2")
    assert result.exit_code == 1
    assert "the grader failed on alice, bob: the grading process exited (exit code 3)" in result.stderr
    assert gradebook(out) == ["alice,0,1,", "bob,0,1,"]


@pytest.mark.parametrize("exitcode, reason", [
    (-signal.SIGKILL, KILLED),
    (-signal.SIGSEGV, "the grading process was killed (signal 11, SIGSEGV)"),
    (3, "the grading process exited (exit code 3)"),
])
def test_why_a_grading_process_died(exitcode, reason):
    assert died(exitcode) == reason
