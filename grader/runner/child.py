"""The worker that runs a student's code and sends back plain values.

Forked by the fork server (:mod:`grader.runner.forkserver`) with its private
pipes; it confines itself (:mod:`grader.runner.jail`), says ``{"ready": true}`` and then answers requests
(:func:`serve`), JSON lines in, JSON lines out; each answer repeats its
request's ``id``.
The student's ``print`` goes to stdout/stderr, another pipe, so it can never be
mistaken for an answer.  Only :mod:`grader.wire` data is sent; the grader
judges it in its own process.

Requests:

* ``{"op": "load", "lesson", "path", "cells": [[label, source], ...], "skip": [unit, ...]}``
  run the student's file or notebook cells into a fresh module, one unit at a
  time (a notebook's cell, or one top-level statement of a ``.py`` file), leaving
  out the units ``skip`` names; before each unit a progress answer
  ``{"unit": k, "cell": label, "line": n}`` says which one runs, so that the
  grader knows which statement to skip if the child must be stopped.
* ``{"op": "run", "tasks": [[steps, ...], ...]}``: for each task, for each of its
  cases, call functions and methods (see :meth:`Session.run`) and send one
  answer, tagged ``"task"`` and ``"case"``, as soon as it is ready; a task's
  first failing case ends that task.  ``"serve": [[name, ...], ...]`` (optional, one list per task) puts
  stand-ins for those functions of the student's module while that task runs: each call sends
  ``{"oracle": name, "args", "kwargs"}`` and waits for the grader's ``{"value": ...}`` (the right value,
  see :mod:`grader.oracle`) or ``{"unknown": true}`` (then the student's own function answers).
"""

from __future__ import annotations

import __future__
import ast
import json
import linecache
import numbers
import os
import sys
import traceback
import types
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Collection, Iterator

from grader import wire
from grader.runner import blocks

