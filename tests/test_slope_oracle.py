"""The finite-difference oracle (issue 16, item 7): a wrong gradient says whether it is the slope of the
student's own loss, and whether that loss is right.

Each student file is the reference solution of a lesson with its loss and its gradient replaced at the end
of the file, graded through the Python API (hidden cases included).  The slope a sentence quotes is worked
out here, from the student's loss, at the task's first public case (the first that fails).
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

from conftest import ROOT, course_with
from grader import wire
from grader.checks import Gradient, case, encode_arg
from grader.courses import builtin
from grader.feedback import show
from grader.grading import grade_path
from grader.model import Case, SlopeCheck
from grader.reference import Reference
from grader.reporters.evidence import facts
from grader.results import TaskResult
from grader.runner.child import Session
from solutions import lesson4_regression as L4
from solutions import lesson7_logistic as L7

COURSE = builtin()
REFERENCE = Reference(COURSE)

WRAPPED = """

_right_{name} = {name}


def {name}(X, y, w, b):
    {result} = _right_{name}(X, y, w, b)
    return {value}
"""
STUB = """

def {name}(*args):
    raise NotImplementedError
"""
LESSON1 = """

def loss(x, y, w):
    return {loss_factor} * (x * w - y) ** 2


def gradient(x, y, w):
    return {gradient_factor} * x * (x * w - y)
"""


def graded(folder: Path, lesson: str, change: str, task: str) -> TaskResult:
    """The result of ``task`` for the reference solution of ``lesson`` with ``change`` appended."""
    path = folder / f"{lesson}.py"
    path.write_text((ROOT / "solutions" / f"{lesson}.py").read_text(encoding="utf-8") + change, encoding="utf-8")
    report = grade_path(path, tasks=[task])
    return next(t for t in report.lessons[0].tasks if t.task == task)


def first_case(lesson: str, task: str) -> Case:
    """The task's first public case."""
    return next(c for c in COURSE.lessons[lesson].task(task).cases if not c.hidden)


def does_not_match(loss: str, slope: Any, loss_right: bool = True) -> str:
    """The sentence on a gradient that is not the slope of the student's ``loss``, quoting ``slope``."""
    said = f"your gradient does not match the slope of your own {loss}, which is {show(slope, 6)} there"
    return said if loss_right else f"{said}, and your {loss} is wrong too: fix {loss} first (see {loss})"


def matches(loss: str) -> str:
    """The sentence on a gradient that is the slope of the student's wrong ``loss``."""
    return f"your gradient matches your {loss}, but your {loss} is wrong: fix {loss} first (see {loss})"


def assert_told(result: TaskResult, sentence: str, check: SlopeCheck) -> None:
    """``result`` failed with ``sentence`` last in its feedback, right under the value judge's line, and
    ``check`` as its evidence (its slope, when given, to six digits)."""
    assert result.status == "failed" and result.evidence is not None
    *before, last = result.feedback.split("\n")
    assert last == sentence
    assert "expected" in before[-1]
    slope = result.evidence.slope
    assert slope is not None and (slope.loss, slope.matches, slope.loss_right) == \
        (check.loss, check.matches, check.loss_right)
    if check.slope is not None:
        assert slope.slope == pytest.approx(check.slope, rel=1e-6)


def assert_silent(result: TaskResult) -> None:
    """``result`` says nothing of a slope."""
    assert "slope" not in result.feedback and "your loss" not in result.feedback
    assert result.evidence is None or result.evidence.slope is None


# Lesson 1: one weight, loss(x, y, w) = (x·w − y)² --------------------------------------------------------

def lesson1_slope(loss_factor: float) -> float:
    """The slope by w of loss_factor·(x·w − y)² at the first public case of gradient."""
    x, y, w = first_case("lesson1_linear", "gradient").args
    return 2 * loss_factor * x * (x * w - y)


def test_lesson1_a_gradient_that_is_not_the_slope_of_a_right_loss(tmp_path: Path) -> None:
    result = graded(tmp_path, "lesson1_linear", LESSON1.format(loss_factor=1, gradient_factor=1), "gradient")
    assert result.summary == "factor 2 missing"  # the named mistake stays
    assert_told(result, does_not_match("loss", lesson1_slope(1)), SlopeCheck("loss", False, True, lesson1_slope(1)))
    assert ("slope", does_not_match("loss", lesson1_slope(1))) in facts(result.evidence)  # as JUnit and Markdown say it


