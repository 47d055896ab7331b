"""A call written as Python code a student can paste and run: every argument in full, nothing cut.

Numbers are written as Python writes them (``repr``, which reads back to the same
float), lists, tuples and dicts in full, NumPy arrays as ``np.array([...])`` of
those numbers.  A call that fits on a line stays on one; a longer one puts each
argument on a line of its own, and a long two-dimensional array one row a line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

WIDTH = 100  # a call longer than this spans several lines
INDENT = "    "


@dataclass(frozen=True)
class Code:
    """Text that is already code (a helper's construction, ``HeavyBall(lr=0.1)``): written as it is."""

    text: str


def code(value: Any) -> str:
    """``value`` as a Python expression that evaluates to it (NumPy as ``np``)."""
    if isinstance(value, Code):
        return value.text
    if isinstance(value, np.ndarray):
        return _array(value)
    if isinstance(value, np.generic):
        return code(value.item())
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"float({str(value)!r})"
    if isinstance(value, list):
        return "[" + ", ".join(code(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(code(v) for v in value) + (",)" if len(value) == 1 else ")")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{code(k)}: {code(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _array(value: np.ndarray, rows_on_lines: bool = False, indent: str = "") -> str:
    dtype = "" if value.dtype in (np.float64, np.int64, np.bool_) else f", dtype=np.{value.dtype.name}"
    items = value.tolist()
    if rows_on_lines and value.ndim == 2 and value.shape[0] > 1:
        pad = indent + " " * len("np.array([")
        body = "[" + f",\n{pad}".join(code(row) for row in items) + "]"
    else:
        body = code(items)
    return f"np.array({body}{dtype})"


def _argument(value: Any, indent: str) -> str:
    """An argument on a line of its own: a long 2-D array one row a line."""
    text = code(value)
    if isinstance(value, np.ndarray) and len(indent) + len(text) > WIDTH:
        return _array(value, rows_on_lines=True, indent=indent)
    return text


def call_code(name: str, args: Sequence[Any] = (), kwargs: Mapping[str, Any] | None = None) -> str:
    """``name(args, kw=value)`` as code, on one line if it fits in :data:`WIDTH`, else one argument a line."""
    kwargs = kwargs or {}
    parts = [code(a) for a in args] + [f"{k}={code(v)}" for k, v in kwargs.items()]
    line = f"{name}({', '.join(parts)})"
    if len(line) <= WIDTH and "\n" not in line:
        return line
    lines = [INDENT + _argument(a, INDENT) for a in args]
    lines += [f"{INDENT}{k}={_argument(v, INDENT + ' ' * (len(k) + 1))}" for k, v in kwargs.items()]
    return f"{name}(\n" + ",\n".join(lines) + ",\n)"
