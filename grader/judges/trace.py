"""Judge a training history against the reference's, record by record.

Record k of the student's history is compared with record k of the reference,
on the keys the course names (extra keys are ignored), each key with its own
scale under the policy of :mod:`grader.judges.numeric`.  The feedback names the
first differing step ("first differs at epoch 0, sample 1"; "diverges" only
when the values blew up there: NaN or infinity), every key that differs there
with expected, got and the relative error (saying that a small one is far beyond
rounding), and shows the steps around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from grader.feedback import PASS, fail, show
from grader.judges.numeric import (Difference, beyond_rounding, column, columns_agree, compare, describe_type,
                                   magnitude, near_miss)
from grader.model import Evidence, Mismatch, Verdict

CONTEXT_BEFORE = 2
CONTEXT_AFTER = 1
TABLE_WIDTH = 100  # a wider table of arrays shows only the entry that differs
GROWTH, MARGIN = 4, 16  # a history longer than GROWTH × the reference's records + MARGIN is judged by its length


@dataclass(frozen=True)
class TraceShape:
    """How to read one history: its keys (None: each record is a value) and how to name record k."""

    keys: tuple[str, ...] | None
    label: Callable[[int], str]  # record index → "epoch 0, sample 3 (x=3.0, y=6.0)"
    count: str  # why the reference has as many records as it has: "one per update, 5 epochs × 4 samples"


@dataclass(frozen=True)
class Divergence:
    """The first record that differs, and its differing keys."""

    index: int
    diffs: tuple[tuple[str, Difference], ...]


def check_form(got: Any, shape: TraceShape, name: str) -> Verdict | None:
    """A failed verdict when ``got`` is not a list of records of the right form, else None."""
    if got is None:
        return fail("returned None", f"{name} returned None: did you forget to return the history?")
    if not isinstance(got, list):
        return fail("not a list", f"{name} should return a list with one record per step, "
                                  f"got {describe_type(got)}")
    if shape.keys is None:
        return None
    for k, record in enumerate(got):
        if not isinstance(record, dict):
            return fail("record is not a dict", f"record {k} ({shape.label(k)}) is {describe_type(record)}, "
                                                f"expected a dict with keys {', '.join(shape.keys)}", _at(k, shape))
        missing = [key for key in shape.keys if key not in record]
        if missing:
            return fail("missing key", f"record {k} ({shape.label(k)}) has no key "
                                       f"{', '.join(repr(m) for m in missing)}; every record needs "
                                       f"{', '.join(repr(x) for x in shape.keys)}", _at(k, shape))
    return None


def first_divergence(expected: Sequence[Any], got: Sequence[Any], shape: TraceShape) -> Divergence | None:
    """The first record where ``got`` differs from ``expected`` (over their common length), or None.

    Each key's whole column is checked in one NumPy pass first; only the keys that
    pass cannot settle (they differ, or are not plain numbers or arrays) are walked
    record by record.
    """
    walked = []  # (key, its scale)
    for key in shape.keys or ("",):
        values = _column(expected, key)
        want, have = column(values), column(_column(got, key))
        if want is not None and have is not None and len(expected) == len(got) and columns_agree(want, have):
            continue
        walked.append((key, magnitude(values if want is None else want)))
    for k, (e, g) in enumerate(zip(expected, got)):
        diffs = tuple((key, diff) for key, scale in walked if (diff := compare(_field(e, key), _field(g, key), scale)))
        if diffs:
            return Divergence(k, diffs)
    return None


def trace_matches(expected: list[Any], got: Any, shape: TraceShape) -> bool:
    """Whether ``got`` is the right history: :func:`judge_trace`'s decision without its feedback."""
    return (isinstance(got, list) and len(got) == len(expected) and check_form(got, shape, "") is None
            and first_divergence(expected, got, shape) is None)


def far_longer(expected: Sequence[Any], got: Any) -> bool:
    """True when ``got`` is a list of far more items than ``expected`` (see :data:`GROWTH`): no known mistake
    makes that many (the most one adds is an epoch), so it is judged by its length alone, and not diagnosed."""
    return isinstance(got, list) and len(got) > GROWTH * len(expected) + MARGIN


def judge_trace(expected: list[Any], got: Any, shape: TraceShape, name: str) -> Verdict:
    """Compare a whole history; the verdict names the first differing step."""
    if far_longer(expected, got):  # its records are not even read
        return _wrong_count(expected, got, shape)
    bad_form = check_form(got, shape, name)
    if bad_form:
        return bad_form
    divergence = first_divergence(expected, got, shape)
    if len(got) != len(expected):
        first = min(len(got), len(expected))
        return _wrong_count(expected, got, shape, f"; the first {first} records are right"
                            if divergence is None and first else "")
    if divergence is None:
        return PASS
    blew_up = any(diff.reason == "nan" for _, diff in divergence.diffs)  # training that diverged
    step = shape.label(divergence.index).split(" (")[0]
    return fail(f"diverges at {step}" if blew_up else f"first differs at {step}",
                describe_divergence(expected, got, shape, divergence),
                _at(divergence.index, shape, tuple(diff.mismatch(key) for key, diff in divergence.diffs)))


