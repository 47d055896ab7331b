"""A ``.py`` file that does not parse as a whole, read block by block: one syntax error costs the block it is
in (a function, a class, an import), not the whole lesson.

A block starts at a line that begins, at column 0, a statement that cannot continue the one before it:
``def``, ``class``, ``async def``, ``import``, ``from`` or a decorator (which keeps the ``def`` or ``class``
it decorates).  Whatever follows a block's first statement up to the next start is in the block (a top-level
assignment after a function is in that function's block).  Each block is parsed alone, at its own lines of
the file, so line numbers in errors and tracebacks are the file's.
"""

from __future__ import annotations

import ast
import re

_START = re.compile(r"@|(async\s+)?def\s|class\s|import\s|from\s")
_DEFINES = re.compile(r"(?:async\s+)?(?:def|class)\s+(\w+)")


def block_starts(lines: list[str]) -> list[int]:
    """The index of each block's first line (the first block starts at 0, with the file)."""
    starts, decorated = [0], False
    for at, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#") or line[0].isspace():
            continue  # only a statement at column 0 starts a block
        if at and _START.match(line) and not decorated:
            starts.append(at)
        decorated = line.startswith("@")
    return starts


def readable(source: str, filename: str) -> tuple[list[ast.stmt], list[tuple[SyntaxError, list[str]]]]:
    """The statements of every block that parses, and for each block that does not, its error and the names
    of the functions and classes it would have defined (read from its lines at column 0)."""
    lines = source.splitlines(keepends=True)
    bounds = [*block_starts(lines), len(lines)]
    statements: list[ast.stmt] = []
    errors: list[tuple[SyntaxError, list[str]]] = []
    for begin, end in zip(bounds, bounds[1:]):
        try:
            statements += ast.parse("\n" * begin + "".join(lines[begin:end]), filename).body
        except SyntaxError as exc:
            errors.append((exc, [m.group(1) for line in lines[begin:end] if (m := _DEFINES.match(line))]))
    return statements, errors
