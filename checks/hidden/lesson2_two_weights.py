"""Hidden cases of lesson2_two_weights: never shipped to students (a release leaves this file out).

Each task's cases here run after its public ones, in a child that sees no other input; what a student
reads about them is the kit's own words."""

from __future__ import annotations

from grader.checks import case
from checks.lesson2_two_weights import *  # noqa: F403 - the public data these cases build on

CASES = {
    "step": (
        case(0.25, 0.5, 3.0, -2.0, 0.5, label="large lr, negative w2"),
        case(3.0, 3.0, 1.0, 0.0, 0.01, label="prediction equal to the target: no change"),
        case(-2.0, -5.0, 2.5, 1.5, 0.125, label="negative x and y"),
    ),
    "train": (
        case([2.0, -0.5, 1.0, 0.0, 3.0], [-1.0, 0.75, 0.3, 0.2, -2.5], 0.4, 0.6, 0.05, 6,
             label="five samples, one with x = 0"),
        case([1.0], [10.0], -3.0, 2.0, 0.2, 9, label="one sample, large lr"),
    ),
}
