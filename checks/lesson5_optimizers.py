"""Lesson 5 checks: gradient descent on (theta − 3)², the torch.optim update rules, and minimize."""

from __future__ import annotations

import numpy as np
import sympy

from grader.checks import (Case, Fn, History, Optimizer, Task, case, derivative, optimizer_case,
                           per_iteration)
from grader.diagnosis import Mistake, ascent, both, epochs_off, lr_scaled, shared_state, variant

theta = sympy.Symbol("theta")
OPT = Optimizer()


def optimizer_task(name: str, points: float, title: str, public: list[dict],
                   mistakes: tuple[Mistake, ...] = (), first: tuple[Case, ...] = ()) -> Task:
    """An optimizer class checked on two public schedules, after the cases ``first`` (and four hidden ones, in
    checks/hidden/)."""
    return Task(name, points, title, OPT, (
        *first,
        optimizer_case(public, 6, seed=1),
        optimizer_case(public[:1], 4, shape=(2,), seed=2),
    ), mistakes, near_misses=NEAR_MISS_CAUSES.get(name, ()))


EPS_CAUSES = ("eps of another value (PyTorch's default is 1e-8, 1e-10 for Adagrad)",
              "eps in another place (it is added after the square root)")
NEAR_MISS_CAUSES = {  # an optimizer's usual causes of a small error (the kit's own for the others)
    "Adagrad": (*EPS_CAUSES, "float32 instead of float64"),
    "RMSprop": (*EPS_CAUSES, "float32 instead of float64"),
    "Adam": (*EPS_CAUSES, "a missing bias correction",
             "the bias correction off by one step (t counts the steps taken, this one included)",
             "float32 instead of float64"),
}


def eps_inside_sqrt(name: str, root: str) -> Mistake:
    """eps added under the square root of ``root`` (the variant ``<name>EpsInsideSqrt``)."""
    return variant("eps_inside_sqrt", f"{name}EpsInsideSqrt",
                   f"eps is added inside the square root: take the root of {root} first, then add eps")


# First, so that it decides: with eps as large as the gradients, where eps goes changes every step, so eps
# inside the root, the bias correction off by one step, and both, give three different traces.
LARGE_EPS = optimizer_case([{"lr": 0.05, "eps": 0.1}], 2, seed=3, grad_scale=0.1, label="large eps, small gradients")

QUADRATIC = Fn("quadratic", {"A": [[3.0, 0.5], [0.5, 1.0]], "b": [1.0, -2.0]})

TASKS = (
    Task("dloss_dtheta", 2, "dloss_dtheta() is the derivative of (theta − 3)² in theta",
         derivative((theta - 3) ** 2, theta, "theta")),
    Task("gradient_descent", 2, "gradient_descent(theta, lr, iterations) lists theta after each iteration",
         History(None, per_iteration("iterations")), (
        case(0, 0.1, 100, label="seed data"), case(5.0, 0.3, 20),
    ), mistakes=(
        ascent(lr=1),
        variant("starting_point_recorded", "gradient_descent_before_update",
                "your list starts with the starting theta: record theta after each update, not before it"),
        variant("starting_point_recorded", "gradient_descent_with_start",
                "your list has the starting theta in front: list only the thetas after each iteration"),
        *epochs_off(epochs=2, what="iteration"), *lr_scaled(lr=1),
    )),
    optimizer_task("SGD", 2, "SGD(lr).step(params, grads) returns p − lr·g",
                   [{"lr": 0.1}, {"lr": 0.01}]),
    optimizer_task("Momentum", 3, "Momentum(lr, momentum) follows torch.optim.SGD with momentum",
                   [{"lr": 0.1}, {"lr": 0.05, "momentum": 0.5}], (
        variant("momentum_dampening", "MomentumDampened",
                "your buffer averages the gradients, with a factor (1 − momentum) on g: PyTorch's momentum adds "
                "the whole gradient (no dampening)"),
        variant("momentum_dampening", "MomentumDampenedAfterFirst",
                "after the first step your buffer scales the gradient by (1 − momentum): PyTorch's momentum adds "
                "the whole gradient on every step (no dampening)"),
        *shared_state("MomentumSharedState"))),
    optimizer_task("Adagrad", 3, "Adagrad(lr, eps) follows torch.optim.Adagrad",
                   [{}, {"lr": 0.5, "eps": 1e-6}],
                   (eps_inside_sqrt("Adagrad", "the sum"), *shared_state("AdagradSharedState"))),
    optimizer_task("RMSprop", 3, "RMSprop(lr, alpha, eps) follows torch.optim.RMSprop",
                   [{}, {"lr": 0.05, "alpha": 0.9}],
                   (eps_inside_sqrt("RMSprop", "v"), *shared_state("RMSpropSharedState"))),
    optimizer_task("Adam", 4, "Adam(lr, betas, eps) follows torch.optim.Adam",
                   [{}, {"lr": 0.01, "betas": (0.8, 0.99)}], (
        variant("no_bias_correction", "AdamNoBiasCorrection",
                "m and v are used as they are: apply the bias correction (it undoes their pull towards 0 in the "
                "first steps) before the update"),
        off_by_one := variant("bias_correction_off_by_one", "AdamBiasOffByOne",
                              "the bias correction is one step ahead: divide by 1 − betaᵗ with t the number of steps "
                              "taken, this one included (t = 1 on the first step)"),
        eps_inside := eps_inside_sqrt("Adam", "v̂"), *shared_state("AdamSharedState"),
        both(off_by_one, eps_inside, "AdamBiasOffByOneEpsInsideSqrt"),
    ), first=(LARGE_EPS,)),
    Task("minimize", 3, "minimize(optimizer, grad_fn, x0, steps) lists the parameters after each step",
         History(None, per_iteration("steps", "step")), (
        case(Fn("heavy_ball", {"lr": 0.1, "momentum": 0.5}), QUADRATIC, np.array([1.0, -1.0]), 10),
        case(Fn("heavy_ball", {"lr": 0.2}), Fn("square_distance", {"target": [3.0]}), np.array([0.0]), 5),
    ), mistakes=(
        variant("starting_point_recorded", "minimize_before_update",
                "your list starts with x0: record the parameters after each step, not before it"),
        variant("starting_point_recorded", "minimize_with_start",
                "your list has x0 in front: list only the parameters after each step"),
        *epochs_off(epochs=3, what="step"),
    )),
)
