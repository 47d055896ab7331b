"""Lesson 2 — two weights, two partial derivatives.

The model now has a slope and an offset: f = w1·x + w2, and one sample costs
C = (f − y)². Because C depends on two weights, it has two partial derivatives:
each one tells how C changes when that weight alone moves a little while the
other is held fixed. Gradient descent moves every weight against its own
partial derivative, all of them computed at the same (old) point.
"""

from __future__ import annotations

import sympy as sp


def dC_dw1() -> sp.Expr:
    """Partial derivative of the cost with respect to the slope w1.

    Differentiate C = (w1·x + w2 − y)² with respect to w1, treating x, y and
    w2 as constants. Write the answer in the symbols x, y, w1, w2.

    Returns:
        A sympy expression, e.g. built from ``sp.symbols("x y w1 w2")``, or a
        string such as ``"3*w1*x"``. Any algebraically equal form is accepted.
    """
    raise NotImplementedError("dC_dw1 is not implemented yet")


def dC_dw2() -> sp.Expr:
    """Partial derivative of the cost with respect to the offset w2.

    Differentiate C = (w1·x + w2 − y)² with respect to w2, treating x, y and
    w1 as constants. Write the answer in the symbols x, y, w1, w2.

    Returns:
        A sympy expression or an equivalent string (see ``dC_dw1``).
    """
    raise NotImplementedError("dC_dw2 is not implemented yet")


def step(x: float, y: float, w1: float, w2: float, lr: float) -> tuple[float, float]:
    """One gradient-descent update of both weights on the sample (x, y).

    1. Evaluate ∂C/∂w1 and ∂C/∂w2 (your answers to ``dC_dw1`` and ``dC_dw2``)
       at the current weights w1, w2.
    2. Move each weight against its own derivative:
       w1_new = w1 − lr·∂C/∂w1,   w2_new = w2 − lr·∂C/∂w2.

    Both derivatives must use the OLD weights: do not update w1 first and then
    use the new w1 to compute the derivative for w2.

    Returns:
        The tuple ``(w1_new, w2_new)`` of Python floats.
    """
    raise NotImplementedError("step is not implemented yet")


def train(
    xs: list[float], ys: list[float], w1: float, w2: float, lr: float, epochs: int
) -> list[dict]:
    """Per-sample gradient descent on f = w1·x + w2 for a number of epochs.

    For every epoch (numbered from 0), go through the pairs (x, y) in the
    order given and, for each one:
      1. update the weights with ``step(x, y, w1, w2, lr)``;
      2. compute the cost C = (w1·x + w2 − y)² of that same sample with the
         NEW weights;
      3. append the record ``{"epoch": epoch, "w1": w1, "w2": w2, "loss": C}``.

    Returns:
        The history: one record per update, so ``epochs · len(xs)`` records,
        all values Python floats except ``epoch`` (an int).
    """
    raise NotImplementedError("train is not implemented yet")
