"""Build the student notebook of a lesson from its stub file, with nbformat.

One notebook per lesson: the lesson's explanation (the module docstring), the
imports, then per task a short heading with its points and what is checked,
the stub cell (signature, docstring with the formulas, ``raise
NotImplementedError``) and a scratch cell to try it; last, the self-check cell.
Cell ids are derived from the lesson, so regenerating gives the same file.
"""

from __future__ import annotations

import ast

import nbformat

from grader.checks import Lesson, Task, describe_call

SELF_CHECK = '''from grader.selfcheck import check

check("{lesson}")  # grades the cells you ran in this notebook, saved or not'''


def build(stub_source: str, lesson: Lesson) -> nbformat.NotebookNode:
    """The notebook for ``lesson`` from the text of its stub module."""
    tree = ast.parse(stub_source)
    lines = stub_source.splitlines()
    doc = ast.get_docstring(tree) or ""
    tasks = {task.name: task for task in lesson.tasks}

    cells = [_markdown(f"# Lesson {lesson.number}: {lesson.title}\n\n{doc}\n\n"
                       f"Fill in each function below, run its cell, try it in the cell under it, and run the "
                       f"last cell to check your work. {_total(lesson)} points in all.")]
    pending: list[str] = []  # module-level code between definitions, kept in its place
    for node in tree.body:
        if _is_docstring(node) or _is_future(node):
            continue
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            pending.append(_segment(lines, node))
            continue
        if pending:
            cells.append(_code("\n".join(pending)))
            pending = []
        task = tasks.get(node.name)
        if task is not None:
            cells.append(_markdown(_heading(task)))
        cells.append(_code(_segment(lines, node)))
        if task is not None:
            cells.append(_code(_scratch(task)))
    if pending:
        cells.append(_code("\n".join(pending)))
    cells.append(_markdown("## Check your work\n\nRun this cell after running the cells above. It grades the "
                           "cells you ran, in a separate process, even if the notebook is not saved. Public "
                           "checks run here; hidden checks run when your work is graded."))
    cells.append(_code(SELF_CHECK.format(lesson=lesson.name)))

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for number, cell in enumerate(cells, start=1):
        cell["id"] = f"{lesson.name.replace('_', '-')}-{number}"
    nb.cells = cells
    return nb


def render(stub_source: str, lesson: Lesson) -> str:
    """The notebook as the text written to disk."""
    return nbformat.writes(build(stub_source, lesson)) + "\n"


def _heading(task: Task) -> str:
    points = f"{task.points:g} point{'s' if task.points != 1 else ''}"
    return f"## `{task.name}` ({points})\n\nChecked: {task.title}."


def _scratch(task: Task) -> str:
    public = [c for c in task.cases if not c.hidden and c.args and _plain(c.args)]
    if public:
        return f"# Try it:\n{describe_call(task.name, public[0])}"
    if task.cases and not task.cases[0].args:
        return f"# Try it:\n{task.name}()"
    return "# Try it here."


def _plain(args: tuple) -> bool:
    return all(isinstance(a, (int, float)) or isinstance(a, list) and len(a) <= 8
               and all(isinstance(v, (int, float)) for v in a) for a in args)


def _total(lesson: Lesson) -> str:
    return f"{sum(t.points for t in lesson.tasks):g}"


def _segment(lines: list[str], node: ast.AST) -> str:
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return "\n".join(lines[start - 1: node.end_lineno])


def _is_docstring(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _is_future(node: ast.AST) -> bool:
    return isinstance(node, ast.ImportFrom) and node.module == "__future__"


def _markdown(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text)


def _code(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(text)
