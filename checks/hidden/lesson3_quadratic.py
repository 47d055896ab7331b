"""Hidden cases of lesson3_quadratic: never shipped to students (a release leaves this file out).

Each task's cases here run after its public ones, in a child that sees no other input; what a student
reads about them is the kit's own words."""

from __future__ import annotations

from grader.checks import case
from checks.lesson3_quadratic import *  # noqa: F403 - the public data these cases build on

CASES = {
    "forward": (
        case(1.5, -2.0, 0.25, 0.125),
        case(-3.0, 0.5, -1.0, 2.0),
    ),
    "gradients": (
        case(0.5, 3.0, -2.0, 4.0, 1.0),
        case(3.0, 10.0, 1.0, 1.0, 1.0),
    ),
    "train": (
        case([2.0, -2.0, 1.0, -1.0, 0.5], [4.5, 3.0, 1.2, 0.1, 0.3], 0.3, 0.2, -0.1, 0.01, 4),
        case([1.0, 2.0], [1.0, -1.0], 0.0, 0.5, 0.0, 0.1, 8),
    ),
}
