"""Lesson 3 — a quadratic model with three parameters.

A straight line cannot follow a curve, so the model gets a squared term:
ŷ = x²·w2 + x·w1 + b, and one sample costs loss = (ŷ − y)². The recipe does
not change with more parameters: find one partial derivative per parameter,
evaluate all of them at the current point, and step every parameter against
its own derivative.
"""

from __future__ import annotations

import sympy as sp


def dloss_dw1() -> sp.Expr:
    """Partial derivative of the loss with respect to w1.

    Differentiate loss = (x²·w2 + x·w1 + b − y)² with respect to w1, treating
    x, y, w2 and b as constants. Use the symbols x, y, w1, w2, b.

    Returns:
        A sympy expression (e.g. built from ``sp.symbols("x y w1 w2 b")``) or
        a string such as ``"x*b"``. Any algebraically equal form is accepted.
    """
    # BEGIN SOLUTION
    x, y, w1, w2, b = sp.symbols("x y w1 w2 b")
    return 2 * x * (x**2 * w2 + x * w1 + b - y)
    # END SOLUTION


def dloss_dw2() -> sp.Expr:
    """Partial derivative of the loss with respect to w2 (the x² weight).

    Differentiate loss = (x²·w2 + x·w1 + b − y)² with respect to w2, treating
    the other symbols as constants. Use the symbols x, y, w1, w2, b.

    Returns:
        A sympy expression or an equivalent string (see ``dloss_dw1``).
    """
    # BEGIN SOLUTION
    x, y, w1, w2, b = sp.symbols("x y w1 w2 b")
    return 2 * x**2 * (x**2 * w2 + x * w1 + b - y)
    # END SOLUTION


def dloss_db() -> sp.Expr:
    """Partial derivative of the loss with respect to the bias b.

    Differentiate loss = (x²·w2 + x·w1 + b − y)² with respect to b, treating
    the other symbols as constants. Use the symbols x, y, w1, w2, b.

    Returns:
        A sympy expression or an equivalent string (see ``dloss_dw1``).
    """
    # BEGIN SOLUTION
    x, y, w1, w2, b = sp.symbols("x y w1 w2 b")
    return 2 * (x**2 * w2 + x * w1 + b - y)
    # END SOLUTION


def forward(x: float, w1: float, w2: float, b: float) -> float:
    """Prediction of the quadratic model: ŷ = x²·w2 + x·w1 + b.

    Returns:
        ŷ as a Python float.
    """
    # BEGIN SOLUTION
    return float(x**2 * w2 + x * w1 + b)
    # END SOLUTION


def gradients(x: float, y: float, w1: float, w2: float, b: float) -> tuple[float, float, float]:
    """The three partial derivatives of the loss, evaluated at one point.

    Plug the numbers x, y, w1, w2, b into your answers to ``dloss_dw1``,
    ``dloss_dw2`` and ``dloss_db``. Tip: all three share the factor ŷ − y,
    which ``forward`` helps you compute once.

    Returns:
        The tuple ``(g_w1, g_w2, g_b)`` of Python floats.
    """
    # BEGIN SOLUTION
    error = forward(x, w1, w2, b) - y
    return float(2 * error * x), float(2 * error * x**2), float(2 * error)
    # END SOLUTION


def train(
    xs: list[float],
    ys: list[float],
    w1: float,
    w2: float,
    b: float,
    lr: float,
    epochs: int,
) -> list[dict]:
    """Per-sample gradient descent (SGD) on the quadratic model.

    For every epoch (numbered from 0), go through the pairs (x, y) in the
    order given and, for each one:
      1. compute ``g_w1, g_w2, g_b = gradients(x, y, w1, w2, b)`` with the
         current parameters;
      2. update all three: w1 ← w1 − lr·g_w1, w2 ← w2 − lr·g_w2,
         b ← b − lr·g_b;
      3. compute the loss (ŷ − y)² of that same sample with the NEW
         parameters;
      4. append ``{"epoch": epoch, "w1": w1, "w2": w2, "b": b, "loss": loss}``.

    Returns:
        The history: one record per update, ``epochs · len(xs)`` records.
    """
    # BEGIN SOLUTION
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            g_w1, g_w2, g_b = gradients(x, y, w1, w2, b)
            w1, w2, b = w1 - lr * g_w1, w2 - lr * g_w2, b - lr * g_b
            loss = (forward(x, w1, w2, b) - y) ** 2
            history.append({"epoch": epoch, "w1": w1, "w2": w2, "b": b, "loss": loss})
    return history
    # END SOLUTION
