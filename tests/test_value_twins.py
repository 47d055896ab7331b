"""Named mistakes on value tasks (issue 16, item 2).

A value task with a symbolic twin (lesson 1's ``gradient``, lesson 2's ``step``, lesson 3's
``gradients``, lesson 4's ``mse_gradients``, lesson 6's ``linear_backward``, lesson 7's
``gradients``) names the mistakes the symbolic judge names, by evaluating the mistaken
formulas at the case's arguments, and says when a value is right up to a constant factor;
graded through ``grade check`` on the reference solution with one function replaced at the
end of the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, grade
from grader.courses import builtin
from grader.diagnosis import diagnose
from grader.judges.symbolic import MISTAKES
from grader.model import Verdict
from grader.reference import Reference

L1, L2, L3, L4 = "lesson1_linear", "lesson2_two_weights", "lesson3_quadratic", "lesson4_regression"
L6, L7 = "lesson6_linear_layer", "lesson7_logistic"

GRADIENT = """

def gradient(x, y, w):
    return {formula}
"""
STEP = """

def step(x, y, w1, w2, lr):
    u = w1 * x + w2 - y
    return w1 - lr * {dw1}, w2 - lr * {dw2}
"""
CHANGED = """

_right_{task} = {task}


def {task}(*args):
    result = _right_{task}(*args)
    return {changed}
"""


def check(tmp_path: Path, lesson: str, change: str, task: str) -> str:
    """What ``grade check`` prints for ``task`` of the reference solution of ``lesson`` with ``change`` appended."""
    path = tmp_path / f"{lesson}.py"
    path.write_text((ROOT / "solutions" / f"{lesson}.py").read_text(encoding="utf-8") + change, encoding="utf-8")
    result = grade("check", str(path), "--task", task)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def changed(task: str, result: str) -> str:
    """A student's ``task``: the reference's ``result`` (a tuple) with one item changed."""
    return CHANGED.format(task=task, changed=result)


def hint(mistake: str, wrt: str, other: str = "", part: bool = True) -> str:
    """The hint of the symbolic judge's ``mistake`` in ∂/∂wrt, as a value task with several parts words it."""
    words = MISTAKES[mistake].hint.format(wrt=wrt, other=other)
    return f"In your derivative with respect to {wrt}: {words[0].lower()}{words[1:]}" if part else words


@pytest.mark.parametrize(("formula", "label", "mistake", "other", "shown"), [
    ("-2 * x * (x * w - y)", "sign flipped", "sign_flipped", "", "expected -16.2288, got 16.2288"),
    ("x * (x * w - y)", "factor 2 missing", "factor_2_missing", "", "expected -16.2288, got -8.1144"),
    ("2 * (x * w - y)", "chain rule: inner factor missing", "chain_rule_inner_missing", "",
     "expected -16.2288, got -5.4096"),
    ("-2 * (x * w - y)", "derivative with respect to y", "wrong_variable", "y", "expected -16.2288, got 5.4096"),
])
def test_lesson1_gradient_names_the_symbolic_judges_mistake(tmp_path: Path, formula: str, label: str, mistake: str,
                                                             other: str, shown: str) -> None:
    """The first case (x = 3, y = 6, w = 1.0984) tells the usual mistakes apart: each is named alone."""
    out = check(tmp_path, L1, GRADIENT.format(formula=formula), "gradient")
    assert f"FAIL  gradient    0/2  gradient(x, y, w) returns ∂loss/∂w at that point  [{label}]\n" \
           f"        {hint(mistake, 'w', other, part=False)}\n        gradient(3.0, 6.0, 1.0984): {shown}" in out


def test_lesson1_gradient_off_by_a_factor_3_says_so(tmp_path: Path) -> None:
    out = check(tmp_path, L1, GRADIENT.format(formula="6 * x * (x * w - y)"), "gradient")
    assert "[off by a constant factor]\n" \
           "        your value is 3 times the right one: look for a factor too many or missing\n" \
           "        gradient(3.0, 6.0, 1.0984): expected -16.2288, got -48.6864" in out


def test_lesson1_gradient_off_by_a_factor_that_is_not_simple_is_a_wrong_value(tmp_path: Path) -> None:
    """Any number is some multiple of another: one number is said to be off by a factor only when it is simple."""
    out = check(tmp_path, L1, GRADIENT.format(formula="1.37 * x * (x * w - y)"), "gradient")
    assert "[wrong value]" in out and "times the right one" not in out


def test_lesson1_gradient_the_reference_still_passes(tmp_path: Path) -> None:
    out = check(tmp_path, L1, "", "gradient")
    assert "PASS  gradient    2/2" in out


def test_a_case_that_cannot_tell_two_mistakes_apart_names_both() -> None:
    """At x = 1 the derivatives by w and by y are opposite: the sign flipped is either."""
    course = builtin()
    lesson = course.lessons[L1]
    task = lesson.task("gradient")
    index = next(i for i, c in enumerate(task.cases) if c.args == (1.0, 2.0, 1.0))
    verdict = diagnose(Verdict(False, "wrong value"), lesson, task, index, [2.0], Reference(course))
    assert verdict.summary == "sign flipped or derivative with respect to y"
    assert verdict.hint == ("At these inputs 2 mistakes give your value: " + hint("sign_flipped", "w", part=False) +
                            " Or: " + hint("wrong_variable", "w", "y", part=False))


