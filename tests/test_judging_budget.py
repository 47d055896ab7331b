"""Judging one task is bounded in CPU, whatever the student's code returned.

A history far longer than the reference's is judged by its length at once, with no
diagnosis (a forged 300k-record history cost 10 s of grader CPU in the shuffled-order
search); any other diagnosis stops after its budget of CPU time and the plain verdict
stands.  Through the judges' Python API.
"""

from __future__ import annotations

import time
from typing import Any

from grader.courses import builtin
from grader.diagnosis import diagnose
from grader.reference import Reference

LESSONS = builtin().lessons

REFERENCE = Reference(builtin())
LESSON1, LESSON4 = LESSONS["lesson1_linear"], LESSONS["lesson4_regression"]


def judged(lesson: Any, name: str, values: list[Any], seconds: float = 2.0) -> Any:
    """The verdict on ``values`` for case 0 of the task, with its diagnosis within ``seconds``."""
    task = lesson.task(name)
    verdict = task.kind.judge(REFERENCE.expected(lesson, task, 0), values, name, task.cases[0])
    return verdict if verdict.passed else diagnose(verdict, lesson, task, 0, values, REFERENCE, seconds)


def each_epoch_reversed(lesson: Any, name: str, records: int) -> list[dict[str, Any]]:
    """The right history, each epoch in reverse sample order, repeated to ``records`` records."""
    task = lesson.task(name)
    history, samples = REFERENCE.expected(lesson, task, 0)[0], len(task.cases[0].args[0])
    epochs = [history[i:i + samples][::-1] for i in range(0, len(history), samples)]
    shuffled = [record for epoch in epochs for record in epoch]
    return (shuffled * (records // len(shuffled) + 1))[:records]


def test_a_history_far_longer_than_the_reference_is_judged_by_its_length_without_diagnosis() -> None:
    for lesson, name, right in ((LESSON1, "train", 20), (LESSON4, "sgd", 18)):
        history = each_epoch_reversed(lesson, name, 300_000)
        start = time.process_time()
        verdict = judged(lesson, name, [history])
        assert time.process_time() - start < 3.0
        assert (verdict.summary, verdict.mistake) == ("wrong number of records", None)  # not "shuffled"
        assert f"300000 records, expected {right}: one per update" in verdict.details


def test_the_same_order_of_visits_in_a_history_of_the_right_length_is_named() -> None:
    verdict = judged(LESSON1, "train", [each_epoch_reversed(LESSON1, "train", 20)])
    assert (verdict.summary, verdict.mistake) == ("shuffled", "shuffled")


def test_a_diagnosis_stops_when_its_budget_is_spent_and_the_plain_verdict_stands() -> None:
    task = LESSON1.task("train")
    ascent = next(values for mistake, values in REFERENCE.mistakes(LESSON1, task, 0) if mistake.id == "ascent")
    assert judged(LESSON1, "train", ascent).mistake == "ascent"
    cut = judged(LESSON1, "train", ascent, seconds=0.0)
    assert (cut.summary, cut.mistake, cut.hint) == ("first differs at epoch 0, sample 1", None, "")