class _Fail(Exception):
    """A step could not be run for a reason that is the student's (missing function...)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class Session:
    """The student's module and the objects created by earlier steps."""

    def __init__(self, module: types.ModuleType | None = None) -> None:
        self.module = module
        self.student_files: set[str] = set()

    def load(self, lesson: str, path: str, cells: list[list[str]], shown: str = "", skip: Collection[int] = (),
             started: Callable[[int, str, int], None] = lambda unit, cell, line: None) -> dict[str, Any]:
        """Run each unit into one module; a failing unit is reported and the next one still runs.

        A unit is a notebook's cell, or one top-level statement of a ``.py`` file (a cell with no label), so a
        ``.py`` file runs the way a notebook does.  The units numbered in ``skip`` are left out; ``started``
        hears of each other one (its number, its cell and its first line) before it runs.  Tracebacks name the
        file ``shown`` (default: ``path``), as the student knows it, at the lines of the file.
        """
        module = types.ModuleType(lesson)
        module.__file__ = path
        sys.modules[lesson] = module
        self.module = module
        folder = str(Path(path).parent)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        problems = []
        unit = -1
        for label, source in cells:
            filename = f"{shown or path} [{label}]" if label else shown or path
            self.student_files.add(filename)
            lines = source.splitlines(keepends=True)
            linecache.cache[filename] = (len(source), None, lines, filename)
            try:
                pieces, broken = _units(source, filename, whole=bool(label))
            except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
                problems.append({"cell": label, **_syntax(exc)})
                continue
            problems += [{"cell": label, **_syntax(exc), "kind": "syntax_block", "defines": names}
                         for exc, names in broken]
            for line, piece, flags in pieces:
                unit += 1
                if unit in skip:
                    continue
                try:
                    code = compile(piece, filename, "exec", flags=flags, dont_inherit=True)
                except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
                    cell = {"defines": blocks.defined(blocks.lines_of(source))} if label else {}
                    problems.append({"cell": label, **_syntax(exc), **cell})
                    continue
                started(unit, label, line)
                try:
                    exec(code, module.__dict__)
                except BaseException as exc:  # noqa: BLE001 - a student's cell may raise anything, even SystemExit
                    problems.append({"cell": label, **self.describe(exc)})
        defined = sorted(k for k, v in module.__dict__.items() if callable(v) and not k.startswith("_"))
        return {"problems": problems, "defined": defined}

    def describe(self, exc: BaseException) -> dict[str, Any]:
        """An exception as data: its type, message and the student's own traceback lines."""
        if isinstance(exc, NotImplementedError):
            return {"kind": "not_implemented", "type": "NotImplementedError", "message": _text(exc)}
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in self.student_files]
        if isinstance(exc, SystemExit):
            return {"kind": "exit", "type": "SystemExit", "message": f"your code called sys.exit({exc.code!r})",
                    "line": frames[-1].lineno if frames else None}
        lines = traceback.format_list(frames)
        lines += traceback.format_exception_only(type(exc), exc)
        return {"kind": "memory" if isinstance(exc, MemoryError) else "raised", "type": type(exc).__name__,
                "message": _text(exc), "traceback": "".join(lines)[-4000:],
                "line": frames[-1].lineno if frames else None}

    def run(self, steps: list[dict[str, Any]], probing: Callable[[], None] = lambda: None) -> list[Any]:
        """Run each step; return the encoded value of each.

        A step is ``{"call": name, "args": [...], "kwargs": {...}}`` for a function or
        class of the student's module, or ``{"method": name, "on": k, "args": [...]}``
        for a method of the object that step ``k`` returned.  Arguments may be
        ``{"$step": k}`` (the object step k returned) or ``{"$fn": name, "params": {...}}``
        (a function of :mod:`grader.runner.callables`).  A call marked ``"probe": true`` (a loss probed
        for its slope, see :mod:`grader.judges.slope`) gives the number it returned, as a float, or None
        when it raised or returned anything else: its failure is not the case's.  ``probing()`` is
        called before the first probe, so the grader knows that a case stopped after it is the probes' doing.
        """
        produced: list[Any] = []
        encoded: list[Any] = []
        first_probe = next((step for step in steps if step.get("probe")), None)
        for step in steps:
            args = [self._arg(a, produced) for a in step.get("args", [])]
            kwargs = {k: self._arg(v, produced) for k, v in step.get("kwargs", {}).items()}
            if step is first_probe:
                probing()
            if step.get("probe"):
                value = _probed(lambda: self._lookup(step["call"])(*args, **kwargs))
            elif "call" in step:
                value = self._lookup(step["call"])(*args, **kwargs)
            else:
                owner = produced[step["on"]]
                target = getattr(owner, step["method"], None)
                if not callable(target):
                    raise _Fail("missing", f"{type(owner).__name__} has no method {step['method']}()")
                value = target(*args, **kwargs)
            produced.append(value)
            encoded.append(wire.encode(value))
        return encoded

    @contextmanager
    def served(self, names: Collection[str], ask: Callable[[str, tuple[Any, ...], dict[str, Any]], Any]
               ) -> Iterator[None]:
        """Stand-ins for the module's functions ``names`` while the block runs: each call is answered by
        ``ask(name, args, kwargs)``, or by the student's own function where that returns :data:`UNKNOWN`."""
        own = {name: getattr(self.module, name, None) for name in names}
        for name in names:
            setattr(self.module, name, _stand_in(name, own[name], ask))
        try:
            yield
        finally:
            for name, function in own.items():
                if function is None:
                    delattr(self.module, name)
                else:
                    setattr(self.module, name, function)

    def _lookup(self, name: str) -> Any:
        value = getattr(self.module, name, None)
        if value is None:
            raise _Fail("missing", f"{name} is not defined in your file")
        if not callable(value):
            raise _Fail("missing", f"{name} is defined in your file but is a {type(value).__name__}, "
                                   "not a function")
        return value

    @staticmethod
    def _arg(data: Any, produced: list[Any]) -> Any:
        if isinstance(data, dict) and "$step" in data:
            return produced[data["$step"]]
        if isinstance(data, dict) and "$fn" in data:
            from grader.runner import callables

            return callables.build(data["$fn"], wire.decode(data.get("params", {})))
        return wire.decode(data)


UNKNOWN = object()  # what the grader answers when it does not know a served function's value there


def _stand_in(name: str, own: Any, ask: Callable[[str, tuple[Any, ...], dict[str, Any]], Any]) -> Callable[..., Any]:
    """A function called ``name`` that asks the grader first, then falls back to the student's ``own``."""
    def stand_in(*args: Any, **kwargs: Any) -> Any:
        value = ask(name, args, kwargs)
        if value is not UNKNOWN:
            return value
        if not callable(own):
            raise NameError(f"name {name!r} is not defined")
        return own(*args, **kwargs)
    stand_in.__name__ = stand_in.__qualname__ = name
    return stand_in


def _probed(call: Callable[[], Any]) -> float | None:
    """The number ``call()`` returns, as a float; None when it raises or returns anything else."""
    try:
        value = call()
        return float(value) if isinstance(value, numbers.Real) else None
    except BaseException:  # noqa: BLE001 - a probed loss may raise anything: that is no failure of the case
        return None


