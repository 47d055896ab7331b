"""Plain-data encoding of the values that cross from the student's child process.

The child turns whatever a student function returned into JSON-safe data with
:func:`encode`; the grader turns it back with :func:`decode`.  Decoding only
ever builds numbers, strings, lists, tuples, dicts and NumPy arrays from data:
nothing is evaluated, unpickled or sympified.  A sympy object crosses as its
text (``SympyText``) and is parsed later by the symbolic judge's safe parser.

Most of what crosses is numbers, so numbers cross compactly: a numeric array,
and a list of many floats, as the base64 text of their little-endian bytes
(NaN and infinities included); a trace (a list of records with the same keys)
column by column, each column of floats or of same-shaped arrays as one block
of bytes.  Before building anything, the decoder checks that the bytes are
exactly as many as the shape says.

This module must stay importable without numpy or sympy (the child imports it
before the student's code runs).
"""

from __future__ import annotations

import array
import base64
import binascii
import math
import re
import sys
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 40
MAX_ITEMS = 2_000_000
REPR_LIMIT = 200


@dataclass(frozen=True)
class SympyText:
    """A sympy expression the student returned, carried as text for the symbolic judge's safe parser."""

    text: str


@dataclass(frozen=True)
class Opaque:
    """A value of a type that has no plain-data form (a function, a custom object...)."""

    type_name: str
    text: str


class WireError(ValueError):
    """The value is too deep or too large to send back, or the data is not what :func:`encode` writes."""


