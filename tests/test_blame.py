"""A malformed result is the student's failure, said as such: never a crash, a raised error or a grader error.

Graded through ``grade check``: a ``numpy.longdouble`` (no plain number to send), an
integer too large for a float, and answers forged on the child's own channel (no
values at all, a number too large to read).  Through the Python API, every task of
the course judges forged values without raising.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import by_task, grade_json
from grader import wire
from grader.courses import builtin
from grader.grading import judge_case
from grader.reference import Reference

LESSONS = builtin().lessons

RETURNS = '''import numpy as np


def forward(x, w):
    return np.longdouble(x * w)


def loss(x, y, w):
    return 10 ** 5000


def gradient(x, y, w):
    return [1.0, np.longdouble(2.0)]
'''

# Finds the child's answer channel in the frames above the student's call and answers the case with
# forged values, then leaves before the real answer is written.
FORGES = '''import os
import sys


def forged(values):
    frame = sys._getframe()
    while frame is not None:
        here = frame.f_locals
        if callable(here.get("send")) and {"nonce", "t", "c"} <= here.keys():
            here["send"]({"id": here["nonce"], "task": here["t"], "case": here["c"], "ok": True, "values": values})
            os._exit(0)
        frame = frame.f_back
    raise RuntimeError("no answer channel found")


def forward(x, w):
    forged([])


def loss(x, y, w):
    forged([{"$bigint": "9" * 400}])


def dloss_dw():
    forged([])


def train(xs, ys, w, lr, epochs):
    forged([[], []])
'''


def outputs(folder: Path, *tasks: str) -> dict[str, dict[str, Any]]:
    """The results.json tests of ``grade check`` on ``tasks`` of lesson 1, by task."""
    code, document = grade_json(folder, *(arg for task in tasks for arg in ("-k", task)))
    assert code == 1
    return {name.split(".")[1]: test for name, test in by_task(document).items()}


def test_a_long_double_says_the_grader_cannot_check_its_type(tmp_submission) -> None:
    tests = outputs(tmp_submission(RETURNS), "forward", "gradient")
    for task in ("forward", "gradient"):  # alone, and inside a list
        assert tests[task]["status"] == "failed"
        assert "result cannot be checked" in tests[task]["output"]
        assert ("returned a numpy.longdouble, which the grader cannot check: return a float or a float64 array"
                in tests[task]["output"])
        assert "exit" not in tests[task]["output"]


def test_an_integer_too_large_for_a_float_is_too_large_to_check(tmp_submission) -> None:
    output = outputs(tmp_submission(RETURNS), "loss")["loss"]["output"]
    assert "loss(1.0, 2.0, 1.0): returned a number too large to check (an integer of about 5001 digits)" in output
    assert "ValueError" not in output


@pytest.mark.parametrize("task", ["forward", "loss", "dloss_dw", "train"])
def test_forged_values_are_the_students_failure(tmp_submission, task: str) -> None:
    result = outputs(tmp_submission(FORGES), task)[task]
    assert result["status"] == "failed" and result["score"] == 0
    assert "result cannot be checked" in result["output"]
    assert "returned something the grader could not read" in result["output"]
    assert "grader error" not in result["output"] and "not your fault" not in result["output"]


def test_the_encoder_refuses_what_json_cannot_carry_and_the_decoder_what_it_would_not_send() -> None:
    with pytest.raises(wire.WireError, match="numpy.longdouble"):
        wire.encode({"w": np.longdouble(1.0)})
    with pytest.raises(wire.WireError, match="too large to check"):
        wire.encode(-(2 ** 1023))
    assert wire.decode(wire.encode(2 ** 1023 - 1)) == 2 ** 1023 - 1
    for forged in ("9" * 400, "1e5", "٣", 12, "-"):
        with pytest.raises(wire.WireError):
            wire.decode({"$bigint": forged})


REFERENCE = Reference(builtin())
FORGED = [None, True, 2 ** 62, 1e308, float("nan"), "x", wire.Opaque("T", "t"), wire.SympyText("x*"),
          np.array([]), np.array(-7.25), np.array([True]), np.zeros((0, 3)), np.uint64(2 ** 64 - 1),
          {}, {1: 2}, [], [[]], (), [None] * 3, [{"w": None}] * 3]


@pytest.mark.parametrize("lesson", list(LESSONS.values()), ids=list(LESSONS))
def test_every_task_judges_forged_values_as_a_failure_without_raising(lesson) -> None:
    for task in lesson.tasks:
        expected = REFERENCE.expected(lesson, task, 0)
        forged = [[], expected + [None], *([value] * len(expected) for value in FORGED)]
        for values in forged:
            verdict = judge_case(lesson, task, 0, values, REFERENCE)
            assert not verdict.passed, (task.name, values)
    assert judge_case(lesson, lesson.tasks[0], 0, [], REFERENCE).summary == "result cannot be checked"
