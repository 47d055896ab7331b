"""Hidden cases of lesson5_optimizers: never shipped to students (a release leaves this file out).

Each task's cases here run after its public ones, in a child that sees no other input; what a student
reads about them is the kit's own words.  An optimizer's hidden schedules use other shapes, three
interleaved instances, and tiny gradients (1e-9), where the place of eps in the update decides the
result; their seeds are their own."""

from __future__ import annotations

import numpy as np

from grader.checks import Case, Fn, Optimizer, case, optimizer_case
from checks.lesson5_optimizers import TASKS

PUBLIC = {t.name: max((list(c.args[0]) for c in t.cases), key=len)  # the instances of the longest public schedule
          for t in TASKS if isinstance(t.kind, Optimizer)}


def schedules(name: str, hidden: list[dict]) -> tuple[Case, ...]:
    """The four hidden schedules of optimizer ``name``, with the instances ``hidden`` (and its public ones)."""
    return (
        optimizer_case(hidden, 9, shape=(2, 2), seed=0xE150CF61FC8E8A6C,
                       label="three instances interleaved, 2×2 parameters"),
        optimizer_case(hidden[:1], 5, seed=0x434B33F6EEBB3A2B, grad_scale=1e-9, label="tiny gradients (1e-9)"),
        optimizer_case(hidden[1:2], 5, shape=(4,), seed=0x1401E6C7E55A13F9, grad_scale=1e-7,
                       label="small gradients (1e-7)"),
        optimizer_case(PUBLIC[name] + hidden, 10, shape=(1,), seed=0x48AE6D78BDE35034, grad_scale=100.0,
                       label="large gradients (100), public and hidden instances interleaved"),
    )


CASES = {
    "gradient_descent": (
        case(-2.0, 0.9, 15, label="large lr: steps overshoot the minimum"),
        case(3.0, 0.1, 5, label="start at the minimum"),
        case(10.0, 0.01, 40, label="small lr, forty iterations"),
    ),
    "SGD": schedules("SGD", [{"lr": 0.5}, {"lr": 1e-3}, {"lr": 0.05}]),
    "Momentum": schedules("Momentum", [{"lr": 0.01, "momentum": 0.99}, {"lr": 0.2}, {"lr": 0.3, "momentum": 0.0}]),
    "Adagrad": schedules("Adagrad", [{"lr": 0.1}, {"lr": 0.01, "eps": 1e-10}, {"lr": 1.0}]),
    "RMSprop": schedules("RMSprop", [{"lr": 0.01}, {"lr": 0.001, "alpha": 0.5, "eps": 1e-6}, {"alpha": 0.999}]),
    "Adam": schedules("Adam", [{"lr": 0.01}, {"lr": 0.1, "betas": (0.5, 0.9), "eps": 1e-6}, {"betas": (0.0, 0.999)}]),
    "minimize": (
        case(Fn("heavy_ball", {"lr": 1e-3, "momentum": 0.9}), Fn("rosenbrock"), np.array([-1.0, 1.0]), 12,
             label="Rosenbrock, an optimizer with state"),
        case(Fn("heavy_ball", {"lr": 0.05, "momentum": 0.8}),
             Fn("quadratic", {"A": [[2.0, -0.75], [-0.75, 1.5]], "b": [-0.5, 2.5]}), np.array([4.0, 4.0]), 7,
             label="a quadratic with negative coupling"),
    ),
}
