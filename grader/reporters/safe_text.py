"""Text from a student's code, made safe to show: control characters become visible escapes.

Messages, tracebacks, printed output, the reprs of returned values, notebook cell
labels and file names all come from the student, and a terminal, a browser or an
XML parser acts on some characters instead of showing them: ``\\r``, ``ESC[1A`` and
``ESC[2K`` rewrite an earlier line (a fake ``PASS`` over a ``FAIL``), OSC 52
(``ESC ] 52 ; c ; … BEL``) writes the clipboard, a bidi override reorders a line,
NUL and lone surrogates make XML (and UTF-8) invalid.  :func:`printable` writes
each of them as its Python escape (``\\x1b``, ``\\r``, ``\\u202e``), which shows what
was there and does nothing.

Every reporter's entry point is decorated with :func:`renders`, so it receives
the report with every string already cleaned: a renderer cannot forget it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import fields, is_dataclass, replace
from typing import Any, Callable, Mapping, TypeVar

# C0 but tab and newline, DEL, C1, Unicode's Bidi_Control characters, lone surrogates, the two noncharacters XML forbids
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff\ufffe\uffff]")

T = TypeVar("T")
R = TypeVar("R")


def printable(text: str) -> str:
    """``text`` with every character a terminal, browser or XML parser would act on written as its escape."""
    return _UNSAFE.sub(lambda m: ascii(m.group())[1:-1], text)


def cleaned(value: T) -> T:
    """``value`` (a report or any part of one: dataclasses, tuples, lists, dicts, strings) with every string
    made :func:`printable`."""
    if isinstance(value, str):
        return printable(value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(cleaned(v) for v in value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [cleaned(v) for v in value]  # type: ignore[return-value]
    if isinstance(value, Mapping):
        return {cleaned(k): cleaned(v) for k, v in value.items()}  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: cleaned(getattr(value, f.name)) for f in fields(value) if f.init})
    return value


def renders(render: Callable[..., R]) -> Callable[..., R]:
    """A reporter's entry point, given its arguments (the report, or the rows of reports) :func:`cleaned`."""
    @functools.wraps(render)
    def safe(*args: Any, **kwargs: Any) -> R:
        return render(*cleaned(args), **cleaned(kwargs))
    return safe
