"""The course: one module of check declarations per lesson, in lesson order."""

from __future__ import annotations

from grader.checks import Lesson
from grader.course import (lesson1_linear, lesson2_two_weights, lesson3_quadratic, lesson4_regression,
                           lesson5_optimizers, lesson6_linear_layer)

LESSONS: dict[str, Lesson] = {m.LESSON.name: m.LESSON for m in (
    lesson1_linear, lesson2_two_weights, lesson3_quadratic, lesson4_regression, lesson5_optimizers,
    lesson6_linear_layer)}
BY_NUMBER: dict[int, str] = {lesson.number: name for name, lesson in LESSONS.items()}
