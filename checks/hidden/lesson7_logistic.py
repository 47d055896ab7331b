"""Hidden cases of lesson7_logistic: never shipped to students (a release leaves this file out).

Each task's cases here run after its public ones, in a child that sees no other input; what a student
reads about them is the kit's own words.  Their data is drawn from seeds that only this file holds."""

from __future__ import annotations

import numpy as np

from grader.checks import case
from checks.lesson7_logistic import *  # noqa: F403 - the public data these cases build on

HX12, HY12, HW12 = problem(0x9E3779B97F4A7C15, 12, 2)
HX14, HY14, HW14 = problem(0xC2B2AE3D27D4EB4F, 14, 3)
HX13, HY13, HW13 = problem(0x244CAF9C4DABB481, 13, 2)
_far = np.random.default_rng(0xD6E8FEB86659FD93)
HZ = _far.uniform(-1000.0, 1000.0, size=9)
HXF = _far.uniform(-1.0, 1.0, size=(12, 2)) * [400.0, 3.0]
HYF = (_far.random(12) < 0.5).astype(float)
HWF = np.array([2.5, -1.0])

CASES = {
    "sigmoid": (
        case(-3.7, label="a float below 0"),
        case(HZ, label="an array, |z| up to 1000"),
        case(-714.25, label="a float where exp(−z) overflows"),
        case(HZ.reshape(3, 3), label="a 3 × 3 array, |z| up to 1000"),
    ),
    "cross_entropy": (
        case(HX12, HY12, HW12, -0.2, label="12 examples, 2 features"),
        case(HXF, HYF, HWF, 0.75, label="12 examples, |z| up to 1000"),
    ),
    "gradients": (
        case(HX14, HY14, HW14, 0.3, label="14 examples, 3 features"),
        case(HXF, HYF, HWF, 0.75, label="12 examples, |z| up to 1000"),
    ),
    "train": (
        case(HX12, HY12, HW12, 0.1, 0.8, 240, 5e-4, label="stops early"),
        case(HX14, HY14, HW14, -0.1, 0.3, 6, 1e-7, label="runs to max_epochs"),
        case(HX13, HY13, HW13, 0.0, 8.0, 25, 5e-3, label="the loss goes up"),
    ),
    "predict": (
        case(HX14, HW14, -0.05, label="14 examples, 3 features"),
        case(HXF, HWF, 0.75, label="|z| up to 1000"),
    ),
}
