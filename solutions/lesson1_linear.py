"""Lesson 1: find the weight w that makes the loss as small as possible.

The model has one weight: it predicts ŷ = x·w. For one sample (x, y) the loss is
the squared error (ŷ − y)². Training means nudging w, one sample at a time,
against the slope of the loss: w ← w − lr · ∂loss/∂w. You will write the model,
the loss, its derivative (by hand, then as a symbolic answer) and the loop.
"""

from __future__ import annotations

import sympy as sp


def forward(x: float, w: float) -> float:
    """Predict ŷ for the input x with the weight w.

    Formula: ŷ = x · w
    Return a float.
    """
    # BEGIN SOLUTION
    return x * w
    # END SOLUTION


def loss(x: float, y: float, w: float) -> float:
    """Squared error of the prediction for one sample (x, y).

    Formula: loss = (ŷ − y)²  with ŷ = forward(x, w)
    Return a float.
    """
    # BEGIN SOLUTION
    y_pred = forward(x, w)
    return (y_pred - y) * (y_pred - y)
    # END SOLUTION


def gradient(x: float, y: float, w: float) -> float:
    """Slope of the loss with respect to w, at the point (x, y, w).

    Differentiate loss = (x·w − y)² by hand with the chain rule, then return
    the value of that derivative for these numbers, as a float.
    A positive slope means increasing w increases the loss.
    """
    # BEGIN SOLUTION
    return 2 * x * (x * w - y)
    # END SOLUTION


def dloss_dw():
    """The derivative ∂loss/∂w of loss = (x·w − y)², as a formula.

    Write it in the symbols x, y and w. Return either a sympy expression
    (build it from sympy.symbols("x y w")) or a string such as "x*w + y".
    Any algebraically equal form is accepted; do not call sympy.diff.
    """
    # BEGIN SOLUTION
    x, y, w = sp.symbols("x y w")
    return 2 * x * (x * w - y)
    # END SOLUTION


def train(xs: list[float], ys: list[float], w: float, lr: float, epochs: int) -> list[dict]:
    """Train w by stochastic gradient descent, one sample at a time, in data order.

    For each epoch (0, 1, ..., epochs − 1), for each (x, y) in zip(xs, ys):
      1. grad = gradient(x, y, w)       using the weight before the update
      2. w = w − lr · grad
      3. l = loss(x, y, w)              using the weight after the update
      4. append {"epoch": epoch, "x": x, "y": y, "grad": grad, "w": w, "loss": l}
    Return the list of records: one per update, epochs × len(xs) in all.
    """
    # BEGIN SOLUTION
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            grad = gradient(x, y, w)
            w = w - lr * grad
            l = loss(x, y, w)
            history.append({"epoch": epoch, "x": x, "y": y, "grad": grad, "w": w, "loss": l})
    return history
    # END SOLUTION
