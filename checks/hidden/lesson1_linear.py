"""Hidden cases of lesson1_linear: never shipped to students (a release leaves this file out).

Each task's cases here run after its public ones, in a child that sees no other input; what a student
reads about them is the kit's own words."""

from __future__ import annotations

from grader.checks import case
from checks.lesson1_linear import *  # noqa: F403 - the public data these cases build on

CASES = {
    "forward": (
        case(3.25, -2.5),
        case(1e-3, 1e3),
    ),
    "loss": (
        case(2.5, -1.0, 3.0),
        case(0.1, 0.3, -7.0),
    ),
    "gradient": (
        case(-1.5, 2.0, 0.75),
        case(0.5, 0.1, -2.0),
        case(4.0, 1.0, 0.25),
    ),
    "train": (
        case([0.5, -1.0, 2.0, 1.5, -0.5], [1.2, -2.1, 3.9, 3.2, -0.8], -0.5, 0.05, 3),
        case([2.0], [-3.0], 4.0, 0.1, 7),
        case([1.0, 3.0, -2.0], [0.5, 1.0, -1.5], 0.0, 0.002, 12),
    ),
}
