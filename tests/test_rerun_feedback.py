"""Issue 16, items 5 and 6: a failing public case can be rerun from its feedback, a hidden one says what it is
about.

A student's file is the reference with one factor changed; the call its feedback shows is pasted into a fresh
Python with the reference imported, and must give the expected value the feedback shows.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from conftest import ROOT
from grader.checks import describe_call
from grader.courses import builtin
from grader.grading import grade_path
from grader.results import TaskResult

RUN = """import ast, json, sys
import numpy as np
from solutions.{lesson} import *
*body, last = ast.parse(sys.stdin.read()).body
exec(compile(ast.Module(body, []), "<pasted>", "exec"))
value = eval(compile(ast.Expression(last.value), "<pasted>", "eval"))
print(json.dumps(value, default=lambda a: np.asarray(a).tolist()))
"""


def rerun(lesson: str, call: str) -> object:
    """The value of the pasted ``call`` (its last statement) in a fresh Python with the reference imported."""
    done = subprocess.run([sys.executable, "-c", RUN.format(lesson=lesson)], input=call, capture_output=True,
                          text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout)


def student(tmp_path: Path, lesson: str, old: str, new: str) -> Path:
    """The reference of ``lesson`` with ``old`` replaced by ``new``, as a student's file."""
    text = (ROOT / "solutions" / f"{lesson}.py").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / f"{lesson}.py"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def expected_shown(result: TaskResult) -> float:
    """The first expected number the feedback shows."""
    return float(re.search(r"expected (-?[0-9.e+-]+)", result.feedback).group(1))


def graded(path: Path, *tasks: str) -> dict[str, TaskResult]:
    return {t.task: t for t in grade_path(path, tasks=tasks).tasks}


def test_an_array_case_s_call_is_pasted_and_gives_the_expected_value(tmp_path: Path) -> None:
    path = student(tmp_path, "lesson4_regression", "return 2 / n_rows * (X.T @ errors), float(",
                   "return 2 / n_rows * (X.T @ errors) * 1.01, float(")
    result = graded(path, "mse_gradients")["mse_gradients"]
    call = result.evidence.call
    assert result.status == "failed" and call in result.feedback
    assert "…" not in call and "..." not in call and call.count("np.array([") == 3  # X, y and w in full
    assert call.splitlines()[1].startswith("    np.array([[")  # a long call: one argument a line
    dw, _ = rerun("lesson4_regression", call)
    assert "result[0][0]: expected" in result.feedback
    assert np.isclose(dw[0], expected_shown(result), rtol=1e-9)


def test_a_training_case_s_call_is_pasted_and_gives_the_expected_record(tmp_path: Path) -> None:
    path = student(tmp_path, "lesson1_linear", "w = w - lr * grad\n", "w = w - lr * grad * 1.1\n")
    result = graded(path, "train")["train"]
    call = result.evidence.call
    assert call == "train([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0], 1.0, 0.01, 5)"
    history = rerun("lesson1_linear", call)
    assert "epoch 0, sample 1 (x=1.0, y=2.0): w expected 1.02" in result.feedback
    assert history[0]["w"] == expected_shown(result)


def test_an_optimizer_case_shows_its_instances_and_steps_up_to_the_one_that_differs(tmp_path: Path) -> None:
    path = student(tmp_path, "lesson5_optimizers", "return params - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)",
                   "return params - self.lr * m_hat / (np.sqrt(v_hat) + self.eps) * (1.02 if self.t > 2 else 1.0)")
    result = graded(path, "Adam")["Adam"]
    call = result.evidence.call
    assert call.startswith("adam1 = Adam()\nadam2 = Adam(lr=0.01, betas=(0.8, 0.99))\nadam1.step(\n")
    assert call.count(".step(") == 5 and "Adam #1 (defaults), step 3: [0] expected" in result.feedback
    params = rerun("lesson5_optimizers", call)
    assert np.isclose(params[0], expected_shown(result), rtol=1e-9)
    table = result.feedback.splitlines()[-5:]
    assert table[0].split() == ["step", "[0]", "expected", "[0]", "got"]  # arrays too wide: the differing entry
    assert table[3].startswith("> Adam #1, step 3") and max(len(line) for line in table) <= 100


def test_a_helper_is_written_as_the_code_that_builds_it() -> None:
    lesson = builtin().lessons["lesson5_optimizers"]
    task = lesson.task("minimize")
    call = describe_call("minimize", task.cases[0])
    assert call == ("from grader.runner.callables import HeavyBall, quadratic\n"
                    "minimize(\n"
                    "    HeavyBall(lr=0.1, momentum=0.5),\n"
                    "    quadratic(A=[[3.0, 0.5], [0.5, 1.0]], b=[1.0, -2.0]),\n"
                    "    np.array([1.0, -1.0]),\n"
                    "    10,\n"
                    ")")
    from solutions.lesson5_optimizers import minimize
    first, = rerun("lesson5_optimizers", call)[:1]
    assert np.allclose(first, minimize(*[_built(a) for a in task.cases[0].args])[0])


def _built(value: object) -> object:
    from grader.checks import Fn
    from grader.runner.callables import build

    return build(value.name, dict(value.params)) if isinstance(value, Fn) else value


def test_every_hidden_case_of_the_built_in_course_says_what_it_is_about() -> None:
    course = builtin()
    unlabelled = [f"{lesson.name}.{task.name}[{i}]" for lesson in course.lessons.values() if lesson.number <= 6
                  for task in lesson.tasks for i, c in enumerate(task.cases) if c.hidden and not c.label]
    assert unlabelled == []


def test_a_hidden_failure_names_its_case_and_the_mistake(tmp_path: Path) -> None:
    """A gradient that takes x ≥ 0 for granted passes the public cases and has the sign flipped at the hidden
    negative x (what the slope of the student's loss says may follow)."""
    path = student(tmp_path, "lesson1_linear", "# BEGIN SOLUTION\n    return 2 * x * (x * w - y)",
                   "# BEGIN SOLUTION\n    return 2 * abs(x) * (x * w - y)")
    result = graded(path, "gradient")["gradient"]
    assert result.feedback.startswith(
        "Your answer is the derivative with the opposite sign: check each minus sign.\n"
        "a hidden check (negative x) failed: your code gives the values of a known mistake: "
        "sign flipped. It passes the public cases, so test it on other data too")
    assert (result.evidence.case, result.evidence.hidden, result.mistake) == ("negative x", True, "sign_flipped")
