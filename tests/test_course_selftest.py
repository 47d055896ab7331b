"""``grade course test``: the built-in course holds, and a course with faults gets one finding per fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import grade
from grader.courses import builtin
from grader.workflows.selftest import CheckResult, run_selftest

REFERENCE = "The reference scores full marks."
STUBS = 'The stubs score 0 and every task says "not implemented".'
VARIANTS = "Every mistake variant fails the task it is declared on, and is named there."
USES = "Every function a task declares it uses is called by the reference's task (follow-through serves it)."
HARD_CODED = "A submission that hard-codes the public cases' answers fails a hidden case."
PARAMETERS = "Every parameter of a task is varied by its cases (ignoring it, or hard-coding its default, fails)."
RELEASE = "The release carries no reference code."


@pytest.fixture(scope="module")
def builtin_results() -> dict[str, tuple[str, ...]]:
    results: list[CheckResult] = list(run_selftest(builtin()))
    return {r.title: r.findings for r in results}


def test_the_builtin_course_passes_its_own_self_test(builtin_results):
    assert list(builtin_results) == [REFERENCE, STUBS, VARIANTS, USES, HARD_CODED, PARAMETERS, RELEASE]
    assert {title: findings for title, findings in builtin_results.items() if findings} == {}


def test_grade_course_test_on_the_builtin_course_exits_0():
    result = grade("course", "test")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "every check holds"


MANIFEST = """\
[course]
name = "toy"

[[lessons]]
name = "lesson1_toy"
number = 1
checks = "checks/lesson1_toy.py"
hidden = "checks/hidden/lesson1_toy.py"
reference = "solutions/lesson1_toy.py"
mistakes = "solutions/mistakes/lesson1_toy.py"
"""

CHECKS = '''\
from grader.checks import Task, Value, case
from grader.diagnosis import variant

TASKS = (
    Task("double", 1, "double(x) returns 2·x", Value(), (case(1.0), case(2.5))),
    Task("scale", 1, "scale(x, factor) returns factor·x", Value(), (case(1.0), case(2.0))),
    Task("square", 1, "square(x) returns x²", Value(), (case(3.0), case(-1.0))),
    Task("inverse", 1, "inverse(x) returns 1 / x", Value(), (case(4.0), case(0.0))),
    Task("count", 2, "count(start, steps) lists start + 1, start + 2, ...", Value(), (case(0.0, 3), case(1.0, 2)),
         mistakes=(variant("starts_at_zero", "count_from_zero", "count from start, not from 0"),
                   variant("no_mistake", "count_rewritten", "this variant gives the right values"))),
)
'''

HIDDEN = '''\
from grader.checks import case

CASES = {"double": (case(2.5),), "scale": (case(5.0),), "inverse": (case(8.0),), "count": (case(5.0, 4),)}
'''

SOLUTION = '''\
"""A toy lesson."""


def double(x):
    """Twice x."""
    # BEGIN SOLUTION
    twice_x = x + x
    return twice_x
    # END SOLUTION


def scale(x, factor=3.0):
    """factor times x."""
    # BEGIN SOLUTION
    scaled_x = factor * x
    return scaled_x
    # END SOLUTION


def square(x):
    """x squared."""
    # BEGIN SOLUTION
    squared_x = x * x
    return squared_x
    # END SOLUTION


def inverse(x):
    """1 / x."""
    # BEGIN SOLUTION
    inverse_of_x = 1 / x
    return inverse_of_x
    # END SOLUTION


def count(start, steps):
    """start + 1, start + 2, ..., one value per step."""
    # BEGIN SOLUTION
    counted = []
    for _ in range(steps):
        start = start + 1
        counted.append(start)
    return counted
    # END SOLUTION
'''

MISTAKES = '''\
from solutions.lesson1_toy import count


def count_from_zero(start, steps):
    """Counts from 0, whatever the start (calls the reference's count, as variants do)."""
    return count(0.0, steps)


def count_rewritten(start, steps):
    """The right values, written another way: not a mistake at all."""
    return [start + k for k in range(1, steps + 1)]
'''


@pytest.fixture
def faulty_course(tmp_path: Path) -> Path:
    """A course whose declaration has one fault of each kind the self-test finds."""
    for relative, text in {"course.toml": MANIFEST, "checks/lesson1_toy.py": CHECKS,
                           "checks/hidden/lesson1_toy.py": HIDDEN, "solutions/lesson1_toy.py": SOLUTION,
                           "solutions/mistakes/lesson1_toy.py": MISTAKES}.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_faulty_course_gets_one_finding_per_fault_and_exit_code_1(faulty_course):
    result = grade("course", "test", "--course", str(faulty_course))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [
        "FAIL  The reference scores full marks",
        ("      lesson1_toy.inverse: the reference fails: inverse(0.0) raised ZeroDivisionError: float division by "
         "zero: fix the task's cases or solutions/lesson1_toy.py"),
        'ok    The stubs score 0 and every task says "not implemented"',
        "FAIL  Every mistake variant fails the task it is declared on, and is named there",
        ("      lesson1_toy.count: the variant count_rewritten of the mistake no_mistake passes every case: add a case "
         "on which it differs from the reference"),
        "ok    Every function a task declares it uses is called by the reference's task (follow-through serves it)",
        "FAIL  A submission that hard-codes the public cases' answers fails a hidden case",
        ("      lesson1_toy.square: no hidden case, so a submission that returns the public cases' answers gets full "
         "marks: add a hidden case"),
        ("      lesson1_toy.double: a submission that returns the public cases' answers passes the hidden cases too: "
         "add a hidden case whose arguments no public case has"),
        "FAIL  Every parameter of a task is varied by its cases (ignoring it, or hard-coding its default, fails)",
        "      lesson1_toy: scale's factor takes its default in every case: add a case with another factor",
        "FAIL  The release carries no reference code",
        "      the release cannot be built: the reference fails on a case, so its answers cannot be stored: "
        "ZeroDivisionError: float division by zero (grade course test says which task)",
        "6 findings: fix them in the course's declarations",
    ]


CHECKS_THAT_HOLD = '''\
from grader.checks import Task, Value, case
from grader.diagnosis import variant

TASKS = (
    Task("count", 2, "count(start, steps) lists start + 1, start + 2, ...", Value(), (case(0.0, 3), case(1.0, 2)),
         mistakes=(variant("starts_at_zero", "count_from_zero", "count from start, not from 0"),)),
)
'''


def test_a_course_that_holds_passes_with_exit_code_0(faulty_course):
    (faulty_course / "checks/lesson1_toy.py").write_text(CHECKS_THAT_HOLD, encoding="utf-8")
    (faulty_course / "checks/hidden/lesson1_toy.py").write_text(
        'from grader.checks import case\n\nCASES = {"count": (case(5.0, 4),)}\n', encoding="utf-8")
    result = grade("course", "test", "--course", str(faulty_course))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[1:] == [
        "ok    The reference scores full marks",
        'ok    The stubs score 0 and every task says "not implemented"',
        "ok    Every mistake variant fails the task it is declared on, and is named there",
        "ok    Every function a task declares it uses is called by the reference's task (follow-through serves it)",
        "ok    A submission that hard-codes the public cases' answers fails a hidden case",
        "ok    Every parameter of a task is varied by its cases (ignoring it, or hard-coding its default, fails)",
        "ok    The release carries no reference code",
        "every check holds",
    ]
