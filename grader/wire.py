"""Plain-data encoding of the values that cross from the student's child process.

The child turns whatever a student function returned into JSON-safe data with
:func:`encode`; the grader turns it back with :func:`decode`.  Decoding only
ever builds numbers, strings, lists, tuples, dicts and NumPy arrays from data:
nothing is evaluated, unpickled or sympified.  A sympy object crosses as its
text (``SympyText``) and is parsed later by the symbolic judge's safe parser.

This module must stay importable without numpy or sympy (the child imports it
before the student's code runs).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 40
MAX_ITEMS = 2_000_000
REPR_LIMIT = 200


@dataclass(frozen=True)
class SympyText:
    """A sympy expression the student returned, carried as its ``str()``."""

    text: str


@dataclass(frozen=True)
class Opaque:
    """A value of a type that has no plain-data form (a function, a custom object...)."""

    type_name: str
    text: str


class WireError(ValueError):
    """The value is too deep or too large to send back."""


def _float(x: float) -> Any:
    if math.isfinite(x):
        return x
    return {"$float": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def encode(value: Any) -> Any:
    """Turn a student's return value into JSON-safe data (runs in the child)."""
    budget = [MAX_ITEMS]
    return _encode(value, 0, budget)


_BIG = 2**63


def _encode(value: Any, depth: int, budget: list[int]) -> Any:
    """``value`` as data; every container takes its items' count off ``budget`` (arrays their size)."""
    if depth > MAX_DEPTH:
        raise WireError("the value is nested too deeply to check")
    kind = type(value)  # the exact types first, and finite floats and small ints inline: they are most values
    if kind is float:
        return _float(value)
    if kind is dict:
        _spend(budget, len(value))
        if all(type(k) is str for k in value):
            return {"$rec": {k: v if (type(v) is float and v - v == 0.0) or (type(v) is int and -_BIG < v < _BIG)
                             else _encode(v, depth + 1, budget) for k, v in value.items()}}
        return {"$dict": [[_encode(k, depth + 1, budget), _encode(v, depth + 1, budget)] for k, v in value.items()]}
    if kind is list or kind is tuple:
        _spend(budget, len(value))
        items = [v if (type(v) is float and v - v == 0.0) or (type(v) is int and -_BIG < v < _BIG)
                 else _encode(v, depth + 1, budget) for v in value]
        return items if kind is list else {"$tuple": items}
    if kind is int:
        return value if -_BIG < value < _BIG else {"$bigint": str(value)}
    if value is None or isinstance(value, (bool, str)):
        return value
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(value, np.ndarray):
            return _encode_array(np, value, budget)
        if isinstance(value, np.generic) and value.dtype.kind in "biuf":
            item = value.item()
            return {"$scalar": _dtype_name(value.dtype), "value": _float(item) if isinstance(item, float) else item}
    sympy = sys.modules.get("sympy")
    if sympy is not None and isinstance(value, sympy.Basic):
        return {"$sympy": str(value)}
    if isinstance(value, (int, float)):  # subclasses: as the plain number, under the same rules
        return _encode(float(value) if isinstance(value, float) else int(value), depth, budget)
    return {"$object": _type_name(value), "repr": _safe_repr(value)}


def _spend(budget: list[int], items: int) -> None:
    budget[0] -= items
    if budget[0] < 0:
        raise WireError("the value is too large to check (more than 2 million items)")


def _encode_array(np: Any, arr: Any, budget: list[int]) -> Any:
    if arr.size > budget[0]:
        raise WireError("the array is too large to check (more than 2 million items)")
    budget[0] -= int(arr.size)
    if arr.dtype.kind not in "biuf":
        return {"$object": f"numpy array of dtype {arr.dtype}", "repr": _safe_repr(arr)}
    flat = arr.ravel().tolist()
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        flat = [_float(v) for v in flat]
    return {"$array": _dtype_name(arr.dtype), "shape": list(arr.shape), "data": flat}


_DTYPE_NAMES: dict[Any, str] = {}


def _dtype_name(dtype: Any) -> str:
    """``dtype.name``, which NumPy works out anew (slowly) each time it is asked."""
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        name = _DTYPE_NAMES[dtype] = dtype.name
    return name


def _type_name(value: Any) -> str:
    t = type(value)
    module = getattr(t, "__module__", "") or ""
    name = getattr(t, "__qualname__", t.__name__)
    return name if module in ("builtins", "__main__", "") else f"{module}.{name}"


def _safe_repr(value: Any) -> str:
    try:
        text = repr(value)
    except BaseException:  # a student's __repr__ may raise anything
        text = f"<{_type_name(value)} object>"
    return text if len(text) <= REPR_LIMIT else text[: REPR_LIMIT - 3] + "..."


def decode(data: Any) -> Any:
    """Rebuild a value from :func:`encode`'s data (runs in the grader)."""
    if isinstance(data, list):
        return [v if type(v) in _PLAIN else decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "$rec" in data:
        record = data["$rec"]
        if not isinstance(record, dict):
            raise WireError("a record that is not a mapping")
        return {k: v if type(v) in _PLAIN else decode(v) for k, v in record.items()}
    if "$float" in data:
        return float(data["$float"])
    if "$bigint" in data:
        return int(data["$bigint"])
    if "$tuple" in data:
        items = data["$tuple"]
        if not isinstance(items, list):
            raise WireError("a tuple that is not a list")
        return tuple(decode(items))
    if "$dict" in data:
        out: dict[Any, Any] = {}
        for k, v in data["$dict"]:
            key = decode(k)
            out[key if _hashable(key) else repr(key)] = decode(v)
        return out
    if "$sympy" in data:
        return SympyText(str(data["$sympy"]))
    if "$object" in data:
        return Opaque(str(data["$object"]), str(data.get("repr", "")))
    import numpy as np

    if "$scalar" in data:
        return _numeric_dtype(np, data["$scalar"]).type(decode(data["value"]))
    if "$array" in data:
        items = data["data"]
        if not isinstance(items, list):
            raise WireError("array data that is not a list")
        plain = all(type(v) in _PLAIN for v in items)  # else $float tags (nan, inf) to decode one by one
        values = items if plain else [decode(v) for v in items]
        return np.array(values, dtype=_numeric_dtype(np, data["$array"])).reshape(data["shape"])
    raise WireError(f"unknown tag in {sorted(data)!r}")


_PLAIN = (float, int, bool)


def _numeric_dtype(np: Any, name: Any) -> Any:
    """The dtype ``name`` if it is one :func:`encode` sends (bool, int, float): a forged ``U99999999`` is refused."""
    dtype = _DTYPES.get(name) if isinstance(name, str) else None
    if dtype is None:
        dtype = np.dtype(str(name))
        if dtype.kind not in "biuf":
            raise WireError(f"unexpected dtype {dtype}")
        if len(_DTYPES) < 64:
            _DTYPES[str(name)] = dtype
    return dtype


_DTYPES: dict[str, Any] = {}


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
