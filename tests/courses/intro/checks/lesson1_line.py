"""Lesson 1 checks: the line ŷ = w·x + b and the derivative of its squared error with respect to b."""

from __future__ import annotations

import sympy

from grader.checks import Task, Value, case, derivative

x, y, w, b = sympy.symbols("x y w b")

TASKS = (
    Task("predict", 1, "predict(x, w, b) returns the prediction w·x + b", Value(), (
        case(2.0, 3.0, 1.0), case(-1.5, 4.0, 0.5), case(0.0, 7.0, -2.0),
    )),
    Task("dloss_db", 2, "dloss_db() is the derivative ∂loss/∂b in x, y, w, b",
         derivative((w * x + b - y) ** 2, b, "x y w b")),
)