def test_lesson1_a_gradient_that_is_the_slope_of_a_wrong_loss(tmp_path: Path) -> None:
    result = graded(tmp_path, "lesson1_linear", LESSON1.format(loss_factor=2, gradient_factor=4), "gradient")
    assert_told(result, matches("loss"), SlopeCheck("loss", True, False, lesson1_slope(2)))


def test_lesson1_a_wrong_gradient_of_a_wrong_loss(tmp_path: Path) -> None:
    result = graded(tmp_path, "lesson1_linear", LESSON1.format(loss_factor=2, gradient_factor=1), "gradient")
    assert_told(result, does_not_match("loss", lesson1_slope(2), loss_right=False),
                SlopeCheck("loss", False, False, lesson1_slope(2)))


def test_lesson1_a_right_gradient_says_nothing_of_a_wrong_loss(tmp_path: Path) -> None:
    result = graded(tmp_path, "lesson1_linear", LESSON1.format(loss_factor=2, gradient_factor=2), "gradient")
    assert result.passed and result.feedback == ""


@pytest.mark.parametrize("loss", [
    STUB.format(name="loss"),
    "\n\ndef loss(x, y, w):\n    raise ValueError('not yet')\n",
    "\n\ndef loss(x, y, w):\n    return [(x * w - y) ** 2]\n",
    "\n\nloss = None\n",
], ids=["stub", "raises", "returns a list", "not defined"])
def test_lesson1_a_loss_that_gives_no_number_says_nothing_and_costs_nothing(tmp_path: Path, loss: str) -> None:
    """A probe that fails is no failure of the gradient's case: a right gradient passes, a wrong one reads as
    without the oracle."""
    right = graded(tmp_path, "lesson1_linear", f"{loss}\n\ndef gradient(x, y, w):\n    return 2 * x * (x * w - y)\n",
                   "gradient")
    assert right.passed
    wrong = graded(tmp_path, "lesson1_linear", f"{loss}\n\ndef gradient(x, y, w):\n    return x * (x * w - y)\n",
                   "gradient")
    assert wrong.summary == "factor 2 missing"
    assert_silent(wrong)


# Lessons 4 and 7: (dw, db) of a mean over the rows ---------------------------------------------------------

VECTOR_LESSONS = [
    ("lesson4_regression", "mse", "mse_gradients", L4.mse_gradients),
    ("lesson7_logistic", "cross_entropy", "gradients", L7.gradients),
]


def slope_of(right: Callable[..., Any], lesson: str, task: str, factor: float) -> tuple[np.ndarray, float]:
    """The slope of ``factor`` times the right loss at the task's first public case: ``factor`` times the right
    gradient."""
    dw, db = right(*first_case(lesson, task).args)
    return factor * dw, factor * db


def wrapped(name: str, value: str, result: str) -> str:
    """``name`` redefined to return ``value`` of the right function's ``result``."""
    return WRAPPED.format(name=name, result=result, value=value)


@pytest.mark.parametrize(("lesson", "loss", "task", "right"), VECTOR_LESSONS, ids=["lesson4", "lesson7"])
def test_vector_gradient_that_is_not_the_slope_of_a_right_loss(tmp_path: Path, lesson: str, loss: str, task: str,
                                                               right: Callable[..., Any]) -> None:
    result = graded(tmp_path, lesson, wrapped(task, "dw, -db", "dw, db"), task)
    slope = slope_of(right, lesson, task, 1)
    assert_told(result, does_not_match(loss, slope), SlopeCheck(loss, False, True, None))


@pytest.mark.parametrize(("lesson", "loss", "task", "right"), VECTOR_LESSONS, ids=["lesson4", "lesson7"])
def test_vector_gradient_that_is_the_slope_of_a_wrong_loss(tmp_path: Path, lesson: str, loss: str, task: str,
                                                           right: Callable[..., Any]) -> None:
    change = wrapped(loss, "len(X) * L", "L") + wrapped(task, "len(X) * dw, len(X) * db", "dw, db")
    result = graded(tmp_path, lesson, change, task)
    assert_told(result, matches(loss), SlopeCheck(loss, True, False, None))


