"""Hidden cases of lesson1_linear: never shipped to students (a release leaves this file out).

Each task's cases here run after its public ones, in a child that sees no other input; what a student
reads about them is the kit's own words."""

from __future__ import annotations

from grader.checks import case
from checks.lesson1_linear import *  # noqa: F403 - the public data these cases build on

CASES = {
    "forward": (
        case(3.25, -2.5, label="negative weight"),
        case(1e-3, 1e3, label="tiny x, large weight"),
    ),
    "loss": (
        case(2.5, -1.0, 3.0, label="negative target"),
        case(0.1, 0.3, -7.0, label="negative weight"),
    ),
    "gradient": (
        case(-1.5, 2.0, 0.75, label="negative x"),
        case(0.5, 0.1, -2.0, label="negative weight"),
        case(4.0, 1.0, 0.25, label="prediction equal to the target: zero gradient"),
    ),
    "train": (
        case([0.5, -1.0, 2.0, 1.5, -0.5], [1.2, -2.1, 3.9, 3.2, -0.8], -0.5, 0.05, 3,
             label="five samples of both signs, negative start"),
        case([2.0], [-3.0], 4.0, 0.1, 7, label="one sample, seven epochs"),
        case([1.0, 3.0, -2.0], [0.5, 1.0, -1.5], 0.0, 0.002, 12, label="small lr, twelve epochs"),
    ),
}
