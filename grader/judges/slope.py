"""The finite-difference oracle: is a wrong gradient wrong, or is it the right slope of a wrong loss?

Each case of a gradient task (:class:`grader.checks.Gradient`) also calls the student's own loss, with the
case's arguments, at each entry of each parameter moved up and then down by a step (:func:`moved`): the
*probes*, run in the child after the gradient.  Their central differences, (L(p + h) − L(p − h)) / 2h, are
the slope of the student's loss there.  When the gradient is wrong, comparing it with that slope, and the
loss's values at the probes with the reference's, tells which of the two is wrong (:func:`with_slope`):
the gradient alone (it is not that slope, and the loss is right), the loss (the gradient is its slope, but
it is wrong: fix the loss first), or both.  A right gradient is judged as any value, and nothing is said.

Step and tolerance.  The step is h = ∛ε·max(1, |p|) for each entry p (ε the float64 epsilon): it balances
the two errors of a central difference, truncation (h²·|L‴|/6) and rounding (about ε·|L|/h), at about
ε^(2/3) ≈ 4e-11 of the scale.  A gradient is a slope when each entry differs from it by at most
:data:`SLOPE_RTOL` of the larger magnitude of the two (their largest entries), plus :data:`ROUNDING` times
the rounding of the loss values alone (ε·|L|/2h): far above the error of the method on the course's losses
(1e-11 of the scale), far below the mistakes it tells apart (a factor, a sign, a sum for a mean).  The
loss is right when its values match the reference's under the kit's own tolerance
(:mod:`grader.judges.numeric`), and then its slope is the right gradient (that tolerance allows errors in
the loss that its central differences would magnify).  The oracle speaks only where the method works: the
reference's gradient must be the slope of the reference's loss at the case (not at a kink, nor where the
gradient is zero and the slope is rounding alone).

A probe that raised or returned anything but a number (a stub raising NotImplementedError, a loss that
returns an array) comes back as None (see :meth:`grader.runner.child.Session.run`), and a gradient of
another shape than its parameters cannot be compared: then nothing is said.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Sequence

import numpy as np

from grader.feedback import plain, show, slope_words
from grader.judges import numeric
from grader.model import SlopeCheck, Verdict

EPS = float(np.finfo(float).eps)
STEP = EPS ** (1 / 3)
SLOPE_RTOL = 1e-4
ROUNDING = 100.0  # times the rounding of the loss values alone: a sum's rounding grows with its terms


def moved(value: Any) -> list[tuple[Any, Any, float]]:
    """For each entry of a parameter's ``value`` (a number or an array), in order: the value with that entry
    moved up a step, with it moved down, and the distance between the two (a number stays a float, anything
    else is a float array)."""
    array = np.asarray(value, dtype=float)
    out = []
    for at in np.ndindex(array.shape):
        up, down = array.copy(), array.copy()
        step = STEP * max(1.0, abs(float(array[at])))
        up[at] += step
        down[at] -= step
        out.append((_like(up), _like(down), float(up[at] - down[at])))
    return out


def _like(array: np.ndarray) -> Any:
    """A 0-d array as a float, any other as it is."""
    return float(array) if array.ndim == 0 else array


def with_slope(verdict: Verdict, expected: Sequence[Any], values: Sequence[Any], parameters: Sequence[Any],
               loss: str, hidden: bool) -> Verdict:
    """``verdict`` on a wrong gradient with what the probes of the student's ``loss`` say, when they say
    something: in its details (the slope's numbers too, unless ``hidden``), its finding (no numbers) and its
    evidence.

    ``values`` are the student's: the gradient, then the probes' values (in the order of :func:`moved`,
    parameter after parameter); ``expected`` the reference's.  ``parameters`` are the case's values of the
    arguments the gradient is the derivative by (one: the gradient itself; several: a tuple of their
    derivatives, in order).
    """
    shapes = [np.shape(p) for p in parameters]
    right, got = _flat(expected[0], shapes), _flat(values[0], shapes)
    if right is None or got is None or not _numbers(expected[1:]) or not _numbers(values[1:]):
        return verdict
    spans = np.array([span for p in parameters for _, _, span in moved(p)])
    right_slope, right_rounding = _slope(expected[1:], spans)
    if not _agree(right, right_slope, right_rounding):  # the method fails here (a kink, a gradient of zero)
        return verdict
    loss_right = numeric.compare(np.array(expected[1:], dtype=float), np.array(values[1:], dtype=float)) is None
    slope, rounding = (right, right_rounding) if loss_right else _slope(values[1:], spans)
    matches = _agree(got, slope, rounding)
    if matches and loss_right:  # the gradient is off by less than a finite difference can tell
        return verdict
    ends = np.cumsum([np.size(p) for p in parameters])[:-1]
    shaped = [_like(part.reshape(shape)) for part, shape in zip(np.split(slope, ends), shapes)]
    value = shaped[0] if len(shaped) == 1 else tuple(shaped)
    check = SlopeCheck(loss, matches, loss_right, None if hidden else plain(value))
    details = f"{verdict.details}\n{slope_words(check, '' if hidden else show(value, 6))}"
    return replace(verdict, details=details, finding=slope_words(check), evidence=replace(verdict.evidence, slope=check))


def _slope(probes: Sequence[float], spans: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The central differences of the probes' values (an up and a down per entry, ``spans`` apart), and the
    rounding of those values alone in each (ε·|L|/2h)."""
    pairs = np.array(probes, dtype=float).reshape(-1, 2)
    return (pairs[:, 0] - pairs[:, 1]) / spans, EPS * np.abs(pairs).max(axis=1) / spans


def _agree(gradient: np.ndarray, slope: np.ndarray, rounding: np.ndarray) -> bool:
    """Whether ``gradient`` is ``slope`` up to the method's error, given the ``rounding`` of each entry."""
    scale = max(np.abs(gradient).max(initial=0.0), np.abs(slope).max(initial=0.0))
    return bool((np.abs(gradient - slope) <= SLOPE_RTOL * scale + ROUNDING * rounding).all())


def _flat(gradient: Any, shapes: list[tuple[int, ...]]) -> np.ndarray | None:
    """The derivatives by the parameters in ``gradient`` (itself for one, the items of a tuple for several),
    entry after entry, when each is finite and has its parameter's shape; else None."""
    if len(shapes) > 1 and not (isinstance(gradient, (tuple, list)) and len(gradient) == len(shapes)):
        return None
    parts = []
    for part, shape in zip([gradient] if len(shapes) == 1 else gradient, shapes):
        if not (numeric.is_number(part) or isinstance(part, np.ndarray) and part.dtype.kind in "iuf"):
            return None
        array = np.asarray(part, dtype=float)
        if array.shape != shape or not np.isfinite(array).all():
            return None
        parts.append(array.ravel())
    return np.concatenate(parts)


def _numbers(values: Sequence[Any]) -> bool:
    """Whether every probe gave a finite number."""
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values)