def test_a_right_item_names_nothing_when_another_is_wrong() -> None:
    """At x = 1, ∂/∂w1 without its inner factor x is the right ∂/∂w1: a wrong g_w2 beside a right g_w1 is not
    called a chain rule mistake in ∂/∂w1."""
    course = builtin()
    lesson = course.lessons[L3]
    task = lesson.task("gradients")
    reference = Reference(course)
    index = next(i for i, c in enumerate(task.cases) if c.args[0] == 1.0)
    g_w1, g_w2, g_b = reference.expected(lesson, task, index)[0]
    verdict = diagnose(Verdict(False, "wrong value"), lesson, task, index, [(g_w1, g_w2 + 0.1, g_b)], reference)
    assert verdict.mistake is None


@pytest.mark.parametrize(("dw1", "dw2", "label", "words"), [
    ("2 * u", "2 * u", "chain rule: inner factor missing in ∂/∂w1", hint("chain_rule_inner_missing", "w1")),
    ("2 * u * x", "-2 * u", "sign flipped in ∂/∂w2", hint("sign_flipped", "w2")),
    ("2 * u * x", "4 * u", "extra factor 2 in ∂/∂w2", hint("factor_2_extra", "w2")),
    ("6 * u * x", "2 * u", "off by a constant factor",
     "your derivative with respect to w1 is 3 times the right one: look for a factor too many or missing"),
])
def test_lesson2_step_names_the_mistake_in_the_derivative_it_used(tmp_path: Path, dw1: str, dw2: str, label: str,
                                                                   words: str) -> None:
    """step returns the weights after the step: the derivative a student used is read from them."""
    out = check(tmp_path, L2, STEP.format(dw1=dw1, dw2=dw2), "step")
    assert f"updates both weights from the old ones  [{label}]\n        {words}\n" \
           "        step(-1.5, 2.0, -0.3, 0.7, 0.2)[" in out


def test_lesson2_step_keeps_the_variants_own_hint(tmp_path: Path) -> None:
    """Both derivatives halved are a step half the right size, which a variant names first."""
    out = check(tmp_path, L2, STEP.format(dw1="u * x", dw2="u"), "step")
    assert "[lr scaled]\n        every step is half the right size: is the factor 2 of the derivative missing?" in out


@pytest.mark.parametrize(("result", "label", "words"), [
    ("result[0], result[1], -result[2]", "sign flipped in ∂/∂b", hint("sign_flipped", "b")),
    ("result[0], result[1] / 2, result[2]", "factor 2 missing in ∂/∂w2", hint("factor_2_missing", "w2")),
    ("result[1], result[0], result[2]", "derivative with respect to w2 in ∂/∂w1", hint("wrong_variable", "w1", "w2")),
])
def test_lesson3_gradients_name_the_mistake_in_one_derivative(tmp_path: Path, result: str, label: str,
                                                              words: str) -> None:
    out = check(tmp_path, L3, changed("gradients", result), "gradients")
    assert f"returns (g_w1, g_w2, g_b) at that point  [{label}]\n        {words}\n" \
           "        gradients(-1.5, 0.5, 0.0, 1.0, -1.0)[" in out


@pytest.mark.parametrize(("result", "label", "words"), [
    ("result[0] / 2, result[1] / 2", "factor 2 missing in ∂/∂w", hint("factor_2_missing", "w")),  # 1/(2N)
    ("result[0], -result[1]", "sign flipped in ∂/∂b", hint("sign_flipped", "b")),
    ("len(args[1]) * result[0], len(args[1]) * result[1]", "sum instead of mean",
     "your gradient is N times too large: L is a mean over the rows"),
])
def test_lesson4_mse_gradients_name_the_mistake_as_a_mean(tmp_path: Path, result: str, label: str,
                                                          words: str) -> None:
    out = check(tmp_path, L4, changed("mse_gradients", result), "mse_gradients")
    assert f"[{label}]\n        {words}" in out


@pytest.mark.parametrize(("result", "label", "words"), [
    ("result[0] / 2, result[1] / 2", "factor 2 missing in ∂/∂W", hint("factor_2_missing", "W")),  # 1/(2·out)
    ("-result[0], -result[1]", "sign flipped in ∂/∂W", hint("sign_flipped", "W")),
    ("result[0], 3 * result[1]", "off by a constant factor",
     "your derivative with respect to b is 3 times the right one: look for a factor too many or missing"),
    ("len(args[1]) * result[0], len(args[1]) * result[1]", "sum instead of mean",
     "your gradient is out times too large"),
])
def test_lesson6_linear_backward_names_the_mistake_per_output(tmp_path: Path, result: str, label: str,
                                                              words: str) -> None:
    """pred stands for W·x + b, and each output's row of dW is its own derivative over the number of outputs."""
    out = check(tmp_path, L6, changed("linear_backward", result), "linear_backward")
    assert f"[{label}]\n        {words}" in out


def test_lesson7_gradients_name_a_factor_on_one_derivative(tmp_path: Path) -> None:
    out = check(tmp_path, L7, changed("gradients", "result[0], 3 * result[1]"), "gradients")
    assert "[off by a constant factor]\n" \
           "        your derivative with respect to b is 3 times the right one: look for a factor too many or " \
           "missing\n" in out


def test_lesson7_gradients_name_the_symbolic_judges_mistake_as_a_mean(tmp_path: Path) -> None:
    out = check(tmp_path, L7, changed("gradients", "result[0] / 2, result[1]"), "gradients")
    assert f"[factor 2 missing in ∂/∂w]\n        {hint('factor_2_missing', 'w')}\n" in out


def test_lesson7_gradients_keep_the_variants_own_hint(tmp_path: Path) -> None:
    """A variant names the mistake first: its hint is the more telling (N times, not '8 times')."""
    out = check(tmp_path, L7, changed("gradients", "len(args[1]) * result[0], len(args[1]) * result[1]"),
                "gradients")
    assert "[sum instead of mean]\n        your gradient is N times too large" in out
