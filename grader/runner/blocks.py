"""A ``.py`` file that does not parse as a whole, read block by block: one syntax error costs the block it is
in (a function, a class, an import, a demo under ``if __name__ == "__main__":``), not the whole lesson.

A block starts at a line that begins, at column 0, a statement that cannot continue the one before it:
``def``, ``class``, ``async``, ``import``, ``from``, ``if``, ``for``, ``while``, ``with``, ``try`` or a
decorator (which keeps the ``def`` or ``class`` it decorates, over as many lines as it takes).  A line inside
a string that spans lines (old code "commented out" between triple quotes) starts nothing, as far as
Python's tokenizer can read the file; past a point it cannot read (an unclosed string or bracket), the
lines alone decide.  Whatever follows a block's first statement up to the next start is in the block (a
top-level assignment after a function is in that function's block).  Each block is parsed alone and its
line numbers moved to the file's, so errors and tracebacks name the file's lines.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

_START = re.compile(r"@|(async|def|class|import|from|if|for|while|with|try)\b")
_DEFINITION = re.compile(r"(async\s+)?(def|class)\b")
_DEFINES = re.compile(r"(?:async\s+)?(?:def|class)\s+(\w+)")
_STRINGS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def lines_of(source: str) -> list[str]:
    """The file's lines as Python counts them (a form feed or U+2028 ends no line), each with its newline."""
    return [line for line in re.split(r"(?<=\n)", source) if line]


def in_strings(source: str) -> set[int]:
    """The indices of the lines that lie inside a string spanning lines (after the line it opens on), as far
    as the tokenizer can read the file."""
    inside: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in _STRINGS and token.end[0] > token.start[0]:
                inside.update(range(token.start[0], token.end[0]))  # rows are 1-based: the lines after the first
    except (tokenize.TokenError, SyntaxError):  # IndentationError too: what was read so far still counts
        pass
    return inside


def block_starts(source: str) -> list[int]:
    """The index of each block's first line (the first block starts at 0, with the file)."""
    starts, decorated, strings = [0], False, in_strings(source)
    for at, line in enumerate(lines_of(source)):
        if at in strings or not _START.match(line):
            continue  # only a statement at column 0 that no string holds starts a block
        if at and not decorated:
            starts.append(at)
        decorated = line.startswith("@") or decorated and not _DEFINITION.match(line)
    return starts


def defined(lines: list[str]) -> list[str]:
    """The names of the functions and classes that ``lines`` define at column 0."""
    return [m.group(1) for line in lines if (m := _DEFINES.match(line))]


def readable(source: str, filename: str) -> tuple[list[ast.stmt], list[tuple[SyntaxError, list[str]]]]:
    """The statements of every block that parses, and for each block that does not, its error and the names
    of the functions and classes it would have defined."""
    lines = lines_of(source)
    bounds = [*block_starts(source), len(lines)]
    statements: list[ast.stmt] = []
    errors: list[tuple[SyntaxError, list[str]]] = []
    for begin, end in zip(bounds, bounds[1:]):
        try:
            tree = ast.parse("".join(lines[begin:end]), filename)
        except SyntaxError as exc:
            exc.lineno = (exc.lineno or 1) + begin
            exc.end_lineno = exc.end_lineno + begin if exc.end_lineno else None
            errors.append((exc, defined(lines[begin:end])))
            continue
        statements += ast.increment_lineno(tree, begin).body
    return statements, errors
