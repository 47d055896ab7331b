"""One-way layering: the shared types sit in a leaf module, and no import cycle runs through checks, diagnosis
or the judges; the caches of grading belong to the objects that grade, not to a module.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import sympy

from conftest import ROOT
from grader.checks import derivative
from grader.courses import builtin
from grader.grading import case_plan, public_plan
from grader.model import Case
from grader.reference import Reference

PACKAGE = ROOT / "grader"
LEAF = "grader.model"
LAYER = (LEAF, "grader.checks", "grader.diagnosis",
         *sorted(f"grader.judges.{p.stem}" for p in (PACKAGE / "judges").glob("*.py") if p.stem != "__init__"))


def module_file(name: str) -> Path | None:
    """The source of module ``name`` of the grader, or None when ``name`` is not one (an imported function)."""
    path = ROOT.joinpath(*name.split("."))
    return next((p for p in (path.with_suffix(".py"), path / "__init__.py") if p.is_file()), None)


def grader_imports(name: str) -> set[str]:
    """Every module of the grader that module ``name`` imports, anywhere in it (in functions and under
    ``TYPE_CHECKING`` too)."""
    found = set()
    for node in ast.walk(ast.parse(module_file(name).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "grader"}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "grader":
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names
                      if module_file(f"{node.module}.{alias.name}")}
    return {m for m in found if m != "grader" and module_file(m)}


def import_graph(roots: tuple[str, ...]) -> dict[str, set[str]]:
    """The grader's modules that ``roots`` import, directly or not, each with the grader modules it imports."""
    graph: dict[str, set[str]] = {}
    waiting = list(roots)
    while waiting:
        name = waiting.pop()
        if name not in graph:
            graph[name] = grader_imports(name)
            waiting += graph[name]
    return graph


def test_the_leaf_module_imports_nothing_of_the_grader() -> None:
    assert grader_imports(LEAF) == set()


def test_no_import_cycle_runs_through_checks_diagnosis_or_the_judges() -> None:
    """The modules on an import path from one of them to one of them (a cycle through them would be one) are
    ordered: each imports only modules before it."""
    graph = import_graph(LAYER)
    reaching = set(LAYER)
    while grown := {m for m, imports in graph.items() if imports & reaching} - reaching:
        reaching |= grown
    between = {m: graph[m] & reaching for m in reaching}
    try:
        order = list(TopologicalSorter(between).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None
    assert not between[LEAF] and set(LAYER) <= set(order)  # the leaf imports none of them


def test_each_module_imports_first_in_a_fresh_interpreter() -> None:
    """No module of the layer needs another to be imported before it (which a cycle would)."""
    runs = {name: subprocess.Popen([sys.executable, "-c", f"import {name}"], cwd=ROOT, stderr=subprocess.PIPE,
                                   text=True) for name in LAYER}
    failed = {name: run.communicate()[1].strip().splitlines()[-1:] for name, run in runs.items()}
    assert {name: error for name, error in failed.items() if runs[name].returncode} == {}


def test_each_grading_session_keeps_its_own_requests() -> None:
    course = builtin()
    lesson = course.lessons["lesson1_linear"]
    task = lesson.task("train")
    hidden = next(i for i, c in enumerate(task.cases) if c.hidden)
    mine, other = Reference(course), Reference(course)
    assert public_plan(lesson, task, mine) is public_plan(lesson, task, mine)
    assert case_plan(lesson, task, hidden, mine) is case_plan(lesson, task, hidden, mine)
    assert public_plan(lesson, task, other) is not public_plan(lesson, task, mine)


def test_a_derivative_task_keeps_the_verdicts_on_its_answers() -> None:
    x, y, w = sympy.symbols("x y w")
    mine, other = derivative((x * w - y) ** 2, w, "x y w"), derivative((x * w - y) ** 2, w, "x y w")
    expected = mine.expected_values(Case())
    assert mine == other  # the same task, declared twice: each keeps its own verdicts
    assert mine.judge(expected, ["2*x*(y - x*w)"], "dloss_dw", Case()).mistake == "sign_flipped"
    assert len(mine.judged) == 1 and other.judged == {}
