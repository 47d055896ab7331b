"""What a judge says about one answer: a verdict carrying its evidence.

Judges never build ad-hoc strings in many places; they return a :class:`Verdict`
(after check50's ``Mismatch(expected, actual, help)``): a short summary, the
evidence, and the hint of a named mistake.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Verdict:
    """The outcome of judging one value.

    ``summary`` is the few words shown on the task's line ("sign flipped");
    ``details`` is the feedback a beginner reads under it; ``mistake`` names a
    known mistake (an identifier such as ``"sign_flipped"``) when one matched,
    and ``hint`` says in one line what to change.
    """

    passed: bool
    summary: str = ""
    details: str = ""
    mistake: str | None = None
    hint: str = ""  # the one-line hint of a named mistake; it reveals no data, so hidden cases show it too


PASS = Verdict(True, "passed")


def fail(summary: str, details: str = "") -> Verdict:
    """A failed verdict."""
    return Verdict(False, summary, details)


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
