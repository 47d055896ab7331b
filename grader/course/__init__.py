"""The course: one module of check declarations per lesson, in lesson order."""

from __future__ import annotations

from typing import Iterator, Sequence

from grader.checks import Lesson, Task, selected
from grader.course import (lesson1_linear, lesson2_two_weights, lesson3_quadratic, lesson4_regression,
                           lesson5_optimizers, lesson6_linear_layer)

LESSONS: dict[str, Lesson] = {m.LESSON.name: m.LESSON for m in (
    lesson1_linear, lesson2_two_weights, lesson3_quadratic, lesson4_regression, lesson5_optimizers,
    lesson6_linear_layer)}
BY_NUMBER: dict[int, str] = {lesson.number: name for name, lesson in LESSONS.items()}


def selected_tasks(names: Sequence[str] = ()) -> Iterator[tuple[Lesson, Task]]:
    """Every task of the course that the ``-k`` patterns ``names`` select (all of them for none), in course order."""
    for lesson in LESSONS.values():
        for task in lesson.tasks:
            if selected(names, lesson, task):
                yield lesson, task
