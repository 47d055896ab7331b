"""Named mistakes on value tasks (issue 16, item 2).

A value task with a symbolic twin (lesson 1's ``gradient`` and ``dloss_dw``, lesson 7's
``gradients`` and ``dloss_dw``/``dloss_db``) names the mistakes the symbolic judge names,
by evaluating the mistaken formulas at the case's arguments, and says when a value is
right up to a constant factor; graded through ``grade check`` on the reference solution
with one function replaced at the end of the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, grade
from grader.judges.symbolic import MISTAKES

GRADIENT = """

def gradient(x, y, w):
    return {formula}
"""
GRADIENTS = """

_right_gradients = gradients


def gradients(X, y, w, b):
    dw, db = _right_gradients(X, y, w, b)
    return {scaled}
"""


def check(tmp_path: Path, lesson: str, change: str, task: str) -> str:
    """What ``grade check`` prints for ``task`` of the reference solution of ``lesson`` with ``change`` appended."""
    path = tmp_path / f"{lesson}.py"
    path.write_text((ROOT / "solutions" / f"{lesson}.py").read_text(encoding="utf-8") + change, encoding="utf-8")
    result = grade("check", str(path), "--task", task)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.mark.parametrize(("formula", "label", "mistakes", "shown"), [
    ("-2 * x * (x * w - y)", "sign flipped or derivative with respect to y", ("sign_flipped", "wrong_variable"),
     "gradient(1.0, 2.0, 1.0): expected -2.0, got 2.0"),
    ("x * (x * w - y)", "factor 2 missing", ("factor_2_missing",), "gradient(1.0, 2.0, 1.0): expected -2.0, got -1.0"),
    ("2 * (x * w - y)", "factor 2 missing or chain rule: inner factor missing",
     ("factor_2_missing", "chain_rule_inner_missing"), "gradient(2.0, 4.0, 1.02): expected -7.84, got -3.92"),
])
def test_lesson1_gradient_names_the_symbolic_judges_mistake(tmp_path: Path, formula: str, label: str,
                                                             mistakes: tuple[str, ...], shown: str) -> None:
    """Named as the symbolic judge names it, with its hint; a case whose inputs give the same value for two
    mistakes (x = 1 makes the derivatives by w and by y opposite, x = 2 makes x·u equal 2·u) names both."""
    out = check(tmp_path, "lesson1_linear", GRADIENT.format(formula=formula), "gradient")
    hints = [MISTAKES[m].hint.format(wrt="w", other="y") for m in mistakes]
    hint = hints[0] if len(hints) == 1 else f"At these inputs {len(hints)} mistakes give your value: " + \
        " Or: ".join(hints)
    assert f"FAIL  gradient    0/2  gradient(x, y, w) returns ∂loss/∂w at that point  [{label}]\n" \
           f"        {hint}\n        {shown}" in out


def test_lesson1_gradient_off_by_a_factor_3_says_so(tmp_path: Path) -> None:
    out = check(tmp_path, "lesson1_linear", GRADIENT.format(formula="6 * x * (x * w - y)"), "gradient")
    assert "[off by a constant factor]\n" \
           "        your value is 3 times the right one: look for a factor too many or missing\n" \
           "        gradient(1.0, 2.0, 1.0): expected -2.0, got -6.0" in out


def test_lesson1_gradient_the_reference_still_passes(tmp_path: Path) -> None:
    out = check(tmp_path, "lesson1_linear", "", "gradient")
    assert "PASS  gradient    2/2" in out


def test_lesson7_gradients_name_a_factor_on_one_derivative(tmp_path: Path) -> None:
    out = check(tmp_path, "lesson7_logistic", GRADIENTS.format(scaled="dw, 3 * db"), "gradients")
    assert "[off by a constant factor]\n" \
           "        your derivative with respect to b is 3 times the right one: look for a factor too many or " \
           "missing\n" in out


def test_lesson7_gradients_name_the_symbolic_judges_mistake_as_a_mean(tmp_path: Path) -> None:
    out = check(tmp_path, "lesson7_logistic", GRADIENTS.format(scaled="dw / 2, db"), "gradients")
    assert "[factor 2 missing in ∂/∂w]\n        In your derivative with respect to w: your answer is half the " \
           "derivative: the power rule turns u**2 into 2*u, keep the 2.\n" in out


def test_lesson7_gradients_keep_the_variants_own_hint(tmp_path: Path) -> None:
    """A variant names the mistake first: its hint is the more telling (N times, not '8 times')."""
    out = check(tmp_path, "lesson7_logistic", GRADIENTS.format(scaled="len(y) * dw, len(y) * db"), "gradients")
    assert "[sum instead of mean]\n        your gradient is N times too large" in out