def _float(x: float) -> Any:
    if math.isfinite(x):
        return x
    return {"$float": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def encode(value: Any) -> Any:
    """Turn a student's return value into JSON-safe data (runs in the child)."""
    budget = [MAX_ITEMS]
    return _encode(value, 0, budget)


_BIG = 2**63
TABLE_MIN = 2  # a list of at least this many records with the same keys crosses column by column
FLOATS_MIN = 8  # a list of at least this many floats crosses as raw bytes


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
            return {"$rec": dict(zip(value, _items(value.values(), depth + 1, budget)))}
        return {"$dict": [[_encode(k, depth + 1, budget), _encode(v, depth + 1, budget)] for k, v in value.items()]}
    if kind is list or kind is tuple:
        _spend(budget, len(value))
        packed = _packed(value, depth, budget) if kind is list and len(value) >= TABLE_MIN else None
        if packed is not None:
            return packed
        items = _items(value, depth + 1, budget)
        return items if kind is list else {"$tuple": items}
    if kind is int:
        return value if -_BIG < value < _BIG else {"$bigint": _bigint(value)}
    if value is None or isinstance(value, (bool, str)):
        return value
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(value, np.ndarray):
            return _encode_array(np, value, budget)
        if isinstance(value, np.generic) and value.dtype.kind in "biuf":
            item = value.item()
            if not isinstance(item, (int, float)):  # a long double has no Python number to cross as
                raise WireError(f"returned a {_type_name(value)}, which the grader cannot check: "
                                "return a float or a float64 array")
            return {"$scalar": _dtype_name(value.dtype), "value": _float(item) if isinstance(item, float) else item}
    sympy = sys.modules.get("sympy")
    if sympy is not None and isinstance(value, sympy.Basic):
        return {"$sympy": _formula(value)}
    if isinstance(value, (int, float)):  # subclasses: as the plain number, under the same rules
        return _encode(float(value) if isinstance(value, float) else int(value), depth, budget)
    return {"$object": _type_name(value), "repr": _safe_repr(value)}


INT_BITS = 1023  # an integer of at most this many bits is a float too (the largest float is just under 2**1024)


def _bigint(value: int) -> str:
    """A large integer as its digits, when a float can hold it: no answer of the course is larger."""
    if value.bit_length() > INT_BITS:
        digits = int(value.bit_length() * math.log10(2)) + 1
        raise WireError(f"returned a number too large to check (an integer of about {digits} digits): "
                        "return a float")
    return str(value)


def _items(values: Any, depth: int, budget: list[int]) -> list[Any]:
    """Each item as data; finite floats and small ints as they are (most items are)."""
    return [v if (type(v) is float and v - v == 0.0) or (type(v) is int and -_BIG < v < _BIG)
            else _encode(v, depth, budget) for v in values]


def _floats(values: list[float]) -> dict[str, str]:
    """Floats as the base64 text of their little-endian bytes (NaN and infinities included)."""
    return {"$floats": _b64(_little(array.array("d", values)).tobytes())}


def _little(values: array.array) -> array.array:
    """``values`` in (or back from) the little-endian order the wire uses on every machine."""
    if sys.byteorder != "little":
        values.byteswap()
    return values


def _packed(items: list[Any], depth: int, budget: list[int]) -> Any:
    """A list in a compact form when it has one, else None: a trace (records with the same
    keys) column by column, and many floats as their raw bytes (NaN and infinities included)."""
    first = items[0]
    if type(first) is dict and first and all(type(k) is str for k in first):
        keys = list(first)
        if all(type(r) is dict and list(r) == keys for r in items):  # the same keys in the same order
            _spend(budget, len(items) * len(keys))
            return {"$table": keys,
                    "columns": [_column([r[k] for r in items], depth + 2, budget) for k in keys]}
        return None
    if len(items) >= FLOATS_MIN and all(type(v) is float for v in items):
        return _floats(items)
    return None


def _column(values: list[Any], depth: int, budget: list[int]) -> Any:
    """One column of a trace: floats or same-shaped arrays as raw bytes, anything else item by item."""
    if all(type(v) is float for v in values):
        return _floats(values)
    np = sys.modules.get("numpy")
    first = values[0]
    if np is not None and type(first) is np.ndarray and first.dtype.kind in "biuf" and first.ndim and first.size:
        shape, dtype = first.shape, first.dtype
        if all(type(v) is np.ndarray and v.shape == shape and v.dtype == dtype for v in values):
            _spend(budget, first.size * len(values))
            return {"$stack": _dtype_name(dtype), "shape": [len(values), *shape],
                    "bytes": _b64(b"".join(_raw(np, v) for v in values))}
    return _items(values, depth, budget)


# what _formula writes by name: the functions the symbolic judge's safe parser reads, and its two constants
# (not Heaviside: sympy keeps its value at 0 as a second argument, which str leaves out and the parser refuses)
_FUNCTIONS = frozenset({"exp", "log", "Abs", "sign", "Max", "Min", "sin", "cos", "tan", "cot", "sec", "csc", "asin",
                        "acos", "atan", "sinh", "cosh", "tanh", "coth", "sech", "csch", "asinh", "acosh", "atanh"})
_CONSTANTS = {"Exp1": "E", "Pi": "pi"}  # sympy's class names of E and pi
_ADD, _MUL, _POW, _ATOM = 1, 2, 3, 4
FORMULA_NODES = 2000


def _formula(expr: Any) -> str:
    """A sympy expression as text for the safe parser: sums, products, powers, integers, fractions,
    symbols and the parser's functions, written straight from the tree (about ten times faster
    than ``str``, which sorts and tidies the terms first); anything else as ``str`` writes it."""
    budget = [FORMULA_NODES]
    try:
        return _written(expr, 0, budget)
    except (_Unwritten, RecursionError, AttributeError, TypeError, ValueError):
        return str(expr)


class _Unwritten(Exception):
    """A node _formula does not write itself."""


def _written(expr: Any, outer: int, budget: list[int]) -> str:
    """``expr`` as text, in brackets when it binds less tightly than the operator ``outer`` around it."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _Unwritten
    name = type(expr).__name__
    if name == "Symbol":  # not a Dummy, which str writes with a leading underscore
        return expr.name
    if expr.is_Integer:
        text, level = str(int(expr)), (_ADD if expr < 0 else _ATOM)
    elif expr.is_Rational:
        text, level = f"{int(expr.p)}/{int(expr.q)}", _ADD
    elif name in _CONSTANTS:
        return _CONSTANTS[name]
    elif expr.is_Add:
        text, level = " + ".join(_written(a, _ADD, budget) for a in expr.args), _ADD
    elif expr.is_Mul:
        text, level = "*".join(_written(a, _MUL, budget) for a in expr.args), _MUL
    elif expr.is_Pow:
        base, exponent = expr.args
        text, level = f"{_written(base, _ATOM, budget)}**{_written(exponent, _POW, budget)}", _POW
    elif expr.is_Function and name in _FUNCTIONS:
        return f"{name}({', '.join(_written(a, 0, budget) for a in expr.args)})"
    else:
        raise _Unwritten
    return f"({text})" if level < outer or (level == outer == _POW) else text


def _spend(budget: list[int], items: int, what: str = "value") -> None:
    budget[0] -= items
    if budget[0] < 0:
        raise WireError(f"the {what} is too large to check (more than 2 million items)")


def _encode_array(np: Any, arr: Any, budget: list[int]) -> Any:
    _spend(budget, int(arr.size), "array")
    if arr.dtype.kind not in "biuf":
        return {"$object": f"numpy array of dtype {arr.dtype}", "repr": _safe_repr(arr)}
    return {"$array": _dtype_name(arr.dtype), "shape": list(arr.shape), "bytes": _b64(_raw(np, arr))}


def _raw(np: Any, arr: Any) -> bytes:
    """An array's items as little-endian bytes in C order."""
    return np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("<")).tobytes()


