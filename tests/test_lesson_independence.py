"""A lesson's verdicts never depend on another lesson's file of the same submission (issue 16, item 9).

Each lesson file is loaded in children of its own, so a lesson-1 file that
monkeypatches SymPy, NumPy and the builtins when it loads leaves lesson 3's
verdicts and feedback as they are without it, at every isolation level.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, grade_json
from grader.runner import sandbox
from test_isolation import LEVELS

PATCHES = '''import builtins
import numpy
import sympy

sympy.simplify = lambda expr, *args, **kwargs: 0
sympy.Expr.equals = lambda self, other, *args: True
numpy.allclose = lambda *args, **kwargs: True
numpy.isclose = lambda *args, **kwargs: True
builtins.abs = lambda x: 0
builtins.float = lambda x=0: 0.0


def forward(x, w):
    return 0.0
'''


def lesson3_with_mistakes() -> str:
    """The reference of lesson 3 with dloss_dw1's sign flipped and gradients' factor 2 dropped."""
    text = (ROOT / "solutions" / "lesson3_quadratic.py").read_text(encoding="utf-8")
    flipped = text.replace("return 2 * x * (x**2 * w2 + x * w1 + b - y)",
                           "return -2 * x * (x**2 * w2 + x * w1 + b - y)")
    halved = flipped.replace("return float(2 * error * x), float(2 * error * x**2), float(2 * error)",
                             "return float(error * x), float(error * x**2), float(error)")
    assert halved.count("-2 * x *") == 1 and "float(error * x)" in halved
    return halved


@pytest.mark.parametrize("level", LEVELS)
def test_lesson_3_s_verdicts_are_the_same_with_or_without_a_hostile_lesson_1(
        level: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sandbox.ENV, level)
    alone, together = tmp_path / "alone", tmp_path / "together"
    for folder in (alone, together):
        folder.mkdir()
        (folder / "lesson3_quadratic.py").write_text(lesson3_with_mistakes(), encoding="utf-8")
    (together / "lesson1_linear.py").write_text(PATCHES, encoding="utf-8")

    def lesson3(folder: Path) -> dict[str, tuple[str, str]]:
        _, doc = grade_json(folder, "--timeout", "2")
        return {t["name"]: (t["status"], t["output"]) for t in doc["tests"] if t["name"].startswith("lesson3")}

    without, beside = lesson3(alone), lesson3(together)
    assert beside == without
    assert {name for name, (status, _) in without.items() if status == "failed"} == {
        "lesson3_quadratic.dloss_dw1", "lesson3_quadratic.gradients"}
    assert "right; your gradients is wrong" in without["lesson3_quadratic.train"][1]  # followed through
