"""The comparison with nbgrader and otter-grader is like for like: the asserts they get pass and fail as the kit does."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from grader.courses import builtin
from grader.reference import Reference

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import others  # noqa: E402

LESSONS = builtin().lessons


def failing_checks(source: str) -> list[str]:
    """The tasks whose generated asserts fail when run after ``source``, as a notebook would run them."""
    failed = []
    for name, _, code in others.checks(LESSONS[others.LESSON], Reference(builtin())):
        namespace: dict = {}
        exec(compile(source, "student", "exec"), namespace)  # trusted fixtures, in the test process only
        try:
            exec(compile(code, name, "exec"), namespace)
        except Exception:  # noqa: BLE001 - an assert or the student's own error: the check failed
            failed.append(name)
    return failed


@pytest.mark.parametrize("student, failed", [
    ("solutions", []),
    ("wrong_sign_gradient", ["gradient", "dloss_dw", "train"]),
    ("loss_before_update", ["train"]),
    ("string_answers", []),
])
def test_the_generated_asserts_agree_with_the_kit_on_the_fixtures(student: str, failed: list[str]) -> None:
    folder = ROOT / "solutions" if student == "solutions" else ROOT / "tests" / "submissions" / student
    assert failing_checks((folder / f"{others.LESSON}.py").read_text(encoding="utf-8")) == failed


def test_the_class_cycles_through_right_answers_and_fixture_mistakes() -> None:
    sources = others.student_sources(len(others.STUDENTS) + 1)
    assert sources[0] == sources[-1] == (ROOT / "solutions" / f"{others.LESSON}.py").read_text(encoding="utf-8")
    assert len(set(sources)) == len(others.STUDENTS)