def _b64(raw: bytes) -> str:
    return binascii.b2a_base64(raw, newline=False).decode("ascii")


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


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+(?=>)")  # as in Python's default "<Adam object at 0x7f...>"


def _safe_repr(value: Any) -> str:
    try:
        text = repr(value)
    except BaseException:  # a student's __repr__ may raise anything
        text = f"<{_type_name(value)} object>"
    text = _ADDRESS.sub("", text[:REPR_LIMIT * 2])  # "<Adam object>": no memory address, the same text every run
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
    if "$table" in data:
        return _table(data["$table"], data.get("columns"))
    if "$floats" in data:
        return _unfloats(data["$floats"])
    if "$float" in data:
        return float(data["$float"])
    if "$bigint" in data:
        return _unbigint(data["$bigint"])
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
        value = decode(data.get("value"))
        if type(value) not in _PLAIN:
            raise WireError("a number that is not a number")
        return _numeric_dtype(np, data["$scalar"]).type(value)
    if "$array" in data:
        return _array(np, data["$array"], data.get("shape"), data.get("bytes"))
    if "$stack" in data:  # a column of arrays of one shape, sent as one array
        stacked = _array(np, data["$stack"], data.get("shape"), data.get("bytes"))
        if stacked.ndim < 2 or not stacked.size:
            raise WireError("a stack of arrays without their shape")
        return list(stacked)
    raise WireError(f"unknown tag in {sorted(data)!r}")


def _unbigint(text: Any) -> int:
    """An integer from its digits: at most :data:`INT_BITS` bits, as :func:`encode` sends."""
    if not (isinstance(text, str) and len(text) <= 1 + INT_BITS // 3 and re.fullmatch(r"-?[0-9]+", text)):
        raise WireError("a number that is not an integer the grader can check")
    value = int(text)
    if value.bit_length() > INT_BITS:
        raise WireError("a number too large to check")
    return value


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise WireError("raw bytes that are not text")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise WireError("raw bytes that are not base64") from None


def _unfloats(text: Any) -> list[float]:
    raw = _unb64(text)
    if len(raw) % 8:
        raise WireError("float bytes that are not whole floats")
    return _little(array.array("d", raw)).tolist()


def _array(np: Any, dtype_name: Any, shape: Any, text: Any) -> Any:
    """An array from its dtype, shape and raw (little-endian) bytes, which must be exactly as many."""
    if not (isinstance(shape, list) and len(shape) <= 32
            and all(type(d) is int and 0 <= d <= MAX_ITEMS for d in shape)):
        raise WireError("an array shape that is not a list of sizes")
    dtype = _numeric_dtype(np, dtype_name)
    raw = _unb64(text)
    if len(raw) != math.prod(shape) * dtype.itemsize:
        raise WireError("array bytes that do not match its shape")
    if dtype.kind == "b":  # any nonzero byte is True: a forged 2 never becomes a bool NumPy does not know
        return (np.frombuffer(raw, dtype=np.uint8) != 0).reshape(shape)
    values = np.frombuffer(bytearray(raw), dtype=dtype.newbyteorder("<"))  # a writable copy of its own
    return (values if sys.byteorder == "little" else values.astype(dtype)).reshape(shape)


def _table(keys: Any, columns: Any) -> list[dict[str, Any]]:
    """Records rebuilt from a trace sent column by column."""
    if not (isinstance(keys, list) and all(type(k) is str for k in keys) and isinstance(columns, list)
            and len(columns) == len(keys)):
        raise WireError("a table whose columns do not match its keys")
    values = [decode(c) for c in columns]
    if not all(isinstance(v, list) for v in values):
        raise WireError("a table column that is not a list")
    if len({len(v) for v in values}) > 1:
        raise WireError("a table whose columns differ in length")
    if values and len(values[0]) * len(keys) > MAX_ITEMS:
        raise WireError("a table of more than 2 million items")
    return [dict(zip(keys, row)) for row in zip(*values)]


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
