"""Fixture submissions for lesson 1, each graded through the real CLI with its expected verdicts.

Each folder in tests/submissions/ is named for what it is; the table gives, per
task, the status and a piece of the feedback the student must see, and NOTES
what the lesson's note says of a file that could not be loaded (said once).
"""

from __future__ import annotations

import pytest

from conftest import SUBMISSIONS, by_task, grade_json

P, F = "passed", "failed"

EXPECTED = {
    "wrong_sign_gradient": {
        "forward": (P, ""), "loss": (P, ""),
        "gradient": (F, "gradient(3.0, 6.0, 1.0984): expected -16.2288, got 16.2288"),
        "dloss_dw": (F, "sign"),
        # follow-through: the loop is right, with the right gradient in place of the student's
        "train": (P, "Your `train` is right; it used your `gradient`, which is wrong (see gradient)"),
    },
    "loss_before_update": {
        "forward": (P, ""), "loss": (P, ""), "gradient": (P, ""), "dloss_dw": (P, ""),
        "train": (F, "loss expected 0.9604, got 1.0"),
    },
    "hangs_in_train": {
        "forward": (P, ""), "loss": (P, ""), "gradient": (P, ""), "dloss_dw": (P, ""),
        "train": (F, "timed out after 1 s"),
    },
    "syntax_error": {  # a syntax error costs only its block: forward still runs
        "forward": (P, ""),
        "loss": (F, "Python could not read loss: line 5 has a syntax error (expected ':'), so the block it is in "
                    "was skipped; see the note on this file"),
        **{task: (F, f"{task} is not defined in your file") for task in ("gradient", "dloss_dw", "train")},
    },
    "string_answers": {
        "forward": (P, ""), "loss": (P, ""), "gradient": (P, ""), "dloss_dw": (P, ""), "train": (P, ""),
    },
    "sympy_answers": {
        "forward": (P, ""), "loss": (P, ""),
        "gradient": (F, "expected -16.2288, got -8.1144"),
        "dloss_dw": (P, ""),
        "train": (F, "0 records, expected 20: one per update, 5 epochs × 4 samples"),
    },
    "notebook": {
        "forward": (P, ""), "loss": (P, ""), "gradient": (P, ""), "dloss_dw": (P, ""), "train": (P, ""),
    },
    "bad_notebook": {
        task: (F, "your file could not be loaded: see the note on this file")
        for task in ("forward", "loss", "gradient", "dloss_dw", "train")
    },
    "raises_in_gradient": {
        "forward": (P, ""), "loss": (P, ""),
        "gradient": (F, "raised ValueError: math domain error"),
        "dloss_dw": (F, "None"),
        "train": (F, "should return a list with one record per step, got a str"),
    },
}

NOTES = {"syntax_error": "lesson1_linear: line 5: SyntaxError: expected ':'",
         "bad_notebook": "lesson1_linear: lesson1_linear.ipynb is not a valid notebook"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_submission_verdicts(name):
    code, doc = grade_json(SUBMISSIONS / name, "--timeout", "1")
    tests = by_task(doc)
    for task, (status, needle) in EXPECTED[name].items():
        test = tests[f"lesson1_linear.{task}"]
        assert test["status"] == status, (task, test["output"])
        assert needle in test["output"], (task, test["output"])
    assert code == (0 if all(s == P for s, _ in EXPECTED[name].values()) else 1)
    if name in NOTES:
        assert doc["output"].count(NOTES[name]) == 1, doc["output"]


def test_traceback_shows_only_the_students_frames():
    _, doc = grade_json(SUBMISSIONS / "raises_in_gradient", "-k", "gradient")
    output = doc["tests"][0]["output"]
    assert "line 13, in helper" in output and "line 17, in gradient" in output
    assert "grader" not in output.replace("raises_in_gradient", "")


def test_hang_is_killed_and_the_next_tasks_still_graded():
    _, doc = grade_json(SUBMISSIONS / "hangs_in_train", "--timeout", "1", "-k", "train", "-k", "forward")
    tests = by_task(doc)
    assert tests["lesson1_linear.train"]["status"] == F
    assert tests["lesson1_linear.forward"]["status"] == P