def _at(k: int, shape: TraceShape, mismatches: tuple[Mismatch, ...] = ()) -> Evidence:
    """The evidence of record ``k``: its index, its label and what differs there."""
    return Evidence(record=k, where=shape.label(k), mismatches=mismatches)


def _wrong_count(expected: Sequence[Any], got: Sequence[Any], shape: TraceShape, same: str = "") -> Verdict:
    return fail("wrong number of records", f"{len(got)} records, expected {len(expected)}: {shape.count}{same}",
                Evidence(mismatches=(Mismatch("", "", len(expected), len(got), "count"),)))


def describe_divergence(expected: Sequence[Any], got: Sequence[Any], shape: TraceShape, div: Divergence) -> str:
    """The first differing step, its differing keys, and a small table of the steps around it."""
    parts = []
    for key, diff in div.diffs:
        rel = diff.relative_error()
        name = f"{key}{diff.path}" if key else (diff.path or "value")
        err = f" (relative error {rel:.1e})" if rel is not None else ""
        if diff.reason == "value":
            parts.append(f"{name} expected {show(diff.expected)}, got {show(diff.got)}{err}")
        elif diff.reason == "nan":
            parts.append(f"{name} expected {show(diff.expected)}, got {diff.got} (the values blew up: a learning "
                         "rate too large, an overflow or a division by zero?)")
        else:
            parts.append(f"{name}: expected {describe_type(diff.expected)} ({show(diff.expected)}), "
                         f"got {describe_type(diff.got)} ({show(diff.got)})")
    lines = [f"{shape.label(div.index)}: " + "; ".join(parts)]
    error = near_miss(tuple(diff.mismatch(key) for key, diff in div.diffs))
    if error is not None:
        lines.append(beyond_rounding(error))
    lines += _table(expected, got, shape, div)
    return "\n".join(lines)


def _bare(label: str) -> str:
    """A step's label without its parenthesised details, nested ones included: ``Adam #2 (betas=(0.8, 0.99)),
    step 1`` → ``Adam #2, step 1``."""
    kept, depth = [], 0
    for char in label:
        depth += char == "("
        if depth == 0:
            kept.append(char)
        depth -= char == ")" and depth > 0
    return re.sub(r" +(?=,|$)", "", "".join(kept))


def _table(expected: Sequence[Any], got: Sequence[Any], shape: TraceShape, div: Divergence) -> list[str]:
    """The steps around the divergent one, for its first differing key; when a row would be wider than
    :data:`TABLE_WIDTH` (an array), only the entry that differs (``w[1]``) is shown."""
    key, diff = div.diffs[0]
    start = max(0, div.index - CONTEXT_BEFORE)
    stop = min(len(expected), len(got), div.index + CONTEXT_AFTER + 1)

    def rows(path: str) -> list[tuple[str, str, str, int]]:
        return [(_bare(shape.label(k)), show(_entry(_field(expected[k], key), path), 8),
                 show(_entry(_field(got[k], key), path), 8), k) for k in range(start, stop)]

    path, shown = "", rows("")
    if diff.path and max(len("  ".join(r[:3])) for r in shown) > TABLE_WIDTH:
        path, shown = diff.path, rows(diff.path)
    title = f"{key}{path}" if key else (path or "value")
    head = ("step", f"{title} expected", f"{title} got")
    widths = [max(len(r[i]) for r in [*shown, (*head, -1)]) for i in range(3)]
    out = ["  " + "  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip()]
    for label, e, g, k in shown:
        mark = ">" if k == div.index else " "
        out.append(f"{mark} " + "  ".join(c.ljust(w) for c, w in zip((label, e, g), widths)).rstrip())
    return out


def _entry(value: Any, path: str) -> Any:
    """The entry of ``value`` at ``path`` (``"[1]"``, ``"[0, 2]"``, ``"[1][0, 2]"``); ``value`` itself when the
    path is "" or does not fit it."""
    entry = value
    try:
        for group in re.findall(r"\[([0-9, ]+)\]", path):
            index = tuple(int(i) for i in group.split(","))
            entry = entry[index] if isinstance(entry, np.ndarray) else entry[index[0]]
    except (IndexError, KeyError, TypeError):
        return value
    return entry


def _column(records: Sequence[Any], key: str) -> list[Any]:
    """Field ``key`` of every record (the records themselves when ``key`` is empty)."""
    return [_field(r, key) for r in records]


def _field(record: Any, key: str) -> Any:
    return record.get(key) if key and isinstance(record, dict) else record
