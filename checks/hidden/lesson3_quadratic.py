"""Hidden cases of lesson3_quadratic: never shipped to students (a release leaves this file out).

Each task's cases here run after its public ones, in a child that sees no other input; what a student
reads about them is the kit's own words."""

from __future__ import annotations

from grader.checks import case
from checks.lesson3_quadratic import *  # noqa: F403 - the public data these cases build on

CASES = {
    "forward": (
        case(1.5, -2.0, 0.25, 0.125, label="negative w1"),
        case(-3.0, 0.5, -1.0, 2.0, label="negative x: x² and x differ in sign"),
    ),
    "gradients": (
        case(0.5, 3.0, -2.0, 4.0, 1.0, label="x below 1: x² smaller than x"),
        case(3.0, 10.0, 1.0, 1.0, 1.0, label="x = 3: the x² term dominates"),
    ),
    "train": (
        case([2.0, -2.0, 1.0, -1.0, 0.5], [4.5, 3.0, 1.2, 0.1, 0.3], 0.3, 0.2, -0.1, 0.01, 4,
             label="five samples, x of both signs, negative b"),
        case([1.0, 2.0], [1.0, -1.0], 0.0, 0.5, 0.0, 0.1, 8, label="two samples, large lr, eight epochs"),
    ),
}
