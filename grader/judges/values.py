"""Judge a returned number, tuple or array against the reference's."""

from __future__ import annotations

from typing import Any, Callable

from grader.feedback import PASS, fail, plain, show
from grader.judges.numeric import Difference, beyond_rounding, compare, describe_type, near_miss
from grader.model import Evidence, Mismatch, Verdict


def judge_value(expected: Any, got: Any, where: str | Callable[[], str]) -> Verdict:
    """Compare one returned value; ``where`` names the call, e.g. ``forward(2.0, 3.0)`` (or makes that name)."""
    if got is None and expected is not None:
        where = where() if callable(where) else where
        return fail("returned None", f"{where} returned None: did you forget the return statement?",
                    Evidence(mismatches=(Mismatch("", "", plain(expected), None, "type"),)))
    diff = compare(expected, got)
    if diff is None:
        return PASS
    return explain(diff, where() if callable(where) else where)


def value_matches(expected: Any, got: Any) -> bool:
    """Whether ``got`` is right: :func:`judge_value`'s decision without its feedback."""
    return not (got is None and expected is not None) and compare(expected, got) is None


def explain(diff: Difference, where: str) -> Verdict:
    """Turn a difference into feedback a beginner can act on; a call spanning lines stands above it."""
    if "\n" in where:
        at = f"{where}\nresult{diff.path}"
    else:
        at = f"{where}{diff.path}" if diff.path else where
    if diff.reason == "type":
        summary, details = "wrong type", (f"{at}: expected {describe_type(diff.expected)}, "
                                          f"got {describe_type(diff.got)} ({show(diff.got)})")
    elif diff.reason == "shape":
        summary, details = "wrong shape", (f"{at}: expected an array of shape {diff.expected.shape}, "
                                           f"got shape {diff.got.shape}")
    elif diff.reason == "length":
        summary, details = "wrong length", (f"{at}: expected {describe_type(diff.expected)}, "
                                            f"got {describe_type(diff.got)}")
    elif diff.reason == "nan":
        summary, details = f"got {diff.got}", (f"{at}: got {diff.got} where {show(diff.expected)} was expected "
                                               "(an overflow, a division by zero or a log of a negative number?)")
    else:
        rel = diff.relative_error()
        extra = f" (relative error {rel:.1e})" if rel is not None else ""
        summary, details = "wrong value", f"{at}: expected {show(diff.expected)}, got {show(diff.got)}{extra}"
        error = near_miss((diff.mismatch(),))
        if error is not None:
            details += "\n" + beyond_rounding(error)
    return fail(summary, details, Evidence(mismatches=(diff.mismatch(),)))
