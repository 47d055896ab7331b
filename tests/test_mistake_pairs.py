"""Two mistakes made together are named as both, through ``grade check``, when no single one explains the trace.

Each folder of ``tests/students/<lesson>/`` is one student's file: ``<a>_and_<b>/``
makes both mistakes, ``<a>/`` only one of them (see tests/test_mistakes.py).
"""

from __future__ import annotations

import pytest

from conftest import ROOT, grade

STUDENTS = ROOT / "tests" / "students"
L2, L3, L5 = "lesson2_two_weights", "lesson3_quadratic", "lesson5_optimizers"

PAIRS = [  # (lesson, folder, task, the summary the student reads, the first words of each hint)
    (L2, "sequential_update_and_loss_before_update", "train",
     "two mistakes: sequential update and loss before update",
     ("w2 is updated with a derivative computed from the new w1", "the loss is recorded before the update")),
    (L3, "sequential_update_and_loss_before_update", "train",
     "two mistakes: sequential update and loss before update",
     ("each parameter is updated with derivatives computed from the ones already updated",
      "the loss is recorded before the update")),
    (L5, "bias_correction_off_by_one_and_eps_inside_sqrt", "Adam",
     "two mistakes: bias correction off by one and eps inside sqrt",
     ("the bias correction is one step ahead", "eps is added inside the square root")),
]

SINGLES = [  # (lesson, folder, task, the one mistake it must be named): a part of a pair, made alone
    (L2, "sequential_update", "step", "sequential update"),  # its train calls step: followed through, right
    (L2, "loss_before_update", "train", "loss before update"),
    (L3, "sequential_update", "train", "sequential update"),
    (L3, "loss_before_update", "train", "loss before update"),
    (L5, "bias_correction_off_by_one", "Adam", "bias correction off by one"),
    (L5, "eps_inside_sqrt", "Adam", "eps inside sqrt"),
]


@pytest.mark.parametrize(("lesson", "folder", "task", "summary", "hints"), PAIRS)
def test_both_mistakes_are_named_with_both_hints(lesson: str, folder: str, task: str, summary: str,
                                                 hints: tuple[str, str]) -> None:
    result = grade("check", str(STUDENTS / lesson / folder), "-k", f"{lesson}.{task}")
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if line.split()[:2] == ["FAIL", task])
    assert line.endswith(f"[{summary}]")
    first, second = hints
    assert f"        {first}" in result.stdout and f"; and {second}" in result.stdout


@pytest.mark.parametrize(("lesson", "folder", "task", "summary"), SINGLES)
def test_one_mistake_alone_is_named_alone(lesson: str, folder: str, task: str, summary: str) -> None:
    result = grade("check", str(STUDENTS / lesson / folder), "-k", f"{lesson}.{task}")
    assert result.exit_code == 1 and f"[{summary}]" in result.stdout and "two mistakes" not in result.stdout


def test_course_self_test_still_holds() -> None:
    result = grade("course", "test", "--course", str(ROOT))
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (0, "every check holds"), result.stdout
