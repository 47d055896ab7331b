"""Student notebooks: generated from the stubs, graded like files, self-check from inside Jupyter."""

from __future__ import annotations

import builtins
from types import SimpleNamespace

import nbformat
import pytest

from conftest import ROOT, grade_json
from grader.courses import builtin
from grader.selfcheck import check, executed_cells
from grader.stubs import stale

LESSONS = builtin().lessons


def test_notebooks_are_up_to_date_and_one_per_lesson():
    assert stale(builtin(), ROOT / "exercises", ROOT / "notebooks") == []
    assert sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb")) == sorted(LESSONS)


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_notebook_has_explanation_a_stub_cell_per_task_and_a_self_check(lesson):
    nb = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    nbformat.validate(nb)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(f"# Lesson {LESSONS[lesson].number}")
    for task in LESSONS[lesson].tasks:
        assert any(src.startswith(f"def {task.name}(") or src.startswith(f"class {task.name}") for src in code), task
    assert f'check("{lesson}")' in code[-1]


def test_untouched_notebook_scores_zero_with_not_implemented():
    code, doc = grade_json(ROOT / "notebooks" / "lesson1_linear.ipynb")
    assert code == 1 and doc["score"] == 0
    assert all("not implemented yet" in t["output"] for t in doc["tests"])
    assert "check() runs inside" not in doc["output"]  # the self-check cell itself is not graded


def test_self_check_grades_the_cells_that_were_run_even_unsaved(monkeypatch, capsys):
    solution = (ROOT / "solutions" / "lesson1_linear.py").read_text()
    history = ["", "import numpy as np", solution, "forward(2.0, 3.0)",
               'from grader.selfcheck import check\ncheck("lesson1_linear")']
    shell = SimpleNamespace(history_manager=SimpleNamespace(input_hist_raw=history))
    monkeypatch.setattr(builtins, "get_ipython", lambda: shell, raising=False)
    assert executed_cells() == history[1:4]
    assert check("lesson1_linear") == 0
    out = capsys.readouterr().out
    assert "Total: 10/10 points" in out and "the cells you ran" in out


def test_self_check_reports_a_wrong_cell(capsys):
    cells = ["def forward(x, w):\n    return x + w"]
    assert check("lesson1_linear", cells=cells) == 1
    assert "forward(2.0, 3.0): expected 6.0, got 5.0" in capsys.readouterr().out
