"""Lesson 1: a line through the data.

The model is a line: it predicts ŷ = w·x + b from the input x, with a slope w
and an intercept b. The loss of one sample (x, y) is the squared error
(ŷ − y)². You will write the line and the derivative of the loss with respect
to the intercept.
"""

from __future__ import annotations

import sympy as sp


def predict(x: float, w: float, b: float) -> float:
    """The prediction ŷ = w·x + b of the line with slope w and intercept b at x, as a float."""
    raise NotImplementedError("predict is not implemented yet")


def dloss_db():
    """The derivative ∂loss/∂b of loss = (w·x + b − y)², as a formula in x, y, w and b.

    Return a sympy expression (from sympy.symbols("x y w b")) or a string such
    as "x + b". Any algebraically equal form is accepted.
    """
    raise NotImplementedError("dloss_db is not implemented yet")