@pytest.mark.parametrize(("lesson", "loss", "task", "right"), VECTOR_LESSONS, ids=["lesson4", "lesson7"])
def test_vector_wrong_gradient_of_a_wrong_loss(tmp_path: Path, lesson: str, loss: str, task: str,
                                               right: Callable[..., Any]) -> None:
    change = wrapped(loss, "2 * L", "L") + wrapped(task, "dw, 3 * db", "dw, db")
    result = graded(tmp_path, lesson, change, task)
    slope = slope_of(right, lesson, task, 2)
    assert_told(result, does_not_match(loss, slope, loss_right=False), SlopeCheck(loss, False, False, None))


@pytest.mark.parametrize(("lesson", "loss", "task", "right"), VECTOR_LESSONS, ids=["lesson4", "lesson7"])
def test_vector_right_gradient_and_loss_stub(tmp_path: Path, lesson: str, loss: str, task: str,
                                             right: Callable[..., Any]) -> None:
    """A right gradient passes beside a wrong loss, saying nothing; a wrong one beside a stub says nothing of a
    slope."""
    assert graded(tmp_path, lesson, wrapped(loss, "2 * L", "L"), task).passed
    result = graded(tmp_path, lesson, STUB.format(name=loss) + wrapped(task, "dw, 3 * db", "dw, db"), task)
    assert result.status == "failed"
    assert_silent(result)


# The verdict, case by case, hidden ones included ----------------------------------------------------------

def gradient_cases() -> list[tuple[str, str, int]]:
    """(lesson, task, case index) of every case of every gradient task of the course."""
    return [(lesson.name, task.name, i) for lesson in COURSE.lessons.values() for task in lesson.tasks
            if isinstance(task.kind, Gradient) for i in range(len(task.cases))]


def shifted(value: Any) -> Any:
    """``value`` (a number, an array or a tuple of them) with one added to every entry."""
    return tuple(shifted(v) for v in value) if isinstance(value, tuple) else value + 1


def is_zero(value: Any) -> bool:
    """Whether every entry of ``value`` is zero."""
    return all(is_zero(v) for v in value) if isinstance(value, tuple) else not np.any(value)


@pytest.mark.parametrize(("lesson", "task", "index"), gradient_cases())
def test_every_case_tells_a_wrong_gradient_of_a_right_loss(lesson: str, task: str, index: int) -> None:
    """On every case, hidden ones too (|z| up to 1000 in lesson 7), the right gradient is the slope of the
    right loss and a wrong one is told; a hidden case's finding and evidence hold no number.  Where the right
    gradient is zero the slope is rounding alone, and nothing is said."""
    the_lesson = COURSE.lessons[lesson]
    the_task = the_lesson.task(task)
    c = the_task.cases[index]
    expected = REFERENCE.expected(the_lesson, the_task, index)
    verdict = the_task.kind.judge(expected, [shifted(expected[0]), *expected[1:]], task, c)
    assert not verdict.passed
    if is_zero(expected[0]):
        assert verdict.finding == "" and verdict.evidence.slope is None
        return
    loss = the_task.kind.loss
    assert verdict.finding == f"your gradient does not match the slope of your own {loss}"
    assert verdict.evidence.slope.matches is False and verdict.evidence.slope.loss_right is True
    assert (verdict.evidence.slope.slope is None) == c.hidden
    if c.hidden:
        assert verdict.finding in verdict.details
    else:
        assert verdict.details.endswith(f"{verdict.finding}, which is {show(expected[0], 6)} there")


# The declaration and the child's probes ------------------------------------------------------------------

def test_a_gradient_names_parameters_of_its_task() -> None:
    assert Gradient("mse", "w b").bind(("X", "y", "w", "b")).positions == (2, 3)
    with pytest.raises(ValueError, match=r"wrt='v' names v, which is not a parameter of \(x, y, w\)"):
        Gradient("loss", "v").bind(("x", "y", "w"))
    with pytest.raises(ValueError, match="never bound"):
        Gradient("loss", "w").steps("gradient", case(1.0, 2.0, 3.0))


def test_the_steps_probe_each_entry_up_then_down_with_a_step_suited_to_its_scale() -> None:
    kind = Gradient("mse", "w b").bind(("X", "y", "w", "b"))
    steps = kind.steps("mse_gradients", case([[1.0, 2.0]], [3.0], np.array([1000.0, 0.5]), 0.0))
    assert [s["call"] for s in steps] == ["mse_gradients"] + ["mse"] * 6
    assert "probe" not in steps[0] and all(s["probe"] for s in steps[1:])
    step = np.finfo(float).eps ** (1 / 3)
    ws = [wire.decode(s["args"][2]) for s in steps[1:5]]
    assert np.allclose([w[0] - 1000.0 for w in ws[:2]], [1000 * step, -1000 * step], rtol=1e-9)
    assert np.allclose([w[1] - 0.5 for w in ws[2:]], [step, -step], rtol=1e-9)
    assert [wire.decode(s["args"][3]) for s in steps[5:]] == pytest.approx([step, -step], rel=1e-9)


