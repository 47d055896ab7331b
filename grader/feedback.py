"""What a judge says about one answer: a verdict carrying its evidence, and values written for a student.

Judges never build ad-hoc strings in many places; they return a
:class:`grader.model.Verdict` (after check50's ``Mismatch(expected, actual, help)``):
a short summary, the feedback, the hint of a named mistake, and the evidence as
data (:class:`grader.model.Evidence`), its values made :func:`plain`.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from grader.model import Evidence, Plain, SlopeCheck, Verdict

PASS = Verdict(True, "passed")


def fail(summary: str, details: str = "", evidence: Evidence = Evidence()) -> Verdict:
    """A failed verdict."""
    return Verdict(False, summary, details, evidence=evidence)


def show(value: Any, digits: int = 10) -> str:
    """Render a value for a student: short floats, NumPy arrays on one line, long text cut."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        return _float(value, digits)
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a dependency
        np = None
    if np is not None and isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            body = np.array2string(value, precision=digits, separator=", ", max_line_width=10_000,
                                   threshold=12, floatmode="maxprec")
        else:
            body = np.array2string(value, separator=", ", threshold=12, max_line_width=10_000)
        return f"array({body}, shape {value.shape})" if value.ndim > 1 else f"array({body})"
    if np is not None and isinstance(value, np.floating):
        return _float(float(value), digits)
    if isinstance(value, (list, tuple)):
        inner = ", ".join(show(v, digits) for v in value[:8])
        more = ", ..." if len(value) > 8 else ""
        return f"[{inner}{more}]" if isinstance(value, list) else f"({inner}{more})"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 300 else text[:297] + "..."


def _float(x: float, digits: int) -> str:
    if not math.isfinite(x):
        return str(x)
    text = f"{x:.{digits}g}"
    return text if ("e" in text or "." in text) else text + ".0"


MAX_PLAIN_ITEMS = 1000  # a value of more items is kept in the evidence as the text a student reads


def plain(value: Any) -> Plain:
    """``value`` as plain data for the evidence: numbers, text, None, and lists and dicts of them.

    NumPy arrays and tuples become lists, NumPy numbers Python ones.  A non-finite
    float, an object of another type or a value of more than
    :data:`MAX_PLAIN_ITEMS` items is its :func:`show` text; long text is cut as
    :func:`show` cuts it.
    """
    budget = [MAX_PLAIN_ITEMS]
    try:
        return _plain(value, budget)
    except _TooLarge:
        return show(value)


class _TooLarge(Exception):
    pass


def _plain(value: Any, budget: list[int]) -> Plain:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value if len(value) <= 300 else value[:297] + "..."
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else show(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        if value.size > budget[0]:
            raise _TooLarge
        return _plain(value.tolist(), budget)
    if isinstance(value, (np.bool_, np.integer, np.floating)):
        return _plain(value.item(), budget)
    if isinstance(value, (list, tuple)):
        return [_plain(v, budget) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _plain(v, budget) for k, v in value.items()}
    return show(value)


def listed(words: Sequence[str]) -> str:
    """Words as a sentence lists them: ``a``, ``a and b``, ``a, b and c``."""
    return f"{', '.join(words[:-1])} and {words[-1]}" if len(words) > 1 else "".join(words)


def slope_words(check: SlopeCheck, slope: str = "") -> str:
    """What the finite-difference oracle's ``check`` tells the student (see :mod:`grader.judges.slope`);
    ``slope`` is the slope as text, to quote (a public case's)."""
    loss, fix = check.loss, f"fix {check.loss} first (see {check.loss})"
    if check.matches:
        return f"your gradient matches your {loss}, but your {loss} is wrong: {fix}"
    said = f"your gradient does not match the slope of your own {loss}" + (f", which is {slope} there" if slope else "")
    return said if check.loss_right else f"{said}, and your {loss} is wrong too: {fix}"
