"""Hidden cases of lesson4_regression: never shipped to students (a release leaves this file out).

Each task's cases here run after its public ones, in a child that sees no other input; what a student
reads about them is the kit's own words."""

from __future__ import annotations

from grader.checks import case
from checks.lesson4_regression import *  # noqa: F403 - the public data these cases build on

HX5, HY5, HW5 = problem(0xD77D5CF76D5852EA, 5, 1)
HX6, HY6, HW6 = problem(0xB0B39297F53361C6, 6, 2)
HX7, HY7, HW7 = problem(0xAEBD28A03E4CADCF, 7, 3)
HX9, HY9, HW9 = problem(0xB66C56A797401A58, 9, 4, noise=0.5)

CASES = {
    "predict": (
        case(HX7, HW7, 0.0, label="7 rows, 3 features, b = 0"),
        case(HX9, HW9, 2.5, label="9 rows, 4 features"),
    ),
    "mse": (
        case(HX7, HY7, HW7, 0.0, label="7 rows, 3 features, b = 0"),
        case(HX9, HY9, HW9, 2.5, label="9 rows, 4 features, noisy targets"),
    ),
    "mse_gradients": (
        case(HX7, HY7, HW7, 0.0, label="7 rows, 3 features, b = 0"),
        case(HX9, HY9, HW9, 2.5, label="9 rows, 4 features, noisy targets"),
    ),
    "ridge_gradients": (
        case(HX7, HY7, HW7, 0.3, 0.5, label="7 rows, strong penalty lam = 0.5"),
        case(HX9, HY9, HW9 + 1.0, 2.5, 0.01, label="9 rows, large weights, weak penalty"),
    ),
    "batch_gd": (
        case(HX7, HY7, HW7, 0.2, 0.3, 6, label="7 rows, 3 features, large lr"),
        case(HX9, HY9, HW9, -0.5, 0.01, 12, label="9 rows, small lr, twelve epochs"),
    ),
    "sgd": (
        case(HX7, HY7, HW7, 0.2, 0.02, 4, label="7 rows, 3 features, four epochs"),
        case(HX9, HY9, HW9, -0.5, 0.03, 2, label="9 rows, 4 features, negative b"),
    ),
    "minibatch_gd": (
        case(HX7, HY7, HW7, 0.2, 0.1, 3, 3, label="N = 7 not divisible by the batch size 3"),
        case(HX5, HY5, HW5, 1.0, 0.2, 4, 2, label="N = 5 not divisible by the batch size 2"),
        case(HX6, HY6, HW6, 0.5, 0.1, 2, 6, label="one batch of all 6 rows"),
    ),
    "max_stable_lr": (
        case(HX7, label="7 rows, 3 features"),
        case(HX9, label="9 rows, 4 features"),
        case(3.0 * HX6 + 1.0, label="features with a non-zero mean"),
    ),
}