def _units(source: str, filename: str, whole: bool) -> tuple[list[tuple[int, str | ast.Module, int]],
                                                              list[tuple[SyntaxError, list[str]]]]:
    """The units of one cell, each as (its first line, what to compile, the ``__future__`` flags in force):
    the cell itself when ``whole``, else each top-level statement, kept at its lines in the file; and the
    parts that could not be read (each one's error, and the names it defines).  A ``.py`` file that does not
    parse as a whole is read block by block (:mod:`grader.runner.blocks`), so a syntax error costs only its
    block.  Raises SyntaxError (and the like) when nothing of the cell can be read."""
    if whole:
        return [(1, source, 0)], []
    try:
        statements, broken = ast.parse(source, filename).body, []
    except SyntaxError:
        statements, broken = blocks.readable(source, filename)
        if not statements:
            raise
    units, flags = [], 0
    for statement in statements:
        if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
            for alias in statement.names:
                feature = getattr(__future__, alias.name, None)
                flags |= feature.compiler_flag if isinstance(feature, __future__._Feature) else 0
        units.append((statement.lineno, ast.Module([statement], type_ignores=[]), flags))
    return units, broken


def _syntax(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, SyntaxError):
        return {"kind": "syntax", "type": type(exc).__name__, "message": exc.msg or "invalid syntax",
                "line": exc.lineno, "offset": exc.offset, "text": (exc.text or "").rstrip("\n")[:300]}
    return {"kind": "syntax", "type": type(exc).__name__,
            "message": "the file is too deeply nested or too large for Python to read", "line": None}


def _text(exc: BaseException) -> str:
    try:
        return str(exc)[:2000]
    except BaseException:  # noqa: BLE001 - a student's exception may have a broken __str__
        return f"<{type(exc).__name__}>"


def serve(rfd: int, wfd: int) -> None:
    """Say ready, then answer requests until the parent closes the channel."""
    reader = os.fdopen(rfd, "r", encoding="utf-8", closefd=True)
    writer = os.fdopen(wfd, "w", encoding="utf-8", closefd=True)
    dumps, loads, me = json.dumps, json.loads, os.getpid()  # bound now: a student may replace json's functions

    def send(answer: dict[str, Any]) -> None:
        if os.getpid() != me:  # a copy the student forked came back here: only the worker answers
            os._exit(0)
        writer.write(dumps(answer, allow_nan=False) + "\n")
        writer.flush()

    def ask(nonce: str) -> Callable[[str, tuple[Any, ...], dict[str, Any]], Any]:
        def asking(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            try:
                data = {"args": [wire.encode(a) for a in args],
                        "kwargs": {k: wire.encode(v) for k, v in kwargs.items()}}
            except (wire.WireError, ValueError, TypeError, RecursionError):
                return UNKNOWN
            send({"id": nonce, "oracle": name, **data})
            reply = loads(reader.readline())
            return wire.decode(reply["value"]) if "value" in reply else UNKNOWN
        return asking

    send({"ready": True})
    session = Session()
    while line := reader.readline():
        request = loads(line)
        nonce = request.get("id")
        if request["op"] == "load":
            def started(unit: int, cell: str, line: int) -> None:
                send({"id": nonce, "unit": unit, "cell": cell, "line": line})

            skip = frozenset(request.get("skip", ()))
            send({**attempt(session, lambda: session.load(request["lesson"], request["path"], request["cells"],
                                                          request.get("shown", ""), skip, started)), "id": nonce})
            continue
        tasks, serves = request["tasks"], request.get("serve") or [[]] * len(request["tasks"])
        for t, (cases, names) in enumerate(zip(tasks, serves)):
            with session.served(names, ask(nonce)):
                for c, steps in enumerate(cases):
                    result = attempt(session, lambda: {"values": session.run(
                        steps, lambda: send({"id": nonce, "task": t, "case": c, "probing": True}))})
                    send({"id": nonce, "task": t, "case": c, **result})
                    if not result["ok"]:  # the first failing case decides: the task's other cases are not run
                        break


def attempt(session: Session, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``{"ok": True, **work()}``, or ``{"ok": False, "error": ...}`` saying what went wrong."""
    try:
        return {"ok": True, **work()}
    except _Fail as exc:
        return {"ok": False, "error": {"kind": exc.kind, "type": "", "message": exc.message}}
    except wire.WireError as exc:
        return {"ok": False, "error": {"kind": "unsendable", "type": "", "message": str(exc)}}
    except BaseException as exc:  # noqa: BLE001 - whatever the student's code raised
        return {"ok": False, "error": session.describe(exc)}
