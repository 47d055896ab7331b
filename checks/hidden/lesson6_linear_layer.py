"""Hidden cases of lesson6_linear_layer: never shipped to students (a release leaves this file out).

Each task's cases here run after its public ones, in a child that sees no other input; what a student
reads about them is the kit's own words."""

from __future__ import annotations

import numpy as np
from grader.checks import case
from checks.lesson6_linear_layer import *  # noqa: F403 - the public data these cases build on

HIDDEN = np.random.default_rng(0xC432B0A8EE3AB2E1)
HW13, HB1 = HIDDEN.normal(size=(1, 3)), HIDDEN.normal(size=1)
HX3, HT1 = HIDDEN.normal(size=3), HIDDEN.normal(size=1)
HW24, HB2 = HIDDEN.uniform(-0.5, 0.5, size=(2, 4)), HIDDEN.uniform(0.5, 1.5, size=2)
HX4 = np.sqrt(HIDDEN.dirichlet(np.ones(4)))
HT2 = HIDDEN.uniform(-1.0, 1.0, size=2)

CASES = {
    "linear_forward": (
        case(HX3, HW13, HB1, label="3 inputs, 1 output"),
    ),
    "mse_loss": (
        case(np.array([2.0]), HT1, label="one output"),
    ),
    "linear_backward": (
        case(HX3, HW13 @ HX3 + HB1, HT1, label="3 inputs, 1 output"),
    ),
    "train_linear": (
        case(HX3, HT1, HW13, HB1, 0.3, 8, label="3 inputs, 1 output, eight steps"),
        case(HX4, HT2, HW24, HB2, 0.5, 5, label="4 inputs, 2 outputs, large lr"),
    ),
}
