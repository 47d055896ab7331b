"""Item 12 of issue 16: a task may give credit per case (public and hidden, weighted), shown in every report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import grade, grade_json
from grader.courses import CourseError, load_course

REFERENCE = "def double(x):\n    return 2 * x\n"


def course(folder: Path, credit: str) -> Path:
    """A one-lesson course: ``double`` with two public and two hidden cases, declared with ``credit``."""
    (folder / "solutions").mkdir(parents=True)
    (folder / "solutions" / "lesson1_twice.py").write_text(REFERENCE)
    (folder / "checks.py").write_text(
        "from grader.checks import Task, Value, case\n"
        f"TASKS = (Task('double', 4, 'double(x) is 2x', Value(), (case(1.0), case(2.0)), credit={credit}),)\n")
    (folder / "hidden.py").write_text("from grader.checks import case\n"
                                      "CASES = {'double': (case(-3.0, label='negative'), case(10.0, label='large'))}\n")
    (folder / "course.toml").write_text('[course]\nname = "c"\n[[lessons]]\nname = "lesson1_twice"\nnumber = 1\n'
                                        'checks = "checks.py"\nhidden = "hidden.py"\n'
                                        'reference = "solutions/lesson1_twice.py"\n')
    return folder


def student(folder: Path, body: str) -> Path:
    path = folder / "student" / "lesson1_twice.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"def double(x):\n    {body}\n")
    return path


def test_each_case_earns_its_share_in_every_report(tmp_path: Path) -> None:
    folder = course(tmp_path / "c", '"per_case"')
    wrong_on_small = student(tmp_path, "return 2 * x if abs(x) > 1.5 else 0.0")  # fails 1.0 only: 3 of 4
    text = grade("check", str(wrong_on_small), "--course", str(folder))
    assert "FAIL  double  3/4 (3 of 4 cases)" in text.stdout and "Total: 3/4 points" in text.stdout
    code, doc = grade_json(wrong_on_small, "--course", str(folder))
    assert doc["score"] == 3 and doc["tests"][0]["score"] == 3 and code == 1
    raises_on_hidden = student(tmp_path, "assert x > 0\n    return 2 * x")  # public pass, the negative one raises
    text = grade("check", str(raises_on_hidden), "--course", str(folder))
    assert "double  3/4 (3 of 4 cases)" in text.stdout and "a hidden check (negative) failed" in text.stdout
    junit = grade("check", str(raises_on_hidden), "--course", str(folder), "--format", "junit").stdout
    assert '<property name="score" value="3/4 (3 of 4 cases)" />' in junit
    markdown = grade("check", str(raises_on_hidden), "--course", str(folder), "--format", "markdown").stdout
    assert "| `lesson1_twice.double` | 3/4 (3 of 4 cases) |" in markdown


def test_weights_per_case_and_the_all_or_nothing_default(tmp_path: Path) -> None:
    wrong_on_large = student(tmp_path, "return 2 * x if x < 5 else 0.0")  # fails only the hidden 'large' case
    weighted = course(tmp_path / "w", "(1, 1, 1, 5)")
    text = grade("check", str(wrong_on_large), "--course", str(weighted)).stdout
    assert "double  1.5/4 (3 of 4 cases)" in text  # 3 of 8 weights
    whole = course(tmp_path / "a", '"all"')
    text = grade("check", str(wrong_on_large), "--course", str(whole)).stdout
    assert "FAIL  double    0/4" in text and "cases)" not in text


def test_a_report_keeps_the_counts(tmp_path: Path) -> None:
    subs, out = tmp_path / "subs", tmp_path / "out"
    (subs / "alice").mkdir(parents=True)
    (subs / "alice" / "lesson1_twice.py").write_text("def double(x):\n    return 2 * x if x > 0 else 0.0\n")
    folder = course(tmp_path / "c", '"per_case"')
    assert grade("batch", str(subs), "--out", str(out), "--quiet", "--course", str(folder)).exit_code == 0
    task = json.loads((out / "alice" / "report.json").read_text())["lessons"][0]["tasks"][0]
    assert (task["score"], task["cases_passed"], task["cases_total"]) == (3.0, 3, 4)
    assert "alice,3" in (out / "gradebook.csv").read_text()


def test_weights_that_do_not_fit_the_cases_are_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match=r"task double: credit gives 2 weights for 4 cases \(public, then hidden\)"):
        load_course(course(tmp_path, "(1, 1)"))
