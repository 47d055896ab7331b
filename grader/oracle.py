"""Follow-through marking: the right values of a task's declared dependencies, for a rerun of the task.

A task may declare the student functions it calls (``Task(..., uses=("gradient",
"loss"))``).  When it fails and one of those failed too, it is run again with each
failed dependency answered by the grader (see :func:`grader.grading.follow_through`):
the child's stand-in for ``gradient`` sends its arguments over the answer channel,
and the grader answers from a :class:`Table`.

A table holds the calls of the dependencies that the reference made on that case,
and those that each known mistake of the task made (so that a loop that is
wrong in a known way, given the right gradient, is still named).  The reference's
code never runs on arguments the student chose, so nothing beyond what the right
loop (or a known wrong one) computes on that case is ever served; a call at any
other point is answered "unknown" and the child calls the student's own function.
A built kit stores its tables with its answers (:func:`grader.reference.store_answers`),
so a student's ``grade check`` and the final grading serve the same values.
"""

from __future__ import annotations

import inspect
import json
import types
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from grader import wire
from grader.judges.numeric import ATOL, RTOL


@dataclass(frozen=True)
class Call:
    """One call of a dependency: its name, its arguments in parameter order and what it returned, as wire data."""

    name: str
    args: tuple[Any, ...]
    value: Any


def point(values: Sequence[Any]) -> tuple[tuple[Any, ...], np.ndarray] | None:
    """Arguments as a point to look up: (the shape of each, every number in one float vector), or None when
    one is not made of numbers (it can match no recorded call)."""
    shapes, parts = [], []
    for value in values:
        if isinstance(value, (bool, np.bool_)):
            return None
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError, OverflowError):
            return None
        shapes.append(array.shape)
        parts.append(array.ravel())
    return tuple(shapes), np.concatenate(parts) if parts else np.zeros(0)


class Table:
    """The recorded calls of one case, looked up by name and arguments: the nearest recorded point within the
    kit's tolerance (:mod:`grader.judges.numeric`) answers, so a right loop whose numbers differ from the
    reference's by rounding is still served."""

    def __init__(self, calls: Sequence[Call]) -> None:
        self.calls = tuple(calls)
        groups: dict[tuple[str, tuple[Any, ...]], list[tuple[np.ndarray, Any]]] = {}
        for call in self.calls:
            found = point([wire.decode(a) for a in call.args])
            if found is not None:
                groups.setdefault((call.name, found[0]), []).append((found[1], call.value))
        self._groups = {key: (np.array([p for p, _ in rows]), [v for _, v in rows]) for key, rows in groups.items()}

    def to_data(self) -> dict[str, Any]:
        """The table as JSON data, as a built kit stores it: each distinct argument once (a loop passes the same
        data set to every call), each call as its name, the places of its arguments and its value."""
        pool: dict[str, int] = {}
        texts: list[Any] = []
        calls: dict[tuple[str, tuple[int, ...]], list[Any]] = {}  # a point the runs share is stored once
        for call in self.calls:
            places = []
            for arg in call.args:
                text = json.dumps(arg, sort_keys=True)
                if text not in pool:
                    pool[text] = len(texts)
                    texts.append(arg)
                places.append(pool[text])
            calls.setdefault((call.name, tuple(places)), [call.name, places, call.value])
        return {"args": texts, "calls": list(calls.values())}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "Table":
        """The table :meth:`to_data` wrote."""
        args = data["args"]
        return cls([Call(name, tuple(args[i] for i in places), value) for name, places, value in data["calls"]])

    def answer(self, name: str, args: Sequence[Any]) -> Any:
        """What ``name`` returned at the recorded point nearest ``args`` (wire data); KeyError when no recorded
        call of it is within the tolerance."""
        found = point(args)
        if found is None or (name, found[0]) not in self._groups:
            raise KeyError(name)
        points, values = self._groups[name, found[0]]
        if not points.shape[1]:
            return values[0]
        scale = np.max(np.abs(points), axis=1, keepdims=True)
        gap = np.abs(points - found[1])
        with np.errstate(divide="ignore", invalid="ignore"):
            distance = np.max(np.where(gap == 0, 0.0, gap / (RTOL * np.abs(points) + ATOL * scale)), axis=1)
        distance = np.where(np.isnan(distance), np.inf, distance)
        best = int(np.argmin(distance))
        if distance[best] > 1.0:
            raise KeyError(name)
        return values[best]


def in_order(parameters: Sequence[str], args: Sequence[Any], kwargs: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The arguments of a call in the order of ``parameters``, or None when they do not give each exactly once."""
    if len(args) > len(parameters):
        return None
    given = dict(zip(parameters, args))
    for key, value in kwargs.items():
        if key in given or key not in parameters:
            return None
        given[key] = value
    return tuple(given[p] for p in parameters) if len(given) == len(parameters) else None


def recording(function: Callable[..., Any], uses: Sequence[str], right: Mapping[str, Any],
              calls: list[Call]) -> Callable[..., Any]:
    """``function`` reading a copy of its module's names in which each dependency of ``uses`` records its calls
    in ``calls``, where it is the right one (the reference's, in ``right``: a mistake's run may call a wrong
    one by that name, whose values are never served); the module's other functions read that copy too, so
    a call made through a helper is recorded as well.  Nothing is changed in the module itself."""
    names = dict(function.__globals__)
    for name in uses:
        if callable(names.get(name)) and names[name] is right.get(name):
            names[name] = _recorder(name, names[name], calls)
    for key, value in function.__globals__.items():
        if isinstance(value, types.FunctionType) and value.__globals__ is function.__globals__ and key not in uses:
            names[key] = _rebound(value, names)
    return _rebound(function, names)


def _rebound(function: types.FunctionType, names: dict[str, Any]) -> types.FunctionType:
    copy = types.FunctionType(function.__code__, names, function.__name__, function.__defaults__,
                              function.__closure__)
    copy.__kwdefaults__ = function.__kwdefaults__
    return copy


def _recorder(name: str, function: Callable[..., Any], calls: list[Call]) -> Callable[..., Any]:
    signature = inspect.signature(function)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        value = function(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        calls.append(Call(name, tuple(wire.encode(a) for a in bound.arguments.values()), wire.encode(value)))
        return value
    return recorded


def server(table: Table, serves: Sequence[str], parameters: Mapping[str, Sequence[str]]) -> Callable[[Any], Any]:
    """What answers the child's requests for the dependencies ``serves`` from ``table``: a request
    ``{"oracle": name, "args": [...], "kwargs": {...}}`` gets ``{"value": ...}`` or ``{"unknown": true}``
    (a name not served, arguments not read, a point not recorded)."""
    def answer(request: Any) -> dict[str, Any]:
        name, args, kwargs = request.get("oracle"), request.get("args"), request.get("kwargs", {})
        if name not in serves or name not in parameters or not isinstance(args, list) or not isinstance(kwargs, dict):
            return {"unknown": True}
        try:
            ordered = in_order(parameters[name], [wire.decode(a) for a in args],
                               {k: wire.decode(v) for k, v in kwargs.items()})
            if ordered is None:
                return {"unknown": True}
            return {"value": table.answer(name, ordered)}
        except (wire.WireError, ValueError, TypeError, KeyError, ArithmeticError, RecursionError, MemoryError):
            return {"unknown": True}
    return answer