def test_a_probe_gives_a_number_or_none_and_never_fails_its_case() -> None:
    module = types.ModuleType("student")
    exec("import numpy as np\n"
         "def stub(x): raise NotImplementedError\n"
         "def broken(x): raise ValueError('no')\n"
         "def listed(x): return [x]\n"
         "def numpy_number(x): return np.float64(x) * 2\n"
         "def leaves(x): raise SystemExit(3)\n", module.__dict__)
    names = ["stub", "broken", "listed", "numpy_number", "leaves", "absent"]
    values = Session(module).run([{"call": n, "args": [encode_arg(1.5)], "probe": True} for n in names])
    assert values == [None, None, None, 3.0, None, None]
    with pytest.raises(ValueError):
        Session(module).run([{"call": "broken", "args": [encode_arg(1.5)]}])


def test_a_hidden_case_says_which_function_is_wrong_in_the_kits_words(tmp_path):
    """Right on the public cases (x > 0), wrong on the hidden one with a negative x: the finding is said,
    without a number, and kept in the evidence without the slope."""
    wrong_for_negative_x = """

def gradient(x, y, w):
    return 2 * abs(x) * (x * w - y)
"""
    result = graded(tmp_path, "lesson1_linear", wrong_for_negative_x, "gradient")
    assert result.hidden_failed and "a hidden check (negative x) failed" in result.feedback
    assert result.feedback.endswith("\nyour gradient does not match the slope of your own loss")
    assert result.evidence.slope == SlopeCheck("loss", False, True, None)


@pytest.mark.parametrize("loss", ["while True:\n        pass", "import os\n    os._exit(3)"])
def test_a_loss_that_hangs_or_dies_in_a_probe_is_not_the_gradient_s_failure(tmp_path, loss):
    """The probes run after the gradient in its case: should one stop the case, the case runs again without
    them, so the gradient gets its own verdict (here right: full points) and nothing is said of the slope."""
    change = f"\n\ndef loss(x, y, w):\n    {loss}\n"
    path = tmp_path / "lesson1_linear.py"
    path.write_text((ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8") + change,
                    encoding="utf-8")
    found = {t.task: t for t in grade_path(path, tasks=["gradient", "loss"]).tasks}
    assert found["gradient"].passed, found["gradient"].feedback
    assert not found["loss"].passed
    wrong = path.read_text(encoding="utf-8").replace("return 2 * x * (x * w - y)\n", "return 3 * x * (x * w - y)\n", 1)
    path.write_text(wrong, encoding="utf-8")
    gradient = grade_path(path, tasks=["gradient"]).tasks[0]
    assert gradient.status == "failed" and "expected" in gradient.feedback and "slope" not in gradient.feedback


@pytest.mark.parametrize(("declared", "problem"), [
    ('Gradient("los", "w")', "its loss los is not a function of solutions/lesson1_linear.py"),
    ('Gradient("forward", "w")', "does not fit forward(x, w) of solutions/lesson1_linear.py"),
])
def test_a_gradient_s_loss_must_be_a_function_taking_the_task_s_arguments(tmp_path, declared, problem):
    import re

    from grader.courses import CourseError, load_course

    with pytest.raises(CourseError, match=re.escape(problem)):
        load_course(course_with(tmp_path / "course", 'Gradient("loss", "w")', declared))


def test_a_gradient_that_hangs_on_its_own_is_stopped_once(tmp_path):
    """Only a stop after the child said its probes run sends the case again without them: a gradient that
    hangs by itself uses its time limit once (twice would run into the file's budget here)."""
    from grader.runner.process import Limits

    path = tmp_path / "lesson1_linear.py"
    path.write_text((ROOT / "solutions" / "lesson1_linear.py").read_text(encoding="utf-8")
                    + "\n\ndef gradient(x, y, w):\n    while True:\n        pass\n", encoding="utf-8")
    limits = Limits(task_seconds=1.0, file_seconds=1.9)
    (result,) = grade_path(path, tasks=["gradient"], limits=limits).tasks
    assert result.summary == "timed out after 1 s", result.feedback
