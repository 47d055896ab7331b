"""What a student reads about loading a lesson file: said once, as notes on the file, never under each task.

A ``.py`` file runs statement by statement and a notebook cell by cell
(:mod:`grader.runner.child`), so a failing top-level line costs only what it
defines, and a syntax error only its block (:mod:`grader.runner.blocks`) or
cell.  Its note says what failed and, for the usual student habits (an
import of a package the course does not offer, a data file beside the lesson,
a plot, a long demo run), what to do instead.  A task that could not be graded
because of the file says so in a few words and points at the note.
"""

from __future__ import annotations

from typing import Any, Sequence

NOT_GRADED = "not graded"
SEE_NOTE = "see the note on this file"
GUARD = 'if __name__ == "__main__":'
_QUIET = frozenset({"not_implemented"})  # a stub raising at the top level is the task's own verdict
SYNTAX = frozenset({"syntax", "syntax_block"})  # the whole file (or cell) unreadable; one block of a .py file


def file_notes(failure: str | None, problems: Sequence[dict[str, Any]], packages: Sequence[str]) -> tuple[str, ...]:
    """The notes on a lesson file: why it was not loaded (``failure``), else each problem of loading it
    (``problems``, as the runner reported them) and advice on the habits behind them (``packages``: what the
    course offers)."""
    if failure:
        return (failure,)
    shown = [p for p in problems if p.get("kind") not in _QUIET]
    return tuple(describe_problem(p) for p in shown) + advice(shown, packages)


def describe_problem(problem: dict[str, Any]) -> str:
    """One line (plus the offending code) about a cell or top-level statement that failed while loading."""
    cell = problem.get("cell")
    where = f"{cell}, " if cell else ""
    rest = "the other cells still ran" if cell else "the rest of your file still ran"
    if problem.get("kind") in SYNTAX:
        line = f"line {problem['line']}" if problem.get("line") else "somewhere"
        text = f"\n    {problem['text'].strip()}" if problem.get("text") else ""
        part = f" (Python skipped the block it is in; {rest})" if problem["kind"] == "syntax_block" else ""
        return f"{where}{line}: {problem.get('type', 'SyntaxError')}: {problem.get('message', '')}{part}{text}"
    line = f"line {problem['line']}: " if problem.get("line") else ""
    if problem.get("kind") == "stopped":
        code = f"`{problem['text']}` " if problem.get("text") else "it "
        return f"{where}{line}{code}{problem.get('message', '')}: skipped, and {rest}"
    if problem.get("kind") == "exit":
        return f"{where}{line}exited while importing your file: {problem.get('message', '')} ({rest})"
    return f"{where}{line}raised {problem.get('type', 'an error')}: {problem.get('message', '')} ({rest})"


def advice(problems: Sequence[dict[str, Any]], packages: Sequence[str]) -> tuple[str, ...]:
    """What to do about the top-level failures ``problems`` (none for syntax errors: their note says it)."""
    ran = [p for p in problems if p.get("kind") not in SYNTAX]
    if not ran:
        return ()
    said = []
    if any(p.get("type") == "ModuleNotFoundError" for p in ran):
        said.append(f"the course offers {', '.join(packages)} and Python's standard library: "
                    "other packages are not there when your work is graded")
    if any(p.get("type") in ("FileNotFoundError", "PermissionError") for p in ran):
        said.append("the grader sees only your lesson file: a data file beside it is not there")
    said.append(f"put demo code (plots, data files, long runs) under `{GUARD}`: "
                "the grader runs your functions, not your demos")
    return tuple(said)


def unreadable(problems: Sequence[dict[str, Any]]) -> bool:
    """True when Python could not read any part of a ``.py`` file (see :mod:`grader.runner.blocks`)."""
    return any(p.get("kind") == "syntax" and not p.get("cell") for p in problems)


def unread(problems: Sequence[dict[str, Any]], name: str) -> str | None:
    """Why ``name`` is not defined when it is in a block of a ``.py`` file (see :mod:`grader.runner.blocks`)
    or a notebook cell that Python could not read, else None."""
    block = next((p for p in problems if p.get("kind") in SYNTAX and name in p.get("defines", ())), None)
    if block is None:
        return None
    line = f"line {block['line']}" if block.get("line") else "a line"
    where, what = (f"{block['cell']}, {line}", "cell") if block.get("cell") else (line, "block it is in")
    return (f"Python could not read {name}: {where} has a syntax error ({block.get('message', '')}), so the "
            f"{what} was skipped; {SEE_NOTE}")


def missing_note(problems: Sequence[dict[str, Any]]) -> str:
    """What to add after "f is not defined in your file" when loading the file had problems ("" if none)."""
    if any(p.get("kind") not in _QUIET for p in problems):
        return f" (a part of your file failed to run: {SEE_NOTE})"
    return ""
