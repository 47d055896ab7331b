"""Numbers and arrays: the kit's one tolerance policy and the comparison built on it.

Tolerance policy
----------------
A value ``got`` matches ``expected`` when ``|got − expected| ≤ RTOL·|expected| + ATOL·scale``
with ``RTOL = 1e-6`` and ``ATOL = 1e-9``, where ``scale`` is the largest magnitude
the expected values of the same quantity take (over a whole history for a
trace, over the array for an array, the value itself for a scalar).

Why these numbers: correct code written in another algebraic order, with loops
or vectorised, in place or copying, differs from the reference by rounding only,
a few units in the last place (about 1e-16 relative) per operation; across the
few thousand operations of a course problem that stays below 1e-12.  The
mistakes the kit must catch (wrong sign, scaled learning rate, sum for mean, a
step too many, eps in the wrong place on problems with tiny gradients, missing
bias correction) change values by far more than 1e-6 relative.  The absolute
part, relative to ``scale``, keeps values that converge to zero (a loss of
1e-30 against 3e-30) from failing on noise, without letting a quantity that is
small everywhere (tiny gradients) pass whatever it is.  Exact equality is never
the default.

Where the expected value is not finite (only a known mistake's values are: the
cross-entropy computed as log(1 + e^z) is inf at z = 1000), a value matches it
only when it is the same: NaN for NaN, an infinity of the same sign.  So a
mistake that overflows is named when a student's code overflows the same way,
and never matched by a finite value.

Near misses
-----------
A relative error beyond the tolerance but below ``NEAR_MISS = 1e-4`` is small,
yet some ten orders of magnitude above float64 rounding: it is never noise, and
the feedback says so (:func:`beyond_rounding`), with the task's usual causes of
such errors as the hint (:attr:`grader.checks.Task.near_misses`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from grader.feedback import plain
from grader.model import Mismatch

RTOL = 1e-6
ATOL = 1e-9
NEAR_MISS = 1e-4  # a relative error beyond the tolerance and below this is a near miss


@dataclass(frozen=True)
class Difference:
    """Where and how a value differs from the expected one."""

    path: str  # "" for the value itself, "[1]" for the second item of a tuple, "[0, 2]" for an array entry
    expected: Any
    got: Any
    reason: str  # "value", "type", "shape", "length", "nan"

    def relative_error(self) -> float | None:
        """|got − expected| / |expected| for two numbers, else None."""
        if self.reason != "value" or not isinstance(self.expected, float) or not isinstance(self.got, float):
            return None
        return abs(self.got - self.expected) / abs(self.expected) if self.expected else None

    def mismatch(self, key: str = "") -> Mismatch:
        """This difference (of the record's ``key`` in a history) as evidence."""
        return Mismatch(key, self.path, plain(self.expected), plain(self.got), self.reason)


def near_miss(mismatches: Sequence[Mismatch]) -> float | None:
    """The largest relative error of ``mismatches`` when every one is a number off by less than
    :data:`NEAR_MISS` relative (they are all beyond the tolerance, being mismatches), else None."""
    errors = [Difference(m.path, m.expected, m.got, m.reason).relative_error() for m in mismatches]
    if not errors or None in errors or max(errors) >= NEAR_MISS:
        return None
    return max(errors)


def beyond_rounding(error: float) -> str:
    """The sentence that keeps a near miss of relative ``error`` from reading as a quibble."""
    return (f"A relative error of {error:.1e} is small, but far beyond rounding: float64 rounds at about 1e-16 "
            f"and the grader allows {RTOL:.0e}, so your computation differs from the right one somewhere.")


def is_number(value: Any) -> bool:
    """True for real numbers of any Python or NumPy type (bool excluded) and 0-d real arrays."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"


def magnitude(value: Any) -> float:
    """The largest finite magnitude in a value (number, array, nested tuple/list)."""
    if is_number(value):
        v = abs(float(value))
        return v if math.isfinite(v) else 0.0
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf" and value.size:
        finite = np.abs(value[np.isfinite(value)])
        return float(finite.max()) if finite.size else 0.0
    if isinstance(value, (list, tuple)):
        return max((magnitude(v) for v in value), default=0.0)
    return 0.0


def close(expected: float, got: float, scale: float) -> bool:
    """The tolerance policy for two finite numbers."""
    return abs(got - expected) <= RTOL * abs(expected) + ATOL * scale


def compare(expected: Any, got: Any, scale: float | None = None, path: str = "") -> Difference | None:
    """The first difference between ``got`` and ``expected`` under the policy, or None when they match."""
    if scale is None:
        scale = magnitude(expected)
    if is_number(expected):
        return _number(float(expected), got, scale, path)
    if isinstance(expected, np.ndarray):
        return _array(expected, got, scale, path)
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list, np.ndarray)) or isinstance(got, np.ndarray) and got.ndim != 1:
            return Difference(path, expected, got, "type")
        if len(got) != len(expected):
            return Difference(path, expected, got, "length")
        for i, (e, g) in enumerate(zip(expected, got)):
            diff = compare(e, g, magnitude(e), f"{path}[{i}]")
            if diff:
                return diff
        return None
    return None if got == expected else Difference(path, expected, got, "value")


_NUMBER_TYPES = (float, int, np.float64)


def column(values: list[Any]) -> np.ndarray | None:
    """One quantity across a whole history as one float array: all numbers, or all real arrays of one shape.

    None when the values are of any other form (they are then compared one by one).
    """
    try:
        if all(type(v) in _NUMBER_TYPES for v in values) or all(is_number(v) for v in values):
            return np.array(values, dtype=float)
        if all(isinstance(v, np.ndarray) and v.dtype.kind in "iuf" for v in values) and \
                len({v.shape for v in values}) == 1:
            return np.array(values, dtype=float)
    except (OverflowError, ValueError, TypeError):
        pass
    return None


def columns_agree(expected: np.ndarray, got: np.ndarray) -> bool:
    """Whether every entry of ``got`` matches ``expected`` under the policy, the scale taken over the whole column.

    The same decision as :func:`compare` record by record, in one NumPy pass.
    """
    if got.shape != expected.shape:
        return False
    with np.errstate(invalid="ignore"):  # inf − inf: those entries are decided by same_special
        close = np.abs(got - expected) <= RTOL * np.abs(expected) + ATOL * magnitude(expected)
    return bool(np.where(np.isfinite(expected), close, same_special(expected, got)).all())


def same_special(expected: Any, got: Any) -> Any:
    """Where ``got`` is the same non-finite value as ``expected`` (NaN and NaN, or equal infinities)."""
    return (np.isnan(expected) & np.isnan(got)) | (np.isinf(expected) & (got == expected))


def _number(expected: float, got: Any, scale: float, path: str) -> Difference | None:
    if not is_number(got):
        return Difference(path, expected, got, "type")
    value = float(got)
    if not math.isfinite(expected):
        return None if same_special(expected, value) else Difference(path, expected, value, "value")
    if not math.isfinite(value):
        return Difference(path, expected, value, "nan")
    return None if close(expected, value, scale) else Difference(path, expected, value, "value")


def _array(expected: np.ndarray, got: Any, scale: float, path: str) -> Difference | None:
    if not isinstance(got, np.ndarray):
        if isinstance(got, (list, tuple)):
            try:
                got = np.asarray(got, dtype=float)
            except (TypeError, ValueError):
                return Difference(path, expected, got, "type")
        else:
            return Difference(path, expected, got, "type")
    if got.dtype.kind not in "iuf":
        return Difference(path, expected, got, "type")
    if got.shape != expected.shape:
        return Difference(path, expected, got, "shape")
    g = got.astype(float)
    finite = np.isfinite(expected)
    bad = finite & ~np.isfinite(g)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        return Difference(_index(path, index), float(expected[index]), float(g[index]), "nan")
    with np.errstate(invalid="ignore"):  # inf − inf: those entries are decided by same_special
        wrong = np.where(finite, np.abs(g - expected) > RTOL * np.abs(expected) + ATOL * scale,
                         ~same_special(expected, g))
    if wrong.any():
        index = tuple(int(i) for i in np.argwhere(wrong)[0])
        return Difference(_index(path, index), float(expected[index]), float(g[index]), "value")
    return None


def _index(path: str, index: tuple[int, ...]) -> str:
    return f"{path}[{', '.join(map(str, index))}]"


def describe_type(value: Any) -> str:
    """A beginner's name for the type of a value: 'None', 'a list of 3 items', 'an array of shape (2, 3)'."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "a dict"
    name = getattr(value, "type_name", None) or type(value).__name__
    return f"a {name}"
