"""The self-check that a student runs from the last cell of a lesson notebook.

It grades what the student *ran*: the kernel's history of executed cells
(IPython keeps the raw text of every cell run), so unsaved work counts.  Those
cells are written to a temporary notebook and graded by ``grade check`` in a
separate process, so neither the grader's judging nor its verdict lives in the
kernel where the student's code runs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from grader.loader import SELF_CHECK_MARKER


def executed_cells() -> list[str]:
    """The raw text of every cell run so far in this IPython kernel, except self-check cells."""
    try:
        shell = get_ipython()  # type: ignore[name-defined]  # noqa: F821 - defined inside IPython only
    except NameError:
        raise RuntimeError("check() runs inside a Jupyter notebook; outside it, run: grade check FILE") from None
    history = shell.history_manager.input_hist_raw
    return [cell for cell in history if cell.strip() and SELF_CHECK_MARKER not in cell]


def check(lesson: str, cells: list[str] | None = None, timeout: float = 120.0) -> int:
    """Grade ``cells`` (by default the cells run in this kernel) as ``lesson``; print the report.

    Returns the exit code of ``grade check``: 0 when every public check passed.
    """
    sources = executed_cells() if cells is None else cells
    with tempfile.TemporaryDirectory(prefix="selfcheck-") as tmp:
        path = Path(tmp) / f"{lesson}.ipynb"
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(text) for text in sources]
        nbformat.write(nb, path)
        try:
            done = subprocess.run([sys.executable, "-m", "grader", "check", str(path)], capture_output=True,
                                  text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            print(f"the self-check did not finish within {timeout:g} s")
            return 1
    report = done.stdout.replace(str(path), f"{lesson} (the cells you ran)")
    print(report + (done.stderr if done.returncode not in (0, 1) else ""), end="")
    return done.returncode
