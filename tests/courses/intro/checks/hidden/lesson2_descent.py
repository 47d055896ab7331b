"""Hidden cases of lesson 2: never shipped to students (a release leaves this file out)."""

from __future__ import annotations

from grader.checks import case

CASES = {
    "gradients": (
        case([0.5, 1.5, -1.0], [2.0, -1.0, 0.5], 1.25, 0.75),
    ),
    "fit": (
        case([-1.0, 0.0, 2.0, 4.0], [3.0, 1.5, -0.5, -3.0], 0.0, 1.0, 0.02, 6),
    ),
}
